//! # ember-models: the curriculum's networks as burn modules
//!
//! Contents:
//!
//! **Convolutional networks**
//! - [`LeNet5`], [`LeNet5Config`], [`LeNetVariant`]: LeNet-5 (LeCun et al. 1998), in a
//!   `modern` form ([`LeNet5Modern`]: ReLU, max-pooling) and the `classic` paper form
//!   ([`LeNet5Classic`]: scaled tanh, trainable sub-sampling, C3's connection table),
//!   each with a [`summary`](LeNet5::summary) table; the modern form takes any
//!   [`ActivationKind`](ember_layers::ActivationKind), batch norm and dropout, both forms
//!   an [`InitScheme`](ember_layers::InitScheme) ([`LeNet5Config`]).
//! - [`AlexNet`], [`AlexNetConfig`], [`AlexNetVariant`]: AlexNet (Krizhevsky et al. 2012) as
//!   the paper has it (LRN, conv2/4/5 in two groups, 227×227), as torchvision ships it
//!   (weights load under PyTorch's names, [`AlexNet::PYTORCH_KEYS`]), and `small` for 28×28
//!   and 32×32 images; [`AlexNet::freeze_features`] for fine-tuning the head only; any
//!   activation, batch norm and initialisation scheme ([`AlexNetConfig`]).
//! - [`Hidden`]: what follows a hidden layer in both: optional batch norm, then the
//!   activation.
//! - Weights in and out: [`AlexNet::load_weights`] reads a run's `model.bpk` or a PyTorch
//!   state_dict (`.pt`/`.pth` through burn-store's `PytorchStore`, or `.safetensors`);
//!   [`AlexNet::load_weights_except_head`] leaves fc8 out (weights of other classes);
//!   [`AlexNet::save_pytorch_safetensors`] writes torchvision's names and layouts. A test
//!   checks PyTorch's own logits to 1e-4 (fixture: `scripts/pytorch/make_alexnet_fixture.py`).
//!
//! **Recurrent networks**
//! - [`LstmClassifier`], [`LstmClassifierConfig`], [`SequencePooling`]: a text classifier,
//!   embedding (optionally pretrained, optionally frozen) → 1–N layers of Ember's
//!   [`FusedLstm`](ember_layers::FusedLstm), uni- or bidirectional → `last`/`mean`/`max`
//!   pooling that ignores the padding exactly → dropout → dense head, on right-padded
//!   `(tokens, lengths)` batches; PyTorch key mapping documented; a
//!   [`summary`](LstmClassifier::summary) with the LSTM parameter formula.
//!
//! **Fuzzing**
//! - [`fuzzing`]: the entry the fuzzer (`fuzz/`, `FUZZING.md`) drives for the PyTorch weight
//!   files AlexNet's `load_weights` reads (`safetensors`, `pytorch-pt`).
//!
//! **Errors**
//! - [`ModelError`]: an unknown variant name (with the accepted ones), a bad configuration,
//!   embedding vectors of the wrong shape, token ids outside the vocabulary, LSTM input
//!   errors.
//!
//! With the default feature `train`, every model implements `ember_train::Classifier`, so
//! `ember_train::Training::run` can train it (and knows its class count and layer table).
#![warn(missing_docs)]

mod alexnet;
mod error;
pub mod fuzzing;
mod hidden;
mod lenet5;
mod lstm_classifier;

pub use alexnet::{AlexNet, AlexNetConfig, AlexNetVariant};
pub use error::ModelError;
pub use hidden::Hidden;
pub use lenet5::{LeNet5, LeNet5Classic, LeNet5Config, LeNet5Modern, LeNetVariant};
pub use lstm_classifier::{LstmClassifier, LstmClassifierConfig, SequencePooling};

/// What a convolutional network's forward pass hands each convolution's activations to, as
/// they pass: `(layer, activations)`; the `Classifier::feature_maps` of LeNet-5 and AlexNet
/// collect them this way instead of repeating their forward code.
pub(crate) type Tap<'a> = dyn FnMut(&str, &burn::prelude::Tensor<4>) + 'a;
