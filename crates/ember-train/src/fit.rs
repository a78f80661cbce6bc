//! One supervised training run with burn-train.

use std::path::Path;
use std::sync::{Arc, Mutex};

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataloader::DataLoaderBuilder;
use burn::data::dataset::Dataset;
use burn::train::metric::{AccuracyMetric, LossMetric};
use burn::train::{Learner, SupervisedTraining};

use burn::optim::ModuleOptimizer;
use ember_losses::{CrossEntropyLossConfig, Loss};
use ember_optim::{OptimizerKind, ScheduleKind};

use crate::classifier::{BatchTransform, Classifier, Labelled, Trainable};
use crate::early_stop::{StoppedEarly, ValidLossStop};
use crate::progress::{EpochMetrics, ProgressRenderer};
use crate::TrainError;

/// Everything [`fit`] needs besides the model and the data.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FitConfig {
    /// Passes over the training set.
    pub epochs: usize,
    /// Examples per optimizer step.
    pub batch_size: usize,
    /// Initial learning rate `η_0`.
    pub lr: f64,
    /// How `η` evolves (parameters in epochs; stepped every iteration).
    pub schedule: ScheduleKind,
    /// The optimizer.
    pub optimizer: OptimizerKind,
    /// L2 weight decay `λ` added to every gradient, if any.
    pub weight_decay: Option<f32>,
    /// Seed of the training-set shuffle (the model's initialisation is seeded by the device).
    pub seed: u64,
    /// Whether burn-train keeps checkpoints (model, optimizer, schedule) of the last epochs.
    pub checkpoints: bool,
    /// Stop when the validation loss has not improved for this many epochs (`None`: run
    /// every epoch).
    #[serde(default)]
    pub early_stopping: Option<usize>,
}

impl FitConfig {
    /// Checks the values a run cannot start with.
    ///
    /// # Errors
    /// [`TrainError::Config`] naming the value and its allowed range.
    pub fn validate(&self) -> Result<(), TrainError> {
        if self.epochs == 0 {
            return Err(TrainError::Config("epochs must be at least 1".into()));
        }
        if self.batch_size == 0 {
            return Err(TrainError::Config("batch size must be at least 1".into()));
        }
        if !(self.lr > 0.0 && self.lr <= 1.0) {
            return Err(TrainError::Config(format!(
                "learning rate {} must be in (0, 1]",
                self.lr
            )));
        }
        Ok(())
    }
}

/// The outcome of [`fit`]: the trained model (without autodiff) and each epoch's metrics.
#[derive(Debug)]
pub struct Fitted<M> {
    /// The model after the last epoch, ready for inference.
    pub model: M,
    /// Train/validation loss and accuracy, and duration, per epoch.
    pub epochs: Vec<EpochMetrics>,
    /// Set when [`FitConfig::early_stopping`] ended the run before its last epoch.
    pub stopped_early: Option<StoppedEarly>,
}

/// Trains `model` on `train`, validating on `valid` after every epoch, with the defaults
/// of [`Training`]: cross-entropy loss, the optimizer and schedule `config` names, no
/// augmentation. See [`Training::fit`].
///
/// # Errors
/// As [`Training::fit`].
pub fn fit<M, B, I, D, V>(
    model: M,
    batcher: B,
    train: D,
    valid: V,
    config: &FitConfig,
    artifacts: &Path,
) -> Result<Fitted<M>, TrainError>
where
    M: Classifier,
    B: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    I: Clone + Send + Sync + std::fmt::Debug + 'static,
    D: Dataset<I> + 'static,
    V: Dataset<I> + 'static,
{
    Training::new(config.clone()).fit(model, batcher, train, valid, artifacts)
}

/// A training run: a [`FitConfig`] plus the parts a user may bring: their own [`Loss`],
/// their own optimizer (any burn optimizer, e.g. a `SimpleOptimizer` of theirs wrapped in
/// a `ModuleOptimizer`) and a [`BatchTransform`] applied to training batches only.
///
/// ```ignore
/// let fitted = Training::new(config)
///     .loss(MyLoss)                       // instead of cross-entropy
///     .optimizer(MyOptimizer::new())      // instead of config.optimizer
///     .fit(model, batcher, train, valid, artifacts)?;
/// ```
pub struct Training<M: Classifier> {
    config: FitConfig,
    loss: Arc<dyn Loss>,
    optimizer: Option<ModuleOptimizer>,
    augment: Option<BatchTransform<M::Input>>,
}

