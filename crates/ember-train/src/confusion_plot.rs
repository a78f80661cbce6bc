//! The confusion matrix as a labelled heat map, drawn with plotters.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::confusion::ConfusionMatrix;
use crate::curves::register_font;
use crate::TrainError;

/// Draws `matrix` as a heat map: one cell per (true, predicted) pair holding its count,
/// shaded by the share of the true class's examples it holds (the diagonal is the recall),
/// class names along both axes.
///
/// # Errors
/// [`TrainError::Plot`] naming the file.
pub fn plot_confusion(path: &Path, matrix: &ConfusionMatrix) -> Result<(), TrainError> {
    register_font();
    let names = matrix.class_names();
    let n = names.len().max(1);
    let cell = (560 / n).clamp(24, 64) as i32;
    let label_width = names.iter().map(|s| s.chars().count()).max().unwrap_or(1) as i32;
    let margin = (label_width * 8 + 24).clamp(60, 220);
    let (top, side) = (50, cell * n as i32);
    let size = ((margin + side + 20) as u32, (top + side + margin) as u32);
    let root = BitMapBackend::new(path, size).into_drawing_area();
    let err = |e: &dyn std::fmt::Display| TrainError::plot(path, e);
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let title = ("sans-serif", 18).into_font();
    root.draw(&Text::new(
        "Confusion matrix (rows: true class, columns: predicted)",
        (10, 14),
        title,
    ))
    .map_err(|e| err(&e))?;
    let font = ("sans-serif", (cell / 3).clamp(10, 16)).into_font();
    for (t, row) in matrix.counts().iter().enumerate() {
        let total: usize = row.iter().sum::<usize>().max(1);
        for (p, &count) in row.iter().enumerate() {
            let share = count as f64 / total as f64;
            let (x, y) = (margin + p as i32 * cell, top + t as i32 * cell);
            // White to a deep blue as the share grows.
            let shade = |full: f64, none: f64| (none + (full - none) * share) as u8;
            let fill = RGBColor(shade(8.0, 247.0), shade(48.0, 251.0), shade(107.0, 255.0));
            root.draw(&Rectangle::new(
                [(x, y), (x + cell, y + cell)],
                fill.filled(),
            ))
            .map_err(|e| err(&e))?;
            let ink = if share > 0.5 { WHITE } else { BLACK };
            let style = font
                .clone()
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            root.draw(&Text::new(
                count.to_string(),
                (x + cell / 2, y + cell / 2),
                style,
            ))
            .map_err(|e| err(&e))?;
        }
    }
    let label = ("sans-serif", 14).into_font();
    for (i, name) in names.iter().enumerate() {
        let middle = i as i32 * cell + cell / 2;
        let left = label
            .clone()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(name.as_str(), (margin - 6, top + middle), left))
            .map_err(|e| err(&e))?;
        let below = label
            .clone()
            .transform(FontTransform::Rotate270)
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(
            name.as_str(),
            (margin + middle, top + side + 6),
            below,
        ))
        .map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_png_of_the_expected_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("confusion.png");
        let mut m = ConfusionMatrix::new((0..10).map(|d| d.to_string()).collect());
        for i in 0..100 {
            m.add(i % 10, (i * 7) % 10);
        }
        plot_confusion(&path, &m).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, at bytes 16..24 (cell 56 px, margin 60).
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(width, 60 + 560 + 20);
    }
}
