//! Crop a random box of random area and aspect ratio, then rescale it ("multi-scale"
//! training, the Inception / ResNet ImageNet recipe).

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::resize::box_map;
use super::sampler::{warp, Border};
use crate::error::{check_pixels, check_range, check_size, expect_valid, AugmentError};
use crate::random::{box_sides, integer};

/// For each sample, picks a box of area `a·H·W` with `a ~ U(scale)` and aspect ratio
/// `w/h = exp(U(ln ratio[0], ln ratio[1]))`, at a uniform position, and rescales it to `size`
/// bilinearly (torchvision's `RandomResizedCrop`: up to 10 tries, each keeping the box only if
/// it fits; after 10 misses, the largest central box whose ratio is clamped into `ratio`).
///
/// Box sides are `round(√(a·H·W·r))` × `round(√(a·H·W/r))` whole pixels. Samples at the box
/// edge may blend in the pixel just outside it (the source is clamped to the image, not the
/// box).
///
/// # Shapes
/// `[N, C, H, W]` → `[N, C, size[0], size[1]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomResizedCrop {
    /// Output `[height, width]`, both ≥ 1. Default `[224, 224]`.
    pub size: [usize; 2],
    /// Range of the box area as a fraction of the image, `0 < low ≤ high ≤ 1`.
    /// Default `[0.08, 1]`.
    pub scale: [f32; 2],
    /// Range of the box aspect ratio width/height, `0 < low ≤ high`. Default `[3/4, 4/3]`.
    pub ratio: [f32; 2],
}

impl Default for RandomResizedCrop {
    fn default() -> Self {
        Self {
            size: [224, 224],
            scale: [0.08, 1.0],
            ratio: [3.0 / 4.0, 4.0 / 3.0],
        }
    }
}

impl RandomResizedCrop {
    /// Checks the size and ranges.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        let name = "random_resized_crop";
        check_size(name, self.size)?;
        let allowed = "must be [low, high] with 0 < low <= high <= 1";
        check_range(name, "scale", self.scale, f32::MIN_POSITIVE, 1.0, allowed)?;
        let allowed = "must be [low, high] with 0 < low <= high";
        check_range(
            name,
            "ratio",
            self.ratio,
            f32::MIN_POSITIVE,
            f32::MAX,
            allowed,
        )
    }

    /// The shape [`apply`](Self::apply) returns for `input`: `[N, C, size[0], size[1]]`,
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when the images have no pixel.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        check_pixels("random_resized_crop", input)?;
        let [n, c, _, _] = input;
        Ok([n, c, self.size[0], self.size[1]])
    }

    /// Each sample's box `[top, left, height, width]` in pixels.
    pub fn draw_boxes(&self, n: usize, h: usize, w: usize, rng: &mut StdRng) -> Vec<[usize; 4]> {
        (0..n).map(|_| self.draw_box(h, w, rng)).collect()
    }

    fn draw_box(&self, h: usize, w: usize, rng: &mut StdRng) -> [usize; 4] {
        for _ in 0..10 {
            let [bw, bh] = box_sides(rng, (h * w) as f64, self.scale, self.ratio);
            if (1..=w).contains(&bw) && (1..=h).contains(&bh) {
                return [integer(rng, h - bh), integer(rng, w - bw), bh, bw];
            }
        }
        let image_ratio = w as f64 / h as f64;
        let (low, high) = (f64::from(self.ratio[0]), f64::from(self.ratio[1]));
        let (bh, bw) = if image_ratio < low {
            (((w as f64) / low).round() as usize, w)
        } else if image_ratio > high {
            (h, ((h as f64) * high).round() as usize)
        } else {
            (h, w)
        };
        [(h - bh) / 2, (w - bw) / 2, bh, bw]
    }

    /// Crops and rescales the batch, drawing the boxes from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid (see [`Self::validate`]).
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let [n, _, h, w] = images.dims();
        let maps: Vec<_> = self
            .draw_boxes(n, h, w, rng)
            .into_iter()
            .map(|b| box_map(b.map(|v| v as f64), self.size))
            .collect();
        warp(images, &maps, self.size, Border::Clamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{assert_close, backends_agree, for_each_device, values};

    #[test]
    fn boxes_respect_area_ratio_and_bounds() {
        let crop = RandomResizedCrop {
            size: [8, 8],
            scale: [0.25, 0.5],
            ratio: [0.5, 2.0],
        };
        for [top, left, bh, bw] in crop.draw_boxes(1000, 64, 64, &mut seeded(8)) {
            assert!(top + bh <= 64 && left + bw <= 64);
            // Rounding each side moves the area by at most ±(bh + bw)/2 + ¼ pixels.
            let slack = (bh + bw) as f64 / 2.0 + 0.25;
            let area = (bh * bw) as f64;
            assert!(
                area >= 0.25 * 4096.0 - slack && area <= 0.5 * 4096.0 + slack,
                "{area}"
            );
            let r = bw as f64 / bh as f64;
            assert!((0.45..=2.2).contains(&r), "ratio {r}");
        }
    }

    #[test]
    fn full_box_without_scaling_is_the_identity() {
        for_each_device(|device| {
            let crop = RandomResizedCrop {
                size: [2, 3],
                scale: [1.0, 1.0],
                ratio: [1.5, 1.5],
            };
            // Area 6, ratio 3/2: sides round(√9) = 3 wide and round(√4) = 2 high: the image.
            let image: Tensor<4> =
                Tensor::from_data([[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]], device);
            let out = crop.apply(image, &mut seeded(0));
            assert_close(&values(out), &[1., 2., 3., 4., 5., 6.], 1e-5, "full box");
        });
    }

    #[test]
    fn impossible_ratios_fall_back_to_the_central_box() {
        // A 4×16 image cannot hold a box of ratio ≤ 1/2 and area ≥ 0.9·64 (its height would
        // be ≥ √(57.6/0.5) ≈ 10.7 > 4). Fallback: the image ratio 16/4 = 4 exceeds 1/2, so
        // height 4, width round(4·0.5) = 2, centred at left (16 − 2)/2 = 7.
        let crop = RandomResizedCrop {
            size: [2, 2],
            scale: [0.9, 1.0],
            ratio: [0.25, 0.5],
        };
        let boxes = crop.draw_boxes(3, 4, 16, &mut seeded(0));
        assert!(boxes.iter().all(|&b| b == [0, 7, 4, 2]), "{boxes:?}");
    }

    #[test]
    fn seeded_crops_agree_across_backends() {
        backends_agree(1e-4, |device| {
            let data = TensorData::new((0..64).map(|v| v as f32).collect::<Vec<_>>(), [1, 1, 8, 8]);
            let images = Tensor::<4>::from_data(data, device).repeat_dim(0, 3);
            let crop = RandomResizedCrop {
                size: [4, 4],
                ..Default::default()
            };
            values(crop.apply(images, &mut seeded(3)))
        });
    }
}
