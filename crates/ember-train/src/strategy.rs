//! Ember's training loop inside burn-train: burn's single-device loop (train split,
//! validation split, checkpoint, early stopping per epoch), plus what a resume at any batch
//! needs. Every training batch reseeds the device's generator from [`step_seed`]; a run
//! stopped inside an epoch keeps its records after its last batch in `partial/`; a run
//! resumed from them makes (and drops) the batches they hold before training on.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use burn::data::dataloader::{DataLoaderIterator, Progress};
use burn::prelude::Device;
use burn::train::checkpoint::{AsyncCheckpointer, CheckpointingAction, CheckpointingStrategy};
use burn::train::metric::store::{Aggregate, EventStoreClient, Split};
use burn::train::{
    EventProcessorTraining, InferenceStep, Interrupter, Learner, LearnerEvent, LearnerModel,
    LearningCheckpointer, SupervisedLearningStrategy, SupervisedTrainingEventProcessor,
    TrainLoader, TrainingComponents, TrainingItem, ValidLoader,
};

use crate::epoch_log::{Diverged, LogShare, LOSS};
use crate::resume::{checkpointers, remove_partial, write_state, PartialPoint, PartialState};

/// The training loop of [`Training::fit`](crate::Training::fit).
pub(crate) struct RunStrategy {
    /// The autodiff device the run trains on.
    device: Device,
    /// The run's seed.
    seed: u64,
    /// The checkpoint's `partial/`, when the run keeps checkpoints.
    partial_dir: Option<PathBuf>,
    /// The stop inside an epoch this run carries on from.
    resume: Mutex<Option<PartialPoint>>,
    log: LogShare,
    diverged: Arc<Mutex<Option<Diverged>>>,
    /// Where the run stopped inside an epoch, `(epoch, batches done)`, once it kept it.
    kept: Arc<Mutex<Option<(usize, usize)>>>,
}

impl RunStrategy {
    pub(crate) fn new(
        device: Device,
        seed: u64,
        log: LogShare,
        diverged: Arc<Mutex<Option<Diverged>>>,
    ) -> Self {
        RunStrategy {
            device,
            seed,
            partial_dir: None,
            resume: Mutex::new(None),
            log,
            diverged,
            kept: Arc::default(),
        }
    }

    /// Keeps the state of a stop inside an epoch in `dir`.
    pub(crate) fn keeping_partial(mut self, dir: PathBuf) -> Self {
        self.partial_dir = Some(dir);
        self
    }

    /// Carries on from `point`, a stop inside the first epoch this run trains.
    pub(crate) fn resuming(self, point: Option<PartialPoint>) -> Self {
        *self.resume.lock().unwrap_or_else(PoisonError::into_inner) = point;
        self
    }

    /// `(epoch, batches done)` of the stop inside an epoch the run kept, shared.
    pub(crate) fn kept(&self) -> Arc<Mutex<Option<(usize, usize)>>> {
        self.kept.clone()
    }

    /// One training pass: the first `skip` batches made and dropped, then a step on each
    /// of the others until the last or a stop. Returns the batches done, skipped included.
    fn train_epoch<M: LearnerModel>(
        &self,
        learner: &mut Learner<M>,
        loader: &TrainLoader<M>,
        epoch: usize,
        skip: usize,
        processor: &mut SupervisedTrainingEventProcessor<M>,
        interrupter: &Interrupter,
    ) -> usize {
        let mut iterator = loader.iter();
        let mut batch = 0;
        while batch < skip {
            match iterator.next() {
                Some(Ok(_)) => batch += 1,
                Some(Err(err)) => {
                    interrupter.fail(err);
                    return batch;
                }
                None => return batch,
            }
        }
        for_each_batch(iterator, batch, interrupter, |item, batch, progress| {
            self.device
                .seed(crate::resume::step_seed(self.seed, epoch, batch));
            let output = learner.train_step(item);
            learner.lr_step();
            learner.optimizer_step(output.grads);
            let item = TrainingItem::new(
                output.item,
                progress,
                Some(batch),
                Some(learner.lr_current()),
            );
            interrupter.fail_on_error(processor.process_train(LearnerEvent::ProcessedItem(item)));
        })
    }

