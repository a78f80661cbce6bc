//! The confusion matrix of a classifier on a dataset, and the per-class scores it gives.

use std::fmt;

/// Counts of (true class, predicted class) pairs: row `t`, column `p` holds the examples
/// of class `t` the model predicted as `p` (scikit-learn's convention). burn-train has no
/// confusion matrix; this one is filled by [`evaluate`](crate::evaluate).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfusionMatrix {
    class_names: Vec<String>,
    counts: Vec<Vec<usize>>,
}

/// Precision, recall and F1 of one class, in percent, and its number of true examples.
///
/// - precision = TP / (TP + FP): of the examples predicted as the class, the share that are;
/// - recall = TP / (TP + FN): of the class's examples, the share found;
/// - F1 = 2·P·R / (P + R), their harmonic mean.
///
/// A ratio whose denominator is 0 (a class never predicted, or without examples) is 0, as
/// scikit-learn's `zero_division=0`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClassScore {
    /// The class name.
    pub class: String,
    /// Precision, percent.
    pub precision: f64,
    /// Recall, percent.
    pub recall: f64,
    /// F1 score, percent.
    pub f1: f64,
    /// Examples of this class in the dataset.
    pub support: usize,
}

/// Precision, recall and F1 averaged over the classes, in percent.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Averages {
    /// Mean precision.
    pub precision: f64,
    /// Mean recall.
    pub recall: f64,
    /// Mean F1.
    pub f1: f64,
}

/// Per-class scores with their macro average (every class counts once) and weighted
/// average (each class weighted by its support; the weighted recall equals the accuracy).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClassReport {
    /// One entry per class, in label order.
    pub per_class: Vec<ClassScore>,
    /// The unweighted mean over classes.
    pub macro_avg: Averages,
    /// The support-weighted mean over classes.
    pub weighted_avg: Averages,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

impl ConfusionMatrix {
    /// An empty matrix for these classes, in label order.
    pub fn new(class_names: Vec<String>) -> Self {
        let n = class_names.len();
        ConfusionMatrix {
            class_names,
            counts: vec![vec![0; n]; n],
        }
    }

    /// Counts one example of class `target` predicted as `predicted`.
    ///
    /// # Panics
    /// If either index is not below the number of classes.
    pub fn add(&mut self, target: usize, predicted: usize) {
        self.counts[target][predicted] += 1;
    }

    /// The class names, in label order.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// Row `t`, column `p`: examples of class `t` predicted as `p`.
    pub fn counts(&self) -> &[Vec<usize>] {
        &self.counts
    }

    /// Every example counted.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// The examples on the diagonal (predicted correctly).
    pub fn correct(&self) -> usize {
        (0..self.counts.len()).map(|i| self.counts[i][i]).sum()
    }

    /// Precision, recall and F1 per class, and their macro and weighted averages.
    pub fn report(&self) -> ClassReport {
        let n = self.counts.len();
        let per_class: Vec<ClassScore> = (0..n)
            .map(|c| {
                let tp = self.counts[c][c];
                let support: usize = self.counts[c].iter().sum();
                let predicted: usize = self.counts.iter().map(|row| row[c]).sum();
                let (precision, recall) = (ratio(tp, predicted), ratio(tp, support));
                let f1 = if precision + recall > 0.0 {
                    2.0 * precision * recall / (precision + recall)
                } else {
                    0.0
                };
                ClassScore {
                    class: self.class_names[c].clone(),
                    precision,
                    recall,
                    f1,
                    support,
                }
            })
            .collect();
        let average = |weight: &dyn Fn(&ClassScore) -> f64| {
            let total: f64 = per_class.iter().map(weight).sum();
            let mean = |value: fn(&ClassScore) -> f64| {
                if total == 0.0 {
                    0.0
                } else {
                    per_class.iter().map(|s| weight(s) * value(s)).sum::<f64>() / total
                }
            };
            Averages {
                precision: mean(|s| s.precision),
                recall: mean(|s| s.recall),
                f1: mean(|s| s.f1),
            }
        };
        ClassReport {
            macro_avg: average(&|_| 1.0),
            weighted_avg: average(&|s| s.support as f64),
            per_class,
        }
    }

    /// The matrix as CSV: a header `true\predicted,<class>,...`, then one row per true
    /// class. Names holding a comma or a quote are quoted.
    pub fn to_csv(&self) -> String {
        let quote = |name: &str| {
            if name.contains([',', '"', '\n']) {
                format!("\"{}\"", name.replace('"', "\"\""))
            } else {
                name.to_string()
            }
        };
        let mut csv = String::from("true\\predicted");
        for name in &self.class_names {
            csv.push(',');
            csv.push_str(&quote(name));
        }
        csv.push('\n');
        for (name, row) in self.class_names.iter().zip(&self.counts) {
            csv.push_str(&quote(name));
            for count in row {
                csv.push_str(&format!(",{count}"));
            }
            csv.push('\n');
        }
        csv
    }
}

