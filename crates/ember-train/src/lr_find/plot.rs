//! A range test's files: the loss against the learning rate as a picture and as CSV.

use std::path::{Path, PathBuf};

use plotters::coord::combinators::IntoLogRange;
use plotters::prelude::*;

use crate::curves::{draw_legend, finite_bounds, register_font};
use crate::run_dir::{draw_atomically, write_atomically};
use crate::{LrFinding, TrainError};

/// The file [`LrFinding::save`] writes the points to.
pub const LR_FIND_CSV: &str = "lr-find.csv";
/// The file [`LrFinding::save`] draws the curve in.
pub const LR_FIND_PLOT: &str = "lr-find.png";

impl LrFinding {
    /// Writes [`LR_FIND_CSV`] ([`csv`](Self::csv)) and [`LR_FIND_PLOT`]
    /// ([`plot`](Self::plot)) into `dir`, created if needed (files of an earlier test
    /// there are replaced), and returns their paths.
    ///
    /// # Errors
    /// [`TrainError::Io`] or [`TrainError::Plot`] naming the file.
    pub fn save(&self, dir: &Path) -> Result<[PathBuf; 2], TrainError> {
        std::fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
        let (csv, plot) = (dir.join(LR_FIND_CSV), dir.join(LR_FIND_PLOT));
        write_atomically(&csv, self.csv().as_bytes())?;
        self.plot(&plot)?;
        Ok([csv, plot])
    }

    /// Draws the test into `path` (a PNG, 900 × 500): the loss of each step (thin) and its
    /// smoothed value (thick) against the learning rate on a log axis, a red line at the
    /// [`suggestion`](Self::suggestion), dashed ones at the steepest descent (magenta) and
    /// the minimum's tenth (green), and a ring on the minimum. The loss axis spans the
    /// losses up to the smoothed minimum and some of the rise after it: the steps where the
    /// loss explodes run off the top rather than squash the rest.
    ///
    /// # Errors
    /// [`TrainError::Plot`] naming the file (also when the test has no point).
    pub fn plot(&self, path: &Path) -> Result<(), TrainError> {
        register_font();
        if self.points.is_empty() {
            return Err(TrainError::plot(
                path,
                "the test took no step: nothing to draw",
            ));
        }
        draw_atomically(path, |tmp| self.draw(tmp, &|e| TrainError::plot(path, e)))
    }

    /// The loss axis: from the lowest loss up to the smoothed minimum (raw or smoothed) to
    /// the highest smoothed loss before it, plus 60% of that span above for the rise (a
    /// diverging loss would squash the rest).
    fn loss_axis(&self) -> (f64, f64) {
        let until_minimum = self.minimum().map_or(self.points.len(), |m| m.step);
        let before = &self.points[..until_minimum];
        let (_, top) = finite_bounds(before.iter().map(|p| p.smoothed_loss));
        let (lo, _) = finite_bounds(before.iter().flat_map(|p| [p.loss, p.smoothed_loss]));
        let span = (top - lo).max(1e-3);
        (lo - 0.05 * span, top + 0.6 * span)
    }

    fn draw(
        &self,
        tmp: &Path,
        err: &dyn Fn(&dyn std::fmt::Display) -> TrainError,
    ) -> Result<(), TrainError> {
        let root = BitMapBackend::new(tmp, (900, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (lr_lo, lr_hi) = finite_bounds(self.points.iter().map(|p| p.lr));
        let (lr_lo, lr_hi) = (lr_lo / 1.5, (lr_hi * 1.5).max(lr_lo * 3.0));
        let (y_lo, y_hi) = self.loss_axis();
        let mut chart = ChartBuilder::on(&root)
            .caption("Learning-rate range test", ("sans-serif", 22))
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((lr_lo..lr_hi).log_scale(), y_lo..y_hi)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("learning rate (log scale)")
            .y_desc("training loss")
            .x_label_formatter(&|x| format!("{x:.0e}"))
            .draw()
            .map_err(|e| err(&e))?;
        let raw = self.points.iter().map(|p| (p.lr, p.loss.clamp(y_lo, y_hi)));
        let light = BLUE.mix(0.35);
        chart
            .draw_series(LineSeries::new(raw, light.stroke_width(1)))
            .map_err(|e| err(&e))?
            .label("loss")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], light));
        let smoothed = (self.points.iter()).map(|p| (p.lr, p.smoothed_loss.clamp(y_lo, y_hi)));
        chart
            .draw_series(LineSeries::new(smoothed, BLUE.stroke_width(3)))
            .map_err(|e| err(&e))?
            .label("smoothed loss")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLUE.stroke_width(3)));
        let inside = |lr: Option<f64>| lr.filter(|lr| (lr_lo..lr_hi).contains(lr));
        if let Some(lr) = inside(self.suggestion()) {
            let style = RED.stroke_width(3);
            chart
                .draw_series(LineSeries::new([(lr, y_lo), (lr, y_hi)], style))
                .map_err(|e| err(&e))?
                .label(format!("suggested: {lr:.1e}"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style));
        }
        let marks = [
            ("steepest descent", self.steepest().map(|p| p.lr), MAGENTA),
            ("minimum / 10", self.minimum_over_ten(), GREEN),
        ];
        for (name, lr, color) in marks {
            let Some(lr) = inside(lr) else { continue };
            let style = color.stroke_width(2);
            chart
                .draw_series(DashedLineSeries::new([(lr, y_lo), (lr, y_hi)], 8, 6, style))
                .map_err(|e| err(&e))?
                .label(format!("{name}: {lr:.1e}"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style));
        }
        if let Some(min) = self.minimum() {
            let ring = Circle::new((min.lr, min.smoothed_loss), 7, GREEN.stroke_width(2));
            chart
                .draw_series(std::iter::once(ring))
                .map_err(|e| err(&e))?;
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerLeft).map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LrPoint, LrStop};

    fn finding() -> LrFinding {
        let losses = [2.3, 2.3, 2.2, 1.6, 0.9, 0.7, 1.5, 40.0];
        let points = losses
            .iter()
            .enumerate()
            .map(|(i, &loss)| LrPoint {
                step: i + 1,
                lr: 1e-5 * 10f64.powi(i as i32),
                loss,
                smoothed_loss: loss.min(3.0),
            })
            .collect();
        LrFinding {
            points,
            planned_steps: 10,
            stop: LrStop::Diverged { step: 8, lr: 100.0 },
        }
    }

    #[test]
    fn save_writes_the_csv_and_a_png_of_the_documented_size() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("lr");
        let [csv, png] = finding().save(&dir).unwrap();
        assert_eq!(
            (csv.clone(), png.clone()),
            (dir.join(LR_FIND_CSV), dir.join(LR_FIND_PLOT))
        );
        let text = std::fs::read_to_string(&csv).unwrap();
        assert_eq!(text.lines().count(), 9);
        assert_eq!(text.lines().nth(8), Some("8,1.000000e2,40.000000,3.000000"));
        let png = std::fs::read(&png).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!((size(16), size(20)), (900, 500));
        // Only the two files: no temporary left behind; saving again replaces them.
        finding().save(&dir).unwrap();
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
    }

    #[test]
    fn a_test_without_points_is_not_drawn() {
        let tmp = tempfile::tempdir().unwrap();
        let empty = LrFinding {
            points: vec![],
            planned_steps: 10,
            stop: LrStop::NonFinite { step: 1, lr: 1e-7 },
        };
        let err = empty.plot(&tmp.path().join("x.png")).unwrap_err();
        assert!(err.to_string().contains("no step"), "{err}");
    }
}
