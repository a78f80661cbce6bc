//! What can go wrong when a model is chosen, built or fed.

use ember_layers::LstmError;
use thiserror::Error;

/// Why a model could not be chosen, built or run. Each message names the value and the
/// fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    /// The name is not a variant of the model.
    #[error("unknown {model} variant `{name}`; choose one of: {choices}")]
    UnknownVariant {
        /// The model, e.g. `LeNet-5`.
        model: &'static str,
        /// The name given.
        name: String,
        /// The accepted names, comma-separated.
        choices: String,
    },
    /// A configuration field has a value the model cannot be built with.
    #[error("model configuration: `{field}` {reason}")]
    Config {
        /// The field, e.g. `hidden_size`.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Pretrained embedding vectors of the wrong shape.
    #[error(
        "the embedding vectors are {got:?}, the model needs [vocab_size, embed_dim] = \
         {expected:?}; build the matrix for the same vocabulary and set embed_dim to the \
         vectors' width"
    )]
    EmbeddingShape {
        /// `[vocab_size, embed_dim]` of the configuration.
        expected: [usize; 2],
        /// The shape given.
        got: Vec<usize>,
    },
    /// Token ids are not a `[batch ≥ 1, max_len ≥ 1]` batch.
    #[error("token ids must be [batch ≥ 1, max_len ≥ 1], got {got:?}")]
    TokensShape {
        /// The shape given.
        got: Vec<usize>,
    },
    /// A token id outside the vocabulary.
    #[error(
        "token id {id} is outside the vocabulary 0..{vocab_size}; encode with the vocabulary \
         the model was built for (vocab_size = its length)"
    )]
    TokenOutOfRange {
        /// The offending id (the smallest or largest of the batch).
        id: i64,
        /// The model's vocabulary size.
        vocab_size: usize,
    },
    /// Weights could not be loaded from a file.
    #[error(
        "cannot load the weights in {path:?}: {reason}; the file must be the state_dict of a \
         model with the same sizes (see LstmClassifier's key table)"
    )]
    Weights {
        /// The file.
        path: std::path::PathBuf,
        /// What did not fit.
        reason: String,
    },
    /// The LSTM refused its input (shape or lengths).
    #[error(transparent)]
    Lstm(#[from] LstmError),
}
