//! What can go wrong when an optimizer or a schedule is chosen by name or built.

use thiserror::Error;

/// Why an optimizer or learning-rate schedule could not be chosen or built. Each message
/// names the value, what is allowed and the fix.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OptimError {
    /// The name is not one Ember knows.
    #[error("unknown {what} `{name}`; choose one of: {choices}")]
    UnknownName {
        /// What was named: `optimizer` or `schedule`.
        what: &'static str,
        /// The name given.
        name: String,
        /// The accepted names, comma-separated.
        choices: String,
    },
    /// A parameter lies outside its range.
    #[error("{what}: {field} {value} must be {allowed}")]
    OutOfRange {
        /// What refused it, e.g. `cosine schedule` or `inverse-time decay`.
        what: String,
        /// The parameter, e.g. `learning rate`.
        field: &'static str,
        /// The value given.
        value: f64,
        /// The accepted range, e.g. `in (0, 1]`.
        allowed: &'static str,
    },
    /// A schedule was asked for a run without iterations.
    #[error(
        "{schedule} schedule: iterations per epoch ({iterations_per_epoch}) and in total \
         ({total_iterations}) must be at least 1"
    )]
    EmptyRun {
        /// The schedule's name.
        schedule: &'static str,
        /// Iterations per epoch given.
        iterations_per_epoch: usize,
        /// Iterations in all given.
        total_iterations: usize,
    },
    /// The warm-up is empty or does not leave any iteration to the schedule after it.
    #[error(
        "{schedule} schedule: a warm-up of {warmup} iterations must be at least 1 and shorter \
         than the run's {total}; change warmup_epochs or train longer"
    )]
    ScheduleTooLong {
        /// The schedule's name.
        schedule: &'static str,
        /// The warm-up's iterations (`warmup_epochs · iterations_per_epoch`).
        warmup: usize,
        /// The run's iterations.
        total: usize,
    },
    /// A hyper-parameter was set on a kind that does not have it (`--momentum` with Adam).
    #[error("the {kind} {what} has no {parameter}; {has}")]
    NoSuchParameter {
        /// `optimizer` or `schedule`.
        what: &'static str,
        /// The kind's name, e.g. `adam`.
        kind: &'static str,
        /// The parameter, e.g. `momentum`.
        parameter: &'static str,
        /// The kinds that have it, e.g. `momentum and nesterov have one`.
        has: &'static str,
    },
    /// burn refused the schedule's configuration (its message names the value).
    #[error("{schedule} schedule: {message}")]
    Burn {
        /// The schedule's name.
        schedule: &'static str,
        /// burn's message.
        message: String,
    },
}
