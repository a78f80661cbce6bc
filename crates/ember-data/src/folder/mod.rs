//! A user's own images: folders of PNG and JPEG files read into [`crate::ImageDataset`]s
//! (decoded once, then read from Ember's cache), and single files converted for prediction.

mod convert;
mod decoded_cache;
mod scan;
mod single;
mod source;

pub use convert::{Channels, IMAGE_EXTENSIONS};
pub use single::{read_image, read_images, ImageLayout};
pub use source::{FolderData, ImageFolder};
