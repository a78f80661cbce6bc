//! The gradient norm of every weight over a run's first training steps: the picture of
//! vanishing (or exploding) gradients.

use std::path::{Path, PathBuf};

use burn::data::dataloader::batcher::Batcher;
use burn::module::{Module, ModuleVisitor, Param};
use burn::optim::GradientsParams;
use burn::prelude::*;
use plotters::prelude::*;

use super::filters::read_f32;
use super::params::ModulePath;
use crate::classifier::{Classifier, Labelled, Trainable};
use crate::curves::{draw_legend, register_font};
use crate::data::RunData;
use crate::fit::{autodiff_device, loss_for, optimizer_for, train_loader, Training};
use crate::run_dir::{draw_atomically, write_atomically};
use crate::TrainError;

/// The file names [`GradientNorms::save`] writes.
pub mod gradient_files {
    /// One line per step: `step,loss,<weight>,<weight>,…`.
    pub const CSV: &str = "gradients.csv";
    /// One line per weight against the step, on a log axis.
    pub const PLOT: &str = "gradients.png";
}

/// The size of the gradient plot, in pixels.
pub const GRADIENT_PLOT_SIZE: (u32, u32) = (1000, 500);

/// `‖∂L/∂W‖₂`, the Euclidean norm of the loss gradient, of every weight (every float
/// parameter of rank 2 or more: dense matrices, convolution kernels; biases and per-map
/// scalars are left out) at each of a run's first training steps.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientNorms {
    /// The weights by module path (`c1.weight`, `f5.weight`), in the order the model
    /// declares them: the input side first.
    pub weights: Vec<String>,
    /// The training loss of each step's batch (before that step's update).
    pub losses: Vec<f64>,
    /// `norms[step][weight]`; NaN for a weight without a gradient (a frozen one).
    pub norms: Vec<Vec<f64>>,
}

