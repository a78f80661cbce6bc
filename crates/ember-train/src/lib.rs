//! # ember-train: train and evaluate classifiers with burn-train
//!
//! Contents:
//!
//! **The model side**
//! - [`Classifier`]: the trait a model implements to be trained (input → logits);
//!   Ember's models implement it next to their definitions, yours can too.
//! - [`Trainable`]: the adapter burn-train's `Learner` drives (loss, metrics).
//! - [`BatchTransform`]: a function applied to training inputs only (augmentation).
//! - [`Labelled`]: a batch as loaders yield it, `(inputs, targets)`.
//!
//! **The run**
//! - [`fit`], [`FitConfig`], [`Fitted`]: one supervised run through burn-train's
//!   `SupervisedTraining` with progress output (bar on a terminal, lines otherwise), the
//!   learning-rate schedule an [`ember_optim::ScheduleKind`] names.
//! - [`StoppedEarly`]: when early stopping (patience on the validation loss, with
//!   [`ember_optim::EarlyStopping`]) ended a run.
//! - [`Training`]: the same run with your own loss ([`ember_losses::Loss`]), your own
//!   optimizer (any burn `ModuleOptimizer`) or a training-batch transform.
//! - [`EpochMetrics`]: per-epoch loss, accuracy and seconds.
//! - [`evaluate`], [`Evaluation`]: loss and accuracy over a dataset.
//!
//! **The run folder**
//! - [`RunDir`], [`files`]: `config.json`, `metrics.csv`, `curves.png`, `summary.txt`,
//!   `model.bpk`, written atomically.
//! - [`plot_curves`]: loss and accuracy curves as a PNG.
//!
//! **Errors**
//! - [`TrainError`].
#![warn(missing_docs)]

mod classifier;
mod curves;
mod early_stop;
mod error;
mod evaluate;
mod fit;
mod progress;
mod run_dir;

pub use classifier::{BatchTransform, Classifier, Labelled, Trainable};
pub use curves::plot_curves;
pub use early_stop::StoppedEarly;
pub use error::TrainError;
pub use evaluate::{evaluate, Evaluation};
pub use fit::{fit, FitConfig, Fitted, Training};
pub use progress::EpochMetrics;
pub use run_dir::{files, RunDir};
