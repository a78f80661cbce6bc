//! One in-memory labelled text dataset, whatever the source: SpamAssassin, AG News, a CSV
//! file, a folder of documents.

use std::path::Path;
use std::sync::Arc;

use burn::data::dataset::{Dataset, DatasetError};

use crate::DataError;

/// One document and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextItem {
    /// The document's text (UTF-8, untokenised).
    pub text: String,
    /// The class index, below the dataset's number of class names.
    pub label: usize,
}

/// Labelled documents held in memory, a burn [`Dataset`] of [`TextItem`]s with the class
/// names in label order (as [`crate::ImageDataset`] carries them for images).
///
/// The buffers are shared (`Arc`), so a clone is cheap.
#[derive(Debug, Clone)]
pub struct TextDataset {
    texts: Arc<[String]>,
    labels: Arc<[usize]>,
    class_names: Arc<[String]>,
}

impl TextDataset {
    /// Builds a dataset from documents, their labels and the class names in label order.
    /// `origin` (a file, a folder, an archive) only names the data in errors.
    ///
    /// # Errors
    /// [`DataError::Invalid`] naming `origin` when the counts of texts and labels differ or
    /// a label is not below `class_names.len()` (naming the first such item).
    pub fn new(
        texts: Vec<String>,
        labels: Vec<usize>,
        class_names: Vec<String>,
        origin: &Path,
    ) -> Result<Self, DataError> {
        if texts.len() != labels.len() {
            return Err(DataError::invalid(
                origin,
                format!(
                    "{} texts but {} labels; give one label per text",
                    texts.len(),
                    labels.len()
                ),
            ));
        }
        if let Some(index) = labels.iter().position(|&l| l >= class_names.len()) {
            return Err(DataError::invalid(
                origin,
                format!(
                    "item #{index} has label {}, but there are {} classes ({:?})",
                    labels[index],
                    class_names.len(),
                    class_names
                ),
            ));
        }
        Ok(Self {
            texts: texts.into(),
            labels: labels.into(),
            class_names: class_names.into(),
        })
    }

    /// The documents, in item order.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// The labels, in item order.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The class names, in label order.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// The items at `indices`, in that order, with the same class names (e.g. the
    /// training part of a [`crate::stratified_split`], to fit a [`crate::TextEncoder`] on).
    ///
    /// # Panics
    /// If an index is not below `len()`.
    pub fn select(&self, indices: &[usize]) -> TextDataset {
        TextDataset {
            texts: indices.iter().map(|&i| self.texts[i].clone()).collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            class_names: self.class_names.clone(),
        }
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

impl Dataset<TextItem> for TextDataset {
    fn get(&self, index: usize) -> Result<TextItem, DatasetError> {
        let label = *self.labels.get(index).ok_or_else(|| {
            DatasetError::new(std::io::Error::other(format!(
                "index {index} out of range for a dataset of {} documents",
                self.labels.len()
            )))
        })?;
        Ok(TextItem {
            text: self.texts[index].clone(),
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

    #[test]
    fn items_come_out_in_order_with_their_labels() {
        let names = vec!["ham".to_string(), "spam".to_string()];
        let texts = vec!["你好".to_string(), "buy now".into(), "hi".into()];
        let ds = TextDataset::new(texts, vec![0, 1, 0], names, Path::new("x")).unwrap();
        assert_eq!(ds.len(), 3);
        assert_eq!(
            ds.get(0).unwrap(),
            TextItem {
                text: "你好".into(),
                label: 0
            }
        );
        assert_eq!(ds.class_counts(), vec![2, 1]);
        assert!(ds.get(3).is_err());
        let part = ds.select(&[2, 0]);
        assert_eq!(
            (part.texts(), part.labels()),
            (&["hi".to_string(), "你好".into()][..], &[0, 0][..])
        );
        assert_eq!(part.class_names(), ds.class_names());
    }

    #[test]
    fn a_label_without_a_class_names_the_item() {
        let err = TextDataset::new(
            vec!["a".into(), "b".into()],
            vec![0, 2],
            vec!["x".into(), "y".into()],
            Path::new("docs.csv"),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("docs.csv") && msg.contains("item #1 has label 2"),
            "{msg}"
        );
    }
}