impl Training {
    /// Replays the first `steps` training steps that [`run`](Self::run) would take from
    /// `model` (the run's initial weights: build it as the run did, on a device seeded as
    /// the run's): the same batches in the same order (the seed's shuffle or the data's
    /// epoch order, the training batcher with its augmentation), the same loss, optimizer
    /// and learning-rate schedule; and records the gradient norm of every weight at each
    /// step, before the update. Steps continue into the next epochs when one has fewer, and
    /// stop at the end of the run's last epoch.
    ///
    /// ```
    /// # use burn::data::dataloader::batcher::Batcher;
    /// # use burn::data::dataset::InMemDataset;
    /// # use burn::nn::{Linear, LinearConfig};
    /// # use burn::prelude::*;
    /// # use ember_train::{Classifier, FitConfig, Labelled, RunData, Training};
    /// # #[derive(Module, Debug)]
    /// # struct Line { linear: Linear }
    /// # impl Classifier for Line {
    /// #     type Input = Tensor<2>;
    /// #     fn logits(&self, x: Tensor<2>) -> Tensor<2> { self.linear.forward(x) }
    /// # }
    /// # #[derive(Clone)]
    /// # struct Points;
    /// # impl Batcher<[f32; 2], Labelled<Tensor<2>>> for Points {
    /// #     fn batch(&self, items: Vec<[f32; 2]>, device: &Device) -> Labelled<Tensor<2>> {
    /// #         let labels: Vec<i64> = items.iter().map(|[x, y]| i64::from(y > x)).collect();
    /// #         let flat: Vec<f32> = items.iter().flatten().copied().collect();
    /// #         let points = Tensor::from_data(TensorData::new(flat, [items.len(), 2]), device);
    /// #         (points, Tensor::from_data(TensorData::new(labels, [items.len()]), device))
    /// #     }
    /// # }
    /// let points: Vec<[f32; 2]> = (0..64).map(|i| [(i % 8) as f32, (i / 8) as f32]).collect();
    /// let data = RunData::new(
    ///     InMemDataset::new(points.clone()),
    ///     InMemDataset::new(points.clone()),
    ///     InMemDataset::new(points),
    ///     Points,
    ///     vec!["below".into(), "above".into()],
    /// );
    /// let device = Device::flex();
    /// let model = Line { linear: LinearConfig::new(2, 2).init(&device) };
    /// let config = FitConfig::new().with_epochs(2).with_batch_size(16);
    /// let norms = Training::new(config).gradient_norms(model, &data, 5)?;
    /// assert_eq!(norms.weights, ["linear.weight"]);
    /// assert_eq!(norms.norms.len(), 5);
    /// assert!(norms.to_csv().starts_with("step,loss,linear.weight\n1,"));
    /// # Ok::<(), ember_train::TrainError>(())
    /// ```
    ///
    /// # Errors
    /// As [`fit`](Self::fit) for a configuration or data that does not fit;
    /// [`TrainError::Data`] when a training batch fails to load.
    pub fn gradient_norms<M, I, T, E>(
        self,
        model: M,
        data: &RunData<I, T, E>,
        steps: usize,
    ) -> Result<GradientNorms, TrainError>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        self.replay(model, data, steps).map(|(_, norms)| norms)
    }

    /// [`gradient_norms`](Self::gradient_norms), and the model after the last step.
    pub(crate) fn replay<M, I, T, E>(
        self,
        model: M,
        data: &RunData<I, T, E>,
        steps: usize,
    ) -> Result<(M, GradientNorms), TrainError>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        let mut plan = self.check(&model, data)?;
        // As `run` does before training. burn initialises a parameter when it is first read,
        // from the device's generator, and a summary may read some (LeNet-5's reads the
        // kernels' shapes): without it, the seed would give other weights than the run's.
        let _ = model.summary();
        // As `fit` and burn-train do: the model switched to autodiff and forked to the
        // autodiff device of its parameters, the loader moved there.
        let trainable = Trainable::new(model.train(), loss_for(self.loss.clone(), &self.config));
        let device = autodiff_device(&trainable);
        let mut trainable = trainable.fork(&device);
        let loader = train_loader(&self.config, data).to_device(&device);
        let config = &self.config;
        let mut optimizer = optimizer_for(self.optimizer, config);
        let mut norms = GradientNorms {
            weights: weight_names(&trainable.model),
            losses: Vec::new(),
            norms: Vec::new(),
        };
        'epochs: for _ in 0..config.epochs {
            for batch in loader.iter() {
                if norms.losses.len() >= steps {
                    break 'epochs;
                }
                let batch = batch.map_err(|e| TrainError::Data {
                    split: "train",
                    message: e.to_string(),
                })?;
                let loss = trainable.classify(batch).loss;
                let grads = GradientsParams::from_grads(loss.backward(), &trainable);
                norms
                    .norms
                    .push(weight_gradient_norms(&trainable.model, &grads));
                norms.losses.push(f64::from(read_f32(loss)[0]));
                trainable = optimizer.step(plan.schedule.step(), trainable, grads);
            }
        }
        Ok((trainable.model, norms))
    }
}

/// Visits every weight (rank ≥ 2) of a module with its path.
struct Weights<'a> {
    path: ModulePath,
    grads: Option<&'a GradientsParams>,
    names: Vec<String>,
    squares: Vec<Option<Tensor<1>>>,
}

impl ModuleVisitor for Weights<'_> {
    fn enter_module(&mut self, name: &str, container_type: &str) {
        self.path.enter(name, container_type);
    }
    fn exit_module(&mut self, _: &str, container_type: &str) {
        self.path.exit(container_type);
    }
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if D < 2 {
            return;
        }
        self.names.push(self.path.name());
        if let Some(grads) = self.grads {
            let grad = grads.get::<D>(param.id);
            self.squares.push(grad.map(|g| g.square().sum()));
        }
    }
}

