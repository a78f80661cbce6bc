//! Mean squared logarithmic error.

use burn::prelude::*;

use crate::reduction::mean_over_outputs;
use crate::shapes::same_shape;
use crate::{Loss, Reduction};

/// Configuration of [`MsleLoss`].
#[derive(Config, Debug)]
pub struct MsleLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
    /// The floor `ε` predictions and targets are clipped to before the logarithm
    /// (default `1e-7`, Keras's `epsilon()`).
    #[config(default = 1e-7)]
    pub epsilon: f64,
}

impl MsleLossConfig {
    /// Builds the loss.
    ///
    /// # Panics
    /// When `epsilon` is negative or not finite.
    pub fn init(&self) -> MsleLoss {
        assert!(
            self.epsilon.is_finite() && self.epsilon >= 0.0,
            "MsleLossConfig: epsilon must be a finite number ≥ 0, got {}; the default is 1e-7",
            self.epsilon
        );
        MsleLoss {
            reduction: self.reduction,
            epsilon: self.epsilon,
        }
    }
}

/// Mean squared logarithmic error, as Keras computes it:
/// `ℓ_i = (1/n) Σ_k (log(1 + max(ŷ_ik, ε)) − log(1 + max(y_ik, ε)))²`, then [`Reduction`].
///
/// Clipping both sides to `[ε, ∞)` keeps the logarithm finite for any input (a prediction
/// of −1 would otherwise give `log 0`); predictions below `ε` get zero gradient. burn has
/// no MSLE.
///
/// # Shapes
/// - predictions `ŷ`, targets `y`: `[batch, n]`
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When predictions and targets differ in shape.
#[derive(Module, Debug)]
pub struct MsleLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
    /// The clipping floor `ε`.
    pub epsilon: f64,
}

impl MsleLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        same_shape("MsleLoss", &predictions, &targets);
        let log1p_clipped = |x: Tensor<2>| x.clamp_min(self.epsilon).log1p();
        mean_over_outputs((log1p_clipped(predictions) - log1p_clipped(targets)).square())
    }
}

impl Loss<Tensor<2>> for MsleLoss {
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

    const E_MINUS_1: f32 = std::f32::consts::E - 1.0;

    fn msle(
        reduction: Reduction,
        p: [[f32; 2]; 2],
        t: [[f32; 2]; 2],
        device: &Device,
    ) -> Tensor<1> {
        let loss = MsleLossConfig::new().with_reduction(reduction).init();
        loss.forward(Tensor::from_data(p, device), Tensor::from_data(t, device))
    }

    #[test]
    fn values_for_each_reduction() {
        // Row 1: log(1 + e−1) = 1 and log(1 + ε) ≈ 1e-7, so both squares ≈ 1: ℓ = 1.
        // Row 2: log(1+3) − log(1+1) = ±log 2 = ±0.6931472, squared 0.4804530: ℓ = 0.4804530.
        // Mean 0.7402265, sum 1.4804530.
        let p = [[E_MINUS_1, 0.0], [3.0, 1.0]];
        let t = [[0.0, E_MINUS_1], [1.0, 3.0]];
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| msle(r, p, t, device))
        });
        assert_close(
            &out,
            &[1.0, 0.480453, 0.7402265, 1.480453],
            1e-5,
            "none, mean, sum",
        );
    }

    #[test]
    fn predictions_at_or_below_minus_one_stay_finite() {
        // Unclipped, log(1 + (−1)) = −inf and log(1 − 5) = NaN; clipped to ε both are
        // log(1 + ε), as are the zero targets: the loss is 0.
        for_each_device(|device| {
            let out = values(msle(
                Reduction::None,
                [[-1.0, -5.0], [0.0, 0.0]],
                [[0.0; 2]; 2],
                device,
            ));
            assert_close(&out, &[0.0, 0.0], 1e-7, "clipped");
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // ∂/∂ŷ = 2(log(1+ŷ) − log(1+y)) / ((1+ŷ)·batch·n) for ŷ > ε.
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, 1.0, 2.0, 0.3], |x| {
                let t = Tensor::from_data([[1.0, 0.0], [3.0, 0.5]], (&x.device(), x.dtype()));
                MsleLossConfig::new().init().forward(x, t)
            });
        });
    }

    #[test]
    #[should_panic(expected = "MsleLossConfig: epsilon must be a finite number ≥ 0, got -1")]
    fn a_negative_epsilon_is_refused() {
        MsleLossConfig::new().with_epsilon(-1.0).init();
    }
}
