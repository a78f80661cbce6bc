//! The trait through which a trainer uses a loss, Ember's or a user's own.

use burn::prelude::*;

/// A loss a trainer minimises: one batch of predictions and targets -> scalar `[1]`.
///
/// `T` is what the targets are: class indices `Tensor<1, Int>` `[batch]` (the default, for
/// [`CrossEntropyLoss`](crate::CrossEntropyLoss), [`NllLoss`](crate::NllLoss),
/// [`MultiClassHingeLoss`](crate::MultiClassHingeLoss)), or `Tensor<2>` shaped like the
/// predictions (regression, binary and margin losses).
///
/// Every Ember loss implements it with its configured [`Reduction`](crate::Reduction),
/// except that a loss configured with `Reduction::None` gives the **mean** over the batch
/// here, since a trainer needs one number; call the loss's `forward` for per-example losses.
///
/// # Example: your own loss
///
/// ```
/// use burn::prelude::*;
/// use ember_losses::Loss;
///
/// /// log-cosh regression loss: mean of log(cosh(ŷ − y)) over every element.
/// #[derive(Debug)]
/// struct LogCosh;
///
/// impl Loss<Tensor<2>> for LogCosh {
///     fn loss(&self, predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
///         (predictions - targets).cosh().log().mean()
///     }
/// }
///
/// let device = Device::flex();
/// let predictions = Tensor::<2>::from_data([[1.0f32, 0.0]], &device);
/// let targets = Tensor::<2>::from_data([[0.0f32, 0.0]], &device);
/// let loss = LogCosh.loss(predictions, targets).into_scalar::<f32>();
/// // (log cosh 1 + log cosh 0) / 2 = (0.4337808 + 0) / 2
/// assert!((loss - 0.2168904).abs() < 1e-6);
/// ```
pub trait Loss<T = Tensor<1, Int>>: Send + Sync + std::fmt::Debug {
    /// The loss of one batch, a `[1]` scalar to call `backward` on.
    ///
    /// # Shapes
    /// - `predictions`: `[batch, outputs]` (logits, probabilities or scores, as the loss says)
    /// - `targets`: `[batch]` class indices, or `[batch, outputs]`
    /// - output: `[1]`
    fn loss(&self, predictions: Tensor<2>, targets: T) -> Tensor<1>;
}
