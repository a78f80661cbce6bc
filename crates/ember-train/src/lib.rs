//! # ember-train: one way through a training run, for any classifier and any data
//!
//! ```text
//! RunData (train/valid/test datasets, their batchers, class names)
//!   -> Training::run(model, data, record, out)
//!        check config + data -> fit with burn-train -> test -> run folder
//! ```
//!
//! A whole run, with a model and data of your own (points above or below a line):
//!
//! ```
//! use burn::data::dataloader::batcher::Batcher;
//! use burn::data::dataset::InMemDataset;
//! use burn::nn::{Linear, LinearConfig};
//! use burn::prelude::*;
//! use ember_train::{Classifier, FitConfig, Labelled, RunData, RunRecord, Training};
//!
//! #[derive(Module, Debug)]
//! struct Line { linear: Linear }
//!
//! impl Classifier for Line {
//!     type Input = Tensor<2>;
//!     fn logits(&self, points: Tensor<2>) -> Tensor<2> { self.linear.forward(points) }
//! }
//!
//! /// `(x, y)` points, labelled 1 above the line y = x.
//! #[derive(Clone)]
//! struct Points;
//! impl Batcher<[f32; 2], Labelled<Tensor<2>>> for Points {
//!     fn batch(&self, items: Vec<[f32; 2]>, device: &Device) -> Labelled<Tensor<2>> {
//!         let labels: Vec<i64> = items.iter().map(|[x, y]| i64::from(y > x)).collect();
//!         let flat: Vec<f32> = items.iter().flatten().copied().collect();
//!         let points = Tensor::from_data(TensorData::new(flat, [items.len(), 2]), device);
//!         (points, Tensor::from_data(TensorData::new(labels, [items.len()]), device))
//!     }
//! }
//!
//! let grid = |offset: f32| -> Vec<[f32; 2]> {
//!     (0..64).map(|i| [(i % 8) as f32 / 4.0 - 1.0 + offset, (i / 8) as f32 / 4.0 - 1.0]).collect()
//! };
//! let classes = vec!["below".to_string(), "above".to_string()];
//! let data = RunData::new(
//!     InMemDataset::new(grid(0.0)),
//!     InMemDataset::new(grid(0.05)),
//!     InMemDataset::new(grid(0.1)),
//!     Points,
//!     classes,
//! );
//! let device = Device::flex();
//! device.seed(0);
//! let model = Line { linear: LinearConfig::new(2, 2).init(&device) };
//! let config = FitConfig::new().with_epochs(20).with_batch_size(16).with_lr(0.05).with_checkpoints(false);
//! let out = tempfile::tempdir()?;
//! let report = Training::new(config.clone()).run(model, data, RunRecord::new(config), out.path().join("run"))?;
//! assert!(report.test.accuracy > 80.0, "{}", report.test.accuracy);
//! assert!(out.path().join("run/confusion.png").is_file());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Contents:
//!
//! **The model side**
//! - [`Classifier`]: the trait a model implements to be trained (input → logits, and a
//!   summary; optionally its input shape and its convolutions' feature maps); Ember's models
//!   implement it next to their definitions, yours can too.
//! - [`Trainable`]: the adapter burn-train's `Learner` drives (loss, metrics).
//! - [`Labelled`]: a batch as loaders yield it, `(inputs, targets)`.
//!
//! **The run**
//! - [`FitConfig`]: epochs, batch size, learning rate, schedule, optimizer, weight decay,
//!   L1 penalty, gradient clipping, loss ([`ember_losses::LossKind`]), seed, checkpoints,
//!   early stopping; burn `Config` with documented defaults, validated once.
//! - [`RunData`]: the three splits with their batchers (the training split may have its
//!   own, e.g. with augmentation) and the class names.
//! - [`Training`]: the run with your own loss ([`ember_losses::Loss`]) or optimizer (any
//!   burn `ModuleOptimizer`); [`Training::run`] trains, tests and writes the run folder,
//!   [`Training::fit`] only trains.
//! - [`RunReport`], [`Fitted`]: what they return; [`EpochMetrics`]: per-epoch loss,
//!   accuracy and seconds, recorded by a burn-train metric logger (the progress renderer
//!   only displays).
//! - [`StoppedEarly`]: when early stopping (patience on the validation loss, with
//!   [`ember_optim::EarlyStopping`]) ended a run.
//!
//! **Runs that survive**
//! - [`Training::resume`]: carries on a run whose process stopped (Ctrl-C, a kill, a crash)
//!   from its latest checkpoint — weights, optimizer state, schedule, epoch and batch, the
//!   metrics so far, early stopping — and ends with the metrics and weights the
//!   uninterrupted run would have, bit for bit. Checkpoints are written atomically.
//! - [`Training::interrupter`], [`Training::stop_on_signals`]: stop at the end of the
//!   current batch and keep a checkpoint of it, from which a resume carries on with the next
//!   batch ([`TrainError::Interrupted`] says what was [`Kept`]).
//! - [`step_seed`], [`RunData::reseed_each_epoch`], [`epoch_seed`]: every training batch
//!   reseeds the device (dropout) from the seed, the epoch and the batch; every epoch from
//!   the second reseeds the data's generators (augmentation) from the seed and the epoch; so
//!   a batch draws the same whether or not the run was resumed before it.
//! - Before it starts, a run checks that its disk has room for its weights and checkpoints
//!   ([`TrainError::DiskSpace`]).
//!
//! **Finding a learning rate**
//! - [`Training::lr_find`] with an [`LrFindConfig`]: the learning-rate range test (Smith 2015,
//!   fastai's `lr_find`): from the fresh model, one step per batch at a learning rate growing
//!   exponentially, until the smoothed loss diverges.
//! - [`LrFinding`] ([`LrPoint`], [`LrStop`]): each step's loss and smoothed loss, the
//!   suggested learning rate (the lower of the steepest descent and the minimum's tenth),
//!   the CSV and the plot ([`LR_FIND_CSV`], [`LR_FIND_PLOT`]).
//!
//! **Scores**
//! - [`evaluate`], [`Evaluation`]: loss, accuracy, per-class scores and the confusion
//!   matrix over a dataset.
//! - [`ConfusionMatrix`], [`ClassReport`], [`ClassScore`], [`Averages`]: counts, precision,
//!   recall and F1 per class, macro and weighted averages.
//!
//! **The run folder**
//! - [`RunDir`], [`files`]: `config.json`, `summary.txt`, `metrics.csv`, `curves.png`,
//!   `model.bpk` (with its SHA-256, checked on loading), `test.json`, `confusion.csv`,
//!   `confusion.png`, written atomically.
//! - [`RunRecord`]: `config.json`, a record of the run readable without Ember.
//! - [`plot_curves`], [`plot_confusion`]: the two pictures.
//!
//! **Comparing backends**
//! - [`compare_backends`] on a [`Workload`] (a model and its batches) over [`Contender`]s:
//!   a [`Comparison`] of [`BackendRow`]s — warm-up, forward and training-step [`Stats`],
//!   items/s, memory and [`Parity`] against a reference backend; printed as a table.
//! - [`Training::epoch_speed`]: one whole epoch of a run on one backend, three ways on the
//!   same data ([`EpochSpeed`]): the training loader alone, a minimal burn loop, and the
//!   run's own epoch; an [`EpochComparison`] of backends (and another framework's row).
//! - [`RunData::with_epoch_order`], [`EpochOrder`]: the training items in an order of your
//!   own each epoch (e.g. batches of similar text lengths).
//!
//! **Searching settings**
//! - [`SearchSpace`] ([`Param`], [`Distribution`]): `lr=log(1e-4,1e-1);batch-size=32,64`,
//!   as a grid or random draws ([`Assignment`]s).
//! - [`SearchPlan`] ([`Trial`], [`Metric`]): every trial's settings and seed, fixed in
//!   `plan.json` so trials run anywhere, in any order, and resume.
//! - [`TrialResult`]: a finished trial's score (the mean over its folds, [`mean_std`]).
//! - [`SearchReport`]: `trials.csv`, `results.md`, a plot per setting and `best.toml`.
//! - [`RunComparison`] ([`ComparedRun`]): finished runs' curves on shared axes, labelled by
//!   the settings that differ between them, and a table of their final metrics.
//!
//! **Looking inside a model**
//! - [`ConvKernels`]: every rank-4 weight of a model by its module path (`c1.weight`);
//!   [`filter_pictures`]: the first convolution's filters as RGB or grey images, the deeper
//!   ones' kernels per (output, input) channel, at most [`CHANNEL_LIMIT`] of each.
//! - [`FeatureMaps`] ([`LayerMaps`]): each convolution's activations for one image, through
//!   [`Classifier::feature_maps`], one grid of maps per layer.
//! - [`Training::gradient_norms`], [`GradientNorms`]: `‖∂L/∂W‖₂` of every weight over a run's
//!   first steps, replayed from its initial weights (CSV and a log-scale plot,
//!   [`gradient_files`]).
//! - [`Picture`], [`Grid`], [`grey_levels`]: the tiled images they draw ([`KERNEL_TILE`],
//!   [`MAP_TILE`], [`GAP_COLOUR`], [`GRADIENT_PLOT_SIZE`]).
//!
//! **Errors**
//! - [`TrainError`].
#![warn(missing_docs)]

