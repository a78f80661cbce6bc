use super::*;
use crate::cifar::archive::tests::{published_for, write_binary_archive};
use crate::cifar::binary::tests::record;
use crate::cifar::read::tests::write_jpeg_archive;
use burn::data::dataset::Dataset;

fn source(data_dir: Option<&Path>, cache: &Path) -> CifarSource {
    CifarSource::new().with_lookup(Lookup {
        data_dir: data_dir.map(Path::to_path_buf),
        cache_dir: cache.to_path_buf(),
        download: false,
        verbose: false,
    })
}

/// Writes the six batches into `folder`, one record each (test batch: label 7).
fn write_batches(folder: &Path) {
    std::fs::create_dir_all(folder).unwrap();
    for (i, file) in CIFAR_BATCH_FILES.iter().enumerate() {
        let label = if i == 5 { 7 } else { i as u8 };
        std::fs::write(folder.join(file.name), record(label, 0)).unwrap();
    }
}

#[test]
fn an_archive_given_as_a_file_or_in_a_folder_gives_both_splits() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let archive = dir.path().join(CIFAR_JPG_ARCHIVE);
    write_jpeg_archive(&archive, &["a/test/ship/1.jpg", "a/train/cat/1.jpg"]);
    let data = source(Some(archive.as_path()), cache.path())
        .load()
        .unwrap();
    assert_eq!(
        (data.train.labels(), data.test.labels()),
        (&[3][..], &[8][..])
    );
    assert_eq!(
        data.origin,
        Origin::Folder {
            path: archive.clone(),
            verified: false
        }
    );
    let train = source(Some(dir.path()), cache.path())
        .load_split(CifarSplit::Train)
        .unwrap();
    assert_eq!(train.labels(), &[3]);
}

#[test]
fn binary_batches_are_found_in_the_cache_under_the_official_folder() {
    let cache = tempfile::tempdir().unwrap();
    write_batches(&cache.path().join("cifar10").join(CIFAR_BINARY_FOLDER));
    let data = source(None, cache.path()).load().unwrap();
    assert_eq!((data.train.len(), data.test.len()), (5, 1));
    assert_eq!(data.train.labels(), &[0, 1, 2, 3, 4]);
    assert_eq!(data.test.labels(), &[7]);
    // One record per batch is not the published data: reported, not refused.
    assert!(matches!(
        data.origin,
        Origin::Folder {
            verified: false,
            ..
        }
    ));
}

#[test]
fn a_binary_archive_in_the_data_dir_is_verified_and_unpacked_into_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let archive = dir.path().join(CIFAR_BINARY_ARCHIVE.name);
    write_binary_archive(&archive);
    // It is not the published archive, so it is refused before anything is unpacked.
    let err = source(Some(dir.path()), cache.path()).load().unwrap_err();
    assert!(
        matches!(err, DataError::Mismatch { check: "size", .. }),
        "{err}"
    );
    assert!(!cache
        .path()
        .join("cifar10")
        .join(CIFAR_BINARY_FOLDER)
        .exists());
    // The same path through `unpack_binary_archive` with the archive's own digests, then
    // the cache is read.
    let published = published_for(&archive, "");
    unpack_binary_archive(&archive, &published, &cache.path().join("cifar10")).unwrap();
    let data = source(None, cache.path()).load().unwrap();
    assert_eq!(
        (data.train.labels(), data.test.labels()),
        (&[1, 2, 3, 4, 5][..], &[0][..])
    );
}

#[test]
fn some_batches_only_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data_batch_1.bin"), record(0, 0)).unwrap();
    let err = source(Some(dir.path()), dir.path()).load().unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("holds data_batch_1.bin but not data_batch_2.bin"),
        "{msg}"
    );
}

#[test]
fn a_meta_file_of_other_classes_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write_batches(dir.path());
    std::fs::write(dir.path().join("batches.meta.txt"), "apple\nbanana\n").unwrap();
    let msg = source(Some(dir.path()), dir.path())
        .load()
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("batches.meta.txt") && msg.contains("\"apple\""),
        "{msg}"
    );
}

#[test]
fn nothing_found_says_what_to_put_where() {
    let cache = tempfile::tempdir().unwrap();
    let err = source(Some(Path::new("/no/such/place")), cache.path())
        .load()
        .unwrap_err();
    assert!(matches!(err, DataError::CifarNotFound { .. }));
    let msg = err.to_string();
    for part in [
        "data dir /no/such/place: no such file or folder",
        "cifar10-jpg.tar.gz",
        "test_batch.bin",
        "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
        "--data-dir",
        "EMBER_DATA_DIR",
        &cache.path().join("cifar10").display().to_string(),
    ] {
        assert!(msg.contains(part), "{part} missing from: {msg}");
    }
    let msg = source(None, cache.path()).load().unwrap_err().to_string();
    assert!(
        msg.contains("download: not tried (downloads disabled)"),
        "{msg}"
    );
}
