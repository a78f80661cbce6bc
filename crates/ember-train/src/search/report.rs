//! A search's results, for people and for the next run: `trials.csv`, `results.md`, a
//! plot of the score against each searched setting, and `best.toml`.

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::plan::SearchPlan;
use super::result::TrialResult;
use super::space::Distribution;
use crate::curves::{finite_bounds, register_font};
use crate::run_dir::{draw_atomically, write_atomically};
use crate::TrainError;

/// The trials of a search that have finished, read from its folder.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchReport {
    /// The plan.
    pub plan: SearchPlan,
    /// The finished trials, in plan order.
    pub results: Vec<TrialResult>,
    /// The trials that have not finished.
    pub missing: Vec<usize>,
}

impl SearchReport {
    /// Reads `dir/plan.json` and every `trial-NNN/result.json` there is.
    ///
    /// # Errors
    /// The errors of reading the plan or a result.
    pub fn collect(dir: &Path) -> Result<Self, TrainError> {
        let plan = SearchPlan::load(dir)?;
        let (mut results, mut missing) = (Vec::new(), Vec::new());
        for trial in &plan.trials {
            match TrialResult::load(dir, trial.index)? {
                Some(result) => results.push(result),
                None => missing.push(trial.index),
            }
        }
        Ok(SearchReport {
            plan,
            results,
            missing,
        })
    }

    /// The finished trials, best first (a NaN score last).
    pub fn ranked(&self) -> Vec<&TrialResult> {
        let mut ranked: Vec<&TrialResult> = self.results.iter().collect();
        let key = |r: &TrialResult| {
            let s = if self.plan.metric.higher_is_better() {
                -r.score
            } else {
                r.score
            };
            if s.is_nan() {
                f64::INFINITY
            } else {
                s
            }
        };
        ranked.sort_by(|a, b| key(a).total_cmp(&key(b)).then(a.index.cmp(&b.index)));
        ranked
    }

    /// The best finished trial.
    pub fn best(&self) -> Option<&TrialResult> {
        self.ranked().first().copied()
    }

    /// `trials.csv`: one row per finished trial in plan order, a column per searched setting.
    pub fn csv(&self) -> String {
        let names: Vec<&str> = self
            .plan
            .space
            .params
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        let metric = self.plan.metric.to_string();
        let mut csv = format!(
            "trial,{},seed,{metric},{metric}_std,test_accuracy,epochs,seconds,runs\n",
            names.join(",")
        );
        for r in &self.results {
            let values: Vec<String> = r.params.iter().map(|(_, v)| csv_field(v)).collect();
            let epochs: Vec<String> = r.epochs.iter().map(usize::to_string).collect();
            let runs: Vec<String> = r.runs.iter().map(|p| p.display().to_string()).collect();
            csv.push_str(&format!(
                "{},{},{},{:.4},{:.4},{:.4},{},{:.1},{}\n",
                r.index,
                values.join(","),
                r.seed,
                r.score,
                r.score_std,
                r.test_accuracy,
                epochs.join(" "),
                r.seconds,
                csv_field(&runs.join(" "))
            ));
        }
        csv
    }

