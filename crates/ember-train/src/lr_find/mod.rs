//! The learning-rate range test: [`Training::lr_find`](crate::Training::lr_find).

mod config;
mod curve;
mod plot;
mod run;

pub use config::LrFindConfig;
pub use curve::{LrFinding, LrPoint, LrStop};
pub use plot::{LR_FIND_CSV, LR_FIND_PLOT};
