//! Keras-style model summaries with the curriculum's parameter and connection counts.

mod layers;
mod table;

pub use table::{LayerStats, Summarize, Summary};
