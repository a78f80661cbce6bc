//! CIFAR-10 (Krizhevsky 2009): 32×32 RGB images in 10 classes; its splits, and its `.tar.gz`
//! of JPEG class folders (`<root>/train/<class>/NNNN.jpg`, `<root>/test/...`), whose
//! alphabetical class folders give the label order, read into an [`ImageDataset`].
//! The official binary batches are read in [`super::binary`].

use std::io::Read;
use std::path::Path;

use crate::image_dataset::ImageDataset;
use crate::DataError;

/// Image height and width.
pub const CIFAR_SIDE: usize = 32;
/// Bytes per image: 3 planes of 32·32 (R, then G, then B).
pub const CIFAR_IMAGE_BYTES: usize = 3 * CIFAR_SIDE * CIFAR_SIDE;
/// The class names, in label order.
pub const CIFAR10_CLASSES: [&str; 10] = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
];

/// One of CIFAR-10's two splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
#[strum(serialize_all = "lowercase")]
pub enum CifarSplit {
    /// 50,000 images: `data_batch_1.bin` .. `data_batch_5.bin`, or `*/train/<class>/*.jpg`.
    Train,
    /// 10,000 images: `test_batch.bin`, or `*/test/<class>/*.jpg`.
    Test,
}

impl CifarSplit {
    /// The official binary batch files of this split, in order.
    pub fn binary_batches(self) -> &'static [&'static str] {
        match self {
            CifarSplit::Train => &[
                "data_batch_1.bin",
                "data_batch_2.bin",
                "data_batch_3.bin",
                "data_batch_4.bin",
                "data_batch_5.bin",
            ],
            CifarSplit::Test => &["test_batch.bin"],
        }
    }

    /// The folder of this split in the JPEG archive: `train` or `test`.
    pub fn folder(self) -> &'static str {
        match self {
            CifarSplit::Train => "train",
            CifarSplit::Test => "test",
        }
    }
}

/// The most one JPEG of the archive may hold (CIFAR-10's are 1–3 KB).
const MAX_JPEG_BYTES: u64 = 1 << 20;

/// The most all the JPEGs of one split may hold together (CIFAR-10's 50,000: about 120 MB).
const MAX_JPEG_TOTAL: u64 = 1 << 30;

/// Reads `split` of a `.tar.gz` of JPEG class folders (`*/train/<class>/*.jpg`,
/// `*/test/<class>/*.jpg`), in class then file-name order; `limit` keeps only the first
/// images of that order (the whole archive is still read).
///
/// # Shapes
/// Items `[3, 32, 32]`, with the class names [`CIFAR10_CLASSES`].
///
/// # Errors
/// [`DataError::Io`] for an unreadable archive, [`DataError::Invalid`] naming the
/// entry for a JPEG that does not decode to 32×32, a class folder not in
/// [`CIFAR10_CLASSES`], or a split with no images.
pub fn read_jpg_archive(
    path: &Path,
    split: CifarSplit,
    limit: Option<usize>,
) -> Result<ImageDataset, DataError> {
    let split = split.folder();
    let file = std::fs::File::open(path).map_err(|e| DataError::io(path, e))?;
    let len = file.metadata().map_err(|e| DataError::io(path, e))?.len();
    let mut archive = tar::Archive::new(crate::gunzip_bounded(file, len));
    let mut found: Vec<(u8, String, Vec<u8>)> = Vec::new();
    let mut buffered = 0u64;
    let entries = archive.entries().map_err(|e| DataError::io(path, e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| DataError::io(path, e))?;
        let name = entry.path().map_err(|e| DataError::io(path, e))?;
        let parts: Vec<String> = name
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let n = parts.len();
        if n < 3 || parts[n - 3] != split || !parts[n - 1].ends_with(".jpg") {
            continue;
        }
        let Some(label) = CIFAR10_CLASSES.iter().position(|c| *c == parts[n - 2]) else {
            return Err(DataError::invalid(
                path,
                format!("class folder `{}` is not a CIFAR-10 class", parts[n - 2]),
            ));
        };
        // A 32×32 JPEG is a few KB: bound each, and all of them, before buffering.
        let mut jpeg = Vec::new();
        (&mut entry)
            .take(MAX_JPEG_BYTES + 1)
            .read_to_end(&mut jpeg)
            .map_err(|e| DataError::io(path, e))?;
        buffered += jpeg.len() as u64;
        if jpeg.len() as u64 > MAX_JPEG_BYTES || buffered > MAX_JPEG_TOTAL {
            return Err(DataError::invalid(
                path,
                format!(
                    "{}: more than {} bytes of JPEG ({} per image, {} in all, at most): not \
                     the CIFAR-10 JPEG archive (or a decompression bomb)",
                    parts.join("/"),
                    if buffered > MAX_JPEG_TOTAL {
                        MAX_JPEG_TOTAL
                    } else {
                        MAX_JPEG_BYTES
                    },
                    MAX_JPEG_BYTES,
                    MAX_JPEG_TOTAL
                ),
            ));
        }
        found.push((label as u8, parts[n - 1].clone(), jpeg));
    }
    if found.is_empty() {
        return Err(DataError::invalid(
            path,
            format!("no `{split}/<class>/*.jpg` images; is this the CIFAR-10 JPEG archive?"),
        ));
    }
    found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    found.truncate(limit.unwrap_or(usize::MAX));
    let (mut images, mut labels) = (Vec::new(), Vec::new());
    for (label, name, jpeg) in found {
        images.extend(decode_jpeg(&jpeg, path, &name)?);
        labels.push(usize::from(label));
    }
    cifar_dataset(images, labels, path)
}

