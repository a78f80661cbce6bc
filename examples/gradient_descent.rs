//! SGD, mini-batch and full-batch gradient descent are one optimizer: `θ ← θ − η·∇L_B(θ)`,
//! where the loss `L_B` is averaged over a batch `B` of 1 example, of `b`, or of all `N`.
//! This fits a linear regression `y = 2·x₁ − 3·x₂ + 1 + noise` (N = 256 generated, seeded
//! examples) with `ember-optim`'s `OptimizerKind::Sgd` and the same learning rate at batch
//! sizes 1, 16 and 256, and prints the loss over all data after each epoch and the final
//! parameters. In the same number of epochs (the same number of gradients computed) the
//! small batches take many more steps and get much further; with a constant η the noisy
//! single-example steps then hover a little above the minimum the mini-batches reach, and
//! full batch, one exact step per epoch, is still far from it.
//!
//! Run: `cargo run --example gradient_descent`

use ember::backend::Backend;
use ember::burn::module::Param;
use ember::burn::prelude::*;
use ember::burn::tensor::Distribution;
use ember::optim::{GradientsParams, OptimizerKind};

const N: usize = 256;
const EPOCHS: usize = 10;
const LR: f64 = 0.05;

/// `ŷ = x·w + b`.
#[derive(Module, Debug)]
struct LinearRegression {
    w: Param<Tensor<2>>,
    b: Param<Tensor<1>>,
}

impl LinearRegression {
    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        x.matmul(self.w.val()).add(self.b.val().unsqueeze())
    }

    /// Mean squared error over the examples `x`, `y`.
    fn loss(&self, x: Tensor<2>, y: Tensor<2>) -> Tensor<1> {
        self.forward(x).sub(y).square().mean()
    }
}

/// `EPOCHS` passes over the data in batches of `batch` examples; the loss on all the data
/// after each epoch, and the fitted model.
fn fit(
    mut model: LinearRegression,
    x: &Tensor<2>,
    y: &Tensor<2>,
    batch: usize,
) -> (LinearRegression, Vec<f32>) {
    let mut optim = OptimizerKind::Sgd.init(None);
    let mut curve = Vec::new();
    for _ in 0..EPOCHS {
        for start in (0..N).step_by(batch) {
            let rows = start..(start + batch).min(N);
            let loss = model.loss(x.clone().slice([rows.clone()]), y.clone().slice([rows]));
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optim.step(LR, model, grads);
        }
        curve.push(model.loss(x.clone(), y.clone()).into_scalar::<f32>());
    }
    (model, curve)
}

fn main() {
    let device = Backend::Flex
        .autodiff_device()
        .expect("flex is compiled into the ember facade by default");
    device.seed(7);
    let x = Tensor::<2>::random([N, 2], Distribution::Normal(0.0, 1.0), &device);
    let noise = Tensor::<2>::random([N, 1], Distribution::Normal(0.0, 0.1), &device);
    let true_w = Tensor::<2>::from_data([[2.0f32], [-3.0]], &device);
    let y = x.clone().matmul(true_w).add_scalar(1.0).add(noise);
    let start = LinearRegression {
        w: Param::from_tensor(Tensor::zeros([2, 1], &device)),
        b: Param::from_tensor(Tensor::zeros([1], &device)),
    };

    let batches = [("SGD", 1), ("mini-batch", 16), ("full batch", N)];
    let runs: Vec<_> = batches
        .iter()
        .map(|&(_, batch)| fit(start.clone(), &x, &y, batch))
        .collect();

    println!("SGD at η = {LR} on {N} examples; mean squared error on all of them:");
    println!("epoch  {:>12}  {:>12}  {:>12}", "b = 1", "b = 16", "b = N");
    for epoch in 0..EPOCHS {
        let losses: Vec<String> = runs
            .iter()
            .map(|(_, c)| format!("{:>12.5}", c[epoch]))
            .collect();
        println!("{:>5}  {}", epoch + 1, losses.join("  "));
    }
    println!("\ntrue parameters: w = (2, -3), b = 1; noise variance 0.01");
    for ((name, batch), (model, _)) in batches.iter().zip(&runs) {
        let w = model.w.val().into_data().try_into_vec_as::<f32>().unwrap();
        let b = model.b.val().into_scalar::<f32>();
        println!(
            "{name:>10} (b = {batch:>3}, {:>4} steps): w = ({:.3}, {:.3}), b = {b:.3}",
            EPOCHS * N.div_ceil(*batch),
            w[0],
            w[1]
        );
    }
}
