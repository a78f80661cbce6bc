//! AlexNet's "PCA lighting": colour noise along the principal components of the training
//! set's RGB values (Krizhevsky, Sutskever & Hinton 2012, §4.1).

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::batch::per_sample_rows;
use crate::error::{check, check_shape, expect_valid, AugmentError};
use crate::random::standard_normal;

/// Adds `Σᵢ αᵢ·λᵢ·pᵢ` to every pixel of a sample, with `αᵢ ~ N(0, std²)` drawn once per
/// sample, `pᵢ` the eigenvectors and `λᵢ` the eigenvalues of the 3×3 covariance of the
/// training set's RGB pixel values. No clamping (as in the paper).
///
/// The default holds the ImageNet statistics (pixel values in `[0, 1]`) published with
/// Facebook's `fb.resnet.torch`; [`PcaLighting::fit`] computes them for another data set.
///
/// # Shapes
/// `[N, 3, H, W]` in and out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PcaLighting {
    /// Standard deviation of the `αᵢ`, ≥ 0. Default `0.1` (the paper's).
    pub std: f32,
    /// `λ₁ ≥ λ₂ ≥ λ₃ ≥ 0`. Default ImageNet's `[0.2175, 0.0188, 0.0045]`.
    pub eigenvalues: [f32; 3],
    /// `p₁, p₂, p₃`, unit RGB vectors, in the order of `eigenvalues`.
    pub eigenvectors: [[f32; 3]; 3],
}

impl Default for PcaLighting {
    fn default() -> Self {
        Self {
            std: 0.1,
            eigenvalues: [0.2175, 0.0188, 0.0045],
            eigenvectors: [
                [-0.5675, -0.5808, -0.5836],
                [0.7192, -0.0045, -0.6948],
                [0.4009, -0.8140, 0.4203],
            ],
        }
    }
}

impl PcaLighting {
    /// The principal components of the RGB values of `images` (all pixels of all images
    /// pooled; covariance normalised by the pixel count), with the given `std` of `α`. The
    /// covariance is reduced on the device; only its 3×3 entries are read back and
    /// diagonalised on the CPU (Jacobi). Pass a representative sample of the training set.
    ///
    /// # Shapes
    /// `images` `[N, 3, H, W]`.
    ///
    /// # Panics
    /// When the images do not have 3 channels.
    pub fn fit(images: Tensor<4>, std: f32) -> Self {
        let [n, c, h, w] = images.dims();
        assert_eq!(
            c, 3,
            "PcaLighting::fit needs RGB images [N, 3, H, W], got {c} channels"
        );
        let pixels = images.swap_dims(0, 1).reshape([3, n * h * w]);
        let centred = pixels.clone() - pixels.mean_dim(1);
        let covariance = centred
            .clone()
            .matmul(centred.transpose())
            .div_scalar((n * h * w) as f64);
        let entries: Vec<f64> = covariance
            .into_data()
            .convert::<f64>()
            .try_into_vec()
            .expect("converted to f64 just above");
        let matrix = std::array::from_fn(|i| std::array::from_fn(|j| entries[3 * i + j]));
        let (values, vectors) = symmetric_eigen(matrix);
        Self {
            std,
            eigenvalues: values.map(|v| v.max(0.0) as f32),
            eigenvectors: vectors.map(|p| p.map(|v| v as f32)),
        }
    }

