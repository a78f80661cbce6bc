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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::classes;
    use crate::*;
    use ember_testkit::{assert_close, for_each_device, values};

    /// Every element-wise loss, configured with `Reduction::None`, behind the trait.
    fn elementwise_losses() -> Vec<Box<dyn Loss<Tensor<2>>>> {
        let none = Reduction::None;
        vec![
            Box::new(MseLossConfig::new().with_reduction(none).init()),
            Box::new(MaeLossConfig::new().with_reduction(none).init()),
            Box::new(MsleLossConfig::new().with_reduction(none).init()),
            Box::new(MapeLossConfig::new().with_reduction(none).init()),
            Box::new(HuberLossConfig::new().with_reduction(none).init()),
            Box::new(
                BinaryCrossEntropyLossConfig::new()
                    .with_reduction(none)
                    .init(),
            ),
            Box::new(HingeLossConfig::new().with_reduction(none).init()),
            Box::new(SquaredHingeLossConfig::new().with_reduction(none).init()),
            Box::new(ExponentialLossConfig::new().with_reduction(none).init()),
        ]
    }

    /// Every class-index loss, configured with `Reduction::None`, behind the trait.
    fn class_losses() -> Vec<Box<dyn Loss>> {
        let none = Reduction::None;
        vec![
            Box::new(CrossEntropyLossConfig::new().with_reduction(none).init()),
            Box::new(NllLossConfig::new().with_reduction(none).init()),
            Box::new(MultiClassHingeLossConfig::new().with_reduction(none).init()),
        ]
    }

    #[test]
    fn every_loss_gives_the_trait_one_scalar_even_without_reduction() {
        for_each_device(|device| {
            for loss in elementwise_losses() {
                let p = Tensor::<2>::from_data([[0.5f32, 2.0], [-0.5, 1.0], [0.0, 0.3]], device);
                let out = loss.loss(p.clone(), p.ones_like());
                assert_eq!(out.dims(), [1], "{loss:?}");
            }
            for loss in class_losses() {
                let p =
                    Tensor::<2>::from_data([[-0.5f32, -2.0], [-1.5, -1.0], [-3.0, -0.3]], device);
                let out = loss.loss(p, classes(&[0, 1, 0], device));
                assert_eq!(out.dims(), [1], "{loss:?}");
            }
        });
    }

    #[test]
    fn a_class_loss_without_reduction_gives_the_trait_the_batch_mean() {
        // NLL per example: −(−0.5) = 0.5, −(−1) = 1, −(−3) = 3; the trait gives 4.5/3 = 1.5.
        for_each_device(|device| {
            let log_p =
                Tensor::<2>::from_data([[-0.5f32, -2.0], [-1.5, -1.0], [-3.0, -0.3]], device);
            let loss = NllLossConfig::new().with_reduction(Reduction::None).init();
            let out = values(loss.loss(log_p, classes(&[0, 1, 0], device)));
            assert_close(&out, &[1.5], 1e-6, "trait mean");
        });
    }
}
