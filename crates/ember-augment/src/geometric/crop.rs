//! Cut a window out of each image: at a random place (with padding) or in the centre.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::sampler::{warp, Border};
use crate::error::{check_pixels, check_shape, check_size, expect_valid, AugmentError};
use crate::random::integer;

/// Pads each image by `padding` pixels of `fill` on every side, then cuts a `size` window at
/// a uniformly random place, independently per sample: torchvision's
/// `RandomCrop(size, padding)` (e.g. `RandomCrop(32, padding=4)` for CIFAR).
///
/// Output pixel `(x, y)` = padded pixel `(x + left, y + top)`, `left ~ U{0, …, W + 2·padding −
/// size[1]}`, `top ~ U{0, …, H + 2·padding − size[0]}`. The padding is never materialised.
///
/// # Shapes
/// `[N, C, H, W]` → `[N, C, size[0], size[1]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomCrop {
    /// Output `[height, width]`, both ≥ 1. Default `[32, 32]`.
    pub size: [usize; 2],
    /// Pixels of `fill` added on each side before cropping. Default `4`.
    pub padding: usize,
    /// Value of the padding. Default `0`.
    pub fill: f32,
}

impl Default for RandomCrop {
    fn default() -> Self {
        Self {
            size: [32, 32],
            padding: 4,
            fill: 0.0,
        }
    }
}

impl RandomCrop {
    /// Checks the size.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when a side is 0 or above [`MAX_SIDE`](crate::MAX_SIDE).
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_size("random_crop", self.size)
    }

    /// The shape [`apply`](Self::apply) returns for `input`: `[N, C, size[0], size[1]]`,
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when the images have no pixel or `size` does not fit the image
    /// padded by `padding`.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        check_pixels("random_crop", input)?;
        let [n, c, h, w] = input;
        let [ch, cw] = self.size;
        let (ph, pw) = (h + 2 * self.padding, w + 2 * self.padding);
        check_shape("random_crop", input, ch <= ph && cw <= pw, || {
            format!(
                "size {:?} does not fit the {h}×{w} image padded by {} (at most {ph}×{pw}); \
                 lower size or raise padding",
                self.size, self.padding
            )
        })?;
        Ok([n, c, ch, cw])
    }

    /// The `[top, left]` corner of each sample's window in the padded image.
    pub fn draw_corners(&self, n: usize, h: usize, w: usize, rng: &mut StdRng) -> Vec<[usize; 2]> {
        let [ch, cw] = self.size;
        let (ph, pw) = (h + 2 * self.padding, w + 2 * self.padding);
        assert!(
            ch <= ph && cw <= pw,
            "random_crop: size {:?} does not fit the {h}×{w} image padded by {} \
             (at most {ph}×{pw}); lower size or raise padding",
            self.size,
            self.padding
        );
        (0..n)
            .map(|_| [integer(rng, ph - ch), integer(rng, pw - cw)])
            .collect()
    }

    /// Crops the batch, drawing the corners from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid, or the window exceeds the padded image.
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let [n, _, h, w] = images.dims();
        let pad = self.padding as f64;
        let maps: Vec<_> = self
            .draw_corners(n, h, w, rng)
            .into_iter()
            .map(|[top, left]| [1.0, 0.0, left as f64 - pad, 0.0, 1.0, top as f64 - pad])
            .collect();
        warp(images, &maps, self.size, Border::Fill(self.fill))
    }
}

/// Cuts the central `size` window out of every image: rows `top..top + size[0]` with
/// `top = ⌊(H − size[0])/2⌋`, columns likewise (torchvision rounds half-way cases instead).
///
/// # Shapes
/// `[N, C, H, W]` → `[N, C, size[0], size[1]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CenterCrop {
    /// Output `[height, width]`, both ≥ 1 and no larger than the image.
    pub size: [usize; 2],
}

