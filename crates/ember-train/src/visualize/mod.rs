//! Looking inside a model: its convolution kernels, what its convolutions compute for one
//! image, and how large each weight's gradient is over the first training steps.

mod feature_maps;
mod filters;
mod gradients;
mod grid;
mod params;

pub use feature_maps::{FeatureMaps, LayerMaps, MAP_TILE};
pub use filters::{filter_pictures, ConvKernels, CHANNEL_LIMIT, KERNEL_TILE};
pub use gradients::{gradient_files, GradientNorms, GRADIENT_PLOT_SIZE};
pub use grid::{grey_levels, Grid, Picture, GAP_COLOUR};
