//! Train your own burn model with `ember-train`: implement `Classifier` (input → logits)
//! and `fit` does the rest (burn-train's Learner, metrics, progress). The model here is a
//! two-layer perceptron, defined in this file, not in Ember; the data is generated, so the
//! example needs no download.
//!
//! Run: `cargo run --example own_model`

use ember::backend::Backend;
use ember::burn::prelude::*;
use ember::burn::tensor::activation::relu;
use ember::data::{synthetic_mnist, MnistBatcher};
use ember::layers::{Flatten, Linear, LinearConfig};
use ember::optim::ScheduleKind;
use ember::train::{evaluate, fit, Classifier, FitConfig};

/// A multilayer perceptron 784 → 64 → 10.
#[derive(Module, Debug)]
struct Mlp {
    flatten: Flatten,
    hidden: Linear,
    output: Linear,
}

impl Classifier for Mlp {
    type Input = Tensor<4>;

    fn logits(&self, images: Tensor<4>) -> Tensor<2> {
        let x = relu(self.hidden.forward(self.flatten.forward(images)));
        self.output.forward(x)
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let backend = Backend::fastest_available();
    let device = backend.device()?;
    println!("training on {}", backend.describe()?);
    device.seed(1);
    let model = Mlp {
        flatten: Flatten::new(),
        hidden: LinearConfig::new(784, 64).init(&device),
        output: LinearConfig::new(64, 10).init(&device),
    };
    let config = FitConfig {
        epochs: 3,
        batch_size: 32,
        lr: 1e-3,
        schedule: ScheduleKind::Constant,
        optimizer: "adam".parse()?,
        weight_decay: None,
        seed: 1,
        checkpoints: false,
        early_stopping: None,
    };
    let batcher = MnistBatcher::new(0.2, 0.3);
    let artifacts = std::env::temp_dir().join("ember-own-model");
    let fitted = fit(
        model,
        batcher,
        synthetic_mnist(2000, 1),
        synthetic_mnist(500, 2),
        &config,
        &artifacts,
    )?;
    let test = evaluate(
        &fitted.model,
        batcher,
        synthetic_mnist(500, 3),
        250,
        &device,
    )?;
    println!("test accuracy on generated digits: {:.1}%", test.accuracy);
    Ok(())
}
