//! Optimizers: the ones burn lacks, and the choice of one by name.

mod adadelta;
mod kind;
mod settings;
#[cfg(test)]
mod update_rules;

pub use adadelta::{Adadelta, AdadeltaConfig, AdadeltaState};
pub use kind::OptimizerKind;
