//! Bilinear sampling of a batch through per-sample affine maps, from tensor ops only
//! (floor, clamp, `gather` on a flattened `[N, C, H·W]` view), so it runs on every backend.

use burn::prelude::*;

use crate::batch::per_sample_rows;

/// What a sample outside the source image reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Border {
    /// The constant: the image is padded with it on every side.
    Fill(f32),
    /// The nearest edge pixel (as PyTorch's `interpolate` does).
    Clamp,
}

/// An affine map from output pixel `(x, y)` (column, row) to source position:
/// `src_x = m[0]·x + m[1]·y + m[2]`, `src_y = m[3]·x + m[4]·y + m[5]`, in pixel units where
/// pixel `(i, j)` has its centre at `(j, i)`.
pub(crate) type AffineMap = [f64; 6];

/// Resamples each image `i` through `maps[i]` into an `out = [height, width]` grid, blending
/// the four neighbours of every source position bilinearly; neighbours outside the image read
/// as `border` says.
///
/// # Shapes
/// `images`: `[N, C, H, W]`, `maps`: `N` maps; result `[N, C, out[0], out[1]]`.
pub(crate) fn warp(
    images: Tensor<4>,
    maps: &[AffineMap],
    out: [usize; 2],
    border: Border,
) -> Tensor<4> {
    let [n, c, h, w] = images.dims();
    let [oh, ow] = out;
    let flat_maps: Vec<f64> = maps.iter().flatten().copied().collect();
    let coefficients = per_sample_rows(&flat_maps, 6, &images).reshape([n, 6, 1]);
    let column = |k: usize| coefficients.clone().slice([0..n, k..k + 1]);

    let (xs, ys) = output_grid(oh, ow, &images);
    let mut sx = column(0) * xs.clone() + column(1) * ys.clone() + column(2);
    let mut sy = column(3) * xs + column(4) * ys + column(5);
    let fill = match border {
        Border::Fill(value) => value,
        Border::Clamp => {
            sx = sx.clamp(0.0, (w - 1) as f64);
            sy = sy.clamp(0.0, (h - 1) as f64);
            0.0
        }
    };
    let (x0, y0) = (sx.clone().floor(), sy.clone().floor());
    let (wx, wy) = (sx - x0.clone(), sy - y0.clone());
    let flat = images.reshape([n, c, h * w]).sub_scalar(fill);

    let mut result: Option<Tensor<3>> = None;
    for (dy, weight_y) in [(0.0, wy.clone().neg().add_scalar(1.0)), (1.0, wy)] {
        for (dx, weight_x) in [(0.0, wx.clone().neg().add_scalar(1.0)), (1.0, wx.clone())] {
            let xi = x0.clone().add_scalar(dx);
            let yi = y0.clone().add_scalar(dy);
            let weight = weight_x.clone() * weight_y.clone() * inside(&xi, w) * inside(&yi, h);
            let index =
                yi.clamp(0.0, (h - 1) as f64).mul_scalar(w as f64) + xi.clamp(0.0, (w - 1) as f64);
            let index = index.int().expand([n, c, oh * ow]);
            let term = flat.clone().gather(2, index) * weight;
            result = Some(match result {
                Some(sum) => sum + term,
                None => term,
            });
        }
    }
    let result = result.expect("four neighbours").add_scalar(fill);
    result.reshape([n, c, oh, ow])
}

/// The column and row index of every output pixel, each `[1, 1, oh·ow]`, row-major.
fn output_grid(oh: usize, ow: usize, like: &Tensor<4>) -> (Tensor<3>, Tensor<3>) {
    let device = like.device();
    let pixels = Tensor::<1, Int>::arange(0..(oh * ow) as i64, &device);
    let column = pixels.clone().remainder_scalar(ow as i64);
    let row = pixels.div_scalar(ow as i64);
    let as_float = |t: Tensor<1, Int>| t.float().cast(like.dtype()).reshape([1, 1, oh * ow]);
    (as_float(column), as_float(row))
}

/// 1 where the integer position `index` lies in `0..size`, else 0.
fn inside(index: &Tensor<3>, size: usize) -> Tensor<3> {
    let low = index.clone().greater_equal_elem(0.0).float();
    let high = index.clone().lower_elem((size as f64) - 0.5).float();
    (low * high).cast(index.dtype())
}

/// The map that rotates by `degrees` counter-clockwise (as seen on screen, rows growing
/// downwards), scales by `scale` and then shifts by `shift = [dx, dy]` pixels, all about the
/// image centres: an `input` of `[H, W]` lands in an `output` of `[H', W']`.
///
/// Output pixel `p` reads source `R(θ)ᵀ·(p − c_out − shift)/scale + c_in` with
/// `R(θ) = [[cos θ, sin θ], [−sin θ, cos θ]]` and `c = ((W − 1)/2, (H − 1)/2)`.
pub(crate) fn about_centre(
    input: [usize; 2],
    output: [usize; 2],
    degrees: f64,
    scale: f64,
    shift: [f64; 2],
) -> AffineMap {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let centre = |[h, w]: [usize; 2]| ((w as f64 - 1.0) / 2.0, (h as f64 - 1.0) / 2.0);
    let (cx_in, cy_in) = centre(input);
    let (cx_out, cy_out) = centre(output);
    let (ox, oy) = (cx_out + shift[0], cy_out + shift[1]);
    // src = Rᵀ/scale · (p − o) + c_in, Rᵀ = [[cos, −sin], [sin, cos]].
    let (a, b, d, e) = (cos / scale, -sin / scale, sin / scale, cos / scale);
    [a, b, cx_in - a * ox - b * oy, d, e, cy_in - d * ox - e * oy]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{assert_close, for_each_device, values};

    fn square(device: &Device) -> Tensor<4> {
        Tensor::from_data(
            [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]],
            device,
        )
    }

    #[test]
    fn identity_map_reproduces_the_image() {
        for_each_device(|device| {
            let map = about_centre([3, 3], [3, 3], 0.0, 1.0, [0.0, 0.0]);
            let out = warp(square(device), &[map], [3, 3], Border::Fill(0.0));
            assert_close(
                &values(out),
                &[1., 2., 3., 4., 5., 6., 7., 8., 9.],
                1e-6,
                "identity",
            );
        });
    }

    #[test]
    fn half_pixel_shift_averages_neighbours_and_blends_the_fill() {
        for_each_device(|device| {
            // Content moves right by 0.5: output (x, y) reads source x − 0.5.
            let map = about_centre([3, 3], [3, 3], 0.0, 1.0, [0.5, 0.0]);
            let out = warp(square(device), &[map], [3, 3], Border::Fill(10.0));
            // Row 1 2 3 becomes (10+1)/2, (1+2)/2, (2+3)/2 = 5.5, 1.5, 2.5.
            let expected = [5.5, 1.5, 2.5, 7.0, 4.5, 5.5, 8.5, 7.5, 8.5];
            assert_close(&values(out), &expected, 1e-5, "half-pixel shift");
        });
    }
}
