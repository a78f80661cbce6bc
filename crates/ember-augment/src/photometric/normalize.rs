//! Per-channel standardisation.

use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{check, expect_valid, AugmentError};

/// `(x − mean[c]) / std[c]` for every pixel of channel `c` (torchvision's `Normalize`).
/// Deterministic: apply the same `Normalize` to evaluation data.
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
        check("normalize", "std", s, positive, "every value must be > 0")
    }

    /// Normalises the batch (deterministic: no random draw).
    ///
    /// # Panics
    /// When the configuration is invalid, or the images do not have `mean.len()` channels.
    pub fn apply(&self, images: Tensor<4>) -> Tensor<4> {
        expect_valid(self.validate());
        let c = images.dims()[1];
        assert_eq!(
            c,
            self.mean.len(),
            "normalize: the images have {c} channels but mean/std give {}",
            self.mean.len()
        );
        let column = |v: &[f32]| {
            let data = TensorData::new(v.to_vec(), [1, c, 1, 1]);
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
}
