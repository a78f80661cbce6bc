//! CIFAR-10's official binary batches (`data_batch_{1..5}.bin`, `test_batch.bin`): records
//! of one label byte and 3,072 bytes of R, G and B planes, read into an [`ImageDataset`].

use std::path::Path;

use super::read::{cifar_dataset, CIFAR_IMAGE_BYTES};
use crate::image_dataset::ImageDataset;
use crate::published::PublishedFile;
use crate::DataError;

/// Bytes per binary record: one label byte, then the image.
pub const CIFAR_RECORD_BYTES: usize = CIFAR_IMAGE_BYTES + 1;

/// The six official binary batches (10,000 records each), with their SHA-256s as
/// ankane/torchvision-ruby's `lib/torchvision/datasets/cifar10.rb` records them (the test
/// batch's digest is also quoted by an independent verification of the archive).
pub const CIFAR_BATCH_FILES: [PublishedFile; 6] = [
    batch(
        "data_batch_1.bin",
        "cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5",
    ),
    batch(
        "data_batch_2.bin",
        "a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed",
    ),
    batch(
        "data_batch_3.bin",
        "bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67",
    ),
    batch(
        "data_batch_4.bin",
        "014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48",
    ),
    batch(
        "data_batch_5.bin",
        "755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add",
    ),
    batch(
        "test_batch.bin",
        "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b",
    ),
];

const fn batch(name: &'static str, sha256: &'static str) -> PublishedFile {
    PublishedFile {
        name,
        len: 10_000 * CIFAR_RECORD_BYTES as u64,
        sha256,
    }
}

/// Parses official binary batch files (each a whole number of 3,073-byte records: one
/// label byte, then the R, G and B planes of 32×32 bytes, row-major), in the order given.
///
/// # Shapes
/// Items `[3, 32, 32]`, with the class names [`CIFAR10_CLASSES`](crate::CIFAR10_CLASSES).
///
/// # Errors
/// [`DataError::Io`] for an unreadable file; [`DataError::BadRecord`] naming the file and
/// the byte offset of the first bad record: an empty file, a last record cut short (a
/// truncated file, or a length that is no multiple of 3,073), or a label above 9.
pub fn read_binary_batches(paths: &[&Path]) -> Result<ImageDataset, DataError> {
    let (mut images, mut labels) = (Vec::new(), Vec::new());
    for path in paths {
        let bytes = std::fs::read(path).map_err(|e| DataError::io(*path, e))?;
        parse_binary_batch(path, &bytes, &mut images, &mut labels)?;
    }
    cifar_dataset(
        images,
        labels,
        paths.first().copied().unwrap_or(Path::new("<none>")),
    )
}

