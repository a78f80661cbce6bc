//! # ember-models: the curriculum's networks as burn modules
//!
//! Contents:
//!
//! **Convolutional networks**
//! - [`LeNet5`], [`LeNet5Config`], [`LeNetVariant`]: LeNet-5 (LeCun et al. 1998), in a
//!   `modern` form ([`LeNet5Modern`]: ReLU, max-pooling) and the `classic` paper form
//!   ([`LeNet5Classic`]: scaled tanh, trainable sub-sampling, C3's connection table),
//!   each with a [`summary`](LeNet5::summary) table.
//!
//! **Recurrent networks**
//! - [`LstmClassifier`], [`LstmClassifierConfig`], [`SequencePooling`]: a text classifier,
//!   embedding (optionally pretrained, optionally frozen) → 1–N layers of Ember's
//!   [`FusedLstm`](ember_layers::FusedLstm), uni- or bidirectional → `last`/`mean`/`max`
//!   pooling that ignores the padding exactly → dropout → dense head, on right-padded
//!   `(tokens, lengths)` batches; PyTorch key mapping documented; a
//!   [`summary`](LstmClassifier::summary) with the LSTM parameter formula.
//!
//! **Errors**
//! - [`ModelError`]: an unknown variant name (with the accepted ones), a bad configuration,
//!   embedding vectors of the wrong shape, token ids outside the vocabulary, LSTM input
//!   errors.
//!
//! With the default feature `train`, every model implements `ember_train::Classifier`, so
//! `ember_train::Training::run` can train it (and knows its class count and layer table).
#![warn(missing_docs)]

mod error;
mod lenet5;
mod lstm_classifier;

pub use error::ModelError;
pub use lenet5::{LeNet5, LeNet5Classic, LeNet5Config, LeNet5Modern, LeNetVariant};
pub use lstm_classifier::{LstmClassifier, LstmClassifierConfig, SequencePooling};