    /// One validation pass, until the last batch or a stop.
    fn valid_epoch<M: LearnerModel>(
        learner: &Learner<M>,
        loader: &ValidLoader<M>,
        processor: &mut SupervisedTrainingEventProcessor<M>,
        interrupter: &Interrupter,
    ) {
        let model = learner.model().valid();
        for_each_batch(loader.iter(), 0, interrupter, |item, batch, progress| {
            let item = TrainingItem::new(
                InferenceStep::step(&model, item),
                progress,
                Some(batch),
                None,
            );
            interrupter.fail_on_error(processor.process_valid(LearnerEvent::ProcessedItem(item)));
        });
    }

    /// After a stop (not an error, not a divergence) inside epoch `at.0`, `at.1` training
    /// batches done, the epoch begun at `started`: keeps the learner's records and the epoch's metrics so far in
    /// `partial/`, records first and the state last, so a resume sees all or nothing. A
    /// failure is a warning: the resume then starts from the epoch's beginning, which gives
    /// the same result later.
    fn keep_partial<M: LearnerModel>(
        &self,
        learner: &Learner<M>,
        (epoch, batch): (usize, usize),
        started: std::time::Instant,
        processor: &mut SupervisedTrainingEventProcessor<M>,
        store: &EventStoreClient,
        interrupter: &Interrupter,
    ) {
        let Some(dir) = &self.partial_dir else { return };
        let seconds = started.elapsed().as_secs_f64();
        let warn = |why: &dyn std::fmt::Display| {
            eprintln!("warning: the stop inside epoch {epoch} was not kept for a resume: {why}")
        };
        let diverged = self
            .diverged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        if diverged || interrupter.error().is_some() || batch == 0 {
            return;
        }
        // Every batch's metrics reach the log before they are read: the processor hands
        // them to the event store's thread, and a query of the store is answered after
        // every event sent before it.
        if let Err(e) = processor.flush() {
            return warn(&e);
        }
        let _ = store.find_metric(LOSS, epoch, Aggregate::Mean, &Split::Train);
        let (train, first_loss) = self.log.train_batches(epoch);
        if train.is_empty() || train.iter().any(|(_, batches)| batches.len() != batch) {
            return warn(&format!("its log does not hold {batch} batches"));
        }
        let written = remove_partial(dir)
            .map_err(|e| e.to_string())
            .and_then(|()| save_records(learner, dir, epoch, store))
            .and_then(|()| {
                let state = PartialState::new(epoch, batch, seconds, first_loss, train);
                write_state(dir, epoch, &state)
            });
        match written {
            Ok(()) => {
                *self.kept.lock().unwrap_or_else(PoisonError::into_inner) = Some((epoch, batch))
            }
            Err(e) => warn(&e),
        }
    }
}

/// Runs `step` on each batch `iterator` gives, numbered from `done + 1`, until its last, a
/// loader error (recorded by `interrupter`) or a stop; returns the last batch's number.
fn for_each_batch<O>(
    mut iterator: Box<dyn DataLoaderIterator<O> + '_>,
    done: usize,
    interrupter: &Interrupter,
    mut step: impl FnMut(O, usize, Progress),
) -> usize {
    let mut batch = done;
    while let Some(item) = iterator.next() {
        let item = match item {
            Ok(item) => item,
            Err(err) => {
                interrupter.fail(err);
                break;
            }
        };
        batch += 1;
        step(item, batch, iterator.progress());
        if interrupter.should_stop() {
            break;
        }
    }
    batch
}