    /// `results.md`: the finished trials as a Markdown table, best first.
    pub fn markdown(&self) -> String {
        let plan = &self.plan;
        let names: Vec<&str> = plan.space.params.iter().map(|p| p.name.as_str()).collect();
        let folds = plan
            .folds
            .map_or(String::new(), |k| format!(", mean ± std over {k} folds"));
        let mut md = format!(
            "# {} search on {}: {} of {} trials finished\n\nRanked by {}{folds}. Shared \
             settings: {}.\n\n| rank | trial | {} | {} | test accuracy (%) | seconds |\n|{}\n",
            plan.strategy,
            plan.model,
            self.results.len(),
            plan.trials.len(),
            plan.metric,
            if plan.base.is_empty() {
                "none".to_string()
            } else {
                plan.base
                    .iter()
                    .map(|(k, v)| match v.as_str() {
                        "true" => format!("`--{k}`"),
                        _ => format!("`--{k} {v}`"),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            names.join(" | "),
            plan.metric,
            "---|".repeat(names.len() + 5)
        );
        for (rank, r) in self.ranked().into_iter().enumerate() {
            let values: Vec<&str> = r.params.iter().map(|(_, v)| v.as_str()).collect();
            let score = if let Some(why) = &r.failed {
                format!(
                    "failed: {}",
                    why.lines().next().unwrap_or_default().replace('|', "/")
                )
            } else if plan.folds.is_some() {
                format!("{:.4} ± {:.4}", r.score, r.score_std)
            } else {
                format!("{:.4}", r.score)
            };
            md.push_str(&format!(
                "| {} | {} | {} | {score} | {:.2} | {:.0} |\n",
                rank + 1,
                r.index,
                values.join(" | "),
                r.test_accuracy,
                r.seconds
            ));
        }
        md
    }

    /// `best.toml`: the shared settings, the best trial's and its seed, as
    /// `cargo xtask train MODEL --config best.toml` reads them; `None` before any trial
    /// has finished.
    pub fn best_toml(&self) -> Option<String> {
        let best = self.best()?;
        let mut table = toml::Table::new();
        table.insert("model".into(), toml::Value::String(self.plan.model.clone()));
        let settings = self.plan.settings(best.index).ok()?;
        for (name, value) in settings {
            table.insert(name, toml_value(&value));
        }
        let header = format!(
            "# The best of {} trials ({} {:.4}, trial {}): `cargo xtask train {} --config best.toml`\n",
            self.results.len(),
            self.plan.metric,
            best.score,
            best.index,
            self.plan.model
        );
        Some(header + &toml::to_string(&table).expect("a table of plain values serialises"))
    }

    /// Writes `trials.csv`, `results.md`, `best.toml` and `<metric>-vs-<setting>.png` for
    /// every searched setting into `dir`, and returns their paths.
    ///
    /// # Errors
    /// [`TrainError::Io`] or [`TrainError::Plot`] naming the file.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>, TrainError> {
        let mut written = Vec::new();
        let mut put = |name: &str, text: String| -> Result<(), TrainError> {
            let path = dir.join(name);
            write_atomically(&path, text.as_bytes())?;
            written.push(path);
            Ok(())
        };
        put("trials.csv", self.csv())?;
        put("results.md", self.markdown())?;
        if let Some(best) = self.best_toml() {
            put("best.toml", best)?;
        }
        for (i, param) in self.plan.space.params.iter().enumerate() {
            let path = dir.join(format!("{}-vs-{}.png", self.plan.metric, param.name));
            self.plot(i, &path)?;
            written.push(path);
        }
        Ok(written)
    }

    /// Draws the score of every finished trial against searched setting `i`: a log axis for
    /// log-uniform settings (and numbers spanning two decades or more), one column per
    /// value for words.
    fn plot(&self, i: usize, path: &Path) -> Result<(), TrainError> {
        register_font();
        let param = &self.plan.space.params[i];
        let raw: Vec<(&str, f64)> = self
            .results
            .iter()
            .map(|r| (r.params[i].1.as_str(), r.score))
            .collect();
        let numbers: Option<Vec<f64>> = raw.iter().map(|(v, _)| v.parse::<f64>().ok()).collect();
        let mut labels: Vec<String> = Vec::new();
        let (xs, log) = match numbers {
            Some(xs) if !xs.is_empty() => {
                let (lo, hi) = finite_bounds(xs.iter().copied());
                let log = matches!(param.values, Distribution::LogUniform { .. })
                    || (lo > 0.0 && hi / lo >= 100.0);
                (
                    if log {
                        xs.iter().map(|x| x.log10()).collect()
                    } else {
                        xs
                    },
                    log,
                )
            }
            _ => {
                for (v, _) in &raw {
                    if !labels.iter().any(|l| l == v) {
                        labels.push(v.to_string());
                    }
                }
                let xs = raw
                    .iter()
                    .map(|(v, _)| labels.iter().position(|l| l == v).unwrap_or(0) as f64);
                (xs.collect(), false)
            }
        };
        let points: Vec<(f64, f64)> = xs.into_iter().zip(raw.iter().map(|r| r.1)).collect();
        draw_atomically(path, |tmp| {
            let err = |e: &dyn std::fmt::Display| TrainError::plot(path, e);
            let root = BitMapBackend::new(tmp, (640, 420)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| err(&e))?;
            let (x_lo, x_hi) = finite_bounds(points.iter().map(|p| p.0));
            let (y_lo, y_hi) = finite_bounds(points.iter().map(|p| p.1));
            let (xm, ym) = (margin(x_lo, x_hi, 0.08), margin(y_lo, y_hi, 0.1));
            let mut chart = ChartBuilder::on(&root)
                .caption(
                    format!("{} against {}", self.plan.metric, param.name),
                    ("sans-serif", 20),
                )
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(60)
                .build_cartesian_2d((x_lo - xm)..(x_hi + xm), (y_lo - ym)..(y_hi + ym))
                .map_err(|e| err(&e))?;
            let label = |x: &f64| match (log, labels.is_empty()) {
                (true, _) => format!("{:.0e}", 10f64.powf(*x)),
                (false, true) => tick(*x),
                (false, false) => {
                    let i = x.round();
                    if (x - i).abs() < 1e-6 && i >= 0.0 {
                        labels.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                }
            };
            chart
                .configure_mesh()
                .x_desc(if log {
                    format!("{} (log scale)", param.name)
                } else {
                    param.name.clone()
                })
                .y_desc(self.plan.metric.to_string())
                .x_label_formatter(&label)
                .draw()
                .map_err(|e| err(&e))?;
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 5, BLUE.filled())))
                .map_err(|e| err(&e))?;
            if let Some(best) = self.best() {
                let p = points[self
                    .results
                    .iter()
                    .position(|r| r.index == best.index)
                    .unwrap_or(0)];
                chart
                    .draw_series(std::iter::once(Circle::new(p, 8, RED.stroke_width(2))))
                    .map_err(|e| err(&e))?;
            }
            root.present().map_err(|e| err(&e))
        })
    }
}

