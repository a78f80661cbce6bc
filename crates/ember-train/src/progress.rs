//! Progress output during training: batches, loss, accuracy, ETA. It only displays; the
//! numbers of the run are recorded by the metric logger ([`crate::epoch_log`]).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::Instant;

use burn::train::logger::{EvaluationProgressLogger, TrainingProgressLogger};
use burn::train::metric::{MetricDefinition, MetricId, NumericEntry};
use burn::train::renderer::{
    EvaluationName, MetricState, MetricsRenderer, MetricsRendererEvaluation,
    MetricsRendererTraining,
};
use burn::train::LearnerSummary;

/// Formats seconds as `m:ss` or `h:mm:ss`.
pub(crate) fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A burn-train renderer: a progress bar on a terminal, otherwise a line every 10% of
/// each split, and a summary line per split.
pub(crate) struct ProgressRenderer {
    names: HashMap<MetricId, String>,
    epochs_done: usize,
    total_epochs: usize,
    epoch: usize,
    split: String,
    split_total: usize,
    split_done: usize,
    split_start: Instant,
    run_start: Instant,
    running: HashMap<String, (f64, f64)>,
    finals: HashMap<String, f64>,
    bar: Option<indicatif::ProgressBar>,
    next_decile: usize,
    batch_sizes: [usize; 2],
}

impl ProgressRenderer {
    /// `batch_sizes`: of the training and the validation loader, to count batches.
    pub(crate) fn new(batch_sizes: [usize; 2]) -> Self {
        let now = Instant::now();
        Self {
            names: HashMap::new(),
            epochs_done: 0,
            total_epochs: 0,
            epoch: 0,
            split: String::new(),
            split_total: 0,
            split_done: 0,
            split_start: now,
            run_start: now,
            running: HashMap::new(),
            finals: HashMap::new(),
            bar: None,
            next_decile: 1,
            batch_sizes,
        }
    }

    /// Batches of the current split holding `items` items.
    fn batches(&self, items: usize) -> usize {
        let size = self.batch_sizes[usize::from(self.split != "train")];
        items.div_ceil(size.max(1))
    }

    fn record(&mut self, state: MetricState) {
        let MetricState::Numeric(entry, Some(value)) = state else {
            return;
        };
        let Some(name) = self.names.get(&entry.metric_id).cloned() else {
            return;
        };
        match value {
            NumericEntry::Final(v) => {
                self.finals.insert(format!("{}/{name}", self.split), v);
            }
            NumericEntry::Value(v) => add(&mut self.running, name, v, 1.0),
            NumericEntry::Aggregated {
                aggregated_value,
                count,
            } => add(&mut self.running, name, aggregated_value, count as f64),
        }
    }

    fn mean(&self, name: &str) -> Option<f64> {
        self.running.get(name).map(|(sum, n)| sum / n.max(1.0))
    }

    fn metrics_text(&self, loss: Option<f64>, acc: Option<f64>) -> String {
        let mut text = String::new();
        if let Some(l) = loss {
            text.push_str(&format!("loss {l:.4}"));
        }
        if let Some(a) = acc {
            text.push_str(&format!("  acc {a:.2}%"));
        }
        text
    }

    fn prefix(&self) -> String {
        format!(
            "epoch {}/{} {:<5}",
            self.epoch, self.total_epochs, self.split
        )
    }

    /// Seconds left in the run, extrapolated from the epochs (or the split) so far.
    fn run_eta(&self, split_eta: f64) -> f64 {
        let done = self.epochs_done;
        let remaining = self.total_epochs.saturating_sub(self.epoch) as f64;
        if done > 0 {
            let per_epoch = self.run_start.elapsed().as_secs_f64() / done as f64;
            split_eta + remaining * per_epoch
        } else {
            split_eta
        }
    }
}

fn add(running: &mut HashMap<String, (f64, f64)>, name: String, value: f64, weight: f64) {
    let slot = running.entry(name).or_insert((0.0, 0.0));
    slot.0 += value * weight;
    slot.1 += weight;
}

