//! Learning-rate schedules: the one burn lacks, and the choice of one by name.

#[cfg(test)]
mod burn_schedules;
mod inverse_time;
mod kind;
mod settings;

pub use inverse_time::{InverseTimeDecay, InverseTimeDecayConfig};
pub use kind::ScheduleKind;
