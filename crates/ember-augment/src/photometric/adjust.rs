//! Per-sample colour adjustments with given factors: brightness, contrast, saturation, hue.
//! [`ColorJitter`](crate::ColorJitter) draws the factors; these functions apply them.
//!
//! Results are clamped to `[0, 1]` as torchvision does for float images, so apply them before
//! normalisation.

use burn::prelude::*;

use super::grayscale::to_grayscale;
use crate::batch::{per_sample, per_sample_rows};

/// `clamp(f·x, 0, 1)` with one factor `f` per sample (torchvision's `adjust_brightness`).
///
/// # Shapes
/// `images` `[N, C, H, W]`, `factors` `N`; result `[N, C, H, W]`.
pub fn adjust_brightness(images: Tensor<4>, factors: &[f64]) -> Tensor<4> {
    check_count("adjust_brightness", &images, factors.len());
    let f = per_sample(factors, &images);
    (images * f).clamp(0.0, 1.0)
}

/// `clamp(f·x + (1 − f)·m, 0, 1)` where `m` is the mean luma of the image: contrast scaled by
/// `f` about the image's mean grey (torchvision's `adjust_contrast`).
///
/// # Shapes
/// `images` `[N, C, H, W]` with `C` ∈ {1, 3}, `factors` `N`; result `[N, C, H, W]`.
pub fn adjust_contrast(images: Tensor<4>, factors: &[f64]) -> Tensor<4> {
    check_count("adjust_contrast", &images, factors.len());
    let n = images.dims()[0];
    let mean = to_grayscale(images.clone())
        .reshape([n as i64, -1])
        .mean_dim(1)
        .reshape([n, 1, 1, 1]);
    blend(images, mean, factors)
}

/// `clamp(f·x + (1 − f)·Y, 0, 1)` where `Y` is each pixel's luma: `f = 0` gives grey, `f = 1`
/// the original, `f > 1` more saturated colours (torchvision's `adjust_saturation`).
///
/// # Shapes
/// `images` `[N, C, H, W]` with `C` ∈ {1, 3}, `factors` `N`; result `[N, C, H, W]`.
pub fn adjust_saturation(images: Tensor<4>, factors: &[f64]) -> Tensor<4> {
    check_count("adjust_saturation", &images, factors.len());
    let grey = to_grayscale(images.clone());
    blend(images, grey, factors)
}

/// Rotates the chroma of each RGB image by `2π·shift` in YIQ space and clamps to `[0, 1]`:
/// `rgb' = T⁻¹·R(2π·shift)·T·rgb`, with `T` the NTSC RGB→YIQ matrix and `R` a rotation of
/// the `(I, Q)` plane that keeps the luma `Y`. A linear approximation of torchvision's HSV hue
/// shift (which rotates the hue exactly but is piecewise); `shift` in `[−0.5, 0.5]` turns.
/// One-channel images are returned unchanged.
///
/// # Shapes
/// `images` `[N, C, H, W]` with `C` ∈ {1, 3}, `shifts` `N`; result `[N, C, H, W]`.
pub fn adjust_hue(images: Tensor<4>, shifts: &[f64]) -> Tensor<4> {
    check_count("adjust_hue", &images, shifts.len());
    let [n, c, h, w] = images.dims();
    if c == 1 {
        return images;
    }
    assert_eq!(
        c, 3,
        "adjust_hue needs RGB images [N, 3, H, W], got {c} channels"
    );
    let matrices: Vec<f64> = shifts.iter().flat_map(|&s| hue_matrix(s)).collect();
    let m = per_sample_rows(&matrices, 9, &images).reshape([n, 3, 3]);
    let rotated = m.matmul(images.reshape([n, 3, h * w]));
    rotated.reshape([n, 3, h, w]).clamp(0.0, 1.0)
}

/// RGB → YIQ (NTSC, FCC 1953 coefficients).
const YIQ: [[f64; 3]; 3] = [
    [0.299, 0.587, 0.114],
    [0.596, -0.274, -0.322],
    [0.211, -0.523, 0.312],
];

/// `T⁻¹·R(2π·shift)·T`, row-major.
fn hue_matrix(shift: f64) -> [f64; 9] {
    let (sin, cos) = (std::f64::consts::TAU * shift).sin_cos();
    let rotation = [[1.0, 0.0, 0.0], [0.0, cos, -sin], [0.0, sin, cos]];
    let m = multiply(&inverse(&YIQ), &multiply(&rotation, &YIQ));
    [
        m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2],
    ]
}

fn multiply(a: &[[f64; 3]; 3], b: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    std::array::from_fn(|i| std::array::from_fn(|j| (0..3).map(|k| a[i][k] * b[k][j]).sum()))
}

