//! # ember-losses: loss functions for burn models
//!
//! Every loss is a `XLoss` built from its `XLossConfig` (`XLossConfig::new().init()`, no
//! device needed), with `forward(predictions, targets) -> Tensor<1>` reduced by its
//! [`Reduction`], `per_example` for the `[batch]` losses, and the [`Loss`] trait a trainer
//! calls. Predictions are `[batch, n]`; targets are class indices `Tensor<1, Int>` `[batch]`
//! for class losses, float tensors shaped like the predictions otherwise. A shape mismatch
//! panics with a message naming the loss and both shapes.
//!
//! Contents:
//!
//! **Reduction and the trait**
//! - [`Reduction`]: `Mean` (default) / `Sum` over the batch `[1]`, or `None`, the
//!   per-example losses `[batch]` (element-wise losses: mean over the `n` outputs per example).
//! - [`Loss`]: `loss(predictions: Tensor<2>, targets: T) -> Tensor<1>`, one `[1]` scalar per
//!   batch (`Reduction::None` gives the mean); implement it to plug in your own loss.
//!
//! **Regression**
//! - [`MseLoss`], [`MseLossConfig`]: mean squared error `(ŷ − y)²`.
//! - [`MaeLoss`], [`MaeLossConfig`]: mean absolute error `|ŷ − y|`.
//! - [`MsleLoss`], [`MsleLossConfig`]: mean squared log error
//!   `(log(1 + max(ŷ, ε)) − log(1 + max(y, ε)))²`.
//! - [`MapeLoss`], [`MapeLossConfig`]: mean absolute percentage error
//!   `100·|y − ŷ| / max(|y|, ε)`.
//! - [`HuberLoss`], [`HuberLossConfig`]: Huber / smooth L1, `r²/2` within `δ`,
//!   `δ(|r| − δ/2)` outside.
//!
//! **Classification (probabilistic)**
//! - [`CrossEntropyLoss`], [`CrossEntropyLossConfig`]: `−log softmax(z)[y]` from logits
//!   (stable for ±1000), or `−log clip(p_y, ε, 1 − ε)` from probabilities.
//! - [`BinaryCrossEntropyLoss`], [`BinaryCrossEntropyLossConfig`]: logistic loss
//!   `max(z, 0) − z·y + log(1 + e^{−|z|})` from logits, or from clipped probabilities.
//! - [`NllLoss`], [`NllLossConfig`]: negative log-likelihood `−a[y]` of log-probabilities.
//!
//! **Margin-based**
//! - [`HingeLoss`], [`HingeLossConfig`]: `max(0, 1 − y·s)`, labels ±1.
//! - [`SquaredHingeLoss`], [`SquaredHingeLossConfig`]: `max(0, 1 − y·s)²`, labels ±1.
//! - [`ExponentialLoss`], [`ExponentialLossConfig`]: `exp(−y·s)`, labels ±1.
//! - [`MultiClassHingeLoss`], [`MultiClassHingeLossConfig`], [`MultiClassHinge`]:
//!   Weston–Watkins `Σ_{j≠y} max(0, m + s_j − s_y)` (default) or Crammer–Singer
//!   `max(0, m + max_{j≠y} s_j − s_y)`.
//!
//! **Choosing a loss for a classifier**
//! - [`LossKind`], [`UnknownLoss`]: a loss by name (`--loss mse`), computed from a
//!   classifier's logits and class indices: on the probabilities, log-probabilities or
//!   scores, against one-hot targets where the loss needs them.
//! - [`one_hot`]: class indices `[batch]` → rows `[batch, classes]` of `on`/`off` values
//!   (0/1, or ±1 for the margin losses).
//!
//! burn's own losses stay under `burn::nn::loss` (e.g. its `CrossEntropyLoss` with label
//! smoothing and class weights); Ember's same-named types differ as their docs say.
//!
//! # Example
//!
//! ```
//! use burn::prelude::*;
//! use ember_losses::{CrossEntropyLossConfig, Loss, MseLossConfig, Reduction};
//!
//! let device = Device::flex();
//! let logits = Tensor::<2>::from_data([[1.0f32, 2.0, 3.0], [0.0, 0.0, 0.0]], &device);
//! let classes = Tensor::<1, Int>::from_data([2, 0], &device);
//!
//! // Mean cross-entropy over the batch, [1]: (0.4076 + 1.0986) / 2.
//! let loss = CrossEntropyLossConfig::new().init().forward(logits.clone(), classes.clone());
//! assert!((loss.into_scalar::<f32>() - 0.7531).abs() < 1e-4);
//!
//! // Per-example losses, [batch].
//! let each = CrossEntropyLossConfig::new()
//!     .with_reduction(Reduction::None)
//!     .init()
//!     .forward(logits, classes);
//! assert_eq!(each.dims(), [2]);
//!
//! // Through the trait, as a trainer does: (1 − 0)² everywhere.
//! let mse = MseLossConfig::new().init();
//! let scalar = mse.loss(Tensor::zeros([4, 2], &device), Tensor::ones([4, 2], &device));
//! assert_eq!(scalar.into_scalar::<f32>(), 1.0);
//! ```
#![warn(missing_docs)]

mod binary_cross_entropy;
mod cross_entropy;
mod exponential;
mod hinge;
mod huber;
mod kind;
mod loss;
mod mae;
mod mape;
mod mse;
mod msle;
mod multiclass_hinge;
mod nll;
mod one_hot;
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
pub use kind::{LossKind, UnknownLoss};
pub use loss::Loss;
pub use mae::{MaeLoss, MaeLossConfig};
pub use mape::{MapeLoss, MapeLossConfig};
pub use mse::{MseLoss, MseLossConfig};
pub use msle::{MsleLoss, MsleLossConfig};
pub use multiclass_hinge::{MultiClassHinge, MultiClassHingeLoss, MultiClassHingeLossConfig};
pub use nll::{NllLoss, NllLossConfig};
pub use one_hot::one_hot;
pub use reduction::Reduction;
pub use squared_hinge::{SquaredHingeLoss, SquaredHingeLossConfig};
