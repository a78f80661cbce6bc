//! Obtaining CIFAR-10: the folder or archive the user named, then the cache, then the authors'
//! archive downloaded, verified and unpacked into the cache.

use std::path::{Path, PathBuf};

use super::archive::{download_binary_archive, unpack_binary_archive, CIFAR_BINARY_ARCHIVE};
use super::binary::{read_binary_batches, CIFAR_BATCH_FILES};
use super::read::{read_jpg_archive, CifarSplit, CIFAR10_CLASSES};
use crate::image_dataset::ImageDataset;
use crate::lookup::Lookup;
use crate::origin::Origin;
use crate::DataError;

/// The name of the JPEG archive looked for in a folder.
pub const CIFAR_JPG_ARCHIVE: &str = "cifar10-jpg.tar.gz";
/// The folder `cifar-10-binary.tar.gz` unpacks to, looked into as well.
pub const CIFAR_BINARY_FOLDER: &str = "cifar-10-batches-bin";

/// Both splits of CIFAR-10 and where they came from.
#[derive(Debug, Clone)]
pub struct CifarData {
    /// The training split: 50,000 images `[3, 32, 32]` for the full dataset.
    pub train: ImageDataset,
    /// The test split: 10,000 images.
    pub test: ImageDataset,
    /// Where the files came from.
    pub origin: Origin,
}

/// Where to look for CIFAR-10, and whether it may be downloaded.
///
/// Places, in order (the places of [`Lookup`], as for [`crate::MnistSource`]):
/// 1. `lookup.data_dir` (`--data-dir`, or `EMBER_DATA_DIR`), alone when set;
/// 2. the cache folder `cache_dir/cifar10/`;
/// 3. when `lookup.download`: [`CIFAR_BINARY_ARCHIVE`] from its authors, checked against its
///    size, MD5 and SHA-256, unpacked into the cache (see [`super::unpack_binary_archive`]).
///
/// A place may be a `.tar.gz` given as a file (`cifar-10-binary.tar.gz` by that name, any
/// other name is read as JPEG class folders `*/train/<class>/*.jpg`, `*/test/<class>/*.jpg`),
/// or a folder holding [`CIFAR_JPG_ARCHIVE`], `cifar-10-binary.tar.gz` (verified and
/// unpacked into the cache), or the official batches (`data_batch_1.bin` ..
/// `data_batch_5.bin`, `test_batch.bin`), directly or in [`CIFAR_BINARY_FOLDER`]`/`.
/// Batches are compared with their published SHA-256s ([`super::CIFAR_BATCH_FILES`]); a
/// difference is reported (`Origin::Folder { verified: false }`), not refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CifarSource {
    /// The folder, the cache, whether to download and to print (shared with
    /// [`crate::MnistSource`]).
    pub lookup: Lookup,
}

/// One form CIFAR-10 was found in.
enum Found {
    JpegArchive(PathBuf),
    BinaryArchive(PathBuf),
    Batches(PathBuf),
}

/// A form that is read as it is: an archive of binaries is unpacked into batches first.
enum Ready {
    JpegArchive(PathBuf),
    Batches(PathBuf),
}

impl Default for CifarSource {
    fn default() -> Self {
        Self::new()
    }
}

impl CifarSource {
    /// The places of [`Lookup::from_env`], downloads allowed.
    pub fn new() -> Self {
        Self {
            lookup: Lookup::from_env(),
        }
    }

    /// Looks in the places of `lookup`.
    pub fn with_lookup(mut self, lookup: Lookup) -> Self {
        self.lookup = lookup;
        self
    }

