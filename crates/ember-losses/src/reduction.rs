//! How a loss combines the losses of the examples of a batch.

use burn::prelude::*;

/// How a loss combines its per-example losses `[batch]` into its output.
///
/// Every Ember loss first computes one loss per example, `ℓ_i`, then applies this:
///
/// | variant | output | shape |
/// |---|---|---|
/// | `Mean` (default) | `(1/batch) Σ_i ℓ_i` | `[1]` |
/// | `Sum` | `Σ_i ℓ_i` | `[1]` |
/// | `None` | `ℓ` itself | `[batch]` |
///
/// For element-wise losses on predictions `[batch, n]` (MSE, MAE, hinge, binary
/// cross-entropy...), the per-example loss `ℓ_i` is the **mean over the `n` outputs** of
/// example `i`, as in Keras. So `Mean` is the mean over all `batch·n` elements, while `Sum`
/// is `1/n` times burn's and PyTorch's `reduction="sum"` (which sum every element).
///
/// Not burn's `burn::nn::loss::Reduction` (which has `Mean`, `Sum`, `BatchMean`, `Auto`
/// and no per-example output).
#[derive(Config, Debug, Copy, PartialEq, Eq)]
pub enum Reduction {
    /// The mean over the batch of the per-example losses, `[1]`.
    Mean,
    /// The sum over the batch of the per-example losses, `[1]`.
    Sum,
    /// No reduction: the per-example losses `[batch]`.
    None,
}

// Not `#[derive(Default)]` with `#[default]`: burn's `Config` derive copies variant
// attributes into the serde mirror it generates, where `#[default]` does not compile.
#[allow(clippy::derivable_impls)]
impl Default for Reduction {
    fn default() -> Self {
        Reduction::Mean
    }
}

impl Reduction {
    /// Combines the per-example losses `[batch]` as described on [`Reduction`].
    ///
    /// # Shapes
    /// - `per_example`: `[batch]`
    /// - output: `[1]` for `Mean` and `Sum`, `[batch]` for `None`
    pub fn apply(self, per_example: Tensor<1>) -> Tensor<1> {
        match self {
            Reduction::Mean => per_example.mean(),
            Reduction::Sum => per_example.sum(),
            Reduction::None => per_example,
        }
    }

    /// The reduction used where a scalar is required (the [`Loss`](crate::Loss) trait):
    /// `None` becomes `Mean`, the others stay.
    pub(crate) fn to_scalar(self) -> Reduction {
        match self {
            Reduction::None => Reduction::Mean,
            other => other,
        }
    }
}

/// The per-example loss of an element-wise loss: the mean over the outputs of each row.
///
/// # Shapes
/// - `elementwise`: `[batch, n]`
/// - output: `[batch]`
pub(crate) fn mean_over_outputs(elementwise: Tensor<2>) -> Tensor<1> {
    elementwise.mean_dim(1).squeeze_dim::<1>(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{assert_close, for_each_device, values};

    #[test]
    fn each_reduction_returns_what_its_doc_says() {
        for_each_device(|device| {
            let per_example = Tensor::<1>::from_data([1.0f32, 2.0, 6.0], device);
            // Mean: (1 + 2 + 6) / 3 = 3; Sum: 9; None: unchanged.
            let mean = Reduction::Mean.apply(per_example.clone());
            let sum = Reduction::Sum.apply(per_example.clone());
            let none = Reduction::None.apply(per_example);
            assert_close(&values(mean), &[3.0], 1e-6, "mean");
            assert_close(&values(sum), &[9.0], 1e-6, "sum");
            assert_close(&values(none), &[1.0, 2.0, 6.0], 1e-6, "none");
        });
    }

    #[test]
    fn the_default_is_mean_and_the_trait_turns_none_into_mean() {
        assert_eq!(Reduction::default(), Reduction::Mean);
        assert_eq!(Reduction::None.to_scalar(), Reduction::Mean);
        assert_eq!(Reduction::Sum.to_scalar(), Reduction::Sum);
    }

    #[test]
    fn the_per_example_loss_is_the_mean_over_outputs() {
        for_each_device(|device| {
            let x = Tensor::<2>::from_data([[1.0f32, 3.0], [0.0, 8.0]], device);
            // (1 + 3) / 2 = 2, (0 + 8) / 2 = 4.
            assert_close(&values(mean_over_outputs(x)), &[2.0, 4.0], 1e-6, "rows");
        });
    }
}
