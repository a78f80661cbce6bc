//! What can go wrong when a model is chosen by name or configured.

use thiserror::Error;

/// Why a model could not be chosen or built. Each message names the value and the fix.
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
    /// A configuration value the model cannot be built with.
    #[error("{model}: {field} = {value} is not possible; use {allowed}")]
    Config {
        /// The model, e.g. `AlexNet`.
        model: &'static str,
        /// The configuration field.
        field: &'static str,
        /// The value given.
        value: String,
        /// What is accepted.
        allowed: String,
    },
}