pub(super) fn cifar_dataset(
    images: Vec<u8>,
    labels: Vec<usize>,
    origin: &Path,
) -> Result<ImageDataset, DataError> {
    let names = CIFAR10_CLASSES.map(String::from).to_vec();
    ImageDataset::new(images, labels, [3, CIFAR_SIDE, CIFAR_SIDE], names, origin)
}

/// Decodes one JPEG to channel-first RGB bytes, checking it is 32×32.
fn decode_jpeg(jpeg: &[u8], archive: &Path, name: &str) -> Result<Vec<u8>, DataError> {
    use image::ImageDecoder;
    let bad = |e: image::ImageError| DataError::invalid(archive, format!("{name}: {e}"));
    let decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(jpeg)).map_err(bad)?;
    // The size from the header, before decoding: a forged one is not decoded at all.
    let dimensions = decoder.dimensions();
    if dimensions != (CIFAR_SIDE as u32, CIFAR_SIDE as u32) {
        return Err(DataError::invalid(
            archive,
            format!("{name} is {dimensions:?}, CIFAR-10 images are 32x32"),
        ));
    }
    let image = image::DynamicImage::from_decoder(decoder)
        .map_err(bad)?
        .to_rgb8();
    let pixels = CIFAR_SIDE * CIFAR_SIDE;
    let mut planar = vec![0u8; CIFAR_IMAGE_BYTES];
    for (i, rgb) in image.pixels().enumerate() {
        for c in 0..3 {
            planar[c * pixels + i] = rgb[c];
        }
    }
    Ok(planar)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use burn::data::dataset::Dataset;

    /// Writes a `.tar.gz` holding a red 32x32 JPEG under each of `names`.
    pub(crate) fn write_jpeg_archive(path: &Path, names: &[&str]) {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(path).unwrap(),
            flate2::Compression::fast(),
        );
        let mut tar = tar::Builder::new(gz);
        let mut jpeg = Vec::new();
        let red = image::RgbImage::from_pixel(32, 32, image::Rgb([250, 0, 0]));
        red.write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
        for name in names {
            let mut header = tar::Header::new_gnu();
            header.set_size(jpeg.len() as u64);
            header.set_cksum();
            tar.append_data(&mut header, name, jpeg.as_slice()).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
    }

    #[test]
    fn a_jpeg_archive_is_read_by_split_and_class() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.tar.gz");
        write_jpeg_archive(
            &path,
            &[
                "x/train/truck/0001.jpg",
                "x/train/cat/0002.jpg",
                "x/test/dog/0001.jpg",
            ],
        );
        let train = read_jpg_archive(&path, CifarSplit::Train, None).unwrap();
        assert_eq!(train.labels(), &[3, 9]); // cat, then truck
        let red_plane = &train.get(0).unwrap().image[..1024];
        assert!(red_plane.iter().all(|&r| r > 240), "JPEG red decoded");
        assert_eq!(train.class_names()[9], "truck");
        let test = read_jpg_archive(&path, CifarSplit::Test, Some(5)).unwrap();
        assert_eq!(test.labels(), &[5]);
        assert_eq!(
            read_jpg_archive(&path, CifarSplit::Train, Some(1))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn an_archive_without_the_split_or_with_a_stray_class_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.tar.gz");
        write_jpeg_archive(&path, &["x/train/cat/1.jpg", "x/test/unicorn/1.jpg"]);
        let err = read_jpg_archive(&path, CifarSplit::Test, None).unwrap_err();
        assert!(
            err.to_string()
                .contains("`unicorn` is not a CIFAR-10 class"),
            "{err}"
        );
        write_jpeg_archive(&path, &["x/train/cat/1.jpg"]);
        let err = read_jpg_archive(&path, CifarSplit::Test, None).unwrap_err();
        assert!(err.to_string().contains("no `test/<class>/*.jpg`"), "{err}");
    }

    #[test]
    fn splits_name_their_files_and_folders() {
        assert_eq!(CifarSplit::Train.binary_batches().len(), 5);
        assert_eq!(CifarSplit::Test.binary_batches(), &["test_batch.bin"]);
        assert_eq!(
            (CifarSplit::Train.folder(), CifarSplit::Test.to_string()),
            ("train", "test".into())
        );
    }
}
