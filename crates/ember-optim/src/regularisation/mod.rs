//! Regularisation: penalties added to the loss, gradient clipping, early stopping.

mod early_stopping;
mod gradient_clipping;
mod penalty;

pub use early_stopping::{EarlyStopping, EarlyStoppingConfig, EarlyStoppingMode};
pub use gradient_clipping::{GradientClipping, GradientClippingConfig};
pub use penalty::{l1_penalty, l2_penalty};
