//! One image file decoded (PNG or JPEG) and converted to Ember's layout: channel-first u8
//! `[channels, height, width]`, grey or RGB, resized with a bilinear filter.

use std::path::Path;

use image::imageops::FilterType;
use image::{DynamicImage, ImageReader};

use crate::DataError;

/// The extensions of the image files read (any case).
pub const IMAGE_EXTENSIONS: [&str; 3] = ["png", "jpg", "jpeg"];

/// How many channels images are converted to.
///
/// Grey from colour is image's luma of the sRGB-encoded values,
/// `Y = 0.2126·R + 0.7152·G + 0.0722·B` rounded to the nearest integer (ITU-R BT.709
/// weights); colour from grey repeats the grey value in R, G and B; an
/// alpha channel is dropped (not blended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, strum::Display)]
#[strum(serialize_all = "lowercase")]
pub enum Channels {
    /// Grey (1 channel) when every image of the folder is grey, else RGB (3 channels).
    #[default]
    Auto,
    /// 1 channel.
    Grey,
    /// 3 channels: R, G, B.
    Rgb,
}

impl Channels {
    /// The channel count of a fixed choice: `Grey` 1, `Rgb` 3, `Auto` none.
    pub fn count(self) -> Option<usize> {
        match self {
            Channels::Auto => None,
            Channels::Grey => Some(1),
            Channels::Rgb => Some(3),
        }
    }
}

/// Whether `path` names a PNG or JPEG file by its extension.
pub(crate) fn is_image_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Opens `path` (its format guessed from its first bytes, not its name).
fn reader(path: &Path) -> Result<ImageReader<std::io::BufReader<std::fs::File>>, DataError> {
    ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| DataError::io(path, e))
}

/// The decoder of the image at `path`, its header read (size, colour), nothing decoded yet.
fn header(path: &Path) -> Result<impl image::ImageDecoder, DataError> {
    reader(path)?.into_decoder().map_err(|e| bad_image(path, e))
}

fn bad_image(path: &Path, e: image::ImageError) -> DataError {
    DataError::BadImage {
        path: path.into(),
        reason: e.to_string(),
    }
}

/// The size `[height, width]` and whether the image has colour, from the file's header only.
///
/// # Errors
/// [`DataError::Io`] for an unreadable file, [`DataError::BadImage`] naming it when the
/// header does not decode.
pub(crate) fn probe(path: &Path) -> Result<([usize; 2], bool), DataError> {
    use image::ImageDecoder;
    let decoder = header(path)?;
    let (w, h) = decoder.dimensions();
    Ok(([h as usize, w as usize], decoder.color_type().has_color()))
}

/// Decodes the image at `path`.
///
/// # Errors
/// [`DataError::Io`] for an unreadable file, [`DataError::BadImage`] naming it when it does
/// not decode (corrupt, truncated, another format).
pub(crate) fn decode(path: &Path) -> Result<DynamicImage, DataError> {
    use image::ImageDecoder;
    let len = std::fs::metadata(path)
        .map_err(|e| DataError::io(path, e))?
        .len();
    let decoder = header(path)?;
    let (w, h) = decoder.dimensions();
    let limit = len
        .saturating_mul(MAX_PIXELS_PER_BYTE)
        .clamp(MIN_PIXEL_LIMIT, MAX_PIXELS);
    if u64::from(w) * u64::from(h) > limit {
        return Err(DataError::BadImage {
            path: path.into(),
            reason: format!(
                "its header says {w}×{h} pixels, more than a {len}-byte file holds (at most \
                 {limit} here: {MAX_PIXELS_PER_BYTE} per byte, {MAX_PIXELS} in all); it is \
                 truncated or not the image it claims"
            ),
        });
    }
    DynamicImage::from_decoder(decoder).map_err(|e| bad_image(path, e))
}

/// The most pixels a file may declare per byte it holds: a flat colour compresses to a few
/// hundred pixels a byte, a photo to a few; a header claiming far more comes from a truncated
/// or forged file, whose decoding would fill a huge picture from nothing.
pub(crate) const MAX_PIXELS_PER_BYTE: u64 = 1_000;

/// Pixels any image may have whatever its file size (2,048 × 2,048).
pub(crate) const MIN_PIXEL_LIMIT: u64 = 2_048 * 2_048;

/// The most pixels Ember decodes in one image (8,192 × 8,192).
pub(crate) const MAX_PIXELS: u64 = 8_192 * 8_192;

