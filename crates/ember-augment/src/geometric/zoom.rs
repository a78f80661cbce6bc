//! Zoom into or out of images by a random factor about their centre.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::sampler::{about_centre, warp, Border};
use crate::error::{check_pixels, check_probability, check_range, expect_valid, AugmentError};
use crate::random::{coins, uniform};

/// Scales each chosen image (probability `p`) by `s ~ U(scale[0], scale[1])` about its
/// centre, keeping the size: `s > 1` zooms in (the border is cut off), `s < 1` zooms out (the
/// image shrinks and the margin reads `fill`). Bilinear sampling.
///
/// Output pixel `p` reads source `c + (p − c)/s` with `c = ((W − 1)/2, (H − 1)/2)`.
///
/// # Shapes
/// `[N, C, H, W]` in and out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomZoom {
    /// Scale range, `0 < low ≤ high ≤ 10`. Default `[0.9, 1.1]`.
    pub scale: [f32; 2],
    /// Value of the margin when zooming out. Default `0`.
    pub fill: f32,
    /// Probability of zooming a sample, in `[0, 1]`. Default `1`.
    pub p: f32,
}

impl Default for RandomZoom {
    fn default() -> Self {
        Self {
            scale: [0.9, 1.1],
            fill: 0.0,
            p: 1.0,
        }
    }
}

impl RandomZoom {
    /// Checks the scale range and `p`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        let allowed = "must be [low, high] with 0 < low <= high <= 10";
        check_range(
            "zoom",
            "scale",
            self.scale,
            f32::MIN_POSITIVE,
            10.0,
            allowed,
        )?;
        check_probability("zoom", self.p)
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`, unchanged),
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when the images have no pixel.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        check_pixels("zoom", input)?;
        Ok(input)
    }

    /// Zooms the batch, drawing one coin and one factor per sample from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid (see [`Self::validate`]).
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let [n, _, h, w] = images.dims();
        let chosen = coins(rng, n, self.p);
        let maps: Vec<_> = chosen
            .into_iter()
            .map(|c| {
                let s = uniform(rng, self.scale);
                about_centre([h, w], [h, w], 0.0, if c { s } else { 1.0 }, [0.0, 0.0])
            })
            .collect();
        warp(images, &maps, [h, w], Border::Fill(self.fill))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{assert_close, backends_agree, for_each_device, values};

    fn fixed(s: f32) -> RandomZoom {
        RandomZoom {
            scale: [s, s],
            fill: 0.0,
            p: 1.0,
        }
    }

    #[test]
    fn zooming_out_by_half_shrinks_towards_the_centre() {
        for_each_device(|device| {
            // 1×1×1×5 row 0 1 2 3 4 (centre 2); s = 1/2: output x reads 2 + 2(x − 2) =
            // −2, 0, 2, 4, 6 → fill, 0, 2, 4, fill.
            let row: Tensor<4> = Tensor::from_data([[[[0.0, 1.0, 2.0, 3.0, 4.0]]]], device);
            let out = fixed(0.5).apply(row, &mut seeded(0));
            assert_close(&values(out), &[0., 0., 2., 4., 0.], 1e-5, "zoom out");
        });
    }

    #[test]
    fn zooming_in_by_two_interpolates_between_pixels() {
        for_each_device(|device| {
            // Output x reads 2 + (x − 2)/2 = 1, 1.5, 2, 2.5, 3 → values 1, 1.5, 2, 2.5, 3.
            let row: Tensor<4> = Tensor::from_data([[[[0.0, 1.0, 2.0, 3.0, 4.0]]]], device);
            let out = fixed(2.0).apply(row, &mut seeded(0));
            assert_close(&values(out), &[1., 1.5, 2., 2.5, 3.], 1e-5, "zoom in");
        });
    }

    #[test]
    fn seeded_zoom_agrees_across_backends() {
        let out = backends_agree(1e-4, |device| {
            let row: Tensor<4> = Tensor::from_data([[[[0.0, 1.0, 2.0, 3.0, 4.0]]]], device);
            let zoom = RandomZoom {
                scale: [0.5, 2.0],
                ..Default::default()
            };
            values(zoom.apply(row.repeat_dim(0, 3), &mut seeded(5)))
        });
        assert!(out[..5] != out[5..10], "two samples were zoomed alike");
    }

    #[test]
    fn a_non_positive_scale_is_reported() {
        let err = fixed(0.0).validate().unwrap_err().to_string();
        assert!(err.starts_with("zoom.scale = [0.0, 0.0]: must be"), "{err}");
    }
}
