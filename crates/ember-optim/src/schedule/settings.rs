//! Setting one parameter of a [`ScheduleKind`] (what `--gamma`, `--step-size` and `--warmup`
//! do). Ranges are checked where every schedule is checked, by [`ScheduleKind::build`],
//! before a run starts.

use super::ScheduleKind;
use crate::OptimError;

impl ScheduleKind {
    /// Sets `γ` of the step, exponential and inverse-time schedules.
    ///
    /// ```
    /// use ember_optim::ScheduleKind;
    ///
    /// let kind: ScheduleKind = "exponential".parse()?;
    /// assert_eq!(kind.with_gamma(0.5)?, ScheduleKind::Exponential { gamma: 0.5 });
    /// assert!("cosine".parse::<ScheduleKind>()?.with_gamma(0.5).is_err());
    /// # Ok::<(), ember_optim::OptimError>(())
    /// ```
    ///
    /// # Errors
    /// [`OptimError::NoSuchParameter`] for the other kinds.
    pub fn with_gamma(self, value: f64) -> Result<Self, OptimError> {
        match self {
            ScheduleKind::Step { every_epochs, .. } => Ok(ScheduleKind::Step {
                every_epochs,
                gamma: value,
            }),
            ScheduleKind::Exponential { .. } => Ok(ScheduleKind::Exponential { gamma: value }),
            ScheduleKind::InverseTime { .. } => Ok(ScheduleKind::InverseTime { gamma: value }),
            _ => Err(missing(
                self,
                "gamma",
                "step, exponential and inverse-time have one",
            )),
        }
    }

    /// Sets the step schedule's epochs between drops `k`.
    ///
    /// # Errors
    /// [`OptimError::NoSuchParameter`] for the other kinds.
    pub fn with_step_size(self, epochs: usize) -> Result<Self, OptimError> {
        match self {
            ScheduleKind::Step { gamma, .. } => Ok(ScheduleKind::Step {
                every_epochs: epochs,
                gamma,
            }),
            _ => Err(missing(self, "step size", "step has one")),
        }
    }

    /// Sets the warm-up-cosine schedule's warm-up epochs `w`.
    ///
    /// # Errors
    /// [`OptimError::NoSuchParameter`] for the other kinds.
    pub fn with_warmup(self, epochs: usize) -> Result<Self, OptimError> {
        match self {
            ScheduleKind::WarmupCosine { start_factor, .. } => Ok(ScheduleKind::WarmupCosine {
                warmup_epochs: epochs,
                start_factor,
            }),
            _ => Err(missing(self, "warm-up", "warmup-cosine has one")),
        }
    }
}

fn missing(kind: ScheduleKind, parameter: &'static str, has: &'static str) -> OptimError {
    OptimError::NoSuchParameter {
        what: "schedule",
        kind: kind.name(),
        parameter,
        has,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> ScheduleKind {
        name.parse().unwrap()
    }

    #[test]
    fn each_setting_reaches_the_kinds_that_have_it() {
        let step = kind("step")
            .with_gamma(0.1)
            .unwrap()
            .with_step_size(3)
            .unwrap();
        assert_eq!(
            step,
            ScheduleKind::Step {
                every_epochs: 3,
                gamma: 0.1
            }
        );
        assert_eq!(
            kind("inverse-time").with_gamma(2.0).unwrap(),
            ScheduleKind::InverseTime { gamma: 2.0 }
        );
        assert_eq!(
            kind("warmup-cosine").with_warmup(2).unwrap(),
            ScheduleKind::WarmupCosine {
                warmup_epochs: 2,
                start_factor: 0.1
            }
        );
    }

    #[test]
    fn a_setting_the_kind_lacks_is_named_and_a_bad_value_fails_the_build() {
        assert_eq!(
            kind("cosine").with_gamma(0.5).unwrap_err().to_string(),
            "the cosine schedule has no gamma; step, exponential and inverse-time have one"
        );
        assert!(kind("exponential").with_step_size(2).is_err());
        assert!(kind("step").with_warmup(1).is_err());
        // Exponential decay needs γ in (0, 1]: set, then refused before any training.
        let too_large = kind("exponential").with_gamma(1.5).unwrap();
        assert!(too_large.build(1e-3, 10, 100).is_err());
    }
}
