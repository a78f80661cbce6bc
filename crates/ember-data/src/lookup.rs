//! Where a dataset source looks and what it may do: the part [`crate::MnistSource`] and
//! [`crate::CifarSource`] share.

use std::path::PathBuf;

use crate::cache::default_cache_dir;

/// The places a source looks in and the permissions it has, in the order every source uses:
/// the user's folder (alone when set), then Ember's cache, then a download.
///
/// ```
/// use ember_data::{Lookup, MnistKind, MnistSource};
///
/// let lookup = Lookup::from_env().with_cache_dir("/tmp/ember-cache".into()).offline();
/// let source = MnistSource::new(MnistKind::Mnist).with_lookup(lookup);
/// assert!(!source.lookup.download);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// A file or folder holding the dataset (`--data-dir`, or `EMBER_DATA_DIR`); when set it
    /// is the only place looked at, and an error there is final.
    pub data_dir: Option<PathBuf>,
    /// The root of Ember's dataset cache (`EMBER_CACHE_DIR`, see [`default_cache_dir`]); each
    /// dataset sits in a folder named after it below.
    pub cache_dir: PathBuf,
    /// Whether the dataset may be downloaded from its publishers or public mirrors.
    pub download: bool,
    /// Whether to print what is tried, and download progress, on stderr.
    pub verbose: bool,
}

impl Default for Lookup {
    fn default() -> Self {
        Self::from_env()
    }
}

impl Lookup {
    /// `data_dir` from `EMBER_DATA_DIR`, the cache from [`default_cache_dir`], downloads
    /// allowed unless [`offline`], verbose.
    pub fn from_env() -> Self {
        Self {
            data_dir: std::env::var_os("EMBER_DATA_DIR").map(PathBuf::from),
            cache_dir: default_cache_dir(),
            download: !offline(),
            verbose: true,
        }
    }

    /// Uses `dir` as the place to read (overrides `EMBER_DATA_DIR` when `Some`).
    pub fn with_data_dir(mut self, dir: Option<PathBuf>) -> Self {
        if dir.is_some() {
            self.data_dir = dir;
        }
        self
    }

    /// Uses `dir` as the root of the dataset cache.
    pub fn with_cache_dir(mut self, dir: PathBuf) -> Self {
        self.cache_dir = dir;
        self
    }

    /// Forbids downloads: only the data dir and the cache are read.
    pub fn offline(mut self) -> Self {
        self.download = false;
        self
    }

    /// Prints nothing.
    pub fn quiet(mut self) -> Self {
        self.verbose = false;
        self
    }

    /// The cache folder of one dataset: `cache_dir/<name>`.
    pub fn dataset_cache(&self, name: &str) -> PathBuf {
        self.cache_dir.join(name)
    }

    /// Prints `[tag] line` on stderr when verbose.
    pub(crate) fn say(&self, tag: impl std::fmt::Display, line: impl AsRef<str>) {
        if self.verbose {
            eprintln!("[{tag}] {}", line.as_ref());
        }
    }
}

/// Whether `EMBER_OFFLINE` is set (to anything but empty, `0` or `false`; `cargo xtask
/// --offline` sets it): then Ember opens no network connection at all. Every download and
/// every package client (pip, npm, apt-get) checks it right before it would connect and
/// refuses, whatever a [`Lookup`] says; only local folders and the cache are read.
pub fn offline() -> bool {
    std::env::var_os(OFFLINE_VAR).is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The variable [`offline`] reads.
pub const OFFLINE_VAR: &str = "EMBER_OFFLINE";

/// Refuses with [`DataError::Fetch`] naming `what` when [`offline`].
pub(crate) fn ensure_online(what: &str) -> Result<(), crate::DataError> {
    if offline() {
        return Err(crate::DataError::fetch(
            what,
            format!(
                "not fetched: {OFFLINE_VAR} is set (or --offline), so Ember opens no network \
                 connection; put the files in the cache or pass --data-dir, or unset it"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_set_one_field_each() {
        let base = Lookup {
            data_dir: Some("/env".into()),
            cache_dir: "/cache".into(),
            download: true,
            verbose: true,
        };
        assert_eq!(
            base.clone().with_data_dir(None).data_dir,
            Some("/env".into())
        );
        assert_eq!(
            base.clone().with_data_dir(Some("/x".into())).data_dir,
            Some("/x".into())
        );
        let l = base.with_cache_dir("/c2".into()).offline().quiet();
        assert_eq!(
            (l.download, l.verbose, l.dataset_cache("cifar10")),
            (false, false, PathBuf::from("/c2/cifar10"))
        );
    }
}
