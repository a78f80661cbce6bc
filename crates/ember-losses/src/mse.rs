//! Mean squared error.

use burn::prelude::*;

use crate::reduction::mean_over_outputs;
use crate::shapes::same_shape;
use crate::{Loss, Reduction};

/// Configuration of [`MseLoss`].
#[derive(Config, Debug)]
pub struct MseLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
}

impl MseLossConfig {
    /// Builds the loss.
    pub fn init(&self) -> MseLoss {
        MseLoss {
            reduction: self.reduction,
        }
    }
}

/// Mean squared error: `ℓ_i = (1/n) Σ_k (ŷ_ik − y_ik)²`, then [`Reduction`].
///
/// With `Reduction::Mean` this is burn's `MseLoss` and PyTorch's `MSELoss()`; with `Sum`
/// it is theirs divided by `n` (see [`Reduction`]).
///
/// # Shapes
/// - predictions `ŷ`, targets `y`: `[batch, n]`
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When predictions and targets differ in shape.
#[derive(Module, Debug)]
pub struct MseLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
}

impl MseLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        same_shape("MseLoss", &predictions, &targets);
        mean_over_outputs((predictions - targets).square())
    }
}

impl Loss<Tensor<2>> for MseLoss {
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

    fn mse(reduction: Reduction, p: [[f32; 2]; 2], t: [[f32; 2]; 2], device: &Device) -> Tensor<1> {
        let loss = MseLossConfig::new().with_reduction(reduction).init();
        loss.forward(Tensor::from_data(p, device), Tensor::from_data(t, device))
    }

    #[test]
    fn values_for_each_reduction() {
        // Squared errors [[1, 1], [0, 4]]: per example (1+1)/2 = 1 and (0+4)/2 = 2;
        // mean 1.5, sum 3.
        let (p, t) = ([[1.0, 2.0], [3.0, 4.0]], [[2.0, 1.0], [3.0, 2.0]]);
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| mse(r, p, t, device))
        });
        assert_close(&out, &[1.0, 2.0, 1.5, 3.0], 1e-6, "none, mean, sum");
    }

    #[test]
    fn zero_when_predictions_equal_targets() {
        for_each_device(|device| {
            let z = [[0.0, 0.0], [0.0, 0.0]];
            assert_close(
                &values(mse(Reduction::Sum, z, z, device)),
                &[0.0],
                1e-7,
                "zeros",
            );
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // ∂/∂ŷ_ik of the mean = 2(ŷ_ik − y_ik) / (batch·n).
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, -1.0, 2.0, 0.3], |x| {
                let t = Tensor::from_data([[1.0, 0.0], [-1.0, 0.5]], (&x.device(), x.dtype()));
                MseLossConfig::new().init().forward(x, t)
            });
        });
    }

    #[test]
    fn the_trait_averages_a_loss_configured_without_reduction() {
        for_each_device(|device| {
            let loss = MseLossConfig::new().with_reduction(Reduction::None).init();
            let p = Tensor::<2>::from_data([[1.0f32, 2.0], [3.0, 4.0]], device);
            let t = Tensor::<2>::from_data([[2.0f32, 1.0], [3.0, 2.0]], device);
            // Per example [1, 2]; the trait gives their mean 1.5.
            assert_close(&values(loss.loss(p, t)), &[1.5], 1e-6, "trait");
        });
    }

    #[test]
    #[should_panic(expected = "MseLoss: predictions have shape [2, 3] but targets [2, 1]")]
    fn mismatched_shapes_are_named() {
        let device = Device::flex();
        MseLossConfig::new().init().forward(
            Tensor::zeros([2, 3], &device),
            Tensor::zeros([2, 1], &device),
        );
    }
}
