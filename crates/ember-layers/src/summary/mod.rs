//! Keras-style model summaries with the curriculum's parameter and connection counts.

mod elementwise;
mod layers;
mod sequence;
mod table;

pub use table::{thousands, LayerStats, Summarize, Summary};
