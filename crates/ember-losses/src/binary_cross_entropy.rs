//! Binary cross-entropy (logistic loss), from logits or from probabilities.

use burn::prelude::*;

use crate::reduction::mean_over_outputs;
use crate::shapes::same_shape;
use crate::{Loss, Reduction};

/// Configuration of [`BinaryCrossEntropyLoss`].
#[derive(Config, Debug)]
pub struct BinaryCrossEntropyLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
    /// Whether predictions are logits (default `true`) or probabilities (`false`, e.g.
    /// after a sigmoid). Keras's default is `false`.
    #[config(default = true)]
    pub from_logits: bool,
    /// Probabilities are clipped to `[ε, 1 − ε]` before the logarithm (default `1e-7`,
    /// Keras's `epsilon()`); unused for logits.
    #[config(default = 1e-7)]
    pub epsilon: f64,
}

impl BinaryCrossEntropyLossConfig {
    /// Builds the loss.
    ///
    /// # Panics
    /// When `epsilon` is not in `[0, 0.5)`.
    pub fn init(&self) -> BinaryCrossEntropyLoss {
        assert!(
            (0.0..0.5).contains(&self.epsilon),
            "BinaryCrossEntropyLossConfig: epsilon must be in [0, 0.5), got {}; the default \
             is 1e-7",
            self.epsilon
        );
        BinaryCrossEntropyLoss {
            reduction: self.reduction,
            from_logits: self.from_logits,
            epsilon: self.epsilon,
        }
    }
}

/// Binary cross-entropy, the logistic loss, for independent binary outputs with targets
/// `y ∈ [0, 1]`:
///
/// - from logits `z`: `b(z, y) = −y·log σ(z) − (1 − y)·log(1 − σ(z))`, computed in the
///   stable form `max(z, 0) − z·y + log(1 + e^{−|z|})`, finite for logits of ±1000;
/// - from probabilities `p`: `b = −y·log p − (1 − y)·log(1 − p)` with `p` and `1 − p`
///   each clipped to `[ε, 1 − ε]`, so a predicted 0 or 1 costs at most `−log ε` (16.1 for
///   `ε = 1e-7`). (Clipping `1 − p` rather than `p` keeps this symmetric in `f32`, where
///   `1 − 1e-7` rounds to `1 − 1.19e-7`.)
///
/// `ℓ_i = (1/n) Σ_k b_ik`, then [`Reduction`]. With `Reduction::Mean` this is PyTorch's
/// `BCEWithLogitsLoss()` / `BCELoss()`. burn's `burn::nn::loss::BinaryCrossEntropyLoss`
/// takes integer targets, has class weights and label smoothing, and always returns the
/// mean; Ember's takes float (possibly soft) targets, adds `Sum`/`None` and the [`Loss`]
/// trait.
///
/// # Shapes
/// - predictions, targets: `[batch, n]`
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When predictions and targets differ in shape.
#[derive(Module, Debug)]
pub struct BinaryCrossEntropyLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
    /// Whether predictions are logits (`true`) or probabilities.
    pub from_logits: bool,
    /// The clipping margin `ε` for probabilities.
    pub epsilon: f64,
}

impl BinaryCrossEntropyLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        same_shape("BinaryCrossEntropyLoss", &predictions, &targets);
        let elementwise = if self.from_logits {
            let z = predictions;
            let softplus_of_minus_abs = z.clone().abs().neg().exp().log1p();
            z.clone().clamp_min(0.0) - z * targets + softplus_of_minus_abs
        } else {
            let clip = |q: Tensor<2>| q.clamp(self.epsilon, 1.0 - self.epsilon);
            let not_p = predictions.clone().neg().add_scalar(1.0);
            let positive = targets.clone() * clip(predictions).log();
            let negative = targets.neg().add_scalar(1.0) * clip(not_p).log();
            (positive + negative).neg()
        };
        mean_over_outputs(elementwise)
    }
}

