//! Choosing a learning-rate schedule by name, in epochs, for a run of known length.

use std::str::FromStr;

use burn::lr_scheduler::cosine::CosineAnnealingLrSchedulerConfig;
use burn::lr_scheduler::exponential::ExponentialLrSchedulerConfig;
use burn::lr_scheduler::linear::LinearLrSchedulerConfig;
use burn::lr_scheduler::module_lr_scheduler::ModuleLrScheduler;
use burn::lr_scheduler::sequential::SequentialLrSchedulerConfig;
use burn::lr_scheduler::step::StepLrSchedulerConfig;
use burn::lr_scheduler::LrSchedulerConfig;

use strum::{EnumCount, VariantNames};

use super::inverse_time::InverseTimeDecayConfig;
use crate::OptimError;

/// A learning-rate schedule chosen by name (`--schedule constant|step|exponential|
/// inverse-time|cosine|warmup-cosine`), with its parameters in epochs, built by
/// [`build`](Self::build) for a run of known length.
///
/// burn-train steps a schedule once per iteration (before each optimizer step), so the
/// built schedules count iterations `t = 0, 1, ...`; below `e = t / I` is the epoch,
/// fractional, with `I` iterations per epoch, and `T` the run's iterations.
///
/// - `Constant`: `η_t = η₀`.
/// - `Step`: `η_t = η₀·γ^⌊e / k⌋`, dropping at every `k`-th epoch boundary (burn's
///   `StepLrScheduler` with step size `k·I`).
/// - `Exponential`: `η_t = η₀·γ^e`, decayed a little every iteration (burn's
///   `ExponentialLrScheduler` with factor `γ^(1/I)`); equals `η₀·γᵉ` at each epoch start.
/// - `InverseTime`: `η_t = η₀ / (1 + γ·e)` ([`InverseTimeDecay`](super::InverseTimeDecay)
///   with `γ / I` per iteration).
/// - `Cosine`: `η_t = η₀·(1 + cos(π·t/T))/2`, to 0 at the end of the run (burn's
///   `CosineAnnealingLrScheduler`, PyTorch's `CosineAnnealingLR` with `η_min = 0`).
/// - `WarmupCosine`: a linear warm-up over `W = w·I` iterations,
///   `η_t = η₀·(s + (1 − s)·t/W)` for `t < W`, then the cosine over the remaining `T − W`
///   (burn's `LinearLrScheduler` then `CosineAnnealingLrScheduler`, joined by its
///   `SequentialLrScheduler`).
///
/// [`Display`](std::fmt::Display) gives the name alone; serde the name and the parameters.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    serde::Serialize,
    serde::Deserialize,
    strum::Display,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::EnumCount,
)]
#[serde(tag = "name", rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ScheduleKind {
    /// A constant rate.
    Constant,
    /// Multiply by `gamma` every `every_epochs` epochs.
    Step {
        /// `k`, epochs between drops (default 5).
        every_epochs: usize,
        /// `γ` (default 0.5).
        gamma: f64,
    },
    /// Multiply by `gamma` per epoch, smoothly.
    Exponential {
        /// `γ` per epoch, in `(0, 1]` (default 0.9).
        gamma: f64,
    },
    /// Divide by `1 + gamma·epoch`.
    InverseTime {
        /// `γ` per epoch, at least 0 (default 0.5).
        gamma: f64,
    },
    /// Cosine annealing to 0 over the run.
    Cosine,
    /// Linear warm-up, then cosine annealing to 0.
    WarmupCosine {
        /// `w`, epochs of warm-up (default 1).
        warmup_epochs: usize,
        /// `s`, the first step's fraction of `η₀`, in `(0, 1]` (default 0.1).
        start_factor: f64,
    },
}

