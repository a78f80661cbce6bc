//! Several finished runs side by side: their curves on shared axes, labelled by what differs
//! between their settings, and a table of their final metrics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use serde_json::Value;

use crate::curves::{draw_legend, finite_bounds, register_font};
use crate::epoch_log::EpochMetrics;
use crate::record::RunRecord;
use crate::run_dir::{draw_atomically, files, RunDir};
use crate::TrainError;

/// One run of a [`RunComparison`]: its settings, its epochs and its test accuracy.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparedRun {
    /// The run folder.
    pub dir: PathBuf,
    /// Its settings as `name → value`: the `train` flags it recorded, or for a run started
    /// from code its [`FitConfig`](crate::FitConfig) fields.
    pub settings: BTreeMap<String, String>,
    /// Its epochs, from `metrics.csv`.
    pub epochs: Vec<EpochMetrics>,
    /// Test accuracy (%) from `test.json`; `None` when the run did not finish.
    pub test_accuracy: Option<f64>,
}

/// Finished runs to compare, e.g. one optimizer against another.
///
/// ```no_run
/// use ember_train::RunComparison;
///
/// let runs = RunComparison::load(&["runs/adam".into(), "runs/sgd".into()])?;
/// println!("{}", runs.markdown()); // | run | optimizer | ... | test accuracy (%) |
/// runs.plot("compare.png".as_ref())?; // loss and accuracy, the legend naming the optimizer
/// # Ok::<(), ember_train::TrainError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RunComparison {
    /// The runs, in the order given.
    pub runs: Vec<ComparedRun>,
    /// The settings whose values are not the same in every run, sorted.
    pub differing: Vec<String>,
}

impl RunComparison {
    /// Reads the run folders `dirs` (at least one).
    ///
    /// # Errors
    /// [`TrainError::Invalid`] when a folder is not a run folder or its files are not an
    /// Ember run's, [`TrainError::Search`] when `dirs` is empty.
    pub fn load(dirs: &[PathBuf]) -> Result<Self, TrainError> {
        if dirs.is_empty() {
            return Err(TrainError::search(
                "compare-runs",
                "name the run folders to compare, e.g. runs/adam runs/sgd",
            ));
        }
        let runs = dirs
            .iter()
            .map(|d| read_run(d))
            .collect::<Result<Vec<_>, _>>()?;
        let mut names: Vec<&String> = runs.iter().flat_map(|r| r.settings.keys()).collect();
        names.sort();
        names.dedup();
        let differing = names
            .into_iter()
            .filter(|name| {
                let first = runs[0].settings.get(*name);
                runs.iter().any(|r| r.settings.get(*name) != first)
            })
            .cloned()
            .collect();
        Ok(RunComparison { runs, differing })
    }

