//! Shift images by a random whole number of pixels.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::sampler::{about_centre, warp, Border};
use crate::error::{
    check, check_pixels, check_probability, check_range, expect_valid, AugmentError,
};
use crate::random::{coins, uniform};

/// Shifts each chosen image (probability `p`) right by `dx` and down by `dy` pixels, with
/// `dx ~ U(x[0], x[1])·W` and `dy ~ U(y[0], y[1])·H` (or `U(x)`, `U(y)` themselves when
/// `pixels` is set), rounded to whole pixels as torchvision's `RandomAffine` does, so no
/// pixel is blurred. Pixels shifted in read `fill`.
///
/// Output pixel `(x, y)` = input pixel `(x − dx, y − dy)`.
///
/// # Shapes
/// `[N, C, H, W]` in and out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomTranslation {
    /// Horizontal shift range, a fraction of the width in `[−1, 1]` (pixels if `pixels`).
    /// Default `[−0.1, 0.1]`.
    pub x: [f32; 2],
    /// Vertical shift range, a fraction of the height in `[−1, 1]` (pixels if `pixels`).
    /// Default `[−0.1, 0.1]`.
    pub y: [f32; 2],
    /// Read `x` and `y` as pixels instead of fractions. Default `false`.
    pub pixels: bool,
    /// Value of pixels shifted in. Default `0`.
    pub fill: f32,
    /// Probability of shifting a sample, in `[0, 1]`. Default `1`.
    pub p: f32,
}

impl Default for RandomTranslation {
    fn default() -> Self {
        Self {
            x: [-0.1, 0.1],
            y: [-0.1, 0.1],
            pixels: false,
            fill: 0.0,
            p: 1.0,
        }
    }
}

impl RandomTranslation {
    /// Checks the ranges and `p`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        let (bound, allowed) = if self.pixels {
            (f32::MAX, "must be [low, high] with low <= high, finite")
        } else {
            (
                1.0,
                "must be [low, high] with -1 <= low <= high <= 1 (fractions of the size)",
            )
        };
        check_range("translation", "x", self.x, -bound, bound, allowed)?;
        check_range("translation", "y", self.y, -bound, bound, allowed)?;
        check(
            "translation",
            "fill",
            self.fill,
            self.fill.is_finite(),
            "must be finite",
        )?;
        check_probability("translation", self.p)
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`, unchanged),
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when the images have no pixel.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        check_pixels("translation", input)?;
        Ok(input)
    }

    /// The whole-pixel shift `[dx, dy]` of each sample, `[0, 0]` for those not chosen.
    pub fn draw_shifts(&self, n: usize, h: usize, w: usize, rng: &mut StdRng) -> Vec<[f64; 2]> {
        let (sx, sy) = if self.pixels {
            (1.0, 1.0)
        } else {
            (w as f64, h as f64)
        };
        let chosen = coins(rng, n, self.p);
        chosen
            .into_iter()
            .map(|c| {
                let dx = (uniform(rng, self.x) * sx).round();
                let dy = (uniform(rng, self.y) * sy).round();
                if c {
                    [dx, dy]
                } else {
                    [0.0, 0.0]
                }
            })
            .collect()
    }

    /// Shifts the batch, drawing the shifts from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid (see [`Self::validate`]).
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let [n, _, h, w] = images.dims();
        let maps: Vec<_> = self
            .draw_shifts(n, h, w, rng)
            .into_iter()
            .map(|shift| about_centre([h, w], [h, w], 0.0, 1.0, shift))
            .collect();
        warp(images, &maps, [h, w], Border::Fill(self.fill))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{assert_close, for_each_device, values};

    #[test]
    fn whole_pixel_shift_moves_content_and_fills_the_gap() {
        for_each_device(|device| {
            let image: Tensor<4> = Tensor::from_data(
                [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]],
                device,
            );
            let shift = RandomTranslation {
                x: [1.0, 1.0],
                y: [-1.0, -1.0],
                pixels: true,
                fill: 0.5,
                p: 1.0,
            };
            // One right, one up: output (x, y) = input (x − 1, y + 1).
            let out = shift.apply(image, &mut seeded(0));
            let expected = [0.5, 4., 5., 0.5, 7., 8., 0.5, 0.5, 0.5];
            assert_close(&values(out), &expected, 1e-6, "shift right 1, up 1");
        });
    }

    #[test]
    fn fractional_shifts_are_whole_pixels_within_range() {
        let shift = RandomTranslation {
            x: [-0.25, 0.25],
            y: [0.0, 0.5],
            ..Default::default()
        };
        // On 8×8: dx ∈ round([−2, 2]), dy ∈ round([0, 4]).
        for [dx, dy] in shift.draw_shifts(500, 8, 8, &mut seeded(4)) {
            assert_eq!(dx.fract(), 0.0);
            assert!(
                (-2.0..=2.0).contains(&dx) && (0.0..=4.0).contains(&dy),
                "{dx} {dy}"
            );
        }
    }

    #[test]
    fn a_fraction_above_one_is_reported() {
        let shift = RandomTranslation {
            x: [0.0, 2.0],
            ..Default::default()
        };
        let err = shift.validate().unwrap_err().to_string();
        assert!(err.starts_with("translation.x = [0.0, 2.0]"), "{err}");
    }
}
