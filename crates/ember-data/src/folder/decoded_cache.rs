//! Ember's cache of decoded image folders: one compact file per folder state, so a later run
//! reads the arrays instead of decoding every image again.
//!
//! The file is named by a key: the SHA-256 of the folder's canonical path, the conversion
//! asked for and every image's relative path, size and modification time, so any added,
//! removed, replaced or touched file gives another key (and the folder is decoded again).
//!
//! Layout: the magic `EMBER-IMAGES-v1\n` (16 bytes), the length of a JSON header as a u64
//! little-endian, the header (key, shape `[c, h, w]`, class names, image count per split),
//! then every label as a u32 little-endian, then every image's bytes, train first.

use std::path::Path;

use super::scan::Tree;
use crate::cache::write_atomic;
use crate::published::sha256_hex;
use crate::DataError;

const MAGIC: &[u8; 16] = b"EMBER-IMAGES-v1\n";

/// Decoded images of one split: `[n, c, h, w]` bytes and `n` labels.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Split {
    pub images: Vec<u8>,
    pub labels: Vec<usize>,
}

/// A decoded folder, as cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub shape: [usize; 3],
    pub classes: Vec<String>,
    pub train: Split,
    pub test: Option<Split>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Header {
    key: String,
    shape: [usize; 3],
    classes: Vec<String>,
    train: usize,
    test: Option<usize>,
}

/// The cache key of `tree` below `root` (canonical) converted as `settings` says.
///
/// # Errors
/// [`DataError::Io`] naming a file whose size or time cannot be read.
pub(crate) fn key(root: &Path, settings: &str, tree: &Tree) -> Result<String, DataError> {
    let mut text = format!("ember image folder v1\n{}\n{settings}\n", root.display());
    let splits = [("train", Some(&tree.train)), ("test", tree.test.as_ref())];
    for (split, files) in splits {
        for (path, label) in files.into_iter().flatten() {
            let meta = std::fs::metadata(path).map_err(|e| DataError::io(path, e))?;
            let time = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let rel = path.strip_prefix(root).unwrap_or(path);
            text += &format!(
                "{split}\t{label}\t{}\t{}\t{time}\n",
                rel.display(),
                meta.len()
            );
        }
    }
    Ok(sha256_hex(text.as_bytes()))
}

/// Writes `decoded` under `key` to `path`, atomically.
///
/// # Errors
/// [`DataError::Write`] naming the file.
pub(crate) fn write(path: &Path, key: &str, decoded: &Decoded) -> Result<(), DataError> {
    let header = Header {
        key: key.into(),
        shape: decoded.shape,
        classes: decoded.classes.clone(),
        train: decoded.train.labels.len(),
        test: decoded.test.as_ref().map(|t| t.labels.len()),
    };
    let header = serde_json::to_vec(&header).expect("a header serialises");
    let splits: Vec<&Split> = std::iter::once(&decoded.train)
        .chain(decoded.test.as_ref())
        .collect();
    let mut out = MAGIC.to_vec();
    out.extend((header.len() as u64).to_le_bytes());
    out.extend(header);
    for split in &splits {
        out.extend(split.labels.iter().flat_map(|&l| (l as u32).to_le_bytes()));
    }
    for split in &splits {
        out.extend(&split.images);
    }
    write_atomic(path, &out)
}

/// Reads the file at `path` if it holds `key`; the reason in words when it does not (absent,
/// another key, damaged).
pub(crate) fn read(path: &Path, key: &str) -> Result<Decoded, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or("not an Ember image cache file")?;
    let (len, rest) = rest.split_at_checked(8).ok_or("truncated header")?;
    let len = u64::from_le_bytes(len.try_into().expect("8 bytes")) as usize;
    let (header, body) = rest.split_at_checked(len).ok_or("truncated header")?;
    let header: Header = serde_json::from_slice(header).map_err(|e| e.to_string())?;
    if header.key != key {
        return Err("it holds another state of the folder".into());
    }
    let counts = [header.train, header.test.unwrap_or(0)];
    let n = counts[0] + counts[1];
    let per_image: usize = header.shape.iter().product();
    if body.len() != n * 4 + n * per_image {
        return Err(format!(
            "{} bytes of data, {} expected",
            body.len(),
            n * (4 + per_image)
        ));
    }
    let (labels, images) = body.split_at(n * 4);
    let labels: Vec<usize> = labels
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
        .collect();
    let split = |from: usize, count: usize| Split {
        images: images[from * per_image..(from + count) * per_image].to_vec(),
        labels: labels[from..from + count].to_vec(),
    };
    Ok(Decoded {
        shape: header.shape,
        classes: header.classes,
        train: split(0, counts[0]),
        test: header.test.map(|t| split(counts[0], t)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_folder_reads_back_under_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.bin");
        let decoded = Decoded {
            shape: [1, 1, 2],
            classes: vec!["猫".into(), "dog".into()],
            train: Split {
                images: vec![1, 2, 3, 4],
                labels: vec![1, 0],
            },
            test: Some(Split {
                images: vec![9, 8],
                labels: vec![1],
            }),
        };
        write(&path, "k1", &decoded).unwrap();
        assert_eq!(read(&path, "k1").unwrap(), decoded);
        assert_eq!(
            read(&path, "k2").unwrap_err(),
            "it holds another state of the folder"
        );
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(read(&path, "k1").unwrap_err().contains("expected"));
    }
}
