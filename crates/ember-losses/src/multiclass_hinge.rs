//! Multi-class hinge loss (multi-class SVM), Weston–Watkins or Crammer–Singer.

use burn::prelude::*;
use burn::tensor::IndexingUpdateOp;

use crate::shapes::class_targets;
use crate::{Loss, Reduction};

/// Which multi-class generalisation of the hinge [`MultiClassHingeLoss`] computes.
#[derive(Config, Debug, Copy, PartialEq, Eq)]
pub enum MultiClassHinge {
    /// Weston–Watkins (the default; CS231n's "multiclass SVM loss"): every wrong class
    /// within the margin adds its violation, `Σ_{j≠y} max(0, m + s_j − s_y)`.
    WestonWatkins,
    /// Crammer–Singer (Keras's `categorical_hinge`): only the best-scoring wrong class
    /// counts, `max(0, m + max_{j≠y} s_j − s_y)`.
    CrammerSinger,
}

// Not `#[derive(Default)]` with `#[default]`: burn's `Config` derive copies variant
// attributes into the serde mirror it generates, where `#[default]` does not compile.
#[allow(clippy::derivable_impls)]
impl Default for MultiClassHinge {
    fn default() -> Self {
        MultiClassHinge::WestonWatkins
    }
}

/// Configuration of [`MultiClassHingeLoss`].
#[derive(Config, Debug)]
pub struct MultiClassHingeLossConfig {
    /// How per-example losses are combined (default [`Reduction::Mean`]).
    #[config(default = "Reduction::Mean")]
    pub reduction: Reduction,
    /// Weston–Watkins (default) or Crammer–Singer.
    #[config(default = "MultiClassHinge::WestonWatkins")]
    pub variant: MultiClassHinge,
    /// The margin `m` the true class must win by (default `1.0`).
    #[config(default = 1.0)]
    pub margin: f64,
}

impl MultiClassHingeLossConfig {
    /// Builds the loss.
    ///
    /// # Panics
    /// When `margin` is negative or not finite.
    pub fn init(&self) -> MultiClassHingeLoss {
        assert!(
            self.margin.is_finite() && self.margin >= 0.0,
            "MultiClassHingeLossConfig: margin must be a finite number ≥ 0, got {}; the \
             default is 1.0",
            self.margin
        );
        MultiClassHingeLoss {
            reduction: self.reduction,
            variant: self.variant,
            margin: self.margin,
        }
    }
}

/// Multi-class hinge loss on class scores `s` and class indices `y`, with margin `m`:
///
/// - [`MultiClassHinge::WestonWatkins`]: `ℓ_i = Σ_{j≠y_i} max(0, m + s_ij − s_{i,y_i})`;
/// - [`MultiClassHinge::CrammerSinger`]: `ℓ_i = max(0, m + max_{j≠y_i} s_ij − s_{i,y_i})`;
///
/// then [`Reduction`]. Zero once the true class beats every other by at least `m`.
/// burn's `MultiMarginLoss` (and PyTorch's) is Weston–Watkins divided by the number of
/// classes; Ember's sums, as in CS231n and d2l.
///
/// # Shapes
/// - predictions (scores): `[batch, classes]`
/// - targets: class indices `[batch]`, each in `0..classes` (not checked)
/// - output: `[1]`, or `[batch]` with `Reduction::None`
///
/// # Panics
/// When the targets are not `[batch]`.
#[derive(Module, Debug)]
pub struct MultiClassHingeLoss {
    /// How per-example losses are combined.
    #[module(skip)]
    pub reduction: Reduction,
    /// Weston–Watkins or Crammer–Singer.
    #[module(skip)]
    pub variant: MultiClassHinge,
    /// The margin `m`.
    pub margin: f64,
}

impl MultiClassHingeLoss {
    /// The loss, reduced as configured.
    pub fn forward(&self, predictions: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        self.reduction.apply(self.per_example(predictions, targets))
    }

    /// The per-example losses `ℓ` `[batch]`, before reduction.
    pub fn per_example(&self, predictions: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        class_targets("MultiClassHingeLoss", &predictions, &targets);
        let [batch, _] = predictions.dims();
        let indices = targets.reshape([batch, 1]);
        let true_score = predictions.clone().gather(1, indices.clone());
        let is_true_class = predictions
            .zeros_like()
            .scatter(1, indices, true_score.ones_like(), IndexingUpdateOp::Add)
            .bool();
        // m + s_j − s_y for every class j, [batch, classes].
        let violations = (predictions - true_score).add_scalar(self.margin);
        let per_example = match self.variant {
            MultiClassHinge::WestonWatkins => violations
                .clamp_min(0.0)
                .mask_fill(is_true_class, 0.0)
                .sum_dim(1),
            MultiClassHinge::CrammerSinger => violations
                .mask_fill(is_true_class, f32::NEG_INFINITY)
                .max_dim(1)
                .clamp_min(0.0),
        };
        per_example.reshape([batch])
    }
}

