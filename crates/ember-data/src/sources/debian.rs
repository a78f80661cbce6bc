//! Published files inside a Debian package, fetched with `apt-get download` and unpacked
//! with `dpkg-deb -x` (no root needed beyond what `apt-get download` needs).

use std::path::Path;
use std::process::Command;

use super::{collect_files, last_line, run, run_online, shown, FoundFile};
use crate::published::PublishedFile;
use crate::DataError;

/// Downloads the Debian package `package` into `scratch`, unpacks it there and returns
/// `files` as found inside it.
///
/// # Errors
/// [`DataError::Tool`] when `apt-get` or `dpkg-deb` cannot be started or `dpkg-deb` fails,
/// [`DataError::Fetch`] when no `.deb` arrives or a file is missing, or [`DataError::Io`].
pub(crate) fn fetch_package(
    package: &str,
    files: &[PublishedFile],
    scratch: &Path,
) -> Result<Vec<FoundFile>, DataError> {
    let out = run_online(
        Command::new("apt-get")
            .args([
                "-o",
                "Acquire::Retries=1",
                "-o",
                "Acquire::http::Timeout=30",
            ])
            .args(["download", package])
            .current_dir(scratch),
    )?;
    let deb = std::fs::read_dir(scratch)
        .ok()
        .and_then(|d| {
            d.flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "deb"))
        })
        .ok_or_else(|| {
            DataError::fetch(
                format!("apt-get download {package}"),
                format!(
                    "no .deb downloaded (apt-get said: {}); run `apt-get update` first?",
                    last_line(&out.stderr)
                ),
            )
        })?;
    let root = scratch.join("x");
    let mut unpack = Command::new("dpkg-deb");
    unpack.arg("-x").arg(&deb).arg(&root);
    let out = run(&mut unpack)?;
    if !out.status.success() {
        return Err(DataError::Tool {
            command: shown(&unpack),
            message: format!("failed: {}", last_line(&out.stderr)),
        });
    }
    collect_files(
        &root,
        files,
        &format!("Debian package {package}"),
        "unpacked .deb",
    )
}
