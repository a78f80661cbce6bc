//! Mirror images left–right or top–bottom.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::batch::apply_where;
use crate::error::{check_probability, expect_valid, AugmentError};
use crate::random::coins;

/// Mirrors each image left–right (`x ↦ W − 1 − x`) with probability `p`, independently per
/// sample (torchvision's `RandomHorizontalFlip`).
///
/// # Shapes
/// `[N, C, H, W]` in and out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomHorizontalFlip {
    /// Probability of flipping a sample, in `[0, 1]`. Default `0.5`.
    pub p: f32,
}

/// Mirrors each image top–bottom (`y ↦ H − 1 − y`) with probability `p`, independently per
/// sample (torchvision's `RandomVerticalFlip`).
///
/// # Shapes
/// `[N, C, H, W]` in and out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomVerticalFlip {
    /// Probability of flipping a sample, in `[0, 1]`. Default `0.5`.
    pub p: f32,
}

impl Default for RandomHorizontalFlip {
    fn default() -> Self {
        Self { p: 0.5 }
    }
}

impl Default for RandomVerticalFlip {
    fn default() -> Self {
        Self { p: 0.5 }
    }
}

impl RandomHorizontalFlip {
    /// Checks `p`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when `p` is not in `[0, 1]`.
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_probability("horizontal_flip", self.p)
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`, unchanged),
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        Ok(input)
    }

    /// Flips the chosen samples; draws one coin per sample from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid (see [`Self::validate`]).
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let chosen = coins(rng, images.dims()[0], self.p);
        apply_where(images, &chosen, "horizontal_flip", |x| x.flip([3]))
    }
}

impl RandomVerticalFlip {
    /// Checks `p`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when `p` is not in `[0, 1]`.
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_probability("vertical_flip", self.p)
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`, unchanged),
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        Ok(input)
    }

    /// Flips the chosen samples; draws one coin per sample from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid (see [`Self::validate`]).
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let chosen = coins(rng, images.dims()[0], self.p);
        apply_where(images, &chosen, "vertical_flip", |x| x.flip([2]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{assert_close, backends_agree, for_each_device, values};

    /// Two 1-channel 2×3 images: 1..6 and 7..12.
    fn pair(device: &Device) -> Tensor<4> {
        Tensor::from_data(
            [
                [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]],
                [[[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]],
            ],
            device,
        )
    }

    #[test]
    fn horizontal_flip_reverses_columns() {
        for_each_device(|device| {
            let out = RandomHorizontalFlip { p: 1.0 }.apply(pair(device), &mut seeded(0));
            let expected = [3., 2., 1., 6., 5., 4., 9., 8., 7., 12., 11., 10.];
            assert_close(&values(out), &expected, 0.0, "horizontal flip");
        });
    }

    #[test]
    fn vertical_flip_reverses_rows() {
        for_each_device(|device| {
            let out = RandomVerticalFlip { p: 1.0 }.apply(pair(device), &mut seeded(0));
            let expected = [4., 5., 6., 1., 2., 3., 10., 11., 12., 7., 8., 9.];
            assert_close(&values(out), &expected, 0.0, "vertical flip");
        });
    }

    #[test]
    fn probability_zero_leaves_the_batch_alone() {
        for_each_device(|device| {
            let out = RandomHorizontalFlip { p: 0.0 }.apply(pair(device), &mut seeded(0));
            let expected: Vec<f32> = (1..=12).map(|v| v as f32).collect();
            assert_close(&values(out), &expected, 0.0, "p = 0");
        });
    }

    #[test]
    fn fraction_flipped_matches_p_and_backends_agree() {
        // 1000 images [0, 1] (one channel, one row): a flipped one reads [1, 0].
        let flipped = backends_agree(1e-6, |device| {
            let one: Tensor<4> = Tensor::from_data([[[[0.0, 1.0]]]], device);
            let batch = one.repeat_dim(0, 1000);
            let out = RandomHorizontalFlip { p: 0.3 }.apply(batch, &mut seeded(7));
            values(out.slice([0..1000, 0..1, 0..1, 0..1]).reshape([1000]))
        });
        // Binomial(1000, 0.3): mean 300, standard deviation √(1000·0.3·0.7) ≈ 14.5.
        let count = flipped.iter().filter(|&&v| v == 1.0).count();
        assert!(
            (300 - 58..=300 + 58).contains(&count),
            "{count} of 1000 flipped"
        );
    }

    #[test]
    fn an_invalid_probability_is_reported() {
        let err = RandomVerticalFlip { p: 1.5 }.validate().unwrap_err();
        assert_eq!(err.to_string(), "vertical_flip.p = 1.5: must lie in [0, 1]");
    }
}
