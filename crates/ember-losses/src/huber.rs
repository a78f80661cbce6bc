//! Huber loss (smooth L1).

use burn::prelude::*;

use crate::reduction::mean_over_outputs;
use crate::shapes::same_shape;
use crate::{Loss, Reduction};

/// Configuration of [`HuberLoss`].
#[derive(Config, Debug)]
pub struct HuberLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
    /// Where the loss turns from quadratic to linear (default `1.0`, as in PyTorch and
    /// Keras; burn's `HuberLossConfig` has no default).
    #[config(default = 1.0)]
    pub delta: f32,
}

impl HuberLossConfig {
    /// Builds the loss.
    ///
    /// # Panics
    /// When `delta` is not a finite positive number.
    pub fn init(&self) -> HuberLoss {
        assert!(
            self.delta.is_finite() && self.delta > 0.0,
            "HuberLossConfig: delta must be a finite number > 0, got {}; the default is 1.0",
            self.delta
        );
        HuberLoss {
            reduction: self.reduction,
            delta: self.delta,
        }
    }
}

/// Huber loss: with the residual `r = ŷ − y`,
/// `h(r) = r²/2` if `|r| ≤ δ`, else `δ·(|r| − δ/2)`;
/// `ℓ_i = (1/n) Σ_k h(r_ik)`, then [`Reduction`].
///
/// Quadratic near 0, linear (gradient `±δ`) for outliers. PyTorch's `HuberLoss(delta)`
/// and Keras's `Huber(delta)` are the same `h`. PyTorch's `SmoothL1Loss(beta)` is
/// `h / β` with `δ = β`: equal to this loss at `δ = 1`, otherwise divide by `δ`.
/// The element-wise `h` is burn's `HuberLoss::forward_no_reduction`; Ember adds the
/// per-example output, [`Reduction`] and the [`Loss`] trait.
///
/// # Shapes
/// - predictions `ŷ`, targets `y`: `[batch, n]`
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When predictions and targets differ in shape.
#[derive(Module, Debug)]
pub struct HuberLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
    /// The threshold `δ` between the quadratic and the linear part.
    pub delta: f32,
}

impl HuberLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        same_shape("HuberLoss", &predictions, &targets);
        let elementwise = burn::nn::loss::HuberLossConfig::new(self.delta)
            .init()
            .forward_no_reduction(predictions, targets);
        mean_over_outputs(elementwise)
    }
}

impl Loss<Tensor<2>> for HuberLoss {
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

    fn huber(reduction: Reduction, delta: f32, p: [[f32; 2]; 2], device: &Device) -> Tensor<1> {
        let loss = HuberLossConfig::new()
            .with_reduction(reduction)
            .with_delta(delta)
            .init();
        loss.forward(Tensor::from_data(p, device), Tensor::zeros([2, 2], device))
    }

    #[test]
    fn values_for_each_reduction() {
        // δ = 1, targets 0, so r = ŷ. h(0.5) = 0.125; h(−2) = 1·(2 − 0.5) = 1.5;
        // h(3) = 3 − 0.5 = 2.5; h(0) = 0. ℓ = [(0.125+1.5)/2, (2.5+0)/2] = [0.8125, 1.25];
        // mean 1.03125, sum 2.0625.
        let p = [[0.5, -2.0], [3.0, 0.0]];
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| huber(r, 1.0, p, device))
        });
        assert_close(
            &out,
            &[0.8125, 1.25, 1.03125, 2.0625],
            1e-6,
            "none, mean, sum",
        );
    }

    #[test]
    fn delta_moves_the_switch_from_quadratic_to_linear() {
        // δ = 2: h(1) = 0.5 (quadratic), h(2) = 2 (the boundary, both branches agree),
        // h(3) = 2·(3 − 1) = 4, h(−5) = 2·(5 − 1) = 8. ℓ = [(0.5+2)/2, (4+8)/2] = [1.25, 6].
        for_each_device(|device| {
            let out = values(huber(
                Reduction::None,
                2.0,
                [[1.0, 2.0], [3.0, -5.0]],
                device,
            ));
            assert_close(&out, &[1.25, 6.0], 1e-6, "delta 2");
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // ∂h/∂r = r inside δ, ±δ outside; no |r| is near δ = 1.
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, -2.0, 3.0, 0.2], |x| {
                let t = Tensor::zeros([2, 2], (&x.device(), x.dtype()));
                HuberLossConfig::new().init().forward(x, t)
            });
        });
    }

    #[test]
    #[should_panic(expected = "HuberLossConfig: delta must be a finite number > 0, got 0")]
    fn a_zero_delta_is_refused() {
        HuberLossConfig::new().with_delta(0.0).init();
    }
}
