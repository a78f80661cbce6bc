//! Convolution with a connection table: each output map sees only some input maps.

use burn::module::{Initializer, Param};
use burn::prelude::*;
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;

/// Configuration of [`PartialConv2d`].
#[derive(Config, Debug)]
pub struct PartialConv2dConfig {
    /// Number of input maps.
    pub channels_in: usize,
    /// For each output map, the input maps it is connected to.
    pub table: Vec<Vec<usize>>,
    /// Kernel height and width.
    pub kernel_size: [usize; 2],
    /// Initialiser of the weights and biases (default: LeCun et al. 1998's
    /// `U(-2.4/F, 2.4/F)` is set by the caller; here Kaiming-uniform as burn's `Conv2d`).
    #[config(
        default = "Initializer::KaimingUniform{gain: 1.0 / 3.0f64.sqrt(), fan_out_only: false}"
    )]
    pub initializer: Initializer,
}

impl PartialConv2dConfig {
    /// LeNet-5's layer C3 (LeCun et al. 1998, Table I): 16 maps over S2's 6 maps, 5×5
    /// kernels; maps 0–5 see 3 contiguous maps, 6–11 see 4 contiguous, 12–14 see 4
    /// non-contiguous, 15 sees all 6. 60 connections, 1,516 parameters.
    pub fn lenet5_c3() -> Self {
        let mut table: Vec<Vec<usize>> = Vec::with_capacity(16);
        table.extend((0..6).map(|o| (0..3).map(|d| (o + d) % 6).collect()));
        table.extend((0..6).map(|o| (0..4).map(|d| (o + d) % 6).collect()));
        table.extend([vec![0, 1, 3, 4], vec![1, 2, 4, 5], vec![0, 2, 3, 5]]);
        table.push((0..6).collect());
        Self::new(6, table, [5, 5])
    }

    /// Builds the layer on `device`.
    ///
    /// # Panics
    /// If the table names an input map `>= channels_in`, or an output map has no input.
    pub fn init(&self, device: &Device) -> PartialConv2d {
        let [kh, kw] = self.kernel_size;
        let mut gather = vec![0usize; self.table.len() * self.channels_in];
        let connections: usize = self.table.iter().map(Vec::len).sum();
        let zero_row = connections;
        gather.iter_mut().for_each(|g| *g = zero_row);
        let mut row = 0;
        for (o, inputs) in self.table.iter().enumerate() {
            assert!(
                !inputs.is_empty(),
                "PartialConv2d: output map {o} has no input"
            );
            for &i in inputs {
                assert!(
                    i < self.channels_in,
                    "PartialConv2d: output map {o} names input map {i}, only {} exist",
                    self.channels_in
                );
                gather[o * self.channels_in + i] = row;
                row += 1;
            }
        }
        let fan_in = |o: usize| self.table[o].len() * kh * kw;
        let mean_fan_in = (0..self.table.len()).map(fan_in).sum::<usize>() / self.table.len();
        PartialConv2d {
            weight: self.initializer.init_with(
                [connections, kh * kw],
                Some(mean_fan_in),
                None,
                device,
            ),
            bias: self
                .initializer
                .init_with([self.table.len()], Some(mean_fan_in), None, device),
            gather,
            channels: [self.channels_in, self.table.len()],
            kernel_size: self.kernel_size,
            inputs_per_map: self.table.iter().map(Vec::len).collect(),
        }
    }
}