    /// Run `i`'s name in a legend: its differing settings (`optimizer=sgd lr=0.1`), or its
    /// folder's name when the runs differ in nothing recorded.
    pub fn label(&self, i: usize) -> String {
        let run = &self.runs[i];
        if self.differing.is_empty() {
            return folder_name(&run.dir);
        }
        self.differing
            .iter()
            .map(|name| {
                format!(
                    "{name}={}",
                    run.settings.get(name).map_or("-", String::as_str)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The final metrics as a Markdown table: one row per run, a column per differing
    /// setting, then the last epoch's losses and accuracies and the test accuracy.
    pub fn markdown(&self) -> String {
        let mut md = String::from("| run |");
        for name in &self.differing {
            md.push_str(&format!(" {name} |"));
        }
        md.push_str(
            " epochs | train loss | valid loss | train accuracy (%) | valid accuracy (%) | \
             test accuracy (%) |\n|---|",
        );
        md.push_str(&"---|".repeat(self.differing.len() + 6));
        md.push('\n');
        for run in &self.runs {
            md.push_str(&format!("| {} |", folder_name(&run.dir)));
            for name in &self.differing {
                md.push_str(&format!(
                    " {} |",
                    run.settings.get(name).map_or("-", String::as_str)
                ));
            }
            let cell =
                |v: Option<f64>, digits: usize| v.map_or("-".into(), |v| format!("{v:.digits$}"));
            let last = run.epochs.last();
            md.push_str(&format!(
                " {} | {} | {} | {} | {} | {} |\n",
                run.epochs.len(),
                cell(last.map(|e| e.train_loss), 4),
                cell(last.map(|e| e.valid_loss), 4),
                cell(last.map(|e| e.train_accuracy), 2),
                cell(last.map(|e| e.valid_accuracy), 2),
                cell(run.test_accuracy, 2),
            ));
        }
        md
    }

    /// Draws the runs' curves into `path` (a PNG, 1200 × 500): loss (left) and accuracy
    /// (right) per epoch, one colour per run, training solid and validation dashed.
    ///
    /// # Errors
    /// [`TrainError::Plot`] naming the file.
    pub fn plot(&self, path: &Path) -> Result<(), TrainError> {
        register_font();
        draw_atomically(path, |tmp| self.draw(tmp, &|e| TrainError::plot(path, e)))
    }

    fn draw(
        &self,
        tmp: &Path,
        err: &dyn Fn(&dyn std::fmt::Display) -> TrainError,
    ) -> Result<(), TrainError> {
        let root = BitMapBackend::new(tmp, (1200, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (left, right) = root.split_horizontally(600);
        let panels: [(&str, _, Pick); 2] = [
            ("Loss", left, |e| [e.train_loss, e.valid_loss]),
            ("Accuracy (%)", right, |e| {
                [e.train_accuracy, e.valid_accuracy]
            }),
        ];
        let x_max = self
            .runs
            .iter()
            .map(|r| r.epochs.len())
            .max()
            .unwrap_or(1)
            .max(1);
        for (title, area, pick) in panels {
            let values = self
                .runs
                .iter()
                .flat_map(|r| r.epochs.iter().flat_map(pick));
            let (lo, hi) = finite_bounds(values);
            let margin = ((hi - lo) * 0.1).max(1e-3);
            let mut chart = ChartBuilder::on(&area)
                .caption(title, ("sans-serif", 22))
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(56)
                .build_cartesian_2d(0.5..x_max as f64 + 0.5, (lo - margin)..(hi + margin))
                .map_err(|e| err(&e))?;
            chart
                .configure_mesh()
                .x_desc("epoch (solid: train, dashed: valid)")
                .x_labels(x_max.clamp(2, 12))
                .x_label_formatter(&|x| format!("{x:.0}"))
                .draw()
                .map_err(|e| err(&e))?;
            for (i, run) in self.runs.iter().enumerate() {
                let color = Palette99::pick(i).to_rgba();
                let series = |which: usize| -> Vec<(f64, f64)> {
                    let points = run.epochs.iter().map(|e| (e.epoch as f64, pick(e)[which]));
                    points.filter(|p| p.1.is_finite()).collect()
                };
                chart
                    .draw_series(LineSeries::new(series(0), color.stroke_width(2)))
                    .map_err(|e| err(&e))?
                    .label(self.label(i))
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                    });
                chart
                    .draw_series(DashedLineSeries::new(
                        series(1),
                        6,
                        4,
                        color.stroke_width(2),
                    ))
                    .map_err(|e| err(&e))?;
            }
            draw_legend(&mut chart, SeriesLabelPosition::MiddleRight).map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))
    }
}

/// The (train, valid) pair of one quantity in an epoch.
type Pick = fn(&EpochMetrics) -> [f64; 2];

fn read_run(dir: &Path) -> Result<ComparedRun, TrainError> {
    let run = RunDir::open(dir)?;
    let record: RunRecord = run.read_json(files::CONFIG)?;
    let settings = match &record.settings {
        Value::Object(map) => flatten(map, ""),
        _ => match serde_json::to_value(&record.fit) {
            Ok(Value::Object(map)) => flatten(&map, ""),
            _ => BTreeMap::new(),
        },
    };
    Ok(ComparedRun {
        dir: dir.to_path_buf(),
        settings,
        epochs: run.read_metrics()?,
        test_accuracy: run.test_accuracy()?,
    })
}

/// `{"optimizer": {"kind": "adam"}}` → `optimizer.kind = adam`.
fn flatten(map: &serde_json::Map<String, Value>, prefix: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (key, value) in map {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => out.extend(flatten(inner, &name)),
            Value::String(s) => {
                out.insert(name, s.clone());
            }
            other => {
                out.insert(name, other.to_string());
            }
        }
    }
    out
}

fn folder_name(dir: &Path) -> String {
    dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_dir::METRICS_HEADER;

    /// A run folder as `cargo xtask train` leaves it, with `settings` and one line of
    /// metrics per `(train loss, valid accuracy)`.
    fn fake_run(dir: &Path, settings: Value, epochs: &[(f64, f64)], test: Option<f64>) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let mut record = RunRecord::new(crate::FitConfig::new().with_epochs(epochs.len()));
        record.settings = settings;
        std::fs::write(
            dir.join(files::CONFIG),
            serde_json::to_string(&record).unwrap(),
        )
        .unwrap();
        let mut csv = format!("{METRICS_HEADER}\n");
        for (i, (loss, acc)) in epochs.iter().enumerate() {
            csv.push_str(&format!("{},{loss},50.0,{},{acc},1.0\n", i + 1, loss * 1.1));
        }
        std::fs::write(dir.join(files::METRICS), csv).unwrap();
        if let Some(acc) = test {
            std::fs::write(dir.join(files::TEST), format!("{{\"accuracy\": {acc}}}")).unwrap();
        }
        dir.to_path_buf()
    }

    fn two_runs(tmp: &Path) -> RunComparison {
        let a = fake_run(
            &tmp.join("adam"),
            serde_json::json!({"optimizer": "adam", "lr": "1e-3", "epochs": "2"}),
            &[(0.9, 80.0), (0.5, 90.0)],
            Some(91.25),
        );
        let b = fake_run(
            &tmp.join("sgd"),
            serde_json::json!({"optimizer": "sgd", "lr": "1e-1", "epochs": "2"}),
            &[(1.9, 40.0), (f64::NAN, 10.0)],
            None,
        );
        RunComparison::load(&[a, b]).unwrap()
    }

    #[test]
    fn the_legend_names_only_what_differs() {
        let tmp = tempfile::tempdir().unwrap();
        let runs = two_runs(tmp.path());
        assert_eq!(runs.differing, ["lr", "optimizer"]);
        assert_eq!(runs.label(0), "lr=1e-3 optimizer=adam");
        assert_eq!(runs.label(1), "lr=1e-1 optimizer=sgd");
    }

    #[test]
    fn the_table_holds_the_last_epoch_and_the_test_accuracy() {
        let tmp = tempfile::tempdir().unwrap();
        let md = two_runs(tmp.path()).markdown();
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines.len(), 4, "{md}");
        assert!(
            lines[0].starts_with("| run | lr | optimizer | epochs |"),
            "{md}"
        );
        assert_eq!(lines[1].matches("---").count(), 9, "{md}");
        assert_eq!(
            lines[2],
            "| adam | 1e-3 | adam | 2 | 0.5000 | 0.5500 | 50.00 | 90.00 | 91.25 |"
        );
        assert!(
            lines[3].starts_with("| sgd | 1e-1 | sgd | 2 | NaN |") && lines[3].ends_with("| - |"),
            "{md}"
        );
    }

