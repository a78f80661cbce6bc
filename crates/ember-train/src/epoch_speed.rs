//! How fast a whole epoch trains on one backend, measured three ways on the same data:
//! the data loader alone, a minimal burn loop, and the epoch of a real run.

use std::fmt;
use std::time::Instant;

use burn::data::dataloader::batcher::Batcher;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::valid_batch_size;
use crate::fit::{autodiff_device, train_loader, valid_loader};
use crate::{Classifier, Contender, Labelled, RunData, TrainError, Training};

/// One backend's epoch: seconds of the loader alone, of a minimal burn loop and of
/// [`Training::fit`], on the same training and validation splits from the same weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochSpeed {
    /// The backend's (or framework's) name.
    pub backend: String,
    /// What it runs on.
    pub device: String,
    /// Training examples in the epoch.
    pub train_items: usize,
    /// Validation examples scored after it.
    pub valid_items: usize,
    /// Seconds of the untimed warm-up (a few training steps and a validation batch of the
    /// minimal loop: kernel compilation and autotuning on wgpu, first allocations).
    pub warmup_s: f64,
    /// One pass over the training batches as the run builds them (read, batched,
    /// augmented, normalised, on the device), nothing trained.
    pub loader_s: f64,
    /// A minimal burn loop over the same batches: forward, burn's cross-entropy, backward,
    /// burn's Adam; then the validation forward passes. No metrics, progress or checkpoints.
    pub raw_s: f64,
    /// The epoch of a real run ([`Training::fit`]: training, validation, metrics, progress
    /// and checkpoints as configured), as its `metrics.csv` records it.
    pub run_s: f64,
    /// The run's validation accuracy after the epoch, percent (it did train).
    pub valid_accuracy: f64,
    /// The first row's `run_s` divided by this one's (> 1: faster).
    pub speed_vs_first: f64,
}

impl EpochSpeed {
    /// Training examples per second of the loader alone.
    pub fn loader_items_per_s(&self) -> f64 {
        self.train_items as f64 / self.loader_s
    }

    /// Examples (training and validation) per second of the run's epoch.
    pub fn run_items_per_s(&self) -> f64 {
        (self.train_items + self.valid_items) as f64 / self.run_s
    }

    /// What the run adds over the minimal loop: `run_s / raw_s − 1` (0.03 is 3%).
    pub fn overhead(&self) -> f64 {
        self.run_s / self.raw_s - 1.0
    }

    /// How many times faster the loader delivers training batches than the minimal loop
    /// consumes them (its training part counted as the whole epoch: a lower bound).
    pub fn loader_headroom(&self) -> f64 {
        self.raw_s / self.loader_s
    }
}

/// Every backend's [`EpochSpeed`], in order, and what was trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochComparison {
    /// The model and data, for the heading.
    pub title: String,
    /// Examples per training batch.
    pub batch_size: usize,
    /// One row per backend.
    pub rows: Vec<EpochSpeed>,
}

impl EpochComparison {
    /// An empty table for `title`, trained in batches of `batch_size`.
    pub fn new(title: impl Into<String>, batch_size: usize) -> Self {
        EpochComparison {
            title: title.into(),
            batch_size,
            rows: Vec::new(),
        }
    }

    /// Adds a row (measured here or by another framework on the same machine) and
    /// recomputes the ratios against the first row.
    pub fn push(&mut self, row: EpochSpeed) {
        self.rows.push(row);
        if let Some(first) = self.rows.first().map(|r| r.run_s) {
            for row in &mut self.rows {
                row.speed_vs_first = first / row.run_s;
            }
        }
    }
}

impl fmt::Display for EpochComparison {
    /// The table for people: one line per backend.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first = self.rows.first();
        writeln!(
            f,
            "{}: one epoch, batch {}{}; loader = the training batches alone, raw = a minimal \
             burn loop (no metrics), run = Training::fit's epoch",
            self.title,
            self.batch_size,
            first.map_or(String::new(), |r| format!(
                ", {} train + {} valid examples",
                r.train_items, r.valid_items
            )),
        )?;
        writeln!(
            f,
            "{:<8} {:>9} {:>9} {:>13} {:>9} {:>9} {:>9} {:>9} {:>7} {:>9}  device",
            "backend",
            "warm-up s",
            "loader s",
            "loader ×raw",
            "raw s",
            "run s",
            "overhead",
            "items/s",
            "ratio",
            "valid %"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<8} {:>9.2} {:>9.2} {:>12.1}× {:>9.2} {:>9.2} {:>8.1}% {:>9.0} {:>6.2}× {:>9.2}  {}",
                r.backend,
                r.warmup_s,
                r.loader_s,
                r.loader_headroom(),
                r.raw_s,
                r.run_s,
                100.0 * r.overhead(),
                r.run_items_per_s(),
                r.speed_vs_first,
                r.valid_accuracy,
                r.device
            )?;
        }
        Ok(())
    }
}

