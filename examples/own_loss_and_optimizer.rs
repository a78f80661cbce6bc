//! `ember-train` trains Ember's LeNet-5 with a loss and an optimizer that are defined in
//! this file, not in Ember: the trainer only needs the `ember_losses::Loss` trait and any
//! burn optimizer, so neither Ember crate has to change to swap them.
//!
//! - the loss: focal loss (Lin et al. 2017), `−(1 − p_y)^γ · log p_y` averaged over the
//!   batch, which down-weights examples the model already gets right;
//! - the optimizer: Signum (Bernstein et al. 2018), sign-SGD with momentum:
//!   `m ← β·m + (1 − β)·g`, `θ ← θ − η·sign(m)`.
//!
//! The digits are generated (`synthetic_mnist`), so the example needs no download.
//!
//! Run: `cargo run --example own_loss_and_optimizer`

use ember::augment::{Normalize, NormalizeBatcher};
use ember::burn::config::Config;
use ember::burn::optim::{LearningRate, ModuleOptimizer, Optimizer};
use ember::burn::optim::{RecordState, StateSink, StateSource};
use ember::burn::prelude::*;
use ember::burn::tensor::activation::log_softmax;
use ember::data::{synthetic_mnist, ImageBatcher};
use ember::losses::Loss;
use ember::models::{LeNet5Config, LeNetVariant};
use ember::optim::OptimizerKind;
use ember::optim::ScheduleKind;
use ember::train::{evaluate, FitConfig, RunData, Training};

/// Focal loss from logits `[batch, classes]` and class indices `[batch]`.
#[derive(Debug)]
struct FocalLoss {
    gamma: f32,
}

impl Loss for FocalLoss {
    fn loss(&self, logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        let n = targets.dims()[0];
        let log_p = log_softmax(logits, 1).gather(1, targets.reshape([n, 1]));
        let weight = log_p
            .clone()
            .exp()
            .neg()
            .add_scalar(1.0)
            .powf_scalar(self.gamma);
        weight.mul(log_p).neg().mean()
    }
}

/// Signum: the sign of a momentum average of the gradients, times the learning rate.
#[derive(Config, Debug)]
struct SignumConfig {
    /// Momentum β of the gradient average.
    #[config(default = 0.9)]
    beta: f32,
}

#[derive(Clone)]
struct Signum {
    beta: f32,
}

/// Signum's state per parameter: the momentum average `m`.
#[derive(Clone)]
struct SignumState<const D: usize> {
    momentum: Tensor<D>,
}

impl Optimizer for Signum {
    type State<const D: usize> = SignumState<D>;

    fn step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<SignumState<D>>,
    ) -> (Tensor<D>, Option<SignumState<D>>) {
        let momentum = match state {
            Some(s) => s.momentum.mul_scalar(self.beta),
            None => grad.zeros_like(),
        }
        .add(grad.mul_scalar(1.0 - self.beta));
        let tensor = tensor.sub(momentum.clone().sign().mul_scalar(lr));
        (tensor, Some(SignumState { momentum }))
    }

    fn to_device<const D: usize>(state: SignumState<D>, device: &Device) -> SignumState<D> {
        SignumState {
            momentum: state.momentum.to_device(device),
        }
    }
}

impl<const D: usize> RecordState for SignumState<D> {
    fn state_flatten(&self, prefix: &str, out: &mut StateSink) {
        out.push_tensor(prefix, "momentum", self.momentum.to_data());
    }

    fn state_unflatten(prefix: &str, src: &mut StateSource, device: &Device) -> Option<Self> {
        let momentum = Tensor::from_data(src.take_tensor(prefix, "momentum")?, device);
        Some(SignumState { momentum })
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let device = Device::flex().autodiff();
    device.seed(1);
    let train = synthetic_mnist(2_000, 1);
    let valid = synthetic_mnist(500, 2);
    let test = synthetic_mnist(500, 3);
    let model = LeNet5Config::new()
        .with_variant(LeNetVariant::Modern)
        .init(&device);
    // Generated digits are roughly mean 0.2, standard deviation 0.3; LeNet-5 takes 32×32.
    let batcher = NormalizeBatcher::new(
        ImageBatcher::new([1, 28, 28]).with_padding(2),
        Normalize::new(vec![0.2], vec![0.3])?,
    )?;
    // The optimizer named here is recorded for the run, but replaced by Signum below.
    let config = FitConfig::new()
        .with_epochs(2)
        .with_batch_size(32)
        .with_lr(1e-3)
        .with_schedule(ScheduleKind::Constant)
        .with_optimizer(OptimizerKind::Sgd)
        .with_seed(1)
        .with_checkpoints(false);
    let signum = ModuleOptimizer::from(Signum {
        beta: SignumConfig::new().beta,
    });
    let classes = test.class_names().to_vec();
    let data = RunData::new(train, valid, test.clone(), batcher.clone(), classes.clone());
    let artifacts = std::env::temp_dir().join("ember-own-loss-and-optimizer");
    let fitted = Training::new(config)
        .loss(FocalLoss { gamma: 2.0 })
        .optimizer(signum)
        .fit(model, &data, &artifacts)?;
    let score = evaluate(&fitted.model, batcher, test, &classes, 256, &device)?;
    println!(
        "LeNet-5 trained with focal loss and Signum, both defined in this example: \
         test accuracy {:.1}% ({}/{}) on generated digits",
        score.accuracy, score.correct, score.items
    );
    Ok(())
}