impl Loss<Tensor<2>> for BinaryCrossEntropyLoss {
    fn loss(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction
            .to_scalar()
            .apply(self.per_example(predictions, targets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::under_each_reduction;
    use ember_testkit::AGREE;
    use ember_testkit::{assert_close, backends_agree, check_gradient, for_each_device, values};

    fn bce(
        reduction: Reduction,
        from_logits: bool,
        p: [[f32; 2]; 2],
        y: [[f32; 2]; 2],
        device: &Device,
    ) -> Tensor<1> {
        let loss = BinaryCrossEntropyLossConfig::new()
            .with_reduction(reduction)
            .with_from_logits(from_logits)
            .init();
        loss.forward(Tensor::from_data(p, device), Tensor::from_data(y, device))
    }

    #[test]
    fn values_from_logits_for_each_reduction() {
        // z = 0, y = 1: 0 − 0 + log 2 = 0.6931472; z = 2, y = 0: 2 + log(1 + e⁻²) = 2.1269280:
        // ℓ₁ = 1.4100376. z = −1, y = 0.5 (soft): 0 + 0.5 + log(1 + e⁻¹) = 0.8132617;
        // z = 1, y = 1: 1 − 1 + log(1 + e⁻¹) = 0.3132617: ℓ₂ = 0.5632617.
        // Mean 0.9866496, sum 1.9732993.
        let (z, y) = ([[0.0, 2.0], [-1.0, 1.0]], [[1.0, 0.0], [0.5, 1.0]]);
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| bce(r, true, z, y, device))
        });
        let expected = [1.4100376, 0.5632617, 0.9866496, 1.9732993];
        assert_close(&out, &expected, 1e-6, "none, mean, sum");
    }

    #[test]
    fn values_from_probabilities_for_each_reduction() {
        // p = 0.5, y = 1: −log 0.5 = 0.6931472; p = 0.8, y = 0: −log 0.2 = 1.6094379:
        // ℓ₁ = 1.1512925. p = 0.25, y = 0: −log 0.75 = 0.2876821; p = 0.9, y = 1:
        // −log 0.9 = 0.1053605: ℓ₂ = 0.1965213. Mean 0.6739069, sum 1.3478138.
        let (p, y) = ([[0.5, 0.8], [0.25, 0.9]], [[1.0, 0.0], [0.0, 1.0]]);
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| bce(r, false, p, y, device))
        });
        let expected = [1.1512925, 0.1965213, 0.6739069, 1.3478138];
        assert_close(&out, &expected, 1e-6, "none, mean, sum");
    }

    #[test]
    fn large_logits_neither_overflow_nor_give_nan() {
        // Right side: z = −1000, y = 0: 0 − 0 + log(1 + e⁻¹⁰⁰⁰) = 0; z = 1000, y = 1:
        // 1000 − 1000 + 0 = 0. Wrong side: z = 1000, y = 0: 1000; z = −1000, y = 1:
        // 0 + 1000 + 0 = 1000. ℓ = [0, 1000].
        for_each_device(|device| {
            let z = [[-1000.0, 1000.0], [1000.0, -1000.0]];
            let y = [[0.0, 1.0], [0.0, 1.0]];
            let out = values(bce(Reduction::None, true, z, y, device));
            assert_close(&out, &[0.0, 1000.0], 1e-6, "large logits");
        });
    }

    #[test]
    fn probabilities_of_zero_and_one_are_clipped() {
        // Right side: p = 0, y = 0 and p = 1, y = 1: −log(1 − 1e-7) ≈ 0. Wrong side:
        // p = 1, y = 0 and p = 0, y = 1: −log 1e-7 = 16.118096 each. ℓ = [0, 16.118096].
        for_each_device(|device| {
            let p = [[0.0, 1.0], [1.0, 0.0]];
            let y = [[0.0, 1.0], [0.0, 1.0]];
            let out = values(bce(Reduction::None, false, p, y, device));
            assert_close(&out, &[0.0, 16.118096], 1e-5, "clipped probabilities");
        });
    }

    #[test]
    fn gradient_from_logits_matches_finite_differences() {
        // ∂b/∂z = σ(z) − y, divided by batch·n.
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, -1.0, 2.0, -3.0], |x| {
                let y = Tensor::from_data([[1.0, 0.0], [0.3, 1.0]], (&x.device(), x.dtype()));
                BinaryCrossEntropyLossConfig::new().init().forward(x, y)
            });
        });
    }

    #[test]
    fn gradient_from_probabilities_matches_finite_differences() {
        // ∂b/∂p = −y/p + (1 − y)/(1 − p), divided by batch·n.
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, 0.2, 0.7, 0.9], |x| {
                let y = Tensor::from_data([[1.0, 0.0], [0.3, 1.0]], (&x.device(), x.dtype()));
                let loss = BinaryCrossEntropyLossConfig::new().with_from_logits(false);
                loss.init().forward(x, y)
            });
        });
    }

    #[test]
    #[should_panic(
        expected = "BinaryCrossEntropyLoss: predictions have shape [2, 1] but targets [1, 2]"
    )]
    fn mismatched_shapes_are_named() {
        for_each_device(|device| {
            BinaryCrossEntropyLossConfig::new()
                .init()
                .forward(Tensor::zeros([2, 1], device), Tensor::zeros([1, 2], device));
        });
    }
}
