//! Finding CIFAR-10 on this machine: the folder or archive the user named, then the cache.

use std::path::{Path, PathBuf};

use super::read::{read_binary_batches, read_jpg_archive, CifarSplit};
use crate::cache::default_cache_dir;
use crate::image_dataset::ImageDataset;
use crate::DataError;

/// The name of the JPEG archive looked for in a folder.
pub const CIFAR_JPG_ARCHIVE: &str = "cifar10-jpg.tar.gz";
/// The folder `cifar-10-binary.tar.gz` unpacks to, looked into as well.
pub const CIFAR_BINARY_FOLDER: &str = "cifar-10-batches-bin";

/// Where to look for CIFAR-10. Nothing is downloaded.
///
/// Places, in order (the first that holds the split wins):
/// 1. `data_dir` (`--data-dir`, or the `EMBER_DATA_DIR` variable), when set;
/// 2. the cache folder `cache_dir/cifar10/`.
///
/// Each place may be a `.tar.gz` of JPEG class folders (`*/train/<class>/*.jpg`,
/// `*/test/<class>/*.jpg`) given as a file, or a folder holding [`CIFAR_JPG_ARCHIVE`], or a
/// folder holding the official binary batches (`data_batch_1.bin` .. `data_batch_5.bin`,
/// `test_batch.bin`), directly or in [`CIFAR_BINARY_FOLDER`]`/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CifarSource {
    /// A file or folder to look at first.
    pub data_dir: Option<PathBuf>,
    /// The root of Ember's dataset cache (CIFAR-10 sits in `cifar10/` below it).
    pub cache_dir: PathBuf,
    /// Whether to print on stderr where the data came from.
    pub verbose: bool,
}

/// One form CIFAR-10 was found in.
enum Found {
    Archive(PathBuf),
    Batches(Vec<PathBuf>),
}

impl Default for CifarSource {
    fn default() -> Self {
        Self::new()
    }
}

impl CifarSource {
    /// `data_dir` from `EMBER_DATA_DIR`, the cache from [`default_cache_dir`], verbose.
    pub fn new() -> Self {
        Self {
            data_dir: std::env::var_os("EMBER_DATA_DIR").map(PathBuf::from),
            cache_dir: default_cache_dir(),
            verbose: true,
        }
    }

    /// Uses `dir` as the file or folder to look at first (overrides `EMBER_DATA_DIR` when
    /// `Some`).
    pub fn with_data_dir(mut self, dir: Option<PathBuf>) -> Self {
        if dir.is_some() {
            self.data_dir = dir;
        }
        self
    }

    /// The cache folder of CIFAR-10: `cache_dir/cifar10`.
    pub fn dataset_cache(&self) -> PathBuf {
        self.cache_dir.join("cifar10")
    }

    /// Reads `split` from the first place that holds it.
    ///
    /// # Shapes
    /// Items `[3, 32, 32]`, with the class names [`super::CIFAR10_CLASSES`].
    ///
    /// # Errors
    /// The reader's error for a file that is found but does not parse, a
    /// [`DataError::Invalid`] for a folder holding only some of the split's batches, or
    /// [`DataError::CifarNotFound`] listing every place looked at and the fix.
    pub fn load(&self, split: CifarSplit) -> Result<ImageDataset, DataError> {
        let cache = self.dataset_cache();
        let places = self
            .data_dir
            .iter()
            .map(|d| ("data dir", d.clone()))
            .chain([("cache", cache.clone())]);
        let mut looked = Vec::new();
        for (what, place) in places {
            match locate(&place, split)? {
                Some(Found::Archive(path)) => {
                    self.say(format!(
                        "{split} split from {} (JPEG class folders)",
                        path.display()
                    ));
                    return read_jpg_archive(&path, split, None);
                }
                Some(Found::Batches(paths)) => {
                    let folder = paths[0].parent().unwrap_or(Path::new("."));
                    self.say(format!(
                        "{split} split from the binary batches in {}",
                        folder.display()
                    ));
                    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
                    return read_binary_batches(&paths);
                }
                None => looked.push(format!(
                    "  - {what} {}: {}",
                    place.display(),
                    missing(&place, split)
                )),
            }
        }
        Err(DataError::CifarNotFound {
            split: split.to_string(),
            looked: looked.join("\n"),
            cache,
        })
    }

    fn say(&self, line: impl AsRef<str>) {
        if self.verbose {
            eprintln!("[cifar-10] {}", line.as_ref());
        }
    }
}

