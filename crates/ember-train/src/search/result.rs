//! What one trial of a search scored: gathered from its finished run folders.

use std::path::{Path, PathBuf};

use super::plan::{Metric, SearchPlan};
use super::space::Assignment;
use crate::run_dir::{files, write_atomically, RunDir};
use crate::TrainError;

/// `result.json`: written into a trial's folder when all its runs have finished; a search
/// that is resumed skips the trials that have one.
pub const RESULT_FILE: &str = "result.json";

/// One finished trial: its settings and scores.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrialResult {
    /// The trial's number in the plan.
    pub index: usize,
    /// Its searched settings.
    pub params: Assignment,
    /// The seed its runs trained with.
    pub seed: u64,
    /// What `score` measures.
    pub metric: Metric,
    /// The metric of each run (each fold with cross-validation), after its last epoch.
    #[serde(deserialize_with = "nan_or::many")]
    pub scores: Vec<f64>,
    /// Their mean: what the search ranks by.
    #[serde(deserialize_with = "nan_or::one")]
    pub score: f64,
    /// Their sample standard deviation (n − 1; 0 for a single run).
    #[serde(deserialize_with = "nan_or::one")]
    pub score_std: f64,
    /// The mean test accuracy (%) of its runs: reported, never used to rank.
    #[serde(deserialize_with = "nan_or::one")]
    pub test_accuracy: f64,
    /// Epochs each run trained (fewer than asked when early stopping ended it).
    pub epochs: Vec<usize>,
    /// Training seconds, all runs together.
    pub seconds: f64,
    /// The run folders, relative to the search folder.
    pub runs: Vec<PathBuf>,
    /// Why a run of the trial failed (e.g. the loss diverged at this learning rate): its
    /// score is then NaN and it ranks last.
    #[serde(default)]
    pub failed: Option<String>,
}

/// JSON has no NaN: serde_json writes a non-finite number as `null`, so reading takes
/// `null` back as NaN (a failed trial's score) instead of refusing the file.
mod nan_or {
    use serde::{Deserialize, Deserializer};

    pub fn one<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }

    pub fn many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let values = Vec::<Option<f64>>::deserialize(d)?;
        Ok(values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
    }
}

impl TrialResult {
    /// Gathers trial `k` of `plan` from its run folders under the search folder `dir`.
    ///
    /// # Errors
    /// [`TrainError::Search`] when a run has not finished (no `test.json`), or the errors of
    /// reading its files.
    pub fn gather(plan: &SearchPlan, dir: &Path, k: usize) -> Result<Self, TrainError> {
        let trial = plan.trial(k)?;
        let (mut scores, mut tests, mut epochs, mut seconds, mut runs) =
            (Vec::new(), Vec::new(), Vec::new(), 0.0, Vec::new());
        for run in plan.run_dirs(dir, k) {
            if !run.join(files::TEST).is_file() {
                return Err(TrainError::search(
                    run.display().to_string(),
                    "this run has not finished (no test.json): run the trial again",
                ));
            }
            let run_dir = RunDir::open(&run)?;
            let metrics = run_dir.read_metrics()?;
            let last = metrics.last().ok_or_else(|| {
                TrainError::search(run.display().to_string(), "metrics.csv holds no epoch")
            })?;
            scores.push(plan.metric.of(last));
            epochs.push(metrics.len());
            seconds += metrics.iter().map(|e| e.seconds).sum::<f64>();
            tests.push(run_dir.test_accuracy()?.unwrap_or(f64::NAN));
            runs.push(run.strip_prefix(dir).unwrap_or(&run).to_path_buf());
        }
        let (score, score_std) = mean_std(&scores);
        Ok(TrialResult {
            index: k,
            params: trial.params.clone(),
            seed: trial.seed,
            metric: plan.metric,
            scores,
            score,
            score_std,
            test_accuracy: mean_std(&tests).0,
            epochs,
            seconds,
            runs,
            failed: None,
        })
    }

    /// Trial `k` of `plan` as failed for `reason`: no score.
    ///
    /// # Errors
    /// [`TrainError::Search`] when the plan has no trial `k`.
    pub fn failed(
        plan: &SearchPlan,
        k: usize,
        reason: impl Into<String>,
    ) -> Result<Self, TrainError> {
        let trial = plan.trial(k)?;
        Ok(TrialResult {
            index: k,
            params: trial.params.clone(),
            seed: trial.seed,
            metric: plan.metric,
            scores: Vec::new(),
            score: f64::NAN,
            score_std: f64::NAN,
            test_accuracy: f64::NAN,
            epochs: Vec::new(),
            seconds: 0.0,
            runs: Vec::new(),
            failed: Some(reason.into()),
        })
    }