impl CenterCrop {
    /// Checks the size.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when a side is 0 or above [`MAX_SIDE`](crate::MAX_SIDE).
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_size("center_crop", self.size)
    }

    /// The shape [`apply`](Self::apply) returns for `input`: `[N, C, size[0], size[1]]`,
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when `size` is larger than the image.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        let [n, c, h, w] = input;
        let [ch, cw] = self.size;
        check_shape("center_crop", input, ch <= h && cw <= w, || {
            format!(
                "size {:?} is larger than the {h}×{w} image; pad first or lower size",
                self.size
            )
        })?;
        Ok([n, c, ch, cw])
    }

    /// Crops the batch (deterministic: no random draw).
    ///
    /// # Panics
    /// When a side is 0 or larger than the image.
    pub fn apply(&self, images: Tensor<4>) -> Tensor<4> {
        expect_valid(self.validate());
        let [n, c, h, w] = images.dims();
        let [ch, cw] = self.size;
        assert!(
            ch <= h && cw <= w,
            "center_crop: size {:?} is larger than the {h}×{w} image; pad first or lower size",
            self.size
        );
        let (top, left) = ((h - ch) / 2, (w - cw) / 2);
        images.slice([0..n, 0..c, top..top + ch, left..left + cw])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{assert_close, backends_agree, for_each_device, values};

    /// One 1-channel 4×4 image holding 0..16.
    fn grid(device: &Device) -> Tensor<4> {
        let data = TensorData::new((0..16).map(|v| v as f32).collect::<Vec<_>>(), [1, 1, 4, 4]);
        Tensor::from_data(data, device)
    }

    #[test]
    fn center_crop_takes_the_middle() {
        for_each_device(|device| {
            let out = CenterCrop { size: [2, 2] }.apply(grid(device));
            // Rows 1..3, columns 1..3 of 0..16: 5 6 / 9 10.
            assert_close(&values(out), &[5., 6., 9., 10.], 0.0, "center crop 2×2");
            let out = CenterCrop { size: [3, 2] }.apply(grid(device));
            // top = ⌊1/2⌋ = 0, left = 1: 1 2 / 5 6 / 9 10.
            assert_close(
                &values(out),
                &[1., 2., 5., 6., 9., 10.],
                0.0,
                "center crop 3×2",
            );
        });
    }

    #[test]
    fn random_crop_reads_the_padded_image_at_its_corner() {
        let crop = RandomCrop {
            size: [3, 3],
            padding: 1,
            fill: -1.0,
        };
        let corners = crop.draw_corners(1, 4, 4, &mut seeded(9));
        let [top, left] = corners[0];
        for_each_device(|device| {
            let out = values(crop.apply(grid(device), &mut seeded(9)));
            // Padded 6×6 pixel (r, c) is the input's (r − 1, c − 1) or −1 outside.
            let expected: Vec<f32> = (0..3)
                .flat_map(|y| (0..3).map(move |x| (y + top, x + left)))
                .map(|(r, c)| {
                    let inside = (1..5).contains(&r) && (1..5).contains(&c);
                    if inside {
                        ((r - 1) * 4 + c - 1) as f32
                    } else {
                        -1.0
                    }
                })
                .collect();
            assert_close(&out, &expected, 0.0, "random crop");
        });
    }

    #[test]
    fn random_crop_corners_cover_every_position() {
        let crop = RandomCrop {
            size: [32, 32],
            padding: 4,
            fill: 0.0,
        };
        let corners = crop.draw_corners(2000, 32, 32, &mut seeded(1));
        assert!(corners.iter().all(|&[t, l]| t <= 8 && l <= 8));
        // 81 positions, 2000 draws: each seen ~25 times, every one at least once.
        for t in 0..=8 {
            for l in 0..=8 {
                assert!(corners.contains(&[t, l]), "corner {t},{l} never drawn");
            }
        }
    }

    #[test]
    fn random_crop_is_reproducible_and_differs_per_sample() {
        let out = backends_agree(0.0, |device| {
            let crop = RandomCrop {
                size: [4, 4],
                padding: 2,
                fill: 0.0,
            };
            values(crop.apply(grid(device).repeat_dim(0, 4), &mut seeded(2)))
        });
        assert!(out[..16] != out[16..32] || out[16..32] != out[32..48]);
    }

    #[test]
    #[should_panic(expected = "center_crop: size [5, 2] is larger than the 4×4 image")]
    fn an_oversized_center_crop_is_explained() {
        CenterCrop { size: [5, 2] }.apply(grid(&Device::flex()));
    }
}
