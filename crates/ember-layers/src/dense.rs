//! `Dense`: a fully connected layer followed by an activation, as in Keras.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;

use crate::{Activation, ActivationConfig, Initializer};

/// Configuration of [`Dense`]: `DenseConfig::new(784, 128).with_activation(ActivationConfig::Relu)`.
#[derive(Config, Debug)]
pub struct DenseConfig {
    /// Input features `n_in`.
    pub d_input: usize,
    /// Output units `n_out`.
    pub d_output: usize,
    /// The activation `f` applied after the affine map. Default: `Identity` (a linear
    /// layer, Keras' `activation=None`).
    #[config(default = "ActivationConfig::Identity")]
    pub activation: ActivationConfig,
    /// Whether the layer has the bias `b`. Default: true.
    #[config(default = true)]
    pub bias: bool,
    /// How `W` and `b` start. Default: burn's (and PyTorch's) `KaimingUniform` with gain
    /// `1/√3`, i.e. `U(−1/√n_in, 1/√n_in)` for both; Keras uses Glorot uniform for `W` and
    /// zeros for `b` (`Initializer::XavierUniform { gain: 1.0 }`, close but not identical).
    #[config(
        default = "Initializer::KaimingUniform { gain: 1.0 / 3.0_f64.sqrt(), fan_out_only: false }"
    )]
    pub initializer: Initializer,
}

/// A dense (fully connected) layer: `y = f(x·W + b)` with `W` of shape `[n_in, n_out]`,
/// `b` of shape `[n_out]` and an element-wise activation `f` (Keras' `Dense`).
///
/// Parameters: `(n_in + 1)·n_out` (`n_in·n_out` without bias), plus the activation's own
/// (PReLU's slopes).
///
/// # Shapes
/// `[..., n_in] -> [..., n_out]`.
#[derive(Module, Debug)]
pub struct Dense {
    /// The affine map `x·W + b` (burn's [`Linear`], weight `[n_in, n_out]`).
    pub linear: Linear,
    /// The activation `f`.
    pub activation: Activation,
}

impl DenseConfig {
    /// Builds the layer on `device`.
    ///
    /// # Panics
    /// If `d_input` or `d_output` is zero.
    pub fn init(&self, device: &Device) -> Dense {
        assert!(
            self.d_input > 0 && self.d_output > 0,
            "Dense needs at least one input and one output, got d_input = {}, d_output = {}",
            self.d_input,
            self.d_output
        );
        let linear = LinearConfig::new(self.d_input, self.d_output)
            .with_bias(self.bias)
            .with_initializer(self.initializer.clone())
            .init(device);
        Dense {
            linear,
            activation: self.activation.init(device),
        }
    }
}

