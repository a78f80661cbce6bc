//! Mean absolute error.

use burn::prelude::*;

use crate::reduction::mean_over_outputs;
use crate::shapes::same_shape;
use crate::{Loss, Reduction};

/// Configuration of [`MaeLoss`].
#[derive(Config, Debug)]
pub struct MaeLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
}

impl MaeLossConfig {
    /// Builds the loss.
    pub fn init(&self) -> MaeLoss {
        MaeLoss {
            reduction: self.reduction,
        }
    }
}

/// Mean absolute error (L1 loss): `ℓ_i = (1/n) Σ_k |ŷ_ik − y_ik|`, then [`Reduction`].
///
/// With `Reduction::Mean` this is PyTorch's `L1Loss()` and burn's `LpLoss::l1()` with its
/// mean reduction.
///
/// # Shapes
/// - predictions `ŷ`, targets `y`: `[batch, n]`
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When predictions and targets differ in shape.
#[derive(Module, Debug)]
pub struct MaeLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
}

impl MaeLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        same_shape("MaeLoss", &predictions, &targets);
        mean_over_outputs((predictions - targets).abs())
    }
}

impl Loss<Tensor<2>> for MaeLoss {
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

    fn mae(reduction: Reduction, p: [[f32; 2]; 2], t: [[f32; 2]; 2], device: &Device) -> Tensor<1> {
        let loss = MaeLossConfig::new().with_reduction(reduction).init();
        loss.forward(Tensor::from_data(p, device), Tensor::from_data(t, device))
    }

    #[test]
    fn values_for_each_reduction() {
        // Absolute errors [[1, 1], [0, 3]]: per example (1+1)/2 = 1 and (0+3)/2 = 1.5;
        // mean 1.25, sum 2.5.
        let (p, t) = ([[1.0, 2.0], [3.0, -1.0]], [[2.0, 1.0], [3.0, 2.0]]);
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| mae(r, p, t, device))
        });
        assert_close(&out, &[1.0, 1.5, 1.25, 2.5], 1e-6, "none, mean, sum");
    }

    #[test]
    fn zero_when_predictions_equal_targets() {
        for_each_device(|device| {
            let z = [[0.0, 0.0], [0.0, 0.0]];
            assert_close(
                &values(mae(Reduction::Sum, z, z, device)),
                &[0.0],
                1e-7,
                "zeros",
            );
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // ∂/∂ŷ_ik of the mean = sign(ŷ_ik − y_ik) / (batch·n); no residual is near 0.
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, -1.0, 2.0, 0.3], |x| {
                let t = Tensor::from_data([[1.0, 0.0], [-1.0, 0.5]], (&x.device(), x.dtype()));
                MaeLossConfig::new().init().forward(x, t)
            });
        });
    }

    #[test]
    #[should_panic(expected = "MaeLoss: predictions have shape [3, 2] but targets [2, 3]")]
    fn mismatched_shapes_are_named() {
        for_each_device(|device| {
            MaeLossConfig::new()
                .init()
                .forward(Tensor::zeros([3, 2], device), Tensor::zeros([2, 3], device));
        });
    }
}