impl Training {
    /// Measures one epoch of this run on `contender`'s device ([`EpochSpeed`]): a pass of
    /// the training loader alone, a minimal burn loop over the same batches from the same
    /// weights (burn's cross-entropy and Adam, then the validation forward passes), and the
    /// run's own first epoch through [`Training::fit`] (its artifacts in a temporary
    /// folder). The configuration's epochs are ignored: one is trained each way.
    ///
    /// `model` is moved to the contender's device; the data's batchers build their batches
    /// on whichever device they are given.
    ///
    /// ```
    /// use burn::data::dataset::InMemDataset;
    /// use burn::prelude::*;
    /// use ember_train::{Contender, FitConfig, RunData, Training};
    /// # use burn::data::dataloader::batcher::Batcher;
    /// # use burn::nn::{Linear, LinearConfig};
    /// # #[derive(Module, Debug)] struct Net { fc: Linear }
    /// # impl ember_train::Classifier for Net {
    /// #     type Input = Tensor<2>;
    /// #     fn logits(&self, x: Tensor<2>) -> Tensor<2> { self.fc.forward(x) }
    /// # }
    /// # #[derive(Clone)] struct Rows;
    /// # impl Batcher<(f32, i64), (Tensor<2>, Tensor<1, Int>)> for Rows {
    /// #     fn batch(&self, items: Vec<(f32, i64)>, device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
    /// #         let x: Vec<f32> = items.iter().map(|i| i.0).collect();
    /// #         let y: Vec<i64> = items.iter().map(|i| i.1).collect();
    /// #         let n = x.len();
    /// #         (Tensor::from_data(TensorData::new(x, [n, 1]), device),
    /// #          Tensor::from_data(TensorData::new(y, [n]), device))
    /// #     }
    /// # }
    /// let items: Vec<(f32, i64)> = (0..64).map(|i| (i as f32 / 64.0, i % 2)).collect();
    /// let split = || InMemDataset::new(items.clone());
    /// let data = RunData::new(split(), split(), split(), Rows, vec!["a".into(), "b".into()]);
    /// let device = Device::flex();
    /// let model = Net { fc: LinearConfig::new(1, 2).init(&device) };
    /// let flex = Contender { name: "flex".into(), device, description: "CPU".into() };
    /// let config = FitConfig::new().with_batch_size(16).with_checkpoints(false);
    /// let speed = Training::new(config).epoch_speed(model, &data, &flex)?;
    /// assert_eq!((speed.train_items, speed.valid_items), (64, 64));
    /// assert!(speed.loader_s > 0.0 && speed.raw_s > 0.0 && speed.run_s > 0.0);
    /// # Ok::<(), ember_train::TrainError>(())
    /// ```
    ///
    /// # Errors
    /// As [`Training::fit`].
    pub fn epoch_speed<M, I, T, E>(
        self,
        model: M,
        data: &RunData<I, T, E>,
        contender: &Contender,
    ) -> Result<EpochSpeed, TrainError>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
        E: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        let mut training = self;
        training.config = training.config.with_epochs(1);
        let plan = training.check(&model, data)?;
        let config = training.config.clone();
        let model = model.to_device(&contender.device);
        let ad = autodiff_device(&model);
        let [train_items, valid_items, _] = data.sizes();

        let loader = train_loader(&config, data).to_device(&ad);
        let start = Instant::now();
        let mut last = None;
        for batch in loader.iter() {
            last = Some(batch.map_err(data_error("train"))?.1);
        }
        // Reading a value back waits for a backend that runs asynchronously (wgpu).
        if let Some(targets) = last {
            let _ = targets.into_data();
        }
        let loader_s = start.elapsed().as_secs_f64();

        let start = Instant::now();
        minimal_epoch(model.clone(), data, &config, &ad, Some(WARMUP_STEPS))?;
        let warmup_s = start.elapsed().as_secs_f64();

        let start = Instant::now();
        minimal_epoch(model.clone(), data, &config, &ad, None)?;
        let raw_s = start.elapsed().as_secs_f64();

