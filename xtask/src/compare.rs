//! `cargo xtask compare-backends`: one model, one batch, every backend compiled in: speed of
//! the forward pass and of a training step, and numeric parity against ndarray.

use std::time::Instant;

use ember::backend::Backend;
use ember::burn::module::{Module, ModuleVisitor, Param};
use ember::burn::optim::GradientsParams;
use ember::burn::prelude::*;
use ember::losses::CrossEntropyLossConfig;
use ember::models::{LeNet5, LeNet5Config};
use ember::optim::OptimizerKind;
use serde::Serialize;

use crate::cli::CompareArgs;

/// Examples the parity columns are computed on.
const PARITY_EXAMPLES: usize = 16;

/// One backend's figures.
#[derive(Debug, Serialize)]
struct Row {
    backend: String,
    device: String,
    /// Seconds of the warm-up steps (kernel compilation and autotuning on wgpu).
    warmup_s: f64,
    forward_ms: Stats,
    step_ms: Stats,
    items_per_s: f64,
    /// Median step time of the first backend divided by this one's (> 1: faster).
    speed_vs_first: f64,
    /// Resident memory of the whole process after this backend's steps, MiB.
    process_rss_mib: Option<f64>,
    /// Max |Δ| against ndarray from the same weights and batch.
    parity: Option<Parity>,
}

/// Median and spread of repeated timings, milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

impl Stats {
    /// Of `samples` (at least one).
    fn of(samples: &[f64]) -> Stats {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Stats {
            median,
            min: sorted[0],
            max: sorted[n - 1],
        }
    }
}

/// The largest absolute differences from the reference backend.
#[derive(Debug, Clone, Copy, Serialize)]
struct Parity {
    logits: f32,
    /// Gradients, recovered as `w₀ − w₁` of one plain SGD step with η = 1.
    gradients: f32,
    /// Weights after one step of the run's optimizer (Adam).
    weights: f32,
}

/// `max |a − b|`: infinity when the lengths differ and NaN when a value is NaN (a broken
/// comparison must not pass).
fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return f32::INFINITY;
    }
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, |m: f32, d| {
            if m.is_nan() || d.is_nan() {
                f32::NAN
            } else {
                m.max(d)
            }
        })
}

/// Every float parameter of a module, flattened in visit order (initialises lazy ones).
fn flat_params<M: Module>(module: &M) -> Vec<f32> {
    struct Collect(Vec<f32>);
    impl ModuleVisitor for Collect {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let values = param.val().into_data().try_into_vec_as::<f32>();
            self.0.extend(values.unwrap_or_default());
        }
    }
    let mut collect = Collect(Vec::new());
    module.visit(&mut collect);
    collect.0
}

/// A fixed batch: pseudo-random grey images in [-1, 1) and labels 0–9.
fn batch(n: usize, device: &Device) -> (Tensor<4>, Tensor<1, Int>) {
    let pixels: Vec<f32> = crate::bench::noise(n * 32 * 32)
        .into_iter()
        .map(|v| 2.0 * v - 1.0)
        .collect();
    let labels: Vec<i64> = (0..n as i64).map(|i| i % 10).collect();
    (
        Tensor::from_data(TensorData::new(pixels, [n, 1, 32, 32]), device),
        Tensor::from_data(TensorData::new(labels, [n]), device),
    )
}

/// One training step on `model`: forward, cross-entropy, backward, `optimizer` update.
fn train_step(
    model: LeNet5,
    optimizer: &mut ember::burn::optim::ModuleOptimizer,
    lr: f64,
    (x, y): &(Tensor<4>, Tensor<1, Int>),
) -> LeNet5 {
    let loss = CrossEntropyLossConfig::new()
        .init()
        .forward(model.forward(x.clone()), y.clone());
    let grads = GradientsParams::from_grads(loss.backward(), &model);
    optimizer.step(lr, model, grads)
}

/// The process's resident memory, MiB (Linux).
fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// What one backend's model computes from the shared start, for the parity columns.
struct Outputs {
    logits: Vec<f32>,
    after_sgd: Vec<f32>,
    after_adam: Vec<f32>,
}

fn outputs(start: &LeNet5, device: &Device, n: usize) -> Outputs {
    let plain = start.clone().to_device(device);
    let logits = plain.forward(batch(n, device).0).into_data();
    let trainable = || start.clone().to_device(&device.clone().autodiff()).train();
    let data = batch(n, &device.clone().autodiff());
    let mut sgd = OptimizerKind::Sgd.init(None);
    let mut adam = "adam"
        .parse::<OptimizerKind>()
        .expect("adam is a known optimizer")
        .init(None);
    Outputs {
        logits: logits.try_into_vec_as::<f32>().unwrap_or_default(),
        after_sgd: flat_params(&train_step(trainable(), &mut sgd, 1.0, &data)),
        after_adam: flat_params(&train_step(trainable(), &mut adam, 1e-3, &data)),
    }
}

/// Times `steps` repetitions of `f` (synchronised by reading a value back), in ms.
fn time(steps: usize, mut f: impl FnMut()) -> Vec<f64> {
    (0..steps)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect()
}