impl fmt::Display for ClassReport {
    /// A table in the layout of scikit-learn's `classification_report`, in percent.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .per_class
            .iter()
            .map(|s| s.class.chars().count())
            .chain([12])
            .max()
            .unwrap_or(12);
        writeln!(
            f,
            "{:>width$}  {:>9}  {:>9}  {:>9}  {:>7}",
            "class", "precision", "recall", "f1", "support"
        )?;
        for s in &self.per_class {
            let pad = width.saturating_sub(s.class.chars().count());
            writeln!(
                f,
                "{}{}  {:>8.2}%  {:>8.2}%  {:>8.2}%  {:>7}",
                " ".repeat(pad),
                s.class,
                s.precision,
                s.recall,
                s.f1,
                s.support
            )?;
        }
        let support: usize = self.per_class.iter().map(|s| s.support).sum();
        for (name, a) in [
            ("macro avg", &self.macro_avg),
            ("weighted avg", &self.weighted_avg),
        ] {
            writeln!(
                f,
                "{name:>width$}  {:>8.2}%  {:>8.2}%  {:>8.2}%  {support:>7}",
                a.precision, a.recall, a.f1
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows are true classes: A has 4 examples (3 right, 1 taken for B), B 2 (1 right,
    /// 1 taken for C), C 4 (2 right, 2 taken for A).
    fn three_classes() -> ConfusionMatrix {
        let mut m = ConfusionMatrix::new(vec!["A".into(), "B".into(), "C".into()]);
        let pairs = [(0, 0), (0, 0), (0, 0), (0, 1), (1, 1), (1, 2)];
        for (t, p) in pairs.into_iter().chain([(2, 2), (2, 2), (2, 0), (2, 0)]) {
            m.add(t, p);
        }
        m
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn per_class_scores_match_the_hand_computed_ones() {
        let m = three_classes();
        assert_eq!((m.total(), m.correct()), (10, 6));
        let r = m.report();
        // Column sums (predicted as A, B, C): 5, 2, 3.
        // precision A = 3/5, B = 1/2, C = 2/3; recall A = 3/4, B = 1/2, C = 2/4.
        let expected = [
            (60.0, 75.0, 2.0 * 60.0 * 75.0 / 135.0, 4),
            (50.0, 50.0, 50.0, 2),
            (200.0 / 3.0, 50.0, 400.0 / 7.0, 4),
        ];
        for (score, (p, rec, f1, support)) in r.per_class.iter().zip(expected) {
            close(score.precision, p);
            close(score.recall, rec);
            close(score.f1, f1);
            assert_eq!(score.support, support);
        }
        // Macro: plain means; weighted: by support 4, 2, 4 (weighted recall = accuracy 60%).
        close(r.macro_avg.precision, (60.0 + 50.0 + 200.0 / 3.0) / 3.0);
        close(r.macro_avg.recall, (75.0 + 50.0 + 50.0) / 3.0);
        close(r.macro_avg.f1, (200.0 / 3.0 + 50.0 + 400.0 / 7.0) / 3.0);
        close(
            r.weighted_avg.precision,
            (240.0 + 100.0 + 800.0 / 3.0) / 10.0,
        );
        close(r.weighted_avg.recall, 60.0);
        close(
            r.weighted_avg.f1,
            (800.0 / 3.0 + 100.0 + 1600.0 / 7.0) / 10.0,
        );
    }

    #[test]
    fn a_class_never_predicted_scores_zero_not_nan() {
        let mut m = ConfusionMatrix::new(vec!["x".into(), "y".into()]);
        m.add(0, 0);
        m.add(1, 0);
        let y = &m.report().per_class[1];
        assert_eq!((y.precision, y.recall, y.f1, y.support), (0.0, 0.0, 0.0, 1));
    }

    #[test]
    fn csv_has_a_header_and_one_row_per_true_class() {
        let mut m = ConfusionMatrix::new(vec!["猫".into(), "a,b".into()]);
        m.add(0, 1);
        assert_eq!(
            m.to_csv(),
            "true\\predicted,猫,\"a,b\"\n猫,0,1\n\"a,b\",0,0\n"
        );
    }

    #[test]
    fn the_table_lines_up_with_wide_names() {
        let table = three_classes().report().to_string();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 6);
        assert!(
            lines[1].ends_with("60.00%     75.00%     66.67%        4"),
            "{table}"
        );
        assert!(lines[5].starts_with("weighted avg"), "{table}");
    }
}
