//! burn's re-exported schedules that [`ScheduleKind`](super::ScheduleKind) does not build,
//! pinned to their formulas.

use burn::lr_scheduler::composed::ComposedLrSchedulerConfig;
use burn::lr_scheduler::exponential::ExponentialLrSchedulerConfig;
use burn::lr_scheduler::linear::LinearLrSchedulerConfig;
use burn::lr_scheduler::module_lr_scheduler::ModuleLrScheduler;
use burn::lr_scheduler::step::StepLrSchedulerConfig;

fn rates(mut schedule: ModuleLrScheduler, n: usize) -> Vec<f64> {
    (0..n).map(|_| schedule.step().base()).collect()
}

fn close(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() < 1e-12, "{actual:?}\nexpected {expected:?}");
    }
}

#[test]
fn step_gamma_defaults_to_a_tenth() {
    // 0.1·0.1^⌊t/2⌋: 0.1, 0.1, 0.01, 0.01, 0.001.
    let schedule = StepLrSchedulerConfig::new(0.1, 2).init().unwrap();
    close(&rates(schedule, 5), &[0.1, 0.1, 0.01, 0.01, 0.001]);
}

#[test]
fn linear_moves_evenly_then_stays() {
    // 0.1 to 0.3 over 4 steps: 0.1, 0.15, 0.2, 0.25, 0.3, then 0.3.
    let schedule = LinearLrSchedulerConfig::new(0.1, 0.3, 4).init().unwrap();
    close(&rates(schedule, 6), &[0.1, 0.15, 0.2, 0.25, 0.3, 0.3]);
}

#[test]
fn composed_multiplies_by_default() {
    // 0.5 × 0.1·0.5ᵗ: 0.05, 0.025, 0.0125.
    let schedule = ComposedLrSchedulerConfig::new()
        .constant(0.5)
        .exponential(ExponentialLrSchedulerConfig::new(0.1, 0.5))
        .init()
        .unwrap();
    close(&rates(schedule, 3), &[0.05, 0.025, 0.0125]);
}
