//! Train your own burn model with `ember-train`: implement `Classifier` (input → logits)
//! and `Training::fit` does the rest (burn-train's Learner, metrics, progress). The model here is a
//! two-layer perceptron, defined in this file, not in Ember; the data is generated, so the
//! example needs no download.
//!
//! Run: `cargo run --example own_model`

use ember::augment::{Normalize, NormalizeBatcher};
use ember::backend::Backend;
use ember::burn::prelude::*;
use ember::burn::tensor::activation::relu;
use ember::data::{synthetic_mnist, ImageBatcher};
use ember::layers::{Flatten, Linear, LinearConfig};
use ember::optim::ScheduleKind;
use ember::train::{evaluate, Classifier, FitConfig, RunData, Training};

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
    let config = FitConfig::new()
        .with_epochs(3)
        .with_batch_size(32)
        .with_lr(1e-3)
        .with_schedule(ScheduleKind::Constant)
        .with_seed(1)
        .with_checkpoints(false);
    // Grey levels in [0, 1], normalised (generated digits: mean about 0.2, std 0.3).
    let batcher = NormalizeBatcher::new(
        ImageBatcher::new([1, 28, 28]),
        Normalize::new(vec![0.2], vec![0.3])?,
    )?;
    let test = synthetic_mnist(500, 3);
    let classes = test.class_names().to_vec();
    let data = RunData::new(
        synthetic_mnist(2000, 1),
        synthetic_mnist(500, 2),
        test.clone(),
        batcher.clone(),
        classes.clone(),
    );
    let artifacts = std::env::temp_dir().join("ember-own-model");
    let fitted = Training::new(config).fit(model, &data, &artifacts)?;
    let test = evaluate(&fitted.model, batcher, test, &classes, 250, &device)?;
    println!("test accuracy on generated digits: {:.1}%", test.accuracy);
    Ok(())
}