/// A 2-D convolution (stride 1, no padding) in which output map `o` is connected only to the
/// input maps listed in `table[o]`, as LeNet-5's C3 (LeCun et al. 1998, §II.B: it breaks the
/// symmetry between maps and keeps the connection count down).
///
/// `y[o] = b[o] + Σ_{i ∈ table[o]} w[o, i] ⋆ x[i]`
///
/// Only connected kernels are stored (one row of `kh·kw` weights per connection), so
/// `num_params()` is exact: `Σ_o (|table[o]|·kh·kw + 1)`. Each forward gathers them into a
/// dense `[c_out, c_in, kh, kw]` kernel with zeros elsewhere and runs one convolution.
///
/// # Shapes
/// `[batch, c_in, h, w] -> [batch, c_out, h - kh + 1, w - kw + 1]`.
#[derive(Module, Debug)]
pub struct PartialConv2d {
    /// One row of `kh·kw` weights per connection, in table order, shape `[connections, kh·kw]`.
    pub weight: Param<Tensor<2>>,
    /// The bias of each output map, shape `[c_out]`.
    pub bias: Param<Tensor<1>>,
    /// For each `(o, i)` pair, row-major, the weight row, or `connections` when unconnected.
    pub gather: Vec<usize>,
    /// `[c_in, c_out]`.
    pub channels: [usize; 2],
    /// `[kh, kw]`.
    pub kernel_size: [usize; 2],
    /// How many input maps each output map sees.
    pub inputs_per_map: Vec<usize>,
}

impl PartialConv2d {
    /// # Shapes
    /// `[batch, c_in, h, w] -> [batch, c_out, h - kh + 1, w - kw + 1]`.
    pub fn forward(&self, input: Tensor<4>) -> Tensor<4> {
        let device = input.device();
        let [c_in, c_out] = self.channels;
        let [kh, kw] = self.kernel_size;
        let weight = self.weight.val();
        // The zero row unconnected maps gather, in the weights' dtype (f64 weights stay f64).
        let zero = Tensor::zeros([1, kh * kw], (&device, weight.dtype()));
        let rows = Tensor::cat(vec![weight, zero], 0);
        let index: Vec<i64> = self.gather.iter().map(|&g| g as i64).collect();
        let index = Tensor::<1, Int>::from_data(TensorData::new(index, [c_out * c_in]), &device);
        let kernel = rows.select(0, index).reshape([c_out, c_in, kh, kw]);
        conv2d(
            input,
            kernel,
            Some(self.bias.val()),
            ConvOptions::new([1, 1], [0, 0], [1, 1], 1),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{assert_close, backends_agree, check_gradient, for_each_device, AGREE};

    #[test]
    fn lenet_c3_has_the_papers_parameter_count() {
        for_each_device(|device| {
            let layer = PartialConv2dConfig::lenet5_c3().init(device);
            assert_eq!(layer.num_params(), 1516);
            assert_eq!(layer.inputs_per_map.iter().sum::<usize>(), 60);
        });
    }

    /// Two inputs, two outputs; output 0 sees input 1 only, output 1 sees both; 1×1 kernels
    /// with weights (2 | 3, 5) and biases (0.5, −1), in `like`'s dtype and device.
    fn layer(like: &Tensor<4>) -> PartialConv2d {
        let (device, dtype) = (like.device(), like.dtype());
        let mut layer =
            PartialConv2dConfig::new(2, vec![vec![1], vec![0, 1]], [1, 1]).init(&device);
        let weight = TensorData::new(vec![2.0f64, 3.0, 5.0], [3, 1]);
        layer.weight = Param::from_tensor(Tensor::from_data(weight, (&device, dtype)));
        let bias = TensorData::new(vec![0.5f64, -1.0], [2]);
        layer.bias = Param::from_tensor(Tensor::from_data(bias, (&device, dtype)));
        layer
    }

    #[test]
    fn unconnected_maps_do_not_contribute() {
        let y = backends_agree(AGREE, |device| {
            let x = Tensor::<4>::from_data([[[[1.0f32]], [[10.0]]]], device);
            ember_testkit::values(layer(&x).forward(x))
        });
        // y0 = 0.5 + 2·10 = 20.5; y1 = -1 + 3·1 + 5·10 = 52.
        assert_close(&y, &[20.5, 52.0], 1e-6, "partial connections");
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // 3×3 inputs, 1×1 kernels: y0 = 0.5 + 2·x1, y1 = −1 + 3·x0 + 5·x1 at every pixel.
        let values: Vec<f64> = (0..18).map(|i| (i as f64 - 9.0) / 7.0).collect();
        for_each_device(|device| {
            check_gradient(device, [1, 2, 3, 3], &values, |x| {
                let y = layer(&x).forward(x);
                y.clone().mul(y).sum()
            });
        });
    }
}