fn weight_names<M: Module>(model: &M) -> Vec<String> {
    let mut visit = Weights {
        path: ModulePath::default(),
        grads: None,
        names: Vec::new(),
        squares: Vec::new(),
    };
    model.visit(&mut visit);
    visit.names
}

/// `‖g‖₂ = √(Σ g²)` of each weight's gradient in `grads`, in [`weight_names`] order (NaN
/// for one without a gradient), read back from the device at once.
pub(crate) fn weight_gradient_norms<M: Module>(model: &M, grads: &GradientsParams) -> Vec<f64> {
    let mut visit = Weights {
        path: ModulePath::default(),
        grads: Some(grads),
        names: Vec::new(),
        squares: Vec::new(),
    };
    model.visit(&mut visit);
    let present: Vec<Tensor<1>> = visit.squares.iter().flatten().cloned().collect();
    let mut sums = if present.is_empty() {
        Vec::new()
    } else {
        read_f32(Tensor::cat(present, 0))
    }
    .into_iter();
    visit
        .squares
        .iter()
        .map(|s| match s {
            Some(_) => sums.next().map_or(f64::NAN, |v| f64::from(v).sqrt()),
            None => f64::NAN,
        })
        .collect()
}

impl GradientNorms {
    /// `step,loss,<weight>,…` then one line per step (from 1), the numbers in `{:e}` form.
    pub fn to_csv(&self) -> String {
        let mut csv = format!("step,loss,{}\n", self.weights.join(","));
        for (step, (loss, norms)) in self.losses.iter().zip(&self.norms).enumerate() {
            let values: Vec<String> = norms.iter().map(|n| format!("{n:.6e}")).collect();
            csv.push_str(&format!("{},{loss:.6e},{}\n", step + 1, values.join(",")));
        }
        csv
    }

    /// Draws the norms into `path` (a PNG of [`GRADIENT_PLOT_SIZE`]): one line per weight
    /// against the step, the norm on a log axis; zero and missing norms are left out.
    ///
    /// # Errors
    /// [`TrainError::Plot`] naming the file.
    pub fn plot(&self, path: &Path) -> Result<(), TrainError> {
        register_font();
        draw_atomically(path, |tmp| self.draw(tmp, &|e| TrainError::plot(path, e)))
    }

    /// Writes [`gradient_files::CSV`] and [`gradient_files::PLOT`] into `dir` (created).
    ///
    /// # Errors
    /// [`TrainError::Io`] or [`TrainError::Plot`] naming the file.
    pub fn save(&self, dir: &Path) -> Result<[PathBuf; 2], TrainError> {
        std::fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
        let csv = dir.join(gradient_files::CSV);
        write_atomically(&csv, self.to_csv().as_bytes())?;
        let plot = dir.join(gradient_files::PLOT);
        self.plot(&plot)?;
        Ok([csv, plot])
    }

