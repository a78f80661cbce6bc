//! Tiles in a grid, the layout of every picture of a model's insides; min-max scaling of
//! values to grey levels; and [`Picture`], one such image with its file name.

use std::path::{Path, PathBuf};

use image::{Rgb, RgbImage};

use crate::run_dir::draw_atomically;
use crate::TrainError;

/// The colour of the gaps between tiles: a mid blue-grey, unlike any grey level a tile holds.
pub const GAP_COLOUR: Rgb<u8> = Rgb([90, 110, 140]);

/// Equal tiles filled in row by row: `columns` per row, each `tile = [height, width]` source
/// pixels enlarged `scale` times (every source pixel a `scale × scale` square), `gap` pixels
/// of [`GAP_COLOUR`] between the tiles and around them.
///
/// The picture is `columns·width·scale + (columns + 1)·gap` pixels wide and
/// `rows·height·scale + (rows + 1)·gap` high, with `rows = ⌈tiles / columns⌉`.
///
/// ```
/// use ember_train::Grid;
/// // LeNet-5's six 5×5 kernels: 3 columns, 2 rows, each tile 9× (45 px), 1 px apart.
/// let grid = Grid::square(6, [5, 5], 48);
/// assert_eq!((grid.columns, grid.rows(), grid.scale), (3, 2, 9));
/// assert_eq!(grid.size(), (3 * 45 + 4, 2 * 45 + 3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// How many tiles.
    pub tiles: usize,
    /// Tiles per row.
    pub columns: usize,
    /// `[height, width]` of a tile's source, in source pixels.
    pub tile: [usize; 2],
    /// Picture pixels per source pixel, along each side.
    pub scale: usize,
    /// Picture pixels between tiles and around them.
    pub gap: usize,
}

impl Grid {
    /// `tiles` tiles in a near-square grid (`⌈√tiles⌉` columns), 1 pixel apart, each
    /// enlarged to about `target` pixels a side: `scale = max(1, target / max(height, width))`.
    pub fn square(tiles: usize, tile: [usize; 2], target: usize) -> Self {
        let columns = (1usize..).find(|c| c * c >= tiles).unwrap_or(1);
        Grid {
            tiles,
            ..Self::table(1, columns, tile, target)
        }
    }

    /// A `rows × columns` table of tiles (e.g. output × input channels), 1 pixel apart,
    /// enlarged as in [`square`](Self::square).
    pub fn table(rows: usize, columns: usize, tile: [usize; 2], target: usize) -> Self {
        let side = tile[0].max(tile[1]).max(1);
        Grid {
            tiles: rows * columns,
            columns: columns.max(1),
            tile,
            scale: (target / side).max(1),
            gap: 1,
        }
    }

    /// Rows of tiles: `⌈tiles / columns⌉`.
    pub fn rows(&self) -> usize {
        self.tiles.div_ceil(self.columns)
    }

    /// `(width, height)` of the picture in pixels.
    pub fn size(&self) -> (u32, u32) {
        let [h, w] = self.tile;
        let side = |count: usize, len: usize| count * len * self.scale + (count + 1) * self.gap;
        (side(self.columns, w) as u32, side(self.rows(), h) as u32)
    }

    /// The picture: `pixel(tile, y, x)` is the colour of source pixel `(y, x)` of tile
    /// `tile`; the gaps and the cells after the last tile are [`GAP_COLOUR`].
    pub fn paint(&self, pixel: impl Fn(usize, usize, usize) -> Rgb<u8>) -> RgbImage {
        let (width, height) = self.size();
        let [h, w] = self.tile;
        let mut image = RgbImage::from_pixel(width, height, GAP_COLOUR);
        for tile in 0..self.tiles {
            let left = self.gap + (tile % self.columns) * (w * self.scale + self.gap);
            let top = self.gap + (tile / self.columns) * (h * self.scale + self.gap);
            for y in 0..h * self.scale {
                for x in 0..w * self.scale {
                    let colour = pixel(tile, y / self.scale, x / self.scale);
                    image.put_pixel((left + x) as u32, (top + y) as u32, colour);
                }
            }
        }
        image
    }
}

/// Min-max scaling to grey levels: `round(255·(v − min) / (max − min))`, `min` and `max`
/// taken over the finite values. When they are all equal (nothing to tell apart) every level
/// is 0, and a non-finite value is always 0.
///
/// ```
/// assert_eq!(ember_train::grey_levels(&[-1.0, 0.0, 1.0, 3.0]), [0, 64, 128, 255]);
/// ```
pub fn grey_levels(values: &[f32]) -> Vec<u8> {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    values
        .iter()
        .map(|&v| {
            if hi > lo && v.is_finite() {
                (255.0 * (v - lo) / (hi - lo)).round() as u8
            } else {
                0
            }
        })
        .collect()
}

