//! Negative log-likelihood of class indices, from log-probabilities.

use burn::prelude::*;

use crate::shapes::class_targets;
use crate::{Loss, Reduction};

/// Configuration of [`NllLoss`].
#[derive(Config, Debug)]
pub struct NllLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
}

impl NllLossConfig {
    /// Builds the loss.
    pub fn init(&self) -> NllLoss {
        NllLoss {
            reduction: self.reduction,
        }
    }
}

/// Negative log-likelihood: `ℓ_i = −a_{i,y_i}` for log-probabilities `a` (e.g. the output
/// of a `log_softmax` layer) and class indices `y`, then [`Reduction`].
///
/// Nothing is normalised or clipped: `NllLoss` on `log_softmax(z)` is
/// [`CrossEntropyLoss`](crate::CrossEntropyLoss) on the logits `z`. PyTorch's `NLLLoss()`
/// with `Reduction::Mean`; burn has no separate NLL loss.
///
/// # Shapes
/// - predictions (log-probabilities): `[batch, classes]`
/// - targets: class indices `[batch]`, each in `0..classes` (not checked)
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When the targets are not `[batch]`.
#[derive(Module, Debug)]
pub struct NllLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
}

impl NllLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        class_targets("NllLoss", &predictions, &targets);
        picked_negated(predictions, targets)
    }
}

/// `−a[i, y_i]` for each row `i`: the negative log-likelihood of log-probabilities `a`
/// `[batch, classes]` at the class indices `y` `[batch]` (shapes already checked). Also the
/// last step of [`CrossEntropyLoss`](crate::CrossEntropyLoss).
pub(crate) fn picked_negated(log_probabilities: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    let [batch, _] = log_probabilities.dims();
    log_probabilities
        .gather(1, targets.reshape([batch, 1]))
        .reshape([batch])
        .neg()
}

impl Loss for NllLoss {
    fn loss(&self, predictions: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        self.reduction
            .to_scalar()
            .apply(self.per_example(predictions, targets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{classes, under_each_reduction};
    use ember_testkit::AGREE;
    use ember_testkit::{assert_close, backends_agree, check_gradient, for_each_device, values};

    #[test]
    fn values_for_each_reduction() {
        // Row 1, y = 0: −(−1) = 1. Row 2, y = 2: −(−4) = 4. Mean 2.5, sum 5.
        let log_p = [[-1.0f32, -2.0, -3.0], [-0.5, -0.25, -4.0]];
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| {
                let loss = NllLossConfig::new().with_reduction(r).init();
                loss.forward(Tensor::from_data(log_p, device), classes(&[0, 2], device))
            })
        });
        assert_close(&out, &[1.0, 4.0, 2.5, 5.0], 1e-6, "none, mean, sum");
    }

    #[test]
    fn a_certain_right_prediction_costs_nothing() {
        // log 1 = 0 for the target class: ℓ = 0, whatever the other entries (log 0 = −inf).
        for_each_device(|device| {
            let log_p = Tensor::<2>::from_data([[0.0f32, f32::NEG_INFINITY]], device);
            let out = values(
                NllLossConfig::new()
                    .init()
                    .forward(log_p, classes(&[0], device)),
            );
            assert_close(&out, &[0.0], 1e-7, "certain");
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // ∂ℓ/∂a_ij = −[j = y_i] / batch.
        for_each_device(|device| {
            check_gradient(device, [2, 3], &[-0.5, -1.0, -2.0, -0.3, -0.1, -0.4], |x| {
                let y = classes(&[1, 2], &x.device());
                NllLossConfig::new().init().forward(x, y)
            });
        });
    }

    #[test]
    #[should_panic(expected = "NllLoss: predictions have shape [3, 4] but targets [2]")]
    fn targets_of_the_wrong_length_are_named() {
        for_each_device(|device| {
            let loss = NllLossConfig::new().init();
            loss.forward(Tensor::zeros([3, 4], device), classes(&[0, 1], device));
        });
    }
}
