//! A search plan: the trials of a search, fixed before any runs, so that they can run in
//! any order, on any machine, and be resumed.

use std::path::{Path, PathBuf};

use super::space::{Assignment, SearchSpace};
use crate::epoch_log::EpochMetrics;
use crate::TrainError;

/// `plan.json`: the file a plan is kept in, in the search folder.
pub const PLAN_FILE: &str = "plan.json";

/// What a search ranks trials by: the last epoch's validation score (the model a run
/// keeps is the last epoch's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Validation accuracy in percent, higher is better.
    ValidAccuracy,
    /// Validation loss, lower is better.
    ValidLoss,
}

impl Metric {
    /// The metric's value in an epoch's record.
    pub fn of(self, epoch: &EpochMetrics) -> f64 {
        match self {
            Metric::ValidAccuracy => epoch.valid_accuracy,
            Metric::ValidLoss => epoch.valid_loss,
        }
    }

    /// Whether a higher value is a better trial.
    pub fn higher_is_better(self) -> bool {
        self == Metric::ValidAccuracy
    }
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Metric::ValidAccuracy => "valid-accuracy",
            Metric::ValidLoss => "valid-loss",
        })
    }
}

impl std::str::FromStr for Metric {
    type Err = TrainError;
    fn from_str(s: &str) -> Result<Self, TrainError> {
        match s {
            "valid-accuracy" => Ok(Metric::ValidAccuracy),
            "valid-loss" => Ok(Metric::ValidLoss),
            _ => Err(TrainError::search(
                s,
                "the metric is valid-accuracy or valid-loss",
            )),
        }
    }
}

/// One trial: its settings and its seed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trial {
    /// Its number, from 0; its folder is `trial-NNN`.
    pub index: usize,
    /// The seed of its runs (initialisation, split, shuffle): the plan's seed + index.
    pub seed: u64,
    /// The searched settings.
    pub params: Assignment,
}

/// Every trial of a search, and the settings they share.
///
/// A trial's runs are independent training runs, each in its own folder under the search
/// folder: `trial-003/` (or `trial-003/fold-1/`, … with k-fold cross-validation), so a
/// scheduler may run them anywhere and [`SearchReport`](super::SearchReport) gathers them.
///
/// ```
/// use ember_train::{Metric, SearchPlan, SearchSpace};
///
/// let space = SearchSpace::parse_grid("lr=1e-3,3e-3;batch-size=32,64")?;
/// let base = vec![("epochs".to_string(), "2".to_string())];
/// let plan = SearchPlan::grid("lenet", space, base, Metric::ValidAccuracy, None, 42);
/// assert_eq!(plan.trials.len(), 4);
/// assert_eq!(plan.trials[3].seed, 45);
/// let settings = plan.settings(3)?;
/// assert!(settings.contains(&("lr".into(), "3e-3".into())));
/// assert!(settings.contains(&("seed".into(), "45".into())));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchPlan {
    /// The model every trial trains (`lenet`, `alexnet`, `lstm`).
    pub model: String,
    /// `grid` or `random`.
    pub strategy: String,
    /// The searched settings.
    pub space: SearchSpace,
    /// The settings every trial shares, as `(flag, value)` (`"true"` for a switch).
    pub base: Assignment,
    /// What trials are ranked by.
    pub metric: Metric,
    /// With k-fold cross-validation, K: each trial trains K times, holding out a different
    /// fold of the training split for validation, and scores the mean.
    pub folds: Option<usize>,
    /// The seed of the random draws; trial `k` trains with seed `seed + k`.
    pub seed: u64,
    /// The trials.
    pub trials: Vec<Trial>,
}

impl SearchPlan {
    /// Every combination of the space's lists.
    pub fn grid(
        model: &str,
        space: SearchSpace,
        base: Assignment,
        metric: Metric,
        folds: Option<usize>,
        seed: u64,
    ) -> Self {
        let trials = space.grid();
        Self::new(model, "grid", space, trials, base, metric, folds, seed)
    }

    /// `n` trials drawn from the space with generator seed `seed`.
    pub fn random(
        model: &str,
        space: SearchSpace,
        n: usize,
        base: Assignment,
        metric: Metric,
        folds: Option<usize>,
        seed: u64,
    ) -> Self {
        let trials = space.sample(n, seed);
        Self::new(model, "random", space, trials, base, metric, folds, seed)
    }

    /// One trial of the shared settings alone, trained on each of `folds` folds: k-fold
    /// cross-validation of one configuration.
    pub fn cross_validation(
        model: &str,
        base: Assignment,
        metric: Metric,
        folds: usize,
        seed: u64,
    ) -> Self {
        let space = SearchSpace { params: Vec::new() };
        Self::new(
            model,
            "cross-validation",
            space,
            vec![Vec::new()],
            base,
            metric,
            Some(folds),
            seed,
        )
    }

    #[allow(clippy::too_many_arguments)] // private: the public constructors name them.
    fn new(
        model: &str,
        strategy: &str,
        space: SearchSpace,
        trials: Vec<Assignment>,
        base: Assignment,
        metric: Metric,
        folds: Option<usize>,
        seed: u64,
    ) -> Self {
        let trials = trials
            .into_iter()
            .enumerate()
            .map(|(index, params)| Trial {
                index,
                seed: seed.wrapping_add(index as u64),
                params,
            })
            .collect();
        SearchPlan {
            model: model.to_string(),
            strategy: strategy.to_string(),
            space,
            base,
            metric,
            folds,
            seed,
            trials,
        }
    }

