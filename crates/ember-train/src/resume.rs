//! Resuming a run from its latest checkpoint, and what makes the resumed run repeat an
//! uninterrupted one bit for bit.
//!
//! At the end of every epoch a run with checkpoints leaves, in `burn/checkpoint/`, burn-train's
//! three records (`model-E.bpk`, `optim-E.bpk`, `scheduler-E.bpk`) and Ember's
//! `state-E.json` (the metrics of epochs 1..=E and the first training loss), each written to
//! a temporary file, synced and renamed into place: a file is there whole or not at all. A
//! run stopped inside an epoch (Ctrl-C, SIGTERM, [`Training::interrupter`](crate::Training::interrupter))
//! also leaves `partial/`: the same three records after its last training batch and
//! `partial/state-E.json` ([`PartialState`]: the batch and the training metrics of the
//! epoch's batches so far). A resume starts after the latest epoch all four files are there
//! for, or, when `partial/` holds the epoch after it, after that batch.
//!
//! The rest of a run's state is made a function of the seed, the epoch and the batch rather
//! than saved: every training batch reseeds the device's generator (dropout) from
//! [`step_seed`]; every epoch from the second reseeds the data's own generators
//! ([`RunData::reseed_each_epoch`](crate::RunData::reseed_each_epoch), e.g. augmentation)
//! from [`epoch_seed`]; the data order of epoch E is what the loader gives on its E-th pass,
//! so a resumed run first passes over the epochs its checkpoint holds, and makes (and drops)
//! the batches of a partial epoch it holds, so the data's generators draw what they drew.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use burn::data::dataloader::{DataLoader, DataLoaderIterator};
use burn::optim::lr_scheduler::LrSchedulerRecord;
use burn::optim::OptimizerRecord;
use burn::prelude::Device;
use burn::store::ModuleRecord;
use burn::train::checkpoint::{Checkpoint, Checkpointer, CheckpointerError};

use crate::epoch_log::EpochMetrics;
use crate::run_dir::{remove_scratch, write_atomically};
use crate::TrainError;

/// burn-train's checkpoint folder, inside a run's `burn/`.
pub(crate) const CHECKPOINT_DIR: &str = "checkpoint";

/// The folder, inside [`CHECKPOINT_DIR`], of the state a run stopped inside an epoch keeps.
pub(crate) const PARTIAL_DIR: &str = "partial";

/// A generator reseeded at the start of every epoch from the second (see
/// [`RunData::reseed_each_epoch`](crate::RunData::reseed_each_epoch)).
pub(crate) type Reseed = Arc<dyn Fn(u64) + Send + Sync>;

/// The seed of epoch `epoch`'s generators in a run seeded by `seed`: SplitMix64 of the pair,
/// so neighbouring epochs (and neighbouring run seeds) get unrelated streams.
pub fn epoch_seed(seed: u64, epoch: usize) -> u64 {
    let mut z = seed ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of the device's generator (dropout) for training batch `batch` of epoch `epoch`
/// (both from 1) in a run seeded by `seed`: every batch's masks depend on the run's seed and
/// where the batch is alone, so a run resumed at any batch draws what the uninterrupted run
/// drew.
pub fn step_seed(seed: u64, epoch: usize, batch: usize) -> u64 {
    epoch_seed(epoch_seed(seed, epoch), batch)
}

/// What Ember keeps besides burn-train's records at the end of an epoch. The numbers are
/// kept as their bits: serde_json's float parsing does not always give back the last bit,
/// and a resumed run's `metrics.csv` must equal the uninterrupted run's.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct EpochState {
    /// The epoch that ended, from 1.
    pub(crate) epoch: usize,
    /// The metrics of epochs 1..=epoch: train loss, train accuracy, valid loss, valid
    /// accuracy and seconds, as `f64::to_bits`.
    metrics: Vec<[u64; 5]>,
    /// The run's first training loss (what the divergence guard compares with), as bits.
    first_loss: Option<u64>,
}

impl EpochState {
    /// The state after the last of `epochs`.
    pub(crate) fn new(epochs: &[EpochMetrics], first_loss: Option<f64>) -> Self {
        EpochState {
            epoch: epochs.len(),
            metrics: epochs
                .iter()
                .map(|e| {
                    [
                        e.train_loss,
                        e.train_accuracy,
                        e.valid_loss,
                        e.valid_accuracy,
                        e.seconds,
                    ]
                    .map(f64::to_bits)
                })
                .collect(),
            first_loss: first_loss.map(f64::to_bits),
        }
    }

