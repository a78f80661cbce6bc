//! One step of a pipeline: any of the crate's image transforms, as configured in JSON.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::{Compose, OneOf, RandomApply};
use crate::error::AugmentError;
use crate::geometric::*;
use crate::occlusion::RandomErasing;
use crate::photometric::{ColorJitter, Normalize, PcaLighting, RandomGrayscale};

/// Any image transform of this crate. In JSON, an object whose `type` names the variant in
/// snake_case and whose other fields are the transform's (missing ones take their defaults):
/// `{"type": "rotation", "degrees": [-15, 15]}`.
///
/// # Shapes
/// `[N, C, H, W]` in; out as the wrapped transform says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Transform {
    /// [`RandomHorizontalFlip`].
    HorizontalFlip(RandomHorizontalFlip),
    /// [`RandomVerticalFlip`].
    VerticalFlip(RandomVerticalFlip),
    /// [`RandomRotation`].
    Rotation(RandomRotation),
    /// [`RandomZoom`].
    Zoom(RandomZoom),
    /// [`RandomTranslation`].
    Translation(RandomTranslation),
    /// [`RandomCrop`].
    RandomCrop(RandomCrop),
    /// [`CenterCrop`].
    CenterCrop(CenterCrop),
    /// [`Pad`].
    Pad(Pad),
    /// [`Resize`].
    Resize(Resize),
    /// [`RandomResizedCrop`].
    RandomResizedCrop(RandomResizedCrop),
    /// [`ColorJitter`].
    ColorJitter(ColorJitter),
    /// [`RandomGrayscale`].
    Grayscale(RandomGrayscale),
    /// [`PcaLighting`].
    PcaLighting(PcaLighting),
    /// [`Normalize`].
    Normalize(Normalize),
    /// [`RandomErasing`].
    Erasing(RandomErasing),
    /// [`Compose`].
    Compose(Compose),
    /// [`RandomApply`].
    RandomApply(RandomApply),
    /// [`OneOf`].
    OneOf(OneOf),
}

impl Transform {
    /// Checks the wrapped transform's parameters (recursively for compositions).
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the transform and field.
    pub fn validate(&self) -> Result<(), AugmentError> {
        match self {
            Self::HorizontalFlip(t) => t.validate(),
            Self::VerticalFlip(t) => t.validate(),
            Self::Rotation(t) => t.validate(),
            Self::Zoom(t) => t.validate(),
            Self::Translation(t) => t.validate(),
            Self::RandomCrop(t) => t.validate(),
            Self::CenterCrop(t) => t.validate(),
            Self::Pad(t) => t.validate(),
            Self::Resize(t) => t.validate(),
            Self::RandomResizedCrop(t) => t.validate(),
            Self::ColorJitter(t) => t.validate(),
            Self::Grayscale(t) => t.validate(),
            Self::PcaLighting(t) => t.validate(),
            Self::Normalize(t) => t.validate(),
            Self::Erasing(t) => t.validate(),
            Self::Compose(t) => t.validate(),
            Self::RandomApply(t) => t.validate(),
            Self::OneOf(t) => t.validate(),
        }
    }

    /// The shape [`apply`](Self::apply) returns for `input` (`[N, C, H, W]`), computed from
    /// the configuration without running any tensor op.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when the configuration is invalid, or
    /// [`AugmentError::Shape`] naming the (innermost) step that cannot take the shape it
    /// would be given: every case in which `apply` would panic on such images.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        match self {
            Self::HorizontalFlip(t) => t.output_dims(input),
            Self::VerticalFlip(t) => t.output_dims(input),
            Self::Rotation(t) => t.output_dims(input),
            Self::Zoom(t) => t.output_dims(input),
            Self::Translation(t) => t.output_dims(input),
            Self::RandomCrop(t) => t.output_dims(input),
            Self::CenterCrop(t) => t.output_dims(input),
            Self::Pad(t) => t.output_dims(input),
            Self::Resize(t) => t.output_dims(input),
            Self::RandomResizedCrop(t) => t.output_dims(input),
            Self::ColorJitter(t) => t.output_dims(input),
            Self::Grayscale(t) => t.output_dims(input),
            Self::PcaLighting(t) => t.output_dims(input),
            Self::Normalize(t) => t.output_dims(input),
            Self::Erasing(t) => t.output_dims(input),
            Self::Compose(t) => t.output_dims(input),
            Self::RandomApply(t) => t.output_dims(input),
            Self::OneOf(t) => t.output_dims(input),
        }
    }

    /// Applies the wrapped transform, drawing its parameters from `rng` (deterministic ones
    /// draw nothing).
    ///
    /// # Panics
    /// As the wrapped transform does (invalid configuration, unsuitable image shape).
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        match self {
            Self::HorizontalFlip(t) => t.apply(images, rng),
            Self::VerticalFlip(t) => t.apply(images, rng),
            Self::Rotation(t) => t.apply(images, rng),
            Self::Zoom(t) => t.apply(images, rng),
            Self::Translation(t) => t.apply(images, rng),
            Self::RandomCrop(t) => t.apply(images, rng),
            Self::CenterCrop(t) => t.apply(images),
            Self::Pad(t) => t.apply(images),
            Self::Resize(t) => t.apply(images),
            Self::RandomResizedCrop(t) => t.apply(images, rng),
            Self::ColorJitter(t) => t.apply(images, rng),
            Self::Grayscale(t) => t.apply(images, rng),
            Self::PcaLighting(t) => t.apply(images, rng),
            Self::Normalize(t) => t.apply(images),
            Self::Erasing(t) => t.apply(images, rng),
            Self::Compose(t) => t.apply(images, rng),
            Self::RandomApply(t) => t.apply(images, rng),
            Self::OneOf(t) => t.apply(images, rng),
        }
    }
}
