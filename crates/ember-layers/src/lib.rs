//! # ember-layers: the layers of the curriculum, for burn models
//!
//! Contents:
//!
//! **Layers Ember adds** (burn has no equivalent)
//! - [`Flatten`]: `[batch, …] -> [batch, features]`.
//! - [`Subsampling2d`], [`Subsampling2dConfig`]: LeNet-5's trainable sub-sampling
//!   (window sum × coefficient + bias, per map).
//! - [`PartialConv2d`], [`PartialConv2dConfig`]: convolution with a connection table
//!   (LeNet-5's C3, [`PartialConv2dConfig::lenet5_c3`]).
//!
//! **Activations**
//! - [`ScaledTanh`], [`ScaledTanhConfig`]: `A·tanh(S·a)`, LeCun's squashing function.
//! - Re-exported from burn: [`Relu`], [`Tanh`], [`Sigmoid`].
//!
//! **Layers re-exported from burn**
//! - [`Linear`], [`LinearConfig`] (dense), [`Conv2d`], [`Conv2dConfig`],
//!   [`PaddingConfig2d`], [`MaxPool2d`], [`MaxPool2dConfig`], [`AvgPool2d`],
//!   [`AvgPool2dConfig`], [`Dropout`], [`DropoutConfig`], [`Initializer`].
//!
//! **Recurrent** (batch-first `[batch, seq_len, features]`, like burn)
//! - [`SimpleRnn`], [`SimpleRnnConfig`]: Elman's `h_t = tanh(W h_{t−1} + U x_t + b)`, one
//!   bias vector, `h·(h + x + 1)` parameters (burn's `Rnn` has two bias vectors).
//! - Re-exported from burn, documented gate by gate: [`Lstm`], [`LstmConfig`],
//!   [`LstmState`] (`4·(h·(h + x) + 2h)` parameters), [`Gru`], [`GruConfig`]
//!   (`3·(h·(h + x) + 2h)`, PyTorch's reset-after variant by default).
//! - [`Recurrent`]: a layer mapping a sequence to all its hidden states.
//! - [`Bidirectional`]: any [`Recurrent`] layer run forwards and backwards,
//!   `[batch, seq_len, 2·hidden]` (burn's `BiLstm`/`BiGru` for any layer).
//!
//! **Model summary**
//! - [`Summary`], [`Summarize`], [`LayerStats`]: a Keras-style table with output shapes,
//!   neurons, trainable parameters and connections, computed from the formulas
//!   (conv params = `k_h·k_w·c_in·c_out + c_out`; connections =
//!   `(k_h·k_w·c_in + 1)·c_out·h_out·w_out`).
#![warn(missing_docs)]

mod flatten;
mod partial_conv;
mod recurrent;
mod scaled_tanh;
mod subsampling;
mod summary;

pub use burn::module::Initializer;
pub use burn::nn::conv::{Conv2d, Conv2dConfig};
pub use burn::nn::pool::{AvgPool2d, AvgPool2dConfig, MaxPool2d, MaxPool2dConfig};
pub use burn::nn::{
    Dropout, DropoutConfig, Linear, LinearConfig, PaddingConfig2d, Relu, Sigmoid, Tanh,
};
pub use flatten::Flatten;
pub use partial_conv::{PartialConv2d, PartialConv2dConfig};
pub use recurrent::{
    Bidirectional, Gru, GruConfig, Lstm, LstmConfig, LstmState, Recurrent, SimpleRnn,
    SimpleRnnConfig,
};
pub use scaled_tanh::{ScaledTanh, ScaledTanhConfig};
pub use subsampling::{Subsampling2d, Subsampling2dConfig};
pub use summary::{LayerStats, Summarize, Summary};
