//! The settings of a learning-rate range test, and the learning rates its steps take.

use burn::config::Config;

use crate::TrainError;

/// How a learning-rate range test (Smith 2015, "Cyclical Learning Rates for Training Neural
/// Networks", §3.3; fastai's `lr_find`) sweeps: from `start_lr` to `end_lr`, exponentially,
/// over `steps` optimizer steps. Every field has a default, fastai's unless said otherwise.
#[derive(Config, Debug, PartialEq)]
pub struct LrFindConfig {
    /// The learning rate of the first step (default 1e-7).
    #[config(default = 1e-7)]
    pub start_lr: f64,
    /// The learning rate of the last step (default 10): the sweep usually stops before, when
    /// the loss diverges.
    #[config(default = 10.0)]
    pub end_lr: f64,
    /// Optimizer steps (default: one pass over the training split, at most
    /// [`DEFAULT_STEPS`](Self::DEFAULT_STEPS)); more than a pass has batches starts another
    /// pass.
    pub steps: Option<usize>,
    /// β of the loss's exponential moving average, in `[0, 1)` (default 0.98):
    /// `avgₜ = β·avgₜ₋₁ + (1 − β)·lossₜ`, `smoothedₜ = avgₜ / (1 − βᵗ)` (bias-corrected, as
    /// Adam's moments), from `avg₀ = 0`.
    #[config(default = 0.98)]
    pub smoothing: f64,
    /// Stop when the smoothed loss exceeds this many times its minimum so far, above 1
    /// (default 4).
    #[config(default = 4.0)]
    pub divergence: f64,
}

impl LrFindConfig {
    /// Steps of a range test that does not say, when the training split has that many
    /// batches or more (fastai's `lr_find` takes 100; 200 halves the lag of the smoothed
    /// loss in learning-rate terms, for a few more seconds).
    pub const DEFAULT_STEPS: usize = 200;

    /// Checks every value, and gives the number of steps for a training split of
    /// `batches` batches per pass.
    ///
    /// # Errors
    /// [`TrainError::Config`] naming the field and its range; [`TrainError::LrRange`] when
    /// `end_lr` is not above `start_lr`.
    pub fn steps_for(&self, batches: usize) -> Result<usize, TrainError> {
        let invalid = |field, value: f64, allowed| TrainError::Config {
            field,
            value: value.to_string(),
            allowed,
        };
        for (field, lr) in [("start_lr", self.start_lr), ("end_lr", self.end_lr)] {
            if !(lr > 0.0 && lr.is_finite()) {
                return Err(invalid(field, lr, "positive and finite, e.g. 1e-7 or 10"));
            }
        }
        if self.end_lr <= self.start_lr {
            return Err(TrainError::LrRange {
                start: self.start_lr,
                end: self.end_lr,
            });
        }
        if !(0.0..1.0).contains(&self.smoothing) {
            return Err(invalid("smoothing", self.smoothing, "in [0, 1)"));
        }
        if self.divergence.is_nan() || self.divergence <= 1.0 {
            return Err(invalid("divergence", self.divergence, "above 1"));
        }
        match self.steps {
            Some(0) => Err(invalid("steps", 0.0, "at least 1")),
            Some(steps) => Ok(steps),
            None => Ok(batches.clamp(1, Self::DEFAULT_STEPS)),
        }
    }

    /// The learning rate of each of `steps` steps: `ηᵢ = start·(end/start)^(i/(steps − 1))`
    /// for `i = 0 … steps − 1`, so the first is `start_lr`, the last `end_lr`, and each is
    /// the one before times the same ratio (a straight line on a log axis). One step takes
    /// `start_lr`.
    pub fn lrs(&self, steps: usize) -> Vec<f64> {
        let ratio = self.end_lr / self.start_lr;
        let span = steps.saturating_sub(1).max(1) as f64;
        (0..steps)
            .map(|i| self.start_lr * ratio.powf(i as f64 / span))
            // Rounding must not take the last past the end.
            .map(|lr| lr.min(self.end_lr))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rates_grow_by_a_constant_ratio_from_start_to_end() {
        let config = LrFindConfig::new().with_start_lr(1e-4).with_end_lr(1.0);
        let lrs = config.lrs(5);
        let expected = [1e-4, 1e-3, 1e-2, 1e-1, 1.0];
        for (lr, want) in lrs.iter().zip(expected) {
            assert!((lr / want - 1.0).abs() < 1e-12, "{lrs:?}");
        }
        assert_eq!(lrs[0], 1e-4);
        assert!(lrs[4] <= 1.0);
        for pair in lrs.windows(2) {
            assert!((pair[1] / pair[0] - 10.0).abs() < 1e-9, "{lrs:?}");
        }
        // The defaults, 1e-7 to 10 in 201 steps: eight decades, 25 steps each, so a ratio
        // of 10^(1/25) = 1.0964781961431851.
        let lrs = LrFindConfig::new().lrs(201);
        assert_eq!((lrs[0], lrs.len()), (1e-7, 201));
        assert!((lrs[25] / 1e-6 - 1.0).abs() < 1e-12);
        assert!(lrs[200] <= 10.0 && lrs[200] > 10.0 * (1.0 - 1e-12));
        for pair in lrs.windows(2) {
            assert!((pair[1] / pair[0] - 1.096_478_196_143_185).abs() < 1e-9);
        }
        assert_eq!(LrFindConfig::new().lrs(1), [1e-7]);
    }

    #[test]
    fn one_pass_at_most_two_hundred_steps_by_default() {
        let config = LrFindConfig::new();
        assert_eq!(config.steps_for(860).unwrap(), 200);
        assert_eq!(config.steps_for(7).unwrap(), 7);
        assert_eq!(config.with_steps(Some(500)).steps_for(7).unwrap(), 500);
    }

    #[test]
    fn bad_ranges_are_named_with_the_fix() {
        let message = |config: LrFindConfig| config.steps_for(10).unwrap_err().to_string();
        assert_eq!(
            message(LrFindConfig::new().with_start_lr(0.0)),
            "invalid configuration: start_lr = 0 must be positive and finite, e.g. 1e-7 or 10"
        );
        assert_eq!(
            message(LrFindConfig::new().with_end_lr(-1.0)),
            "invalid configuration: end_lr = -1 must be positive and finite, e.g. 1e-7 or 10"
        );
        let backwards = message(LrFindConfig::new().with_start_lr(1.0).with_end_lr(1e-3));
        assert!(
            backwards.contains("1 to 0.001") && backwards.contains("end above the start"),
            "{backwards}"
        );
        assert!(message(LrFindConfig::new().with_steps(Some(0))).contains("steps = 0"));
        assert!(message(LrFindConfig::new().with_smoothing(1.0)).contains("in [0, 1)"));
        assert!(message(LrFindConfig::new().with_divergence(1.0)).contains("above 1"));
    }
}