fn measure(backend: Backend, start: &LeNet5, args: &CompareArgs) -> crate::Result<(Row, Outputs)> {
    let device = backend.device()?;
    let description = backend.describe()?;
    let ad = device.clone().autodiff();
    let (x, _) = batch(args.batch, &device);
    let data = batch(args.batch, &ad);
    let plain = start.clone().to_device(&device);
    let mut model = start.clone().to_device(&ad).train();
    let mut optimizer = "adam".parse::<OptimizerKind>()?.init(None);
    let sync = |t: Tensor<2>| {
        let _ = t.sum().into_scalar::<f32>();
    };
    let warm = Instant::now();
    for _ in 0..args.warmup {
        sync(plain.forward(x.clone()));
        model = train_step(model, &mut optimizer, 1e-3, &data);
        sync(model.forward(data.0.clone()).detach());
    }
    let warmup_s = warm.elapsed().as_secs_f64();
    let forward = time(args.steps, || sync(plain.forward(x.clone())));
    // A step ends when its new weights are read back (a GPU backend runs asynchronously).
    let step = time(args.steps, || {
        let next = train_step(model.clone(), &mut optimizer, 1e-3, &data);
        let _ = flat_params(&next);
        model = next;
    });
    let step_ms = Stats::of(&step);
    let row = Row {
        backend: backend.to_string(),
        device: description,
        warmup_s,
        forward_ms: Stats::of(&forward),
        items_per_s: args.batch as f64 / (step_ms.median / 1e3),
        step_ms,
        speed_vs_first: 1.0,
        process_rss_mib: rss_mib(),
        parity: None,
    };
    Ok((row, outputs(start, &device, PARITY_EXAMPLES)))
}

/// Measures every backend asked for (default: all compiled in) and prints the table.
pub fn run(args: CompareArgs) -> crate::Result<()> {
    let backends = args.backends.clone().unwrap_or(Backend::ALL.to_vec());
    let flex = Backend::Flex
        .device()
        .or_else(|_| Backend::Ndarray.device())?;
    flex.seed(args.seed);
    let start: LeNet5 = LeNet5Config::new().init(&flex);
    // Initialise the lazy parameters here, once, so every backend starts from these weights.
    let _ = flat_params(&start);
    let reference = Backend::Ndarray
        .device()
        .ok()
        .map(|device| outputs(&start, &device, PARITY_EXAMPLES));
    let mut rows = Vec::new();
    for backend in backends {
        match measure(backend, &start, &args) {
            Ok((mut row, out)) => {
                row.parity = reference.as_ref().map(|r| Parity {
                    logits: max_abs_diff(&out.logits, &r.logits),
                    gradients: max_abs_diff(&out.after_sgd, &r.after_sgd),
                    weights: max_abs_diff(&out.after_adam, &r.after_adam),
                });
                rows.push(row);
            }
            Err(e) => eprintln!("{backend}: skipped: {e}"),
        }
    }
    if let Some(first) = rows.first().map(|r| r.step_ms.median) {
        for row in &mut rows {
            row.speed_vs_first = first / row.step_ms.median;
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print_table(&rows, &args);
    }
    Ok(())
}

fn print_table(rows: &[Row], args: &CompareArgs) {
    println!(
        "LeNet-5 (modern), batch {}, Adam; {} warm-up + {} timed steps; median (min-max) ms; \
         parity: max |Δ| against ndarray (16 examples)",
        args.batch, args.warmup, args.steps
    );
    println!(
        "{:<8} {:>9} {:>22} {:>22} {:>9} {:>7} {:>8} {:>9} {:>9} {:>9}  device",
        "backend",
        "warm-up s",
        "forward ms",
        "train step ms",
        "items/s",
        "ratio",
        "RSS MiB",
        "Δ logits",
        "Δ grads",
        "Δ weights"
    );
    let cell = |s: &Stats| format!("{:.2} ({:.2}-{:.2})", s.median, s.min, s.max);
    for r in rows {
        let p = r
            .parity
            .map_or(["-".to_string(), "-".into(), "-".into()], |p| {
                [p.logits, p.gradients, p.weights].map(|v| format!("{v:.1e}"))
            });
        println!(
            "{:<8} {:>9.1} {:>22} {:>22} {:>9.0} {:>6.2}x {:>8} {:>9} {:>9} {:>9}  {}",
            r.backend,
            r.warmup_s,
            cell(&r.forward_ms),
            cell(&r.step_ms),
            r.items_per_s,
            r.speed_vs_first,
            r.process_rss_mib.map_or("-".into(), |m| format!("{m:.0}")),
            p[0],
            p[1],
            p[2],
            r.device
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_spread_of_odd_and_even_samples() {
        let odd = Stats::of(&[3.0, 1.0, 2.0]);
        assert_eq!((odd.median, odd.min, odd.max), (2.0, 1.0, 3.0));
        assert_eq!(Stats::of(&[4.0, 1.0, 3.0, 2.0]).median, 2.5);
    }

    #[test]
    fn parity_is_the_largest_difference_and_fails_loudly() {
        assert_eq!(max_abs_diff(&[1.0, 2.0, 3.0], &[1.5, 2.0, 1.0]), 2.0);
        assert_eq!(max_abs_diff(&[1.0], &[1.0, 2.0]), f32::INFINITY);
        assert!(max_abs_diff(&[f32::NAN, 0.0], &[0.0, 9.0]).is_nan());
    }

    #[test]
    fn backends_started_from_the_same_weights_agree() {
        let flex = Device::flex();
        flex.seed(1);
        let start = LeNet5Config::new().init(&flex);
        let _ = flat_params(&start);
        let a = outputs(&start, &flex, 4);
        let b = outputs(&start, &Backend::Ndarray.device().unwrap(), 4);
        assert_eq!(a.logits.len(), 40);
        assert!(max_abs_diff(&a.logits, &b.logits) < 1e-4);
        // The recovered gradients are not all zero, and agree too.
        let w0 = flat_params(&start);
        assert!(max_abs_diff(&w0, &a.after_sgd) > 1e-3);
        assert!(max_abs_diff(&a.after_sgd, &b.after_sgd) < 1e-3);
        assert!(max_abs_diff(&a.after_adam, &b.after_adam) < 1e-4);
    }
}
