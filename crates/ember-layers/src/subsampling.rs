//! Trainable sub-sampling, the pooling layer of LeNet-5 (S2, S4).

use burn::module::Param;
use burn::prelude::*;
use burn::tensor::module::avg_pool2d;
use burn::tensor::ops::AvgPoolOptions;

/// Configuration of [`Subsampling2d`].
#[derive(Config, Debug)]
pub struct Subsampling2dConfig {
    /// Number of feature maps (each gets its own coefficient and bias).
    pub channels: usize,
    /// Side of the non-overlapping square window (and its stride).
    #[config(default = 2)]
    pub kernel: usize,
}

/// LeNet-5's sub-sampling layer (LeCun et al. 1998, §II.B): each unit sums a `k×k`
/// non-overlapping window of its map, multiplies the sum by a trainable coefficient and adds
/// a trainable bias, one coefficient and one bias per map:
///
/// `y[c, i, j] = w[c] · Σ_{u,v < k} x[c, k·i + u, k·j + v] + b[c]`
///
/// The squashing function that follows in the paper is a separate layer
/// ([`ScaledTanh`](crate::ScaledTanh)). Parameters: `2·c`; connections: `(k² + 1)·c·h'·w'`.
///
/// # Shapes
/// `[batch, c, h, w] -> [batch, c, ⌊h/k⌋, ⌊w/k⌋]`.
#[derive(Module, Debug)]
pub struct Subsampling2d {
    /// The coefficient `w[c]`, shape `[c]`; initialised to `1/k²` (average pooling).
    pub coefficient: Param<Tensor<1>>,
    /// The bias `b[c]`, shape `[c]`; initialised to 0.
    pub bias: Param<Tensor<1>>,
    /// The window side `k`.
    pub kernel: usize,
}

impl Subsampling2dConfig {
    /// Builds the layer on `device`, starting as average pooling.
    pub fn init(&self, device: &Device) -> Subsampling2d {
        let k2 = (self.kernel * self.kernel) as f32;
        Subsampling2d {
            coefficient: Param::from_tensor(Tensor::full([self.channels], 1.0 / k2, device)),
            bias: Param::from_tensor(Tensor::zeros([self.channels], device)),
            kernel: self.kernel,
        }
    }
}

impl Subsampling2d {
    /// # Shapes
    /// `[batch, c, h, w] -> [batch, c, ⌊h/k⌋, ⌊w/k⌋]`.
    ///
    /// # Panics
    /// If the input does not have the configured number of channels.
    pub fn forward(&self, input: Tensor<4>) -> Tensor<4> {
        let k = self.kernel;
        let channels = self.coefficient.dims()[0];
        let [_, c, _, _] = input.dims();
        assert_eq!(
            c, channels,
            "Subsampling2d: input has {c} maps, the layer has {channels}"
        );
        let sums = avg_pool2d(input, AvgPoolOptions::new([k, k])).mul_scalar((k * k) as f32);
        let w = self.coefficient.val().reshape([1, channels, 1, 1]);
        let b = self.bias.val().reshape([1, channels, 1, 1]);
        sums * w + b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::Module;
    use ember_testkit::{assert_close, backends_agree, check_gradient, for_each_device, AGREE};

    /// The layer with coefficients (2, −1) and biases (0.5, 1), in `like`'s dtype and device.
    fn layer(like: &Tensor<4>) -> Subsampling2d {
        let (device, dtype) = (like.device(), like.dtype());
        let mut layer = Subsampling2dConfig::new(2).init(&device);
        let from =
            |v: [f64; 2]| Tensor::from_data(TensorData::new(v.to_vec(), [2]), (&device, dtype));
        layer.coefficient = Param::from_tensor(from([2.0, -1.0]));
        layer.bias = Param::from_tensor(from([0.5, 1.0]));
        layer
    }

    #[test]
    fn sums_windows_then_scales_and_shifts_per_map() {
        let y = backends_agree(AGREE, |device| {
            // Map 0 holds 1..=16 row-major, map 1 holds all ones.
            let mut data: Vec<f32> = (1..=16).map(|v| v as f32).collect();
            data.extend([1.0; 16]);
            let x = Tensor::<4>::from_data(TensorData::new(data, [1, 2, 4, 4]), device);
            let layer = layer(&x);
            assert_eq!(layer.num_params(), 4);
            ember_testkit::values(layer.forward(x))
        });
        // Window sums of map 0: 1+2+5+6=14, 3+4+7+8=22, 9+10+13+14=46, 11+12+15+16=54,
        // times 2 plus 0.5; map 1: 4·(−1) + 1 = −3.
        let expected = [28.5, 44.5, 92.5, 108.5, -3.0, -3.0, -3.0, -3.0];
        assert_close(&y, &expected, 1e-6, "subsampling");
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let values: Vec<f64> = (0..32)
            .map(|i| ((i * 7) % 11) as f64 / 10.0 - 0.5)
            .collect();
        for_each_device(|device| {
            check_gradient(device, [1, 2, 4, 4], &values, |x| {
                let y = layer(&x).forward(x);
                y.clone().mul(y).sum()
            });
        });
    }
}