    /// Uses `dir` as the file or folder to read (overrides `EMBER_DATA_DIR` when `Some`):
    /// [`Lookup::with_data_dir`].
    pub fn with_data_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.lookup = self.lookup.with_data_dir(dir);
        self
    }

    /// The cache folder of CIFAR-10: `cache_dir/cifar10`.
    pub fn dataset_cache(&self) -> PathBuf {
        self.lookup.dataset_cache("cifar10")
    }

    /// Reads both splits from the first place that holds CIFAR-10.
    ///
    /// # Shapes
    /// Items `[3, 32, 32]`, with the class names [`CIFAR10_CLASSES`].
    ///
    /// # Errors
    /// The reader's error for a file that is found but does not parse, a
    /// [`DataError::Invalid`] for a folder holding only some of the batches, the download's
    /// or the archive check's error, or [`DataError::CifarNotFound`] listing every place
    /// looked at and the fix.
    pub fn load(&self) -> Result<CifarData, DataError> {
        let (found, place) = self.find()?;
        let train = self.read(&found, CifarSplit::Train)?;
        let test = self.read(&found, CifarSplit::Test)?;
        let origin = self.origin(&found, place)?;
        self.lookup.say("cifar-10", format!("from {origin}"));
        Ok(CifarData {
            train,
            test,
            origin,
        })
    }

    /// Reads one split from the first place that holds CIFAR-10 (see [`CifarSource::load`]).
    ///
    /// # Errors
    /// As [`CifarSource::load`].
    pub fn load_split(&self, split: CifarSplit) -> Result<ImageDataset, DataError> {
        let (found, _) = self.find()?;
        self.read(&found, split)
    }

    /// The first form found, downloading when allowed; an archive of batches is unpacked
    /// into the cache first. Also returns the place it was found in.
    fn find(&self) -> Result<(Ready, PathBuf), DataError> {
        let cache = self.dataset_cache();
        let places = match &self.lookup.data_dir {
            Some(dir) => vec![("data dir", dir.clone())],
            None => vec![("cache", cache.clone())],
        };
        let mut looked = Vec::new();
        for (what, place) in places {
            match locate(&place)? {
                Some(Found::BinaryArchive(archive)) => {
                    self.lookup.say(
                        "cifar-10",
                        format!("verifying and unpacking {}", archive.display()),
                    );
                    unpack_binary_archive(&archive, &CIFAR_BINARY_ARCHIVE, &cache)?;
                    return Ok((Ready::Batches(cache.join(CIFAR_BINARY_FOLDER)), archive));
                }
                Some(Found::Batches(folder)) => return Ok((Ready::Batches(folder), place)),
                Some(Found::JpegArchive(path)) => return Ok((Ready::JpegArchive(path), place)),
                None => looked.push(format!(
                    "  - {what} {}: {}",
                    place.display(),
                    missing(&place)
                )),
            }
        }
        if self.lookup.data_dir.is_none() && self.lookup.download {
            let folder = download_binary_archive(&self.lookup, &CIFAR_BINARY_ARCHIVE, &cache)
                .map_err(|e| {
                    looked.push(format!("  - download: {e}"));
                    self.not_found(&looked)
                })?;
            return Ok((Ready::Batches(folder), CIFAR_BINARY_ARCHIVE.url.into()));
        }
        if self.lookup.data_dir.is_none() {
            looked.push("  - download: not tried (downloads disabled)".into());
        }
        Err(self.not_found(&looked))
    }

    fn not_found(&self, looked: &[String]) -> DataError {
        DataError::CifarNotFound {
            looked: looked.join("\n"),
            cache: self.dataset_cache(),
        }
    }

    fn read(&self, found: &Ready, split: CifarSplit) -> Result<ImageDataset, DataError> {
        match found {
            Ready::JpegArchive(path) => read_jpg_archive(path, split, None),
            Ready::Batches(folder) => {
                let paths: Vec<PathBuf> = split
                    .binary_batches()
                    .iter()
                    .map(|n| folder.join(n))
                    .collect();
                let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
                read_binary_batches(&paths)
            }
        }
    }

    /// Where `found` came from: batches compared with their published SHA-256s (a
    /// difference is printed), a JPEG archive as an unverified folder.
    fn origin(&self, found: &Ready, place: PathBuf) -> Result<Origin, DataError> {
        let Ready::Batches(folder) = found else {
            return Ok(Origin::Folder {
                path: place,
                verified: false,
            });
        };
        check_meta(folder)?;
        let mut verified = true;
        for file in &CIFAR_BATCH_FILES {
            let path = folder.join(file.name);
            let bytes = std::fs::read(&path).map_err(|e| DataError::io(&path, e))?;
            if let Err(e) = file.verify(&path, &bytes) {
                verified = false;
                self.lookup.say("cifar-10", format!("warning: {e}"));
            }
        }
        Ok(match place {
            p if p.as_os_str() == CIFAR_BINARY_ARCHIVE.url => Origin::Download {
                mirror: CIFAR_BINARY_ARCHIVE.url.into(),
            },
            p if verified && p == self.dataset_cache() => Origin::Cache { path: p },
            path => Origin::Folder { path, verified },
        })
    }
}

/// What `place` holds, if anything.
///
/// # Errors
/// [`DataError::Invalid`] naming the folder when it holds some of the batches only.
fn locate(place: &Path) -> Result<Option<Found>, DataError> {
    if place.is_file() {
        let binary = place
            .file_name()
            .is_some_and(|n| n == CIFAR_BINARY_ARCHIVE.name);
        return Ok(Some(if binary {
            Found::BinaryArchive(place.to_path_buf())
        } else {
            Found::JpegArchive(place.to_path_buf())
        }));
    }
    if !place.is_dir() {
        return Ok(None);
    }
    let names: Vec<&str> = CIFAR_BATCH_FILES.iter().map(|f| f.name).collect();
    for folder in [place.to_path_buf(), place.join(CIFAR_BINARY_FOLDER)] {
        let (present, absent): (Vec<&str>, Vec<&str>) =
            names.iter().partition(|n| folder.join(n).is_file());
        if absent.is_empty() {
            return Ok(Some(Found::Batches(folder)));
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
    let jpeg = place.join(CIFAR_JPG_ARCHIVE);
    if jpeg.is_file() {
        return Ok(Some(Found::JpegArchive(jpeg)));
    }
    let binary = place.join(CIFAR_BINARY_ARCHIVE.name);
    Ok(binary.is_file().then_some(Found::BinaryArchive(binary)))
}

/// Checks `batches.meta.txt`, when the folder has one: its non-empty lines must be the
/// class names [`CIFAR10_CLASSES`].
fn check_meta(folder: &Path) -> Result<(), DataError> {
    let path = folder.join("batches.meta.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    let names: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if names != CIFAR10_CLASSES {
        return Err(DataError::invalid(
            &path,
            format!(
                "lists the classes {names:?}, CIFAR-10's are {CIFAR10_CLASSES:?}; \
                 is this folder CIFAR-10 (not CIFAR-100)?"
            ),
        ));
    }
    Ok(())
}

/// Why `place` (where [`locate`] found nothing) does not hold CIFAR-10, in words.
fn missing(place: &Path) -> String {
    if !place.exists() {
        return "no such file or folder".into();
    }
    format!(
        "holds neither {CIFAR_JPG_ARCHIVE}, {} nor test_batch.bin and data_batch_1..5.bin \
         (directly or in {CIFAR_BINARY_FOLDER}/)",
        CIFAR_BINARY_ARCHIVE.name
    )
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;
