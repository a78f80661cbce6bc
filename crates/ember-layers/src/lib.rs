//! # ember-layers: the layers of the curriculum, for burn models
//!
//! Ember writes what burn lacks and re-exports the rest, documented and pinned by tests to
//! the curriculum's formulas. Train/evaluation behaviour (dropout, batch norm, RReLU) follows
//! burn: a layer trains when its training flag is on (the default) and its input is on an
//! autodiff device; `module.valid()` (or a plain device) selects evaluation.
//!
//! Contents:
//!
//! **Activations** (functions, then modules)
//! - [`sigmoid`], [`Sigmoid`]: `σ(x) = 1/(1 + e^−x)` (burn).
//! - [`tanh`], [`Tanh`]: `tanh(x) = (e^x − e^−x)/(e^x + e^−x)` (burn).
//! - [`relu`], [`Relu`]: `max(0, x)` (burn).
//! - [`leaky_relu`], [`LeakyRelu`], [`LeakyReluConfig`]: `x` or `a·x` below 0, default
//!   `a = 0.01` (burn).
//! - [`prelu`], [`PRelu`], [`PReluConfig`]: leaky ReLU with learnable slopes, one per
//!   channel or shared, starting at 0.25 (burn).
//! - [`rrelu_train`], [`rrelu_eval`] (Ember), [`RRelu`], [`RReluConfig`] (burn): randomized
//!   leaky ReLU, slope `U(1/8, 1/3)` per element in training, the mean slope at evaluation.
//! - [`softmax`], [`log_softmax`] (burn), [`Softmax`], [`LogSoftmax`] (Ember): along a `dim`.
//! - [`ScaledTanh`], [`ScaledTanhConfig`] (Ember): `A·tanh(S·a)`, LeCun's squashing function.
//! - [`Activation`], [`ActivationConfig`] (burn): any of burn's activations as one module,
//!   as [`Dense`] takes it.
//! - [`ActivationKind`], [`ChosenActivation`], [`UnknownActivation`] (Ember): the
//!   curriculum's six (sigmoid, tanh, relu, leaky-relu, prelu, rrelu) by name, as one module
//!   type, for a network whose activation is a setting (`--activation`).
//!
//! **Dense and convolutional layers**
//! - [`Dense`], [`DenseConfig`] (Ember): `f(x·W + b)`, Keras' `Dense`; params `(n_in + 1)·n_out`.
//! - [`Linear`], [`LinearConfig`] (burn): the affine map alone.
//! - [`Conv2d`], [`Conv2dConfig`], [`PaddingConfig2d`] (burn): `Valid`, `Same` or
//!   `Explicit` padding; params `(k·k·c_in + 1)·c_out`.
//! - [`conv_output_size`] (Ember): `⌊(n + 2p − k)/s⌋ + 1`.
//! - [`Flatten`] (Ember): `[batch, …] -> [batch, features]`.
//!
//! **Pooling**
//! - [`MaxPool2d`], [`MaxPool2dConfig`], [`AvgPool2d`], [`AvgPool2dConfig`] (burn): the
//!   stride defaults to the kernel size (non-overlapping); `.with_strides([2, 2])` on a 3×3
//!   kernel gives AlexNet's overlapping pooling.
//! - [`AdaptiveAvgPool2d`], [`AdaptiveAvgPool2dConfig`] (burn): averages to a fixed output
//!   size whatever the input size (torchvision's AlexNet pools to 6×6).
//!
//! **Normalisation and regularisation layers**
//! - [`Dropout`], [`DropoutConfig`] (burn): inverted dropout, `1/(1 − p)` scaling in
//!   training, identity at evaluation.
//! - [`BatchNorm`], [`BatchNormConfig`] (burn): `γ·(x − μ)/√(σ² + ε) + β` per channel; params
//!   `2·c` trainable (the `2·c` running statistics are state; burn's `num_params()` counts
//!   all `4·c`).
//! - [`LocalResponseNorm`], [`LocalResponseNormConfig`] (burn), [`alexnet_lrn`] (Ember):
//!   AlexNet's `a/(k + α·Σ a²)^β` (burn divides `α` by `n`, as PyTorch).
//!
//! **Embeddings and attention**
//! - [`Embedding`], [`EmbeddingConfig`] (burn): a `[V, d]` table; params `V·d`.
//! - [`MultiHeadAttention`], [`MultiHeadAttentionConfig`], [`MhaInput`], [`MhaOutput`] (burn):
//!   `softmax(Q·Kᵀ/√d_k)·V` per head; params `4·(d·d + d)`.
//!
//! **Recurrent** (batch-first `[batch, seq_len, features]`, like burn)
//! - [`SimpleRnn`], [`SimpleRnnConfig`]: Elman's `h_t = tanh(W h_{t−1} + U x_t + b)`, one
//!   bias vector, `h·(h + x + 1)` parameters (burn's `Rnn` has two bias vectors).
//! - Re-exported from burn, documented gate by gate: [`Lstm`], [`LstmConfig`],
//!   [`LstmState`] (`4·(h·(h + x) + 2h)` parameters), [`Gru`], [`GruConfig`]
//!   (`3·(h·(h + x) + 2h)`, PyTorch's reset-after variant by default).
//! - [`FusedLstm`], [`FusedLstmConfig`], [`LstmDirection`], [`LstmError`] (Ember): the
//!   LSTM with the input projection of all steps in one product and the four gates in one
//!   product per step, PyTorch's layout (`weight_ih [4H, x]`, `weight_hh [4H, H]`,
//!   `bias_ih`, `bias_hh`, gates `i, f, g, o`) and init, per-row lengths of right-padded
//!   batches, bidirectional by a flag; `4·(H·(x + H) + 2H)` parameters per direction.
//! - [`Recurrent`]: a layer mapping a sequence to all its hidden states.
//! - [`Bidirectional`]: any [`Recurrent`] layer run forwards and backwards,
//!   `[batch, seq_len, 2·hidden]` (burn's `BiLstm`/`BiGru` for any layer).
//!
//! **Initialisers**
//! - [`Initializer`] (burn): `Zeros`, `Ones`, `Constant`, `Uniform`, `Normal`,
//!   `XavierUniform`/`XavierNormal` (Glorot: `std = gain·√(2/(fan_in + fan_out))`),
//!   `KaimingUniform`/`KaimingNormal` (He: `std = gain/√fan_in`, `gain = √2` for ReLU),
//!   `Orthogonal`; the uniform variants draw from `±√3·std`.
//!
//!   Start a multi-layer net from random weights: if all weights are equal (zeros or a
//!   constant), every hidden unit of a layer computes the same output and receives the same
//!   gradient, so they stay copies of one another however long they train (with zeros the
//!   hidden weights do not move at all), and the layer is as good as one unit wide.
//! - [`InitScheme`] (Ember): one scheme for a whole network by name (`--init zeros`,
//!   `constant`, `normal`, `uniform`, `xavier`, `he`), fans read from each layer's shape,
//!   biases at 0.
//!
//! **Model summary**
//! - [`Summary`], [`Summarize`], [`LayerStats`], [`thousands`]: a Keras-style table with output shapes,
//!   neurons, trainable parameters and connections, computed from the formulas, for every
//!   layer above, recurrent ones included (conv params `k_h·k_w·c_in·c_out + c_out`; connections
//!   `(k_h·k_w·c_in + 1)·c_out·h_out·w_out`; multiply-accumulates `k_h·k_w·c_in·c_out·h_out·w_out`).
//!
//! **LeNet-5 parts** (Ember)
//! - [`Subsampling2d`], [`Subsampling2dConfig`]: LeNet-5's trainable sub-sampling
//!   (window sum × coefficient + bias, per map).
//! - [`PartialConv2d`], [`PartialConv2dConfig`]: convolution with a connection table
//!   (LeNet-5's C3, [`PartialConv2dConfig::lenet5_c3`]).
//!
//! # Example
//!
//! ```
//! use burn::prelude::*;
//! use ember_layers::{
//!     conv_output_size, ActivationConfig, Conv2dConfig, DenseConfig, Flatten, MaxPool2dConfig,
//!     Summary,
//! };
//!
//! let device = Device::flex();
//! let conv = Conv2dConfig::new([1, 6], [5, 5]).init(&device);
//! let pool = MaxPool2dConfig::new([2, 2]).init(); // stride 2: non-overlapping
//! let dense = DenseConfig::new(6 * 12 * 12, 10)
//!     .with_activation(ActivationConfig::Relu)
//!     .init(&device);
//!
//! assert_eq!(conv_output_size(28, 5, 1, 0), 24);
//! let x = Tensor::<4>::zeros([8, 1, 28, 28], &device);
//! let y = dense.forward(Flatten::new().forward(pool.forward(conv.forward(x))));
//! assert_eq!(y.dims(), [8, 10]);
//!
//! let summary = Summary::new("tiny", &[1, 28, 28])
//!     .layer("conv", &conv)
//!     .layer("pool", &pool)
//!     .layer("flatten", &Flatten::new())
//!     .layer("dense", &dense);
//! // (5·5·1 + 1)·6 + (864 + 1)·10 = 156 + 8,650.
//! assert_eq!(summary.total_params(), 8_806);
//! ```
#![warn(missing_docs)]