    #[test]
    fn runs_that_differ_in_nothing_are_named_by_their_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let same = serde_json::json!({"lr": "1e-3"});
        let a = fake_run(
            &tmp.path().join("first"),
            same.clone(),
            &[(1.0, 50.0)],
            None,
        );
        let b = fake_run(&tmp.path().join("second"), same, &[(1.0, 50.0)], None);
        let runs = RunComparison::load(&[a, b]).unwrap();
        assert!(runs.differing.is_empty());
        assert_eq!(
            (runs.label(0), runs.label(1)),
            ("first".into(), "second".into())
        );
    }

    #[test]
    fn a_run_started_from_code_is_compared_by_its_fit_config() {
        let tmp = tempfile::tempdir().unwrap();
        let a = fake_run(&tmp.path().join("a"), Value::Null, &[(1.0, 50.0)], None);
        let b = fake_run(
            &tmp.path().join("b"),
            Value::Null,
            &[(1.0, 50.0), (0.5, 60.0)],
            None,
        );
        let runs = RunComparison::load(&[a, b]).unwrap();
        assert_eq!(runs.differing, ["epochs"]);
    }

    #[test]
    fn the_plot_is_a_png_of_the_documented_size() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("compare.png");
        two_runs(tmp.path()).plot(&path).unwrap();
        let png = std::fs::read(&path).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let (w, h) = (
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            u32::from_be_bytes(png[20..24].try_into().unwrap()),
        );
        assert_eq!((w, h), (1200, 500));
    }

    #[test]
    fn a_folder_that_is_not_a_run_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let err = RunComparison::load(&[tmp.path().to_path_buf()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a run folder"), "{err}");
        assert!(RunComparison::load(&[]).is_err());
    }
}
