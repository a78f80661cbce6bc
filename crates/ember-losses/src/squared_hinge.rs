//! Squared hinge loss for binary labels ±1.

use burn::prelude::*;

use crate::reduction::mean_over_outputs;
use crate::shapes::same_shape;
use crate::{Loss, Reduction};

/// Configuration of [`SquaredHingeLoss`].
#[derive(Config, Debug)]
pub struct SquaredHingeLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
}

impl SquaredHingeLossConfig {
    /// Builds the loss.
    pub fn init(&self) -> SquaredHingeLoss {
        SquaredHingeLoss {
            reduction: self.reduction,
        }
    }
}

/// Squared hinge loss: `ℓ_i = (1/n) Σ_k max(0, 1 − y_ik·s_ik)²` for scores `s` and labels
/// `y ∈ {−1, +1}`, then [`Reduction`].
///
/// Like [`HingeLoss`](crate::HingeLoss) but differentiable at the margin and harder on
/// large violations. Keras's `squared_hinge` with ±1 labels.
///
/// # Shapes
/// - predictions (scores `s`), targets (labels `y`, ±1): `[batch, n]`
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When predictions and targets differ in shape.
#[derive(Module, Debug)]
pub struct SquaredHingeLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
}

impl SquaredHingeLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        same_shape("SquaredHingeLoss", &predictions, &targets);
        let hinge = (predictions * targets).neg().add_scalar(1.0).clamp_min(0.0);
        mean_over_outputs(hinge.square())
    }
}

impl Loss<Tensor<2>> for SquaredHingeLoss {
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

    fn squared_hinge(
        reduction: Reduction,
        s: [[f32; 2]; 2],
        y: [[f32; 2]; 2],
        device: &Device,
    ) -> Tensor<1> {
        let loss = SquaredHingeLossConfig::new()
            .with_reduction(reduction)
            .init();
        loss.forward(Tensor::from_data(s, device), Tensor::from_data(y, device))
    }

    #[test]
    fn values_for_each_reduction() {
        // Row 1: 0.5² = 0.25, 0² = 0: ℓ = 0.125. Row 2: 1.5² = 2.25, 2² = 4: ℓ = 3.125.
        // Mean 1.625, sum 3.25.
        let (s, y) = ([[0.5, 2.0], [-0.5, 1.0]], [[1.0, 1.0], [1.0, -1.0]]);
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| squared_hinge(r, s, y, device))
        });
        assert_close(&out, &[0.125, 3.125, 1.625, 3.25], 1e-6, "none, mean, sum");
    }

    #[test]
    fn zero_at_the_margin_one_at_a_zero_score() {
        // Row 1: y·s = 1 (the margin): 0. Row 2: s = 0: (1 − 0)² = 1.
        for_each_device(|device| {
            let s = [[1.0, -1.0], [0.0, 0.0]];
            let y = [[1.0, -1.0], [1.0, -1.0]];
            let out = values(squared_hinge(Reduction::None, s, y, device));
            assert_close(&out, &[0.0, 1.0], 1e-7, "margin");
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // ∂ℓ/∂s = −2y·max(0, 1 − y·s)/(batch·n).
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, 2.0, -0.5, 0.3], |x| {
                let y = Tensor::from_data([[1.0, 1.0], [1.0, -1.0]], (&x.device(), x.dtype()));
                SquaredHingeLossConfig::new().init().forward(x, y)
            });
        });
    }
}
