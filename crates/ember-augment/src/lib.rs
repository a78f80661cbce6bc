//! # ember-augment: data augmentation on image and token batches, on the device
//!
//! Every transform takes a whole batch `Tensor<4>` `[N, C, H, W]` (float, values usually in
//! `[0, 1]`) and returns one, using tensor ops only, so it runs where the batch lives (GPU
//! included) and never reads images back to the host. Each sample gets its own random
//! parameters, drawn on the CPU from a seeded [`StdRng`] and uploaded as small `[N, …]`
//! tensors: the same seed gives the same result on ndarray, flex and wgpu.
//!
//! ```
//! use burn::prelude::*;
//! use ember_augment::Pipeline;
//!
//! let pipeline = Pipeline::preset("cifar").unwrap(); // or Pipeline::from_file("aug.json")
//! let batch = Tensor::<4>::zeros([8, 3, 32, 32], &Device::flex());
//! let augmented = pipeline.apply_seeded(batch, 42);
//! assert_eq!(augmented.dims(), [8, 3, 32, 32]);
//! ```
//!
//! ## Geometric ([`geometric`])
//! - [`RandomHorizontalFlip`], [`RandomVerticalFlip`]: mirror with probability `p`.
//! - [`RandomRotation`]: rotate by `U(degrees)` about the centre, bilinear, with a fill value.
//! - [`RandomZoom`]: zoom in (`s > 1`) or out (`s < 1`) by `U(scale)` about the centre.
//! - [`RandomTranslation`]: shift by whole pixels (fractions of the size, or pixels).
//! - [`RandomCrop`]: pad, then crop at a random place (torchvision's `RandomCrop(32, padding=4)`).
//! - [`CenterCrop`]: the central window.
//! - [`Pad`]: a constant border.
//! - [`Resize`]: bilinear rescale (`align_corners = false`, no antialiasing).
//! - [`RandomResizedCrop`]: random box of random area and aspect ratio, rescaled (multi-scale).
//!
//! ## Photometric ([`photometric`])
//! - [`ColorJitter`]: random brightness, contrast, saturation, hue (YIQ rotation).
//! - [`adjust_brightness`], [`adjust_contrast`], [`adjust_saturation`], [`adjust_hue`]: the
//!   same with given per-sample factors.
//! - [`RandomGrayscale`], [`to_grayscale`], [`LUMA`]: BT.601 luma.
//! - [`PcaLighting`]: AlexNet's colour noise along the RGB principal components; `fit` computes
//!   them from images.
//! - [`Normalize`]: `(x − mean[c]) / std[c]`.
//!
//! ## Occlusion ([`occlusion`])
//! - [`RandomErasing`]: blank a random rectangle (random erasing / cutout).
//!
//! ## Composition and configuration ([`composition`])
//! - [`Pipeline`]: a validated sequence, from code, JSON, a file, or a preset name; `apply`,
//!   and `output_dims`: the shape it returns, computed from the configuration, or an
//!   [`AugmentError::Shape`] naming the step that cannot take the images.
//! - [`Transform`]: any image transform above, tagged by `type` in JSON; every transform has
//!   `validate`, `apply` and `output_dims`.
//! - [`Compose`], [`RandomApply`], [`OneOf`]: sequence, apply with probability, pick one.
//! - [`preset`], [`PRESETS`]: `none`, `mnist`, `cifar`, `alexnet`.
//! - [`AugmentError`]: what a bad name, file or parameter gives.
//! - [`seeded`], [`StdRng`]: the generator transforms draw from.
//!
//! ## Batchers (wrapping any burn `Batcher` of `(Tensor<4>, targets)`)
//! - [`AugmentBatcher`]: augments every batch on its device from one seeded generator shared
//!   by its clones; for the training loader only.
//! - [`NormalizeBatcher`]: normalises every batch with a [`Normalize`]; the step every split
//!   shares, after augmentation.
//!
//! ## Text ([`text`])
//! - [`TokenDropout`]: replace random tokens by an id, padding untouched.
//! - [`TokenSwap`]: swap random neighbouring tokens, padding untouched.
#![warn(missing_docs)]

mod batch;
mod batcher;
pub mod composition;
mod error;
pub mod fuzzing;
pub mod geometric;
pub mod occlusion;
pub mod photometric;
mod random;
pub mod text;

pub use batcher::{AugmentBatcher, NormalizeBatcher};
pub use composition::*;
pub use error::{AugmentError, MAX_SIDE};
pub use geometric::*;
pub use occlusion::*;
pub use photometric::*;
pub use rand::rngs::StdRng;
pub use random::seeded;
pub use text::*;
