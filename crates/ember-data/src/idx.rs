//! The IDX file format of MNIST and Fashion-MNIST (LeCun et al.), gzipped or raw.
//!
//! An IDX file is a header followed by the values in row-major order:
//!
//! ```text
//! 00 00 TT RR | d_0 (u32 BE) | ... | d_{R-1} (u32 BE) | d_0 * ... * d_{R-1} values
//! ```
//!
//! `TT` is the element type (`0x08` = unsigned byte, the only one Ember reads) and `RR` the
//! rank. [`read_idx`] checks the magic, the type, the rank and that the file holds exactly
//! the bytes the header announces.

use std::io::Read;
use std::path::Path;

use flate2::read::GzDecoder;

use crate::DataError;

/// The IDX type code of unsigned bytes.
pub const IDX_UBYTE: u8 = 0x08;

/// An IDX array of unsigned bytes: its dimensions and its values in row-major order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxArray {
    /// The dimensions, outermost first (e.g. `[60000, 28, 28]` for MNIST's training images).
    pub dims: Vec<usize>,
    /// The values, `dims.iter().product()` of them.
    pub data: Vec<u8>,
}

/// Reads a whole file into memory, decompressing it when it starts with the gzip magic
/// (`1f 8b`), whatever its name.
///
/// # Errors
/// [`DataError::Io`] when the file cannot be read or its gzip stream is corrupt.
pub fn read_maybe_gz(path: &Path) -> Result<Vec<u8>, DataError> {
    let raw = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    gunzip_if_gzip(raw).map_err(|e| DataError::io(path, e))
}

/// The most a gzip stream may inflate to, as a multiple of its compressed size (genuine
/// dataset files inflate 2–10×; a decompression bomb, ~1,000×), with a floor of
/// [`MIN_INFLATE_LIMIT`] bytes for small files.
pub const MAX_INFLATE_RATIO: u64 = 64;

/// What any gzip stream may inflate to, whatever its ratio.
pub const MIN_INFLATE_LIMIT: u64 = 16 << 20;

/// Decompresses `bytes` when they start with the gzip magic (`1f 8b`), else returns them.
/// Inflation stops with an error past [`MAX_INFLATE_RATIO`] times the compressed size (at
/// least [`MIN_INFLATE_LIMIT`] bytes), so a decompression bomb costs that much memory, not
/// all of it.
///
/// # Errors
/// The decoder's error when the gzip stream is corrupt or truncated; `InvalidData` when it
/// inflates past the limit.
pub fn gunzip_if_gzip(bytes: Vec<u8>) -> std::io::Result<Vec<u8>> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4));
    gunzip_bounded(bytes.as_slice(), bytes.len() as u64).read_to_end(&mut out)?;
    Ok(out)
}

/// A reader inflating the gzip stream `compressed` (of `compressed_len` bytes) that fails
/// with `InvalidData` once it has given [`MAX_INFLATE_RATIO`] times `compressed_len` bytes
/// (at least [`MIN_INFLATE_LIMIT`]): every archive Ember opens (tar.gz of npm packages,
/// CIFAR-10) is read through it, so a decompression bomb ends in an error early.
pub fn gunzip_bounded<R: Read>(compressed: R, compressed_len: u64) -> impl Read {
    let limit = compressed_len
        .saturating_mul(MAX_INFLATE_RATIO)
        .max(MIN_INFLATE_LIMIT);
    Bounded {
        inner: GzDecoder::new(compressed),
        left: limit,
        limit,
        compressed_len,
    }
}

/// [`gunzip_bounded`]'s reader.
struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
    compressed_len: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more than the limit tells a stream that ends there from one that goes on.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the {}-byte gzip stream inflates to more than {} bytes ({MAX_INFLATE_RATIO}× \
                     its size): not a dataset file (a decompression bomb?); re-download it",
                    self.compressed_len, self.limit
                ),
            ));
        }
        let room = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..room])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Reads an unsigned-byte IDX file, gzipped or raw.
///
/// # Errors
/// [`DataError::BadMagic`], [`DataError::UnsupportedType`], [`DataError::Truncated`] or
/// [`DataError::TrailingBytes`] naming the file, or [`DataError::Io`].
pub fn read_idx(path: &Path) -> Result<IdxArray, DataError> {
    parse_idx(path, &read_maybe_gz(path)?)
}

