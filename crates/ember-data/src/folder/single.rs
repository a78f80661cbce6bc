//! Single images for prediction: a PNG or JPEG file (or every one in a folder) converted to
//! the `[c, h, w]` u8 layout a trained model expects.

use std::path::{Path, PathBuf};

use super::convert::{decode, is_image_file, to_chw};
use crate::DataError;

/// The layout a run's images had, to convert new images to: `[channels, height, width]`
/// (channels 1 or 3) and whether to invert (`255 - v`, for dark digits on light paper when
/// the model learned light digits on black, as MNIST's).
///
/// ```no_run
/// use ember_data::{read_image, ImageItem, ImageLayout};
///
/// let layout = ImageLayout::new([1, 28, 28]).inverted(); // an MNIST model, a photo of a digit
/// let image = read_image("digit.jpg".as_ref(), &layout)?;
/// let item = ImageItem { image, label: 0 }; // label unused by a prediction
/// # Ok::<(), ember_data::DataError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLayout {
    /// `[channels, height, width]` of the converted image.
    pub shape: [usize; 3],
    /// Whether every byte `v` becomes `255 - v` after conversion.
    pub invert: bool,
}

impl ImageLayout {
    /// Images of `shape` = `[channels, height, width]`, not inverted.
    pub fn new(shape: [usize; 3]) -> Self {
        Self {
            shape,
            invert: false,
        }
    }

    /// Inverts every byte (`255 - v`).
    pub fn inverted(mut self) -> Self {
        self.invert = true;
        self
    }
}

/// Reads the PNG or JPEG file at `path` and converts it to `layout`: grey (sRGB luma) or RGB
/// (grey repeated), resized with a bilinear filter to `height × width` when its size
/// differs, then inverted when asked.
///
/// # Shapes
/// Out: `[channels, height, width]` bytes, as an [`crate::ImageItem`]'s `image`.
///
/// # Errors
/// [`DataError::Invalid`] for a layout with other than 1 or 3 channels or a zero side;
/// [`DataError::Io`] or [`DataError::BadImage`] naming the file.
pub fn read_image(path: &Path, layout: &ImageLayout) -> Result<Vec<u8>, DataError> {
    let [c, h, w] = layout.shape;
    if !matches!(c, 1 | 3) || h == 0 || w == 0 {
        return Err(DataError::invalid(
            path,
            format!(
                "cannot convert to the layout {:?}: give [channels, height, width] with 1 (grey) \
                 or 3 (RGB) channels and sides of at least 1",
                layout.shape
            ),
        ));
    }
    let mut image = to_chw(&decode(path)?, c, [h, w]);
    if layout.invert {
        image.iter_mut().for_each(|v| *v = 255 - *v);
    }
    Ok(image)
}

/// Reads one image file, or every `.png`, `.jpg` and `.jpeg` file of a folder (sorted by
/// name, not descending into sub-folders), converted as [`read_image`] does; returns each
/// file with its image.
///
/// # Errors
/// [`DataError::Invalid`] for a folder without image files; [`DataError::Io`] for an
/// unreadable path; the errors of [`read_image`] naming the first file that fails.
pub fn read_images(
    path: &Path,
    layout: &ImageLayout,
) -> Result<Vec<(PathBuf, Vec<u8>)>, DataError> {
    if !path.is_dir() {
        return Ok(vec![(path.to_path_buf(), read_image(path, layout)?)]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| DataError::io(path, e))? {
        let file = entry.map_err(|e| DataError::io(path, e))?.path();
        if file.is_file() && is_image_file(&file) {
            files.push(file);
        }
    }
    if files.is_empty() {
        return Err(DataError::invalid(
            path,
            "holds no .png, .jpg or .jpeg file",
        ));
    }
    files.sort();
    files
        .into_iter()
        .map(|f| read_image(&f, layout).map(|image| (f, image)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::folder::convert::tests::save;
    use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage};

    #[test]
    fn a_colour_photo_becomes_an_inverted_grey_digit_of_the_runs_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("手写.png");
        // Dark ink (10, 10, 10) on the top row, light paper (250, 250, 250) below, 2x2.
        let photo = RgbImage::from_fn(2, 2, |_, y| Rgb([if y == 0 { 10 } else { 250 }; 3]));
        save(&DynamicImage::ImageRgb8(photo), &path);
        // Luma of a grey (v, v, v) is v (the weights sum to 1); halving averages the 2x2
        // block: (10 + 10 + 250 + 250) / 4 = 130, inverted 255 - 130 = 125.
        let layout = ImageLayout::new([1, 1, 1]).inverted();
        assert_eq!(read_image(&path, &layout).unwrap(), vec![125]);
        let rgb = read_image(&path, &ImageLayout::new([3, 2, 2])).unwrap();
        assert_eq!(rgb, [10, 10, 250, 250].repeat(3));
    }

    #[test]
    fn a_folder_is_read_in_name_order_and_bad_layouts_or_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        for (name, v) in [("b.png", 2u8), ("a.jpg", 128), ("c.png", 9)] {
            save(
                &DynamicImage::ImageLuma8(GrayImage::from_pixel(2, 2, Luma([v]))),
                &dir.path().join(name),
            );
        }
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let layout = ImageLayout::new([1, 2, 2]);
        let images = read_images(dir.path(), &layout).unwrap();
        let names: Vec<_> = images
            .iter()
            .map(|(p, _)| p.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["a.jpg", "b.png", "c.png"]);
        assert_eq!(images[1].1, vec![2; 4]);
        assert_eq!(
            read_images(&dir.path().join("c.png"), &layout).unwrap()[0].1,
            vec![9; 4]
        );
        let err = read_image(&dir.path().join("c.png"), &ImageLayout::new([2, 2, 2])).unwrap_err();
        assert!(
            err.to_string().contains("1 (grey) or 3 (RGB) channels"),
            "{err}"
        );
        std::fs::write(dir.path().join("d.png"), b"\x89PNG broken").unwrap();
        let err = read_images(dir.path(), &layout).unwrap_err();
        assert!(err.to_string().contains("d.png: cannot decode"), "{err}");
        let empty = tempfile::tempdir().unwrap();
        let err = read_images(empty.path(), &layout).unwrap_err();
        assert!(err.to_string().contains("holds no .png"), "{err}");
    }
}
