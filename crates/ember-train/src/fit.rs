//! Training a classifier with burn-train: the [`Training`] builder and its `fit`.

use std::path::Path;
use std::sync::{Arc, Mutex};

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataloader::{DataLoader, DataLoaderBuilder};
use burn::module::Module;
use burn::optim::ModuleOptimizer;
use burn::prelude::Device;
use burn::train::metric::{AccuracyMetric, LossMetric};
use burn::train::{Interrupter, Learner, SupervisedTraining, TrainingStrategy};

use ember_losses::Loss;
use ember_optim::GradientClippingConfig;

use crate::classifier::{Classifier, Labelled, Trainable};
use crate::config::{valid_batch_size, Plan};
use crate::data::RunData;
use crate::early_stop::{StoppedEarly, ValidLossStop};
use crate::epoch_log::{Diverged, EpochHook, EpochLog, EpochMetrics};
use crate::ordered::OrderedLoader;
use crate::progress::ProgressRenderer;
use crate::resume::{self, EpochLoader, ResumePoint, CHECKPOINT_DIR, PARTIAL_DIR};
use crate::signals::SignalStop;
use crate::strategy::RunStrategy;
use crate::{FitConfig, Kept, TrainError};

/// The outcome of [`Training::fit`]: the trained model (without autodiff) and each
/// epoch's metrics.
#[derive(Debug)]
pub struct Fitted<M> {
    /// The model after the last epoch, ready for inference.
    pub model: M,
    /// Train/validation loss and accuracy, and duration, per epoch.
    pub epochs: Vec<EpochMetrics>,
    /// Set when [`FitConfig::early_stopping`] ended the run before its last epoch.
    pub stopped_early: Option<StoppedEarly>,
}

/// A training run: a [`FitConfig`] plus the parts a user may bring: their own [`Loss`]
/// and their own optimizer (any burn optimizer, e.g. a `SimpleOptimizer` of theirs wrapped
/// in a `ModuleOptimizer`). [`Training::run`] trains, tests and writes the run folder;
/// [`Training::fit`] only trains.
///
/// ```ignore
/// let report = Training::new(FitConfig::new().with_epochs(5))
///     .loss(MyLoss)                       // instead of cross-entropy
///     .optimizer(MyOptimizer::new())      // instead of config.optimizer
///     .run(model, data, record, "runs/mine")?;
/// ```
pub struct Training {
    pub(crate) config: FitConfig,
    pub(crate) loss: Option<Arc<dyn Loss>>,
    pub(crate) optimizer: Option<ModuleOptimizer>,
    pub(crate) attachments: Vec<(String, Vec<u8>)>,
    pub(crate) resume: bool,
    pub(crate) interrupter: Interrupter,
    pub(crate) signals: bool,
    pub(crate) on_epoch: Option<EpochHook>,
}

impl Training {
    /// A run as `config` describes it, minimising `config.loss` (cross-entropy by default).
    pub fn new(config: FitConfig) -> Self {
        Training {
            config,
            loss: None,
            optimizer: None,
            attachments: Vec::new(),
            resume: false,
            interrupter: Interrupter::new(),
            signals: false,
            on_epoch: None,
        }
    }

    /// [`Training::run`] continues the run already in its folder instead of starting a new
    /// one: from the latest epoch whose checkpoint is complete (or from the start when there
    /// is none), with its earlier epochs' metrics. Give it the configuration, model and data
    /// the run was started with (`config.json` records them): it then ends with the same
    /// metrics and weights, bit for bit, as the run would have without the interruption.
    pub fn resume(mut self) -> Self {
        self.resume = true;
        self
    }

    /// Ctrl-C (SIGINT) or SIGTERM while it trains stops the run at the end of the current
    /// batch, as its [`Training::interrupter`] does; a second one ends the process at once
    /// (exit code 130). On Unix; elsewhere the signals keep their default.
    pub fn stop_on_signals(mut self) -> Self {
        self.signals = true;
        self
    }

