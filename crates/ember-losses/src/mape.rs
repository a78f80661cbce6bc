//! Mean absolute percentage error.

use burn::prelude::*;

use crate::reduction::mean_over_outputs;
use crate::shapes::same_shape;
use crate::{Loss, Reduction};

/// Configuration of [`MapeLoss`].
#[derive(Config, Debug)]
pub struct MapeLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
    /// The floor `ε` of the denominator `max(|y|, ε)` (default `1e-7`, Keras's `epsilon()`).
    #[config(default = 1e-7)]
    pub epsilon: f64,
}

impl MapeLossConfig {
    /// Builds the loss.
    ///
    /// # Panics
    /// When `epsilon` is not a finite positive number.
    pub fn init(&self) -> MapeLoss {
        assert!(
            self.epsilon.is_finite() && self.epsilon > 0.0,
            "MapeLossConfig: epsilon must be a finite number > 0, got {}; the default is 1e-7",
            self.epsilon
        );
        MapeLoss {
            reduction: self.reduction,
            epsilon: self.epsilon,
        }
    }
}

/// Mean absolute percentage error, as Keras computes it:
/// `ℓ_i = (100/n) Σ_k |y_ik − ŷ_ik| / max(|y_ik|, ε)`, then [`Reduction`].
///
/// The clipped denominator keeps a zero target finite (`100·|ŷ|/ε`, large but not `inf`).
/// burn has no MAPE.
///
/// # Shapes
/// - predictions `ŷ`, targets `y`: `[batch, n]`
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When predictions and targets differ in shape.
#[derive(Module, Debug)]
pub struct MapeLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
    /// The denominator's floor `ε`.
    pub epsilon: f64,
}

impl MapeLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        same_shape("MapeLoss", &predictions, &targets);
        let scale = targets.clone().abs().clamp_min(self.epsilon);
        let relative = (targets - predictions).abs() / scale;
        mean_over_outputs(relative.mul_scalar(100.0))
    }
}

impl Loss<Tensor<2>> for MapeLoss {
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

    fn mape(
        reduction: Reduction,
        p: [[f32; 2]; 2],
        t: [[f32; 2]; 2],
        device: &Device,
    ) -> Tensor<1> {
        let loss = MapeLossConfig::new().with_reduction(reduction).init();
        loss.forward(Tensor::from_data(p, device), Tensor::from_data(t, device))
    }

    #[test]
    fn values_for_each_reduction() {
        // Row 1: |2−1|/2 = 0.5, |−4+5|/4 = 0.25: ℓ = 100·0.75/2 = 37.5.
        // Row 2: |10−12|/10 = 0.2, |1−1|/1 = 0: ℓ = 100·0.2/2 = 10. Mean 23.75, sum 47.5.
        let p = [[1.0, -5.0], [12.0, 1.0]];
        let t = [[2.0, -4.0], [10.0, 1.0]];
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| mape(r, p, t, device))
        });
        assert_close(&out, &[37.5, 10.0, 23.75, 47.5], 1e-6, "none, mean, sum");
    }

    #[test]
    fn zero_targets_give_a_finite_loss() {
        // Row 1: 100·|0 − 0.001|/1e-7 = 1e6 and 0 → ℓ = 5e5. Row 2: all zeros → 0.
        for_each_device(|device| {
            let out = values(mape(
                Reduction::None,
                [[0.001, 0.0], [0.0, 0.0]],
                [[0.0; 2]; 2],
                device,
            ));
            assert_close(&out, &[5e5, 0.0], 1e-4, "zero targets");
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // ∂/∂ŷ = 100·sign(ŷ − y) / (|y|·batch·n); no residual is near 0.
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, -1.0, 2.0, 0.3], |x| {
                let t = Tensor::from_data([[1.0, -2.0], [-1.0, 0.5]], (&x.device(), x.dtype()));
                MapeLossConfig::new().init().forward(x, t)
            });
        });
    }

    #[test]
    #[should_panic(expected = "MapeLossConfig: epsilon must be a finite number > 0, got 0")]
    fn a_zero_epsilon_is_refused() {
        MapeLossConfig::new().with_epsilon(0.0).init();
    }
}
