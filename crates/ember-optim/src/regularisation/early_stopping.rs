//! Early stopping: stop when a validation metric has not improved for `patience` epochs.

use burn::config::Config;

/// Whether a smaller or a larger metric is better.
#[derive(Config, Debug, Copy, PartialEq, Eq)]
pub enum EarlyStoppingMode {
    /// Smaller is better (a loss).
    Min,
    /// Larger is better (an accuracy).
    Max,
}

/// Configuration of [`EarlyStopping`].
#[derive(Config, Debug)]
pub struct EarlyStoppingConfig {
    /// How many epochs in a row without improvement stop the run (0 acts as 1).
    pub patience: usize,
    /// The least change that counts as an improvement (default 0: any).
    #[config(default = 0.0)]
    pub min_delta: f64,
    /// Whether smaller or larger is better (default [`EarlyStoppingMode::Min`]).
    #[config(default = "EarlyStoppingMode::Min")]
    pub mode: EarlyStoppingMode,
}

/// Early stopping on a validation metric, one [`update`](Self::update) per epoch.
///
/// A value `v` improves on the best `b` so far when `v < b − min_delta` (mode `Min`) or
/// `v > b + min_delta` (mode `Max`); the first value always does. After `patience` updates
/// in a row without improvement, `update` answers `true`: stop. A value that is not finite
/// (a diverged run) also stops at once. The caller keeps the weights of the best epoch
/// (`epochs_since_best` epochs ago).
#[derive(Clone, Debug)]
pub struct EarlyStopping {
    config: EarlyStoppingConfig,
    best: Option<f64>,
    since_best: usize,
}

impl EarlyStoppingConfig {
    /// A fresh criterion.
    ///
    /// # Panics
    /// When `min_delta` is negative or not finite.
    pub fn init(&self) -> EarlyStopping {
        assert!(
            self.min_delta >= 0.0 && self.min_delta.is_finite(),
            "early stopping: min_delta = {} must be a finite value at least 0",
            self.min_delta
        );
        EarlyStopping {
            config: self.clone(),
            best: None,
            since_best: 0,
        }
    }
}

impl EarlyStopping {
    /// Records this epoch's metric; `true` means stop training.
    pub fn update(&mut self, value: f64) -> bool {
        if !value.is_finite() {
            return true;
        }
        let delta = self.config.min_delta;
        let improved = match (self.best, self.config.mode) {
            (None, _) => true,
            (Some(best), EarlyStoppingMode::Min) => value < best - delta,
            (Some(best), EarlyStoppingMode::Max) => value > best + delta,
        };
        if improved {
            self.best = Some(value);
            self.since_best = 0;
            return false;
        }
        self.since_best += 1;
        self.since_best >= self.config.patience
    }

    /// The best value so far (`None` before the first update).
    pub fn best(&self) -> Option<f64> {
        self.best
    }

    /// Updates since the best value.
    pub fn epochs_since_best(&self) -> usize {
        self.since_best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stops(criterion: &mut EarlyStopping, values: &[f64]) -> Vec<bool> {
        values.iter().map(|v| criterion.update(*v)).collect()
    }

    #[test]
    fn stops_after_patience_epochs_without_improvement() {
        // Best 0.8 at epoch 3; epochs 4, 5 do not beat it; the second of them stops.
        let mut criterion = EarlyStoppingConfig::new(2).init();
        let answers = stops(&mut criterion, &[1.0, 0.9, 0.8, 0.85, 0.8]);
        assert_eq!(answers, [false, false, false, false, true]);
        assert_eq!(criterion.best(), Some(0.8));
        assert_eq!(criterion.epochs_since_best(), 2);
    }

    #[test]
    fn an_improvement_resets_the_count() {
        let mut criterion = EarlyStoppingConfig::new(2).init();
        let answers = stops(&mut criterion, &[1.0, 1.1, 0.7, 0.9, 0.95]);
        assert_eq!(answers, [false, false, false, false, true]);
        assert_eq!(criterion.best(), Some(0.7));
    }

    #[test]
    fn min_delta_ignores_small_gains() {
        // With min_delta 0.05, 0.97 and 0.96 do not beat 1.0 − 0.05 = 0.95; 0.93 would.
        let mut criterion = EarlyStoppingConfig::new(2).with_min_delta(0.05).init();
        let answers = stops(&mut criterion, &[1.0, 0.97, 0.96]);
        assert_eq!(answers, [false, false, true]);
        assert_eq!(criterion.best(), Some(1.0));
        let mut criterion = EarlyStoppingConfig::new(2).with_min_delta(0.05).init();
        let answers = stops(&mut criterion, &[1.0, 0.97, 0.93]);
        assert_eq!(answers, [false, false, false]);
        assert_eq!(criterion.best(), Some(0.93));
    }

    #[test]
    fn max_mode_wants_larger_values() {
        let mut criterion = EarlyStoppingConfig::new(1)
            .with_mode(EarlyStoppingMode::Max)
            .init();
        assert_eq!(
            stops(&mut criterion, &[0.5, 0.6, 0.6]),
            [false, false, true]
        );
        assert_eq!(criterion.best(), Some(0.6));
    }

    #[test]
    fn a_diverged_run_stops_at_once() {
        let mut criterion = EarlyStoppingConfig::new(5).init();
        assert_eq!(stops(&mut criterion, &[1.0, f64::NAN]), [false, true]);
        assert_eq!(criterion.best(), Some(1.0));
    }

    #[test]
    #[should_panic(expected = "min_delta = -0.1 must be a finite value at least 0")]
    fn a_negative_min_delta_is_refused() {
        EarlyStoppingConfig::new(1).with_min_delta(-0.1).init();
    }
}
