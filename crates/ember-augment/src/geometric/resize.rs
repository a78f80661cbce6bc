//! Rescale images to a fixed size.

use burn::prelude::*;
use serde::{Deserialize, Serialize};

use super::sampler::{warp, AffineMap, Border};
use crate::error::{check_pixels, check_size, expect_valid, AugmentError};

/// Rescales every image to `size` by bilinear interpolation with PyTorch's
/// `interpolate(mode="bilinear", align_corners=False)` convention and no antialiasing:
/// output column `x` reads source column `(x + ½)·W/W' − ½`, clamped to `[0, W − 1]` (edge
/// pixels repeat), rows likewise.
///
/// # Shapes
/// `[N, C, H, W]` → `[N, C, size[0], size[1]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resize {
    /// Output `[height, width]`, both ≥ 1.
    pub size: [usize; 2],
}

impl Resize {
    /// Checks the size.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when a side is 0 or above [`MAX_SIDE`](crate::MAX_SIDE).
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_size("resize", self.size)
    }

    /// The shape [`apply`](Self::apply) returns for `input`: `[N, C, size[0], size[1]]`,
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when the images have no pixel.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        check_pixels("resize", input)?;
        let [n, c, _, _] = input;
        Ok([n, c, self.size[0], self.size[1]])
    }

    /// Resizes the batch (deterministic: no random draw).
    ///
    /// # Panics
    /// When a side of `size` is 0.
    pub fn apply(&self, images: Tensor<4>) -> Tensor<4> {
        expect_valid(self.validate());
        let [n, _, h, w] = images.dims();
        let map = box_map([0.0, 0.0, h as f64, w as f64], self.size);
        warp(images, &vec![map; n], self.size, Border::Clamp)
    }
}

/// The map that stretches the box `[top, left, height, width]` of the source onto an output
/// of `size`, pixel centres to pixel centres: `src_x = left + (x + ½)·width/W' − ½`.
pub(crate) fn box_map([top, left, height, width]: [f64; 4], size: [usize; 2]) -> AffineMap {
    let sx = width / size[1] as f64;
    let sy = height / size[0] as f64;
    [
        sx,
        0.0,
        left + 0.5 * sx - 0.5,
        0.0,
        sy,
        top + 0.5 * sy - 0.5,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{assert_close, for_each_device, values};

    #[test]
    fn sizes_beyond_the_largest_side_are_refused_before_any_memory_is_taken() {
        for json in [
            r#"{"transforms": [{"type": "resize", "size": [100000, 100000]}]}"#,
            r#"{"transforms": [{"type": "random_crop", "size": [2049, 8]}]}"#,
            r#"{"transforms": [{"type": "center_crop", "size": [0, 8]}]}"#,
            r#"{"transforms": [{"type": "pad", "padding": 1000000000}]}"#,
            r#"{"transforms": [{"type": "random_resized_crop", "size": [99999, 4]}]}"#,
        ] {
            match crate::Pipeline::from_json(json) {
                Err(AugmentError::OutOfRange { allowed, .. }) => {
                    assert!(
                        allowed.contains("2048") || allowed.contains(">= 1"),
                        "{allowed}"
                    )
                }
                other => panic!("{json}: {other:?}"),
            }
        }
        let edge = crate::Pipeline::from_json(
            r#"{"transforms": [{"type": "resize", "size": [2048, 1]}]}"#,
        );
        assert!(edge.is_ok(), "{edge:?}");
    }

    #[test]
    fn upscaling_two_by_two_to_four_by_four() {
        for_each_device(|device| {
            let image: Tensor<4> = Tensor::from_data([[[[0.0, 4.0], [8.0, 12.0]]]], device);
            let out = Resize { size: [4, 4] }.apply(image);
            // Source positions (x + ½)/2 − ½ = −¼ → 0 (clamped), ¼, ¾, 1¼ → 1 (clamped).
            // Along a row 0 → 4: 0, 1, 3, 4; rows blend 0 → 8 the same way: 0, 2, 6, 8.
            let expected = [
                0., 1., 3., 4., //
                2., 3., 5., 6., //
                6., 7., 9., 10., //
                8., 9., 11., 12.,
            ];
            assert_close(&values(out), &expected, 1e-5, "2×2 → 4×4");
        });
    }

    #[test]
    fn downscaling_by_two_averages_each_two_by_two_block() {
        for_each_device(|device| {
            let data = TensorData::new((0..16).map(|v| v as f32).collect::<Vec<_>>(), [1, 1, 4, 4]);
            let out = Resize { size: [2, 2] }.apply(Tensor::from_data(data, device));
            // Source positions (x + ½)·2 − ½ = ½, 2½: the mean of each block of 0..16:
            // (0+1+4+5)/4 = 2.5, (2+3+6+7)/4 = 4.5, 10.5, 12.5.
            assert_close(&values(out), &[2.5, 4.5, 10.5, 12.5], 1e-5, "4×4 → 2×2");
        });
    }
}
