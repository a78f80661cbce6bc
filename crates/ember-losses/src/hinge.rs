//! Hinge loss for binary labels ±1.

use burn::prelude::*;

use crate::reduction::mean_over_outputs;
use crate::shapes::same_shape;
use crate::{Loss, Reduction};

/// Configuration of [`HingeLoss`].
#[derive(Config, Debug)]
pub struct HingeLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
}

impl HingeLossConfig {
    /// Builds the loss.
    pub fn init(&self) -> HingeLoss {
        HingeLoss {
            reduction: self.reduction,
        }
    }
}

/// Hinge loss (the linear SVM's): `ℓ_i = (1/n) Σ_k max(0, 1 − y_ik·s_ik)` for scores `s`
/// and labels `y ∈ {−1, +1}`, then [`Reduction`].
///
/// Zero once an example is on the right side with margin 1 (`y·s ≥ 1`). Keras's `hinge`
/// with ±1 labels (Keras also maps 0/1 labels to ±1; Ember does not, pass ±1). burn's
/// `HingeEmbeddingLoss` is a different loss (on distances).
///
/// # Shapes
/// - predictions (scores `s`), targets (labels `y`, ±1): `[batch, n]`
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When predictions and targets differ in shape.
#[derive(Module, Debug)]
pub struct HingeLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
}

impl HingeLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        same_shape("HingeLoss", &predictions, &targets);
        mean_over_outputs((predictions * targets).neg().add_scalar(1.0).clamp_min(0.0))
    }
}

impl Loss<Tensor<2>> for HingeLoss {
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

    fn hinge(
        reduction: Reduction,
        s: [[f32; 2]; 2],
        y: [[f32; 2]; 2],
        device: &Device,
    ) -> Tensor<1> {
        let loss = HingeLossConfig::new().with_reduction(reduction).init();
        loss.forward(Tensor::from_data(s, device), Tensor::from_data(y, device))
    }

    #[test]
    fn values_for_each_reduction() {
        // Row 1: max(0, 1 − 0.5) = 0.5, max(0, 1 − 2) = 0: ℓ = 0.25.
        // Row 2: max(0, 1 + 0.5) = 1.5, max(0, 1 + 1) = 2: ℓ = 1.75. Mean 1, sum 2.
        let (s, y) = ([[0.5, 2.0], [-0.5, 1.0]], [[1.0, 1.0], [1.0, -1.0]]);
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| hinge(r, s, y, device))
        });
        assert_close(&out, &[0.25, 1.75, 1.0, 2.0], 1e-6, "none, mean, sum");
    }

    #[test]
    fn zero_at_the_margin_one_at_a_zero_score() {
        // Row 1: y·s = 1 exactly (the margin): max(0, 0) = 0 twice. Row 2: s = 0: 1 twice.
        for_each_device(|device| {
            let s = [[1.0, -1.0], [0.0, 0.0]];
            let y = [[1.0, -1.0], [1.0, -1.0]];
            assert_close(
                &values(hinge(Reduction::None, s, y, device)),
                &[0.0, 1.0],
                1e-7,
                "margin",
            );
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // ∂ℓ/∂s = −y/(batch·n) where y·s < 1, else 0; no y·s is near 1.
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, 2.0, -0.5, 0.3], |x| {
                let y = Tensor::from_data([[1.0, 1.0], [1.0, -1.0]], (&x.device(), x.dtype()));
                HingeLossConfig::new().init().forward(x, y)
            });
        });
    }
}
