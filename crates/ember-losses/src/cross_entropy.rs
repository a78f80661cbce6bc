//! Cross-entropy over classes, from logits or from probabilities.

use burn::prelude::*;
use burn::tensor::activation::log_softmax;

use crate::nll::picked_negated;
use crate::shapes::class_targets;
use crate::{Loss, Reduction};

/// Configuration of [`CrossEntropyLoss`].
#[derive(Config, Debug)]
pub struct CrossEntropyLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
    /// Whether predictions are logits (default `true`, what Ember's models output) or
    /// probabilities (`false`, e.g. after a softmax layer). Keras's default is `false`.
    #[config(default = true)]
    pub from_logits: bool,
    /// Probabilities are clipped to `[ε, 1 − ε]` before the logarithm (default `1e-7`,
    /// Keras's `epsilon()`); unused for logits.
    #[config(default = 1e-7)]
    pub epsilon: f64,
}

impl CrossEntropyLossConfig {
    /// Builds the loss.
    ///
    /// # Panics
    /// When `epsilon` is not in `[0, 0.5)`.
    pub fn init(&self) -> CrossEntropyLoss {
        assert!(
            (0.0..0.5).contains(&self.epsilon),
            "CrossEntropyLossConfig: epsilon must be in [0, 0.5), got {}; the default is 1e-7",
            self.epsilon
        );
        CrossEntropyLoss {
            reduction: self.reduction,
            from_logits: self.from_logits,
            epsilon: self.epsilon,
        }
    }
}

/// Cross-entropy between predicted class distributions and class indices `y`:
///
/// - from logits `z`: `ℓ_i = −log softmax(z_i)[y_i] = log Σ_j e^{z_ij} − z_{i,y_i}`,
///   computed with log-softmax, so logits of ±1000 neither overflow nor give NaN;
/// - from probabilities `p`: `ℓ_i = −log clip(p_{i,y_i}, ε, 1 − ε)`, so a predicted 0
///   gives `−log ε` (16.1 for `ε = 1e-7`), not `inf`. Probabilities are not renormalised
///   (Keras divides by their sum first).
///
/// Then [`Reduction`]. From logits with `Reduction::Mean` this is PyTorch's
/// `CrossEntropyLoss()` and burn's `burn::nn::loss::CrossEntropyLoss`. burn's version
/// (reachable under that path) has label smoothing, class weights and padding tokens but
/// always returns the batch mean; Ember's adds `Sum`/`None` and the [`Loss`] trait.
///
/// # Shapes
/// - predictions: `[batch, classes]`
/// - targets: class indices `[batch]`, each in `0..classes` (not checked: that would need
///   reading the tensor back from the device)
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When the targets are not `[batch]`.
#[derive(Module, Debug)]
pub struct CrossEntropyLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
    /// Whether predictions are logits (`true`) or probabilities.
    pub from_logits: bool,
    /// The clipping margin `ε` for probabilities.
    pub epsilon: f64,
}

impl CrossEntropyLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        class_targets("CrossEntropyLoss", &predictions, &targets);
        let log_probabilities = if self.from_logits {
            log_softmax(predictions, 1)
        } else {
            predictions.clamp(self.epsilon, 1.0 - self.epsilon).log()
        };
        picked_negated(log_probabilities, targets)
    }
}

