//! Luma from RGB, and a transform that turns random samples grey.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::batch::apply_where;
use crate::error::{check_probability, check_shape, expect_valid, AugmentError};
use crate::random::coins;

/// ITU-R BT.601 luma weights of R, G, B (as torchvision's `rgb_to_grayscale` and PIL's `L`).
pub const LUMA: [f32; 3] = [0.299, 0.587, 0.114];

/// The luma `Y = 0.299·R + 0.587·G + 0.114·B` of RGB images; one-channel images are returned
/// unchanged.
///
/// # Shapes
/// `[N, 3, H, W]` or `[N, 1, H, W]` → `[N, 1, H, W]`.
///
/// # Panics
/// When the images have neither 1 nor 3 channels.
pub fn to_grayscale(images: Tensor<4>) -> Tensor<4> {
    let [n, c, h, w] = images.dims();
    match c {
        1 => images,
        3 => {
            let weights = Tensor::<1>::from_data(
                TensorData::new(LUMA.to_vec(), [3]),
                (&images.device(), images.dtype()),
            );
            (images * weights.reshape([1, 3, 1, 1])).sum_dim(1)
        }
        _ => {
            panic!("grayscale needs RGB ([N, 3, H, W]) or one-channel images, got {n}×{c}×{h}×{w}")
        }
    }
}

/// Replaces each chosen RGB image (probability `p`) by its luma
/// [`to_grayscale`], repeated on the three channels (torchvision's `RandomGrayscale`).
///
/// # Shapes
/// `[N, C, H, W]` in and out, `C` ∈ {1, 3} (one-channel images are already grey).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomGrayscale {
    /// Probability of turning a sample grey, in `[0, 1]`. Default `0.1`.
    pub p: f32,
}

impl Default for RandomGrayscale {
    fn default() -> Self {
        Self { p: 0.1 }
    }
}

impl RandomGrayscale {
    /// Checks `p`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when `p` is not in `[0, 1]`.
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_probability("grayscale", self.p)
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`, unchanged),
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when `p > 0` and the images are neither RGB nor grey.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        let c = input[1];
        check_shape(
            "grayscale",
            input,
            self.p == 0.0 || c == 1 || c == 3,
            || {
                format!(
                    "needs RGB (3 channels) or grey (1 channel) images, not {c} channels; \
                 remove the step for these images"
                )
            },
        )?;
        Ok(input)
    }

    /// Turns the chosen samples grey; one coin per sample from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid, or the images have neither 1 nor 3 channels.
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let [n, c, _, _] = images.dims();
        let chosen = coins(rng, n, self.p);
        apply_where(images, &chosen, "grayscale", |x| {
            to_grayscale(x).repeat_dim(1, c)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{assert_close, for_each_device, values};

    #[test]
    fn luma_weights_are_bt601() {
        for_each_device(|device| {
            // Pixels pure red, pure green, pure blue, and (0.5, 0.2, 1.0).
            let image: Tensor<4> = Tensor::from_data(
                [[
                    [[1.0, 0.0, 0.0, 0.5]],
                    [[0.0, 1.0, 0.0, 0.2]],
                    [[0.0, 0.0, 1.0, 1.0]],
                ]],
                device,
            );
            // 0.299·0.5 + 0.587·0.2 + 0.114·1 = 0.1495 + 0.1174 + 0.114 = 0.3809.
            let out = to_grayscale(image.clone());
            assert_close(&values(out), &[0.299, 0.587, 0.114, 0.3809], 1e-6, "luma");
            let grey = RandomGrayscale { p: 1.0 }.apply(image, &mut seeded(0));
            assert_eq!(grey.dims(), [1, 3, 1, 4]);
            let v = values(grey);
            assert_close(
                &v[8..],
                &[0.299, 0.587, 0.114, 0.3809],
                1e-6,
                "blue channel",
            );
        });
    }
}
