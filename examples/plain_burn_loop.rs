//! A plain burn training loop, no `ember-train`: only `ember-losses` (the loss) and
//! `ember-optim` (the optimizer and the learning-rate schedule) are taken from Ember, as a
//! user of burn would take them into their own program.
//!
//! A 2 → 32 → 3 perceptron learns three interleaved spirals (generated, seeded) with
//! Ember's cross-entropy, Ember's Adadelta (burn has none) and inverse-time decay
//! `lr_t = lr_0 / (1 + γ·t)`. It prints the loss as it falls and the final accuracy.
//!
//! Run: `cargo run --example plain_burn_loop`

use ember::burn::module::Module;
use ember::burn::nn::{Linear, LinearConfig};
use ember::burn::optim::GradientsParams;
use ember::burn::prelude::*;
use ember::burn::tensor::activation::relu;
use ember::losses::{CrossEntropyLossConfig, Loss};
use ember::optim::{AdadeltaConfig, InverseTimeDecayConfig, LrScheduler};

const CLASSES: usize = 3;
const PER_CLASS: usize = 100;

#[derive(Module, Debug)]
struct Mlp {
    hidden: Linear,
    output: Linear,
}

impl Mlp {
    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.output.forward(relu(self.hidden.forward(x)))
    }
}

/// Three spirals of `PER_CLASS` points each (Karpathy's CS231n toy set), with a little
/// deterministic noise from a linear congruential generator.
fn spirals(device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
    let mut state = 42u64;
    let mut noise = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as f32 / (1u64 << 31) as f32 - 0.5) * 0.4
    };
    let (mut points, mut labels) = (Vec::new(), Vec::new());
    for class in 0..CLASSES {
        for i in 0..PER_CLASS {
            let r = i as f32 / PER_CLASS as f32;
            let t = class as f32 * 4.0 + 4.0 * r + noise();
            points.extend([r * t.sin(), r * t.cos()]);
            labels.push(class as i64);
        }
    }
    let n = CLASSES * PER_CLASS;
    (
        Tensor::from_data(TensorData::new(points, [n, 2]), device),
        Tensor::from_data(TensorData::new(labels, [n]), device),
    )
}

fn main() {
    let device = Device::flex().autodiff();
    device.seed(7);
    let (x, y) = spirals(&device);
    let mut model = Mlp {
        hidden: LinearConfig::new(2, 32).init(&device),
        output: LinearConfig::new(32, CLASSES).init(&device),
    };
    let loss_fn = CrossEntropyLossConfig::new().init();
    let mut optimizer = AdadeltaConfig::new().init();
    let mut schedule = InverseTimeDecayConfig::new(1.0, 0.001)
        .build()
        .expect("a valid schedule");

    for step in 1..=1000 {
        let lr = schedule.step();
        let loss = loss_fn.loss(model.forward(x.clone()), y.clone());
        if step == 1 || step % 200 == 0 {
            println!(
                "step {step:4}  lr {lr:.3}  loss {:.4}",
                loss.clone().into_scalar::<f32>()
            );
        }
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(lr, model, grads);
    }

    let predicted = model.forward(x).argmax(1).flatten::<1>(0, 1);
    let correct = predicted.equal(y).int().sum().into_scalar::<i64>();
    let n = CLASSES * PER_CLASS;
    println!(
        "training accuracy {:.1}% ({correct}/{n}); a linear classifier manages about 50% on spirals",
        100.0 * correct as f64 / n as f64
    );
}
