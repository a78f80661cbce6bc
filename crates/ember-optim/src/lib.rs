//! # ember-optim: optimizers, learning-rate schedules and regularisation for burn modules
//!
//! Contents.
//!
//! Optimizers (every one a burn [`ModuleOptimizer`], so burn-train's `Learner` takes it):
//! - [`OptimizerKind`]: sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw,
//!   chosen by name with PyTorch's defaults; `init(weight_decay)` builds it.
//! - [`Adadelta`], [`AdadeltaConfig`], [`AdadeltaState`]: Zeiler's Adadelta (burn has none).
//! - Re-exported from burn: [`SgdConfig`], [`MomentumConfig`] (dampening defaults to 0.1,
//!   PyTorch's to 0), [`AdaGradConfig`] (ε 1e-5; PyTorch 1e-10), [`RmsPropConfig`] (ε 1e-5,
//!   momentum 0.9; PyTorch 1e-8 and 0), [`AdamConfig`] (ε 1e-5; PyTorch 1e-8),
//!   [`AdamWConfig`] (ε 1e-5, λ 1e-4; PyTorch 1e-8 and 1e-2), [`ModuleOptimizer`],
//!   [`GradientsParams`], [`Optimizer`] (the trait a new optimizer implements).
//!
//! SGD, mini-batch gradient descent and full-batch gradient descent are one optimizer,
//! [`OptimizerKind::Sgd`] (`θ ← θ − η·∇L_B(θ)`), run on batches `B` of 1 example, of `b`
//! examples, or of all `N`: only the data loader's batch size differs. The smaller the batch,
//! the noisier and cheaper each step (see `examples/gradient_descent.rs`).
#![warn(missing_docs)]

mod optimizer;

pub use burn::optim::momentum::MomentumConfig;
pub use burn::optim::{
    AdaGradConfig, AdamConfig, AdamWConfig, GradientsParams, ModuleOptimizer, Optimizer,
    RmsPropConfig, SgdConfig,
};
pub use optimizer::{Adadelta, AdadeltaConfig, AdadeltaState, OptimizerKind};
