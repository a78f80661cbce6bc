//! CIFAR-10: its on-disk forms read into an [`crate::ImageDataset`], and where to find them.

mod read;
mod source;

pub use read::{
    read_binary_batches, read_jpg_archive, CifarSplit, CIFAR10_CLASSES, CIFAR_IMAGE_BYTES,
    CIFAR_SIDE,
};
pub use source::{CifarSource, CIFAR_BINARY_FOLDER, CIFAR_JPG_ARCHIVE};