    /// A handle that stops the run at the end of the current training batch (e.g. from a
    /// Ctrl-C handler): [`Training::run`] then returns [`TrainError::Interrupted`], saying
    /// where it stopped and which epoch a [`Training::resume`] starts from.
    pub fn interrupter(&self) -> Interrupter {
        self.interrupter.clone()
    }

    /// Writes `bytes` as the file `name` of the run folder, beside `config.json`, before
    /// training starts: what a recipe needs besides the weights to use the model again
    /// (e.g. the vocabulary a text model was trained with). `name` must be a plain file name
    /// that is not one of [`files::ALL`](crate::files::ALL).
    pub fn attach(mut self, name: impl Into<String>, bytes: Vec<u8>) -> Self {
        self.attachments.push((name.into(), bytes));
        self
    }

    /// Minimise `loss` (logits and class indices in, a scalar out) instead of the one
    /// `config.loss` names. The recorded validation loss is then this loss too.
    pub fn loss(mut self, loss: impl Loss + 'static) -> Self {
        self.loss = Some(Arc::new(loss));
        self
    }

    /// Use `optimizer` instead of the one `config.optimizer` names (and its weight decay).
    pub fn optimizer(mut self, optimizer: impl Into<ModuleOptimizer>) -> Self {
        self.optimizer = Some(optimizer.into());
        self
    }

    /// The configuration.
    pub fn config(&self) -> &FitConfig {
        &self.config
    }