impl Loss for CrossEntropyLoss {
    fn loss(&self, predictions: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        self.reduction
            .to_scalar()
            .apply(self.per_example(predictions, targets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{classes, under_each_reduction};
    use ember_testkit::AGREE;
    use ember_testkit::{assert_close, backends_agree, check_gradient, for_each_device, values};

    fn ce(
        reduction: Reduction,
        from_logits: bool,
        p: [[f32; 3]; 2],
        y: &[i64],
        device: &Device,
    ) -> Tensor<1> {
        let loss = CrossEntropyLossConfig::new()
            .with_reduction(reduction)
            .with_from_logits(from_logits)
            .init();
        loss.forward(Tensor::from_data(p, device), classes(y, device))
    }

    #[test]
    fn values_from_logits_for_each_reduction() {
        // Row 1, y = 2: log(e¹ + e² + e³) − 3 = log(1 + e⁻¹ + e⁻²) = 0.4076059.
        // Row 2, y = 0: log(3·e⁰) − 0 = log 3 = 1.0986123. Mean 0.7531091, sum 1.5062182.
        let logits = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]];
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| ce(r, true, logits, &[2, 0], device))
        });
        let expected = [0.4076059, 1.0986123, 0.7531091, 1.5062182];
        assert_close(&out, &expected, 1e-6, "none, mean, sum");
    }

    #[test]
    fn values_from_probabilities_for_each_reduction() {
        // Row 1, y = 2: −log 0.5 = 0.6931472. Row 2, y = 1: −log 0.25 = 1.3862944.
        // Mean 1.0397208, sum 2.0794415.
        let p = [[0.2, 0.3, 0.5], [0.75, 0.25, 0.0]];
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| ce(r, false, p, &[2, 1], device))
        });
        let expected = [std::f32::consts::LN_2, 1.3862944, 1.0397208, 2.0794415];
        assert_close(&out, &expected, 1e-6, "none, mean, sum");
    }

    #[test]
    fn large_logits_neither_overflow_nor_give_nan() {
        // Row 1, y = 1: log(e¹⁰⁰⁰ + e⁰) − 0 = 1000 (to f32 precision).
        // Row 2, y = 2: log(e⁻¹⁰⁰⁰ + e⁰ + e¹⁰⁰⁰) − 1000 = log(1 + e⁻¹⁰⁰⁰ + e⁻²⁰⁰⁰) = 0.
        for_each_device(|device| {
            let logits = [[1000.0, 0.0, 0.0], [-1000.0, 0.0, 1000.0]];
            let out = values(ce(Reduction::None, true, logits, &[1, 2], device));
            assert_close(&out, &[1000.0, 0.0], 1e-6, "large logits");
        });
    }

    #[test]
    fn a_zero_probability_is_clipped_not_infinite() {
        // Row 1, y = 2: p = 0 is clipped to ε = 1e-7: −log 1e-7 = 16.118096.
        // Row 2, y = 0: p = 1 is clipped to 1 − 1e-7: −log(1 − 1e-7) ≈ 1e-7 ≈ 0.
        for_each_device(|device| {
            let p = [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]];
            let out = values(ce(Reduction::None, false, p, &[2, 0], device));
            assert_close(&out, &[16.118096, 0.0], 1e-5, "clipped probabilities");
        });
    }

    #[test]
    fn gradient_from_logits_matches_finite_differences() {
        // ∂ℓ/∂z_ij = (softmax(z_i)_j − [j = y_i]) / batch.
        for_each_device(|device| {
            check_gradient(device, [2, 3], &[0.5, -1.0, 2.0, 0.3, 0.1, -0.4], |x| {
                let y = classes(&[0, 2], &x.device());
                CrossEntropyLossConfig::new().init().forward(x, y)
            });
        });
    }

    #[test]
    fn gradient_from_probabilities_matches_finite_differences() {
        // ∂ℓ/∂p_{i,y_i} = −1 / (p_{i,y_i}·batch), 0 for the other classes.
        for_each_device(|device| {
            check_gradient(device, [2, 3], &[0.2, 0.3, 0.5, 0.6, 0.3, 0.1], |x| {
                let y = classes(&[1, 0], &x.device());
                let loss = CrossEntropyLossConfig::new().with_from_logits(false).init();
                loss.forward(x, y)
            });
        });
    }

    #[test]
    #[should_panic(expected = "CrossEntropyLoss: predictions have shape [2, 3] but targets [3]")]
    fn targets_of_the_wrong_length_are_named() {
        for_each_device(|device| {
            let loss = CrossEntropyLossConfig::new().init();
            loss.forward(Tensor::zeros([2, 3], device), classes(&[0, 1, 2], device));
        });
    }
}
