//! A PNG grid of image batches, for looking at augmentations.

use std::path::Path;

use ember::burn::prelude::*;

/// Writes `columns` (each `[n, c, h, w]` in [0, 1], `c` 1 or 3; sizes may differ between
/// columns) side by side, one row per image, each enlarged by a whole factor to the size of
/// the largest, and small images at least to about 128 pixels.
///
/// # Errors
/// When the PNG cannot be encoded or written.
pub fn write_png(path: &Path, columns: &[Tensor<4>]) -> crate::Result<()> {
    let dims: Vec<[usize; 4]> = columns.iter().map(|c| c.dims()).collect();
    let rows = dims[0][0];
    let side = dims.iter().map(|d| d[2].max(d[3])).max().unwrap_or(1);
    let scale = (128 / side).max(1);
    let (cell, gap) = (side * scale, 4);
    let width = columns.len() * (cell + gap) + gap;
    let height = rows * (cell + gap) + gap;
    let mut canvas = image::RgbImage::from_pixel(width as u32, height as u32, image::Rgb([64; 3]));
    for (col, batch) in columns.iter().enumerate() {
        let [n, c, h, w] = dims[col];
        // Each column fills the cell: a 32x32 original beside 224x224 crops is enlarged 7x.
        let scale = cell / h.max(w);
        let values: Vec<f32> = batch
            .clone()
            .clamp(0.0, 1.0)
            .into_data()
            .try_into_vec_as::<f32>()?;
        for row in 0..n.min(rows) {
            let (x0, y0) = (gap + col * (cell + gap), gap + row * (cell + gap));
            for y in 0..h * scale {
                for x in 0..w * scale {
                    let at = |ch: usize| {
                        let i = ((row * c + ch.min(c - 1)) * h + y / scale) * w + x / scale;
                        (values[i] * 255.0).round() as u8
                    };
                    canvas.put_pixel(
                        (x0 + x) as u32,
                        (y0 + y) as u32,
                        image::Rgb([at(0), at(1), at(2)]),
                    );
                }
            }
        }
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    canvas.save_with_format(path, image::ImageFormat::Png)?;
    Ok(())
}
