//! # ember-fs: one way to write a file so that nobody ever reads half of it
//!
//! Every file Ember writes — a run folder's, a checkpoint, the dataset cache — goes through
//! here: the bytes go to a scratch file in the target's folder (its name starts with
//! [`SCRATCH_PREFIX`]), are synced to disk, and the scratch file is renamed onto the target.
//! A reader sees the old file or the whole new one; two processes writing one file at once
//! leave one of the two whole; a process killed mid-write leaves at most a scratch file,
//! which [`remove_scratch`] clears (a resumed run and a cache fill call it).
//!
//! ```
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("cache/train.idx");
//! ember_fs::write_atomic(&path, b"first")?;
//! ember_fs::write_atomic(&path, b"second, longer")?;
//! assert_eq!(std::fs::read(&path)?, b"second, longer");
//! // For a writer that opens files by path (a plotter, burn's record writer):
//! let scratch = ember_fs::scratch_path(dir.path(), ".png")?;
//! std::fs::write(&scratch, b"drawn")?;
//! ember_fs::sync_and_rename(scratch, &dir.path().join("curves.png"))?;
//! assert_eq!(std::fs::read_dir(dir.path())?.count(), 2);
//! # Ok::<(), std::io::Error>(())
//! ```
#![warn(missing_docs)]

use std::io::Write;
use std::path::Path;

pub use tempfile::TempPath;

/// What scratch files' names start with: [`remove_scratch`] knows them by it.
pub const SCRATCH_PREFIX: &str = ".partial-";

/// Writes `bytes` to `path` (making its folder when missing) through a scratch file in the
/// same folder, synced to disk and renamed into place.
///
/// # Errors
/// The operating system's error; the target is then unchanged.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = folder_of(path);
    std::fs::create_dir_all(dir)?;
    let mut tmp = scratch_file(dir, "")?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The path of a new, empty scratch file in `dir` (readable by all, as finished files are),
/// named with `suffix` (some writers pick the format from it), for a writer that opens files
/// by path; removed when dropped unless [`sync_and_rename`]d.
///
/// # Errors
/// The operating system's error when `dir` cannot hold a new file.
pub fn scratch_path(dir: &Path, suffix: &str) -> std::io::Result<TempPath> {
    Ok(scratch_file(dir, suffix)?.into_temp_path())
}

/// Syncs the finished scratch file `tmp` to disk and renames it onto `target`.
///
/// # Errors
/// The operating system's error; the target is then unchanged.
pub fn sync_and_rename(tmp: TempPath, target: &Path) -> std::io::Result<()> {
    std::fs::File::open(&tmp)?.sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the scratch files a killed writer left in `dir` (SIGKILL gives no chance to clean
/// up); other files are left alone. Call it only when no other writer uses `dir`.
///
/// # Errors
/// The operating system's error when `dir` cannot be read or a scratch file removed.
pub fn remove_scratch(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let scratch = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(SCRATCH_PREFIX));
        if scratch && entry.file_type()?.is_file() {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// The folder a file of `path` goes in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn scratch_file(dir: &Path, suffix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    builder
        .prefix(SCRATCH_PREFIX)
        .suffix(suffix)
        .tempfile_in(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Set in the child processes of the two-writer test: the file to write, and which
    /// writer this is.
    const WRITER: &str = "EMBER_FS_TEST_WRITER";

    /// A whole file of writer `w`'s round `i`: a header saying its length, then filler.
    fn content(w: u8, i: usize) -> Vec<u8> {
        let len = 1_000 + (i * 7_919 + usize::from(w) * 104_729) % 200_000;
        let mut bytes = format!("{len:>12}").into_bytes();
        bytes.resize(len, b'a' + w);
        bytes
    }

    fn whole(bytes: &[u8]) -> bool {
        let declared = std::str::from_utf8(&bytes[..12.min(bytes.len())])
            .ok()
            .and_then(|h| h.trim().parse::<usize>().ok());
        declared == Some(bytes.len()) && bytes[12..].iter().all(|&b| b == bytes[12])
    }

    #[test]
    fn two_processes_writing_one_file_at_once_leave_it_whole_every_moment() {
        if let Ok(spec) = std::env::var(WRITER) {
            // A child: write the file over and over.
            let (w, path) = spec.split_once(':').unwrap();
            let w: u8 = w.parse().unwrap();
            for i in 0..300 {
                write_atomic(Path::new(path), &content(w, i)).unwrap();
            }
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/mnist/train-images-idx3-ubyte");
        let me = std::env::current_exe().unwrap();
        let writers: Vec<_> = (0..2u8)
            .map(|w| {
                std::process::Command::new(&me)
                    .args([
                        "--exact",
                        "tests::two_processes_writing_one_file_at_once_leave_it_whole_every_moment",
                        "--nocapture",
                    ])
                    .env(WRITER, format!("{w}:{}", path.display()))
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut reads = 0;
        let mut children = writers;
        while children.iter_mut().any(|c| c.try_wait().unwrap().is_none()) {
            if let Ok(bytes) = std::fs::read(&path) {
                assert!(
                    whole(&bytes),
                    "read {} bytes of a half-written file",
                    bytes.len()
                );
                reads += 1;
            }
        }
        for mut child in children {
            assert!(child.wait().unwrap().success());
        }
        assert!(whole(&std::fs::read(&path).unwrap()));
        assert!(reads > 0, "the reader never saw the file");
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the file remains, no scratch file");
        println!("{reads} reads while two processes wrote 300 times each: all whole");
    }

    #[test]
    fn scratch_files_of_a_killed_writer_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".partial-abc.bpk"), b"half").unwrap();
        std::fs::write(dir.path().join("model.bpk"), b"whole").unwrap();
        std::fs::create_dir(dir.path().join(".partial-dir")).unwrap();
        remove_scratch(dir.path()).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, [".partial-dir", "model.bpk"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        write_atomic(&path, b"old").unwrap();
        // A folder in the way of the rename: the write fails, the scratch file goes.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("inside")).unwrap();
        assert!(write_atomic(&blocked, b"new").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no scratch file left");
    }
}
