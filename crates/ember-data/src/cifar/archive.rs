//! The authors' archive `cifar-10-binary.tar.gz`: downloaded with a progress bar, verified by
//! size, MD5 and SHA-256, and unpacked into the cache so that a reader never sees half of it.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::source::CIFAR_BINARY_FOLDER;
use crate::cache::scratch_dir;
use crate::lookup::Lookup;
use crate::published::PublishedArchive;
use crate::sources::mirrors;
use crate::DataError;

/// `cifar-10-binary.tar.gz` as its authors publish it on <https://www.cs.toronto.edu/~kriz/cifar.html>:
/// 170,052,171 bytes, MD5 `c32a1d4a…` (from that page). The SHA-256 is the one TensorFlow
/// Datasets' checksum registry and ankane/torchvision-ruby record for the same address.
pub const CIFAR_BINARY_ARCHIVE: PublishedArchive = PublishedArchive {
    name: "cifar-10-binary.tar.gz",
    url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
    len: 170_052_171,
    md5: "c32a1d4ab5d03f1284b67883e8d87530",
    sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
};

/// The members of `cifar-10-batches-bin/` that must be in the archive.
const REQUIRED: [&str; 7] = [
    "batches.meta.txt",
    "data_batch_1.bin",
    "data_batch_2.bin",
    "data_batch_3.bin",
    "data_batch_4.bin",
    "data_batch_5.bin",
    "test_batch.bin",
];
/// Members also kept when present.
const OPTIONAL: [&str; 1] = ["readme.html"];

/// Verifies the archive at `archive` against `published` (size, MD5, SHA-256; normally
/// [`CIFAR_BINARY_ARCHIVE`]), then unpacks its `cifar-10-batches-bin/` folder into `dest`
/// (e.g. `<cache>/cifar10`) and returns the folder's path, `dest/cifar-10-batches-bin`.
///
/// Only the regular files of the official layout are written (the batches,
/// `batches.meta.txt`, `readme.html`), whatever other paths the archive names; they are
/// unpacked into a scratch folder beside the target and moved into place by one rename, so
/// a reader sees the old folder or the whole new one.
///
/// # Errors
/// [`DataError::Mismatch`] when the archive is not the published one (nothing is
/// unpacked), [`DataError::Invalid`] naming the archive and the member it lacks,
/// [`DataError::Io`] or [`DataError::Write`].
pub fn unpack_binary_archive(
    archive: &Path,
    published: &PublishedArchive,
    dest: &Path,
) -> Result<PathBuf, DataError> {
    published.verify_file(archive)?;
    let scratch = scratch_dir(dest)?;
    let staged = scratch.path().join(CIFAR_BINARY_FOLDER);
    std::fs::create_dir(&staged).map_err(|e| DataError::write(&staged, e))?;
    extract_members(archive, &staged)?;
    if let Some(missing) = REQUIRED.iter().find(|n| !staged.join(n).is_file()) {
        return Err(DataError::invalid(
            archive,
            format!("holds no {CIFAR_BINARY_FOLDER}/{missing}; is this cifar-10-binary.tar.gz?"),
        ));
    }
    let target = dest.join(CIFAR_BINARY_FOLDER);
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| DataError::write(&target, e))?;
    }
    std::fs::rename(&staged, &target).map_err(|e| DataError::write(&target, e))?;
    Ok(target)
}

/// Bytes of one official batch file (10,000 records of 1 label + 3,072 pixels).
const BATCH_BYTES: u64 = 10_000 * 3_073;

/// The most one member of the archive may hold.
const MAX_MEMBER_BYTES: u64 = BATCH_BYTES + 1024;