    /// The training settings of trial `k`: the shared ones, its seed, then its searched
    /// ones (a searched setting replaces a shared one of the same name).
    ///
    /// # Errors
    /// [`TrainError::Search`] when the plan has no trial `k`.
    pub fn settings(&self, k: usize) -> Result<Assignment, TrainError> {
        let trial = self.trial(k)?;
        let mut settings: Assignment = self
            .base
            .iter()
            .filter(|(name, _)| name != "seed" && !trial.params.iter().any(|(p, _)| p == name))
            .cloned()
            .collect();
        if !trial.params.iter().any(|(p, _)| p == "seed") {
            settings.push(("seed".into(), trial.seed.to_string()));
        }
        settings.extend(trial.params.iter().cloned());
        Ok(settings)
    }

    /// Trial `k`.
    ///
    /// # Errors
    /// [`TrainError::Search`] when the plan has no trial `k`.
    pub fn trial(&self, k: usize) -> Result<&Trial, TrainError> {
        self.trials.get(k).ok_or_else(|| {
            TrainError::search(
                format!("trial {k}"),
                format!(
                    "the plan has {} trials, numbered 0 to {}",
                    self.trials.len(),
                    self.trials.len().saturating_sub(1)
                ),
            )
        })
    }

    /// `searches/<model>-<strategy>-<UTC time>`: the default folder of a search started now.
    pub fn default_dir(&self) -> PathBuf {
        PathBuf::from("searches").join(format!(
            "{}-{}-{}",
            self.model,
            self.strategy,
            crate::record::now_compact()
        ))
    }

    /// The folder of trial `k` under the search folder `dir`: `trial-003`.
    pub fn trial_dir(dir: &Path, k: usize) -> PathBuf {
        dir.join(format!("trial-{k:03}"))
    }

    /// The run folders of trial `k`: the trial folder, or one `fold-I` in it per fold.
    pub fn run_dirs(&self, dir: &Path, k: usize) -> Vec<PathBuf> {
        let trial = Self::trial_dir(dir, k);
        match self.folds {
            None => vec![trial],
            Some(folds) => (0..folds)
                .map(|f| trial.join(format!("fold-{f}")))
                .collect(),
        }
    }

    /// Writes the plan to `dir/plan.json` (atomically), creating `dir`.
    ///
    /// # Errors
    /// [`TrainError::Io`] naming the file.
    pub fn save(&self, dir: &Path) -> Result<PathBuf, TrainError> {
        std::fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
        let path = dir.join(PLAN_FILE);
        let json = serde_json::to_vec_pretty(self).expect("a plan serialises");
        crate::run_dir::write_atomically(&path, &json)?;
        Ok(path)
    }

    /// Reads a plan: `path` is a `plan.json` or the search folder holding one.
    ///
    /// # Errors
    /// [`TrainError::Io`] or [`TrainError::Invalid`] naming the file.
    pub fn load(path: &Path) -> Result<Self, TrainError> {
        let file = if path.is_dir() {
            path.join(PLAN_FILE)
        } else {
            path.to_path_buf()
        };
        let text = std::fs::read_to_string(&file).map_err(|e| TrainError::io(&file, e))?;
        serde_json::from_str(&text).map_err(|e| TrainError::Invalid {
            path: file,
            message: format!("not a search plan ({e}); write one with `cargo xtask search plan`"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> SearchPlan {
        let space = SearchSpace::parse("lr=log(1e-4,1e-1);optimizer=adam,sgd").unwrap();
        let base = vec![
            ("epochs".to_string(), "2".to_string()),
            ("optimizer".to_string(), "momentum".to_string()),
            ("seed".to_string(), "1".to_string()),
        ];
        SearchPlan::random("lenet", space, 5, base, Metric::ValidLoss, Some(3), 10)
    }

    #[test]
    fn searched_settings_replace_shared_ones_and_each_trial_has_its_seed() {
        let plan = plan();
        let s = plan.settings(2).unwrap();
        assert_eq!(s[0], ("epochs".into(), "2".into()));
        assert_eq!(s[1], ("seed".into(), "12".into()));
        assert_eq!(s[2].0, "lr");
        assert_eq!(s[3].0, "optimizer");
        assert_eq!(s.len(), 4);
        let err = plan.settings(5).unwrap_err().to_string();
        assert!(err.contains("numbered 0 to 4"), "{err}");
    }

    #[test]
    fn a_plan_survives_its_file_and_names_its_folders() {
        let dir = tempfile::tempdir().unwrap();
        let plan = plan();
        plan.save(dir.path()).unwrap();
        assert_eq!(SearchPlan::load(dir.path()).unwrap(), plan);
        let runs = plan.run_dirs(dir.path(), 4);
        assert_eq!(runs.len(), 3);
        assert!(runs[2].ends_with("trial-004/fold-2"));
        std::fs::write(dir.path().join("x.json"), "{}").unwrap();
        let err = SearchPlan::load(&dir.path().join("x.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("search plan"), "{err}");
        assert!("valid-loss".parse::<Metric>().unwrap() == Metric::ValidLoss);
        assert!("accuracy".parse::<Metric>().is_err());
    }
}
