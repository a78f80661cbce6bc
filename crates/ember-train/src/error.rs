//! Why a training run failed.

use std::path::PathBuf;

/// Why a training run, an evaluation or a run folder operation failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A file of the run folder could not be written or read.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Model weights could not be saved or loaded.
    #[error("{path}: model weights: {message}")]
    Weights {
        /// The weights file.
        path: PathBuf,
        /// burn's message.
        message: String,
    },
    /// A file of the run folder does not hold what it should.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// burn-train stopped with an error.
    #[error("training failed: {0}")]
    Training(String),
    /// A configuration value is out of range.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The curves could not be drawn.
    #[error("{path}: cannot draw the curves: {message}")]
    Plot {
        /// The image file.
        path: PathBuf,
        /// The plotting library's message.
        message: String,
    },
}

impl TrainError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        TrainError::Io {
            path: path.into(),
            source,
        }
    }
}
