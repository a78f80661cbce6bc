//! Transforms that hide part of the image.

mod erasing;

pub use erasing::RandomErasing;
