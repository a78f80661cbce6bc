//! A sequence of transforms.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::Transform;
use crate::error::AugmentError;

/// Applies `transforms` one after the other, each drawing its parameters from the same
/// generator in turn. The configuration of a [`Pipeline`](crate::Pipeline).
///
/// # Shapes
/// `[N, C, H, W]` in; out as the last transform leaves it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compose {
    /// The steps, in order.
    pub transforms: Vec<Transform>,
}

impl Compose {
    /// Checks every step.
    ///
    /// # Errors
    /// The first step's [`AugmentError`].
    pub fn validate(&self) -> Result<(), AugmentError> {
        self.transforms.iter().try_for_each(Transform::validate)
    }

    /// The shape [`apply`](Self::apply) returns for `input`, step by step, without running
    /// any tensor op.
    ///
    /// # Errors
    /// The first step's [`AugmentError`], for the shape the steps before it leave.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        sequence_dims(&self.transforms, input)
    }

    /// Applies the steps in order.
    ///
    /// # Panics
    /// As a step does.
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        self.transforms
            .iter()
            .fold(images, |x, transform| transform.apply(x, rng))
    }
}

/// The shape `transforms` applied in order leave `input` in.
pub(crate) fn sequence_dims(
    transforms: &[Transform],
    input: [usize; 4],
) -> Result<[usize; 4], AugmentError> {
    transforms
        .iter()
        .try_fold(input, |dims, transform| transform.output_dims(dims))
}