/// What `place` holds of `split`, if anything.
///
/// # Errors
/// [`DataError::Invalid`] naming the folder when it holds some of the split's batches only.
fn locate(place: &Path, split: CifarSplit) -> Result<Option<Found>, DataError> {
    if place.is_file() {
        return Ok(Some(Found::Archive(place.to_path_buf())));
    }
    if !place.is_dir() {
        return Ok(None);
    }
    let archive = place.join(CIFAR_JPG_ARCHIVE);
    if archive.is_file() {
        return Ok(Some(Found::Archive(archive)));
    }
    for folder in [place.to_path_buf(), place.join(CIFAR_BINARY_FOLDER)] {
        let names = split.binary_batches();
        let (present, absent): (Vec<&str>, Vec<&str>) =
            names.iter().partition(|n| folder.join(n).is_file());
        if absent.is_empty() {
            return Ok(Some(Found::Batches(
                names.iter().map(|n| folder.join(n)).collect(),
            )));
        }
        if !present.is_empty() {
            return Err(DataError::invalid(
                &folder,
                format!(
                    "holds {} but not {}; unpack the whole cifar-10-binary.tar.gz here",
                    present.join(", "),
                    absent.join(", ")
                ),
            ));
        }
    }
    Ok(None)
}

/// Why `place` (where [`locate`] found nothing) does not hold `split`, in words.
fn missing(place: &Path, split: CifarSplit) -> String {
    if !place.exists() {
        return "no such file or folder".into();
    }
    let batches = split.binary_batches().join(", ");
    format!(
        "holds neither {CIFAR_JPG_ARCHIVE} nor {batches} (directly or in {CIFAR_BINARY_FOLDER}/)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cifar::read::tests::{record, write_jpeg_archive};
    use burn::data::dataset::Dataset;

    fn source(data_dir: Option<&Path>, cache: &Path) -> CifarSource {
        CifarSource {
            data_dir: data_dir.map(Path::to_path_buf),
            cache_dir: cache.to_path_buf(),
            verbose: false,
        }
    }

    #[test]
    fn an_archive_given_as_a_file_or_in_a_folder_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let archive = dir.path().join(CIFAR_JPG_ARCHIVE);
        write_jpeg_archive(&archive, &["a/test/ship/1.jpg", "a/train/cat/1.jpg"]);
        let test = source(Some(archive.as_path()), cache.path())
            .load(CifarSplit::Test)
            .unwrap();
        assert_eq!(test.labels(), &[8]);
        let train = source(Some(dir.path()), cache.path())
            .load(CifarSplit::Train)
            .unwrap();
        assert_eq!(train.labels(), &[3]);
    }

    #[test]
    fn binary_batches_are_found_in_the_cache_under_the_official_folder() {
        let cache = tempfile::tempdir().unwrap();
        let folder = cache.path().join("cifar10").join(CIFAR_BINARY_FOLDER);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("test_batch.bin"),
            [record(1, 0), record(2, 0)].concat(),
        )
        .unwrap();
        let empty = tempfile::tempdir().unwrap();
        let test = source(Some(empty.path()), cache.path())
            .load(CifarSplit::Test)
            .unwrap();
        assert_eq!((test.len(), test.labels()), (2, &[1, 2][..]));
    }

    #[test]
    fn some_batches_only_are_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("data_batch_1.bin"), record(0, 0)).unwrap();
        let err = source(Some(dir.path()), dir.path())
            .load(CifarSplit::Train)
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("holds data_batch_1.bin but not data_batch_2.bin"),
            "{msg}"
        );
    }

    #[test]
    fn nothing_found_says_what_to_put_where() {
        let cache = tempfile::tempdir().unwrap();
        let err = source(Some(Path::new("/no/such/place")), cache.path())
            .load(CifarSplit::Test)
            .unwrap_err();
        assert!(matches!(err, DataError::CifarNotFound { .. }));
        let msg = err.to_string();
        for part in [
            "data dir /no/such/place: no such file or folder",
            "no such file or folder",
            "cifar10-jpg.tar.gz",
            "test_batch.bin",
            "cifar-10-binary.tar.gz",
            "--data-dir",
            "EMBER_DATA_DIR",
            &cache.path().join("cifar10").display().to_string(),
        ] {
            assert!(msg.contains(part), "{part} missing from: {msg}");
        }
    }
}
