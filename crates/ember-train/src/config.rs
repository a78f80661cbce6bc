//! The settings of a training run, with documented defaults, validated once.

use burn::config::Config;
use burn::lr_scheduler::module_lr_scheduler::ModuleLrScheduler;
use ember_losses::LossKind;
use ember_optim::{OptimizerKind, ScheduleKind};

use crate::TrainError;

/// Everything a run needs besides the model and the data. Every field has a default, so
/// `FitConfig::new().with_epochs(1)` is a whole configuration; the defaults are the ones
/// `cargo xtask train lenet` uses (LeNet-5 reaches 99.2% on MNIST with them).
///
/// Serialised (burn's `Config`: JSON) into the run's `config.json`.
#[derive(Config, Debug, PartialEq)]
pub struct FitConfig {
    /// Passes over the training set (default 10).
    #[config(default = 10)]
    pub epochs: usize,
    /// Examples per optimizer step (default 64). Validation batches hold
    /// `max(batch_size, 256)` examples, test batches 512: their size changes speed only.
    #[config(default = 64)]
    pub batch_size: usize,
    /// Initial learning rate `η₀`, in `(0, 1]` (default 3e-3, for Adam).
    #[config(default = 3e-3)]
    pub lr: f64,
    /// How `η` evolves, parameters in epochs, stepped every iteration (default: cosine
    /// annealing to 0 over the run).
    #[config(default = "ScheduleKind::Cosine")]
    pub schedule: ScheduleKind,
    /// The optimizer (default Adam with PyTorch's β₁ = 0.9, β₂ = 0.999, ε = 1e-8).
    #[config(default = "OptimizerKind::Adam { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-8 }")]
    pub optimizer: OptimizerKind,
    /// L2 weight decay `λ` added to every gradient (default none).
    pub weight_decay: Option<f32>,
    /// L1 penalty `λ₁·Σ|θ|` over every parameter, added to the training loss that is
    /// minimised (default none). The recorded losses stay the data loss alone, so runs with
    /// and without it compare.
    pub l1: Option<f32>,
    /// Gradient clipping by norm: each parameter tensor's gradient `g` becomes
    /// `g·min(1, c/‖g‖₂)` before the optimizer's step (burn's `GradientClipping::Norm`;
    /// PyTorch's `clip_grad_norm_` takes one norm over all parameters). Default none.
    pub clip_norm: Option<f32>,
    /// The loss minimised and recorded, computed from the logits (default none:
    /// cross-entropy; [`LossKind`] says what each one is computed on).
    pub loss: Option<LossKind>,
    /// Seed of the training-set shuffle (default 42; the model's initialisation is seeded
    /// by the device, the augmentation by its batcher).
    #[config(default = 42)]
    pub seed: u64,
    /// Whether burn-train keeps checkpoints (model, optimizer, schedule) of the last two
    /// epochs and of the lowest validation loss (default true).
    #[config(default = true)]
    pub checkpoints: bool,
    /// Stop when the validation loss has not improved for this many epochs (default none:
    /// run every epoch).
    pub early_stopping: Option<usize>,
}

/// A validated configuration for a training set of known size: its schedule, built once.
pub(crate) struct Plan {
    pub(crate) schedule: ModuleLrScheduler,
}

/// Examples per validation batch for a training batch size.
pub(crate) fn valid_batch_size(batch_size: usize) -> usize {
    batch_size.max(256)
}

/// Examples per test batch.
pub(crate) const TEST_BATCH_SIZE: usize = 512;

impl FitConfig {
    /// Checks every value for a training set of `train_items` examples, and builds the
    /// learning-rate schedule (which must fit the run: a warm-up longer than the run fails).
    ///
    /// # Errors
    /// [`TrainError::Config`] naming the field, its value and the allowed range;
    /// [`TrainError::Schedule`] when the schedule does not fit.
    pub(crate) fn plan(&self, train_items: usize) -> Result<Plan, TrainError> {
        let invalid = |field, value: String, allowed| TrainError::Config {
            field,
            value,
            allowed,
        };
        if self.epochs == 0 {
            return Err(invalid("epochs", "0".into(), "at least 1"));
        }
        if self.batch_size == 0 {
            return Err(invalid("batch_size", "0".into(), "at least 1"));
        }
        if !(self.lr > 0.0 && self.lr <= 1.0) {
            return Err(invalid("lr", self.lr.to_string(), "in (0, 1]"));
        }
        if self.early_stopping == Some(0) {
            return Err(invalid("early_stopping", "0".into(), "at least 1 epoch"));
        }
        if let Some(decay) = self.weight_decay.filter(|d| !(*d >= 0.0 && d.is_finite())) {
            return Err(invalid(
                "weight_decay",
                decay.to_string(),
                "finite and >= 0",
            ));
        }
        if let Some(l1) = self.l1.filter(|v| !(*v >= 0.0 && v.is_finite())) {
            return Err(invalid("l1", l1.to_string(), "finite and >= 0"));
        }
        if let Some(norm) = self.clip_norm.filter(|v| !(*v > 0.0 && v.is_finite())) {
            return Err(invalid("clip_norm", norm.to_string(), "finite and > 0"));
        }
        let per_epoch = train_items.div_ceil(self.batch_size);
        let schedule = self
            .schedule
            .build(self.lr, per_epoch, per_epoch * self.epochs)
            .map_err(|e| TrainError::Schedule {
                schedule: self.schedule.to_string(),
                reason: e.to_string(),
            })?;
        Ok(Plan { schedule })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let config = FitConfig::new();
        assert_eq!(
            (config.epochs, config.batch_size, config.seed),
            (10, 64, 42)
        );
        assert_eq!(config.lr, 3e-3);
        assert_eq!(config.schedule, ScheduleKind::Cosine);
        assert_eq!(config.optimizer, "adam".parse::<OptimizerKind>().unwrap());
        assert!(config.checkpoints);
        assert_eq!((config.weight_decay, config.early_stopping), (None, None));
        assert_eq!(
            (config.l1, config.clip_norm, config.loss),
            (None, None, None)
        );
        assert_eq!(valid_batch_size(64), 256);
        assert_eq!(valid_batch_size(1000), 1000);
    }

    #[test]
    fn bad_values_are_named_with_their_range() {
        let message = |config: FitConfig| config.plan(100).err().unwrap().to_string();
        assert_eq!(
            message(FitConfig::new().with_lr(2.0)),
            "invalid configuration: lr = 2 must be in (0, 1]"
        );
        assert_eq!(
            message(FitConfig::new().with_epochs(0)),
            "invalid configuration: epochs = 0 must be at least 1"
        );
        let too_long = FitConfig::new()
            .with_epochs(1)
            .with_schedule("warmup-cosine".parse().unwrap());
        let text = message(too_long);
        assert!(text.starts_with("schedule warmup-cosine: "), "{text}");
        assert_eq!(
            message(FitConfig::new().with_clip_norm(Some(0.0))),
            "invalid configuration: clip_norm = 0 must be finite and > 0"
        );
        assert_eq!(
            message(FitConfig::new().with_l1(Some(f32::NAN))),
            "invalid configuration: l1 = NaN must be finite and >= 0"
        );
        assert!(FitConfig::new().with_l1(Some(0.0)).plan(100).is_ok());
        assert!(FitConfig::new().plan(100).is_ok());
    }

    #[test]
    fn round_trips_through_json() {
        let config = FitConfig::new().with_epochs(3).with_early_stopping(Some(2));
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(serde_json::from_str::<FitConfig>(&json).unwrap(), config);
    }
}