impl<M: Classifier> Training<M> {
    /// A run as `config` describes it, minimising cross-entropy.
    pub fn new(config: FitConfig) -> Self {
        Training {
            config,
            loss: Arc::new(CrossEntropyLossConfig::new().init()),
            optimizer: None,
            augment: None,
        }
    }

    /// Minimise `loss` (logits and class indices in, a scalar out) instead of
    /// cross-entropy. The recorded validation loss is then this loss too.
    pub fn loss(mut self, loss: impl Loss + 'static) -> Self {
        self.loss = Arc::new(loss);
        self
    }

    /// Use `optimizer` instead of the one `config.optimizer` names (and its weight decay).
    pub fn optimizer(mut self, optimizer: impl Into<ModuleOptimizer>) -> Self {
        self.optimizer = Some(optimizer.into());
        self
    }

    /// Apply `transform` to the inputs of every training batch, on the training device,
    /// before the forward pass; validation batches are left alone.
    pub fn augment(mut self, transform: BatchTransform<M::Input>) -> Self {
        self.augment = Some(transform);
        self
    }

    /// Trains `model` on `train`, validating on `valid` after every epoch, with burn-train's
    /// `SupervisedTraining`: accuracy and loss metrics, progress on stdout (a bar on a
    /// terminal, lines otherwise). burn-train's logs and checkpoints go to `artifacts`.
    ///
    /// Training runs on the model's device (made autodiff: the model may be built on a
    /// plain or an autodiff device); batches are built there.
    ///
    /// # Errors
    /// [`TrainError::Config`] for an invalid configuration, [`TrainError::Training`] when
    /// burn-train reports an error.
    pub fn fit<B, I, D, V>(
        self,
        model: M,
        batcher: B,
        train: D,
        valid: V,
        artifacts: &Path,
    ) -> Result<Fitted<M>, TrainError>
    where
        B: Batcher<I, Labelled<M::Input>> + Clone + 'static,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        D: Dataset<I> + 'static,
        V: Dataset<I> + 'static,
    {
        let config = &self.config;
        config.validate()?;
        let per_epoch = train.len().div_ceil(config.batch_size);
        let train_loader = DataLoaderBuilder::new(batcher.clone())
            .batch_size(config.batch_size)
            .shuffle(config.seed)
            .build(train);
        let valid_batch = config.batch_size.max(256);
        let valid_loader = DataLoaderBuilder::new(batcher)
            .batch_size(valid_batch)
            .build(valid);
        let schedule = config
            .schedule
            .build(config.lr, per_epoch, per_epoch * config.epochs)
            .map_err(TrainError::Config)?;
        let optimizer = match self.optimizer {
            Some(optimizer) => optimizer,
            None => config.optimizer.init(config.weight_decay),
        };
        let epochs = Arc::new(Mutex::new(Vec::new()));
        // `train()` switches the parameters to autodiff with gradients on, whichever device
        // the model was built on; burn-train then forks it to the autodiff device.
        let trainable = Trainable::new(model.train(), self.loss, self.augment);
        let learner = Learner::new(trainable, optimizer, schedule);
        let mut training = SupervisedTraining::new(artifacts, train_loader, valid_loader)
            .metrics((AccuracyMetric::new(), LossMetric::new()))
            .num_epochs(config.epochs)
            .renderer(Box::new(ProgressRenderer::new(
                epochs.clone(),
                [config.batch_size, valid_batch],
            )));
        if config.checkpoints {
            training = training.with_default_checkpointers();
        }
        let stopped = Arc::new(Mutex::new(None));
        if let Some(patience) = config.early_stopping {
            training = training.early_stopping(ValidLossStop::new(patience, stopped.clone()));
        }
        let result = training.launch(learner);
        if let Some(error) = result.error {
            return Err(TrainError::Training(error.to_string()));
        }
        let epochs = epochs.lock().map(|e| e.clone()).unwrap_or_default();
        let stopped_early = stopped.lock().ok().and_then(|s| *s);
        if let Some(stopped) = stopped_early {
            println!("{stopped}");
        }
        Ok(Fitted {
            model: result.model.model,
            epochs,
            stopped_early,
        })
    }
}
