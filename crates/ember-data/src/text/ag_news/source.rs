//! Obtaining AG News: a named folder, the cache, then the public copy torchtext downloads,
//! each file checked against torchtext's MD5.

use std::path::{Path, PathBuf};

use md5::{Digest, Md5};

use super::parse::parse_ag_news_csv;
use crate::cache::{default_cache_dir, write_atomic};
use crate::origin::Origin;
use crate::sources::mirrors;
use crate::text::dataset::TextDataset;
use crate::DataError;

/// One AG News file: its name, the address torchtext downloads it from, its MD5 (as
/// torchtext's `AG_NEWS` publishes it) and its row count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgNewsFile {
    /// `train.csv` or `test.csv`.
    pub name: &'static str,
    /// The public address.
    pub url: &'static str,
    /// The MD5 of the file, lowercase hex.
    pub md5: &'static str,
    /// The number of rows.
    pub rows: usize,
}

/// The training file.
pub const AG_NEWS_TRAIN: AgNewsFile = AgNewsFile {
    name: "train.csv",
    url: "https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/train.csv",
    md5: "b1a00f826fdfbd249f79597b59e1dc12",
    rows: 120_000,
};

/// The test file.
pub const AG_NEWS_TEST: AgNewsFile = AgNewsFile {
    name: "test.csv",
    url:
        "https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/test.csv",
    md5: "d52ea96a97a2d943681189a97654912d",
    rows: 7_600,
};

impl AgNewsFile {
    /// Checks `bytes` against the published MD5.
    ///
    /// # Errors
    /// [`DataError::Invalid`] naming `path` and both digests.
    pub fn verify(&self, path: &Path, bytes: &[u8]) -> Result<(), DataError> {
        let found: String = Md5::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if found == self.md5 {
            return Ok(());
        }
        Err(DataError::invalid(
            path,
            format!(
                "MD5 mismatch: expected {} (the published {}), found {found}; the file is \
                 corrupt or a different version: delete it and obtain it again",
                self.md5, self.name
            ),
        ))
    }
}

/// Both splits of AG News and where they came from.
#[derive(Debug, Clone)]
pub struct AgNewsData {
    /// 120,000 articles, 30,000 per class.
    pub train: TextDataset,
    /// 7,600 articles, 1,900 per class.
    pub test: TextDataset,
    /// Where the files came from.
    pub origin: Origin,
}

/// Where to look for AG News: `data_dir` (alone when set: `train.csv` and `test.csv`
/// there, MD5s compared and reported), else the cache `cache_dir/ag-news/` (MD5 verified),
/// else (when `download`) the public copy torchtext uses, verified by MD5 before it is
/// written into the cache.
#[derive(Debug, Clone)]
pub struct AgNewsSource {
    /// A folder holding `train.csv` and `test.csv`.
    pub data_dir: Option<PathBuf>,
    /// The root of Ember's dataset cache.
    pub cache_dir: PathBuf,
    /// Whether the public copy may be downloaded.
    pub download: bool,
    /// Whether to print what is tried on stderr.
    pub verbose: bool,
}

impl Default for AgNewsSource {
    /// Downloads allowed; `data_dir` from `EMBER_DATA_DIR`, the cache from
    /// [`default_cache_dir`].
    fn default() -> Self {
        Self {
            data_dir: std::env::var_os("EMBER_DATA_DIR").map(PathBuf::from),
            cache_dir: default_cache_dir(),
            download: true,
            verbose: true,
        }
    }
}

impl AgNewsSource {
    /// The cache folder of AG News: `cache_dir/ag-news`.
    pub fn dataset_cache(&self) -> PathBuf {
        self.cache_dir.join("ag-news")
    }

    /// Obtains both splits from the first source that works.
    ///
    /// # Errors
    /// A parse error of a file found; otherwise [`DataError::TextNotFound`] listing each
    /// place looked at and which files to put where.
    pub fn load(&self) -> Result<AgNewsData, DataError> {
        let files = [AG_NEWS_TRAIN, AG_NEWS_TEST];
        let mut looked = Vec::new();
        if let Some(dir) = &self.data_dir {
            match read_files(dir, &files)? {
                Some(found) => {
                    let verified = self.check_all(&files, &found);
                    let origin = Origin::Folder {
                        path: dir.clone(),
                        verified,
                    };
                    return parse_both(&found, origin);
                }
                None => looked.push(format!(
                    "  - folder {}: no train.csv and test.csv",
                    dir.display()
                )),
            }
        } else {
            let cache = self.dataset_cache();
            match read_files(&cache, &files)? {
                Some(found) if self.check_all(&files, &found) => {
                    return parse_both(&found, Origin::Cache { path: cache });
                }
                Some(_) => looked.push(format!(
                    "  - cache {}: files differ from the published ones",
                    cache.display()
                )),
                None => looked.push(format!(
                    "  - cache {}: no train.csv and test.csv",
                    cache.display()
                )),
            }
            if self.download {
                match self.download(&files) {
                    Ok(found) => {
                        let origin = Origin::Download {
                            mirror: "https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras"
                                .into(),
                        };
                        return parse_both(&found, origin);
                    }
                    Err(e) => looked.push(format!("  - download: {e}")),
                }
            } else {
                looked.push("  - download: not tried (downloads disabled)".into());
            }
        }
        Err(DataError::TextNotFound {
            dataset: "AG News".into(),
            looked: looked.join("\n"),
            fix: format!(
                "put AG News' train.csv (120,000 rows) and test.csv (7,600 rows), the official \
                 `\"class\",\"title\",\"description\"` files without a header (from ag_news_csv.tgz, \
                 or {}), in a folder and pass `--data-dir FOLDER` (or set EMBER_DATA_DIR=FOLDER), \
                 or put them in the cache folder {}",
                AG_NEWS_TRAIN.url.trim_end_matches("train.csv"),
                self.dataset_cache().display()
            ),
        })
    }

