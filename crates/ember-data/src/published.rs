//! A published file, described by its size and SHA-256, and the check against it.

use sha2::{Digest, Sha256};

use crate::DataError;

/// One published IDX file, described by its decompressed content.
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
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
}
