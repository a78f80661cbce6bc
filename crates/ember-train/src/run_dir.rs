//! The run folder: configuration, metrics, curves, summary, weights and test report of one
//! run, each file written in one place.

use std::path::{Path, PathBuf};

use burn::module::Module;

use crate::confusion_plot::plot_confusion;
use crate::curves::plot_curves;
use crate::epoch_log::EpochMetrics;
use crate::evaluate::Evaluation;
use crate::record::RunRecord;
use crate::TrainError;

/// The file names inside a run folder.
pub mod files {
    /// Everything needed to reproduce the run (JSON).
    pub const CONFIG: &str = "config.json";
    /// One line per epoch: losses, accuracies, seconds.
    pub const METRICS: &str = "metrics.csv";
    /// Loss and accuracy curves.
    pub const CURVES: &str = "curves.png";
    /// The model summary table.
    pub const SUMMARY: &str = "summary.txt";
    /// The final weights (burnpack).
    pub const MODEL: &str = "model.bpk";
    /// The SHA-256 of [`MODEL`] as `sha256sum` writes it (`HEX  model.bpk`), checked
    /// before the weights load (`sha256sum -c model.bpk.sha256` checks it too).
    pub const MODEL_CHECKSUM: &str = "model.bpk.sha256";
    /// Test-set scores: loss, accuracy, per-class precision/recall/F1 (JSON).
    pub const TEST: &str = "test.json";
    /// The test confusion matrix (rows: true class, columns: predicted).
    pub const CONFUSION_CSV: &str = "confusion.csv";
    /// The same as a labelled heat map.
    pub const CONFUSION_PNG: &str = "confusion.png";
    /// burn-train's logs and checkpoints.
    pub const ARTIFACTS: &str = "burn";
    /// Why the run failed, in a folder whose run did not finish (not in [`ALL`]).
    pub const FAILED: &str = "failed.txt";
    /// Every file a finished run holds, in the order they are written.
    pub const ALL: [&str; 10] = [
        CONFIG,
        SUMMARY,
        MODEL,
        MODEL_CHECKSUM,
        METRICS,
        CURVES,
        TEST,
        CONFUSION_CSV,
        CONFUSION_PNG,
        ARTIFACTS,
    ];
}

/// A run folder. Every file is written atomically (a temporary file in the folder, then a
/// rename), so an interrupted run never leaves half a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunDir {
    path: PathBuf,
}

