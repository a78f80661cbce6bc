//! Loss and accuracy curves per epoch, drawn with plotters.

use std::path::Path;
use std::sync::Once;

use plotters::prelude::*;

use crate::epoch_log::EpochMetrics;
use crate::TrainError;

pub(crate) fn register_font() {
    static FONT: Once = Once::new();
    FONT.call_once(|| {
        // DejaVu Sans is embedded, so drawing needs no system font.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
    });
}

/// Draws `curves.png`: training and validation loss (left) and accuracy (right) per epoch.
///
/// # Errors
/// [`TrainError::Plot`] naming the file.
pub fn plot_curves(path: &Path, epochs: &[EpochMetrics]) -> Result<(), TrainError> {
    register_font();
    let plot_err = |e: &dyn std::fmt::Display| TrainError::Plot {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let root = BitMapBackend::new(path, (1000, 420)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| plot_err(&e))?;
    let (left, right) = root.split_horizontally(500);
    let x_max = epochs.len().max(1) as f64 + 0.5;
    let panels = [
        (
            "Loss",
            left,
            [
                (
                    "train",
                    epochs.iter().map(|e| e.train_loss).collect::<Vec<_>>(),
                    BLUE,
                ),
                ("valid", epochs.iter().map(|e| e.valid_loss).collect(), RED),
            ],
        ),
        (
            "Accuracy (%)",
            right,
            [
                (
                    "train",
                    epochs.iter().map(|e| e.train_accuracy).collect(),
                    BLUE,
                ),
                (
                    "valid",
                    epochs.iter().map(|e| e.valid_accuracy).collect(),
                    RED,
                ),
            ],
        ),
    ];
    for (title, area, series) in panels {
        let (lo, hi) = finite_bounds(series.iter().flat_map(|(_, v, _)| v.iter().copied()));
        let margin = ((hi - lo) * 0.1).max(1e-3);
        let mut chart = ChartBuilder::on(&area)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0.5..x_max, (lo - margin)..(hi + margin))
            .map_err(|e| plot_err(&e))?;
        chart
            .configure_mesh()
            .x_desc("epoch")
            .x_labels(epochs.len().clamp(2, 12))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()
            .map_err(|e| plot_err(&e))?;
        for (name, values, color) in series {
            let points: Vec<(f64, f64)> = values
                .iter()
                .enumerate()
                .map(|(i, &v)| (i as f64 + 1.0, v))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
                .map_err(|e| plot_err(&e))?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 3, color.filled())),
                )
                .map_err(|e| plot_err(&e))?;
        }
        draw_legend(&mut chart, SeriesLabelPosition::MiddleRight).map_err(|e| plot_err(&e))?;
    }
    root.present().map_err(|e| plot_err(&e))?;
    Ok(())
}

/// Draws the legend of `chart`'s labelled series at `position`: Ember's one legend style
/// (white, mostly opaque, black border) for every chart it draws.
pub(crate) fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
}

/// The smallest and largest finite value, `(0, 1)` when there is none.
pub(crate) fn finite_bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        (0.0, 1.0)
    } else {
        (lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_png() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("curves.png");
        let epochs: Vec<EpochMetrics> = (1..=3)
            .map(|e| EpochMetrics {
                epoch: e,
                train_loss: 1.0 / e as f64,
                train_accuracy: 90.0 + e as f64,
                valid_loss: 1.2 / e as f64,
                valid_accuracy: 89.0 + e as f64,
                seconds: 1.0,
            })
            .collect();
        plot_curves(&path, &epochs).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }
}