    /// The metrics of epochs 1..=epoch.
    pub(crate) fn epochs(&self) -> Vec<EpochMetrics> {
        (1..)
            .zip(&self.metrics)
            .map(|(epoch, bits)| {
                let [train_loss, train_accuracy, valid_loss, valid_accuracy, seconds] =
                    bits.map(f64::from_bits);
                EpochMetrics {
                    epoch,
                    train_loss,
                    train_accuracy,
                    valid_loss,
                    valid_accuracy,
                    seconds,
                }
            })
            .collect()
    }

    /// The run's first training loss.
    pub(crate) fn first_loss(&self) -> Option<f64> {
        self.first_loss.map(f64::from_bits)
    }
}

/// `state-E.json` in `dir`.
pub(crate) fn state_path(dir: &Path, epoch: usize) -> PathBuf {
    dir.join(format!("state-{epoch}.json"))
}

/// Writes `state` ([`EpochState`] or [`PartialState`]) as `state-E.json` of `dir`,
/// atomically.
pub(crate) fn write_state(
    dir: &Path,
    epoch: usize,
    state: &impl serde::Serialize,
) -> Result<(), String> {
    let json = serde_json::to_vec(state).map_err(|e| e.to_string())?;
    write_atomically(&state_path(dir, epoch), &json).map_err(|e| e.to_string())
}

/// `state-E.json` of `dir`, when it is there and parses.
fn read_state<S: serde::de::DeserializeOwned>(dir: &Path, epoch: usize) -> Option<S> {
    let bytes = std::fs::read(state_path(dir, epoch)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// One training batch's entry of a metric, as burn-train logs it: the batch's mean (as
/// bits) and its number of examples.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct BatchEntry {
    pub(crate) mean: u64,
    pub(crate) count: usize,
}

/// What Ember keeps besides burn-train's records when a run stops inside an epoch.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct PartialState {
    /// The epoch it stopped in, from 1.
    pub(crate) epoch: usize,
    /// The training batches of that epoch done: a resume trains on from the next.
    pub(crate) batch: usize,
    /// Seconds the epoch had run, as bits.
    seconds: u64,
    /// The run's first training loss, as bits.
    first_loss: Option<u64>,
    /// The training split's entries of each metric (by burn-train's name) for those batches.
    pub(crate) train: Vec<(String, Vec<BatchEntry>)>,
}

impl PartialState {
    pub(crate) fn new(
        epoch: usize,
        batch: usize,
        seconds: f64,
        first_loss: Option<f64>,
        train: Vec<(String, Vec<BatchEntry>)>,
    ) -> Self {
        PartialState {
            epoch,
            batch,
            seconds: seconds.to_bits(),
            first_loss: first_loss.map(f64::to_bits),
            train,
        }
    }

    /// Seconds the epoch had run when it stopped.
    pub(crate) fn seconds(&self) -> f64 {
        f64::from_bits(self.seconds)
    }

    /// The run's first training loss.
    pub(crate) fn first_loss(&self) -> Option<f64> {
        self.first_loss.map(f64::from_bits)
    }
}

/// burn-train's three records of a checkpoint, read.
pub(crate) struct Records {
    pub(crate) model: ModuleRecord,
    pub(crate) optim: OptimizerRecord,
    pub(crate) scheduler: LrSchedulerRecord,
}

impl Records {
    /// `model-E.bpk`, `optim-E.bpk` and `scheduler-E.bpk` of `dir`, if all three read;
    /// `in_memory`: their bytes read whole, rather than left in the files for burn to read
    /// when it needs them (a partial checkpoint is removed once its epoch is checkpointed,
    /// possibly before the optimizer's state was first needed).
    fn read(dir: &Path, epoch: usize, in_memory: bool) -> Option<Records> {
        let record = |name: &str| dir.join(format!("{name}-{epoch}.bpk"));
        if in_memory {
            let bytes = |name: &str| {
                std::fs::read(record(name))
                    .ok()
                    .map(burn::tensor::Bytes::from_bytes_vec)
            };
            return Some(Records {
                model: ModuleRecord::from_bytes(bytes("model")?).ok()?,
                optim: OptimizerRecord::from_bytes(bytes("optim")?).ok()?,
                scheduler: LrSchedulerRecord::from_bytes(bytes("scheduler")?).ok()?,
            });
        }
        Some(Records {
            model: ModuleRecord::load(record("model")).ok()?,
            optim: OptimizerRecord::load(record("optim")).ok()?,
            scheduler: LrSchedulerRecord::load(record("scheduler")).ok()?,
        })
    }
}

