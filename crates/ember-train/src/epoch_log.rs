//! The per-epoch record of a run, kept by a burn-train metric logger.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use burn::train::logger::MetricLogger;
use burn::train::metric::store::{EpochSummary, MetricsUpdate, Split};
use burn::train::metric::{MetricDefinition, MetricId, NumericEntry};
use burn::train::Interrupter;

use crate::resume::{write_state, BatchEntry, EpochState, PartialState};

/// The metrics of one epoch: means over the split's examples (accuracy in percent).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EpochMetrics {
    /// The epoch, from 1.
    pub epoch: usize,
    /// Mean training loss.
    pub train_loss: f64,
    /// Training accuracy, percent.
    pub train_accuracy: f64,
    /// Mean validation loss.
    pub valid_loss: f64,
    /// Validation accuracy, percent.
    pub valid_accuracy: f64,
    /// Wall-clock seconds of the epoch (training, validation and checkpoints).
    pub seconds: f64,
}

/// The metric names burn-train gives the loss and accuracy metrics.
pub(crate) const LOSS: &str = "Loss";
const ACCURACY: &str = "Accuracy";

/// A burn-train [`MetricLogger`]: it keeps every numeric entry of the run in memory (so
/// burn-train's early stopping and best-checkpoint strategy can read them back) and, at the
/// end of each validation split, appends that epoch's [`EpochMetrics`] to a shared list.
/// It replaces burn's file logger, so the numbers are recorded once, in `metrics.csv`.
pub(crate) struct EpochLog {
    names: HashMap<MetricId, String>,
    shared: LogShare,
    epochs: Arc<Mutex<Vec<EpochMetrics>>>,
    epoch_start: Instant,
    guard: Option<DivergenceGuard>,
    /// The latest training batch logged, `(epoch, batch)`, both from 1.
    position: Arc<Mutex<(usize, usize)>>,
    /// Where each epoch's [`EpochState`] goes (the checkpoint folder), when it is kept.
    states: Option<PathBuf>,
    /// Called with the epochs so far at the end of each (the run folder's `metrics.csv`).
    on_epoch: Option<EpochHook>,
}

/// A metric's entries: by metric name, split and epoch.
type Entries = HashMap<(String, String, usize), Vec<NumericEntry>>;

/// What a training loop reads of an [`EpochLog`] when its run stops inside an epoch.
#[derive(Clone, Default)]
pub(crate) struct LogShare(Arc<Mutex<Logged>>);

#[derive(Default)]
struct Logged {
    entries: Entries,
    /// The run's first training loss (what the divergence guard compares with).
    first_loss: Option<f64>,
}

impl LogShare {
    fn lock(&self) -> std::sync::MutexGuard<'_, Logged> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The training split's entries of `epoch`'s batches, per metric name (the epoch's
    /// final entries left out), and the run's first training loss.
    pub(crate) fn train_batches(
        &self,
        epoch: usize,
    ) -> (Vec<(String, Vec<BatchEntry>)>, Option<f64>) {
        let logged = self.lock();
        let mut metrics: Vec<(String, Vec<BatchEntry>)> = logged
            .entries
            .iter()
            .filter(|((_, split, at), _)| split == "train" && *at == epoch)
            .map(|((name, _, _), points)| {
                let batches = points
                    .iter()
                    .filter_map(|entry| match *entry {
                        NumericEntry::Aggregated {
                            aggregated_value,
                            count,
                        } => Some(BatchEntry {
                            mean: aggregated_value.to_bits(),
                            count,
                        }),
                        NumericEntry::Value(v) => Some(BatchEntry {
                            mean: v.to_bits(),
                            count: 1,
                        }),
                        NumericEntry::Final(_) => None,
                    })
                    .collect();
                (name.clone(), batches)
            })
            .collect();
        metrics.sort_by(|a, b| a.0.cmp(&b.0));
        (metrics, logged.first_loss)
    }
}