mod activation;
#[cfg(test)]
mod attention;
#[cfg(test)]
mod batch_norm;
#[cfg(test)]
mod conv2d;
mod dense;
#[cfg(test)]
mod dropout;
#[cfg(test)]
mod embedding;
mod flatten;
mod init_scheme;
#[cfg(test)]
mod initializer;
mod local_response_norm;
mod output_size;
mod partial_conv;
#[cfg(test)]
mod pooling;
mod recurrent;
mod scaled_tanh;
mod subsampling;
mod summary;

pub use activation::{
    leaky_relu, log_softmax, prelu, relu, rrelu_eval, rrelu_train, sigmoid, softmax, tanh,
    Activation, ActivationConfig, ActivationKind, ChosenActivation, LeakyRelu, LeakyReluConfig,
    LogSoftmax, PRelu, PReluConfig, RRelu, RReluConfig, Relu, Sigmoid, Softmax, Tanh,
    UnknownActivation,
};
pub use burn::module::Initializer;
pub use burn::nn::attention::{MhaInput, MhaOutput, MultiHeadAttention, MultiHeadAttentionConfig};
pub use burn::nn::conv::{Conv2d, Conv2dConfig};
pub use burn::nn::pool::{
    AdaptiveAvgPool2d, AdaptiveAvgPool2dConfig, AvgPool2d, AvgPool2dConfig, MaxPool2d,
    MaxPool2dConfig,
};
pub use burn::nn::{
    BatchNorm, BatchNormConfig, Dropout, DropoutConfig, Embedding, EmbeddingConfig, Linear,
    LinearConfig, LocalResponseNorm, LocalResponseNormConfig, PaddingConfig2d,
};
pub use dense::{Dense, DenseConfig};
pub use flatten::Flatten;
pub use init_scheme::InitScheme;
pub use local_response_norm::alexnet_lrn;
pub use output_size::conv_output_size;
pub use partial_conv::{PartialConv2d, PartialConv2dConfig};
pub use recurrent::{
    Bidirectional, FusedLstm, FusedLstmConfig, Gru, GruConfig, Lstm, LstmConfig, LstmDirection,
    LstmError, LstmState, Recurrent, SimpleRnn, SimpleRnnConfig,
};
pub use scaled_tanh::{ScaledTanh, ScaledTanhConfig};
pub use subsampling::{Subsampling2d, Subsampling2dConfig};
pub use summary::{thousands, LayerStats, Summarize, Summary};