impl ScheduleKind {
    /// The names accepted by [`FromStr`], each giving the defaults above.
    pub const NAMES: &'static [&'static str] = Self::VARIANTS;

    /// Every kind with the defaults its name gives, in the order of [`Self::NAMES`].
    const DEFAULTS: [ScheduleKind; Self::COUNT] = [
        ScheduleKind::Constant,
        ScheduleKind::Step {
            every_epochs: 5,
            gamma: 0.5,
        },
        ScheduleKind::Exponential { gamma: 0.9 },
        ScheduleKind::InverseTime { gamma: 0.5 },
        ScheduleKind::Cosine,
        ScheduleKind::WarmupCosine {
            warmup_epochs: 1,
            start_factor: 0.1,
        },
    ];

    /// The name of this kind (its [`Display`](std::fmt::Display)).
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// Builds the schedule for a run starting at `lr0` with `iterations_per_epoch` optimizer
    /// steps per epoch and `total_iterations` in all.
    ///
    /// # Errors
    /// [`OptimError::OutOfRange`] when `lr0 ∉ (0, 1]` (burn's schedules refuse larger rates)
    /// or a parameter is out of its range ([`OptimError::Burn`] where burn's own check
    /// refuses it), [`OptimError::EmptyRun`] when `iterations_per_epoch` or
    /// `total_iterations` is 0, [`OptimError::ScheduleTooLong`] when the warm-up is not
    /// shorter than the run.
    pub fn build(
        &self,
        lr0: f64,
        iterations_per_epoch: usize,
        total_iterations: usize,
    ) -> Result<ModuleLrScheduler, OptimError> {
        let schedule = self.name();
        if !(lr0 > 0.0 && lr0 <= 1.0) {
            return Err(OptimError::OutOfRange {
                what: format!("{schedule} schedule"),
                field: "learning rate",
                value: lr0,
                allowed: "in (0, 1]; burn's schedules refuse larger rates",
            });
        }
        if iterations_per_epoch == 0 || total_iterations == 0 {
            return Err(OptimError::EmptyRun {
                schedule,
                iterations_per_epoch,
                total_iterations,
            });
        }
        let per_epoch = iterations_per_epoch as f64;
        let burn = |message| OptimError::Burn { schedule, message };
        match *self {
            ScheduleKind::Constant => Ok(ModuleLrScheduler::new(lr0)),
            ScheduleKind::Step {
                every_epochs,
                gamma,
            } => StepLrSchedulerConfig::new(lr0, every_epochs * iterations_per_epoch)
                .with_gamma(gamma)
                .init()
                .map_err(burn),
            ScheduleKind::Exponential { gamma } => {
                ExponentialLrSchedulerConfig::new(lr0, gamma.powf(1.0 / per_epoch))
                    .init()
                    .map_err(burn)
            }
            ScheduleKind::InverseTime { gamma } => {
                InverseTimeDecayConfig::new(lr0, gamma / per_epoch).init()
            }
            ScheduleKind::Cosine => CosineAnnealingLrSchedulerConfig::new(lr0, total_iterations)
                .init()
                .map_err(burn),
            ScheduleKind::WarmupCosine {
                warmup_epochs,
                start_factor,
            } => warmup_cosine(
                lr0,
                warmup_epochs * iterations_per_epoch,
                start_factor,
                total_iterations,
            ),
        }
    }
}

fn warmup_cosine(
    lr0: f64,
    warmup: usize,
    start_factor: f64,
    total: usize,
) -> Result<ModuleLrScheduler, OptimError> {
    let schedule = "warmup-cosine";
    if warmup == 0 || warmup >= total {
        return Err(OptimError::ScheduleTooLong {
            schedule,
            warmup,
            total,
        });
    }
    if !(start_factor > 0.0 && start_factor <= 1.0) {
        return Err(OptimError::OutOfRange {
            what: format!("{schedule} schedule"),
            field: "start_factor",
            value: start_factor,
            allowed: "in (0, 1]",
        });
    }
    let warm_up = LinearLrSchedulerConfig::new(lr0 * start_factor, lr0, warmup);
    let anneal = CosineAnnealingLrSchedulerConfig::new(lr0, total - warmup);
    SequentialLrSchedulerConfig::new(
        vec![
            LrSchedulerConfig::Linear(warm_up),
            LrSchedulerConfig::Cosine(anneal),
        ],
        vec![warmup],
    )
    .init()
    .map_err(|message| OptimError::Burn { schedule, message })
}

impl FromStr for ScheduleKind {
    type Err = OptimError;

