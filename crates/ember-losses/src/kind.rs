//! Choosing a classifier's loss by name (`--loss`), with the targets each loss needs.

use burn::prelude::*;
use burn::tensor::activation::{log_softmax, softmax};
use strum::VariantNames;

use crate::{
    one_hot, BinaryCrossEntropyLossConfig, CrossEntropyLossConfig, ExponentialLossConfig,
    HingeLossConfig, HuberLossConfig, Loss, MaeLossConfig, MseLossConfig,
    MultiClassHingeLossConfig, NllLossConfig, SquaredHingeLossConfig,
};

/// A loss for a classifier, by name: what it is computed on, given the network's logits `z`
/// `[batch, classes]` and the class indices `y` `[batch]`. Each is the mean over the batch,
/// with the loss's default settings; accuracy is unaffected by the choice (softmax keeps the
/// order of the logits).
///
/// | name | on | targets |
/// |---|---|---|
/// | `cross-entropy` (default) | `z` | `y` |
/// | `nll` | `log_softmax(z)` | `y` (equals cross-entropy, computed in two steps) |
/// | `mse`, `mae`, `huber` | `softmax(z)` | one-hot 0/1 |
/// | `binary-cross-entropy` | `z`, one sigmoid per class | one-hot 0/1 |
/// | `hinge`, `squared-hinge`, `exponential` | `z` as scores | one-hot ±1 (one class against the rest) |
/// | `multiclass-hinge` | `z` as scores | `y` (Weston–Watkins) |
///
/// ```
/// use burn::prelude::*;
/// use ember_losses::{Loss, LossKind};
///
/// let device = Device::flex();
/// let logits = Tensor::<2>::from_data([[0.0f32, 0.0]], &device);
/// let classes = Tensor::<1, Int>::from_data([1], &device);
/// let kind: LossKind = "mse".parse()?;
/// // softmax = (½, ½) against (0, 1): ((½)² + (½)²) / 2.
/// assert_eq!(kind.loss(logits, classes).into_scalar::<f32>(), 0.25);
/// # Ok::<(), ember_losses::UnknownLoss>(())
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    strum::Display,
    strum::EnumString,
    strum::VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(
    serialize_all = "kebab-case",
    ascii_case_insensitive,
    parse_err_ty = UnknownLoss,
    parse_err_fn = unknown_loss
)]
pub enum LossKind {
    /// [`CrossEntropyLoss`](crate::CrossEntropyLoss) on the logits.
    #[default]
    CrossEntropy,
    /// [`NllLoss`](crate::NllLoss) on `log_softmax(z)`.
    Nll,
    /// [`MseLoss`](crate::MseLoss) of the probabilities against one-hot targets.
    Mse,
    /// [`MaeLoss`](crate::MaeLoss) of the probabilities against one-hot targets.
    Mae,
    /// [`HuberLoss`](crate::HuberLoss) of the probabilities against one-hot targets.
    Huber,
    /// [`BinaryCrossEntropyLoss`](crate::BinaryCrossEntropyLoss) of each logit against its
    /// one-hot 0/1 target.
    BinaryCrossEntropy,
    /// [`HingeLoss`](crate::HingeLoss) of the scores against one-hot ±1 targets.
    Hinge,
    /// [`SquaredHingeLoss`](crate::SquaredHingeLoss) of the scores against ±1 targets.
    SquaredHinge,
    /// [`ExponentialLoss`](crate::ExponentialLoss) of the scores against ±1 targets.
    Exponential,
    /// [`MultiClassHingeLoss`](crate::MultiClassHingeLoss) (Weston–Watkins) of the scores.
    MulticlassHinge,
}

/// A `--loss` name that is not a [`LossKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown loss `{name}`; choose one of {choices}")]
pub struct UnknownLoss {
    /// The name given.
    pub name: String,
    /// The names accepted.
    pub choices: String,
}

fn unknown_loss(name: &str) -> UnknownLoss {
    UnknownLoss {
        name: name.trim().to_string(),
        choices: LossKind::NAMES.join(", "),
    }
}

impl LossKind {
    /// The names [`FromStr`](std::str::FromStr) accepts (case ignored).
    pub const NAMES: &'static [&'static str] = Self::VARIANTS;
}

