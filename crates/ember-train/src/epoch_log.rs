//! The per-epoch record of a run, kept by a burn-train metric logger.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use burn::train::logger::MetricLogger;
use burn::train::metric::store::{EpochSummary, MetricsUpdate, Split};
use burn::train::metric::{MetricDefinition, MetricId, NumericEntry};

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
const LOSS: &str = "Loss";
const ACCURACY: &str = "Accuracy";

/// A burn-train [`MetricLogger`]: it keeps every numeric entry of the run in memory (so
/// burn-train's early stopping and best-checkpoint strategy can read them back) and, at the
/// end of each validation split, appends that epoch's [`EpochMetrics`] to a shared list.
/// It replaces burn's file logger, so the numbers are recorded once, in `metrics.csv`.
pub(crate) struct EpochLog {
    names: HashMap<MetricId, String>,
    entries: HashMap<(String, String, usize), Vec<NumericEntry>>,
    epochs: Arc<Mutex<Vec<EpochMetrics>>>,
    epoch_start: Instant,
}

impl EpochLog {
    /// A logger appending to `epochs`; the first epoch's clock starts now.
    pub(crate) fn new(epochs: Arc<Mutex<Vec<EpochMetrics>>>) -> Self {
        EpochLog {
            names: HashMap::new(),
            entries: HashMap::new(),
            epochs,
            epoch_start: Instant::now(),
        }
    }

    /// The epoch's value of `name` on `split`: burn-train's final entry when there is one,
    /// otherwise the example-weighted mean of the batches' entries (NaN when none).
    fn value(&self, name: &str, split: &str, epoch: usize) -> f64 {
        let Some(points) = self.entries.get(&(name.into(), split.into(), epoch)) else {
            return f64::NAN;
        };
        if let Some(NumericEntry::Final(v)) = points.last() {
            return *v;
        }
        let (sum, count) = points
            .iter()
            .fold((0.0, 0.0), |(sum, count), entry| match entry {
                NumericEntry::Value(v) | NumericEntry::Final(v) => (sum + v, count + 1.0),
                NumericEntry::Aggregated {
                    aggregated_value,
                    count: n,
                } => (sum + aggregated_value * *n as f64, count + *n as f64),
            });
        if count > 0.0 {
            sum / count
        } else {
            f64::NAN
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
            self.entries
                .entry((name.clone(), split.to_string(), epoch))
                .or_default()
                .push(value);
        }
    }

    fn read_numeric(
        &mut self,
        name: &str,
        epoch: usize,
        split: &Split,
    ) -> Result<Vec<NumericEntry>, String> {
        let key = (name.to_string(), split.to_string(), epoch);
        Ok(self.entries.get(&key).cloned().unwrap_or_default())
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
        if let Ok(mut epochs) = self.epochs.lock() {
            epochs.push(metrics);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_final_entry_wins_and_batches_are_weighted_by_examples() {
        let log = EpochLog {
            names: HashMap::new(),
            entries: HashMap::from([
                (
                    ("Loss".into(), "train".into(), 1),
                    vec![NumericEntry::Value(9.0), NumericEntry::Final(0.5)],
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
            ]),
            epochs: Arc::default(),
            epoch_start: Instant::now(),
        };
        assert_eq!(log.value("Loss", "train", 1), 0.5);
        // (1·3 + 2·1) / 4 examples.
        assert_eq!(log.value("Loss", "valid", 1), 1.25);
        assert!(log.value("Accuracy", "valid", 1).is_nan());
    }
}