/// The latest complete epoch's checkpoint, its records read and checked.
pub(crate) struct EpochPoint {
    pub(crate) state: EpochState,
    records: Records,
}

/// A stop inside the epoch after the latest complete one, its records read and checked.
pub(crate) struct PartialPoint {
    pub(crate) state: PartialState,
    pub(crate) records: Records,
}

/// Where a resumed run carries on: after its latest complete epoch, or inside the epoch
/// after it; at least one of the two is there.
pub(crate) struct ResumePoint {
    pub(crate) epoch: Option<EpochPoint>,
    pub(crate) partial: Option<PartialPoint>,
}

impl std::fmt::Debug for ResumePoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResumePoint")
            .field("epoch", &self.epoch.as_ref().map(|p| &p.state))
            .field("partial", &self.partial.as_ref().map(|p| &p.state))
            .finish()
    }
}

/// Where a run checkpointed in `dir` (its `burn/checkpoint`) carries on: the latest epoch
/// whose state and three records are all there and readable, and a stop inside the epoch
/// after it that `dir/partial` holds whole; `None` when there is neither (the run then starts
/// over, which gives the same result). Scratch files a killed run left behind are removed
/// first, and a `partial/` that is not the epoch after the latest complete one.
///
/// # Errors
/// [`TrainError::Io`] when the folder cannot be read.
pub(crate) fn latest(dir: &Path) -> Result<Option<ResumePoint>, TrainError> {
    if !dir.is_dir() {
        return Ok(None);
    }
    remove_scratch(dir)?;
    let mut epochs: Vec<usize> = std::fs::read_dir(dir)
        .map_err(|e| TrainError::io(dir, e))?
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_prefix("state-")?
                .strip_suffix(".json")?
                .parse()
                .ok()
        })
        .collect();
    epochs.sort_unstable_by(|a, b| b.cmp(a));
    let complete = epochs.into_iter().find_map(|epoch| {
        let state = read_state::<EpochState>(dir, epoch)
            .filter(|s| s.epoch == epoch && s.metrics.len() == epoch)?;
        let records = Records::read(dir, epoch, false)?;
        Some(EpochPoint { state, records })
    });
    let next = complete.as_ref().map_or(0, |p| p.state.epoch) + 1;
    let partial = partial_at(&dir.join(PARTIAL_DIR), next)?;
    if complete.is_none() && partial.is_none() {
        return Ok(None);
    }
    Ok(Some(ResumePoint {
        epoch: complete,
        partial,
    }))
}

/// The stop inside epoch `epoch` that `dir` (a checkpoint's `partial/`) holds whole; any
/// other content of `dir` (an older epoch's, or half written) is removed.
fn partial_at(dir: &Path, epoch: usize) -> Result<Option<PartialPoint>, TrainError> {
    if !dir.is_dir() {
        return Ok(None);
    }
    remove_scratch(dir)?;
    let state = read_state::<PartialState>(dir, epoch).filter(|s| s.epoch == epoch && s.batch > 0);
    let point = state.and_then(|state| {
        let records = Records::read(dir, epoch, true)?;
        Some(PartialPoint { state, records })
    });
    if point.is_none() {
        remove_partial(dir)?;
    }
    Ok(point)
}

/// Removes a checkpoint's `partial/` folder, once the run has gone past it.
pub(crate) fn remove_partial(dir: &Path) -> Result<(), TrainError> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(TrainError::io(dir, e)),
        _ => Ok(()),
    }
}

/// burn-train's three checkpointers of a run, writing each record atomically into `dir`.
pub(crate) type Checkpointers = (
    FolderCheckpointer<ModuleRecord>,
    FolderCheckpointer<OptimizerRecord>,
    FolderCheckpointer<LrSchedulerRecord>,
);

