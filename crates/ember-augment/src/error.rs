//! What can go wrong when a pipeline is built from a name, a file or a configuration.

use std::path::PathBuf;

use thiserror::Error;

/// Why a pipeline or transform could not be built.
#[derive(Debug, Error)]
pub enum AugmentError {
    /// A parameter lies outside the range the transform accepts.
    #[error("{transform}.{field} = {value}: {allowed}")]
    OutOfRange {
        /// The transform, as named in the JSON `type` field (e.g. `rotation`).
        transform: &'static str,
        /// The offending field (e.g. `degrees`).
        field: &'static str,
        /// The value given, formatted.
        value: String,
        /// What is accepted, phrased as the fix (e.g. `must lie in [0, 1]`).
        allowed: &'static str,
    },
    /// `--augment NAME` named no preset and no existing file.
    #[error("unknown augmentation preset `{name}`: use one of {known} or the path of a JSON file")]
    UnknownPreset {
        /// The name given.
        name: String,
        /// The preset names, comma-separated.
        known: String,
    },
    /// The JSON text does not describe a pipeline.
    #[error("invalid augmentation config {origin}: {source}")]
    Json {
        /// Where the text came from (a path, or `<string>`).
        origin: String,
        /// serde_json's message, with line and column and the field at fault.
        source: serde_json::Error,
    },
    /// The configuration file could not be read.
    #[error("cannot read augmentation config {path}: {source}")]
    Io {
        /// The path given.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// Fails unless `p` is a probability.
pub(crate) fn check_probability(transform: &'static str, p: f32) -> Result<(), AugmentError> {
    check(
        transform,
        "p",
        p,
        (0.0..=1.0).contains(&p),
        "must lie in [0, 1]",
    )
}

/// Fails unless `ok`, reporting `value` of `transform.field` with the rule `allowed`.
pub(crate) fn check(
    transform: &'static str,
    field: &'static str,
    value: impl std::fmt::Debug,
    ok: bool,
    allowed: &'static str,
) -> Result<(), AugmentError> {
    if ok {
        Ok(())
    } else {
        Err(AugmentError::OutOfRange {
            transform,
            field,
            value: format!("{value:?}"),
            allowed,
        })
    }
}

/// Fails unless `range` is `[low, high]` with `min ≤ low ≤ high ≤ max`.
pub(crate) fn check_range(
    transform: &'static str,
    field: &'static str,
    range: [f32; 2],
    min: f32,
    max: f32,
    allowed: &'static str,
) -> Result<(), AugmentError> {
    let [low, high] = range;
    let ok = min <= low && low <= high && high <= max;
    check(transform, field, range, ok, allowed)
}

/// Panics with the error's message: transforms built in code are checked when applied.
#[track_caller]
pub(crate) fn expect_valid(result: Result<(), AugmentError>) {
    if let Err(e) = result {
        panic!("{e}");
    }
}
