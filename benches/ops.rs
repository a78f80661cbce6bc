//! The operations a LeNet-5 or LSTM training step spends its time in, and the step itself,
//! on every backend of `ember_testkit::devices()` (ndarray, flex, and wgpu where it has a
//! Vulkan/Metal/DX12 adapter; `EMBER_TEST_BACKENDS=flex` picks): criterion's figures.
//!
//! | group | what |
//! |---|---|
//! | `conv2d forward` / `conv2d forward+backward` | LeNet-5's C1 (`[64, 1, 32, 32]`, 6 filters 5×5) and C3 (`[64, 6, 14, 14]`, 16 filters 5×5) |
//! | `max-pool forward` / `max-pool forward+backward` | 2×2, stride 2, on `[64, 6, 28, 28]` |
//! | `lstm step` | one time step of `FusedLstm` (batch 64, 100 in, 128 hidden), forward and backward |
//! | `lenet step` | LeNet-5 (modern): forward, cross-entropy, backward, Adam update, batch 64 |
//!
//! Every iteration reads one value of its result back, so a backend that runs
//! asynchronously (wgpu) is timed to the end of its work.
//!
//! Built with the workspace's dev profile, so burn is not compiled a second time:
//!
//! ```text
//! cargo bench --profile dev --bench ops                    # every group, every backend
//! cargo bench --profile dev --bench ops -- 'lenet step'    # one group
//! EMBER_TEST_BACKENDS=flex cargo bench --profile dev --bench ops -- --quick
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Bencher, BenchmarkId, Criterion};
use ember::burn::nn::conv::{Conv2d, Conv2dConfig};
use ember::burn::nn::loss::CrossEntropyLossConfig;
use ember::burn::optim::{AdamConfig, GradientsParams};
use ember::burn::prelude::*;
use ember::burn::tensor::Distribution;
use ember::layers::{FusedLstmConfig, MaxPool2dConfig};
use ember::models::LeNet5Config;
use ember_testkit::TestDevice;

const BATCH: usize = 64;

/// Normal(0, 1) values of `shape` on `device`, the same for every backend (drawn on flex).
fn normal<const D: usize>(shape: [usize; D], device: &Device) -> Tensor<D> {
    let flex = Device::flex();
    flex.seed(0);
    let values = Tensor::<D>::random(shape, Distribution::Normal(0.0, 1.0), &flex).into_data();
    Tensor::from_data(values, device)
}

/// Waits for `t` by reading one number of it.
fn wait<const D: usize>(t: Tensor<D>) {
    black_box(t.sum().into_data());
}

/// Times `layer` on `x`: its forward pass, or with `backward` the forward pass and the
/// gradient of the output's sum with respect to `x`.
fn time_layer(
    b: &mut Bencher,
    backward: bool,
    x: &Tensor<4>,
    layer: impl Fn(Tensor<4>) -> Tensor<4>,
) {
    b.iter(|| {
        if backward {
            let x = x.clone().require_grad();
            let grads = layer(x.clone()).sum().backward();
            wait(x.grad(&grads).expect("the input's gradient"));
        } else {
            wait(layer(x.clone()));
        }
    })
}

/// LeNet-5's two convolutions: name, input shape, the layer's channels.
const CONVS: [(&str, [usize; 4], [usize; 2]); 2] = [
    ("C1 [64,1,32,32] 6@5x5", [BATCH, 1, 32, 32], [1, 6]),
    ("C3 [64,6,14,14] 16@5x5", [BATCH, 6, 14, 14], [6, 16]),
];

fn conv2d(c: &mut Criterion) {
    for pass in ["conv2d forward", "conv2d forward+backward"] {
        let mut group = c.benchmark_group(pass);
        for TestDevice { name, device } in ember_testkit::devices() {
            for (layer, shape, channels) in CONVS {
                let backward = pass.ends_with("backward");
                let device = if backward {
                    device.clone().autodiff()
                } else {
                    device.clone()
                };
                device.seed(1);
                let conv: Conv2d = Conv2dConfig::new(channels, [5, 5]).init(&device);
                let x = normal(shape, &device);
                group.bench_function(BenchmarkId::new(layer, name), |b| {
                    time_layer(b, backward, &x, |x| conv.forward(x))
                });
            }
        }
        group.finish();
    }
}

fn pooling(c: &mut Criterion) {
    for pass in ["max-pool forward", "max-pool forward+backward"] {
        let mut group = c.benchmark_group(pass);
        for TestDevice { name, device } in ember_testkit::devices() {
            let backward = pass.ends_with("backward");
            let device = if backward { device.autodiff() } else { device };
            let x = normal([BATCH, 6, 28, 28], &device);
            let pool = MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init();
            group.bench_function(BenchmarkId::new("2x2 [64,6,28,28]", name), |b| {
                time_layer(b, backward, &x, |x| pool.forward(x))
            });
        }
        group.finish();
    }
}

fn lstm_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("lstm step");
    for TestDevice { name, device } in ember_testkit::devices() {
        let device = device.autodiff();
        device.seed(2);
        let lstm = FusedLstmConfig::new(100, 128).init(&device);
        let x = normal([BATCH, 1, 100], &device);
        group.bench_function(BenchmarkId::new("FusedLstm 64x100->128", name), |b| {
            b.iter(|| {
                let x = x.clone().require_grad();
                let (hidden, _) = lstm.forward(x.clone(), None).expect("a valid input");
                let grads = hidden.sum().backward();
                wait(x.grad(&grads).expect("the input's gradient"));
            })
        });
    }
    group.finish();
}

fn lenet_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("lenet step");
    for TestDevice { name, device } in ember_testkit::devices() {
        let device = device.autodiff();
        device.seed(3);
        let mut model = Some(LeNet5Config::new().init(&device));
        let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
        let loss = CrossEntropyLossConfig::new().init(&device);
        let x = normal([BATCH, 1, 32, 32], &device);
        let labels: Vec<i64> = (0..BATCH as i64).map(|i| i % 10).collect();
        let y = Tensor::<1, Int>::from_data(TensorData::new(labels, [BATCH]), &device);
        group.bench_function(BenchmarkId::new("batch 64, Adam", name), |b| {
            b.iter(|| {
                let net = model.take().expect("the model");
                let value = loss.forward(net.forward(x.clone()), y.clone());
                let grads = GradientsParams::from_grads(value.backward(), &net);
                model = Some(optimizer.step(1e-3, net, grads));
                wait(value);
            })
        });
    }
    group.finish();
}

fn settings() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(4))
}

criterion_group! {
    name = ops;
    config = settings();
    targets = conv2d, pooling, lstm_step, lenet_step
}
criterion_main!(ops);
