//! # ember-losses: loss functions for burn models
//!
//! Contents:
//!
//! **Classification**
//! - [`CrossEntropyLoss`], [`CrossEntropyLossConfig`] (re-exported from burn): the mean over
//!   the batch of `−log softmax(z)[y] = log Σ_j e^{z_j} − z_y`, from logits `z`
//!   `[batch, classes]` and class indices `y` `[batch]`; computed through log-softmax, so
//!   large logits do not overflow.
//!
//! burn's loss is a module built on a device: `CrossEntropyLossConfig::new().init(&device)`.
#![warn(missing_docs)]

pub use burn::nn::loss::{CrossEntropyLoss, CrossEntropyLossConfig};

use burn::prelude::*;

/// A loss a trainer minimises: one batch of predictions and targets -> scalar `[1]`.
pub trait Loss<T = Tensor<1, Int>>: Send + Sync + std::fmt::Debug {
    /// The batch loss, `[1]`.
    fn loss(&self, predictions: Tensor<2>, targets: T) -> Tensor<1>;
}

impl Loss for CrossEntropyLoss {
    fn loss(&self, predictions: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        self.forward(predictions, targets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::*;

    #[test]
    fn cross_entropy_matches_hand_computed_values() {
        let device = Device::flex();
        let logits = Tensor::<2>::from_data([[1.0f32, 2.0, 3.0], [0.0, 0.0, 0.0]], &device);
        let targets = Tensor::<1, Int>::from_data(TensorData::new(vec![2i64, 0], [2]), &device);
        let loss = CrossEntropyLossConfig::new()
            .init(&device)
            .forward(logits, targets)
            .into_scalar::<f32>();
        // Row 1: log(1 + e^-1 + e^-2) = 0.40760596; row 2: log 3 = 1.09861229; mean 0.75310913.
        assert!((loss - 0.753_109_1).abs() < 1e-6, "{loss}");
    }

    #[test]
    fn cross_entropy_does_not_overflow_on_large_logits() {
        let device = Device::flex();
        let logits = Tensor::<2>::from_data([[1000.0f32, 0.0]], &device);
        let targets = Tensor::<1, Int>::from_data(TensorData::new(vec![1i64], [1]), &device);
        let loss = CrossEntropyLossConfig::new()
            .init(&device)
            .forward(logits, targets)
            .into_scalar::<f32>();
        assert!((loss - 1000.0).abs() < 1e-3, "{loss}");
    }
}
