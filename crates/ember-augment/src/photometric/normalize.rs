//! Per-channel standardisation.

use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{check, check_shape, expect_valid, AugmentError};

/// `(x − mean[c]) / std[c]` for every pixel of channel `c` (torchvision's `Normalize`),
/// computed as a subtraction then a division in the images' dtype (no multiplication by a
/// reciprocal), so on `f32` images it reproduces `(x - mean) / std` written in plain Rust bit
/// for bit on the CPU backends. Deterministic: apply the same `Normalize` to evaluation data
/// ([`NormalizeBatcher`](crate::NormalizeBatcher) does, on every split).
///
/// # Shapes
/// `[N, C, H, W]` in and out, `C = mean.len()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Normalize {
    /// Per-channel mean.
    pub mean: Vec<f32>,
    /// Per-channel standard deviation, each > 0; as many as `mean`.
    pub std: Vec<f32>,
}

impl Normalize {
    /// A checked `Normalize`: one `std` per `mean`, each `std` positive.
    ///
    /// ```
    /// use ember_augment::Normalize;
    ///
    /// let mnist = Normalize::new(vec![0.1307], vec![0.3081])?;
    /// assert!(Normalize::new(vec![0.5, 0.5], vec![0.2]).is_err());
    /// # Ok::<(), ember_augment::AugmentError>(())
    /// ```
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field, as [`validate`](Self::validate).
    pub fn new(mean: Vec<f32>, std: Vec<f32>) -> Result<Self, AugmentError> {
        let normalize = Self { mean, std };
        normalize.validate()?;
        Ok(normalize)
    }

    /// Checks that `mean` and `std` match and `std` is positive.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        let (m, s) = (&self.mean, &self.std);
        let same = !m.is_empty() && m.len() == s.len();
        check(
            "normalize",
            "std",
            s,
            same,
            "needs one value per channel, as many as mean",
        )?;
        let positive = s.iter().all(|&v| v > 0.0 && v.is_finite());
        check("normalize", "std", s, positive, "every value must be > 0")?;
        let finite = m.iter().all(|v| v.is_finite());
        check("normalize", "mean", m, finite, "every value must be finite")
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`, unchanged),
    /// computed from the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid,
    /// [`AugmentError::Shape`] when the images do not have one channel per `mean` value.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        let (c, k) = (input[1], self.mean.len());
        check_shape("normalize", input, c == k, || {
            format!(
                "mean and std give {k} channels but the images have {c}; give mean and std \
                 one value per channel"
            )
        })?;
        Ok(input)
    }

    /// Normalises the batch (deterministic: no random draw).
    ///
    /// # Panics
    /// When the configuration is invalid, or the images do not have `mean.len()` channels
    /// (the message is [`output_dims`](Self::output_dims)'s error).
    pub fn apply(&self, images: Tensor<4>) -> Tensor<4> {
        expect_valid(self.output_dims(images.dims()).map(drop));
        if let ([mean], [std]) = (self.mean.as_slice(), self.std.as_slice()) {
            return images
                .sub_scalar(f64::from(*mean))
                .div_scalar(f64::from(*std));
        }
        let column = |v: &[f32]| {
            let data = TensorData::new(v.to_vec(), [1, v.len(), 1, 1]);
            Tensor::<4>::from_data(data, (&images.device(), images.dtype()))
        };
        let (mean, std) = (column(&self.mean), column(&self.std));
        (images - mean) / std
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{assert_close, for_each_device, values};

    #[test]
    fn each_channel_uses_its_own_mean_and_std() {
        for_each_device(|device| {
            let image: Tensor<4> = Tensor::from_data([[[[0.5, 1.0]], [[0.0, 0.25]]]], device);
            let normalize = Normalize {
                mean: vec![0.5, 0.25],
                std: vec![0.25, 0.5],
            };
            // (0.5 − 0.5)/0.25 = 0, (1 − 0.5)/0.25 = 2; (0 − 0.25)/0.5 = −0.5, 0.
            let out = normalize.apply(image);
            assert_close(&values(out), &[0.0, 2.0, -0.5, 0.0], 1e-6, "normalize");
        });
    }

    #[test]
    fn mismatched_lengths_are_reported() {
        let normalize = Normalize {
            mean: vec![0.5, 0.5, 0.5],
            std: vec![0.2],
        };
        let err = normalize.validate().unwrap_err().to_string();
        assert_eq!(
            err,
            "normalize.std = [0.2]: needs one value per channel, as many as mean"
        );
    }

    #[test]
    fn a_non_finite_mean_or_a_zero_std_is_refused() {
        let nan_mean = Normalize {
            mean: vec![f32::NAN],
            std: vec![0.3],
        };
        let err = nan_mean.validate().unwrap_err().to_string();
        assert_eq!(err, "normalize.mean = [NaN]: every value must be finite");
        let zero_std = Normalize {
            mean: vec![0.1],
            std: vec![0.0],
        };
        assert!(zero_std.validate().is_err());
    }

    /// `(p/255 − mean)/std` in plain `f32`, as a CPU data pipeline computes it.
    fn by_hand(pixels: &[u8], channels: usize, mean: &[f32], std: &[f32]) -> Vec<f32> {
        let per_channel = pixels.len() / channels;
        pixels
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                let c = i / per_channel;
                (f32::from(p) / 255.0 - mean[c]) / std[c]
            })
            .collect()
    }

    #[test]
    fn matches_plain_f32_bit_for_bit_on_the_cpu_backends() {
        let pixels: Vec<u8> = (0..=255).chain((0..=255).rev()).chain(0..=255).collect();
        let cases: [(&[f32], &[f32]); 2] = [
            (&[0.1307], &[0.3081]),
            (&[0.4914, 0.4822, 0.4465], &[0.2470, 0.2435, 0.2616]),
        ];
        for (mean, std) in cases {
            let c = mean.len();
            let normalize = Normalize::new(mean.to_vec(), std.to_vec()).unwrap();
            let pixels = &pixels[..c * 256];
            let expected = by_hand(pixels, c, mean, std);
            let scaled: Vec<f32> = pixels.iter().map(|&p| f32::from(p) / 255.0).collect();
            // WGSL lets a division be 2.5 ULP off: the CPU backends are the ones to match.
            for test in ember_testkit::devices() {
                if test.name == "wgpu" {
                    continue;
                }
                let data = TensorData::new(scaled.clone(), [1, c, 16, 16]);
                let images = Tensor::<4>::from_data(data, &test.device);
                let out = values(normalize.apply(images));
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(
                    bits(&out),
                    bits(&expected),
                    "{} with {c} channels",
                    test.name
                );
            }
        }
    }

    #[test]
    fn a_channel_count_other_than_the_means_is_named() {
        let normalize = Normalize::new(vec![0.5; 3], vec![0.25; 3]).unwrap();
        let err = normalize
            .output_dims([4, 1, 28, 28])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "normalize cannot take images of shape [4, 1, 28, 28] [N, C, H, W]: mean and std \
             give 3 channels but the images have 1; give mean and std one value per channel"
        );
        assert_eq!(normalize.output_dims([4, 3, 5, 7]).unwrap(), [4, 3, 5, 7]);
    }
}