/// What [`EpochLog::on_epoch`] calls.
pub(crate) type EpochHook = Arc<dyn Fn(&[EpochMetrics]) + Send + Sync>;

/// A training loss this many times the run's first one (or NaN, or infinite) counts as
/// diverged: e.g. cross-entropy at 2.3 growing past 23,000. The first loss counts as at least
/// 0.01, so a run that starts almost perfect is not stopped for losing a little.
pub(crate) const DIVERGED_FACTOR: f64 = 1e4;

/// Where the training loss first stopped being a finite number, or exploded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Diverged {
    pub(crate) epoch: usize,
    /// The batch of that epoch, from 1.
    pub(crate) batch: usize,
    pub(crate) loss: f64,
}

/// Stops the run (through burn-train's interrupter) at the first non-finite training loss
/// and says where it was.
struct DivergenceGuard {
    interrupter: Interrupter,
    diverged: Arc<Mutex<Option<Diverged>>>,
}

impl EpochLog {
    /// A logger appending to `epochs`; the first epoch's clock starts now.
    pub(crate) fn new(epochs: Arc<Mutex<Vec<EpochMetrics>>>) -> Self {
        EpochLog {
            names: HashMap::new(),
            shared: LogShare::default(),
            epochs,
            epoch_start: Instant::now(),
            guard: None,
            position: Arc::default(),
            states: None,
            on_epoch: None,
        }
    }

    /// Also calls `hook` with the epochs so far at the end of each.
    pub(crate) fn on_epoch(mut self, hook: Option<EpochHook>) -> Self {
        self.on_epoch = hook;
        self
    }

    /// Also writes, at the end of every epoch, its [`EpochState`] into `dir` (the run's
    /// checkpoint folder), for a resume.
    pub(crate) fn with_states(mut self, dir: PathBuf) -> Self {
        self.states = Some(dir);
        self
    }

    /// Carries on a run stopped inside an epoch, from `state`: the epoch's batches so far,
    /// its clock and the run's first loss.
    pub(crate) fn resumed_inside(mut self, state: &PartialState) -> Self {
        let mut logged = self.shared.lock();
        for (name, batches) in &state.train {
            let points = batches
                .iter()
                .map(|b| NumericEntry::Aggregated {
                    aggregated_value: f64::from_bits(b.mean),
                    count: b.count,
                })
                .collect();
            logged
                .entries
                .insert((name.clone(), "train".into(), state.epoch), points);
        }
        logged.first_loss = state.first_loss();
        drop(logged);
        if let Ok(mut position) = self.position.lock() {
            *position = (state.epoch, state.batch);
        }
        let ran = Duration::try_from_secs_f64(state.seconds()).unwrap_or_default();
        self.epoch_start = Instant::now().checked_sub(ran).unwrap_or_else(Instant::now);
        self
    }

    /// What the training loop reads of the log when the run stops inside an epoch.
    pub(crate) fn share(&self) -> LogShare {
        self.shared.clone()
    }

    /// Where the run stands, `(epoch, batch)` of the latest training batch, shared.
    pub(crate) fn position(&self) -> Arc<Mutex<(usize, usize)>> {
        self.position.clone()
    }

    /// Also stops the run with `interrupter` at the first training batch whose loss is NaN,
    /// infinite or [`DIVERGED_FACTOR`] times the first batch's, noting where in `diverged`.
    pub(crate) fn with_divergence_guard(
        mut self,
        interrupter: Interrupter,
        diverged: Arc<Mutex<Option<Diverged>>>,
        first_loss: Option<f64>,
    ) -> Self {
        self.guard = Some(DivergenceGuard {
            interrupter,
            diverged,
        });
        if first_loss.is_some() {
            self.shared.lock().first_loss = first_loss;
        }
        self
    }