/// Converts `image` to `channels` (1 or 3) channel-first bytes of `[height, width]`,
/// resizing with image's `Triangle` filter when the size differs: bilinear interpolation
/// between pixel centres when enlarging; when shrinking by a factor `s` the triangle is
/// widened to `s` source pixels on each side (antialiasing, as PIL's `BILINEAR`), so a 2×
/// reduction of a 2×2 image is the mean of its four pixels.
///
/// # Shapes
/// Out: `[channels, height, width]` bytes, row-major within a channel.
pub(crate) fn to_chw(image: &DynamicImage, channels: usize, [h, w]: [usize; 2]) -> Vec<u8> {
    let (w, h) = (w as u32, h as u32);
    let resize = |d: (u32, u32)| d != (w, h);
    if channels == 1 {
        let grey = image.to_luma8();
        return if resize(grey.dimensions()) {
            image::imageops::resize(&grey, w, h, FilterType::Triangle).into_raw()
        } else {
            grey.into_raw()
        };
    }
    let mut rgb = image.to_rgb8();
    if resize(rgb.dimensions()) {
        rgb = image::imageops::resize(&rgb, w, h, FilterType::Triangle);
    }
    let plane = (w * h) as usize;
    let mut planar = vec![0u8; 3 * plane];
    for (i, px) in rgb.pixels().enumerate() {
        for c in 0..3 {
            planar[c * plane + i] = px[c];
        }
    }
    planar
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use image::{GrayImage, Luma, Rgb, RgbImage};

    #[test]
    fn a_header_claiming_more_pixels_than_the_file_holds_is_refused_before_decoding() {
        let dir = tempfile::tempdir().unwrap();
        // A real 3×2 PNG, its header then edited to claim 60,000 × 60,000 pixels.
        let path = dir.path().join("forged.png");
        save(&DynamicImage::ImageRgb8(RgbImage::new(3, 2)), &path);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[16..24].copy_from_slice(&[0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60]);
        // The IHDR chunk's CRC (over its type and data, bytes 12..29) made right again.
        let mut crc = flate2::Crc::new();
        crc.update(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        std::fs::write(&path, &bytes).unwrap();
        let err = decode(&path).unwrap_err().to_string();
        assert!(
            err.contains("60000×60000") && err.contains("truncated"),
            "{err}"
        );
        // The real one decodes.
        let real = dir.path().join("real.png");
        save(&DynamicImage::ImageRgb8(RgbImage::new(3, 2)), &real);
        assert_eq!(probe(&real).unwrap().0, [2, 3]);
        assert!(decode(&real).is_ok());
    }

    /// Writes `image` to `path` in the format its extension names.
    pub(crate) fn save(image: &DynamicImage, path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        image.save(path).unwrap();
    }

    #[test]
    fn rgb_becomes_planes_and_grey_becomes_bt709_luma() {
        let mut rgb = RgbImage::new(2, 1);
        rgb.put_pixel(0, 0, Rgb([255, 0, 0]));
        rgb.put_pixel(1, 0, Rgb([10, 20, 30]));
        let image = DynamicImage::ImageRgb8(rgb);
        assert_eq!(to_chw(&image, 3, [1, 2]), vec![255, 10, 0, 20, 0, 30]);
        // 0.2126·255 = 54.21 -> 54; 0.2126·10 + 0.7152·20 + 0.0722·30 = 18.596 -> 19.
        assert_eq!(to_chw(&image, 1, [1, 2]), vec![54, 19]);
        let grey = DynamicImage::ImageLuma8(GrayImage::from_pixel(1, 1, Luma([77])));
        assert_eq!(to_chw(&grey, 3, [1, 1]), vec![77, 77, 77]);
    }

    #[test]
    fn resizing_is_bilinear_with_pixel_centres_aligned() {
        // A row [0, 200] stretched to 4 pixels: output centres at source x = -0.25, 0.25,
        // 0.75, 1.25 (edges clamped) give 0, 0.75·0 + 0.25·200, 0.25·0 + 0.75·200, 200.
        let row = GrayImage::from_raw(2, 1, vec![0, 200]).unwrap();
        let image = DynamicImage::ImageLuma8(row);
        assert_eq!(to_chw(&image, 1, [1, 4]), vec![0, 50, 150, 200]);
        // Halving a 2x2 block averages it: (10 + 20 + 30 + 40) / 4 = 25.
        let block = GrayImage::from_raw(2, 2, vec![10, 20, 30, 40]).unwrap();
        assert_eq!(
            to_chw(&DynamicImage::ImageLuma8(block), 1, [1, 1]),
            vec![25]
        );
    }

    #[test]
    fn files_are_probed_and_decoded_by_content_and_bad_ones_named() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("a.png");
        save(
            &DynamicImage::ImageRgb8(RgbImage::from_pixel(3, 2, Rgb([1, 2, 3]))),
            &png,
        );
        assert_eq!(probe(&png).unwrap(), ([2, 3], true));
        // A PNG named .jpg is read as the PNG it is.
        let renamed = dir.path().join("b.jpg");
        std::fs::copy(&png, &renamed).unwrap();
        assert_eq!(to_chw(&decode(&renamed).unwrap(), 3, [2, 3])[6], 2);
        let broken = dir.path().join("broken.png");
        std::fs::write(&broken, &std::fs::read(&png).unwrap()[..30]).unwrap();
        let err = decode(&broken).unwrap_err();
        assert!(
            matches!(&err, DataError::BadImage { path, .. } if path == &broken),
            "{err}"
        );
        assert!(
            err.to_string().contains("broken.png: cannot decode"),
            "{err}"
        );
        assert!(is_image_file(Path::new("x/Y.JPEG")) && !is_image_file(Path::new("x.txt")));
    }
}