    /// Checks `std` and the eigenvalues.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        let ok = self.std >= 0.0 && self.std.is_finite();
        check("pca_lighting", "std", self.std, ok, "must be >= 0")?;
        let ok = self.eigenvalues.iter().all(|&v| v >= 0.0 && v.is_finite());
        check(
            "pca_lighting",
            "eigenvalues",
            self.eigenvalues,
            ok,
            "must all be >= 0",
        )
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`, unchanged),
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when the images are not RGB.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        let c = input[1];
        check_shape("pca_lighting", input, c == 3, || {
            format!(
                "needs RGB images (3 channels), not {c} channels; remove the step for these \
                 images"
            )
        })?;
        Ok(input)
    }

    /// The RGB offset `Σᵢ αᵢ·λᵢ·pᵢ` for one sample's `α`.
    pub fn offset(&self, alpha: [f64; 3]) -> [f64; 3] {
        std::array::from_fn(|channel| {
            (0..3)
                .map(|i| {
                    alpha[i]
                        * f64::from(self.eigenvalues[i])
                        * f64::from(self.eigenvectors[i][channel])
                })
                .sum()
        })
    }

    /// Adds each sample's offset for the given `alphas` (one `α` per sample).
    ///
    /// # Panics
    /// When the images are not RGB or the number of `alphas` is not the batch size.
    pub fn apply_with(&self, images: Tensor<4>, alphas: &[[f64; 3]]) -> Tensor<4> {
        let [n, c, _, _] = images.dims();
        assert_eq!(
            c, 3,
            "pca_lighting needs RGB images [N, 3, H, W], got {c} channels"
        );
        assert_eq!(
            alphas.len(),
            n,
            "pca_lighting: {} alphas for {n} samples",
            alphas.len()
        );
        let offsets: Vec<f64> = alphas.iter().flat_map(|&a| self.offset(a)).collect();
        let offsets = per_sample_rows(&offsets, 3, &images).reshape([n, 3, 1, 1]);
        images + offsets
    }

    /// Adds lighting noise, drawing `α` (three normals per sample) from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid or the images are not RGB.
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let std = f64::from(self.std);
        let alphas: Vec<[f64; 3]> = (0..images.dims()[0])
            .map(|_| std::array::from_fn(|_| std * standard_normal(rng)))
            .collect();
        self.apply_with(images, &alphas)
    }
}

/// Eigenvalues (descending) and unit eigenvectors of a symmetric 3×3 matrix, by cyclic
/// Jacobi rotations (Numerical Recipes §11.1).
fn symmetric_eigen(mut a: [[f64; 3]; 3]) -> ([f64; 3], [[f64; 3]; 3]) {
    let mut v = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    for _ in 0..50 {
        let off = a[0][1].powi(2) + a[0][2].powi(2) + a[1][2].powi(2);
        let scale: f64 = (0..3).map(|i| a[i][i].powi(2)).sum();
        if off <= 1e-30 * scale.max(1e-300) {
            break;
        }
        for (p, q) in [(0, 1), (0, 2), (1, 2)] {
            if a[p][q] == 0.0 {
                continue;
            }
            let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
            let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
            let c = 1.0 / (t * t + 1.0).sqrt();
            let s = t * c;
            for row in a.iter_mut() {
                let (x, y) = (row[p], row[q]);
                row[p] = c * x - s * y;
                row[q] = s * x + c * y;
            }
            let (row_p, row_q) = (a[p], a[q]);
            a[p] = std::array::from_fn(|k| c * row_p[k] - s * row_q[k]);
            a[q] = std::array::from_fn(|k| s * row_p[k] + c * row_q[k]);
            for row in v.iter_mut() {
                let (x, y) = (row[p], row[q]);
                row[p] = c * x - s * y;
                row[q] = s * x + c * y;
            }
        }
    }
    let mut order = [0, 1, 2];
    order.sort_by(|&i, &j| a[j][j].total_cmp(&a[i][i]));
    let values = order.map(|i| a[i][i]);
    let vectors = order.map(|i| [v[0][i], v[1][i], v[2][i]]);
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use ember_testkit::{assert_close, backends_agree, for_each_device, values};

    #[test]
    fn fit_recovers_a_known_covariance() {
        // The 8 points (±2, ±1, ±½) have covariance diag(4, 1, ¼) (population normalisation).
        // Rotating them by Q (45° in the R–G plane) and adding 0.5 gives covariance
        // Q·diag(4, 1, ¼)·Qᵀ: eigenvalues 4, 1, ¼ with eigenvectors Q's columns
        // (1, 1, 0)/√2, (−1, 1, 0)/√2, (0, 0, 1), up to sign.
        let h = std::f64::consts::FRAC_1_SQRT_2;
        let mut rgb = [Vec::new(), Vec::new(), Vec::new()];
        for a in [-2.0, 2.0] {
            for b in [-1.0, 1.0] {
                for c in [-0.5, 0.5] {
                    rgb[0].push(0.5 + h * a - h * b);
                    rgb[1].push(0.5 + h * a + h * b);
                    rgb[2].push(0.5 + c);
                }
            }
        }
        let flat: Vec<f64> = rgb.concat();
        for_each_device(|device| {
            let images =
                Tensor::<4>::from_data(TensorData::new(flat.clone(), [1, 3, 2, 4]), device);
            let fitted = PcaLighting::fit(images, 0.1);
            let values: Vec<f32> = fitted.eigenvalues.to_vec();
            assert_close(&values, &[4.0, 1.0, 0.25], 1e-5, "eigenvalues");
            let expected = [[h, h, 0.0], [-h, h, 0.0], [0.0, 0.0, 1.0]];
            for (p, e) in fitted.eigenvectors.iter().zip(expected) {
                let dot: f64 = (0..3).map(|k| f64::from(p[k]) * e[k]).sum();
                assert!(
                    (dot.abs() - 1.0).abs() < 1e-5,
                    "eigenvector {p:?} against {e:?}"
                );
            }
        });
    }

    #[test]
    fn offset_is_the_weighted_sum_of_eigenvectors() {
        let lighting = PcaLighting {
            std: 0.1,
            eigenvalues: [2.0, 1.0, 0.5],
            eigenvectors: [[1.0, 0.0, 0.0], [0.0, 0.6, 0.8], [0.0, 0.8, -0.6]],
        };
        // α = (0.1, −0.2, 0.4): 0.1·2·(1, 0, 0) − 0.2·1·(0, 0.6, 0.8) + 0.4·0.5·(0, 0.8, −0.6)
        // = (0.2, −0.12 + 0.16, −0.16 − 0.12) = (0.2, 0.04, −0.28).
        for_each_device(|device| {
            let image = Tensor::<4>::full([1, 3, 1, 2], 0.5, device);
            let out = lighting.apply_with(image, &[[0.1, -0.2, 0.4]]);
            let expected = [0.7, 0.7, 0.54, 0.54, 0.22, 0.22];
            assert_close(&values(out), &expected, 1e-6, "offset");
        });
    }

    #[test]
    fn seeded_lighting_agrees_across_backends_and_differs_per_sample() {
        let out = backends_agree(1e-5, |device| {
            let images = Tensor::<4>::full([3, 3, 1, 1], 0.5, device);
            values(PcaLighting::default().apply(images, &mut seeded(12)))
        });
        assert!(out[..3] != out[3..6], "two samples got the same lighting");
    }
}