    /// Whether every file matches its MD5; each mismatch is printed (when `verbose`).
    fn check_all(&self, files: &[AgNewsFile], found: &[(PathBuf, Vec<u8>)]) -> bool {
        let mut all = true;
        for (file, (path, bytes)) in files.iter().zip(found) {
            if let Err(e) = file.verify(path, bytes) {
                all = false;
                if self.verbose {
                    eprintln!("[AG News] warning: {e}");
                }
            }
        }
        all
    }

    fn download(&self, files: &[AgNewsFile]) -> Result<Vec<Found>, DataError> {
        let agent = mirrors::agent();
        let mut found = Vec::new();
        for file in files {
            if self.verbose {
                eprintln!("[AG News] downloading {}", file.url);
            }
            let bytes = mirrors::download(&agent, file.url, self.verbose)?;
            file.verify(Path::new(file.url), &bytes)?;
            found.push((PathBuf::from(file.url), bytes));
        }
        for (file, (_, bytes)) in files.iter().zip(&found) {
            write_atomic(&self.dataset_cache().join(file.name), bytes)?;
        }
        Ok(found)
    }
}

/// A file read: where from, and its bytes.
type Found = (PathBuf, Vec<u8>);

/// The bytes of every file in `dir`, or `None` when one is missing.
fn read_files(dir: &Path, files: &[AgNewsFile]) -> Result<Option<Vec<Found>>, DataError> {
    let mut out = Vec::new();
    for file in files {
        let path = dir.join(file.name);
        match std::fs::read(&path) {
            Ok(bytes) => out.push((path, bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(DataError::io(&path, e)),
        }
    }
    Ok(Some(out))
}

fn parse_both(found: &[(PathBuf, Vec<u8>)], origin: Origin) -> Result<AgNewsData, DataError> {
    Ok(AgNewsData {
        train: parse_ag_news_csv(&found[0].0, &found[0].1)?,
        test: parse_ag_news_csv(&found[1].0, &found[1].1)?,
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::Dataset;

    #[test]
    fn a_missing_folder_file_says_which_files_to_put_where() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("train.csv"), "1,a,b\n").unwrap();
        let source = AgNewsSource {
            data_dir: Some(dir.path().into()),
            cache_dir: dir.path().join("cache"),
            download: false,
            verbose: false,
        };
        let msg = source.load().unwrap_err().to_string();
        for part in [
            "no train.csv and test.csv",
            "test.csv (7,600 rows)",
            "--data-dir",
            "EMBER_DATA_DIR",
        ] {
            assert!(msg.contains(part), "{part} missing from: {msg}");
        }
        std::fs::write(dir.path().join("test.csv"), "2,c,d\n").unwrap();
        let data = source.load().unwrap();
        assert!(matches!(
            data.origin,
            Origin::Folder {
                verified: false,
                ..
            }
        ));
        assert_eq!((data.train.len(), data.test.labels()), (1, &[1][..]));
    }

    #[test]
    fn without_a_folder_the_cache_is_tried_then_downloads() {
        let dir = tempfile::tempdir().unwrap();
        let source = AgNewsSource {
            data_dir: None,
            cache_dir: dir.path().into(),
            download: false,
            verbose: false,
        };
        let msg = source.load().unwrap_err().to_string();
        assert!(
            msg.contains("cache") && msg.contains("downloads disabled"),
            "{msg}"
        );
    }

    #[test]
    fn md5_is_checked() {
        // RFC 1321, appendix A.5: MD5("abc").
        let file = AgNewsFile {
            md5: "900150983cd24fb0d6963f7d28e17f72",
            ..AG_NEWS_TEST
        };
        assert!(file.verify(Path::new("x"), b"abc").is_ok());
        let err = file.verify(Path::new("x"), b"abd").unwrap_err().to_string();
        assert!(err.contains("MD5 mismatch"), "{err}");
    }
}
