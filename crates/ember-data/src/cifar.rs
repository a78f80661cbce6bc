//! CIFAR-10 (Krizhevsky 2009): 32×32 RGB images in 10 classes, as a burn [`Dataset`].
//!
//! Two on-disk forms are read: the official binary batches (`data_batch_{1..5}.bin`,
//! `test_batch.bin`: records of one label byte and 3,072 bytes of R, G and B planes) and a
//! `.tar.gz` of JPEG class folders (`<root>/train/<class>/NNNN.jpg`, `<root>/test/...`),
//! whose alphabetical class folders give the label order.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use burn::data::dataset::{Dataset, DatasetError};

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

/// One image and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct CifarItem {
    /// Channel-first bytes `[3, 32, 32]` (R plane, G plane, B plane), 0–255.
    pub image: Vec<u8>,
    /// The class, 0–9 (see [`CIFAR10_CLASSES`]).
    pub label: u8,
}

/// An in-memory CIFAR-10 split.
#[derive(Debug, Clone)]
pub struct CifarDataset {
    images: Arc<Vec<u8>>,
    labels: Arc<Vec<u8>>,
}

impl CifarDataset {
    /// Parses official binary batch files (each a whole number of 3,073-byte records).
    ///
    /// # Errors
    /// [`DataError::Io`] for an unreadable file, [`DataError::Invalid`] naming the file
    /// when its length is not a multiple of 3,073 or a label is above 9.
    pub fn from_binary_batches(paths: &[&Path]) -> Result<Self, DataError> {
        let (mut images, mut labels) = (Vec::new(), Vec::new());
        for path in paths {
            let bytes = std::fs::read(path).map_err(|e| DataError::io(*path, e))?;
            let record = CIFAR_IMAGE_BYTES + 1;
            if bytes.is_empty() || bytes.len() % record != 0 {
                return Err(DataError::invalid(
                    *path,
                    format!(
                        "{} bytes is not a whole number of {record}-byte CIFAR-10 records; \
                         is this a CIFAR-10 binary batch (not the CIFAR-100 or Python version)?",
                        bytes.len()
                    ),
                ));
            }
            for chunk in bytes.chunks_exact(record) {
                check_label(chunk[0], path)?;
                labels.push(chunk[0]);
                images.extend_from_slice(&chunk[1..]);
            }
        }
        Ok(Self::new(images, labels))
    }

    /// Reads the `split` (`train` or `test`) of a `.tar.gz` of JPEG class folders, in
    /// class then file-name order; `limit` keeps only the first images of that order
    /// (the whole archive is still read).
    ///
    /// # Errors
    /// [`DataError::Io`] for an unreadable archive, [`DataError::Invalid`] naming the
    /// entry for a JPEG that does not decode to 32×32, a class folder not in
    /// [`CIFAR10_CLASSES`], or a split with no images.
    pub fn from_jpg_archive(
        path: &Path,
        split: &str,
        limit: Option<usize>,
    ) -> Result<Self, DataError> {
        let file = std::fs::File::open(path).map_err(|e| DataError::io(path, e))?;
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
        let mut found: Vec<(u8, String, Vec<u8>)> = Vec::new();
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
            let mut jpeg = Vec::new();
            entry
                .read_to_end(&mut jpeg)
                .map_err(|e| DataError::io(path, e))?;
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
            labels.push(label);
        }
        Ok(Self::new(images, labels))
    }

    fn new(images: Vec<u8>, labels: Vec<u8>) -> Self {
        Self {
            images: Arc::new(images),
            labels: Arc::new(labels),
        }
    }

    /// The labels, in item order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }
}

fn check_label(label: u8, path: &Path) -> Result<(), DataError> {
    if label > 9 {
        return Err(DataError::invalid(
            path,
            format!("label {label}: CIFAR-10 labels are 0-9"),
        ));
    }
    Ok(())
}