    /// One of [`ScheduleKind::NAMES`] (case and surrounding spaces ignored), with the
    /// defaults documented on each variant.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        Self::DEFAULTS
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| OptimError::UnknownName {
                what: "schedule",
                name: name.to_string(),
                choices: Self::NAMES.join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first `n` rates of `kind` built for `lr0 = 0.1`, `per_epoch` iterations per
    /// epoch and `total` in all.
    fn rates(kind: ScheduleKind, per_epoch: usize, total: usize, n: usize) -> Vec<f64> {
        let mut schedule = kind.build(0.1, per_epoch, total).unwrap();
        (0..n).map(|_| schedule.step().base()).collect()
    }

    fn close(actual: &[f64], expected: &[f64]) {
        assert_eq!(actual.len(), expected.len());
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() < 1e-9, "{actual:?}\nexpected {expected:?}");
        }
    }

    #[test]
    fn constant() {
        close(&rates(ScheduleKind::Constant, 3, 9, 4), &[0.1; 4]);
    }

    #[test]
    fn step_drops_at_every_kth_epoch_boundary() {
        // k = 2 epochs of 3 iterations: t = 0..5 at 0.1, t = 6..11 at 0.05, t = 12 at 0.025.
        let kind = ScheduleKind::Step {
            every_epochs: 2,
            gamma: 0.5,
        };
        let mut expected = vec![0.1; 6];
        expected.extend([0.05; 6]);
        expected.push(0.025);
        close(&rates(kind, 3, 30, 13), &expected);
    }

    #[test]
    fn exponential_is_gamma_to_the_fractional_epoch() {
        // 0.1·0.9^(t/2): t = 0 → 0.1, 1 → 0.1·√0.9 = 0.0948683, 2 → 0.09, 3 → 0.0853815,
        // 4 → 0.081.
        let kind = ScheduleKind::Exponential { gamma: 0.9 };
        close(
            &rates(kind, 2, 10, 5),
            &[0.1, 0.094_868_329_8, 0.09, 0.085_381_496_8, 0.081],
        );
    }

    #[test]
    fn inverse_time_divides_by_one_plus_gamma_epoch() {
        // 0.1/(1 + 0.5·t/2): 0.1, 0.1/1.25 = 0.08, 0.1/1.5, 0.1/1.75, 0.1/2.
        let kind = ScheduleKind::InverseTime { gamma: 0.5 };
        close(
            &rates(kind, 2, 10, 5),
            &[0.1, 0.08, 0.1 / 1.5, 0.1 / 1.75, 0.05],
        );
    }

    #[test]
    fn cosine_anneals_to_zero_over_the_run() {
        // 0.1·(1 + cos(π·t/4))/2: 0.1, 0.0853553, 0.05, 0.0146447, 0.
        close(
            &rates(ScheduleKind::Cosine, 2, 4, 5),
            &[0.1, 0.085_355_339_1, 0.05, 0.014_644_660_9, 0.0],
        );
    }

    #[test]
    fn warmup_then_cosine_composes_two_schedules() {
        // W = 1 epoch of 2 iterations from 0.1·0.1: t = 0 → 0.01, t = 1 → 0.01 + 0.09/2 =
        // 0.055; then the cosine over T − W = 4: 0.1, 0.0853553, 0.05, 0.0146447.
        let kind: ScheduleKind = "warmup-cosine".parse().unwrap();
        close(
            &rates(kind, 2, 6, 6),
            &[0.01, 0.055, 0.1, 0.085_355_339_1, 0.05, 0.014_644_660_9],
        );
    }

    #[test]
    fn a_warmup_as_long_as_the_run_is_refused() {
        let kind: ScheduleKind = "warmup-cosine".parse().unwrap();
        let err = kind.build(0.1, 10, 10).err().unwrap().to_string();
        assert!(err.contains("warm-up of 10 iterations"), "{err}");
        assert!(err.contains("warmup_epochs"), "{err}");
        let kind = ScheduleKind::WarmupCosine {
            warmup_epochs: 1,
            start_factor: 0.0,
        };
        let err = kind.build(0.1, 2, 10).err().unwrap().to_string();
        assert_eq!(
            err,
            "warmup-cosine schedule: start_factor 0 must be in (0, 1]"
        );
    }

    #[test]
    fn bad_run_shapes_and_rates_are_named() {
        let err = ScheduleKind::Cosine
            .build(0.1, 0, 10)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("iterations per epoch (0)"), "{err}");
        let err = ScheduleKind::Cosine
            .build(2.0, 1, 10)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("learning rate 2 must be in (0, 1]"), "{err}");
        let kind = ScheduleKind::Exponential { gamma: 1.5 };
        let err = kind.build(0.1, 1, 10).err().unwrap().to_string();
        assert!(err.starts_with("exponential schedule: Gamma"), "{err}");
    }

    #[test]
    fn names_parse_and_serialise() {
        assert_eq!(ScheduleKind::NAMES.len(), ScheduleKind::DEFAULTS.len());
        for &name in ScheduleKind::NAMES {
            let kind: ScheduleKind = name.parse().unwrap();
            assert_eq!(kind.to_string(), name);
            assert_eq!(kind.name(), name);
            kind.build(0.1, 10, 100).unwrap();
        }
        let kind: ScheduleKind = " Warmup-Cosine ".parse().unwrap();
        assert_eq!(kind.name(), "warmup-cosine");
        let err = "onecycle".parse::<ScheduleKind>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown schedule `onecycle`; choose one of: constant, step, exponential, \
             inverse-time, cosine, warmup-cosine"
        );
        let json = serde_json::to_string(&ScheduleKind::InverseTime { gamma: 0.5 }).unwrap();
        assert_eq!(json, r#"{"name":"inverse-time","gamma":0.5}"#);
        let back: ScheduleKind = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ScheduleKind::InverseTime { gamma: 0.5 });
    }
}