/// The checkpointers of a run writing into `dir`; when it resumes from `point`, they hand
/// its records (already read) to burn-train when it restores that epoch, and its state is
/// returned.
pub(crate) fn checkpointers(
    dir: &Path,
    point: Option<EpochPoint>,
) -> (Checkpointers, Option<EpochState>) {
    let mut model = FolderCheckpointer::new(dir, "model");
    let mut optim = FolderCheckpointer::new(dir, "optim");
    let mut scheduler = FolderCheckpointer::new(dir, "scheduler");
    let state = point.map(|point| {
        let epoch = point.state.epoch;
        let Records {
            model: m,
            optim: o,
            scheduler: s,
        } = point.records;
        model.preloaded = Mutex::new(Some((epoch, m)));
        optim.preloaded = Mutex::new(Some((epoch, o)));
        scheduler.preloaded = Mutex::new(Some((epoch, s)));
        point.state
    });
    ((model, optim, scheduler), state)
}

/// A burn-train checkpointer saving `NAME-EPOCH.bpk` files in a folder through a synced
/// temporary file and a rename (burn's `FileCheckpointer` writes in place, so a run killed
/// mid-save would leave half a file under the final name). The model's checkpointer also
/// removes the epoch's `state-E.json` with its records.
pub(crate) struct FolderCheckpointer<R> {
    dir: PathBuf,
    name: &'static str,
    preloaded: Mutex<Option<(usize, R)>>,
}

impl<R> FolderCheckpointer<R> {
    fn new(dir: &Path, name: &'static str) -> Self {
        FolderCheckpointer {
            dir: dir.to_path_buf(),
            name,
            preloaded: Mutex::new(None),
        }
    }

    fn path(&self, epoch: usize) -> PathBuf {
        self.dir.join(format!("{}-{epoch}.bpk", self.name))
    }
}

impl<R: Checkpoint> Checkpointer<R> for FolderCheckpointer<R> {
    fn save(&self, epoch: usize, record: R) -> Result<(), CheckpointerError> {
        std::fs::create_dir_all(&self.dir).map_err(CheckpointerError::IOError)?;
        let scratch =
            ember_fs::scratch_path(&self.dir, ".bpk").map_err(CheckpointerError::IOError)?;
        record.save(scratch.to_path_buf())?;
        ember_fs::sync_and_rename(scratch, &self.path(epoch)).map_err(CheckpointerError::IOError)
    }