impl Dense {
    /// `f(x·W + b)`.
    ///
    /// # Shapes
    /// `[..., n_in] -> [..., n_out]`.
    ///
    /// # Panics
    /// If the last dimension of `input` is not `n_in`.
    pub fn forward<const D: usize>(&self, input: Tensor<D>) -> Tensor<D> {
        let [d_input, _] = self.linear.weight.dims();
        let dims = input.dims();
        assert_eq!(
            dims[D - 1],
            d_input,
            "Dense expects inputs whose last dimension is {d_input}, got shape {dims:?} \
             (flatten convolutional features first, or build the layer with d_input = {})",
            dims[D - 1]
        );
        self.activation.forward(self.linear.forward(input))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::Param;
    use ember_testkit::{assert_close, backends_agree, check_gradient, for_each_device, values};

    /// A 3 → 2 dense layer with `W = [[1, −1], [0.5, 2], [−2, 0]]`, `b = [0.5, −1]`, in the
    /// dtype and on the device of `like`.
    fn known(activation: ActivationConfig, like: &Tensor<2>) -> Dense {
        let mut dense = DenseConfig::new(3, 2)
            .with_activation(activation)
            .init(&like.device());
        let opts = (&like.device(), like.dtype());
        let w = TensorData::new(vec![1.0, -1.0, 0.5, 2.0, -2.0, 0.0], [3, 2]);
        dense.linear.weight = Param::from_tensor(Tensor::from_data(w, opts));
        let b = TensorData::new(vec![0.5, -1.0], [2]);
        dense.linear.bias = Some(Param::from_tensor(Tensor::from_data(b, opts)));
        dense
    }

    #[test]
    fn computes_the_activation_of_the_affine_map() {
        let out = backends_agree(1e-5, |device| {
            let x = Tensor::<2>::from_data([[1.0f32, 2.0, 3.0], [0.0, -1.0, 0.5]], device);
            let mut v = values(known(ActivationConfig::Identity, &x).forward(x.clone()));
            v.extend(values(known(ActivationConfig::Relu, &x).forward(x)));
            v
        });
        // Row [1, 2, 3]: 1·1 + 2·0.5 + 3·(−2) + 0.5 = −3.5; 1·(−1) + 2·2 + 3·0 − 1 = 2.
        // Row [0, −1, 0.5]: −0.5 − 1 + 0.5 = −1; −2 + 0 − 1 = −3.
        let linear = [-3.5, 2.0, -1.0, -3.0];
        let relu = [0.0, 2.0, 0.0, 0.0];
        assert_close(&out, &[linear, relu].concat(), 1e-6, "dense");
    }

    #[test]
    fn counts_and_default_activation() {
        for_each_device(|device| {
            let dense = DenseConfig::new(784, 128).init(device);
            // (784 + 1)·128 = 100,480.
            assert_eq!(dense.num_params(), 100_480);
            assert!(matches!(dense.activation, Activation::Identity(_)));
            let no_bias = DenseConfig::new(784, 128).with_bias(false).init(device);
            assert_eq!(no_bias.num_params(), 784 * 128);
            let x = Tensor::<3>::zeros([4, 5, 784], device);
            assert_eq!(dense.forward(x).dims(), [4, 5, 128]);
        });
    }

    #[test]
    fn gradients_match_finite_differences() {
        for_each_device(|device| {
            // With respect to the input, through tanh.
            let x0 = [0.3, -0.7, 1.1, -0.2, 0.5, 0.9];
            check_gradient(device, [2, 3], &x0, |x| {
                known(ActivationConfig::Tanh, &x).forward(x).sum()
            });
            // With respect to the weights, with a squared error. (Not through burn's sigmoid:
            // on ndarray it computes in f32 even for f64 tensors, too coarse for the f64
            // finite differences.)
            let w0 = [0.2, -0.4, 0.6, 0.1, -0.3, 0.8];
            check_gradient(device, [3, 2], &w0, |w| {
                let input = TensorData::new(vec![1.0, -2.0, 0.5, 0.3, 0.7, -1.5], [2, 3]);
                let x = Tensor::<2>::from_data(input, (&w.device(), w.dtype()));
                let mut dense = known(ActivationConfig::Tanh, &x);
                dense.linear.weight = Param::from_tensor(w);
                let target = Tensor::<2>::from_data(
                    TensorData::new(vec![0.0, 1.0, 1.0, 0.0], [2, 2]),
                    (&x.device(), x.dtype()),
                );
                (dense.forward(x) - target).powi_scalar(2).sum()
            });
        });
    }

    #[test]
    #[should_panic(
        expected = "Dense expects inputs whose last dimension is 120, got shape [8, 16, 5, 5]"
    )]
    fn a_wrong_input_width_is_named() {
        let device = Device::flex();
        DenseConfig::new(120, 84)
            .init(&device)
            .forward(Tensor::<4>::zeros([8, 16, 5, 5], &device));
    }

    #[test]
    #[should_panic(expected = "Dense needs at least one input and one output")]
    fn zero_width_is_rejected() {
        DenseConfig::new(0, 4).init(&Device::flex());
    }
}