    /// Stops the run if `value`, the latest training loss, is not finite or has exploded.
    fn check(&mut self, value: &NumericEntry, epoch: usize, batch: usize) {
        // burn-train logs each batch's loss as `Aggregated` (`Value` from other loggers);
        // the epoch's `Final` mean comes after its batches were checked.
        let loss = match *value {
            NumericEntry::Aggregated {
                aggregated_value, ..
            } => aggregated_value,
            NumericEntry::Value(loss) => loss,
            NumericEntry::Final(_) => return,
        };
        let Some(guard) = &self.guard else { return };
        let first = *self.shared.lock().first_loss.get_or_insert(loss);
        if loss.is_finite() && loss <= DIVERGED_FACTOR * first.max(0.01) {
            return;
        }
        if let Ok(mut diverged) = guard.diverged.lock() {
            if diverged.is_none() {
                *diverged = Some(Diverged { epoch, batch, loss });
                guard.interrupter.stop(Some(&format!(
                    "training loss {loss} at epoch {epoch}, batch {batch}"
                )));
            }
        }
    }

    /// The epoch's value of `name` on `split`: the example-weighted mean of the batches'
    /// entries (burn-train's own final entry is that same sum in the same order, bit for bit,
    /// but holds only the batches of this process: a run resumed inside an epoch has the
    /// others from its checkpoint); the final entry when there are no batch entries; NaN
    /// when there is neither.
    fn value(&self, name: &str, split: &str, epoch: usize) -> f64 {
        let logged = self.shared.lock();
        let Some(points) = logged.entries.get(&(name.into(), split.into(), epoch)) else {
            return f64::NAN;
        };
        let (sum, count) = points
            .iter()
            .fold((0.0, 0.0), |(sum, count), entry| match entry {
                NumericEntry::Value(v) => (sum + v, count + 1.0),
                NumericEntry::Final(_) => (sum, count),
                NumericEntry::Aggregated {
                    aggregated_value,
                    count: n,
                } => (sum + aggregated_value * *n as f64, count + *n as f64),
            });
        match points.last() {
            _ if count > 0.0 => sum / count,
            Some(NumericEntry::Final(v)) => *v,
            _ => f64::NAN,
        }
    }
}

impl MetricLogger for EpochLog {
    fn log(&mut self, update: MetricsUpdate, epoch: usize, split: &Split) {
        for numeric in update.entries_numeric {
            let (Some(name), Some(value)) = (
                self.names.get(&numeric.entry.metric_id),
                numeric.numeric_entry,
            ) else {
                continue;
            };
            // The epoch's final entry (logged when its split ends) is not a batch.
            let is_train_loss =
                *split == Split::Train && name == LOSS && !matches!(value, NumericEntry::Final(_));
            let batch = {
                let mut logged = self.shared.lock();
                let points = logged
                    .entries
                    .entry((name.clone(), split.to_string(), epoch))
                    .or_default();
                points.push(value.clone());
                points.len()
            };
            if is_train_loss {
                if let Ok(mut position) = self.position.lock() {
                    *position = (epoch, batch);
                }
                self.check(&value, epoch, batch);
            }
        }
    }

    fn read_numeric(
        &mut self,
        name: &str,
        epoch: usize,
        split: &Split,
    ) -> Result<Vec<NumericEntry>, String> {
        let key = (name.to_string(), split.to_string(), epoch);
        Ok(self
            .shared
            .lock()
            .entries
            .get(&key)
            .cloned()
            .unwrap_or_default())
    }

    fn log_metric_definition(&mut self, definition: MetricDefinition) {
        self.names
            .insert(definition.metric_id, definition.name.to_string());
    }

