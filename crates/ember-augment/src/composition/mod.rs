//! Putting transforms together: sequences, random application, random choice, the
//! JSON-configurable [`Pipeline`] and its presets.

mod compose;
mod one_of;
#[cfg(test)]
mod output_dims_tests;
mod pipeline;
mod presets;
mod random_apply;
mod transform;

pub use compose::Compose;
pub use one_of::OneOf;
pub use pipeline::Pipeline;
pub use presets::{preset, PRESETS};
pub use random_apply::RandomApply;
pub use transform::Transform;
