//! Comparing backends on one model: the speed of the forward pass and of a training step,
//! memory, and numeric parity against a reference backend from the same weights and batch.

use std::fmt;
use std::time::Instant;

use burn::module::{Module, ModuleVisitor, Param};
use burn::optim::GradientsParams;
use burn::prelude::*;
use ember_losses::CrossEntropyLossConfig;
use ember_optim::OptimizerKind;
use serde::{Deserialize, Serialize};

use crate::{Classifier, Labelled};

/// A backend to measure: a name for the table, its device (without autodiff: training steps
/// run on `device.autodiff()`) and a description of what it runs on.
#[derive(Debug, Clone)]
pub struct Contender {
    /// Short name, e.g. `flex`.
    pub name: String,
    /// The device its tensors live on.
    pub device: Device,
    /// What it is, e.g. the GPU adapter or the CPU thread count.
    pub description: String,
}

/// Builds one labelled batch of a model's input on the device given.
pub type MakeBatch<I> = Box<dyn Fn(&Device) -> Labelled<I>>;

/// What is measured: a model, batches of its input built on any device, and how the work is
/// counted.
pub struct Workload<M: Classifier> {
    /// The model's name and settings, for the table's heading.
    pub title: String,
    /// The starting weights every backend copies (initialised on any device).
    pub model: M,
    /// The timed batch, built on the device given.
    pub batch: MakeBatch<M::Input>,
    /// Examples per timed batch.
    pub items: usize,
    /// Another unit of work per timed batch, e.g. `("tokens", 12_800.0)`: the table then
    /// has a column of those per second.
    pub unit: Option<(String, f64)>,
    /// The (smaller) batch the parity columns are computed on.
    pub parity_batch: MakeBatch<M::Input>,
}

/// How many steps, and the optimizer's learning rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompareSettings {
    /// Untimed steps first (kernel compilation and autotuning on wgpu), reported apart.
    pub warmup: usize,
    /// Timed steps (at least 1).
    pub steps: usize,
    /// Adam's learning rate in the timed steps.
    pub lr: f64,
}

impl Default for CompareSettings {
    fn default() -> Self {
        CompareSettings {
            warmup: 2,
            steps: 10,
            lr: 1e-3,
        }
    }
}

/// Median and spread of repeated timings, milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// The median.
    pub median: f64,
    /// The fastest.
    pub min: f64,
    /// The slowest.
    pub max: f64,
}

impl Stats {
    /// Of `samples` (at least one; none gives zeros).
    pub fn of(samples: &[f64]) -> Stats {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        if n == 0 {
            return Stats {
                median: 0.0,
                min: 0.0,
                max: 0.0,
            };
        }
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Parity {
    /// Of the logits.
    pub logits: f32,
    /// Of the gradients, recovered as `w₀ − w₁` of one plain SGD step with η = 1.
    pub gradients: f32,
    /// Of the weights after one Adam step.
    pub weights: f32,
}

/// One backend's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackendRow {
    /// The contender's name.
    pub backend: String,
    /// Its description.
    pub device: String,
    /// Seconds of the warm-up steps.
    pub warmup_s: f64,
    /// The forward pass (inference, no autodiff).
    pub forward_ms: Stats,
    /// A training step: forward, cross-entropy, backward, Adam update, weights read back.
    pub step_ms: Stats,
    /// Examples per second in training (median step).
    pub items_per_s: f64,
    /// The workload's other unit per second in training (median step), if it has one.
    pub units_per_s: Option<f64>,
    /// The first row's median step time divided by this one's (> 1: faster).
    pub speed_vs_first: f64,
    /// Resident memory of the whole process after this backend's steps, MiB (Linux).
    pub process_rss_mib: Option<f64>,
    /// Max |Δ| against the reference, when there is one.
    pub parity: Option<Parity>,
}

/// The figures of every backend measured, in order, and how they were measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The workload's title.
    pub title: String,
    /// Examples per timed batch.
    pub items: usize,
    /// The workload's other unit, if any.
    pub unit: Option<String>,
    /// Steps and learning rate.
    pub settings: CompareSettings,
    /// The reference backend of the parity columns.
    pub reference: Option<String>,
    /// One row per backend.
    pub rows: Vec<BackendRow>,
}

