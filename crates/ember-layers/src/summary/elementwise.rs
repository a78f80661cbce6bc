//! [`Summarize`] for the layers that keep their input's shape: activations, dropout and
//! the normalisation layers. Element-wise layers have no connections (no weighted sums).

use burn::module::Module;
use burn::nn::{BatchNorm, Dropout, LocalResponseNorm};

use super::{LayerStats, Summarize};
use crate::{
    Activation, LeakyRelu, LogSoftmax, PRelu, RRelu, Relu, ScaledTanh, Sigmoid, Softmax, Tanh,
};

/// A row for a layer that keeps the shape: `params` parameters, no connections.
fn same_shape(kind: impl Into<String>, input: &[usize], params: usize) -> LayerStats {
    LayerStats {
        kind: kind.into(),
        output: input.to_vec(),
        params,
        connections: 0,
        macs: 0,
    }
}

/// The short name of one of burn's wrapped activations, e.g. `relu`.
pub(super) fn activation_name(activation: &Activation) -> &'static str {
    match activation {
        Activation::Identity(_) => "linear",
        Activation::Relu(_) => "relu",
        Activation::LeakyRelu(_) => "leaky_relu",
        Activation::PRelu(_) => "prelu",
        Activation::Sigmoid(_) => "sigmoid",
        Activation::Tanh(_) => "tanh",
        Activation::Gelu(_) => "gelu",
        _ => "activation",
    }
}

/// burn's wrapped activations: no parameters except PReLU's slopes.
impl Summarize for Activation {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        same_shape(activation_name(self), input, self.num_params())
    }
}

/// Implements [`Summarize`] for activations without parameters.
macro_rules! parameter_free {
    ($($layer:ty => $kind:literal),* $(,)?) => {$(
        #[doc = concat!("`", $kind, "`: no parameters; the shape passes through.")]
        impl Summarize for $layer {
            fn summarize(&self, input: &[usize]) -> LayerStats {
                same_shape($kind, input, 0)
            }
        }
    )*};
}

parameter_free!(
    Relu => "ReLU",
    Sigmoid => "Sigmoid",
    Tanh => "Tanh",
    LeakyRelu => "LeakyReLU",
    RRelu => "RReLU",
    Softmax => "Softmax",
    LogSoftmax => "LogSoftmax",
    ScaledTanh => "ScaledTanh",
    LocalResponseNorm => "LocalResponseNorm",
);

/// burn's `PRelu`: one learnable slope per channel (or one shared), `num_parameters`.
impl Summarize for PRelu {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        same_shape("PReLU", input, self.num_params())
    }
}

/// burn's `Dropout`: no parameters, no connections.
impl Summarize for Dropout {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        same_shape(format!("Dropout p={}", self.prob), input, 0)
    }
}

/// burn's `BatchNorm` over `c` channels: `2·c` trainable parameters (`γ`, `β`). The running
/// mean and variance (another `2·c` numbers) are state, not trained, and are not counted here
/// (Keras lists them as "non-trainable params"); burn's `num_params()` counts all `4·c`.
impl Summarize for BatchNorm {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let [c] = self.gamma.dims();
        assert_eq!(
            input.first(),
            Some(&c),
            "BatchNorm over {c} channels expects a [{c}, ...] input, got {input:?}"
        );
        same_shape("BatchNorm", input, 2 * c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ActivationConfig, PReluConfig};
    use burn::nn::{BatchNormConfig, DropoutConfig};
    use burn::prelude::*;

    #[test]
    fn batch_norm_counts_two_parameters_per_channel() {
        let bn = BatchNormConfig::new(16).init(&Device::flex());
        let row = bn.summarize(&[16, 10, 10]);
        // 2·16 = 32 (γ and β); the running mean and variance are not trained.
        assert_eq!(
            (row.output, row.params, row.connections),
            (vec![16, 10, 10], 32, 0)
        );
        // burn's own count includes them: 4·16.
        assert_eq!(bn.num_params(), 64);
    }

    #[test]
    fn activations_and_dropout_keep_the_shape() {
        let device = Device::flex();
        let prelu = PReluConfig::new().with_num_parameters(6).init(&device);
        assert_eq!(prelu.summarize(&[6, 4, 4]).params, 6);
        let wrapped = ActivationConfig::Relu.init(&device).summarize(&[10]);
        assert_eq!((wrapped.kind.as_str(), wrapped.params), ("relu", 0));
        let dropout = DropoutConfig::new(0.5).init().summarize(&[3, 5]);
        assert_eq!((dropout.output, dropout.params), (vec![3, 5], 0));
        assert_eq!(Softmax::new(0).summarize(&[10]).output, vec![10]);
    }

    #[test]
    #[should_panic(expected = "BatchNorm over 8 channels expects a [8, ...] input, got [6, 4, 4]")]
    fn batch_norm_names_a_channel_mismatch() {
        BatchNormConfig::new(8)
            .init(&Device::flex())
            .summarize(&[6, 4, 4]);
    }
}