/// Writes the official members of `cifar-10-batches-bin/` in the `.tar.gz` at `archive`
/// into the folder `out`.
fn extract_members(archive: &Path, out: &Path) -> Result<(), DataError> {
    let file = std::fs::File::open(archive).map_err(|e| DataError::io(archive, e))?;
    let len = file
        .metadata()
        .map_err(|e| DataError::io(archive, e))?
        .len();
    let mut tar = tar::Archive::new(crate::gunzip_bounded(file, len));
    let entries = tar.entries().map_err(|e| DataError::io(archive, e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| DataError::io(archive, e))?;
        let path = entry.path().map_err(|e| DataError::io(archive, e))?;
        let mut parts = path.components().map(|c| c.as_os_str().to_string_lossy());
        let (Some(folder), Some(name), None) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let official = REQUIRED.iter().chain(&OPTIONAL).find(|n| **n == name);
        let (Some(name), true) = (official, folder == CIFAR_BINARY_FOLDER) else {
            continue;
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        // Streamed to the file, and no further than a member can be: a tar entry that
        // claims or inflates to more is refused, not unpacked to the end of the disk.
        let too_big = || {
            DataError::invalid(
                archive,
                format!(
                    "{CIFAR_BINARY_FOLDER}/{name} holds more than {MAX_MEMBER_BYTES} bytes; \
                     the official member is {BATCH_BYTES}: not the CIFAR-10 archive (or a \
                     decompression bomb); re-download it"
                ),
            )
        };
        if entry.header().size().unwrap_or(u64::MAX) > MAX_MEMBER_BYTES {
            return Err(too_big());
        }
        let to = out.join(name);
        let mut file = std::fs::File::create(&to).map_err(|e| DataError::write(&to, e))?;
        let copied = std::io::copy(&mut (&mut entry).take(MAX_MEMBER_BYTES + 1), &mut file)
            .map_err(|e| DataError::io(archive, e))?;
        if copied > MAX_MEMBER_BYTES {
            return Err(too_big());
        }
    }
    Ok(())
}

/// Downloads `published` (with a progress bar when verbose) into a scratch folder of the
/// CIFAR-10 cache `dest`, then verifies and unpacks it there ([`unpack_binary_archive`]);
/// the archive itself is not kept.
///
/// # Errors
/// [`DataError::Fetch`] naming the address, or the errors of [`unpack_binary_archive`].
pub(crate) fn download_binary_archive(
    lookup: &Lookup,
    published: &PublishedArchive,
    dest: &Path,
) -> Result<PathBuf, DataError> {
    let scratch = scratch_dir(dest)?;
    let file = scratch.path().join(published.name);
    lookup.say(
        "cifar-10",
        format!("downloading {} ({} bytes)", published.url, published.len),
    );
    mirrors::download_to_file(&mirrors::agent(), published.url, &file, lookup.verbose)?;
    unpack_binary_archive(&file, published, dest)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cifar::binary::tests::record;

    /// Writes a `.tar.gz` in the official layout, with one record per batch (label = the
    /// batch's number, test batch 0) and a `..` member that must not be written.
    pub(crate) fn write_binary_archive(path: &Path) {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(path).unwrap(),
            flate2::Compression::fast(),
        );
        let mut tar = tar::Builder::new(gz);
        let mut add = |name: &str, bytes: &[u8]| {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, bytes).unwrap();
        };
        let meta = crate::cifar::CIFAR10_CLASSES.join("\n") + "\n\n";
        add("cifar-10-batches-bin/batches.meta.txt", meta.as_bytes());
        for (i, name) in REQUIRED[1..].iter().enumerate() {
            let label = if i == 5 { 0 } else { i as u8 + 1 };
            add(&format!("cifar-10-batches-bin/{name}"), &record(label, 9));
        }
        add("cifar-10-batches-bin/extra.sh", b"not official");
        tar.into_inner().unwrap().finish().unwrap();
    }

    /// The size and digests of the file at `path`, computed by coreutils (independent of
    /// the code under test).
    pub(crate) fn published_for(path: &Path, url: &'static str) -> PublishedArchive {
        let digest = |tool: &str| -> &'static str {
            let out = std::process::Command::new(tool).arg(path).output().unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            Box::leak(
                text.split_whitespace()
                    .next()
                    .unwrap()
                    .to_string()
                    .into_boxed_str(),
            )
        };
        PublishedArchive {
            name: "cifar-10-binary.tar.gz",
            url,
            len: std::fs::metadata(path).unwrap().len(),
            md5: digest("md5sum"),
            sha256: digest("sha256sum"),
        }
    }

    #[test]
    fn the_official_archive_is_pinned() {
        assert_eq!(CIFAR_BINARY_ARCHIVE.len, 170_052_171);
        assert_eq!(CIFAR_BINARY_ARCHIVE.md5, "c32a1d4ab5d03f1284b67883e8d87530");
        assert!(CIFAR_BINARY_ARCHIVE
            .url
            .ends_with("/~kriz/cifar-10-binary.tar.gz"));
    }

    #[test]
    fn a_good_archive_is_unpacked_with_only_its_official_members() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("cifar-10-binary.tar.gz");
        write_binary_archive(&archive);
        let published = published_for(&archive, "");
        let dest = dir.path().join("cache/cifar10");
        let folder = unpack_binary_archive(&archive, &published, &dest).unwrap();
        assert_eq!(folder, dest.join(CIFAR_BINARY_FOLDER));
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, REQUIRED);
        assert_eq!(
            std::fs::read(folder.join("data_batch_3.bin")).unwrap(),
            record(3, 9)
        );
        // No scratch folder is left behind.
        assert_eq!(std::fs::read_dir(&dest).unwrap().count(), 1);
    }

    #[test]
    fn a_wrong_size_or_checksum_is_rejected_and_nothing_is_unpacked() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("cifar-10-binary.tar.gz");
        write_binary_archive(&archive);
        let published = published_for(&archive, "");
        let dest = dir.path().join("cifar10");
        let longer = PublishedArchive {
            len: published.len + 1,
            ..published
        };
        let err = unpack_binary_archive(&archive, &longer, &dest).unwrap_err();
        assert!(
            matches!(err, DataError::Mismatch { check: "size", .. }),
            "{err}"
        );
        // Same size, one byte changed: the MD5 catches it.
        let mut bytes = std::fs::read(&archive).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&archive, &bytes).unwrap();
        let err = unpack_binary_archive(&archive, &published, &dest).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, DataError::Mismatch { check: "MD5", .. }),
            "{msg}"
        );
        assert!(
            msg.contains("cifar-10-binary.tar.gz: MD5 mismatch"),
            "{msg}"
        );
        assert!(!dest.join(CIFAR_BINARY_FOLDER).exists());
    }

    #[test]
    fn an_archive_without_a_batch_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("other.tar.gz");
        crate::cifar::read::tests::write_jpeg_archive(&archive, &["x/train/cat/1.jpg"]);
        let published = published_for(&archive, "");
        let err = unpack_binary_archive(&archive, &published, dir.path()).unwrap_err();
        assert!(
            err.to_string()
                .contains("holds no cifar-10-batches-bin/batches.meta.txt"),
            "{err}"
        );
    }

    /// Serves `body` once over HTTP on a free local port; returns the address.
    pub(crate) fn serve_once(body: Vec<u8>) -> String {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request).unwrap();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(&body).unwrap();
        });
        format!("http://127.0.0.1:{port}/cifar-10-binary.tar.gz")
    }

    #[test]
    fn a_download_is_verified_and_unpacked_into_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("built.tar.gz");
        write_binary_archive(&archive);
        let url: &'static str = Box::leak(serve_once(std::fs::read(&archive).unwrap()).into());
        let published = published_for(&archive, url);
        let lookup = Lookup::from_env()
            .with_cache_dir(dir.path().join("cache"))
            .quiet();
        let dest = lookup.dataset_cache("cifar10");
        let folder = download_binary_archive(&lookup, &published, &dest).unwrap();
        assert_eq!(
            std::fs::read(folder.join("test_batch.bin")).unwrap(),
            record(0, 9)
        );
        assert_eq!(
            std::fs::read_dir(&dest).unwrap().count(),
            1,
            "scratch removed"
        );
    }
}