impl Comparison {
    /// Adds a row measured elsewhere (e.g. PyTorch running the same model and batch) and
    /// recomputes the ratios against the first row.
    pub fn push(&mut self, row: BackendRow) {
        self.rows.push(row);
        if let Some(first) = self.rows.first().map(|r| r.step_ms.median) {
            for row in &mut self.rows {
                row.speed_vs_first = first / row.step_ms.median;
            }
        }
    }
}

/// `max |a − b|`: infinity when the lengths differ and NaN when a value is NaN (a broken
/// comparison must not pass).
pub fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
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
pub fn flat_params<M: Module>(module: &M) -> Vec<f32> {
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

/// Adam with its default settings.
fn adam() -> burn::optim::ModuleOptimizer {
    "adam"
        .parse::<OptimizerKind>()
        .expect("adam is a known optimizer")
        .init(None)
}

/// One training step: forward, cross-entropy, backward, `optimizer` update.
fn train_step<M: Classifier>(
    model: M,
    optimizer: &mut burn::optim::ModuleOptimizer,
    lr: f64,
    (input, targets): Labelled<M::Input>,
) -> M {
    let loss = CrossEntropyLossConfig::new()
        .init()
        .forward(model.logits(input), targets);
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

/// The generator seed of each parity step.
const PARITY_SEED: u64 = 0x5eed;

/// What one backend computes from the shared start, for the parity columns.
struct Outputs {
    logits: Vec<f32>,
    after_sgd: Vec<f32>,
    after_adam: Vec<f32>,
}

fn outputs<M: Classifier>(workload: &Workload<M>, device: &Device) -> Outputs {
    let plain = workload.model.clone().to_device(device);
    let (input, _) = (workload.parity_batch)(device);
    let logits = plain.logits(input).into_data();
    let ad = device.clone().autodiff();
    let trainable = || workload.model.clone().to_device(&ad).train();
    let mut sgd = OptimizerKind::Sgd.init(None);
    let mut adam = adam();
    let batch = || (workload.parity_batch)(&ad);
    // Random layers (dropout) draw the same masks on every call of a backend, and the same
    // as the reference's where the two share a generator (ndarray and flex do; wgpu does
    // not: compare models without dropout there).
    device.seed(PARITY_SEED);
    let after_sgd = flat_params(&train_step(trainable(), &mut sgd, 1.0, batch()));
    device.seed(PARITY_SEED);
    let after_adam = flat_params(&train_step(trainable(), &mut adam, 1e-3, batch()));
    Outputs {
        logits: logits.try_into_vec_as::<f32>().unwrap_or_default(),
        after_sgd,
        after_adam,
    }
}

/// Times `steps` repetitions of `f`, in ms.
fn time(steps: usize, mut f: impl FnMut()) -> Vec<f64> {
    (0..steps.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect()
}

fn measure<M: Classifier>(
    workload: &Workload<M>,
    contender: &Contender,
    settings: &CompareSettings,
) -> (BackendRow, Outputs) {
    let device = &contender.device;
    let ad = device.clone().autodiff();
    let (input, _) = (workload.batch)(device);
    let data = (workload.batch)(&ad);
    let plain = workload.model.clone().to_device(device);
    let mut model = workload.model.clone().to_device(&ad).train();
    let mut optimizer = adam();
    // Reading a value back waits for a GPU backend, which runs asynchronously.
    let sync = |t: Tensor<2>| {
        let _ = t.sum().into_scalar::<f32>();
    };
    let warm = Instant::now();
    for _ in 0..settings.warmup {
        sync(plain.logits(input.clone()));
        model = train_step(model, &mut optimizer, settings.lr, data.clone());
        let _ = flat_params(&model);
    }
    let warmup_s = warm.elapsed().as_secs_f64();
    let forward = time(settings.steps, || sync(plain.logits(input.clone())));
    // A step ends when its new weights are read back.
    let step = time(settings.steps, || {
        let next = train_step(model.clone(), &mut optimizer, settings.lr, data.clone());
        let _ = flat_params(&next);
        model = next;
    });
    let step_ms = Stats::of(&step);
    let per_s = |count: f64| count / (step_ms.median / 1e3);
    let row = BackendRow {
        backend: contender.name.clone(),
        device: contender.description.clone(),
        warmup_s,
        forward_ms: Stats::of(&forward),
        items_per_s: per_s(workload.items as f64),
        units_per_s: workload.unit.as_ref().map(|(_, n)| per_s(*n)),
        step_ms,
        speed_vs_first: 1.0,
        process_rss_mib: rss_mib(),
        parity: None,
    };
    (row, outputs(workload, device))
}

/// Measures `workload` on every contender in turn (`settings.warmup` untimed steps, then
/// `settings.steps` timed forward passes and training steps) and, when `reference` is
/// given, the parity of each against it from the same weights and parity batch.
///
/// ```
/// use burn::prelude::*;
/// use ember_train::{compare_backends, CompareSettings, Contender, Workload};
/// # use burn::nn::{Linear, LinearConfig};
/// # #[derive(Module, Debug)] struct Net { fc: Linear }
/// # impl ember_train::Classifier for Net {
/// #     type Input = Tensor<2>;
/// #     fn logits(&self, x: Tensor<2>) -> Tensor<2> { self.fc.forward(x) }
/// # }
/// let device = Device::flex();
/// let batch = |n: usize| move |device: &Device| {
///     let x = Tensor::<2>::ones([n, 4], device);
///     let y = Tensor::<1, Int>::zeros([n], device);
///     (x, y)
/// };
/// let workload = Workload {
///     title: "a linear classifier".into(),
///     model: Net { fc: LinearConfig::new(4, 3).init(&device) },
///     batch: Box::new(batch(32)),
///     items: 32,
///     unit: None,
///     parity_batch: Box::new(batch(4)),
/// };
/// let flex = Contender { name: "flex".into(), device: device.clone(), description: "CPU".into() };
/// let settings = CompareSettings { warmup: 1, steps: 3, lr: 1e-3 };
/// let table = compare_backends(&workload, &[flex.clone()], Some(&flex), settings);
/// assert_eq!(table.rows[0].parity.unwrap().logits, 0.0);
/// println!("{table}");
/// ```
pub fn compare_backends<M: Classifier>(
    workload: &Workload<M>,
    contenders: &[Contender],
    reference: Option<&Contender>,
    settings: CompareSettings,
) -> Comparison {
    // Initialise lazy parameters once, so every backend starts from the same weights.
    let _ = flat_params(&workload.model);
    let expected = reference.map(|r| outputs(workload, &r.device));
    let mut comparison = Comparison {
        title: workload.title.clone(),
        items: workload.items,
        unit: workload.unit.as_ref().map(|(u, _)| u.clone()),
        settings,
        reference: reference.map(|r| r.name.clone()),
        rows: Vec::new(),
    };
    for contender in contenders {
        let (mut row, out) = measure(workload, contender, &settings);
        row.parity = expected.as_ref().map(|r| Parity {
            logits: max_abs_diff(&out.logits, &r.logits),
            gradients: max_abs_diff(&out.after_sgd, &r.after_sgd),
            weights: max_abs_diff(&out.after_adam, &r.after_adam),
        });
        comparison.push(row);
    }
    comparison
}

impl fmt::Display for Comparison {
    /// The table for people: one line per backend.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}, batch {}, Adam; {} warm-up + {} timed steps; median (min-max) ms; parity: \
             max |Δ| against {}",
            self.title,
            self.items,
            self.settings.warmup,
            self.settings.steps,
            self.reference.as_deref().unwrap_or("-")
        )?;
        let unit = self.unit.as_ref().map(|u| format!("{u}/s"));
        writeln!(
            f,
            "{:<8} {:>9} {:>22} {:>22} {:>9} {:>11} {:>7} {:>8} {:>9} {:>9} {:>9}  device",
            "backend",
            "warm-up s",
            "forward ms",
            "train step ms",
            "items/s",
            unit.as_deref().unwrap_or(""),
            "ratio",
            "RSS MiB",
            "Δ logits",
            "Δ grads",
            "Δ weights"
        )?;
        let cell = |s: &Stats| format!("{:.2} ({:.2}-{:.2})", s.median, s.min, s.max);
        for r in &self.rows {
            let p = r
                .parity
                .map_or(["-".to_string(), "-".into(), "-".into()], |p| {
                    [p.logits, p.gradients, p.weights].map(|v| format!("{v:.1e}"))
                });
            writeln!(
                f,
                "{:<8} {:>9.1} {:>22} {:>22} {:>9.0} {:>11} {:>6.2}x {:>8} {:>9} {:>9} {:>9}  {}",
                r.backend,
                r.warmup_s,
                cell(&r.forward_ms),
                cell(&r.step_ms),
                r.items_per_s,
                r.units_per_s.map_or(String::new(), |u| format!("{u:.0}")),
                r.speed_vs_first,
                r.process_rss_mib.map_or("-".into(), |m| format!("{m:.0}")),
                p[0],
                p[1],
                p[2],
                r.device
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::nn::conv::{Conv2d, Conv2dConfig};
    use burn::nn::{Linear, LinearConfig};

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

    /// A convolution and a dense layer: enough for the backends to differ in rounding.
    #[derive(Module, Debug)]
    struct Net {
        conv: Conv2d,
        fc: Linear,
    }

    impl Classifier for Net {
        type Input = Tensor<4>;
        fn logits(&self, x: Tensor<4>) -> Tensor<2> {
            let x = burn::tensor::activation::relu(self.conv.forward(x));
            self.fc.forward(x.flatten(1, 3))
        }
    }

    fn workload(device: &Device) -> Workload<Net> {
        let batch = |n: usize| {
            move |device: &Device| {
                let values: Vec<f32> = (0..n * 2 * 6 * 6)
                    .map(|i| ((i * 7) % 13) as f32 / 13.0)
                    .collect();
                let x = Tensor::<1>::from_floats(values.as_slice(), device).reshape([n, 2, 6, 6]);
                let y = Tensor::<1, Int>::from_ints(
                    [0, 1, 2, 1, 0, 2, 1, 0][..n].to_vec().as_slice(),
                    device,
                );
                (x, y)
            }
        };
        device.seed(7);
        Workload {
            title: "test net".into(),
            model: Net {
                conv: Conv2dConfig::new([2, 4], [3, 3]).init(device),
                fc: LinearConfig::new(4 * 4 * 4, 3).init(device),
            },
            batch: Box::new(batch(8)),
            items: 8,
            unit: Some(("pixels".into(), 8.0 * 72.0)),
            parity_batch: Box::new(batch(4)),
        }
    }

    #[test]
    fn backends_from_the_same_weights_agree_and_a_changed_model_does_not() {
        let flex = Contender {
            name: "flex".into(),
            device: Device::flex(),
            description: "test".into(),
        };
        let workload = workload(&flex.device);
        let settings = CompareSettings {
            warmup: 0,
            steps: 2,
            lr: 1e-3,
        };
        let same = compare_backends(
            &workload,
            std::slice::from_ref(&flex),
            Some(&flex),
            settings,
        );
        let row = &same.rows[0];
        let parity = row.parity.unwrap();
        assert_eq!(
            (parity.logits, parity.gradients, parity.weights),
            (0.0, 0.0, 0.0)
        );
        assert!(row.step_ms.median > 0.0 && row.items_per_s > 0.0);
        let units = row.units_per_s.unwrap();
        assert!(
            (units - row.items_per_s * 72.0).abs() <= 1e-9 * units,
            "{units}"
        );
        assert!(same.to_string().contains("pixels/s"));

        // The reference's outputs are not the contender's: another start differs.
        let mut other = self::workload(&flex.device);
        // Parameters are drawn when first used: another seed, so the new layer differs.
        flex.device.seed(99);
        other.model.fc = LinearConfig::new(4 * 4 * 4, 3).init(&flex.device);
        let expected = outputs(&workload, &flex.device);
        let got = outputs(&other, &flex.device);
        assert!(max_abs_diff(&got.logits, &expected.logits) > 1e-3);
        assert!(max_abs_diff(&got.after_sgd, &got.after_adam) > 0.0);
    }

    #[test]
    fn a_pushed_row_gets_its_ratio_to_the_first() {
        let row = |name: &str, median: f64| BackendRow {
            backend: name.into(),
            device: String::new(),
            warmup_s: 0.0,
            forward_ms: Stats::of(&[1.0]),
            step_ms: Stats::of(&[median]),
            items_per_s: 0.0,
            units_per_s: None,
            speed_vs_first: 1.0,
            process_rss_mib: None,
            parity: None,
        };
        let mut table = Comparison {
            title: String::new(),
            items: 1,
            unit: None,
            settings: CompareSettings::default(),
            reference: None,
            rows: vec![row("a", 10.0)],
        };
        table.push(row("b", 5.0));
        assert_eq!(table.rows[1].speed_vs_first, 2.0);
    }
}