    /// Trains `model` on the training split of `data`, validating on its validation split
    /// after every epoch, with burn-train's `SupervisedTraining`: accuracy and loss metrics
    /// recorded per epoch, progress on stdout (a bar on a terminal, lines otherwise).
    /// burn-train's checkpoints and its log go to `artifacts`.
    ///
    /// Training runs on the model's device (made autodiff: the model may be built on a
    /// plain or an autodiff device); training batches are built there, validation batches
    /// on its inner (non-autodiff) device.
    ///
    /// # Errors
    /// [`TrainError::Config`] or [`TrainError::Schedule`] for a configuration that does not
    /// fit; [`TrainError::EmptySplit`], [`TrainError::ClassCount`] for data that does not
    /// fit the model; [`TrainError::Training`] when burn-train reports an error.
    pub fn fit<M, I, T, E>(
        self,
        model: M,
        data: &RunData<I, T, E>,
        artifacts: &Path,
    ) -> Result<Fitted<M>, TrainError>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
        E: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        let plan = self.check(&model, data)?;
        self.fit_planned(plan, model, data, artifacts, None)
    }

    /// Validates the configuration for `data`, and checks the data against the model: no
    /// empty split, one logit per class (when the model says how many it gives).
    pub(crate) fn check<M: Classifier, I, T, E>(
        &self,
        model: &M,
        data: &RunData<I, T, E>,
    ) -> Result<Plan, TrainError> {
        let [train, valid, test] = data.sizes();
        for (split, len) in [("train", train), ("valid", valid), ("test", test)] {
            if len == 0 {
                return Err(TrainError::EmptySplit { split });
            }
        }
        let plan = self.config.plan(train)?;
        check_classes(model, data)?;
        Ok(plan)
    }

    pub(crate) fn fit_planned<M, I, T, E>(
        self,
        plan: Plan,
        model: M,
        data: &RunData<I, T, E>,
        artifacts: &Path,
        resume: Option<ResumePoint>,
    ) -> Result<Fitted<M>, TrainError>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
        E: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        let config = &self.config;
        let checkpoint_dir = artifacts.join(CHECKPOINT_DIR);
        let (complete, partial) = match resume {
            Some(point) => (point.epoch, point.partial),
            None => (None, None),
        };
        let (checkpointers, state) = resume::checkpointers(&checkpoint_dir, complete);
        let done = state.as_ref().map_or(0, |s| s.epoch);
        let earlier = state.as_ref().map(|s| s.epochs()).unwrap_or_default();
        let train_loader = train_loader_after(config, data, done);
        let valid_batch = valid_batch_size(config.batch_size);
        let valid_loader = valid_loader(config, data);
        let optimizer = optimizer_for(self.optimizer, config);
        let loss = loss_for(self.loss, config);
        let epochs = Arc::new(Mutex::new(earlier.clone()));
        // `train()` switches the parameters to autodiff with gradients on, whichever device
        // the model was built on; burn-train then forks it to the autodiff device.
        let trainable = Trainable::new(model.train(), loss).with_l1(config.l1);
        let device = autodiff_device(&trainable);
        let learner = Learner::new(trainable, optimizer, plan.schedule);
        let interrupter = self.interrupter.clone();
        let diverged = Arc::new(Mutex::new(None));
        let mut log = EpochLog::new(epochs.clone()).with_divergence_guard(
            interrupter.clone(),
            diverged.clone(),
            state.as_ref().and_then(|s| s.first_loss()),
        );
        if let Some(partial) = &partial {
            log = log.resumed_inside(&partial.state);
        }
        if config.checkpoints {
            log = log.with_states(checkpoint_dir.clone());
        }
        let log = log.on_epoch(self.on_epoch.clone());
        let position = log.position();
        let resumed_at = partial.as_ref().map(|p| (p.state.epoch, p.state.batch));
        let mut strategy =
            RunStrategy::new(device, config.seed, log.share(), diverged.clone()).resuming(partial);
        if config.checkpoints {
            strategy = strategy.keeping_partial(checkpoint_dir.join(PARTIAL_DIR));
        }
        let kept = strategy.kept();
        let stopped = Arc::new(Mutex::new(None));
        let early_stop = config.early_stopping.map(|patience| {
            ValidLossStop::new(patience, stopped.clone())
                .after(earlier.iter().map(|e| e.valid_loss))
        });
        // A run killed after early stopping ended it, and resumed: nothing is left to train.
        let stopped_already = stopped.lock().is_ok_and(|s| s.is_some());
        let mut training = SupervisedTraining::new(artifacts, train_loader, valid_loader)
            .with_training_strategy(TrainingStrategy::Custom(Arc::new(strategy)))
            .metrics((AccuracyMetric::new(), LossMetric::new()))
            .num_epochs(if stopped_already { done } else { config.epochs })
            .with_interrupter(interrupter.clone())
            .with_metric_logger(log)
            .renderer(Box::new(ProgressRenderer::new([
                config.batch_size,
                valid_batch,
            ])));
        if config.checkpoints {
            let (model, optim, scheduler) = checkpointers;
            training = training.with_custom_checkpointers(model, optim, scheduler);
        }
        if done > 0 {
            training = training.checkpoint(done);
        }
        match resumed_at {
            Some((epoch, batch)) => println!(
                "resuming after batch {batch} of epoch {epoch} of {}, from its checkpoint",
                config.epochs
            ),
            None if done > 0 => println!(
                "resuming after epoch {done} of {}, from its checkpoint",
                config.epochs
            ),
            None => {}
        }
        if let Some(early_stop) = early_stop {
            training = training.early_stopping(early_stop);
        }
        let signals = self.signals.then(|| SignalStop::watch(interrupter.clone()));
        let result = training.launch(learner);
        drop(signals);
        if let Some(source) = result.error {
            return Err(TrainError::Training { source });
        }
        if let Some(Diverged { epoch, batch, loss }) = diverged.lock().ok().and_then(|d| *d) {
            return Err(TrainError::Diverged {
                epoch,
                batch,
                loss,
                lr: config.lr,
            });
        }
        let epochs = epochs.lock().map(|e| e.clone()).unwrap_or_default();
        if let Some(interruption) = result.interrupted {
            let (epoch, batch) = position.lock().map(|p| *p).unwrap_or_default();
            let kept = match kept.lock().ok().and_then(|k| *k) {
                Some((epoch, batch)) => Kept::Batch { epoch, batch },
                None if config.checkpoints && !epochs.is_empty() => Kept::Epoch(epochs.len()),
                None => Kept::Nothing,
            };
            return Err(TrainError::Interrupted {
                epoch,
                batch,
                reason: interruption
                    .reason
                    .unwrap_or_else(|| "asked to stop".into()),
                kept,
            });
        }
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

