//! Ember's dataset cache: where it is, and writing into it so a reader never sees half a file.

use std::path::{Path, PathBuf};

use crate::DataError;

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

/// Writes `bytes` to `path` through a scratch file in the same folder, synced to disk and
/// renamed into place ([`ember_fs::write_atomic`]), so a reader never sees half a file and
/// two processes filling the cache at once leave one whole copy.
///
/// # Errors
/// [`DataError::Write`] naming the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DataError> {
    ember_fs::write_atomic(path, bytes).map_err(|e| DataError::write(path, e))
}

/// A scratch folder inside `cache_dir` (on the same disk as the cache), removed when dropped.
///
/// # Errors
/// [`DataError::Write`] naming `cache_dir`.
pub(crate) fn scratch_dir(cache_dir: &Path) -> Result<tempfile::TempDir, DataError> {
    std::fs::create_dir_all(cache_dir)
        .and_then(|_| {
            tempfile::Builder::new()
                .prefix(".fetch")
                .tempdir_in(cache_dir)
        })
        .map_err(|e| DataError::write(cache_dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

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
