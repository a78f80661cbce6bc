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