impl Loss for MultiClassHingeLoss {
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

    const SCORES: [[f32; 3]; 3] = [[1.0, 2.0, 3.0], [3.0, 1.0, 0.5], [0.5, 0.0, 0.2]];
    const TARGETS: [i64; 3] = [0, 0, 2];

    fn hinge(
        variant: MultiClassHinge,
        reduction: Reduction,
        s: [[f32; 3]; 3],
        y: &[i64],
        device: &Device,
    ) -> Tensor<1> {
        let loss = MultiClassHingeLossConfig::new()
            .with_variant(variant)
            .with_reduction(reduction)
            .init();
        loss.forward(Tensor::from_data(s, device), classes(y, device))
    }

    #[test]
    fn weston_watkins_values_for_each_reduction() {
        // m = 1. Row 1, y = 0 (s_y = 1): (1 + 2 − 1) + (1 + 3 − 1) = 2 + 3 = 5.
        // Row 2, y = 0 (s_y = 3): 1 + 1 − 3 < 0 and 1 + 0.5 − 3 < 0: 0.
        // Row 3, y = 2 (s_y = 0.2): (1 + 0.5 − 0.2) + (1 + 0 − 0.2) = 1.3 + 0.8 = 2.1.
        // Mean 7.1/3 = 2.3666667, sum 7.1.
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| {
                hinge(MultiClassHinge::WestonWatkins, r, SCORES, &TARGETS, device)
            })
        });
        assert_close(
            &out,
            &[5.0, 0.0, 2.1, 2.3666667, 7.1],
            1e-6,
            "none, mean, sum",
        );
    }

    #[test]
    fn crammer_singer_values_for_each_reduction() {
        // Row 1: 1 + max(2, 3) − 1 = 3. Row 2: 1 + max(1, 0.5) − 3 < 0: 0.
        // Row 3: 1 + max(0.5, 0) − 0.2 = 1.3. Mean 4.3/3 = 1.4333333, sum 4.3.
        let out = backends_agree(AGREE, |device| {
            under_each_reduction(|r| {
                hinge(MultiClassHinge::CrammerSinger, r, SCORES, &TARGETS, device)
            })
        });
        assert_close(
            &out,
            &[3.0, 0.0, 1.3, 1.4333333, 4.3],
            1e-6,
            "none, mean, sum",
        );
    }

    #[test]
    fn zero_at_the_margin_and_m_for_equal_scores() {
        // Row 1: the true class wins by exactly m = 1: max(0, 1 + 1 − 2) = 0 for both.
        // Row 2: all scores 0: WW (1 + 0 − 0)·2 = 2, CS 1. Row 3 wins by 5: 0.
        for_each_device(|device| {
            let s = [[2.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-4.0, 1.0, -5.0]];
            let ww = values(hinge(
                MultiClassHinge::WestonWatkins,
                Reduction::None,
                s,
                &[0, 1, 1],
                device,
            ));
            let cs = values(hinge(
                MultiClassHinge::CrammerSinger,
                Reduction::None,
                s,
                &[0, 1, 1],
                device,
            ));
            assert_close(&ww, &[0.0, 2.0, 0.0], 1e-7, "Weston–Watkins");
            assert_close(&cs, &[0.0, 1.0, 0.0], 1e-7, "Crammer–Singer");
        });
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // Active violations: row 1 (y = 0) only j = 2 (2.5; j = 1 is −0.5); row 2 (y = 2)
        // j = 0 (1.7) and j = 1 (1.5), so the Crammer–Singer maximum is unique.
        for variant in [
            MultiClassHinge::WestonWatkins,
            MultiClassHinge::CrammerSinger,
        ] {
            for_each_device(|device| {
                check_gradient(device, [2, 3], &[0.5, -1.0, 2.0, 0.3, 0.1, -0.4], |x| {
                    let y = classes(&[0, 2], &x.device());
                    let loss = MultiClassHingeLossConfig::new().with_variant(variant);
                    loss.init().forward(x, y)
                });
            });
        }
    }

    #[test]
    #[should_panic(
        expected = "MultiClassHingeLossConfig: margin must be a finite number ≥ 0, got -1"
    )]
    fn a_negative_margin_is_refused() {
        MultiClassHingeLossConfig::new().with_margin(-1.0).init();
    }
}
