//! # ember-augment: data augmentation on image and token batches, on the device
#![warn(missing_docs)]

mod batch;
pub mod composition;
mod error;
pub mod geometric;
pub mod occlusion;
pub mod photometric;
mod random;
pub mod text;

pub use composition::*;
pub use error::AugmentError;
pub use geometric::*;
pub use occlusion::*;
pub use photometric::*;
pub use rand::rngs::StdRng;
pub use random::seeded;
pub use text::*;