/// The optimizer of a run: the one given to [`Training::optimizer`], or else the one
/// `config.optimizer` names, with `config.weight_decay`; clipping by `config.clip_norm`.
pub(crate) fn optimizer_for(given: Option<ModuleOptimizer>, config: &FitConfig) -> ModuleOptimizer {
    let optimizer = given.unwrap_or_else(|| config.optimizer.init(config.weight_decay));
    match config.clip_norm {
        Some(norm) => optimizer.with_grad_clipping(GradientClippingConfig::Norm(norm).init()),
        None => optimizer,
    }
}

/// The loss of a run: the one given to [`Training::loss`], or else `config.loss`.
pub(crate) fn loss_for(given: Option<Arc<dyn Loss>>, config: &FitConfig) -> Arc<dyn Loss> {
    given.unwrap_or_else(|| Arc::new(config.loss.unwrap_or_default()))
}

/// The device a manual training loop runs `model` on, as burn-train does: the device of its
/// parameters, made autodiff when it is not already.
pub(crate) fn autodiff_device<M: Module>(model: &M) -> Device {
    let device = model.devices().first().cloned().unwrap_or_default();
    if device.is_autodiff() {
        device
    } else {
        device.autodiff()
    }
}

/// Checks that `model` gives one logit per class of `data`, when it says how many it gives.
/// Not by running the model: a forward pass would initialise burn's lazy parameters in
/// another order than training does, and so change the weights a seed gives.
pub(crate) fn check_classes<M: Classifier, I, T, E>(
    model: &M,
    data: &RunData<I, T, E>,
) -> Result<(), TrainError> {
    match model.num_classes() {
        Some(outputs) if outputs != data.class_names.len() => Err(TrainError::ClassCount {
            outputs,
            classes: data.class_names.len(),
        }),
        _ => Ok(()),
    }
}

/// The training batches of `data`, `config.batch_size` each: in the run's own order when
/// it has one ([`RunData::with_epoch_order`]), otherwise shuffled by `config.seed`, a new
/// order on every pass (an epoch); each epoch from the second reseeds the generators first
/// ([`EpochLoader`]).
pub(crate) fn train_loader<I, T, E, O>(
    config: &FitConfig,
    data: &RunData<I, T, E>,
) -> Arc<dyn DataLoader<O>>
where
    I: Clone + Send + Sync + std::fmt::Debug + 'static,
    T: Batcher<I, O> + Clone + 'static,
    O: Send + Clone + std::fmt::Debug + 'static,
{
    train_loader_after(config, data, 0)
}

/// The validation batches of `data`, [`valid_batch_size`] each, in the split's order, through
/// its evaluation batcher.
pub(crate) fn valid_loader<I, T, E, O>(
    config: &FitConfig,
    data: &RunData<I, T, E>,
) -> Arc<dyn DataLoader<O>>
where
    I: Clone + Send + Sync + std::fmt::Debug + 'static,
    E: Batcher<I, O> + Clone + 'static,
    O: Send + Clone + std::fmt::Debug + 'static,
{
    DataLoaderBuilder::new(data.eval_batcher.clone())
        .batch_size(valid_batch_size(config.batch_size))
        .build(data.valid.clone())
}

/// [`train_loader`] of a run resumed after epoch `done`: its first pass is epoch `done + 1`.
fn train_loader_after<I, T, E, O>(
    config: &FitConfig,
    data: &RunData<I, T, E>,
    done: usize,
) -> Arc<dyn DataLoader<O>>
where
    I: Clone + Send + Sync + std::fmt::Debug + 'static,
    T: Batcher<I, O> + Clone + 'static,
    O: Send + Clone + std::fmt::Debug + 'static,
{
    let plain: Arc<dyn DataLoader<O>> = match &data.epoch_order {
        Some(order) => Arc::new(OrderedLoader::new(
            data.train.clone(),
            Arc::new(data.train_batcher.clone()),
            config.batch_size,
            order.clone(),
        )),
        None => DataLoaderBuilder::new(data.train_batcher.clone())
            .batch_size(config.batch_size)
            .shuffle(config.seed)
            .build(data.train.clone()),
    };
    Arc::new(EpochLoader::new(
        plain,
        config.seed,
        done,
        data.reseed.clone(),
    ))
}