/// Parses the bytes of an unsigned-byte IDX file; `path` only names it in errors.
///
/// # Errors
/// As [`read_idx`].
pub fn parse_idx(path: &Path, bytes: &[u8]) -> Result<IdxArray, DataError> {
    if bytes.len() < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[3] == 0 {
        return Err(DataError::BadMagic {
            path: path.into(),
            found: bytes.iter().take(4).copied().collect(),
        });
    }
    if bytes[2] != IDX_UBYTE {
        return Err(DataError::UnsupportedType {
            path: path.into(),
            code: bytes[2],
        });
    }
    let rank = bytes[3] as usize;
    let header = 4 + 4 * rank;
    if bytes.len() < header {
        return Err(DataError::Truncated {
            path: path.into(),
            dims: Vec::new(),
            expected: header,
            found: bytes.len(),
        });
    }
    let dims: Vec<usize> = bytes[4..header]
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    let count = dims
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| DataError::invalid(path, format!("dimensions {dims:?} overflow")))?;
    let expected = header + count;
    if bytes.len() < expected {
        return Err(DataError::Truncated {
            path: path.into(),
            dims,
            expected,
            found: bytes.len(),
        });
    }
    if bytes.len() > expected {
        return Err(DataError::TrailingBytes {
            path: path.into(),
            dims,
            extra: bytes.len() - expected,
        });
    }
    Ok(IdxArray {
        dims,
        data: bytes[header..].to_vec(),
    })
}

/// Encodes an unsigned-byte array as IDX bytes (the inverse of [`parse_idx`]).
///
/// # Panics
/// If `data.len()` is not the product of `dims`, or a dimension exceeds `u32::MAX`.
pub fn encode_idx(dims: &[usize], data: &[u8]) -> Vec<u8> {
    assert_eq!(
        dims.iter().product::<usize>(),
        data.len(),
        "IDX data length"
    );
    let mut out = vec![0, 0, IDX_UBYTE, dims.len() as u8];
    for &d in dims {
        out.extend_from_slice(&u32::try_from(d).expect("IDX dimension").to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn name() -> &'static Path {
        Path::new("t.idx")
    }

    #[test]
    fn a_gzip_bomb_stops_at_its_limit_instead_of_taking_all_memory() {
        // 64 MiB of zeros compress to about 64 KB: 1,000× — far past the ratio.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..64 {
            enc.write_all(&zeros).unwrap();
        }
        let bomb = enc.finish().unwrap();
        assert!(bomb.len() < 1 << 17, "{}", bomb.len());
        let err = gunzip_if_gzip(bomb).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("decompression bomb"), "{err}");
        // A genuine file well within it inflates whole.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let digits: Vec<u8> = (0..200_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        enc.write_all(&digits).unwrap();
        assert_eq!(gunzip_if_gzip(enc.finish().unwrap()).unwrap(), digits);
    }

    #[test]
    fn parses_a_hand_written_file() {
        // rank 2, dims 2 x 3, values 1..=6.
        let bytes = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6];
        let a = parse_idx(name(), &bytes).unwrap();
        assert_eq!(a.dims, vec![2, 3]);
        assert_eq!(a.data, vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(encode_idx(&a.dims, &a.data), bytes.to_vec());
    }

    #[test]
    fn rejects_wrong_magic() {
        let err = parse_idx(name(), &[0x50, 0x4b, 3, 4, 0, 0]).unwrap_err();
        assert!(matches!(err, DataError::BadMagic { .. }), "{err}");
        assert!(err.to_string().contains("t.idx"));
    }

    #[test]
    fn rejects_other_element_types() {
        let err = parse_idx(name(), &[0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]).unwrap_err();
        assert!(matches!(err, DataError::UnsupportedType { code: 0x0d, .. }));
    }

    #[test]
    fn rejects_truncated_data_and_header() {
        let err = parse_idx(name(), &[0, 0, 8, 1, 0, 0, 0, 5, 1, 2]).unwrap_err();
        match err {
            DataError::Truncated {
                expected, found, ..
            } => assert_eq!((expected, found), (13, 10)),
            other => panic!("{other}"),
        }
        let err = parse_idx(name(), &[0, 0, 8, 3, 0, 0]).unwrap_err();
        assert!(matches!(err, DataError::Truncated { .. }));
    }

    #[test]
    fn rejects_trailing_bytes() {
        let err = parse_idx(name(), &[0, 0, 8, 1, 0, 0, 0, 1, 7, 7]).unwrap_err();
        assert!(matches!(err, DataError::TrailingBytes { extra: 1, .. }));
    }

    #[test]
    fn reads_gzip_and_raw_files_alike() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = encode_idx(&[4], &[9, 8, 7, 6]);
        let raw = dir.path().join("a-idx1-ubyte");
        std::fs::write(&raw, &bytes).unwrap();
        let gz = dir.path().join("a-idx1-ubyte.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&bytes).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        assert_eq!(read_idx(&raw).unwrap(), read_idx(&gz).unwrap());
        assert_eq!(read_idx(&gz).unwrap().data, vec![9, 8, 7, 6]);
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = read_idx(Path::new("/nonexistent/x.idx")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/x.idx"), "{err}");
    }
}