    fn delete(&self, epoch: usize) -> Result<(), CheckpointerError> {
        let mut doomed = vec![self.path(epoch)];
        if self.name == "model" {
            doomed.push(state_path(&self.dir, epoch));
        }
        for path in doomed {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(CheckpointerError::IOError(e));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn restore(&self, epoch: usize) -> Result<R, CheckpointerError> {
        let mut preloaded = self.preloaded.lock().unwrap_or_else(|e| e.into_inner());
        match preloaded.take() {
            Some((at, record)) if at == epoch => Ok(record),
            _ => R::load(self.path(epoch)),
        }
    }
}

/// The training loader of a run: each pass is an epoch. Passes over the `done` epochs a
/// checkpoint already holds only draw their order; every epoch from the second then starts
/// by reseeding `reseed` (the data's generators) from [`epoch_seed`].
pub(crate) struct EpochLoader<O> {
    inner: Arc<dyn DataLoader<O>>,
    seed: u64,
    done: usize,
    /// Passes begun, shared with the loaders `to_device` and `slice` make.
    passes: Arc<AtomicUsize>,
    reseed: Vec<Reseed>,
}

impl<O> EpochLoader<O> {
    pub(crate) fn new(
        inner: Arc<dyn DataLoader<O>>,
        seed: u64,
        done: usize,
        reseed: Vec<Reseed>,
    ) -> Self {
        EpochLoader {
            inner,
            seed,
            done,
            passes: Arc::new(AtomicUsize::new(0)),
            reseed,
        }
    }

    fn with(&self, inner: Arc<dyn DataLoader<O>>) -> Self {
        EpochLoader {
            inner,
            seed: self.seed,
            done: self.done,
            passes: self.passes.clone(),
            reseed: self.reseed.clone(),
        }
    }
}

impl<O: Send + 'static> DataLoader<O> for EpochLoader<O> {
    fn iter<'a>(&'a self) -> Box<dyn DataLoaderIterator<O> + 'a> {
        loop {
            let epoch = self.passes.fetch_add(1, Ordering::Relaxed) + 1;
            if epoch <= self.done {
                // Only the shuffle of an epoch the checkpoint holds: no batch is made.
                drop(self.inner.iter());
                continue;
            }
            if epoch >= 2 {
                let seed = epoch_seed(self.seed, epoch);
                for reseed in &self.reseed {
                    reseed(seed);
                }
            }
            return self.inner.iter();
        }
    }

    fn num_items(&self) -> usize {
        self.inner.num_items()
    }

    fn to_device(&self, device: &Device) -> Arc<dyn DataLoader<O>> {
        Arc::new(self.with(self.inner.to_device(device)))
    }

    fn slice(&self, start: usize, end: usize) -> Arc<dyn DataLoader<O>> {
        Arc::new(self.with(self.inner.slice(start, end)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataloader::DataLoaderBuilder;
    use burn::data::dataset::InMemDataset;

    #[derive(Clone)]
    struct Collect;

    impl burn::data::dataloader::batcher::Batcher<usize, Vec<usize>> for Collect {
        fn batch(&self, items: Vec<usize>, _device: &Device) -> Vec<usize> {
            items
        }
    }

    fn shuffled() -> Arc<dyn DataLoader<Vec<usize>>> {
        DataLoaderBuilder::new(Collect)
            .batch_size(4)
            .shuffle(5)
            .build(InMemDataset::new((0..10).collect::<Vec<usize>>()))
    }

    fn pass(loader: &dyn DataLoader<Vec<usize>>) -> Vec<usize> {
        loader.iter().flat_map(|b| b.unwrap()).collect()
    }

    #[test]
    fn a_resumed_loader_gives_the_orders_of_the_epochs_after_its_checkpoint() {
        // As burn-train uses them: moved to the device first (which forks the generator).
        let plain = shuffled().to_device(&Device::flex());
        let orders: Vec<Vec<usize>> = (0..4).map(|_| pass(plain.as_ref())).collect();
        assert_ne!(orders[0], orders[1], "each pass shuffles anew");
        let resumed = EpochLoader::new(shuffled(), 1, 2, Vec::new());
        let on_device = resumed.to_device(&Device::flex());
        assert_eq!(pass(on_device.as_ref()), orders[2]);
        assert_eq!(pass(on_device.as_ref()), orders[3]);
    }

    #[test]
    fn epochs_from_the_second_reseed_from_the_run_seed_and_the_epoch() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let reseed: Reseed = Arc::new(move |s| log.lock().unwrap().push(s));
        let loader = EpochLoader::new(shuffled(), 9, 1, vec![reseed]);
        for _ in 0..2 {
            let _ = pass(&loader);
        }
        // Epoch 1 is held by the checkpoint; epochs 2 and 3 reseed.
        assert_eq!(*seen.lock().unwrap(), [epoch_seed(9, 2), epoch_seed(9, 3)]);
        let fresh = EpochLoader::new(shuffled(), 9, 0, Vec::new());
        let _ = pass(&fresh);
        assert_eq!(fresh.passes.load(Ordering::Relaxed), 1);
        assert_ne!(epoch_seed(9, 2), epoch_seed(9, 3));
        assert_ne!(epoch_seed(9, 2), epoch_seed(10, 2));
    }

    #[test]
    fn a_state_gives_back_every_bit_of_its_metrics() {
        // 95/96 in percent: a value serde_json's default parser reads back one bit off.
        let tricky = EpochMetrics {
            epoch: 1,
            train_loss: 0.1 + 0.2,
            train_accuracy: 98.958_333_333_333_33,
            valid_loss: f64::MIN_POSITIVE,
            valid_accuracy: 100.0 * 95.0 / 96.0,
            seconds: 1e-300,
        };
        let state = EpochState::new(std::slice::from_ref(&tricky), Some(std::f64::consts::LN_10));
        let back: EpochState =
            serde_json::from_slice(&serde_json::to_vec(&state).unwrap()).unwrap();
        assert_eq!(back.epochs(), vec![tricky]);
        assert_eq!(back.first_loss(), Some(std::f64::consts::LN_10));
    }

    #[test]
    fn the_latest_complete_epoch_is_resumed_and_scratch_files_are_removed() {
        use burn::module::Module;
        use burn::nn::LinearConfig;
        let dir = tempfile::tempdir().unwrap();
        let device = Device::flex();
        let ((model, optim, scheduler), _) = checkpointers(dir.path(), None);
        let linear = LinearConfig::new(2, 3).init(&device);
        for epoch in 1..=3 {
            let state = EpochState::new(&vec![EpochMetrics::default(); epoch], Some(2.3));
            write_state(dir.path(), epoch, &state).unwrap();
            model.save(epoch, linear.clone().into_record()).unwrap();
            if epoch < 3 {
                // Epoch 3 was killed after its model record: not complete.
                optim.save(epoch, OptimizerRecord::default()).unwrap();
                scheduler.save(epoch, LrSchedulerRecord::new()).unwrap();
            }
        }
        std::fs::write(dir.path().join(".partial-KILLED.bpk"), b"half a fi").unwrap();
        let point = latest(dir.path()).unwrap().expect("epoch 2 is complete");
        assert_eq!(point.epoch.unwrap().state.epoch, 2);
        assert!(point.partial.is_none());
        assert!(!dir.path().join(".partial-KILLED.bpk").exists());

        // A stop inside epoch 3 is resumed from; one inside epoch 2 is history, removed.
        // The three records and the state of a stop inside `state.epoch`, in `partial`.
        let keep_partial = |partial: &Path, state: PartialState| {
            let ((model, optim, scheduler), _) = checkpointers(partial, None);
            let epoch = state.epoch;
            write_state(partial, epoch, &state).unwrap();
            model.save(epoch, linear.clone().into_record()).unwrap();
            optim.save(epoch, OptimizerRecord::default()).unwrap();
            scheduler.save(epoch, LrSchedulerRecord::new()).unwrap();
        };
        let partial = dir.path().join(PARTIAL_DIR);
        let inside_3 = || PartialState::new(3, 4, 1.5, Some(2.3), Vec::new());
        keep_partial(&partial, inside_3());
        let point = latest(dir.path()).unwrap().unwrap();
        assert_eq!(point.epoch.unwrap().state.epoch, 2);
        let inside = point.partial.expect("the stop inside epoch 3");
        assert_eq!((inside.state.epoch, inside.state.batch), (3, 4));
        assert_eq!(inside.state.seconds(), 1.5);
        // Half written (its state missing): not resumed from, removed.
        std::fs::remove_file(state_path(&partial, 3)).unwrap();
        assert!(latest(dir.path()).unwrap().unwrap().partial.is_none());
        assert!(!partial.exists());

        model.delete(2).unwrap();
        assert!(!state_path(dir.path(), 2).exists());
        keep_partial(&partial, inside_3());
        let point = latest(dir.path()).unwrap().unwrap();
        assert_eq!(point.epoch.unwrap().state.epoch, 1);
        assert!(
            point.partial.is_none(),
            "epoch 3 is not the one after epoch 1"
        );
        assert!(!partial.exists());
        assert!(latest(&dir.path().join("none")).unwrap().is_none());

        // Only a stop inside epoch 1: resumed from, with no complete epoch.
        let fresh = tempfile::tempdir().unwrap();
        keep_partial(
            &fresh.path().join(PARTIAL_DIR),
            PartialState::new(1, 2, 0.5, None, Vec::new()),
        );
        let point = latest(fresh.path()).unwrap().unwrap();
        assert!(point.epoch.is_none());
        assert_eq!(point.partial.unwrap().state.batch, 2);
    }

    mod whole_run {
        use std::sync::atomic::AtomicUsize;

        use burn::data::dataloader::batcher::Batcher;
        use burn::module::Module;
        use burn::nn::{Linear, LinearConfig};
        use burn::prelude::*;
        use burn::train::Interrupter;
        use rand::rngs::StdRng;
        use rand::{RngExt, SeedableRng};

        use crate::{
            Classifier, FitConfig, Kept, Labelled, RunData, RunRecord, TrainError, Training,
        };

        use super::*;

        #[derive(Module, Debug)]
        struct Noisy {
            linear: Linear,
        }

        impl Classifier for Noisy {
            type Input = Tensor<2>;
            fn logits(&self, points: Tensor<2>) -> Tensor<2> {
                self.linear.forward(points)
            }
            fn num_classes(&self) -> Option<usize> {
                Some(2)
            }
        }

        /// `(x, y)` points labelled by `y > x`, jittered by a generator of its own (as an
        /// augmentation is); it can stop a run after so many training batches, as Ctrl-C
        /// would.
        #[derive(Clone)]
        struct Jitter {
            /// None for the validation and test batches, which are not jittered.
            rng: Option<Arc<Mutex<StdRng>>>,
            batches: Arc<AtomicUsize>,
            stop_after: Option<(usize, Interrupter)>,
        }

        impl Batcher<[f32; 2], Labelled<Tensor<2>>> for Jitter {
            fn batch(&self, items: Vec<[f32; 2]>, device: &Device) -> Labelled<Tensor<2>> {
                let made = self.batches.fetch_add(1, Ordering::SeqCst) + 1;
                if let Some((after, interrupter)) = &self.stop_after {
                    if made == *after {
                        interrupter.stop(Some("a test's Ctrl-C"));
                    }
                }
                let labels: Vec<i64> = items.iter().map(|[x, y]| i64::from(y > x)).collect();
                let mut flat: Vec<f32> = items.iter().flatten().copied().collect();
                if let Some(rng) = &self.rng {
                    let mut rng = rng.lock().unwrap();
                    flat.iter_mut()
                        .for_each(|v| *v += rng.random_range(-0.05..0.05));
                }
                let n = items.len();
                let points = Tensor::from_data(TensorData::new(flat, [n, 2]), device);
                (
                    points,
                    Tensor::from_data(TensorData::new(labels, [n]), device),
                )
            }
        }

        /// The run's data; `stop_after`: stop once that many training batches were made;
        /// `stop_evaluating`: once that many validation (or test) batches were.
        fn data_stopping(
            stop_after: Option<(usize, Interrupter)>,
            stop_evaluating: Option<(usize, Interrupter)>,
        ) -> RunData<[f32; 2], Jitter, Jitter> {
            let grid = |offset: f32| -> Vec<[f32; 2]> {
                (0..96)
                    .map(|i| {
                        [
                            (i % 12) as f32 / 6.0 - 1.0 + offset,
                            (i / 12) as f32 / 4.0 - 1.0,
                        ]
                    })
                    .collect()
            };
            let rng = Arc::new(Mutex::new(StdRng::seed_from_u64(1)));
            let reseeded = rng.clone();
            let batcher = |rng, stop_after| Jitter {
                rng,
                batches: Arc::default(),
                stop_after,
            };
            let train = batcher(Some(rng), stop_after);
            RunData::new(
                burn::data::dataset::InMemDataset::new(grid(0.0)),
                burn::data::dataset::InMemDataset::new(grid(0.03)),
                burn::data::dataset::InMemDataset::new(grid(0.06)),
                batcher(None, stop_evaluating),
                vec!["below".into(), "above".into()],
            )
            .with_train_batcher(train)
            .reseed_each_epoch(move |seed| *reseeded.lock().unwrap() = StdRng::seed_from_u64(seed))
        }

        fn data(stop_after: Option<(usize, Interrupter)>) -> RunData<[f32; 2], Jitter, Jitter> {
            data_stopping(stop_after, None)
        }

        /// Weights written out rather than drawn: burn's generator is one per process, and
        /// the tests of this crate run in parallel threads (dropout's reseeding per epoch is
        /// checked by xtask's kill-and-resume test, in processes of its own).
        fn model() -> Noisy {
            let device = Device::flex();
            let mut linear = LinearConfig::new(2, 2).init(&device);
            let weight = TensorData::new(vec![0.3f32, -0.2, -0.4, 0.5], [2, 2]);
            linear.weight = burn::module::Param::from_tensor(Tensor::from_data(weight, &device));
            let bias = TensorData::new(vec![0.1f32, -0.1], [2]);
            linear.bias = Some(burn::module::Param::from_tensor(Tensor::from_data(
                bias, &device,
            )));
            Noisy { linear }
        }

        fn config() -> FitConfig {
            FitConfig::new()
                .with_epochs(4)
                .with_batch_size(16)
                .with_lr(0.05)
                .with_seed(8)
        }

        fn weights(model: &Noisy) -> Vec<f32> {
            let mut all = model
                .linear
                .weight
                .val()
                .into_data()
                .try_to_vec::<f32>()
                .unwrap();
            all.extend(
                model
                    .linear
                    .bias
                    .as_ref()
                    .unwrap()
                    .val()
                    .into_data()
                    .try_to_vec::<f32>()
                    .unwrap(),
            );
            all
        }

        fn without_seconds(epochs: &[EpochMetrics]) -> Vec<EpochMetrics> {
            epochs
                .iter()
                .map(|e| EpochMetrics {
                    seconds: 0.0,
                    ..e.clone()
                })
                .collect()
        }

        #[test]
        fn a_run_stopped_mid_epoch_and_resumed_ends_as_the_uninterrupted_run_bit_for_bit() {
            let dir = tempfile::tempdir().unwrap();
            let record = || RunRecord::new(config());
            let whole = Training::new(config())
                .run(model(), data(None), record(), dir.path().join("whole"))
                .unwrap();
            // Resumes the run in `out`: it ends as the uninterrupted one, bit for bit.
            let resumes_as_whole = |out: &Path| {
                let resumed = Training::new(config())
                    .resume()
                    .run(model(), data(None), record(), out)
                    .unwrap();
                assert_eq!(
                    without_seconds(&resumed.epochs),
                    without_seconds(&whole.epochs)
                );
                assert_eq!(weights(&resumed.model), weights(&whole.model));
                assert_eq!(resumed.test.loss.to_bits(), whole.test.loss.to_bits());
            };

            // 6 batches an epoch: asked to stop while the 3rd batch of epoch 3 is made (the
            // loader may have made the next one already when the step sees the stop).
            let stopped = Training::new(config());
            let stop = Some((15, stopped.interrupter()));
            let cut = dir.path().join("cut");
            match stopped.run(model(), data(stop), record(), &cut) {
                Err(TrainError::Interrupted {
                    epoch: 3,
                    batch: batch @ (3 | 4),
                    kept:
                        Kept::Batch {
                            epoch: 3,
                            batch: kept,
                        },
                    ..
                }) if kept == batch => {}
                other => panic!("expected a stop at epoch 3, batch 3: {other:?}"),
            }
            assert!(cut.join(crate::files::FAILED).is_file());
            assert!(!cut.join(crate::files::MODEL).exists());
            let partial = cut.join("burn").join(CHECKPOINT_DIR).join(PARTIAL_DIR);
            assert!(state_path(&partial, 3).is_file());

            resumes_as_whole(&cut);
            assert!(!cut.join(crate::files::FAILED).exists());
            assert!(
                !partial.exists(),
                "epoch 3's checkpoint supersedes the stop inside it"
            );

            // Stopped as epoch 3's last training batch is made: its training is kept whole
            // (or all but the last batch), and the resume validates it.
            let stopped = Training::new(config());
            let stop = Some((18, stopped.interrupter()));
            let late = dir.path().join("late");
            match stopped.run(model(), data(stop), record(), &late) {
                Err(TrainError::Interrupted {
                    kept:
                        Kept::Batch {
                            epoch: 3,
                            batch: 5 | 6,
                        },
                    ..
                }) => {}
                other => panic!("expected a stop at the end of epoch 3: {other:?}"),
            }
            resumes_as_whole(&late);

            // Stopped while validating epoch 3 (one validation batch an epoch): its training
            // is kept whole, no epoch 3 is recorded, and the resume validates it again.
            let stopped = Training::new(config());
            let stop = Some((3, stopped.interrupter()));
            let validating = dir.path().join("validating");
            match stopped.run(model(), data_stopping(None, stop), record(), &validating) {
                Err(TrainError::Interrupted {
                    kept: Kept::Batch { epoch: 3, batch: 6 },
                    ..
                }) => {}
                other => panic!("expected a stop while validating epoch 3: {other:?}"),
            }
            let recorded =
                std::fs::read_to_string(validating.join(crate::files::METRICS)).unwrap_or_default();
            assert_eq!(
                recorded.lines().count(),
                3,
                "a header and epochs 1, 2: {recorded}"
            );
            resumes_as_whole(&validating);

            // Finished: nothing is left to resume.
            let again = Training::new(config())
                .resume()
                .run(model(), data(None), record(), &cut);
            assert!(
                matches!(again, Err(TrainError::Invalid { .. })),
                "{again:?}"
            );
            // Another configuration is refused rather than mixed with the run's.
            let other = dir.path().join("other");
            let first = Training::new(config());
            let stop = Some((3, first.interrupter()));
            let _ = first.run(model(), data(stop), record(), &other);
            let changed = config().with_lr(0.5);
            let refused = Training::new(changed.clone()).resume().run(
                model(),
                data(None),
                RunRecord::new(changed),
                &other,
            );
            match refused {
                Err(TrainError::Invalid { message, .. }) => {
                    assert!(message.contains("training configuration"), "{message}")
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
