//! Which dataset, as a command line names it: `mnist`, `fashion-mnist`, `cifar10` or
//! `folder:PATH`.

use std::path::PathBuf;
use std::str::FromStr;

use crate::mnist::MnistKind;
use crate::DataError;

/// A dataset named on the command line (`--dataset`).
///
/// Parsed from `mnist` and `fashion-mnist` (and the spellings [`MnistKind`] accepts),
/// `cifar10` (or `cifar-10`, `cifar`, any case), or `folder:PATH` for an
/// [`crate::ImageFolder`] (any path, Chinese names included); `Display` gives the canonical
/// spelling back.
///
/// ```
/// use ember_data::{DatasetSpec, MnistKind};
///
/// assert_eq!("fashion".parse::<DatasetSpec>()?, DatasetSpec::Mnist(MnistKind::FashionMnist));
/// assert_eq!("CIFAR-10".parse::<DatasetSpec>()?, DatasetSpec::Cifar10);
/// let folder: DatasetSpec = "folder:照片/猫狗".parse()?;
/// assert_eq!(folder, DatasetSpec::Folder("照片/猫狗".into()));
/// assert_eq!(folder.to_string(), "folder:照片/猫狗");
/// # Ok::<(), ember_data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DatasetSpec {
    /// MNIST or Fashion-MNIST ([`crate::MnistSource`]).
    Mnist(MnistKind),
    /// CIFAR-10 ([`crate::CifarSource`]).
    Cifar10,
    /// A folder of class folders of images ([`crate::ImageFolder`]).
    Folder(PathBuf),
}

impl FromStr for DatasetSpec {
    type Err = DataError;

    fn from_str(s: &str) -> Result<Self, DataError> {
        let unknown = || DataError::UnknownDataset {
            name: s.into(),
            choices: ["`mnist`", "`fashion-mnist`", "`cifar10`", "`folder:PATH`"]
                .map(String::from)
                .to_vec(),
        };
        if let Some(path) = s.strip_prefix("folder:") {
            return match path {
                "" => Err(unknown()),
                path => Ok(DatasetSpec::Folder(path.into())),
            };
        }
        if ["cifar10", "cifar-10", "cifar"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(s))
        {
            return Ok(DatasetSpec::Cifar10);
        }
        s.parse::<MnistKind>()
            .map(DatasetSpec::Mnist)
            .map_err(|_| unknown())
    }
}

impl std::fmt::Display for DatasetSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatasetSpec::Mnist(kind) => write!(f, "{kind}"),
            DatasetSpec::Cifar10 => write!(f, "cifar10"),
            DatasetSpec::Folder(path) => write!(f, "folder:{}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_display_back() {
        for (text, spec) in [
            ("mnist", DatasetSpec::Mnist(MnistKind::Mnist)),
            ("fashion-mnist", DatasetSpec::Mnist(MnistKind::FashionMnist)),
            ("cifar10", DatasetSpec::Cifar10),
            ("folder:/data/x y", DatasetSpec::Folder("/data/x y".into())),
        ] {
            let parsed: DatasetSpec = text.parse().unwrap();
            assert_eq!((&parsed, parsed.to_string()), (&spec, text.to_string()));
        }
        assert_eq!(
            "Cifar".parse::<DatasetSpec>().unwrap(),
            DatasetSpec::Cifar10
        );
    }

    #[test]
    fn an_unknown_name_or_an_empty_folder_lists_the_choices() {
        for text in ["imagenet", "folder:"] {
            let msg = text.parse::<DatasetSpec>().unwrap_err().to_string();
            assert_eq!(
                msg,
                format!(
                    "unknown dataset `{text}`; choose one of: `mnist`, `fashion-mnist`, \
                     `cifar10`, `folder:PATH`"
                )
            );
        }
    }
}
