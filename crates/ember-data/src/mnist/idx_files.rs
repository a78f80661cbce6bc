//! The four IDX files of MNIST or Fashion-MNIST in a folder, read into two [`ImageDataset`]s.

use std::path::{Path, PathBuf};

use super::kind::{MnistKind, MNIST_SIDE};
use crate::idx::{parse_idx, read_maybe_gz, IdxArray};
use crate::image_dataset::ImageDataset;
use crate::published::PublishedFile;
use crate::DataError;

/// Finds `file` in `dir` under any of its spellings ([`PublishedFile::candidate_names`]).
pub(crate) fn find_file(dir: &Path, file: &PublishedFile) -> Option<PathBuf> {
    file.candidate_names()
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// One of the four files, found and decompressed.
pub(crate) struct ReadFile {
    /// Which published file it stands for.
    pub file: PublishedFile,
    /// Where it was found.
    pub path: PathBuf,
    /// Its decompressed bytes.
    pub bytes: Vec<u8>,
}

/// Reads the four files of `kind` from `dir` (gzipped or raw, any spelling), in the order
/// of [`MnistKind::files`]; `missing` builds the error for a file that is not there.
///
/// # Errors
/// `missing(file)` for the first file not found, or [`DataError::Io`].
pub(crate) fn read_files(
    kind: MnistKind,
    dir: &Path,
    missing: impl Fn(&PublishedFile) -> DataError,
) -> Result<Vec<ReadFile>, DataError> {
    kind.files()
        .iter()
        .map(|file| {
            let path = find_file(dir, file).ok_or_else(|| missing(file))?;
            let bytes = read_maybe_gz(&path)?;
            Ok(ReadFile {
                file: *file,
                path,
                bytes,
            })
        })
        .collect()
}

/// Parses the four files (train images, train labels, test images, test labels) into the
/// train and test splits.
///
/// # Errors
/// Any IDX error, or [`DataError::Invalid`] as [`split_from_idx`].
pub(crate) fn splits_from_files(
    kind: MnistKind,
    files: &[ReadFile],
) -> Result<(ImageDataset, ImageDataset), DataError> {
    let [train_img, train_lab, test_img, test_lab] = files else {
        unreachable!("MnistKind::files lists four files");
    };
    let parse = |f: &ReadFile| parse_idx(&f.path, &f.bytes);
    Ok((
        split_from_idx(
            kind,
            (&train_img.path, parse(train_img)?),
            (&train_lab.path, parse(train_lab)?),
        )?,
        split_from_idx(
            kind,
            (&test_img.path, parse(test_img)?),
            (&test_lab.path, parse(test_lab)?),
        )?,
    ))
}

/// One split from its parsed images (`[N, 28, 28]`) and labels (`[N]`) arrays; the paths
/// only name them in errors.
///
/// # Errors
/// [`DataError::Invalid`] naming the file whose shape is wrong (not 28×28, or a count
/// different from the other file's), or a label above 9.
pub(crate) fn split_from_idx(
    kind: MnistKind,
    (images_path, images): (&Path, IdxArray),
    (labels_path, labels): (&Path, IdxArray),
) -> Result<ImageDataset, DataError> {
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
    ImageDataset::new(
        images.data,
        labels.data.into_iter().map(usize::from).collect(),
        [1, MNIST_SIDE, MNIST_SIDE],
        kind.class_names().map(String::from).to_vec(),
        labels_path,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idx::{encode_idx, read_idx};
    use crate::mnist::kind::MNIST_PIXELS;
    use burn::data::dataset::Dataset;

    fn write(dir: &Path, name: &str, dims: &[usize], data: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, encode_idx(dims, data)).unwrap();
        p
    }

    fn split(kind: MnistKind, images: &Path, labels: &Path) -> Result<ImageDataset, DataError> {
        split_from_idx(
            kind,
            (images, read_idx(images)?),
            (labels, read_idx(labels)?),
        )
    }

    #[test]
    fn reads_items_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let pixels: Vec<u8> = (0..2 * MNIST_PIXELS).map(|i| (i % 251) as u8).collect();
        let img = write(dir.path(), "i", &[2, 28, 28], &pixels);
        let lab = write(dir.path(), "l", &[2], &[7, 3]);
        let ds = split(MnistKind::FashionMnist, &img, &lab).unwrap();
        assert_eq!((ds.len(), ds.shape()), (2, [1, 28, 28]));
        let second = ds.get(1).unwrap();
        assert_eq!(second.label, 3);
        assert_eq!(second.image[0], (MNIST_PIXELS % 251) as u8);
        assert_eq!(ds.class_counts()[7], 1);
        assert_eq!(ds.class_names()[7], "Sneaker");
        assert!(ds.get(2).is_err());
    }

    #[test]
    fn wrong_count_names_the_labels_file() {
        let dir = tempfile::tempdir().unwrap();
        let img = write(dir.path(), "imgs", &[2, 28, 28], &vec![0; 2 * MNIST_PIXELS]);
        let lab = write(dir.path(), "labs", &[3], &[1, 2, 3]);
        let msg = split(MnistKind::Mnist, &img, &lab).unwrap_err().to_string();
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
        let err = split(MnistKind::Mnist, &lab, &img).unwrap_err();
        assert!(err.to_string().contains("[N, 28, 28]"), "{err}");
    }

    #[test]
    fn labels_above_nine_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let img = write(dir.path(), "imgs", &[1, 28, 28], &vec![0; MNIST_PIXELS]);
        let lab = write(dir.path(), "labs", &[1], &[10]);
        let err = split(MnistKind::Mnist, &img, &lab).unwrap_err();
        assert!(err.to_string().contains("item #0 has label 10"), "{err}");
    }
}