    /// Writes `result.json` into the trial's folder under `dir` (atomically).
    ///
    /// # Errors
    /// [`TrainError::Io`] naming the file.
    pub fn save(&self, dir: &Path) -> Result<PathBuf, TrainError> {
        let path = SearchPlan::trial_dir(dir, self.index).join(RESULT_FILE);
        let json = serde_json::to_vec_pretty(self).expect("a result serialises");
        write_atomically(&path, &json)?;
        Ok(path)
    }

    /// Reads trial `k`'s `result.json` under `dir`; `None` when the trial has not finished.
    ///
    /// # Errors
    /// [`TrainError::Io`] or [`TrainError::Invalid`] when the file exists but cannot be read.
    pub fn load(dir: &Path, k: usize) -> Result<Option<Self>, TrainError> {
        let path = SearchPlan::trial_dir(dir, k).join(RESULT_FILE);
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).map_err(|e| TrainError::io(&path, e))?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| TrainError::Invalid {
                path,
                message: format!("not a trial result ({e}); delete it to run the trial again"),
            })
    }

    /// `lr=0.001 batch-size=32`; `the shared settings` for a trial that searches nothing
    /// (a cross-validation).
    pub fn describe(&self) -> String {
        if self.params.is_empty() {
            return "the shared settings".into();
        }
        self.params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The mean and sample standard deviation (n − 1) of `values`; (NaN, 0) when empty.
pub fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, 0.0);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchSpace;
    use crate::EpochMetrics;

    #[test]
    fn mean_and_sample_std_by_hand() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, 32/7 = 4.571.
        let (m, s) = mean_std(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(m, 5.0);
        assert!((s - (32.0f64 / 7.0).sqrt()).abs() < 1e-12, "{s}");
        assert_eq!(mean_std(&[3.0]), (3.0, 0.0));
    }

    /// Writes a finished run folder with these last-epoch valid accuracies.
    fn fake_run(path: &Path, valid: &[f64], test: f64) {
        let run = RunDir::create(path).unwrap();
        let epochs: Vec<EpochMetrics> = valid
            .iter()
            .enumerate()
            .map(|(i, &v)| EpochMetrics {
                epoch: i + 1,
                train_loss: 1.0,
                train_accuracy: 50.0,
                valid_loss: 1.0 - v / 100.0,
                valid_accuracy: v,
                seconds: 2.0,
            })
            .collect();
        run.write_metrics(&epochs).unwrap();
        run.write_json(files::TEST, &serde_json::json!({ "accuracy": test }))
            .unwrap();
    }

    #[test]
    fn a_trial_scores_the_mean_of_its_folds_last_epochs() {
        let dir = tempfile::tempdir().unwrap();
        let space = SearchSpace::parse_grid("lr=1e-3,1e-2").unwrap();
        let plan = SearchPlan::grid("lenet", space, vec![], Metric::ValidAccuracy, Some(2), 0);
        let runs = plan.run_dirs(dir.path(), 1);
        fake_run(&runs[0], &[80.0, 90.0], 89.0);
        let err = TrialResult::gather(&plan, dir.path(), 1)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("fold-1") && err.contains("not finished"),
            "{err}"
        );
        fake_run(&runs[1], &[70.0, 94.0], 93.0);
        let result = TrialResult::gather(&plan, dir.path(), 1).unwrap();
        assert_eq!(result.scores, vec![90.0, 94.0]);
        assert_eq!(result.score, 92.0);
        assert!((result.score_std - 8f64.sqrt()).abs() < 1e-12);
        assert_eq!(result.test_accuracy, 91.0);
        assert_eq!((result.epochs.clone(), result.seconds), (vec![2, 2], 8.0));
        assert_eq!(result.describe(), "lr=1e-2");
        assert_eq!(TrialResult::load(dir.path(), 1).unwrap(), None);
        result.save(dir.path()).unwrap();
        assert_eq!(TrialResult::load(dir.path(), 1).unwrap(), Some(result));
    }
}
