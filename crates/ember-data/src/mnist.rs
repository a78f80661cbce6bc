//! MNIST and Fashion-MNIST as burn [`Dataset`]s of 28×28 grey images with labels 0–9.

use std::path::Path;
use std::sync::Arc;

use burn::data::dataset::Dataset;

use crate::idx::{read_idx, IdxArray};
use crate::DataError;

/// Image height and width of MNIST and Fashion-MNIST.
pub const MNIST_SIDE: usize = 28;
/// Pixels per image (28·28).
pub const MNIST_PIXELS: usize = MNIST_SIDE * MNIST_SIDE;

/// Fashion-MNIST's class names, in label order (Xiao et al. 2017).
pub const FASHION_MNIST_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// One image and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct MnistItem {
    /// Grey levels 0 (background) to 255, row-major, [`MNIST_PIXELS`] of them.
    pub image: Vec<u8>,
    /// The class, 0–9.
    pub label: u8,
}

/// An in-memory split of MNIST or Fashion-MNIST (all images in one buffer; `get` copies one).
#[derive(Debug, Clone)]
pub struct MnistDataset {
    images: Arc<Vec<u8>>,
    labels: Arc<Vec<u8>>,
}

impl MnistDataset {
    /// Builds a dataset from pixel and label buffers.
    ///
    /// # Errors
    /// [`DataError::Invalid`] (naming `origin`) when `images.len()` is not
    /// `labels.len() * 784` or a label is above 9.
    pub fn from_parts(images: Vec<u8>, labels: Vec<u8>, origin: &Path) -> Result<Self, DataError> {
        if images.len() != labels.len() * MNIST_PIXELS {
            return Err(DataError::invalid(
                origin,
                format!(
                    "{} image bytes do not make {} images of 28x28",
                    images.len(),
                    labels.len()
                ),
            ));
        }
        if let Some(pos) = labels.iter().position(|&l| l > 9) {
            return Err(DataError::invalid(
                origin,
                format!("label #{pos} is {}, MNIST labels are 0-9", labels[pos]),
            ));
        }
        Ok(Self {
            images: Arc::new(images),
            labels: Arc::new(labels),
        })
    }

    /// Reads an images file (`[N, 28, 28]`) and a labels file (`[N]`), gzipped or raw.
    ///
    /// # Errors
    /// Any IDX error of either file, or [`DataError::Invalid`] naming the file whose shape
    /// is wrong (not 28×28, or a count different from the other file's).
    pub fn from_idx_files(images: &Path, labels: &Path) -> Result<Self, DataError> {
        let img = read_idx(images)?;
        let lab = read_idx(labels)?;
        Self::from_idx(images, img, labels, lab)
    }

    /// Builds a dataset from two parsed IDX arrays; the paths only name them in errors.
    ///
    /// # Errors
    /// As [`MnistDataset::from_idx_files`].
    pub fn from_idx(
        images_path: &Path,
        images: IdxArray,
        labels_path: &Path,
        labels: IdxArray,
    ) -> Result<Self, DataError> {
        if images.dims.len() != 3 || images.dims[1..] != [MNIST_SIDE, MNIST_SIDE] {
            return Err(DataError::invalid(
                images_path,
                format!(
                    "images must have dimensions [N, 28, 28], found {:?}; is this an images file?",
                    images.dims
                ),
            ));
        }
        if labels.dims.len() != 1 {
            return Err(DataError::invalid(
                labels_path,
                format!(
                    "labels must have dimensions [N], found {:?}; is this a labels file?",
                    labels.dims
                ),
            ));
        }
        if images.dims[0] != labels.dims[0] {
            return Err(DataError::invalid(
                labels_path,
                format!(
                    "{} labels for {} images in {}; the two files do not belong together",
                    labels.dims[0],
                    images.dims[0],
                    images_path.display()
                ),
            ));
        }
        Self::from_parts(images.data, labels.data, labels_path)
    }

    /// The labels, in item order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The number of items of each class 0–9.
    pub fn class_counts(&self) -> [usize; 10] {
        let mut counts = [0; 10];
        for &l in self.labels.iter() {
            counts[l as usize] += 1;
        }
        counts
    }
}

impl Dataset<MnistItem> for MnistDataset {
    fn get(&self, index: usize) -> Result<MnistItem, burn::data::dataset::DatasetError> {
        let label = *self.labels.get(index).ok_or_else(|| {
            burn::data::dataset::DatasetError::new(std::io::Error::other(format!(
                "index {index} out of range for a dataset of {} images",
                self.labels.len()
            )))
        })?;
        let start = index * MNIST_PIXELS;
        Ok(MnistItem {
            image: self.images[start..start + MNIST_PIXELS].to_vec(),
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
    use crate::idx::encode_idx;

    fn write(dir: &Path, name: &str, dims: &[usize], data: &[u8]) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, encode_idx(dims, data)).unwrap();
        p
    }

    #[test]
    fn reads_items_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let pixels: Vec<u8> = (0..2 * MNIST_PIXELS).map(|i| (i % 251) as u8).collect();
        let img = write(dir.path(), "i", &[2, 28, 28], &pixels);
        let lab = write(dir.path(), "l", &[2], &[7, 3]);
        let ds = MnistDataset::from_idx_files(&img, &lab).unwrap();
        assert_eq!(ds.len(), 2);
        let second = ds.get(1).unwrap();
        assert_eq!(second.label, 3);
        assert_eq!(second.image[0], (MNIST_PIXELS % 251) as u8);
        assert_eq!(ds.class_counts()[7], 1);
        assert!(ds.get(2).is_err());
    }

    #[test]
    fn wrong_count_names_the_labels_file() {
        let dir = tempfile::tempdir().unwrap();
        let img = write(dir.path(), "imgs", &[2, 28, 28], &vec![0; 2 * MNIST_PIXELS]);
        let lab = write(dir.path(), "labs", &[3], &[1, 2, 3]);
        let err = MnistDataset::from_idx_files(&img, &lab).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("labs") && msg.contains("3 labels for 2 images"),
            "{msg}"
        );
    }

    #[test]
    fn swapped_files_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let img = write(dir.path(), "imgs", &[1, 28, 28], &vec![0; MNIST_PIXELS]);
        let lab = write(dir.path(), "labs", &[1], &[1]);
        let err = MnistDataset::from_idx_files(&lab, &img).unwrap_err();
        assert!(err.to_string().contains("[N, 28, 28]"), "{err}");
    }

    #[test]
    fn labels_above_nine_are_rejected() {
        let err =
            MnistDataset::from_parts(vec![0; MNIST_PIXELS], vec![10], Path::new("x")).unwrap_err();
        assert!(err.to_string().contains("label #0 is 10"), "{err}");
    }
}