/// Decodes one JPEG to channel-first RGB bytes, checking it is 32×32.
fn decode_jpeg(jpeg: &[u8], archive: &Path, name: &str) -> Result<Vec<u8>, DataError> {
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
        .map_err(|e| DataError::invalid(archive, format!("{name}: {e}")))?
        .to_rgb8();
    if image.dimensions() != (CIFAR_SIDE as u32, CIFAR_SIDE as u32) {
        return Err(DataError::invalid(
            archive,
            format!(
                "{name} is {:?}, CIFAR-10 images are 32x32",
                image.dimensions()
            ),
        ));
    }
    let pixels = CIFAR_SIDE * CIFAR_SIDE;
    let mut planar = vec![0u8; CIFAR_IMAGE_BYTES];
    for (i, rgb) in image.pixels().enumerate() {
        for c in 0..3 {
            planar[c * pixels + i] = rgb[c];
        }
    }
    Ok(planar)
}

impl Dataset<CifarItem> for CifarDataset {
    fn get(&self, index: usize) -> Result<CifarItem, DatasetError> {
        let label = *self.labels.get(index).ok_or_else(|| {
            DatasetError::new(std::io::Error::other(format!(
                "index {index} out of range for a dataset of {} images",
                self.labels.len()
            )))
        })?;
        let start = index * CIFAR_IMAGE_BYTES;
        Ok(CifarItem {
            image: self.images[start..start + CIFAR_IMAGE_BYTES].to_vec(),
            label,
        })
    }

    fn len(&self) -> usize {
        self.labels.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(label: u8, fill: u8) -> Vec<u8> {
        let mut r = vec![label];
        r.extend(std::iter::repeat_n(fill, CIFAR_IMAGE_BYTES));
        r
    }

    #[test]
    fn binary_batches_parse_into_labelled_planar_images() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data_batch_1.bin");
        std::fs::write(&path, [record(3, 7), record(9, 200)].concat()).unwrap();
        let data = CifarDataset::from_binary_batches(&[&path]).unwrap();
        assert_eq!(data.len(), 2);
        assert_eq!(data.labels(), &[3, 9]);
        let item = data.get(1).unwrap();
        assert_eq!(
            (item.label, item.image.len(), item.image[0]),
            (9, 3072, 200)
        );
        assert!(data.get(2).is_err());
    }

    #[test]
    fn truncated_batches_and_bad_labels_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let short = dir.path().join("short.bin");
        std::fs::write(&short, &record(1, 0)[..3000]).unwrap();
        let err = CifarDataset::from_binary_batches(&[&short]).unwrap_err();
        assert!(err.to_string().contains("short.bin") && err.to_string().contains("3073"));
        let bad = dir.path().join("bad.bin");
        std::fs::write(&bad, record(12, 0)).unwrap();
        let err = CifarDataset::from_binary_batches(&[&bad]).unwrap_err();
        assert!(err.to_string().contains("label 12"), "{err}");
    }

    #[test]
    fn a_jpeg_archive_is_read_by_split_and_class() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.tar.gz");
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&path).unwrap(),
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
        for name in [
            "x/train/truck/0001.jpg",
            "x/train/cat/0002.jpg",
            "x/test/dog/0001.jpg",
        ] {
            let mut header = tar::Header::new_gnu();
            header.set_size(jpeg.len() as u64);
            header.set_cksum();
            tar.append_data(&mut header, name, jpeg.as_slice()).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
        let train = CifarDataset::from_jpg_archive(&path, "train", None).unwrap();
        assert_eq!(train.labels(), &[3, 9]); // cat, then truck
        let red_plane = &train.get(0).unwrap().image[..1024];
        assert!(red_plane.iter().all(|&r| r > 240), "JPEG red decoded");
        assert_eq!(
            CifarDataset::from_jpg_archive(&path, "test", Some(5))
                .unwrap()
                .len(),
            1
        );
        let err = CifarDataset::from_jpg_archive(&path, "valid", None).unwrap_err();
        assert!(err.to_string().contains("no `valid/"), "{err}");
    }
}
