//! Why a training run failed.

use std::path::PathBuf;
use std::sync::Arc;

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
    /// A configuration value is out of range.
    #[error("invalid configuration: {field} = {value} must be {allowed}")]
    Config {
        /// The [`FitConfig`](crate::FitConfig) field.
        field: &'static str,
        /// The value given.
        value: String,
        /// The accepted range.
        allowed: &'static str,
    },
    /// The learning-rate schedule does not fit the run (e.g. a warm-up longer than it).
    #[error("schedule {schedule}: {reason}")]
    Schedule {
        /// The schedule's name.
        schedule: String,
        /// ember-optim's reason, with the fix.
        reason: String,
    },
    /// A split holds no example.
    #[error("the {split} split is empty: a run needs at least one {split} example")]
    EmptySplit {
        /// `train`, `valid` or `test`.
        split: &'static str,
    },
    /// The model's outputs do not match the dataset's classes.
    #[error(
        "the model gives {outputs} logits per example but the data has {classes} classes; \
         build the model with {classes} outputs"
    )]
    ClassCount {
        /// Logits per example.
        outputs: usize,
        /// Class names the data carries.
        classes: usize,
    },
    /// A dataset failed to yield a batch.
    #[error("the {split} data failed to load: {message}")]
    Data {
        /// The split being read.
        split: &'static str,
        /// burn's dataset error.
        message: String,
    },
    /// The training loss became NaN, infinite or 10,000 times its first value; the run
    /// stopped at that batch.
    #[error(
        "the training loss became {loss} at epoch {epoch}, batch {batch}: training stopped \
         there. Lower the learning rate (it was {lr}), clip the gradients (--clip-norm), add a \
         warm-up to the schedule, or look for extreme values in the data; checkpoints of \
         earlier epochs are kept"
    )]
    Diverged {
        /// The epoch, from 1.
        epoch: usize,
        /// The batch of that epoch, from 1.
        batch: usize,
        /// The loss (NaN, infinite or exploded).
        loss: f64,
        /// The run's initial learning rate.
        lr: f64,
    },
    /// The disk of the run folder has too little room for what the run will write.
    #[error(
        "{path}: the run needs about {} MB free for its weights and checkpoints, the disk has \
         {} MB: free some space, give another --out, or train without checkpoints \
         (--no-checkpoints, FitConfig::with_checkpoints(false))",
        needed.div_ceil(1_000_000),
        available / 1_000_000
    )]
    DiskSpace {
        /// The run folder.
        path: PathBuf,
        /// Bytes the run may need at once.
        needed: u64,
        /// Bytes free there.
        available: u64,
    },
    /// The run was asked to stop ([`Training::interrupter`](crate::Training::interrupter),
    /// e.g. by Ctrl-C) and stopped at the end of a training batch.
    #[error("training stopped at epoch {epoch}, batch {batch} ({reason}); {kept}")]
    Interrupted {
        /// The epoch it stopped in, from 1.
        epoch: usize,
        /// The last batch it trained on in that epoch, from 1.
        batch: usize,
        /// Why (the reason given to the interrupter).
        reason: String,
        /// What it kept, where a [`Training::resume`](crate::Training::resume) carries on.
        kept: Kept,
    },
    /// A learning-rate range test was asked to sweep an empty range.
    #[error(
        "the learning-rate range {start} to {end} is empty: give an end above the start \
         (e.g. from 1e-7 to 10)"
    )]
    LrRange {
        /// The first step's learning rate.
        start: f64,
        /// The last step's learning rate.
        end: f64,
    },
    /// burn-train stopped with an error.
    #[error("training failed: {source}")]
    Training {
        /// burn-train's error.
        source: Arc<burn::train::TrainingError>,
    },
    /// A search's space, plan or trials are not what a search needs.
    #[error("search: `{part}`: {message}")]
    Search {
        /// The part of the specification, plan or folder at fault.
        part: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Filters or feature maps were asked of a model without convolutions.
    #[error(
        "{model} has no convolution layer (no [out, in, kh, kw] weight), so it has no {wanted} \
         to show: filters and feature maps are pictures of convolutional networks such as \
         LeNet-5 and AlexNet (gradient norms work for any model)"
    )]
    NoConvolution {
        /// The model's type.
        model: String,
        /// `filters` or `feature maps`.
        wanted: &'static str,
    },
    /// A convolutional model that does not expose its feature maps.
    #[error(
        "{model} reports no feature maps: implement `Classifier::feature_maps` for it (run the \
         forward pass once and keep each convolution's activations, as LeNet-5 and AlexNet do)"
    )]
    NoFeatureMaps {
        /// The model's type.
        model: String,
    },
    /// An input of another shape than the model takes.
    #[error("the input is {found:?} but the model takes {expected:?}: {fix}")]
    InputShape {
        /// What the model takes, e.g. `[1, 1, 32, 32]`.
        expected: Vec<usize>,
        /// What it was given.
        found: Vec<usize>,
        /// How to get the expected shape.
        fix: String,
    },
    /// A picture (curves, confusion matrix) could not be drawn.
    #[error("{path}: cannot draw: {message}")]
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

    pub(crate) fn search(part: impl Into<String>, message: impl Into<String>) -> Self {
        TrainError::Search {
            part: part.into(),
            message: message.into(),
        }
    }

    pub(crate) fn plot(path: &std::path::Path, message: impl std::fmt::Display) -> Self {
        TrainError::Plot {
            path: path.to_path_buf(),
            message: message.to_string(),
        }
    }
}

/// What a stopped run kept for [`Training::resume`](crate::Training::resume): where the
/// resumed run carries on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Nothing (no checkpoints, or none written yet): a resume trains from the start.
    Nothing,
    /// The checkpoint at the end of this epoch: a resume trains on from the next.
    Epoch(usize),
    /// The state after `batch` training batches of `epoch`: a resume trains on from the
    /// next batch (or validates the epoch, when they were all of its batches).
    Batch {
        /// The epoch, from 1.
        epoch: usize,
        /// Training batches of it done.
        batch: usize,
    },
}

impl std::fmt::Display for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Kept::Nothing => write!(
                f,
                "no epoch has finished with a checkpoint: a resume trains from the start"
            ),
            Kept::Epoch(n) => write!(
                f,
                "the checkpoint of epoch {n} is kept: a resume trains on from epoch {}",
                n + 1
            ),
            Kept::Batch { epoch, batch } => write!(
                f,
                "the state after batch {batch} of epoch {epoch} is kept: a resume carries on \
                 from there"
            ),
        }
    }
}