/// Writes the learner's three records for `epoch` into `dir`, through burn-train's own
/// checkpointer (the only way to the optimizer's and the schedule's state), waiting for them.
fn save_records<M: LearnerModel>(
    learner: &Learner<M>,
    dir: &std::path::Path,
    epoch: usize,
    store: &EventStoreClient,
) -> Result<(), String> {
    let errors = Interrupter::new();
    {
        let ((model, optim, scheduler), _) = checkpointers(dir, None);
        let mut checkpointer = LearningCheckpointer::<M>::new(
            AsyncCheckpointer::new(model).with_interrupter(errors.clone()),
            AsyncCheckpointer::new(optim).with_interrupter(errors.clone()),
            AsyncCheckpointer::new(scheduler).with_interrupter(errors.clone()),
            Box::new(SaveNow),
        );
        checkpointer.checkpoint(learner, epoch, store);
        // Dropped here: each checkpointer's thread finishes its write first.
    }
    match errors.error() {
        Some(e) => Err(e.to_string()),
        None => Ok(()),
    }
}

/// Saves whenever asked, deletes nothing.
struct SaveNow;

impl CheckpointingStrategy for SaveNow {
    fn checkpointing(&mut self, _epoch: usize, _: &EventStoreClient) -> Vec<CheckpointingAction> {
        vec![CheckpointingAction::Save]
    }
}

impl<M: LearnerModel> SupervisedLearningStrategy<M> for RunStrategy {
    fn fit(
        &self,
        components: TrainingComponents<M>,
        mut learner: Learner<M>,
        train: TrainLoader<M>,
        valid: ValidLoader<M>,
        starting_epoch: usize,
    ) -> (M, SupervisedTrainingEventProcessor<M>) {
        let train = train.to_device(&self.device);
        let train_items = train.num_items();
        let valid = valid.to_device(&self.device.clone().inner());
        let valid_items = valid.num_items();
        learner.fork(&self.device);
        let TrainingComponents {
            num_epochs,
            mut checkpointer,
            interrupter,
            mut early_stopping,
            event_processor: mut processor,
            event_store,
            ..
        } = components;
        let resume = self
            .resume
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let mut skip = 0;
        if let Some(point) = resume {
            learner.load_model(point.records.model);
            learner.load_optim(point.records.optim);
            learner.load_scheduler(point.records.scheduler);
            skip = point.state.batch;
        }
        for epoch in starting_epoch..=num_epochs {
            let started = std::time::Instant::now();
            interrupter.fail_on_error(processor.process_train(LearnerEvent::StartSplit {
                epoch_number: epoch,
                total_items: train_items,
            }));
            let done = self.train_epoch(
                &mut learner,
                &train,
                epoch,
                std::mem::take(&mut skip),
                &mut processor,
                &interrupter,
            );
            let training_stopped = interrupter.should_stop();
            interrupter.fail_on_error(processor.process_train(LearnerEvent::EndSplit(epoch)));
            if !training_stopped {
                interrupter.fail_on_error(processor.process_valid(LearnerEvent::StartSplit {
                    epoch_number: epoch,
                    total_items: valid_items,
                }));
                Self::valid_epoch(&learner, &valid, &mut processor, &interrupter);
            }
            if interrupter.should_stop() {
                // Stopped while training, or while validating: then the epoch's training is
                // kept whole and a resume validates it again; the validation stopped part
                // way is not ended, so no epoch is recorded with its metrics.
                self.keep_partial(
                    &learner,
                    (epoch, done),
                    started,
                    &mut processor,
                    &event_store,
                    &interrupter,
                );
                break;
            }
            interrupter.fail_on_error(processor.process_valid(LearnerEvent::EndSplit(epoch)));
            interrupter.fail_on_error(processor.process_train(LearnerEvent::EndEpoch(epoch)));
            if checkpointer.is_some() || early_stopping.is_some() {
                interrupter.fail_on_error(processor.flush());
            }
            if interrupter.should_stop() {
                break;
            }
            if let Some(checkpointer) = &mut checkpointer {
                checkpointer.checkpoint(&learner, epoch, &event_store);
                if let Some(dir) = &self.partial_dir {
                    // The epoch is checkpointed whole: a stop inside it is history.
                    if let Err(e) = remove_partial(dir) {
                        eprintln!("warning: {e}");
                    }
                }
            }
            if let Some(early_stopping) = &mut early_stopping {
                if early_stopping.should_stop(epoch, &event_store) {
                    break;
                }
            }
        }
        (learner.model(), processor)
    }
}
