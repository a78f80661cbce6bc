//! Inverse-time decay, which burn 0.22 does not have.

use burn::config::Config;
use burn::lr_scheduler::module_lr_scheduler::ModuleLrScheduler;
use burn::lr_scheduler::{LrScheduler, LrSchedulerRecord};
use burn::optim::LearningRate;

use crate::OptimError;

/// Configuration of [`InverseTimeDecay`].
#[derive(Config, Debug)]
pub struct InverseTimeDecayConfig {
    /// `η₀`, the rate of the first step; must be positive.
    pub initial_lr: LearningRate,
    /// `γ`, the decay per step; must be at least 0 (0 gives a constant rate).
    pub gamma: f64,
}

/// Inverse-time decay: `η_t = η₀ / (1 + γ·t)`, where `t = 0, 1, 2, ...` counts the calls to
/// [`LrScheduler::step`]. burn-train steps the schedule once per iteration (optimizer step),
/// so `t` counts iterations; for a decay per epoch pass `γ / iterations_per_epoch`
/// ([`ScheduleKind::InverseTime`](super::ScheduleKind::InverseTime) does).
///
/// The rate falls like `1/t`, the classic condition (Robbins–Monro: `Σ η_t = ∞`,
/// `Σ η_t² < ∞`) under which SGD converges on a convex problem.
#[derive(Clone, Debug)]
pub struct InverseTimeDecay {
    initial_lr: LearningRate,
    gamma: f64,
    t: usize,
}

impl InverseTimeDecayConfig {
    /// The schedule itself.
    ///
    /// # Errors
    /// [`OptimError::OutOfRange`] when `initial_lr ≤ 0` or `gamma < 0` (or either is not
    /// finite), naming the value.
    pub fn build(&self) -> Result<InverseTimeDecay, OptimError> {
        let out_of_range = |field, value, allowed| OptimError::OutOfRange {
            what: "inverse-time decay".to_string(),
            field,
            value,
            allowed,
        };
        if !(self.initial_lr > 0.0 && self.initial_lr.is_finite()) {
            let allowed = "positive (and finite)";
            return Err(out_of_range(
                "initial learning rate",
                self.initial_lr,
                allowed,
            ));
        }
        if !(self.gamma >= 0.0 && self.gamma.is_finite()) {
            let allowed = "at least 0 (and finite; 0 gives a constant rate)";
            return Err(out_of_range("gamma", self.gamma, allowed));
        }
        Ok(InverseTimeDecay {
            initial_lr: self.initial_lr,
            gamma: self.gamma,
            t: 0,
        })
    }

    /// The schedule as burn-train's `Learner` takes it.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn init(&self) -> Result<ModuleLrScheduler, OptimError> {
        self.build().map(ModuleLrScheduler::new)
    }
}

impl LrScheduler for InverseTimeDecay {
    fn step(&mut self) -> LearningRate {
        let lr = self.initial_lr / (1.0 + self.gamma * self.t as f64);
        self.t += 1;
        lr
    }

    fn to_record(&self) -> LrSchedulerRecord {
        LrSchedulerRecord::new().with_scalar("t", self.t)
    }

    fn load_record(&mut self, record: LrSchedulerRecord) {
        if let Some(t) = record.scalar::<usize>("t") {
            self.t = t;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(mut schedule: impl LrScheduler, n: usize) -> Vec<f64> {
        (0..n).map(|_| schedule.step()).collect()
    }

    fn close(actual: &[f64], expected: &[f64]) {
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() < 1e-12, "{actual:?}\nexpected {expected:?}");
        }
        assert_eq!(actual.len(), expected.len());
    }

    #[test]
    fn follows_eta0_over_one_plus_gamma_t() {
        // 0.1/(1 + 0.5·t) for t = 0..4: 0.1/1, 0.1/1.5, 0.1/2, 0.1/2.5, 0.1/3.
        let schedule = InverseTimeDecayConfig::new(0.1, 0.5).build().unwrap();
        close(
            &first(schedule, 5),
            &[0.1, 0.1 / 1.5, 0.05, 0.04, 0.1 / 3.0],
        );
    }

    #[test]
    fn resumes_from_its_record() {
        let mut schedule = InverseTimeDecayConfig::new(0.1, 0.5).build().unwrap();
        schedule.step();
        schedule.step();
        let record = schedule.to_record();
        let mut fresh = InverseTimeDecayConfig::new(0.1, 0.5).build().unwrap();
        fresh.load_record(record);
        // t = 2, 3: 0.1/2, 0.1/2.5.
        close(&first(fresh, 2), &[0.05, 0.04]);
    }

    #[test]
    fn bad_values_are_named() {
        let err = InverseTimeDecayConfig::new(0.0, 0.5).build().unwrap_err();
        assert_eq!(
            err.to_string(),
            "inverse-time decay: initial learning rate 0 must be positive (and finite)"
        );
        let err = InverseTimeDecayConfig::new(0.1, -1.0).build().unwrap_err();
        assert!(matches!(
            err,
            OptimError::OutOfRange { field: "gamma", value, .. } if value == -1.0
        ));
        assert!(
            err.to_string().contains("gamma -1 must be at least 0"),
            "{err}"
        );
    }
}
