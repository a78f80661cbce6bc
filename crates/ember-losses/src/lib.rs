//! # ember-losses: loss functions for burn models
#![warn(missing_docs)]

mod binary_cross_entropy;
mod cross_entropy;
mod exponential;
mod hinge;
mod huber;
mod loss;
mod mae;
mod mape;
mod mse;
mod msle;
mod multiclass_hinge;
mod nll;
mod reduction;
mod shapes;
mod squared_hinge;
#[cfg(test)]
mod test_support;

pub use binary_cross_entropy::{BinaryCrossEntropyLoss, BinaryCrossEntropyLossConfig};
pub use cross_entropy::{CrossEntropyLoss, CrossEntropyLossConfig};
pub use exponential::{ExponentialLoss, ExponentialLossConfig};
pub use hinge::{HingeLoss, HingeLossConfig};
pub use huber::{HuberLoss, HuberLossConfig};
pub use loss::Loss;
pub use mae::{MaeLoss, MaeLossConfig};
pub use mape::{MapeLoss, MapeLossConfig};
pub use mse::{MseLoss, MseLossConfig};
pub use msle::{MsleLoss, MsleLossConfig};
pub use multiclass_hinge::{MultiClassHinge, MultiClassHingeLoss, MultiClassHingeLossConfig};
pub use nll::{NllLoss, NllLossConfig};
pub use reduction::Reduction;
pub use squared_hinge::{SquaredHingeLoss, SquaredHingeLossConfig};