impl RunDir {
    /// Creates the folder (and its parents) for a new run and claims it: the folder must not
    /// exist yet or be empty, and the claim (an empty `config.json`, replaced by the real one
    /// when the run starts) is made with an exclusive create, so two runs given the same
    /// folder cannot both take it.
    ///
    /// # Errors
    /// [`TrainError::Invalid`] when the folder already holds files (another run's, say: a
    /// run never overwrites one) and [`TrainError::Io`] naming the folder when it cannot be
    /// created or written (a read-only parent, a file of that name).
    pub fn create(path: impl Into<PathBuf>) -> Result<Self, TrainError> {
        let path = path.into();
        std::fs::create_dir_all(&path).map_err(|e| TrainError::io(&path, e))?;
        let occupied = |path: &Path| TrainError::Invalid {
            path: path.to_path_buf(),
            message: "the folder already holds files (another run?): a run never overwrites \
                      one; give another --out, or remove the folder first"
                .into(),
        };
        let mut entries = std::fs::read_dir(&path).map_err(|e| TrainError::io(&path, e))?;
        if entries.next().is_some() {
            return Err(occupied(&path));
        }
        let claim = path.join(files::CONFIG);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&claim)
        {
            Ok(_) => Ok(Self { path }),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(occupied(&path)),
            Err(e) => Err(TrainError::io(&claim, e)),
        }
    }

    /// `runs/<name>-<UTC time>`, e.g. `runs/lenet5-modern-mnist-20261202-031741`: the
    /// default folder of a run started now; when that folder exists already (a run started
    /// in the same second), the first free one of `…-2`, `…-3`, ….
    pub fn default_path(name: &str) -> PathBuf {
        let base = PathBuf::from("runs").join(format!("{name}-{}", crate::record::now_compact()));
        unused(base)
    }

    /// Opens an existing run folder.
    ///
    /// # Errors
    /// [`TrainError::Invalid`] when it is not a folder holding `config.json`.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, TrainError> {
        let path = path.into();
        if !path.join(files::CONFIG).is_file() {
            return Err(TrainError::Invalid {
                path: path.clone(),
                message: format!(
                    "not a run folder (no {}); pass a folder written by `cargo xtask train`",
                    files::CONFIG
                ),
            });
        }
        Ok(Self { path })
    }

    /// Opens the folder of an unfinished run to resume it with `record`'s settings: it must
    /// hold `config.json` and no test scores yet; its `failed.txt` and the scratch files a
    /// killed process left are removed.
    ///
    /// # Errors
    /// [`TrainError::Invalid`] when it is not a run folder, when the run finished already,
    /// or when `config.json` records another model or training configuration than
    /// `record` (a resume must repeat the run's settings to give its result).
    pub fn reopen(path: impl Into<PathBuf>, record: &RunRecord) -> Result<Self, TrainError> {
        let run = Self::open(path)?;
        let invalid = |message: String| TrainError::Invalid {
            path: run.path.clone(),
            message,
        };
        if run.file(files::TEST).exists() {
            return Err(invalid(format!(
                "the run finished already ({} is written): nothing to resume",
                files::TEST
            )));
        }
        // A run killed before it wrote its configuration leaves the empty claim.
        if let Ok(recorded) = run.read_json::<RunRecord>(files::CONFIG) {
            fn json(value: &impl serde::Serialize) -> String {
                serde_json::to_string(value).unwrap_or_default()
            }
            for (what, was, now) in [
                ("model", json(&recorded.model), json(&record.model)),
                (
                    "training configuration",
                    json(&recorded.fit),
                    json(&record.fit),
                ),
                (
                    "split",
                    json(&recorded.split_sizes),
                    json(&record.split_sizes),
                ),
            ] {
                if was != now {
                    return Err(invalid(format!(
                        "the run was started with another {what} ({was}, now {now}): resume \
                         it with the settings its {} records",
                        files::CONFIG
                    )));
                }
            }
        }
        match std::fs::remove_file(run.file(files::FAILED)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(TrainError::io(run.file(files::FAILED), e))
            }
            _ => {}
        }
        remove_scratch(&run.path)?;
        Ok(run)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path of `name` inside the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Writes `bytes` to `name` atomically.
    ///
    /// # Errors
    /// [`TrainError::Io`] naming the file.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, TrainError> {
        let target = self.file(name);
        write_atomically(&target, bytes)?;
        Ok(target)
    }

    /// Writes `value` as pretty JSON to `name`.
    ///
    /// # Errors
    /// [`TrainError::Io`] naming the file.
    pub fn write_json<T: serde::Serialize>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<PathBuf, TrainError> {
        let text = serde_json::to_string_pretty(value).expect("serialisable value");
        self.write(name, format!("{text}\n").as_bytes())
    }

    /// The test accuracy (%) in `test.json`: `None` when the run has not been tested (no
    /// `test.json`) or the file holds no accuracy.
    ///
    /// # Errors
    /// [`TrainError::Io`] or [`TrainError::Invalid`] naming the file.
    pub fn test_accuracy(&self) -> Result<Option<f64>, TrainError> {
        if !self.file(files::TEST).is_file() {
            return Ok(None);
        }
        let test: serde_json::Value = self.read_json(files::TEST)?;
        Ok(test["accuracy"].as_f64())
    }

    /// Reads the JSON file `name`.
    ///
    /// # Errors
    /// [`TrainError::Io`] or [`TrainError::Invalid`] naming the file.
    pub fn read_json<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, TrainError> {
        let path = self.file(name);
        let text = std::fs::read_to_string(&path).map_err(|e| TrainError::io(&path, e))?;
        serde_json::from_str(&text).map_err(|e| TrainError::Invalid {
            path,
            message: e.to_string(),
        })
    }

    /// Writes `metrics.csv`: `epoch,train_loss,train_accuracy,valid_loss,valid_accuracy,seconds`.
    ///
    /// # Errors
    /// [`TrainError::Io`] naming the file.
    pub fn write_metrics(&self, epochs: &[EpochMetrics]) -> Result<PathBuf, TrainError> {
        let mut csv = format!("{METRICS_HEADER}\n");
        for e in epochs {
            csv.push_str(&format!(
                "{},{:.6},{:.4},{:.6},{:.4},{:.2}\n",
                e.epoch, e.train_loss, e.train_accuracy, e.valid_loss, e.valid_accuracy, e.seconds
            ));
        }
        self.write(files::METRICS, csv.as_bytes())
    }

    /// Reads `metrics.csv` back (as [`write_metrics`](Self::write_metrics) wrote it).
    ///
    /// # Errors
    /// [`TrainError::Io`], or [`TrainError::Invalid`] naming the line that does not parse.
    pub fn read_metrics(&self) -> Result<Vec<EpochMetrics>, TrainError> {
        let path = self.file(files::METRICS);
        let text = std::fs::read_to_string(&path).map_err(|e| TrainError::io(&path, e))?;
        let invalid = |line: usize, what: &str| TrainError::Invalid {
            path: path.clone(),
            message: format!("line {line}: {what}; was it written by an Ember run?"),
        };
        let mut lines = text.lines();
        if lines.next() != Some(METRICS_HEADER) {
            return Err(invalid(1, &format!("the header is not `{METRICS_HEADER}`")));
        }
        lines
            .enumerate()
            .map(|(i, line)| {
                let v: Vec<f64> = line.split(',').filter_map(|f| f.parse().ok()).collect();
                match v[..] {
                    [epoch, train_loss, train_accuracy, valid_loss, valid_accuracy, seconds] => {
                        Ok(EpochMetrics {
                            epoch: epoch as usize,
                            train_loss,
                            train_accuracy,
                            valid_loss,
                            valid_accuracy,
                            seconds,
                        })
                    }
                    _ => Err(invalid(i + 2, "six numbers expected")),
                }
            })
            .collect()
    }

    /// Draws `curves.png` from the epochs' metrics.
    ///
    /// # Errors
    /// [`TrainError::Plot`] naming the file.
    pub fn plot_curves(&self, epochs: &[EpochMetrics]) -> Result<PathBuf, TrainError> {
        self.drawn(files::CURVES, |path| plot_curves(path, epochs))
    }

    /// Writes the test scores: `test.json`, `confusion.csv` and `confusion.png`.
    ///
    /// # Errors
    /// [`TrainError::Io`] or [`TrainError::Plot`] naming the file.
    pub fn write_evaluation(&self, test: &Evaluation) -> Result<(), TrainError> {
        self.write_json(files::TEST, test)?;
        self.write(files::CONFUSION_CSV, test.confusion.to_csv().as_bytes())?;
        self.drawn(files::CONFUSION_PNG, |path| {
            plot_confusion(path, &test.confusion)
        })?;
        Ok(())
    }

    /// Draws a picture into a temporary file of the folder with `draw`, then renames it to
    /// `name`, so a half-drawn picture is never left behind.
    fn drawn(
        &self,
        name: &str,
        draw: impl FnOnce(&Path) -> Result<(), TrainError>,
    ) -> Result<PathBuf, TrainError> {
        let target = self.file(name);
        draw_atomically(&target, draw)?;
        Ok(target)
    }

    /// Saves the model's weights to `model.bpk` (burn's burnpack format; burn writes it to
    /// a scratch file and renames it into place).
    ///
    /// # Errors
    /// [`TrainError::Weights`] naming the file.
    pub fn save_model<M: Module>(&self, model: &M) -> Result<PathBuf, TrainError> {
        let path = self.file(files::MODEL);
        model
            .clone()
            .save_file(&path)
            .map_err(|e| TrainError::Weights {
                path: path.clone(),
                message: e.to_string(),
            })?;
        let digest = sha256_hex(&read(&path)?);
        self.write(
            files::MODEL_CHECKSUM,
            format!("{digest}  {}\n", files::MODEL).as_bytes(),
        )?;
        Ok(path)
    }

    /// Loads `model.bpk` into `model` (built with the same configuration), after checking it
    /// against `model.bpk.sha256` (when the run wrote one: runs before it did load unchecked).
    ///
    /// # Errors
    /// [`TrainError::Weights`] naming the file when it is missing, changed since the run
    /// wrote it, corrupt, or does not fit the model's structure.
    pub fn load_model<M: Module>(&self, model: M) -> Result<M, TrainError> {
        self.verify_model()?;
        let path = self.file(files::MODEL);
        model.try_load_file(&path).map_err(|e| TrainError::Weights {
            path,
            message: format!("{e}; the file is corrupt or belongs to another model"),
        })
    }

    /// Checks that `model.bpk` is there and, when the run wrote `model.bpk.sha256`, that its
    /// SHA-256 is still the recorded one ([`RunDir::load_model`] does this first; call it
    /// before handing the file to another reader, e.g. a fine-tuning run's `--weights`).
    ///
    /// # Errors
    /// [`TrainError::Weights`] naming the file when it is missing or changed since the run
    /// wrote it.
    pub fn verify_model(&self) -> Result<(), TrainError> {
        let path = self.file(files::MODEL);
        if !path.is_file() {
            return Err(TrainError::Weights {
                path,
                message: "missing; was the run interrupted before its end?".into(),
            });
        }
        let recorded = self.file(files::MODEL_CHECKSUM);
        if recorded.is_file() {
            let text = String::from_utf8_lossy(&read(&recorded)?).into_owned();
            let expected = text
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            let found = sha256_hex(&read(&path)?);
            if expected != found {
                return Err(TrainError::Weights {
                    path,
                    message: format!(
                        "its SHA-256 is {found}, but the run recorded {expected} in {}: the \
                         file changed after the run wrote it (a bad copy or a damaged disk); \
                         restore it from a good copy or train the run again",
                        files::MODEL_CHECKSUM
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The bytes of the file at `path`.
fn read(path: &Path) -> Result<Vec<u8>, TrainError> {
    std::fs::read(path).map_err(|e| TrainError::io(path, e))
}

/// The lowercase hex SHA-256 of `bytes`.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `base`, or the first of `base-2`, `base-3`, … that does not exist.
fn unused(base: PathBuf) -> PathBuf {
    if !base.exists() {
        return base;
    }
    let name = base
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (2..)
        .map(|i| base.with_file_name(format!("{name}-{i}")))
        .find(|p| !p.exists())
        .expect("some suffix is free")
}

/// Bytes a run of a model with `params` parameters may hold on disk at once: its final
/// weights and, with checkpoints, up to five sets of records (the last two epochs', the
/// best, one being written, and a resumed stop inside an epoch's `partial/`), each the
/// weights and up to two optimizer values per weight (Adam's moments); 4 bytes a value.
pub(crate) fn bytes_needed(params: usize, checkpoints: bool) -> u64 {
    let weights = params as u64 * 4;
    weights + if checkpoints { 5 * 3 * weights } else { 0 }
}

/// Checks that the file system of `dir` (or of its nearest existing parent, for a folder
/// not made yet) has `needed` bytes free, when it says how much it has.
///
/// # Errors
/// [`TrainError::DiskSpace`] naming the folder, both sizes and the fixes.
pub(crate) fn ensure_space(dir: &Path, needed: u64) -> Result<(), TrainError> {
    let existing = dir
        .ancestors()
        .find(|p| p.exists())
        .unwrap_or(Path::new("."));
    let existing = if existing.as_os_str().is_empty() {
        Path::new(".")
    } else {
        existing
    };
    match available_bytes(existing) {
        Some(available) if available < needed => Err(TrainError::DiskSpace {
            path: dir.to_path_buf(),
            needed,
            available,
        }),
        _ => Ok(()),
    }
}

/// Bytes free to an unprivileged writer on the file system of `dir`.
#[cfg(unix)]
fn available_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `path` is a NUL-terminated string and `stat` a plain struct statvfs fills in.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    let status = unsafe { libc::statvfs(path.as_ptr(), &mut stat) };
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    (status == 0).then(|| stat.f_bavail as u64 * stat.f_frsize as u64)
}

#[cfg(not(unix))]
fn available_bytes(_dir: &Path) -> Option<u64> {
    None
}

/// The first line of `metrics.csv`.
pub(crate) const METRICS_HEADER: &str =
    "epoch,train_loss,train_accuracy,valid_loss,valid_accuracy,seconds";

/// Writes `bytes` to `target` through a scratch file of its folder, synced to disk and
/// renamed into place ([`ember_fs::write_atomic`]): a reader sees the old file or the whole
/// new one, never a part.
pub(crate) fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), TrainError> {
    ember_fs::write_atomic(target, bytes).map_err(|e| TrainError::io(target, e))
}

/// Draws a picture with `draw` into a scratch file beside `target` (named `*.png`, as
/// plotters picks the format from it), then syncs and renames it into place: a half-drawn
/// picture is never left behind.
pub(crate) fn draw_atomically(
    target: &Path,
    draw: impl FnOnce(&Path) -> Result<(), TrainError>,
) -> Result<(), TrainError> {
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    let tmp = ember_fs::scratch_path(dir, ".png").map_err(|e| TrainError::io(dir, e))?;
    draw(&tmp)?;
    ember_fs::sync_and_rename(tmp, target).map_err(|e| TrainError::io(target, e))
}

/// Removes the scratch files a killed process left in `dir`.
pub(crate) fn remove_scratch(dir: &Path) -> Result<(), TrainError> {
    ember_fs::remove_scratch(dir).map_err(|e| TrainError::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_that_changed_after_the_run_are_refused_by_their_checksum() {
        use burn::nn::{Linear, LinearConfig};
        use burn::prelude::*;
        let device = Device::flex();
        let tmp = tempfile::tempdir().unwrap();
        let run = RunDir::create(tmp.path().join("run")).unwrap();
        let model: Linear = LinearConfig::new(4, 3).init(&device);
        let path = run.save_model(&model).unwrap();
        let line = std::fs::read_to_string(run.file(files::MODEL_CHECKSUM)).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(line, format!("{}  model.bpk\n", sha256_hex(&bytes)));
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let fresh = || LinearConfig::new(4, 3).init(&device);
        let loaded = run.load_model(fresh()).unwrap();
        assert_eq!(
            loaded.weight.val().into_data(),
            model.weight.val().into_data()
        );
        // One bit of one weight flipped (the last bytes of the file are weight data).
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x01;
        std::fs::write(&path, &flipped).unwrap();
        let err = run.load_model(fresh()).unwrap_err().to_string();
        assert!(
            err.contains("the file changed after the run wrote it"),
            "{err}"
        );
        assert!(err.contains("model.bpk"), "{err}");
        // A run folder from before checksums loads unchecked.
        std::fs::write(&path, &bytes).unwrap();
        std::fs::remove_file(run.file(files::MODEL_CHECKSUM)).unwrap();
        assert!(run.load_model(fresh()).is_ok());
    }

    #[test]
    fn a_disk_without_room_for_the_checkpoints_is_refused_before_training() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(ensure_space(tmp.path(), 1).is_ok());
        // More than any disk holds: refused, naming the folder and the fix.
        let error = ensure_space(tmp.path(), u64::MAX / 2).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(&tmp.path().display().to_string()),
            "{message}"
        );
        assert!(message.contains("--no-checkpoints"), "{message}");
        // LeNet-5's 61,706 parameters: 247 KB of weights, about 3 MB with checkpoints.
        assert_eq!(bytes_needed(61_706, false), 246_824);
        assert_eq!(bytes_needed(61_706, true), 16 * 246_824);
    }

    #[test]
    fn a_folder_is_claimed_once_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/run");
        let run = RunDir::create(&path).unwrap();
        assert!(run.file(files::CONFIG).is_file(), "claimed");
        let err = RunDir::create(&path).unwrap_err().to_string();
        assert!(err.contains("never overwrites"), "{err}");
        // An existing empty folder is fine; one holding anything is not.
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        RunDir::create(dir.path().join("empty")).unwrap();
        std::fs::create_dir(dir.path().join("used")).unwrap();
        std::fs::write(dir.path().join("used/notes.txt"), "mine").unwrap();
        assert!(RunDir::create(dir.path().join("used")).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("used/notes.txt")).unwrap(),
            "mine"
        );
        // A file where the folder should be: an I/O error naming it.
        std::fs::write(dir.path().join("file"), "").unwrap();
        let err = RunDir::create(dir.path().join("file"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("file"), "{err}");
    }

    #[test]
    fn many_threads_racing_for_one_folder_give_it_to_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contested");
        let winners: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| RunDir::create(&path).is_ok() as usize))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(winners, 1);
    }

    #[test]
    fn a_taken_default_name_gets_the_next_suffix() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("lenet-20261202-101010");
        assert_eq!(unused(base.clone()), base);
        std::fs::create_dir(&base).unwrap();
        std::fs::create_dir(dir.path().join("lenet-20261202-101010-2")).unwrap();
        assert_eq!(unused(base), dir.path().join("lenet-20261202-101010-3"));
    }

    #[test]
    fn writes_metrics_and_json_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let run = RunDir::create(dir.path().join("r")).unwrap();
        let epochs = vec![EpochMetrics {
            epoch: 1,
            train_loss: 0.5,
            train_accuracy: 90.0,
            valid_loss: 0.25,
            valid_accuracy: 95.5,
            seconds: 12.0,
        }];
        run.write_metrics(&epochs).unwrap();
        let csv = std::fs::read_to_string(run.file(files::METRICS)).unwrap();
        assert_eq!(
            csv.lines().nth(1).unwrap(),
            "1,0.500000,90.0000,0.250000,95.5000,12.00"
        );
        assert_eq!(run.read_metrics().unwrap(), epochs);
        run.write(files::METRICS, b"epoch,loss\n1,2\n").unwrap();
        let err = run.read_metrics().unwrap_err().to_string();
        assert!(
            err.contains("line 1") && err.contains("metrics.csv"),
            "{err}"
        );
        run.write_json(files::CONFIG, &epochs).unwrap();
        let back: Vec<EpochMetrics> = RunDir::open(run.path())
            .unwrap()
            .read_json(files::CONFIG)
            .unwrap();
        assert_eq!(back, epochs);
        // Only the two files: no temporary left behind.
        assert_eq!(std::fs::read_dir(run.path()).unwrap().count(), 2);
    }

    #[test]
    fn opening_a_folder_without_config_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let err = RunDir::open(dir.path()).unwrap_err();
        assert!(err.to_string().contains("not a run folder"), "{err}");
    }
}