mod classifier;
mod compare;
mod compare_runs;
mod config;
mod confusion;
mod confusion_plot;
mod curves;
mod data;
mod early_stop;
mod epoch_log;
mod epoch_speed;
mod error;
mod evaluate;
mod fit;
pub mod fuzzing;
mod lr_find;
mod ordered;
mod progress;
mod record;
mod resume;
mod run;
mod run_dir;
mod search;
mod signals;
mod strategy;
mod visualize;

pub use classifier::{Classifier, Labelled, Trainable};
pub use compare::{
    compare_backends, flat_params, max_abs_diff, BackendRow, CompareSettings, Comparison,
    Contender, MakeBatch, Parity, Stats, Workload,
};
pub use compare_runs::{ComparedRun, RunComparison};
pub use config::FitConfig;
pub use confusion::{Averages, ClassReport, ClassScore, ConfusionMatrix};
pub use confusion_plot::plot_confusion;
pub use curves::plot_curves;
pub use data::RunData;
pub use early_stop::StoppedEarly;
pub use epoch_log::EpochMetrics;
pub use epoch_speed::{EpochComparison, EpochSpeed};
pub use error::{Kept, TrainError};
pub use evaluate::{evaluate, Evaluation};
pub use fit::{Fitted, Training};
pub use lr_find::{LrFindConfig, LrFinding, LrPoint, LrStop, LR_FIND_CSV, LR_FIND_PLOT};
pub use ordered::EpochOrder;
pub use record::RunRecord;
pub use resume::{epoch_seed, step_seed};
pub use run::RunReport;
pub use run_dir::{files, RunDir};
pub use search::{
    mean_std, Assignment, Distribution, Metric, Param, SearchPlan, SearchReport, SearchSpace,
    Trial, TrialResult, PLAN_FILE, RESULT_FILE,
};
pub use visualize::{
    filter_pictures, gradient_files, grey_levels, ConvKernels, FeatureMaps, GradientNorms, Grid,
    LayerMaps, Picture, CHANNEL_LIMIT, GAP_COLOUR, GRADIENT_PLOT_SIZE, KERNEL_TILE, MAP_TILE,
};
