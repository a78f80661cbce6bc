//! Surround images with a constant border.

use burn::prelude::*;
use burn::tensor::ops::PadMode;
use serde::{Deserialize, Serialize};

use crate::error::{check, expect_valid, AugmentError, MAX_SIDE};

/// Adds `padding` pixels of `fill` on every side of every image (burn's `Tensor::pad` with
/// `PadMode::Constant`).
///
/// # Shapes
/// `[N, C, H, W]` → `[N, C, H + 2·padding, W + 2·padding]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pad {
    /// Pixels added on each side. Default `4`.
    pub padding: usize,
    /// Value of the added pixels, finite. Default `0`.
    pub fill: f32,
}

impl Default for Pad {
    fn default() -> Self {
        Self {
            padding: 4,
            fill: 0.0,
        }
    }
}

impl Pad {
    /// Checks `fill`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when `fill` is not finite or `padding` is above
    /// [`MAX_SIDE`].
    pub fn validate(&self) -> Result<(), AugmentError> {
        check(
            "pad",
            "padding",
            self.padding,
            self.padding <= MAX_SIDE,
            "must be at most 2048 (MAX_SIDE)",
        )?;
        check(
            "pad",
            "fill",
            self.fill,
            self.fill.is_finite(),
            "must be finite",
        )
    }

    /// The shape [`apply`](Self::apply) returns for `input`: `[N, C, H + 2·padding,
    /// W + 2·padding]`, computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        let [n, c, h, w] = input;
        let p = 2 * self.padding;
        Ok([n, c, h + p, w + p])
    }

    /// Pads the batch (deterministic: no random draw).
    ///
    /// # Panics
    /// When `fill` is not finite.
    pub fn apply(&self, images: Tensor<4>) -> Tensor<4> {
        expect_valid(self.validate());
        let p = self.padding;
        images.pad([(p, p), (p, p)], PadMode::Constant(self.fill))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{assert_close, for_each_device, values};

    #[test]
    fn padding_surrounds_the_image_with_fill() {
        for_each_device(|device| {
            let image: Tensor<4> = Tensor::from_data([[[[1.0, 2.0], [3.0, 4.0]]]], device);
            let out = Pad {
                padding: 1,
                fill: 9.0,
            }
            .apply(image);
            assert_eq!(out.dims(), [1, 1, 4, 4]);
            let expected = [
                9., 9., 9., 9., //
                9., 1., 2., 9., //
                9., 3., 4., 9., //
                9., 9., 9., 9.,
            ];
            assert_close(&values(out), &expected, 0.0, "pad 1 with 9");
        });
    }
}
