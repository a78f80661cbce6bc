//! Rotate images by a random angle about their centre.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::sampler::{about_centre, warp, Border};
use crate::error::{check_pixels, check_probability, check_range, expect_valid, AugmentError};
use crate::random::{coins, uniform};

/// Rotates each chosen image (probability `p`) counter-clockwise, as seen on screen, by an
/// angle `θ ~ U(degrees[0], degrees[1])` about its centre, sampling bilinearly; positions that
/// fall outside the source read `fill`. The output keeps the input size (corners are cut).
///
/// Output pixel `(x, y)` reads source `(cx + cos θ·(x − cx) − sin θ·(y − cy),
/// cy + sin θ·(x − cx) + cos θ·(y − cy))` with `(cx, cy) = ((W − 1)/2, (H − 1)/2)`; a
/// rotation by a multiple of 90° of a square image moves whole pixels.
///
/// # Shapes
/// `[N, C, H, W]` in and out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomRotation {
    /// Angle range in degrees, `−360 ≤ low ≤ high ≤ 360`. Default `[−10, 10]`.
    pub degrees: [f32; 2],
    /// Value of pixels rotated in from outside the image. Default `0`.
    pub fill: f32,
    /// Probability of rotating a sample, in `[0, 1]`. Default `1`.
    pub p: f32,
}

impl Default for RandomRotation {
    fn default() -> Self {
        Self {
            degrees: [-10.0, 10.0],
            fill: 0.0,
            p: 1.0,
        }
    }
}

impl RandomRotation {
    /// Checks the angle range and `p`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_range(
            "rotation",
            "degrees",
            self.degrees,
            -360.0,
            360.0,
            "must be [low, high] with -360 <= low <= high <= 360",
        )?;
        check_probability("rotation", self.p)
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`, unchanged),
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when the images have no pixel.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        check_pixels("rotation", input)?;
        Ok(input)
    }

    /// The angle (degrees) each sample is rotated by, 0 for those not chosen; draws the coins
    /// first, then one angle per sample.
    pub fn draw_angles(&self, n: usize, rng: &mut StdRng) -> Vec<f64> {
        let chosen = coins(rng, n, self.p);
        chosen
            .into_iter()
            .map(|c| {
                let angle = uniform(rng, self.degrees);
                if c {
                    angle
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// Rotates the batch, drawing the angles from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid (see [`Self::validate`]).
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let [n, _, h, w] = images.dims();
        let maps: Vec<_> = self
            .draw_angles(n, rng)
            .into_iter()
            .map(|angle| about_centre([h, w], [h, w], angle, 1.0, [0.0, 0.0]))
            .collect();
        warp(images, &maps, [h, w], Border::Fill(self.fill))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{assert_close, backends_agree, for_each_device, values};

    fn square(device: &Device) -> Tensor<4> {
        Tensor::from_data(
            [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]],
            device,
        )
    }

    fn fixed(degrees: f32) -> RandomRotation {
        RandomRotation {
            degrees: [degrees, degrees],
            fill: -1.0,
            p: 1.0,
        }
    }

    #[test]
    fn quarter_turn_counter_clockwise_moves_the_right_column_to_the_top() {
        for_each_device(|device| {
            let out = fixed(90.0).apply(square(device), &mut seeded(0));
            // 1 2 3 / 4 5 6 / 7 8 9 turned a quarter counter-clockwise: 3 6 9 / 2 5 8 / 1 4 7.
            let expected = [3., 6., 9., 2., 5., 8., 1., 4., 7.];
            assert_close(&values(out), &expected, 1e-5, "90°");
        });
    }

    #[test]
    fn quarter_turn_of_a_non_square_image_fills_what_comes_from_outside() {
        for_each_device(|device| {
            // 1×2×4 (H = 2, W = 4), centre (1.5, 0.5). Rotating by −90° (clockwise), output
            // (x, y) reads source column 1.5 + (y − 0.5), row 0.5 − (x − 1.5): whole pixels,
            // inside the image only for x ∈ {1, 2}.
            let image: Tensor<4> =
                Tensor::from_data([[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]]], device);
            let out = fixed(-90.0).apply(image, &mut seeded(0));
            // (1, 0) reads (1, 1) = 6; (2, 0) reads (1, 0) = 2; (1, 1) reads (2, 1) = 7;
            // (2, 1) reads (2, 0) = 3; (0, 0) reads (1, 2): row 2 is outside → −1;
            // (3, 0) reads (1, −1) → −1;
            // (0, 1) reads (2, 2) → −1; (3, 1) reads (2, −1) → −1.
            let expected = [-1., 6., 2., -1., -1., 7., 3., -1.];
            assert_close(&values(out), &expected, 1e-5, "−90° on 2×4");
        });
    }

    #[test]
    fn angles_stay_in_range_and_p_controls_how_many_turn() {
        let rotation = RandomRotation {
            degrees: [-20.0, 5.0],
            fill: 0.0,
            p: 0.4,
        };
        let angles = rotation.draw_angles(1000, &mut seeded(3));
        assert!(angles.iter().all(|a| (-20.0..5.0).contains(a)));
        // Binomial(1000, 0.4): mean 400, standard deviation ≈ 15.5.
        let turned = angles.iter().filter(|&&a| a != 0.0).count();
        assert!((400 - 62..=400 + 62).contains(&turned), "{turned} turned");
    }

    #[test]
    fn same_seed_same_output_on_every_backend_and_samples_differ() {
        let out = backends_agree(1e-4, |device| {
            let batch = square(device).repeat_dim(0, 4);
            let rotation = RandomRotation {
                degrees: [-45.0, 45.0],
                ..Default::default()
            };
            values(rotation.apply(batch, &mut seeded(11)))
        });
        assert!(out[..9] != out[9..18], "two samples were rotated alike");
    }
}