        let artifacts = tempfile::tempdir().map_err(|source| TrainError::Io {
            path: std::env::temp_dir(),
            source,
        })?;
        let fitted = training.fit_planned(plan, model, data, artifacts.path(), None)?;
        let epoch = fitted
            .epochs
            .first()
            .ok_or(TrainError::EmptySplit { split: "train" })?;
        Ok(EpochSpeed {
            backend: contender.name.clone(),
            device: contender.description.clone(),
            train_items,
            valid_items,
            warmup_s,
            loader_s,
            raw_s,
            run_s: epoch.seconds,
            valid_accuracy: epoch.valid_accuracy,
            speed_vs_first: 1.0,
        })
    }
}

/// Training steps (and validation batches) of the untimed warm-up, with the last ones
/// (wgpu compiles and tunes kernels for every new shape, and the last batch is smaller
/// when the batch size does not divide the split).
const WARMUP_STEPS: usize = 5;

/// The minimal burn loop [`Training::epoch_speed`] compares a run with: one pass over the
/// training batches (forward, burn's cross-entropy, backward, burn's Adam at `config.lr`
/// with PyTorch's ε), then the validation forward passes; the last loss and logits are
/// read back so an asynchronous backend has finished. With `limit`, only the first `limit`
/// and the last batch of each split are computed: the warm-up.
fn minimal_epoch<M, I, T, E>(
    model: M,
    data: &RunData<I, T, E>,
    config: &crate::FitConfig,
    ad: &Device,
    limit: Option<usize>,
) -> Result<(), TrainError>
where
    M: Classifier,
    I: Clone + Send + Sync + std::fmt::Debug + 'static,
    T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    E: Batcher<I, Labelled<M::Input>> + Clone + 'static,
{
    let mut model = model.train();
    let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let loss_fn = CrossEntropyLossConfig::new().init(ad);
    let mut last_loss = None;
    let train = train_loader(config, data).to_device(ad);
    let warm = |i: usize, batches: usize| limit.is_none_or(|k| i < k || i + 1 == batches);
    let batches = train.num_items().div_ceil(config.batch_size);
    for (i, batch) in train.iter().enumerate() {
        let (input, targets) = batch.map_err(data_error("train"))?;
        if !warm(i, batches) {
            continue;
        }
        let loss = loss_fn.forward(model.logits(input), targets);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(config.lr, model, grads);
        last_loss = Some(loss);
    }
    if let Some(loss) = last_loss {
        let _ = loss.into_data();
    }
    let model = model.valid();
    let valid = valid_loader(config, data).to_device(&ad.clone().inner());
    let mut last = None;
    let batches = valid
        .num_items()
        .div_ceil(valid_batch_size(config.batch_size));
    for (i, batch) in valid.iter().enumerate() {
        let (input, _) = batch.map_err(data_error("valid"))?;
        if warm(i, batches) {
            last = Some(model.logits(input));
        }
    }
    if let Some(logits) = last {
        let _ = logits.into_data();
    }
    Ok(())
}

/// Turns a loader's error into the run's, naming the split.
fn data_error(split: &'static str) -> impl Fn(burn::data::dataset::DatasetError) -> TrainError {
    move |e| TrainError::Data {
        split,
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, run_s: f64) -> EpochSpeed {
        EpochSpeed {
            backend: name.into(),
            device: String::new(),
            train_items: 1000,
            valid_items: 200,
            warmup_s: 0.1,
            loader_s: 0.5,
            raw_s: 4.0,
            run_s,
            valid_accuracy: 90.0,
            speed_vs_first: 1.0,
        }
    }

    #[test]
    fn rates_overhead_and_headroom_follow_from_the_seconds() {
        let r = row("flex", 5.0);
        assert_eq!(r.loader_items_per_s(), 2000.0);
        assert_eq!(r.run_items_per_s(), 240.0);
        assert!((r.overhead() - 0.25).abs() < 1e-12);
        assert_eq!(r.loader_headroom(), 8.0);
    }

    #[test]
    fn a_pushed_row_gets_its_ratio_to_the_first_and_the_table_shows_it() {
        let mut table = EpochComparison::new("net", 64);
        table.push(row("flex", 6.0));
        table.push(row("pytorch", 3.0));
        assert_eq!(table.rows[1].speed_vs_first, 2.0);
        let text = table.to_string();
        assert!(text.contains("1000 train + 200 valid"), "{text}");
        assert!(text.lines().nth(3).unwrap().contains("2.00×"), "{text}");
    }
}
