//! Transforms that change pixel values: colour jitter, grayscale, PCA lighting,
//! normalisation.

mod adjust;
mod color_jitter;
mod grayscale;
mod normalize;
mod pca_lighting;

pub use adjust::{adjust_brightness, adjust_contrast, adjust_hue, adjust_saturation};
pub use color_jitter::ColorJitter;
pub use grayscale::{to_grayscale, RandomGrayscale, LUMA};
pub use normalize::Normalize;
pub use pca_lighting::PcaLighting;
