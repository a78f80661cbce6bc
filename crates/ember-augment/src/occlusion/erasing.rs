//! Random erasing / cutout: blank out a random rectangle of each image.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::batch::per_sample;
use crate::error::{check, check_probability, check_range, expect_valid, AugmentError};
use crate::random::{box_sides, coins, integer};

/// With probability `p` per sample, sets a rectangle of the image to `value` on every
/// channel (Zhong et al. 2017, torchvision's `RandomErasing`). The rectangle has area
/// `a·H·W`, `a ~ U(scale)`, aspect `r = exp(U(ln ratio))`, height `round(√(a·H·W·r))`, width
/// `round(√(a·H·W/r))`, at a uniform position; up to 10 draws are tried until it fits
/// strictly inside the image, else the sample is left alone. Cutout (DeVries & Taylor 2017)
/// is the case `ratio = [1, 1]` with a fixed `scale`.
///
/// # Shapes
/// `[N, C, H, W]` in and out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomErasing {
    /// Probability of erasing in a sample, in `[0, 1]`. Default `0.5`.
    pub p: f32,
    /// Range of the erased area as a fraction of the image, `0 < low ≤ high ≤ 1`.
    /// Default `[0.02, 0.33]`.
    pub scale: [f32; 2],
    /// Range of the aspect ratio height/width, `0 < low ≤ high`. Default `[0.3, 3.3]`.
    pub ratio: [f32; 2],
    /// The value written into the rectangle. Default `0`.
    pub value: f32,
}

impl Default for RandomErasing {
    fn default() -> Self {
        Self {
            p: 0.5,
            scale: [0.02, 0.33],
            ratio: [0.3, 3.3],
            value: 0.0,
        }
    }
}

impl RandomErasing {
    /// Checks `p`, the ranges and `value`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_probability("erasing", self.p)?;
        let allowed = "must be [low, high] with 0 < low <= high <= 1";
        check_range(
            "erasing",
            "scale",
            self.scale,
            f32::MIN_POSITIVE,
            1.0,
            allowed,
        )?;
        let allowed = "must be [low, high] with 0 < low <= high";
        check_range(
            "erasing",
            "ratio",
            self.ratio,
            f32::MIN_POSITIVE,
            f32::MAX,
            allowed,
        )?;
        check(
            "erasing",
            "value",
            self.value,
            self.value.is_finite(),
            "must be finite",
        )
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

    /// Each sample's rectangle `[top, left, height, width]`; `[0, 0, 0, 0]` when nothing is
    /// erased.
    pub fn draw_boxes(&self, n: usize, h: usize, w: usize, rng: &mut StdRng) -> Vec<[usize; 4]> {
        let chosen = coins(rng, n, self.p);
        chosen
            .into_iter()
            .map(|c| if c { self.draw_box(h, w, rng) } else { [0; 4] })
            .collect()
    }

    fn draw_box(&self, h: usize, w: usize, rng: &mut StdRng) -> [usize; 4] {
        for _ in 0..10 {
            let [eh, ew] = box_sides(rng, (h * w) as f64, self.scale, self.ratio);
            if eh < h && ew < w {
                return [integer(rng, h - eh), integer(rng, w - ew), eh, ew];
            }
        }
        [0; 4]
    }

    /// Erases the rectangles drawn from `rng`; the mask is built on the device from the
    /// per-sample corners.
    ///
    /// # Panics
    /// When the configuration is invalid (see [`Self::validate`]).
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let [n, c, h, w] = images.dims();
        let boxes = self.draw_boxes(n, h, w, rng);
        let column = |k: usize| -> Vec<f64> { boxes.iter().map(|b| b[k] as f64).collect() };
        let (top, left) = (
            per_sample(&column(0), &images),
            per_sample(&column(1), &images),
        );
        let (eh, ew) = (
            per_sample(&column(2), &images),
            per_sample(&column(3), &images),
        );
        let rows = positions(h, &images).reshape([1, 1, h, 1]);
        let cols = positions(w, &images).reshape([1, 1, 1, w]);
        let in_rows = between(rows, top.clone(), top + eh);
        let in_cols = between(cols, left.clone(), left + ew);
        let mask = (in_rows * in_cols).greater_elem(0.5).expand([n, c, h, w]);
        images.mask_fill(mask, self.value)
    }
}

/// `0, 1, …, len − 1` in `like`'s dtype on its device.
fn positions(len: usize, like: &Tensor<4>) -> Tensor<1> {
    Tensor::<1, Int>::arange(0..len as i64, &like.device())
        .float()
        .cast(like.dtype())
}

/// 1 where `low ≤ x < high`, else 0 (`x` broadcast against the per-sample bounds).
fn between(x: Tensor<4>, low: Tensor<4>, high: Tensor<4>) -> Tensor<4> {
    let dtype = x.dtype();
    let above = (x.clone() - low).greater_equal_elem(0.0).float();
    let below = (x - high).lower_elem(0.0).float();
    (above * below).cast(dtype)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{backends_agree, values};

    #[test]
    fn erased_area_and_count_follow_the_configuration() {
        let erasing = RandomErasing {
            p: 0.6,
            scale: [0.1, 0.2],
            ratio: [0.5, 2.0],
            value: 0.0,
        };
        // 400 white 1×20×20 images: zeros in the output mark the erased pixels.
        let out = backends_agree(0.0, |device| {
            let images = Tensor::<4>::ones([400, 1, 20, 20], device);
            values(erasing.apply(images, &mut seeded(6)))
        });
        let areas: Vec<usize> = out
            .chunks(400)
            .map(|image| image.iter().filter(|&&v| v == 0.0).count())
            .collect();
        // Binomial(400, 0.6): mean 240, standard deviation ≈ 9.8.
        let erased = areas.iter().filter(|&&a| a > 0).count();
        assert!(
            (240 - 40..=240 + 40).contains(&erased),
            "{erased} of 400 erased"
        );
        // Area 40..80 pixels before rounding each side (≤ ±½ pixel each): within ±(h + w)/2.
        for &a in areas.iter().filter(|&&a| a > 0) {
            assert!((30..=92).contains(&a), "erased area {a}");
        }
    }

    #[test]
    fn the_mask_covers_exactly_the_drawn_box() {
        let erasing = RandomErasing {
            p: 1.0,
            scale: [0.2, 0.3],
            ratio: [1.0, 1.0],
            value: -1.0,
        };
        let [top, left, eh, ew] = erasing.draw_boxes(1, 6, 7, &mut seeded(4))[0];
        let out = backends_agree(0.0, |device| {
            let images = Tensor::<4>::zeros([1, 2, 6, 7], device);
            values(erasing.apply(images, &mut seeded(4)))
        });
        for channel in 0..2 {
            for y in 0..6 {
                for x in 0..7 {
                    let inside = (top..top + eh).contains(&y) && (left..left + ew).contains(&x);
                    let expected = if inside { -1.0 } else { 0.0 };
                    assert_eq!(
                        out[channel * 42 + y * 7 + x],
                        expected,
                        "({channel}, {y}, {x})"
                    );
                }
            }
        }
        assert!(eh * ew >= 6, "box {eh}×{ew} smaller than 0.2·42 rounded");
    }
}