/// Room around `lo..hi` on an axis: a `share` of the range, or of the value itself when
/// every point sits on one value (a range of 0.5 around 0.001 would hide it).
fn margin(lo: f64, hi: f64, share: f64) -> f64 {
    if hi > lo {
        (hi - lo) * share
    } else if lo != 0.0 {
        lo.abs() * share
    } else {
        0.5
    }
}

/// A tick label that stays short for learning rates and batch sizes alike.
fn tick(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.abs() < 1e-2 || x.abs() >= 1e5 {
        format!("{x:.1e}")
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A flag's value as TOML writes it: a switch, an integer, a number or a word.
fn toml_value(v: &str) -> toml::Value {
    match v {
        "true" => toml::Value::Boolean(true),
        "false" => toml::Value::Boolean(false),
        _ => v
            .parse::<i64>()
            .map(toml::Value::Integer)
            .or_else(|_| v.parse::<f64>().map(toml::Value::Float))
            .ok()
            .filter(|n| n.as_float().is_none_or(f64::is_finite))
            .unwrap_or_else(|| toml::Value::String(v.to_string())),
    }
}

/// `v`, quoted when it holds a comma, a quote or a line break.
fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Metric, SearchSpace};

    fn report(dir: &Path) -> SearchReport {
        let space = SearchSpace::parse("lr=log(1e-4,1e-1);optimizer=adam,sgd").unwrap();
        let base = vec![("epochs".to_string(), "2".to_string())];
        let plan = SearchPlan::random("lenet", space, 4, base, Metric::ValidAccuracy, None, 9);
        plan.save(dir).unwrap();
        for (k, score) in [(0, 91.0), (1, f64::NAN), (3, 97.5)] {
            let trial = &plan.trials[k];
            let result = TrialResult {
                index: k,
                params: trial.params.clone(),
                seed: trial.seed,
                metric: plan.metric,
                scores: vec![score],
                score,
                score_std: 0.0,
                test_accuracy: 90.0,
                epochs: vec![2],
                seconds: 10.0,
                runs: vec![SearchPlan::trial_dir(Path::new(""), k)],
                failed: None,
            };
            std::fs::create_dir_all(SearchPlan::trial_dir(dir, k)).unwrap();
            result.save(dir).unwrap();
        }
        SearchReport::collect(dir).unwrap()
    }

    #[test]
    fn trials_are_ranked_best_first_with_nan_last() {
        let dir = tempfile::tempdir().unwrap();
        let report = report(dir.path());
        assert_eq!(report.missing, vec![2]);
        let order: Vec<usize> = report.ranked().iter().map(|r| r.index).collect();
        assert_eq!(order, vec![3, 0, 1]);
        let csv = report.csv();
        assert!(
            csv.starts_with("trial,lr,optimizer,seed,valid-accuracy,"),
            "{csv}"
        );
        assert_eq!(csv.lines().count(), 4);
        let md = report.markdown();
        assert!(md.contains("3 of 4 trials finished"), "{md}");
        let first_row = md.lines().find(|l| l.starts_with("| 1 |")).unwrap();
        assert!(
            first_row.starts_with("| 1 | 3 |") && first_row.contains("97.5000"),
            "{md}"
        );
    }

    #[test]
    fn best_toml_holds_the_shared_and_best_settings_with_types() {
        let dir = tempfile::tempdir().unwrap();
        let report = report(dir.path());
        let best: toml::Table = toml::from_str(&report.best_toml().unwrap()).unwrap();
        let trial = &report.plan.trials[3];
        assert_eq!(best["model"].as_str(), Some("lenet"));
        assert_eq!(best["epochs"].as_integer(), Some(2));
        assert_eq!(best["seed"].as_integer(), Some(trial.seed as i64));
        let lr: f64 = trial.params[0].1.parse().unwrap();
        assert_eq!(best["lr"].as_float(), Some(lr));
        assert_eq!(best["optimizer"].as_str(), Some(trial.params[1].1.as_str()));
    }

    #[test]
    fn writes_every_file_and_a_plot_per_setting() {
        let dir = tempfile::tempdir().unwrap();
        let written = report(dir.path()).write(dir.path()).unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "trials.csv",
                "results.md",
                "best.toml",
                "valid-accuracy-vs-lr.png",
                "valid-accuracy-vs-optimizer.png"
            ]
        );
        let png = image_size(&written[3]);
        assert_eq!(png, (640, 420));
        assert!(!dir.path().join("valid-accuracy-vs-lr.png.tmp").exists());
    }

    /// Width and height from a PNG's IHDR chunk.
    fn image_size(path: &Path) -> (u32, u32) {
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        (be(16), be(20))
    }
}
