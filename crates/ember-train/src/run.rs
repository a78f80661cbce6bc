//! One training run from start to run folder: [`Training::run`].

use std::path::PathBuf;
use std::sync::Arc;

use burn::data::dataloader::batcher::Batcher;

use crate::classifier::{Classifier, Labelled};
use crate::config::TEST_BATCH_SIZE;
use crate::data::RunData;
use crate::early_stop::StoppedEarly;
use crate::epoch_log::EpochMetrics;
use crate::evaluate::{evaluate, Evaluation};
use crate::fit::Training;
use crate::record::RunRecord;
use crate::resume::{self, CHECKPOINT_DIR};
use crate::run_dir::{bytes_needed, ensure_space, files, RunDir};
use crate::TrainError;

/// What [`Training::run`] leaves behind besides its folder.
#[derive(Debug)]
pub struct RunReport<M> {
    /// The run folder, complete.
    pub run_dir: RunDir,
    /// The trained model (after the last epoch), without autodiff.
    pub model: M,
    /// Train/validation metrics per epoch (as in `metrics.csv`).
    pub epochs: Vec<EpochMetrics>,
    /// Set when early stopping ended the run.
    pub stopped_early: Option<StoppedEarly>,
    /// The scores on the test split (as in `test.json`).
    pub test: Evaluation,
}

impl Training {
    /// Trains `model` on `data`, tests it, and writes the whole run folder `out`:
    ///
    /// | file | content |
    /// |---|---|
    /// | `config.json` | `record` with this run's configuration, split sizes and class names |
    /// | `summary.txt` | the model's layer table ([`Classifier::summary`]) |
    /// | `metrics.csv` | per epoch: train/valid loss and accuracy, seconds (rewritten after every epoch) |
    /// | `curves.png` | loss and accuracy per epoch (redrawn after every epoch) |
    /// | `model.bpk` | the final weights (burnpack) |
    /// | `model.bpk.sha256` | their SHA-256, checked by [`RunDir::load_model`] |
    /// | `test.json` | test loss, accuracy, per-class precision/recall/F1, macro and weighted averages |
    /// | `confusion.csv`, `confusion.png` | the test confusion matrix, as numbers and as a heat map |
    /// | `burn/` | burn-train's log and checkpoints |
    ///
    /// A run that fails while training (e.g. a loss that becomes NaN,
    /// [`TrainError::Diverged`], or one stopped by its [`Training::interrupter`],
    /// [`TrainError::Interrupted`]) leaves `failed.txt` with the reason instead of the
    /// weights and scores. With [`Training::resume`], `out` is such a folder (or one whose
    /// process was killed), and the run carries on from its latest complete checkpoint.
    ///
    /// The configuration and the data are checked before the folder is created; progress,
    /// the test scores and a per-class table are printed on stdout. Every file is written
    /// to a temporary file and renamed into place.
    ///
    /// # Errors
    /// As [`Training::fit`], and [`TrainError::Io`], [`TrainError::Plot`],
    /// [`TrainError::Weights`] when a file of the folder cannot be written.
    pub fn run<M, I, T, E>(
        self,
        model: M,
        data: RunData<I, T, E>,
        mut record: RunRecord,
        out: impl Into<PathBuf>,
    ) -> Result<RunReport<M>, TrainError>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
        E: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        let plan = self.check(&model, &data)?;
        for (name, _) in &self.attachments {
            let plain =
                !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..";
            if !plain || files::ALL.contains(&name.as_str()) {
                return Err(TrainError::Config {
                    field: "attach",
                    value: name.clone(),
                    allowed: "a plain file name, not a path and not one of the run's own files",
                });
            }
        }
        record.fit = self.config.clone();
        record.split_sizes = data.sizes();
        record.classes = data.class_names.clone();
        let out: PathBuf = out.into();
        ensure_space(
            &out,
            bytes_needed(
                burn::module::Module::num_params(&model),
                self.config.checkpoints,
            ),
        )?;
        let (run, resume) = if self.resume {
            let run = RunDir::reopen(out, &record)?;
            let point = resume::latest(&run.file(files::ARTIFACTS).join(CHECKPOINT_DIR))?;
            (run, point)
        } else {
            (RunDir::create(out)?, None)
        };
        println!("run folder: {}", run.path().display());
        if resume.is_none() {
            run.write_json(files::CONFIG, &record)?;
        }
        for (name, bytes) in &self.attachments {
            run.write(name, bytes)?;
        }
        let summary = model.summary();
        run.write(files::SUMMARY, format!("{summary}\n").as_bytes())?;
        println!("{summary}");

        let device = model.devices()[0].clone();
        // metrics.csv and curves.png grow epoch by epoch: a run that stops early keeps them.
        let folder = run.clone();
        let mut training = self;
        training.on_epoch = Some(Arc::new(move |epochs: &[EpochMetrics]| {
            let written = folder
                .write_metrics(epochs)
                .and_then(|_| folder.plot_curves(epochs));
            if let Err(e) = written {
                eprintln!("warning: {e}");
            }
        }));
        let artifacts = run.file(files::ARTIFACTS);
        let fitted = match training.fit_planned(plan, model, &data, &artifacts, resume) {
            Ok(fitted) => fitted,
            Err(e) => {
                // Mark the folder, so nobody mistakes it for a finished run; the error
                // itself is what the caller reports.
                let _ = run.write(files::FAILED, format!("{e}\n").as_bytes());
                return Err(e);
            }
        };
        run.save_model(&fitted.model)?;
        run.write_metrics(&fitted.epochs)?;
        run.plot_curves(&fitted.epochs)?;

        let test = evaluate(
            &fitted.model,
            data.eval_batcher.clone(),
            data.test.clone(),
            &data.class_names,
            TEST_BATCH_SIZE,
            &device,
        )?;
        run.write_evaluation(&test)?;
        print_test(&test, &fitted.epochs, &record.backend);
        println!("wrote {}: {}", run.path().display(), files::ALL.join(", "));
        Ok(RunReport {
            run_dir: run,
            model: fitted.model,
            epochs: fitted.epochs,
            stopped_early: fitted.stopped_early,
            test,
        })
    }
}

fn print_test(test: &Evaluation, epochs: &[EpochMetrics], backend: &str) {
    let seconds: f64 = epochs.iter().map(|e| e.seconds).sum();
    let on = if backend.is_empty() {
        String::new()
    } else {
        format!(" on {backend}")
    };
    println!(
        "test: loss {:.4}  accuracy {:.2}% ({}/{})  [{} epoch{} in {:.0} s{on}]",
        test.loss,
        test.accuracy,
        test.correct,
        test.items,
        epochs.len(),
        if epochs.len() == 1 { "" } else { "s" },
        seconds,
    );
    print!("{}", test.report);
}
