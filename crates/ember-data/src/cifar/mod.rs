//! CIFAR-10: its on-disk forms read into an [`crate::ImageDataset`], and where to find them
//! (a folder, the cache, or the authors' archive, downloaded and verified).

mod archive;
mod binary;
mod read;
mod source;

pub use archive::{unpack_binary_archive, CIFAR_BINARY_ARCHIVE};
pub use binary::{read_binary_batches, CIFAR_BATCH_FILES, CIFAR_RECORD_BYTES};
pub use read::{read_jpg_archive, CifarSplit, CIFAR10_CLASSES, CIFAR_IMAGE_BYTES, CIFAR_SIDE};
pub use source::{CifarData, CifarSource, CIFAR_BINARY_FOLDER, CIFAR_JPG_ARCHIVE};