    fn log_epoch_summary(&mut self, summary: EpochSummary) {
        if summary.split != Split::Valid {
            return;
        }
        let epoch = summary.epoch_number;
        let metrics = EpochMetrics {
            epoch,
            train_loss: self.value(LOSS, "train", epoch),
            train_accuracy: self.value(ACCURACY, "train", epoch),
            valid_loss: self.value(LOSS, "valid", epoch),
            valid_accuracy: self.value(ACCURACY, "valid", epoch),
            seconds: self.epoch_start.elapsed().as_secs_f64(),
        };
        self.epoch_start = Instant::now();
        let Ok(mut epochs) = self.epochs.lock() else {
            return;
        };
        epochs.push(metrics);
        if let Some(dir) = &self.states {
            let state = EpochState::new(&epochs, self.shared.lock().first_loss);
            if let Err(e) = write_state(dir, epoch, &state) {
                // The epoch's checkpoint is then incomplete: a resume starts from the one
                // before, which gives the same result later.
                eprintln!("warning: the state of epoch {epoch} was not kept for a resume: {e}");
            }
        }
        if let Some(hook) = &self.on_epoch {
            hook(&epochs);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_weighted_by_examples_and_a_final_entry_is_the_fallback() {
        let log = EpochLog::new(Arc::default());
        log.shared.lock().entries = HashMap::from([
            (
                ("Loss".into(), "train".into(), 1),
                vec![NumericEntry::Final(0.5)],
            ),
            (
                ("Loss".into(), "valid".into(), 1),
                vec![
                    NumericEntry::Aggregated {
                        aggregated_value: 1.0,
                        count: 3,
                    },
                    NumericEntry::Aggregated {
                        aggregated_value: 2.0,
                        count: 1,
                    },
                ],
            ),
            (
                ("Accuracy".into(), "train".into(), 2),
                vec![
                    NumericEntry::Aggregated {
                        aggregated_value: 50.0,
                        count: 2,
                    },
                    // Made in a process that resumed after the batch above.
                    NumericEntry::Final(100.0),
                ],
            ),
        ]);
        assert_eq!(log.value("Loss", "train", 1), 0.5);
        // (1·3 + 2·1) / 4 examples.
        assert_eq!(log.value("Loss", "valid", 1), 1.25);
        assert_eq!(log.value("Accuracy", "train", 2), 50.0);
        assert!(log.value("Accuracy", "valid", 1).is_nan());
    }

    fn guarded() -> (EpochLog, Interrupter, Arc<Mutex<Option<Diverged>>>) {
        let (interrupter, diverged) = (Interrupter::new(), Arc::new(Mutex::new(None)));
        let log = EpochLog::new(Arc::default()).with_divergence_guard(
            interrupter.clone(),
            diverged.clone(),
            None,
        );
        (log, interrupter, diverged)
    }

    #[test]
    fn the_guard_stops_at_the_first_exploded_or_non_finite_loss() {
        let (mut log, interrupter, diverged) = guarded();
        // 2.3 at the start: up to 23,000 is still training, however badly.
        for (batch, loss) in [2.3, 40.0, 23_000.0].into_iter().enumerate() {
            let entry = NumericEntry::Aggregated {
                aggregated_value: loss,
                count: 32,
            };
            log.check(&entry, 1, batch + 1);
        }
        assert!(!interrupter.should_stop());
        log.check(&NumericEntry::Value(23_001.0), 2, 4);
        assert!(interrupter.should_stop());
        assert_eq!(
            *diverged.lock().unwrap(),
            Some(Diverged {
                epoch: 2,
                batch: 4,
                loss: 23_001.0
            })
        );
        // The first place is kept; an epoch's mean is not a batch.
        log.check(&NumericEntry::Value(f64::NAN), 2, 5);
        log.check(&NumericEntry::Final(f64::NAN), 2, 6);
        assert_eq!(diverged.lock().unwrap().unwrap().batch, 4);

        let (mut log, interrupter, diverged) = guarded();
        log.check(&NumericEntry::Value(1e-6), 1, 1);
        log.check(&NumericEntry::Value(50.0), 1, 2);
        assert!(
            !interrupter.should_stop(),
            "0.01 is the smallest first loss"
        );
        log.check(&NumericEntry::Value(f64::INFINITY), 1, 3);
        assert!(interrupter.should_stop());
        assert_eq!(diverged.lock().unwrap().unwrap().batch, 3);
    }
}
