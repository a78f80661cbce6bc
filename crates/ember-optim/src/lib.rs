//! # ember-optim: optimizers for burn modules
//!
//! Contents:
//! - [`OptimizerKind`]: SGD, momentum (PyTorch-style, dampening 0) and Adam (ε = 1e-8),
//!   chosen by name and built as burn's `ModuleOptimizer`.
//!
//! Re-exported from burn (documented here because their defaults differ from PyTorch's):
//! - [`SgdConfig`], [`MomentumConfig`] (burn's dampening default is 0.1),
//!   [`AdamConfig`] (burn's ε default is 1e-5), [`WeightDecayConfig`],
//!   [`ModuleOptimizer`], [`GradientsParams`].
#![warn(missing_docs)]

mod optimizer;

pub use burn::optim::decay::WeightDecayConfig;
pub use burn::optim::momentum::MomentumConfig;
pub use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
pub use optimizer::OptimizerKind;
