//! Apply a whole sub-pipeline to a random subset of the batch.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::compose::sequence_dims;
use super::{Compose, Transform};
use crate::batch::apply_where;
use crate::error::{check_probability, check_shape, expect_valid, AugmentError};
use crate::random::coins;

/// With probability `p` per sample, runs the sample through `transforms` (in order); the
/// others pass unchanged (torchvision's `RandomApply`). The chosen samples are gathered into
/// one smaller batch, so the sub-pipeline runs once and draws parameters only for them.
///
/// # Shapes
/// `[N, C, H, W]` in and out: the sub-pipeline must keep the image size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomApply {
    /// Probability of applying the sub-pipeline to a sample, in `[0, 1]`. Default `0.5`.
    #[serde(default = "half")]
    pub p: f32,
    /// The sub-pipeline.
    pub transforms: Vec<Transform>,
}

fn half() -> f32 {
    0.5
}

impl RandomApply {
    /// Checks `p` and the sub-pipeline.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_probability("random_apply", self.p)?;
        self.transforms.iter().try_for_each(Transform::validate)
    }

    /// The shape [`apply`](Self::apply) returns for `input`, without running any tensor op:
    /// `input` itself when `p = 0` (the sub-pipeline never runs), the sub-pipeline's shape
    /// when `p = 1`, and otherwise `input`, which the sub-pipeline must then keep.
    ///
    /// # Errors
    /// A step's [`AugmentError`], or [`AugmentError::Shape`] when `0 < p < 1` and the
    /// sub-pipeline changes the image size (the samples it skips would keep theirs).
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        if self.p == 0.0 {
            return Ok(input);
        }
        let applied = sequence_dims(&self.transforms, input)?;
        if self.p == 1.0 {
            return Ok(applied);
        }
        check_shape("random_apply", input, applied == input, || {
            format!(
                "its steps turn the images into {applied:?}, while the samples it skips keep \
                 {input:?}; make the steps keep [C, H, W] or set p to 1"
            )
        })?;
        Ok(input)
    }

    /// Draws one coin per sample, then applies the sub-pipeline to the chosen ones.
    ///
    /// # Panics
    /// When the configuration is invalid, or the sub-pipeline changes the image size.
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let chosen = coins(rng, images.dims()[0], self.p);
        let steps = Compose {
            transforms: self.transforms.clone(),
        };
        apply_where(images, &chosen, "random_apply", |x| steps.apply(x, rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photometric::Normalize;
    use crate::random::seeded;
    use ember_testkit::backends_agree;

    #[test]
    fn about_p_of_the_samples_change_and_stay_in_place() {
        // Sample i holds i/1000; the sub-pipeline doubles it ((x − 0)/0.5).
        let double = RandomApply {
            p: 0.25,
            transforms: vec![Transform::Normalize(Normalize {
                mean: vec![0.0],
                std: vec![0.5],
            })],
        };
        let out = backends_agree(1e-6, |device| {
            let data: Vec<f32> = (0..1000).map(|i| i as f32 / 1000.0).collect();
            let images = Tensor::<4>::from_data(TensorData::new(data, [1000, 1, 1, 1]), device);
            ember_testkit::values(double.apply(images, &mut seeded(5)))
        });
        let mut changed = 0;
        for (i, &v) in out.iter().enumerate() {
            let x = i as f32 / 1000.0;
            assert!(
                (v - x).abs() < 1e-6 || (v - 2.0 * x).abs() < 1e-6,
                "sample {i}: {v}"
            );
            changed += usize::from(i > 0 && (v - 2.0 * x).abs() < 1e-6);
        }
        // Binomial(999, 0.25) (sample 0 doubles to itself): mean ≈ 250, std ≈ 13.7.
        assert!(
            (250 - 55..=250 + 55).contains(&changed),
            "{changed} changed"
        );
    }

    #[test]
    fn probability_is_checked_before_anything_runs() {
        let apply = RandomApply {
            p: -0.1,
            transforms: vec![],
        };
        let err = apply.validate().unwrap_err().to_string();
        assert_eq!(err, "random_apply.p = -0.1: must lie in [0, 1]");
    }
}
