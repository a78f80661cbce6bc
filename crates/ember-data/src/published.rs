//! A published file, described by its size and SHA-256 (and an archive by its MD5 too), and
//! the check against it.

use std::io::Read;
use std::path::Path;

use md5::Md5;
use sha2::{Digest, Sha256};

use crate::DataError;

/// One published file (an IDX file of MNIST, a CIFAR-10 batch), described by its
/// decompressed content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedFile {
    /// The standard name without `.gz` (e.g. `train-images-idx3-ubyte`).
    pub name: &'static str,
    /// The decompressed size in bytes.
    pub len: u64,
    /// The SHA-256 of the decompressed bytes, lowercase hex.
    pub sha256: &'static str,
}

impl PublishedFile {
    /// Checks `bytes` (decompressed) against the published size and SHA-256.
    ///
    /// # Errors
    /// [`DataError::Checksum`] naming `path` and both sizes and digests.
    pub fn verify(&self, path: &std::path::Path, bytes: &[u8]) -> Result<(), DataError> {
        let found_sha = sha256_hex(bytes);
        if bytes.len() as u64 == self.len && found_sha == self.sha256 {
            Ok(())
        } else {
            Err(DataError::Checksum {
                path: path.into(),
                expected_len: self.len,
                expected_sha: self.sha256.into(),
                found_len: bytes.len() as u64,
                found_sha,
            })
        }
    }

    /// The other spellings a copy of this file may carry: `.gz` and the dotted form
    /// (`train-images.idx3-ubyte`) used by some packages.
    pub fn candidate_names(&self) -> [String; 4] {
        let dotted = self.name.replacen("-idx", ".idx", 1);
        [
            self.name.to_string(),
            format!("{}.gz", self.name),
            dotted.clone(),
            format!("{dotted}.gz"),
        ]
    }
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A published archive, as downloaded: its size, the MD5 its authors publish and its SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedArchive {
    /// The file name (e.g. `cifar-10-binary.tar.gz`).
    pub name: &'static str,
    /// Where its authors publish it.
    pub url: &'static str,
    /// The size in bytes.
    pub len: u64,
    /// The MD5, lowercase hex.
    pub md5: &'static str,
    /// The SHA-256, lowercase hex.
    pub sha256: &'static str,
}

impl PublishedArchive {
    /// Checks the file at `path` against the published size, MD5 and SHA-256, in that
    /// order, reading it once in 1 MiB pieces (the archive is not held in memory).
    ///
    /// # Errors
    /// [`DataError::Io`] for an unreadable file, [`DataError::Mismatch`] naming `path`, the
    /// check that failed and both values.
    pub fn verify_file(&self, path: &Path) -> Result<(), DataError> {
        let mismatch = |check, expected: String, found: String| DataError::Mismatch {
            path: path.into(),
            check,
            expected,
            found,
        };
        let len = std::fs::metadata(path)
            .map_err(|e| DataError::io(path, e))?
            .len();
        if len != self.len {
            return Err(mismatch(
                "size",
                format!("{} bytes", self.len),
                format!("{len} bytes"),
            ));
        }
        let mut file = std::fs::File::open(path).map_err(|e| DataError::io(path, e))?;
        let (mut md5, mut sha) = (Md5::new(), Sha256::new());
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buffer).map_err(|e| DataError::io(path, e))?;
            if n == 0 {
                break;
            }
            md5.update(&buffer[..n]);
            sha.update(&buffer[..n]);
        }
        let (md5, sha) = (hex(&md5.finalize()), hex(&sha.finalize()));
        if md5 != self.md5 {
            return Err(mismatch("MD5", self.md5.into(), md5));
        }
        if sha != self.sha256 {
            return Err(mismatch("SHA-256", self.sha256.into(), sha));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_is_the_fips_vector() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_different_size_or_digest_is_a_checksum_error() {
        let file = PublishedFile {
            name: "abc",
            len: 3,
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        };
        let path = std::path::Path::new("abc");
        assert!(file.verify(path, b"abc").is_ok());
        let err = file.verify(path, b"abd").unwrap_err();
        assert!(
            matches!(err, DataError::Checksum { found_len: 3, .. }),
            "{err}"
        );
        assert_eq!(file.candidate_names()[1], "abc.gz");
    }

    #[test]
    fn an_archive_is_checked_by_size_then_md5_then_sha256() {
        // RFC 1321 appendix A.5: MD5("abc") = 900150983cd24fb0d6963f7d28e17f72.
        let archive = PublishedArchive {
            name: "abc",
            url: "",
            len: 3,
            md5: "900150983cd24fb0d6963f7d28e17f72",
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").unwrap();
        archive.verify_file(&path).unwrap();
        let check = |a: PublishedArchive| match a.verify_file(&path).unwrap_err() {
            DataError::Mismatch { check, .. } => check,
            other => panic!("{other}"),
        };
        assert_eq!(check(PublishedArchive { len: 4, ..archive }), "size");
        let zeros = "00000000000000000000000000000000";
        assert_eq!(
            check(PublishedArchive {
                md5: zeros,
                ..archive
            }),
            "MD5"
        );
        assert_eq!(
            check(PublishedArchive {
                sha256: zeros,
                ..archive
            }),
            "SHA-256"
        );
        let msg = PublishedArchive { len: 4, ..archive }
            .verify_file(&path)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("size mismatch: expected 4 bytes, found 3 bytes") && msg.contains("abc"),
            "{msg}"
        );
    }
}