impl Loss for LossKind {
    /// # Shapes
    /// `logits`: `[batch, classes]`, `classes`: `[batch]`; output `[1]`.
    ///
    /// # Panics
    /// As the loss it names, when the shapes do not fit.
    fn loss(&self, logits: Tensor<2>, classes: Tensor<1, Int>) -> Tensor<1> {
        let [_, n] = logits.dims();
        let dtype = logits.dtype();
        let probabilities = || softmax(logits.clone(), 1);
        let zero_one = || one_hot(classes.clone(), n, 1.0, 0.0).cast(dtype);
        let signs = || one_hot(classes.clone(), n, 1.0, -1.0).cast(dtype);
        match self {
            LossKind::CrossEntropy => CrossEntropyLossConfig::new()
                .init()
                .forward(logits, classes),
            LossKind::Nll => NllLossConfig::new()
                .init()
                .forward(log_softmax(logits, 1), classes),
            LossKind::Mse => MseLossConfig::new()
                .init()
                .forward(probabilities(), zero_one()),
            LossKind::Mae => MaeLossConfig::new()
                .init()
                .forward(probabilities(), zero_one()),
            LossKind::Huber => HuberLossConfig::new()
                .init()
                .forward(probabilities(), zero_one()),
            LossKind::BinaryCrossEntropy => BinaryCrossEntropyLossConfig::new()
                .init()
                .forward(logits, zero_one()),
            LossKind::Hinge => HingeLossConfig::new().init().forward(logits, signs()),
            LossKind::SquaredHinge => SquaredHingeLossConfig::new()
                .init()
                .forward(logits, signs()),
            LossKind::Exponential => ExponentialLossConfig::new().init().forward(logits, signs()),
            LossKind::MulticlassHinge => MultiClassHingeLossConfig::new()
                .init()
                .forward(logits, classes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::classes;
    use ember_testkit::{assert_close, check_gradient, for_each_device, values};

    #[test]
    fn every_name_parses_back_to_its_kind() {
        for &name in LossKind::NAMES {
            let kind: LossKind = name.parse().unwrap();
            assert_eq!(kind.to_string(), name);
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{name}\""));
        }
        assert_eq!("MSE".parse::<LossKind>(), Ok(LossKind::Mse));
        let err = "l2".parse::<LossKind>().unwrap_err().to_string();
        assert!(err.starts_with("unknown loss `l2`; choose one of cross-entropy, nll"));
    }

    /// Each kind on logits `[[2, 0, −1]]`, class 0, by hand:
    /// softmax p = e^(2, 0, −1)/Σ = (0.8437947, 0.1141952, 0.0420101).
    #[test]
    fn each_kind_gives_the_hand_computed_loss() {
        let p = [0.843_794_7f32, 0.114_195_2, 0.042_010_1];
        let sigmoid = |z: f32| 1.0 / (1.0 + (-z).exp());
        let bce = |z: f32, y: f32| -(y * sigmoid(z).ln() + (1.0 - y) * (1.0 - sigmoid(z)).ln());
        let cases = [
            (LossKind::CrossEntropy, -p[0].ln()),
            (LossKind::Nll, -p[0].ln()),
            (
                LossKind::Mse,
                ((1.0 - p[0]).powi(2) + p[1].powi(2) + p[2].powi(2)) / 3.0,
            ),
            (LossKind::Mae, ((1.0 - p[0]) + p[1] + p[2]) / 3.0),
            // Every residual is below δ = 1: r²/2.
            (
                LossKind::Huber,
                ((1.0 - p[0]).powi(2) + p[1].powi(2) + p[2].powi(2)) / 6.0,
            ),
            (
                LossKind::BinaryCrossEntropy,
                (bce(2.0, 1.0) + bce(0.0, 0.0) + bce(-1.0, 0.0)) / 3.0,
            ),
            // y·s = (2, 0, 1): max(0, 1 − y·s) = (0, 1, 0).
            (LossKind::Hinge, 1.0 / 3.0),
            (LossKind::SquaredHinge, 1.0 / 3.0),
            (
                LossKind::Exponential,
                ((-2.0f32).exp() + 1.0 + (-1.0f32).exp()) / 3.0,
            ),
            // max(0, 1 + 0 − 2) + max(0, 1 − 1 − 2) = 0.
            (LossKind::MulticlassHinge, 0.0),
        ];
        for_each_device(|device| {
            for (kind, want) in cases {
                let logits = Tensor::<2>::from_data([[2.0f32, 0.0, -1.0]], device);
                let got = values(kind.loss(logits, classes(&[0], device)));
                assert_close(&got, &[want], 1e-5, &kind.to_string());
            }
        });
    }

    #[test]
    fn gradients_through_softmax_and_one_hot_match_finite_differences() {
        for_each_device(|device| {
            for kind in [LossKind::Mse, LossKind::Hinge, LossKind::BinaryCrossEntropy] {
                check_gradient(device, [2, 3], &[0.3, -0.2, 0.5, 1.1, 0.4, -0.7], |z| {
                    kind.loss(z.clone(), classes(&[2, 0], &z.device()))
                });
            }
        });
    }
}
