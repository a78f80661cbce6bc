//! LeCun's scaled hyperbolic tangent, the squashing function of LeNet-5.

use burn::prelude::*;

/// Configuration of [`ScaledTanh`].
#[derive(Config, Debug)]
pub struct ScaledTanhConfig {
    /// The amplitude `A` (LeCun et al. 1998, Appendix A: 1.7159).
    #[config(default = 1.7159)]
    pub amplitude: f64,
    /// The slope `S` at the origin (Appendix A: 2/3).
    #[config(default = "2.0 / 3.0")]
    pub slope: f64,
}

/// `f(a) = A · tanh(S · a)`: with the defaults, `f(±1) = ±1` and the gain is largest
/// around the targets ±1 (LeCun et al. 1998, Appendix A).
#[derive(Module, Debug)]
pub struct ScaledTanh {
    /// The amplitude `A`.
    pub amplitude: f64,
    /// The slope `S`.
    pub slope: f64,
}

impl ScaledTanhConfig {
    /// Builds the activation.
    pub fn init(&self) -> ScaledTanh {
        ScaledTanh {
            amplitude: self.amplitude,
            slope: self.slope,
        }
    }
}

impl Default for ScaledTanh {
    fn default() -> Self {
        ScaledTanhConfig::new().init()
    }
}

impl ScaledTanh {
    /// Applies `A · tanh(S · a)` element-wise; any shape.
    pub fn forward<const D: usize>(&self, input: Tensor<D>) -> Tensor<D> {
        input
            .mul_scalar(self.slope)
            .tanh()
            .mul_scalar(self.amplitude)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{assert_close, backends_agree, check_gradient, for_each_device, AGREE};

    #[test]
    fn maps_plus_minus_one_to_about_plus_minus_one() {
        let y = backends_agree(AGREE, |device| {
            let x = Tensor::<1>::from_data([-1.0f32, 0.0, 1.0, 10.0], device);
            ember_testkit::values(ScaledTanh::default().forward(x))
        });
        // 1.7159 · tanh(2/3) = 1.7159 · 0.5827829 = 1.000001 (hand-computed).
        let expected = [-1.000001f32, 0.0, 1.000001, 1.7159 * (20.0f32 / 3.0).tanh()];
        assert_close(&y, &expected, 1e-5, "1.7159·tanh(2a/3)");
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // d/da A·tanh(S·a) = A·S·(1 − tanh²(S·a)).
        for_each_device(|device| {
            check_gradient(device, [4], &[-1.5, -0.2, 0.3, 2.0], |x| {
                ScaledTanh::default().forward(x).sum()
            });
        });
    }
}