    fn draw(
        &self,
        tmp: &Path,
        err: &dyn Fn(&dyn std::fmt::Display) -> TrainError,
    ) -> Result<(), TrainError> {
        let root = BitMapBackend::new(tmp, GRADIENT_PLOT_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let shown = |n: f64| n.is_finite() && n > 0.0;
        let all = self.norms.iter().flatten().copied().filter(|&n| shown(n));
        let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(lo, hi), n| (lo.min(n), hi.max(n)));
        let (lo, hi) = if lo > hi {
            (1e-3, 1.0)
        } else {
            (lo / 2.0, hi * 2.0)
        };
        let steps = self.norms.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Gradient norm per weight, first training steps",
                ("sans-serif", 22),
            )
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(72)
            .build_cartesian_2d(0.5..steps as f64 + 0.5, (lo..hi).log_scale())
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("training step")
            .y_desc("‖∂L/∂W‖₂ (log scale)")
            .x_labels(steps.clamp(2, 12))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0e}"))
            .draw()
            .map_err(|e| err(&e))?;
        for (w, name) in self.weights.iter().enumerate() {
            let color = Palette99::pick(w).to_rgba();
            let points: Vec<(f64, f64)> = self
                .norms
                .iter()
                .enumerate()
                .map(|(step, norms)| (step as f64 + 1.0, norms[w]))
                .filter(|&(_, n)| shown(n))
                .collect();
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(|e| err(&e))?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight).map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::InMemDataset;
    use burn::nn::{Linear, LinearConfig};

    use crate::compare::flat_params;
    use crate::FitConfig;

    /// Two weights and a bias, set by hand.
    #[derive(Module, Debug)]
    struct Hand {
        w: Param<Tensor<2>>,
        inner: Inner,
    }

    #[derive(Module, Debug)]
    struct Inner {
        v: Param<Tensor<2>>,
        bias: Param<Tensor<1>>,
    }

    #[test]
    fn the_norms_are_those_of_hand_computed_gradients() {
        let device = Device::flex().autodiff();
        let t2 = |v: [[f32; 2]; 2]| Param::from_tensor(Tensor::<2>::from_data(v, &device));
        let hand = Hand {
            w: t2([[1.0, 2.0], [3.0, 4.0]]),
            inner: Inner {
                v: t2([[3.0, 0.0], [0.0, 4.0]]),
                bias: Param::from_tensor(Tensor::from_data([1.0, 1.0], &device)),
            },
        };
        // L = Σ c ⊙ W + Σ V² + Σ b: ∂L/∂W = c, ‖c‖ = √(1 + 4 + 4 + 16) = 5;
        // ∂L/∂V = 2V, ‖2V‖ = 2·√(9 + 16) = 10; the bias (rank 1) is left out.
        let c = Tensor::<2>::from_data([[1.0, 2.0], [2.0, 4.0]], &device);
        let loss = (hand.w.val() * c).sum()
            + hand.inner.v.val().square().sum()
            + hand.inner.bias.val().sum();
        let grads = GradientsParams::from_grads(loss.backward(), &hand);
        assert_eq!(weight_names(&hand), ["w", "inner.v"]);
        let norms = weight_gradient_norms(&hand, &grads);
        assert!(
            (norms[0] - 5.0).abs() < 1e-6 && (norms[1] - 10.0).abs() < 1e-6,
            "{norms:?}"
        );
        // A weight without a gradient (frozen) is NaN.
        let frozen = Hand {
            w: hand.w.clone().set_require_grad(false),
            ..hand
        };
        let loss = frozen.w.val().sum() + frozen.inner.v.val().sum();
        let grads = GradientsParams::from_grads(loss.backward(), &frozen);
        let norms = weight_gradient_norms(&frozen, &grads);
        assert!(
            norms[0].is_nan() && (norms[1] - 2.0).abs() < 1e-6,
            "{norms:?}"
        );
    }

    #[derive(Module, Debug)]
    struct Net {
        hidden: Linear,
        out: Linear,
    }

    impl Classifier for Net {
        type Input = Tensor<2>;
        fn logits(&self, x: Tensor<2>) -> Tensor<2> {
            self.out
                .forward(burn::tensor::activation::sigmoid(self.hidden.forward(x)))
        }
        // Reading a weight's shape initialises it before the others, as Ember's summaries
        // of LeNet-5 and AlexNet do: the replay must do the same to start from the same
        // weights.
        fn summary(&self) -> String {
            format!("out {:?}", self.out.weight.dims())
        }
    }

    #[derive(Clone)]
    struct Rows;
    impl Batcher<(Vec<f32>, i64), Labelled<Tensor<2>>> for Rows {
        fn batch(&self, items: Vec<(Vec<f32>, i64)>, device: &Device) -> Labelled<Tensor<2>> {
            let n = items.len();
            let flat: Vec<f32> = items.iter().flat_map(|(x, _)| x.clone()).collect();
            let labels: Vec<i64> = items.iter().map(|(_, y)| *y).collect();
            (
                Tensor::from_data(TensorData::new(flat, [n, 4]), device),
                Tensor::from_data(TensorData::new(labels, [n]), device),
            )
        }
    }

    /// `n` values in [-0.5, 0.5) from a generator of the test's own: burn's is one per
    /// process, reseeded by every training batch of the tests running beside this one.
    fn values(seed: u64, n: usize) -> Vec<f32> {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        (0..n).map(|_| rng.random_range(-0.5..0.5)).collect()
    }

    fn data() -> RunData<(Vec<f32>, i64), Rows, Rows> {
        let x = values(3, 48 * 4);
        let items: Vec<(Vec<f32>, i64)> = x
            .chunks(4)
            .map(|r| (r.to_vec(), i64::from(r[0] > r[1])))
            .collect();
        let split = |a: usize, b: usize| InMemDataset::new(items[a..b].to_vec());
        RunData::new(
            split(0, 40),
            split(40, 44),
            split(44, 48),
            Rows,
            vec!["a".into(), "b".into()],
        )
    }

    fn net() -> Net {
        let device = Device::flex();
        let linear = |inputs: usize, outputs: usize, seed: u64| {
            let mut layer = LinearConfig::new(inputs, outputs).init(&device);
            let weight = TensorData::new(values(seed, inputs * outputs), [inputs, outputs]);
            layer.weight = Param::from_tensor(Tensor::from_data(weight, &device));
            let bias = TensorData::new(values(seed + 1, outputs), [outputs]);
            layer.bias = Some(Param::from_tensor(Tensor::from_data(bias, &device)));
            layer
        };
        Net {
            hidden: linear(4, 3, 11),
            out: linear(3, 2, 13),
        }
    }

    #[test]
    fn the_replayed_steps_are_the_runs_own() {
        // 40 items in batches of 16: 3 steps an epoch, 6 in the run. Replaying all six from
        // the same start ends on the weights the run trained, to float rounding.
        let config = FitConfig::new()
            .with_epochs(2)
            .with_batch_size(16)
            .with_lr(0.05)
            .with_checkpoints(false);
        let dir = tempfile::tempdir().unwrap();
        let record = crate::RunRecord::new(config.clone());
        let trained = Training::new(config.clone())
            .run(net(), data(), record, dir.path().join("run"))
            .unwrap();
        let (replayed, norms) = Training::new(config.clone())
            .replay(net(), &data(), 100)
            .unwrap();
        assert_eq!(norms.losses.len(), 6, "stops at the end of the run");
        let (a, b) = (flat_params(&trained.model), flat_params(&replayed));
        let diff = crate::compare::max_abs_diff(&a, &b);
        assert!(diff < 1e-6, "{diff}: {a:?} vs {b:?}");
        assert_eq!(norms.weights, ["hidden.weight", "out.weight"]);
        assert!(norms
            .norms
            .iter()
            .flatten()
            .all(|n| n.is_finite() && *n > 0.0));
        // Fewer steps: the first ones, the same numbers.
        let first = Training::new(config)
            .gradient_norms(net(), &data(), 2)
            .unwrap();
        assert_eq!(first.norms[..], norms.norms[..2]);
        assert_eq!(first.losses[..], norms.losses[..2]);
    }

    #[test]
    fn the_csv_has_a_line_per_step_and_the_plot_its_size() {
        let norms = GradientNorms {
            weights: vec!["c1.weight".into(), "f5.weight".into()],
            losses: vec![2.3, 2.1],
            norms: vec![vec![0.5, 1e-3], vec![0.25, f64::NAN]],
        };
        assert_eq!(
            norms.to_csv(),
            "step,loss,c1.weight,f5.weight\n\
             1,2.300000e0,5.000000e-1,1.000000e-3\n\
             2,2.100000e0,2.500000e-1,NaN\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let [csv, plot] = norms.save(&dir.path().join("viz")).unwrap();
        assert!(csv.is_file());
        let image = image::open(&plot).unwrap();
        assert_eq!((image.width(), image.height()), GRADIENT_PLOT_SIZE);
    }
}
