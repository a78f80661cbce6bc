//! Learning-rate schedules: the one burn lacks, and the choice of one by name.

mod inverse_time;
mod kind;

pub use inverse_time::{InverseTimeDecay, InverseTimeDecayConfig};
pub use kind::ScheduleKind;
