//! Transforms that move pixels: flips, rotation, zoom, translation, crops, padding, resizing.

mod crop;
mod flip;
mod pad;
mod resize;
mod resized_crop;
mod rotation;
mod sampler;
mod translation;
mod zoom;

pub use crop::{CenterCrop, RandomCrop};
pub use flip::{RandomHorizontalFlip, RandomVerticalFlip};
pub use pad::Pad;
pub use resize::Resize;
pub use resized_crop::RandomResizedCrop;
pub use rotation::RandomRotation;
pub use translation::RandomTranslation;
pub use zoom::RandomZoom;
