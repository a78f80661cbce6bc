//! Random brightness, contrast, saturation and hue.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::adjust::{adjust_brightness, adjust_contrast, adjust_hue, adjust_saturation};
use crate::error::{check, check_shape, expect_valid, AugmentError};
use crate::random::uniform;

/// Changes each sample's brightness, contrast, saturation and hue by random amounts, in that
/// fixed order (torchvision's `ColorJitter` shuffles the order per call): factors
/// `f ~ U(max(0, 1 − s), 1 + s)` for a strength `s` of `brightness`, `contrast`,
/// `saturation`, and a hue shift `~ U(−hue, hue)` turns (see [`adjust_brightness`],
/// [`adjust_contrast`], [`adjust_saturation`], [`adjust_hue`]); a strength of 0 skips that
/// step. Every sample is jittered: wrap it in [`RandomApply`](crate::RandomApply) for a
/// probability. Results are clamped to `[0, 1]`.
///
/// # Shapes
/// `[N, C, H, W]` in and out, `C` ∈ {1, 3} (saturation and hue need RGB to do anything).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ColorJitter {
    /// Brightness strength, ≥ 0. Default `0.2`.
    pub brightness: f32,
    /// Contrast strength, ≥ 0. Default `0.2`.
    pub contrast: f32,
    /// Saturation strength, ≥ 0. Default `0.2`.
    pub saturation: f32,
    /// Largest hue shift in turns, in `[0, 0.5]`. Default `0`.
    pub hue: f32,
}

impl Default for ColorJitter {
    fn default() -> Self {
        Self {
            brightness: 0.2,
            contrast: 0.2,
            saturation: 0.2,
            hue: 0.0,
        }
    }
}

impl ColorJitter {
    /// Checks the strengths.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        let strengths = [
            ("brightness", self.brightness),
            ("contrast", self.contrast),
            ("saturation", self.saturation),
        ];
        for (field, s) in strengths {
            check(
                "color_jitter",
                field,
                s,
                s >= 0.0 && s.is_finite(),
                "must be >= 0",
            )?;
        }
        let ok = (0.0..=0.5).contains(&self.hue);
        check(
            "color_jitter",
            "hue",
            self.hue,
            ok,
            "must lie in [0, 0.5] (turns)",
        )
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`, unchanged),
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when `contrast`, `saturation` or `hue` is on and the images
    /// are neither RGB nor grey (they go through [`to_grayscale`](crate::to_grayscale)).
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        let colour = self.contrast > 0.0 || self.saturation > 0.0 || self.hue > 0.0;
        let c = input[1];
        check_shape("color_jitter", input, !colour || c == 1 || c == 3, || {
            format!(
                "contrast, saturation and hue need RGB (3 channels) or grey (1 channel) \
                 images, not {c} channels; set them to 0 (brightness works on any channels)"
            )
        })?;
        Ok(input)
    }

    /// Jitters the batch, drawing `N` factors per enabled step from `rng`, in the order
    /// brightness, contrast, saturation, hue.
    ///
    /// # Panics
    /// When the configuration is invalid (see [`Self::validate`]).
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let n = images.dims()[0];
        let mut draw =
            |range: [f32; 2]| -> Vec<f64> { (0..n).map(|_| uniform(rng, range)).collect() };
        let factor_range = |s: f32| [(1.0 - s).max(0.0), 1.0 + s];
        let mut out = images;
        if self.brightness > 0.0 {
            out = adjust_brightness(out, &draw(factor_range(self.brightness)));
        }
        if self.contrast > 0.0 {
            out = adjust_contrast(out, &draw(factor_range(self.contrast)));
        }
        if self.saturation > 0.0 {
            out = adjust_saturation(out, &draw(factor_range(self.saturation)));
        }
        if self.hue > 0.0 {
            out = adjust_hue(out, &draw([-self.hue, self.hue]));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{assert_close, backends_agree, for_each_device, values};

    #[test]
    fn brightness_only_jitter_scales_each_sample_within_range() {
        for_each_device(|device| {
            let jitter = ColorJitter {
                brightness: 0.5,
                contrast: 0.0,
                saturation: 0.0,
                hue: 0.0,
            };
            // 200 one-pixel grey images of 0.5: each becomes 0.5·f with f ∈ [0.5, 1.5].
            let images = Tensor::<4>::full([200, 1, 1, 1], 0.5, device);
            let out = values(jitter.apply(images, &mut seeded(3)));
            assert!(out.iter().all(|v| (0.25..=0.75).contains(v)), "{out:?}");
            let distinct = out.iter().filter(|&&v| (v - out[0]).abs() > 1e-4).count();
            assert!(distinct > 190, "samples share their factor");
        });
    }

    #[test]
    fn zero_strengths_leave_images_unchanged() {
        for_each_device(|device| {
            let jitter = ColorJitter {
                brightness: 0.0,
                contrast: 0.0,
                saturation: 0.0,
                hue: 0.0,
            };
            let image: Tensor<4> = Tensor::from_data([[[[0.3]], [[0.6]], [[0.9]]]], device);
            let out = jitter.apply(image, &mut seeded(0));
            assert_close(&values(out), &[0.3, 0.6, 0.9], 0.0, "no jitter");
        });
    }

    #[test]
    fn full_jitter_agrees_across_backends() {
        backends_agree(1e-4, |device| {
            let image: Tensor<4> =
                Tensor::from_data([[[[0.3, 0.8]], [[0.6, 0.1]], [[0.9, 0.5]]]], device);
            let jitter = ColorJitter {
                hue: 0.1,
                ..Default::default()
            };
            values(jitter.apply(image.repeat_dim(0, 4), &mut seeded(21)))
        });
    }

    #[test]
    fn a_hue_above_half_a_turn_is_reported() {
        let jitter = ColorJitter {
            hue: 0.7,
            ..Default::default()
        };
        let err = jitter.validate().unwrap_err().to_string();
        assert_eq!(err, "color_jitter.hue = 0.7: must lie in [0, 0.5] (turns)");
    }
}