impl TrainingProgressLogger for ProgressRenderer {
    fn start(
        &mut self,
        total_epochs: usize,
        starting_epoch: usize,
        _: Option<usize>,
        _: Option<&str>,
    ) {
        self.total_epochs = total_epochs;
        self.epoch = starting_epoch.saturating_sub(1);
        self.run_start = Instant::now();
    }

    fn update_epoch(&mut self, _epoch: usize) {}

    fn start_split(&mut self, split: &str, total_items: usize) {
        if split == "train" {
            self.epoch += 1;
        }
        self.split = split.to_string();
        self.split_total = total_items;
        self.split_done = 0;
        self.split_start = Instant::now();
        self.running.clear();
        self.next_decile = 1;
        if std::io::stdout().is_terminal() {
            let bar = indicatif::ProgressBar::new(total_items as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{prefix} [{bar:30}] {pos:>6}/{len} {msg} eta {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar.set_prefix(self.prefix());
            self.bar = Some(bar);
        }
    }

    fn update_split(&mut self, items_processed: usize) {
        self.split_done = items_processed;
        let text = self.metrics_text(self.mean("Loss"), self.mean("Accuracy"));
        let elapsed = self.split_start.elapsed().as_secs_f64();
        let left = self.split_total.saturating_sub(items_processed) as f64;
        let split_eta = elapsed / items_processed.max(1) as f64 * left;
        if let Some(bar) = &self.bar {
            bar.set_position(items_processed as u64);
            bar.set_message(text);
        } else if items_processed * 10 >= self.next_decile * self.split_total
            && items_processed < self.split_total
        {
            self.next_decile = items_processed * 10 / self.split_total.max(1) + 1;
            println!(
                "{} {:>3}%  batch {:>4}/{}  {text}  eta {} (run {})",
                self.prefix(),
                items_processed * 100 / self.split_total.max(1),
                self.batches(items_processed),
                self.batches(self.split_total),
                clock(split_eta),
                clock(self.run_eta(split_eta)),
            );
        }
    }

    fn end_split(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let split = self.split.clone();
        let loss = self.finals.get(&format!("{split}/Loss")).copied();
        let acc = self.finals.get(&format!("{split}/Accuracy")).copied();
        println!(
            "{} done: {} batches, {} items in {:.1} s  {}",
            self.prefix(),
            self.batches(self.split_done),
            self.split_done,
            self.split_start.elapsed().as_secs_f64(),
            self.metrics_text(loss, acc)
        );
        if split == "valid" {
            self.epochs_done += 1;
            self.finals.clear();
        }
    }

    fn end(&mut self) {}

    fn log_event_training(&mut self, _event: String) {}
}

impl MetricsRendererTraining for ProgressRenderer {
    fn update_train(&mut self, state: MetricState) {
        self.record(state);
    }

    fn update_valid(&mut self, state: MetricState) {
        self.record(state);
    }

    fn on_train_end(
        &mut self,
        _: Option<LearnerSummary>,
    ) -> Result<(), Box<dyn std::error::Error>> {
        Ok(())
    }
}

impl EvaluationProgressLogger for ProgressRenderer {
    fn start_global_progress(&mut self, _: usize) {}
    fn start_test(&mut self, _: &str, _: usize) {}
    fn update_test_progress(&mut self, _: usize) {}
    fn end_test(&mut self) {}
    fn end_global_progress(&mut self) {}
    fn log_event_evaluation(&mut self, _: String) {}
}

impl MetricsRendererEvaluation for ProgressRenderer {
    fn update_test(&mut self, _: EvaluationName, _: MetricState) {}

    fn on_test_end(&mut self, _: Option<LearnerSummary>) -> Result<(), Box<dyn std::error::Error>> {
        Ok(())
    }
}

impl MetricsRenderer for ProgressRenderer {
    fn manual_close(&mut self) {}

    fn register_metric(&mut self, definition: MetricDefinition) {
        self.names
            .insert(definition.metric_id, definition.name.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn clock_formats_minutes_and_hours() {
        assert_eq!(clock(0.4), "0:00");
        assert_eq!(clock(75.0), "1:15");
        assert_eq!(clock(3725.0), "1:02:05");
    }
}
