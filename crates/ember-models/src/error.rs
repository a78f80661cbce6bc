//! What can go wrong when a model is chosen by name.

use thiserror::Error;

/// Why a model could not be chosen. Each message names the value and the fix.
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
}
