//! Ember's [`FusedLstm`] against burn's `Lstm`: sequences per second for a batch of 64
//! sequences of 200 steps, 100 features in, 128 hidden units, forward and forward +
//! backward, on flex and wgpu (those of `EMBER_TEST_BACKENDS` when set; ndarray is
//! skipped).
//!
//! Built with the workspace's dev profile, so burn is not compiled a second time:
//!
//! ```text
//! cargo bench --workspace --profile dev --bench lstm               # 2 warm-up + 10 timed runs
//! cargo bench --workspace --profile dev --bench lstm -- --quick    # 1 + 3
//! EMBER_TEST_BACKENDS=flex cargo bench --workspace --profile dev --bench lstm -- --quick
//! ```
//!
//! A plain timing loop rather than criterion: criterion's dependencies (itertools,
//! ciborium) unify with burn's GPU stack and would rebuild burn with other features.
//! Each run waits for its result (reads one number of it); the table gives the median
//! and the fastest and slowest run.

use std::time::{Duration, Instant};

use burn::prelude::*;
use ember_layers::{FusedLstm, FusedLstmConfig, Lstm, LstmConfig};

const BATCH: usize = 64;
const SEQ_LEN: usize = 200;
const EMBED: usize = 100;
const HIDDEN: usize = 128;

/// Both layers, on one device.
struct Layers {
    burn: Lstm,
    fused: FusedLstm,
}

impl Layers {
    fn new(device: &Device) -> Self {
        Self {
            burn: LstmConfig::new(EMBED, HIDDEN, true).init(device),
            fused: FusedLstmConfig::new(EMBED, HIDDEN).init(device),
        }
    }

    /// All hidden states of `x` from burn's layer (`fused = false`) or Ember's.
    fn run(&self, fused: bool, x: Tensor<3>) -> Tensor<3> {
        if fused {
            self.fused.forward(x, None).expect("valid input").0
        } else {
            self.burn.forward(x, None).0
        }
    }
}

/// Forward only: waits for the result by reading one number of it.
fn forward(layers: &Layers, fused: bool, x: &Tensor<3>) {
    let _ = layers.run(fused, x.clone()).sum().into_data();
}

/// Forward and backward: waits for the input's gradient by reading one number of it.
fn forward_backward(layers: &Layers, fused: bool, x: &Tensor<3>) {
    let x = x.clone().require_grad();
    let grads = layers.run(fused, x.clone()).sum().backward();
    let _ = x.grad(&grads).expect("gradient").sum().into_data();
}

/// `(median, fastest, slowest)` of `runs` timed calls after `warm_up` untimed ones.
fn time(warm_up: usize, runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    (0..warm_up).for_each(|_| f());
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[runs / 2], times[0], times[runs - 1])
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (warm_up, runs) = if quick { (1, 3) } else { (2, 10) };
    println!("LSTM batch {BATCH}, length {SEQ_LEN}, input {EMBED}, hidden {HIDDEN}; {runs} runs");
    println!(
        "{:<8} {:<17} {:<10} {:>10} {:>14} {:>9}",
        "backend", "pass", "layer", "median", "sequences/s", "spread"
    );
    for test in ember_testkit::devices() {
        if test.name == "ndarray" {
            continue;
        }
        let plain = test.device.clone();
        let autodiff = plain.clone().autodiff();
        plain.seed(0);
        let x = Tensor::<3>::random(
            [BATCH, SEQ_LEN, EMBED],
            burn::tensor::Distribution::Normal(0.0, 1.0),
            &plain,
        );
        let (inference, training) = (Layers::new(&plain), Layers::new(&autodiff));
        let x_grad = Tensor::<3>::from_data(x.to_data(), &autodiff);
        for pass in ["forward", "forward+backward"] {
            let mut medians = Vec::new();
            for (name, fused) in [("burn Lstm", false), ("FusedLstm", true)] {
                let (median, fastest, slowest) = time(warm_up, runs, || match pass {
                    "forward" => forward(&inference, fused, &x),
                    _ => forward_backward(&training, fused, &x_grad),
                });
                medians.push(median.as_secs_f64());
                println!(
                    "{:<8} {:<17} {:<10} {:>8.1}ms {:>14.1} {:>4.0}-{:.0}ms",
                    test.name,
                    pass,
                    name,
                    median.as_secs_f64() * 1e3,
                    BATCH as f64 / median.as_secs_f64(),
                    fastest.as_secs_f64() * 1e3,
                    slowest.as_secs_f64() * 1e3
                );
            }
            println!(
                "{:<8} {:<17} speed-up {:.2}x",
                test.name,
                pass,
                medians[0] / medians[1]
            );
        }
    }
}
