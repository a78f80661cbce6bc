//! Apply one of several transforms, chosen per sample.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::Transform;
use crate::batch::regroup;
use crate::error::{check, check_shape, expect_valid, AugmentError};
use crate::random::integer;

/// Sends each sample through one of `transforms`, chosen uniformly and independently per
/// sample. The samples that chose the same transform are gathered into one batch, so each
/// transform runs once per call.
///
/// # Shapes
/// `[N, C, H, W]` in; every transform must produce the same image size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneOf {
    /// The alternatives, at least one (use a `compose` to make one of several steps).
    pub transforms: Vec<Transform>,
}

impl OneOf {
    /// Checks there is an alternative, and each one.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        let count = self.transforms.len();
        check(
            "one_of",
            "transforms",
            count,
            count > 0,
            "needs at least one transform",
        )?;
        self.transforms.iter().try_for_each(Transform::validate)
    }

    /// The shape [`apply`](Self::apply) returns for `input`, without running any tensor op:
    /// the one every alternative gives.
    ///
    /// # Errors
    /// An alternative's [`AugmentError`] (each may be drawn), or [`AugmentError::Shape`] when
    /// two alternatives give different shapes.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.validate()?;
        let mut first: Option<[usize; 4]> = None;
        for (k, transform) in self.transforms.iter().enumerate() {
            let dims = transform.output_dims(input)?;
            let expected = *first.get_or_insert(dims);
            check_shape("one_of", input, dims == expected, || {
                format!(
                    "its alternatives give images of different sizes ({expected:?} from the \
                     first, {dims:?} from alternative {k}); every alternative must produce \
                     the same [C, H, W]"
                )
            })?;
        }
        Ok(first.expect("validate checked there is an alternative"))
    }

    /// Each sample's choice (an index into `transforms`).
    pub fn draw_choices(&self, n: usize, rng: &mut StdRng) -> Vec<usize> {
        (0..n)
            .map(|_| integer(rng, self.transforms.len() - 1))
            .collect()
    }

    /// Draws the choices, then applies each transform to the samples that chose it.
    ///
    /// # Panics
    /// When the configuration is invalid, or two alternatives give different image sizes.
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        expect_valid(self.validate());
        let choices = self.draw_choices(images.dims()[0], rng);
        regroup(images, &choices, self.transforms.len(), "one_of", |k, x| {
            self.transforms[k].apply(x, rng)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photometric::Normalize;
    use crate::random::seeded;
    use ember_testkit::{assert_close, backends_agree};

    fn shift(by: f32) -> Transform {
        // (x − (−by)) / 1 = x + by.
        Transform::Normalize(Normalize {
            mean: vec![-by],
            std: vec![1.0],
        })
    }

    #[test]
    fn each_sample_goes_through_the_branch_it_drew() {
        let one_of = OneOf {
            transforms: vec![shift(-1.0), shift(1.0), shift(10.0)],
        };
        let choices = one_of.draw_choices(300, &mut seeded(8));
        let out = backends_agree(1e-6, |device| {
            let data: Vec<f32> = (0..300).map(|i| i as f32 / 300.0).collect();
            let images = Tensor::<4>::from_data(TensorData::new(data, [300, 1, 1, 1]), device);
            ember_testkit::values(one_of.apply(images, &mut seeded(8)))
        });
        let expected: Vec<f32> = choices
            .iter()
            .enumerate()
            .map(|(i, &k)| i as f32 / 300.0 + [-1.0, 1.0, 10.0][k])
            .collect();
        assert_close(&out, &expected, 1e-6, "one_of");
        // Each branch ~100 times of 300 (std ≈ 8.2).
        for k in 0..3 {
            let count = choices.iter().filter(|&&c| c == k).count();
            assert!(
                (100 - 35..=100 + 35).contains(&count),
                "branch {k}: {count}"
            );
        }
    }

    #[test]
    fn an_empty_choice_is_reported() {
        let err = OneOf { transforms: vec![] }
            .validate()
            .unwrap_err()
            .to_string();
        assert_eq!(err, "one_of.transforms = 0: needs at least one transform");
    }
}