/// The inverse of a 3×3 matrix by cofactors.
fn inverse(m: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let cofactor = |i: usize, j: usize| {
        let (r0, r1) = ((i + 1) % 3, (i + 2) % 3);
        let (c0, c1) = ((j + 1) % 3, (j + 2) % 3);
        m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]
    };
    let det: f64 = (0..3).map(|j| m[0][j] * cofactor(0, j)).sum();
    std::array::from_fn(|i| std::array::from_fn(|j| cofactor(j, i) / det))
}

/// `clamp(f·x + (1 − f)·target, 0, 1)`, `target` broadcast against `x`.
fn blend(images: Tensor<4>, target: Tensor<4>, factors: &[f64]) -> Tensor<4> {
    let f = per_sample(factors, &images);
    let keep = f.clone().neg().add_scalar(1.0);
    (images * f + target * keep).clamp(0.0, 1.0)
}

#[track_caller]
fn check_count(what: &str, images: &Tensor<4>, count: usize) {
    let n = images.dims()[0];
    assert_eq!(
        count, n,
        "{what}: {count} factors for a batch of {n}; give one per sample"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{assert_close, for_each_device, values};

    /// Two RGB pixels: (0.6, 0.4, 0.2) and (0.2, 0.4, 0.6).
    fn pixels(device: &Device) -> Tensor<4> {
        Tensor::from_data([[[[0.6, 0.2]], [[0.4, 0.4]], [[0.2, 0.6]]]], device)
    }

    #[test]
    fn brightness_scales_and_clamps() {
        for_each_device(|device| {
            let out = adjust_brightness(pixels(device), &[2.0]);
            // 2·(0.6, 0.2 | 0.4, 0.4 | 0.2, 0.6) = 1.2 → 1, 0.4 | 0.8, 0.8 | 0.4, 1.2 → 1.
            assert_close(&values(out), &[1.0, 0.4, 0.8, 0.8, 0.4, 1.0], 1e-6, "×2");
        });
    }

    #[test]
    fn contrast_blends_with_the_mean_luma() {
        for_each_device(|device| {
            // Lumas: 0.299·0.6 + 0.587·0.4 + 0.114·0.2 = 0.437 and
            // 0.299·0.2 + 0.587·0.4 + 0.114·0.6 = 0.3630; mean m = 0.4.
            // f = 0.5: 0.5·x + 0.2.
            let out = adjust_contrast(pixels(device), &[0.5]);
            assert_close(
                &values(out),
                &[0.5, 0.3, 0.4, 0.4, 0.3, 0.5],
                1e-6,
                "contrast",
            );
        });
    }

    #[test]
    fn saturation_zero_gives_grey_and_two_pushes_away_from_it() {
        for_each_device(|device| {
            let grey = adjust_saturation(pixels(device), &[0.0]);
            let expected = [0.437, 0.363, 0.437, 0.363, 0.437, 0.363];
            assert_close(&values(grey), &expected, 1e-6, "saturation 0");
            // f = 2: 2x − Y: (1.2 − 0.437, 0.4 − 0.363 | 0.8 − 0.437, 0.8 − 0.363 | ...).
            let out = adjust_saturation(pixels(device), &[2.0]);
            let expected = [0.763, 0.037, 0.363, 0.437, 0.0, 0.837];
            assert_close(&values(out), &expected, 1e-5, "saturation 2");
        });
    }

    #[test]
    fn half_turn_of_hue_reflects_each_colour_through_its_grey() {
        for_each_device(|device| {
            // R(π) negates I and Q; since T·(1, 1, 1) = (1, 0, 0), T⁻¹·diag(1, −1, −1)·T·x =
            // 2Y·(1, 1, 1) − x. Y = 0.437 and 0.363: (0.874 − x) and (0.726 − x).
            let out = adjust_hue(pixels(device), &[0.5]);
            let expected = [0.274, 0.526, 0.474, 0.326, 0.674, 0.126];
            assert_close(&values(out), &expected, 1e-5, "hue ½");
        });
    }

    #[test]
    fn zero_hue_shift_is_the_identity() {
        for_each_device(|device| {
            let out = adjust_hue(pixels(device), &[0.0]);
            assert_close(&values(out), &[0.6, 0.2, 0.4, 0.4, 0.2, 0.6], 1e-5, "hue 0");
        });
    }

    #[test]
    #[should_panic(expected = "adjust_brightness: 1 factors for a batch of 2")]
    fn one_factor_per_sample_is_required() {
        let device = Device::flex();
        adjust_brightness(pixels(&device).repeat_dim(0, 2), &[1.0]);
    }
}
