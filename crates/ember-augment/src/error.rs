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
    /// A step cannot take images of this shape (what [`Pipeline::output_dims`] reports before
    /// [`Pipeline::apply`] would panic).
    ///
    /// [`Pipeline::output_dims`]: crate::Pipeline::output_dims
    /// [`Pipeline::apply`]: crate::Pipeline::apply
    #[error("{transform} cannot take images of shape {input:?} [N, C, H, W]: {requirement}")]
    Shape {
        /// The step, as named in the JSON `type` field (e.g. `normalize`).
        transform: &'static str,
        /// The shape the step was given, `[N, C, H, W]`.
        input: [usize; 4],
        /// What the step needs, phrased with the fix.
        requirement: String,
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

/// The largest image side a transform makes (resize, crops) and the largest padding: ten
/// times AlexNet's 227. An image of 2,048 × 2,048 × 3 floats is 50 MB; sides beyond it are
/// refused as mistakes before any memory is taken.
pub const MAX_SIDE: usize = 2048;

/// Fails unless both sides of `size` lie in `1..=MAX_SIDE`.
pub(crate) fn check_size(transform: &'static str, size: [usize; 2]) -> Result<(), AugmentError> {
    let ok = size.iter().all(|&s| (1..=MAX_SIDE).contains(&s));
    check(
        transform,
        "size",
        size,
        ok,
        "both sides must be in 1..=2048 (MAX_SIDE)",
    )
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

/// Fails unless `ok`, reporting that `transform` cannot take `input` because of `requirement`.
pub(crate) fn check_shape(
    transform: &'static str,
    input: [usize; 4],
    ok: bool,
    requirement: impl FnOnce() -> String,
) -> Result<(), AugmentError> {
    if ok {
        Ok(())
    } else {
        Err(AugmentError::Shape {
            transform,
            input,
            requirement: requirement(),
        })
    }
}

/// Fails unless the images have at least one pixel: the bilinear sampler indexes `h − 1`
/// and `w − 1`.
pub(crate) fn check_pixels(transform: &'static str, input: [usize; 4]) -> Result<(), AugmentError> {
    let [_, _, h, w] = input;
    check_shape(transform, input, h > 0 && w > 0, || {
        "needs images of at least 1×1 pixel".to_string()
    })
}

/// Panics with the error's message: transforms built in code are checked when applied.
#[track_caller]
pub(crate) fn expect_valid(result: Result<(), AugmentError>) {
    if let Err(e) = result {
        panic!("{e}");
    }
}