/// Appends the records of one batch file (`bytes`, read from `path`) to `images` and
/// `labels`, after checking every record.
fn parse_binary_batch(
    path: &Path,
    bytes: &[u8],
    images: &mut Vec<u8>,
    labels: &mut Vec<usize>,
) -> Result<(), DataError> {
    let bad = |offset: usize, what: String| DataError::BadRecord {
        path: path.into(),
        offset: offset as u64,
        what,
    };
    const R: usize = CIFAR_RECORD_BYTES;
    if bytes.is_empty() {
        return Err(bad(
            0,
            format!("the file is empty; a CIFAR-10 batch holds {R}-byte records"),
        ));
    }
    let whole = bytes.len() / R * R;
    if whole != bytes.len() {
        let hint = if bytes.len() % (R + 1) == 0 {
            "it is a whole number of 3,074-byte records, the layout of CIFAR-100's binary \
             version (2 label bytes): use the CIFAR-10 batches"
        } else {
            "the file is truncated or not a CIFAR-10 batch: delete it and unpack \
             cifar-10-binary.tar.gz again"
        };
        return Err(bad(
            whole,
            format!(
                "record #{} holds {} of {R} bytes (the file has {} bytes, not a multiple of \
                 {R}); {hint}",
                whole / R,
                bytes.len() - whole,
                bytes.len()
            ),
        ));
    }
    for (i, record) in bytes.chunks_exact(R).enumerate() {
        if record[0] > 9 {
            return Err(bad(
                i * R,
                format!(
                    "record #{i} has label {}; CIFAR-10 labels are 0-9 (is this a CIFAR-100 \
                     batch, or not a batch at all?)",
                    record[0]
                ),
            ));
        }
        labels.push(usize::from(record[0]));
        images.extend_from_slice(&record[1..]);
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use burn::data::dataset::Dataset;

    /// One binary record: `label`, then 3,072 bytes of `fill`.
    pub(crate) fn record(label: u8, fill: u8) -> Vec<u8> {
        let mut r = vec![label];
        r.extend(std::iter::repeat_n(fill, CIFAR_IMAGE_BYTES));
        r
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn offset_of(err: &DataError) -> u64 {
        match err {
            DataError::BadRecord { offset, .. } => *offset,
            other => panic!("not a BadRecord: {other}"),
        }
    }

    #[test]
    fn binary_batches_parse_into_labelled_planar_images() {
        let dir = tempfile::tempdir().unwrap();
        // Record 2: R plane 0..=255 repeating, G plane 1s, B plane 2s.
        let mut third = vec![0u8];
        third.extend((0..1024).map(|i| (i % 256) as u8));
        third.extend([1u8; 1024]);
        third.extend([2u8; 1024]);
        let a = write(
            dir.path(),
            "data_batch_1.bin",
            &[record(3, 7), record(9, 200)].concat(),
        );
        let b = write(dir.path(), "data_batch_2.bin", &third);
        let data = read_binary_batches(&[&a, &b]).unwrap();
        assert_eq!((data.len(), data.shape()), (3, [3, 32, 32]));
        assert_eq!(data.labels(), &[3, 9, 0]);
        let item = data.get(1).unwrap();
        assert_eq!(
            (item.label, item.image.len(), item.image[0]),
            (9, 3072, 200)
        );
        let image = data.get(2).unwrap().image;
        // Pixel (row 1, column 2) of each plane: index 32 + 2 = 34 within the plane.
        assert_eq!((image[34], image[1024 + 34], image[2048 + 34]), (34, 1, 2));
        assert_eq!(data.class_names()[3], "cat");
        assert!(data.get(3).is_err());
    }

    #[test]
    fn a_truncated_batch_names_the_file_and_the_offset_of_the_cut_record() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = [record(1, 0), record(2, 0)].concat();
        let short = write(dir.path(), "short.bin", &bytes[..3073 + 3000]);
        let err = read_binary_batches(&[&short]).unwrap_err();
        let msg = err.to_string();
        assert_eq!(offset_of(&err), 3073, "{msg}");
        assert!(
            msg.contains("short.bin: at byte offset 3073: record #1 holds 3000 of 3073 bytes")
                && msg.contains("truncated"),
            "{msg}"
        );
    }

    #[test]
    fn a_bad_label_names_the_file_and_the_offset_of_its_record() {
        let dir = tempfile::tempdir().unwrap();
        let good = write(dir.path(), "good.bin", &record(0, 0));
        let bytes = [record(1, 0), record(2, 0), record(12, 0)].concat();
        let bad = write(dir.path(), "bad.bin", &bytes);
        let err = read_binary_batches(&[&good, &bad]).unwrap_err();
        assert_eq!(offset_of(&err), 2 * 3073);
        let msg = err.to_string();
        assert!(
            msg.contains("bad.bin: at byte offset 6146: record #2 has label 12"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_lengths_are_named_with_what_the_file_probably_is() {
        let dir = tempfile::tempdir().unwrap();
        let empty = write(dir.path(), "empty.bin", &[]);
        let err = read_binary_batches(&[&empty]).unwrap_err();
        assert_eq!(offset_of(&err), 0);
        assert!(err
            .to_string()
            .contains("empty.bin: at byte offset 0: the file is empty"));
        // Three records of CIFAR-100's layout (coarse and fine label, then the image).
        let hundred = write(dir.path(), "train.bin", &vec![0u8; 3 * 3074]);
        let err = read_binary_batches(&[&hundred]).unwrap_err();
        assert_eq!(offset_of(&err), 3 * 3073);
        assert!(err.to_string().contains("CIFAR-100"), "{err}");
    }

    #[test]
    fn the_published_batches_are_ten_thousand_records_each() {
        assert_eq!(CIFAR_RECORD_BYTES, 3073);
        assert!(CIFAR_BATCH_FILES.iter().all(|f| f.len == 30_730_000));
        assert_eq!(CIFAR_BATCH_FILES[5].name, "test_batch.bin");
    }
}
