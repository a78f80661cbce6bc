//! Exponential loss for binary labels ±1.

use burn::prelude::*;

use crate::reduction::mean_over_outputs;
use crate::shapes::same_shape;
use crate::{Loss, Reduction};

/// Configuration of [`ExponentialLoss`].
#[derive(Config, Debug)]
pub struct ExponentialLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
}

impl ExponentialLossConfig {
    /// Builds the loss.
    pub fn init(&self) -> ExponentialLoss {
        ExponentialLoss {
            reduction: self.reduction,
        }
    }
}

/// Exponential loss (AdaBoost's): `ℓ_i = (1/n) Σ_k exp(−y_ik·s_ik)` for scores `s` and
/// labels `y ∈ {−1, +1}`, then [`Reduction`].
///
/// Never zero, and it grows exponentially with the violation: a score of −1000 on the
/// wrong side gives `e¹⁰⁰⁰ = inf` in `f32`, as the formula says (scores of ±1000 on the
/// right side give 0). Neither burn, PyTorch nor Keras ships it.
///
/// # Shapes
/// - predictions (scores `s`), targets (labels `y`, ±1): `[batch, n]`
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When predictions and targets differ in shape.
#[derive(Module, Debug)]
pub struct ExponentialLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
}

impl ExponentialLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        same_shape("ExponentialLoss", &predictions, &targets);
        mean_over_outputs((predictions * targets).neg().exp())
    }
}

impl Loss<Tensor<2>> for ExponentialLoss {
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

    const LN_2: f32 = std::f32::consts::LN_2;

    fn exponential(
        reduction: Reduction,
        s: [[f32; 2]; 2],
        y: [[f32; 2]; 2],
        device: &Device,
    ) -> Tensor<1> {
        let loss = ExponentialLossConfig::new()
            .with_reduction(reduction)
            .init();
        loss.forward(Tensor::from_data(s, device), Tensor::from_data(y, device))
    }

    #[test]
    fn values_for_each_reduction() {
        // Row 1: e⁰ = 1, e¹ = 2.7182818: ℓ = 1.8591409.
        // Row 2: e⁻² = 0.1353353, e^{ln 2} = 2: ℓ = 1.0676676. Mean 1.4634043, sum 2.9268085.
        let (s, y) = ([[0.0, 1.0], [2.0, LN_2]], [[1.0, -1.0], [1.0, -1.0]]);
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| exponential(r, s, y, device))
        });
        let expected = [1.8591409, 1.0676676, 1.4634043, 2.9268085];
        assert_close(&out, &expected, 1e-6, "none, mean, sum");
    }

    #[test]
    fn large_scores_on_the_right_side_give_zero() {
        // e⁻¹⁰⁰⁰ underflows to 0 (no NaN): ℓ = [0, 0.5·(e⁰ + e⁻¹⁰⁰⁰)] = [0, 0.5].
        for_each_device(|device| {
            let s = [[1000.0, -1000.0], [0.0, 1000.0]];
            let y = [[1.0, -1.0], [1.0, 1.0]];
            let out = values(exponential(Reduction::None, s, y, device));
            assert_close(&out, &[0.0, 0.5], 1e-7, "large scores");
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // ∂ℓ/∂s = −y·exp(−y·s)/(batch·n).
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, 2.0, -0.5, 0.3], |x| {
                let y = Tensor::from_data([[1.0, 1.0], [1.0, -1.0]], (&x.device(), x.dtype()));
                ExponentialLossConfig::new().init().forward(x, y)
            });
        });
    }
}
