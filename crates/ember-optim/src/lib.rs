//! # ember-optim: optimizers, learning-rate schedules and regularisation for burn modules
//!
//! Contents, grouped as the curriculum groups them.
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
//! Learning-rate schedules (each an [`LrScheduler`], so [`ModuleLrScheduler::new`] and
//! burn-train's `Learner` take it; burn-train steps them once per iteration, so `t` counts
//! iterations unless a doc says otherwise):
//! - [`ScheduleKind`]: constant, step, exponential, inverse-time, cosine, warmup-cosine,
//!   chosen by name with parameters in epochs; `build(lr0, iterations_per_epoch,
//!   total_iterations)` gives the [`ModuleLrScheduler`].
//! - [`InverseTimeDecay`], [`InverseTimeDecayConfig`]: `η_t = η₀/(1 + γ·t)` (burn has none).
//! - Re-exported from burn: [`ConstantLr`] (`η₀`; a plain `f64` works too),
//!   [`StepLrSchedulerConfig`] (`η₀·γ^⌊t/k⌋`, γ defaults to 0.1),
//!   [`ExponentialLrSchedulerConfig`] (`η₀·γᵗ`), [`CosineAnnealingLrSchedulerConfig`]
//!   (`η_min + (η₀ − η_min)(1 + cos(πt/T))/2`), [`LinearLrSchedulerConfig`] (`η₀` to `η₁`
//!   over `T` steps: the linear warm-up), [`SequentialLrSchedulerConfig`] (one schedule
//!   after another at milestones: warm-up then cosine), [`ComposedLrSchedulerConfig`]
//!   (product, sum or mean of schedules), [`LrSchedulerConfig`], [`LrScheduler`],
//!   [`ModuleLrScheduler`]. burn's schedules refuse `η₀ > 1`, and compose only with each
//!   other (their `build` is private): [`InverseTimeDecay`] stands alone.
//!
//! Regularisation:
//! - [`l1_penalty`] (`Σ|θ|`) and [`l2_penalty`] (`½Σθ²`): penalties on every float parameter
//!   of a module, added to the loss, so they work with any optimizer.
//! - [`WeightDecayConfig`] (burn's L2 weight decay `g ← g + λθ`, what `OptimizerKind::init`'s
//!   `weight_decay` sets; for SGD the same as adding `λ·l2_penalty`).
//! - [`GradientClippingConfig`], [`GradientClipping`] (burn's, by value `clamp(g, −c, c)` or
//!   by norm `g·min(1, c/‖g‖)`; burn's norm is per parameter tensor, PyTorch's global).
//! - [`EarlyStopping`], [`EarlyStoppingConfig`], [`EarlyStoppingMode`]: stop after `patience`
//!   epochs without an improvement larger than `min_delta` of a validation metric.
//!
//! Errors: [`OptimError`], what an unknown name, a parameter out of range or a schedule
//! longer than the run gives, each naming the value and the fix.
//!
//! SGD, mini-batch gradient descent and full-batch gradient descent are one optimizer,
//! [`OptimizerKind::Sgd`] (`θ ← θ − η·∇L_B(θ)`), run on batches `B` of 1 example, of `b`
//! examples, or of all `N`: only the data loader's batch size differs. The smaller the batch,
//! the noisier and cheaper each step (see `examples/gradient_descent.rs`).
//!
//! ```
//! use ember_optim::{EarlyStoppingConfig, OptimizerKind, ScheduleKind};
//!
//! // For burn-train: Learner::new(model, optimizer, schedule).
//! let optimizer = "adadelta".parse::<OptimizerKind>()?.init(None);
//! // 100 iterations per epoch, 1000 in all: one epoch of warm-up from 0.1·η₀, then cosine.
//! let mut schedule = "warmup-cosine".parse::<ScheduleKind>()?.build(0.1, 100, 1000)?;
//! assert!((schedule.step().base() - 0.01).abs() < 1e-12);
//! let mut stop = EarlyStoppingConfig::new(2).init();
//! let stops: Vec<bool> = [0.9, 0.8, 0.85, 0.81].iter().map(|v| stop.update(*v)).collect();
//! assert_eq!(stops, [false, false, false, true]);
//! # Ok::<(), ember_optim::OptimError>(())
//! ```
#![warn(missing_docs)]

mod error;
mod optimizer;
mod regularisation;
mod schedule;

pub use burn::lr_scheduler::composed::ComposedLrSchedulerConfig;
pub use burn::lr_scheduler::constant::ConstantLr;
pub use burn::lr_scheduler::cosine::CosineAnnealingLrSchedulerConfig;
pub use burn::lr_scheduler::exponential::ExponentialLrSchedulerConfig;
pub use burn::lr_scheduler::linear::LinearLrSchedulerConfig;
pub use burn::lr_scheduler::module_lr_scheduler::ModuleLrScheduler;
pub use burn::lr_scheduler::sequential::SequentialLrSchedulerConfig;
pub use burn::lr_scheduler::step::StepLrSchedulerConfig;
pub use burn::lr_scheduler::{LrScheduler, LrSchedulerConfig};
pub use burn::optim::decay::WeightDecayConfig;
pub use burn::optim::momentum::MomentumConfig;
pub use burn::optim::{
    AdaGradConfig, AdamConfig, AdamWConfig, GradientsParams, ModuleOptimizer, Optimizer,
    RmsPropConfig, SgdConfig,
};
pub use error::OptimError;
pub use optimizer::{Adadelta, AdadeltaConfig, AdadeltaState, OptimizerKind};
pub use regularisation::{
    l1_penalty, l2_penalty, EarlyStopping, EarlyStoppingConfig, EarlyStoppingMode,
    GradientClipping, GradientClippingConfig,
};
pub use schedule::{InverseTimeDecay, InverseTimeDecayConfig, ScheduleKind};