/// One picture of a model's insides: its pixels, the file it is saved as and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The file name, e.g. `filters-c1.png`.
    pub file: String,
    /// What it shows, in one line (layer, shape, layout, what was left out).
    pub caption: String,
    /// The pixels.
    pub image: RgbImage,
}

impl Picture {
    /// Saves the picture as `dir/`[`file`](Self::file) (PNG), creating `dir`; written to a
    /// scratch file and renamed, so a half-written picture is never left behind.
    ///
    /// # Errors
    /// [`TrainError::Io`] naming the folder, or [`TrainError::Plot`] naming the file.
    pub fn save(&self, dir: &Path) -> Result<PathBuf, TrainError> {
        std::fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
        let target = dir.join(&self.file);
        draw_atomically(&target, |tmp| {
            self.image
                .save_with_format(tmp, image::ImageFormat::Png)
                .map_err(|e| TrainError::plot(&target, e))
        })?;
        Ok(target)
    }
}

/// `c1.weight` → `c1`, `features.conv1` → `features-conv1`: a layer name for a file name.
pub(crate) fn file_stem(name: &str) -> String {
    let layer = name.strip_suffix(".weight").unwrap_or(name);
    layer
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_5x5_kernels_at_scale_8_with_a_1px_gap_make_a_124x83_picture() {
        // 3 columns × (5·8) + 4 gaps = 124; 2 rows × 40 + 3 gaps = 83.
        let grid = Grid::square(6, [5, 5], 40);
        assert_eq!(
            (grid.columns, grid.rows(), grid.scale, grid.gap),
            (3, 2, 8, 1)
        );
        assert_eq!(grid.size(), (124, 83));
        let image = grid.paint(|tile, _, _| Rgb([tile as u8; 3]));
        assert_eq!(image.dimensions(), (124, 83));
        // The corner is gap; tile 0 starts at (1, 1) and ends at (40, 40); tile 1 starts at
        // x = 1 + 40 + 1 = 42; tile 5 (row 1, column 2) at (83, 42).
        assert_eq!(*image.get_pixel(0, 0), GAP_COLOUR);
        assert_eq!(*image.get_pixel(1, 1), Rgb([0; 3]));
        assert_eq!(*image.get_pixel(40, 40), Rgb([0; 3]));
        assert_eq!(*image.get_pixel(41, 1), GAP_COLOUR);
        assert_eq!(*image.get_pixel(42, 1), Rgb([1; 3]));
        assert_eq!(*image.get_pixel(83, 42), Rgb([5; 3]));
        assert_eq!(*image.get_pixel(123, 82), GAP_COLOUR);
    }

    #[test]
    fn a_table_has_one_row_per_output_and_one_column_per_input_channel() {
        // 16 × 6 tiles of 5×5 at 48 px: scale 9, 6·45 + 7 = 277 wide, 16·45 + 17 = 737 high.
        let grid = Grid::table(16, 6, [5, 5], 48);
        assert_eq!(grid.size(), (277, 737));
        // One tile of 28×28 feature map at 64 px: scale 2, 56 + 2 = 58 square.
        assert_eq!(Grid::square(1, [28, 28], 64).size(), (58, 58));
        // A tile larger than the target keeps scale 1.
        assert_eq!(Grid::square(2, [100, 50], 64).scale, 1);
    }

    #[test]
    fn pixels_scale_to_grey_levels_between_their_min_and_max() {
        // (v + 1) / 4 · 255: 0, 63.75, 127.5, 255 → 0, 64, 128, 255.
        assert_eq!(grey_levels(&[-1.0, 0.0, 1.0, 3.0]), [0, 64, 128, 255]);
        // 0.5 of the way from 2 to 4: 127.5 rounds away from zero.
        assert_eq!(grey_levels(&[4.0, 3.0, 2.0]), [255, 128, 0]);
        assert_eq!(grey_levels(&[0.7; 4]), [0; 4]);
        assert_eq!(grey_levels(&[f32::NAN, 1.0, 2.0]), [0, 0, 255]);
    }

    #[test]
    fn a_saved_picture_reads_back_with_its_pixels() {
        let dir = tempfile::tempdir().unwrap();
        let picture = Picture {
            file: "filters-c1.png".into(),
            caption: String::new(),
            image: Grid::square(6, [5, 5], 40).paint(|t, y, x| Rgb([t as u8, y as u8, x as u8])),
        };
        let path = picture.save(&dir.path().join("out")).unwrap();
        let back = image::open(&path).unwrap().to_rgb8();
        assert_eq!(back, picture.image);
        assert_eq!(
            std::fs::read_dir(dir.path().join("out")).unwrap().count(),
            1
        );
        assert_eq!(file_stem("c1.weight"), "c1");
        assert_eq!(file_stem("features.conv1.weight"), "features-conv1");
    }
}
