//! The error type of every fallible function in this crate.

use std::path::PathBuf;

/// What went wrong while obtaining, verifying or parsing a dataset.
///
/// Every variant names the file (or source) involved and, where one exists, the fix.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A file could not be written (cache, extracted archive member).
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The first bytes are not an IDX header.
    #[error(
        "{path}: not an IDX file: the header starts with {found:02x?}, \
         an IDX file starts with 00 00 <type> <rank>; is this the right file?"
    )]
    BadMagic {
        /// The file.
        path: PathBuf,
        /// The first four bytes found.
        found: Vec<u8>,
    },
    /// The IDX element type is not unsigned bytes.
    #[error(
        "{path}: IDX element type 0x{code:02x} is not supported; \
         Ember reads unsigned-byte IDX files (type 0x08), as MNIST and Fashion-MNIST use"
    )]
    UnsupportedType {
        /// The file.
        path: PathBuf,
        /// The type code from the header.
        code: u8,
    },
    /// The file ends before the data the header announces.
    #[error(
        "{path}: truncated: the header announces dimensions {dims:?}, i.e. {expected} bytes \
         in all, but the file holds {found}; delete it and obtain it again"
    )]
    Truncated {
        /// The file.
        path: PathBuf,
        /// The dimensions in the header.
        dims: Vec<usize>,
        /// The byte count the header implies (header included).
        expected: usize,
        /// The bytes present.
        found: usize,
    },
    /// The file holds more bytes than its header announces.
    #[error(
        "{path}: {extra} bytes follow the data announced by the header (dimensions {dims:?}); \
         the file is corrupt or not an IDX file"
    )]
    TrailingBytes {
        /// The file.
        path: PathBuf,
        /// The dimensions in the header.
        dims: Vec<usize>,
        /// How many bytes too many.
        extra: usize,
    },
    /// A file parsed, but its content does not have the expected form.
    #[error("{path}: {what}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, in words.
        what: String,
    },
    /// A file's size or SHA-256 differs from the published one.
    #[error(
        "{path}: checksum mismatch: expected {expected_len} bytes with SHA-256 {expected_sha}, \
         found {found_len} bytes with SHA-256 {found_sha}; the file is corrupt or a different \
         version: delete it and obtain it again"
    )]
    Checksum {
        /// The file.
        path: PathBuf,
        /// The published size in bytes.
        expected_len: u64,
        /// The published SHA-256 (hex).
        expected_sha: String,
        /// The size found.
        found_len: u64,
        /// The SHA-256 found (hex).
        found_sha: String,
    },
    /// No source could provide the dataset.
    #[error(
        "could not obtain {dataset}. Tried, in order:\n{tried}\n\
         To fix: put the four IDX files ({files}, `.gz` or not) in a folder and pass \
         `--data-dir FOLDER` (or set EMBER_DATA_DIR=FOLDER)"
    )]
    Unavailable {
        /// The dataset's name.
        dataset: String,
        /// One line per source tried, with why it failed.
        tried: String,
        /// The file names expected.
        files: String,
    },
    /// A download or a package client ran but did not deliver the data.
    #[error("{source_name}: {reason}")]
    Fetch {
        /// What was fetched from: an address, a package, a mirror list.
        source_name: String,
        /// What went wrong, and where known what to do about it.
        reason: String,
    },
    /// An external program (pip, npm, apt-get, dpkg-deb) could not be run or failed.
    #[error("`{command}` {message}")]
    Tool {
        /// The command line, as it was run.
        command: String,
        /// What happened, and the fix (e.g. install the program).
        message: String,
    },
    /// A dataset name that Ember does not know (e.g. on the command line).
    #[error("unknown dataset `{name}`; choose one of: {}", choices.join(", "))]
    UnknownDataset {
        /// The name given.
        name: String,
        /// The names accepted.
        choices: Vec<String>,
    },
    /// CIFAR-10 was found in none of the places looked at.
    #[error(
        "CIFAR-10 not found. Looked in, in order:\n{looked}\n\
         To fix: download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz \
         (170,052,171 bytes) and put it, or the `cifar-10-batches-bin/` folder it unpacks to \
         (`data_batch_1.bin` .. `data_batch_5.bin`, `test_batch.bin`), or `cifar10-jpg.tar.gz` \
         (JPEG class folders `*/train/<class>/*.jpg`, `*/test/<class>/*.jpg`), into the cache \
         folder {} or into a folder passed as `--data-dir FOLDER` (or EMBER_DATA_DIR=FOLDER)",
        cache.display()
    )]
    CifarNotFound {
        /// One line per place looked at, with what was missing there.
        looked: String,
        /// The cache folder of CIFAR-10 (`<cache>/cifar10`).
        cache: PathBuf,
    },
    /// A record of a fixed-size binary file (a CIFAR-10 batch) is malformed.
    #[error("{path}: at byte offset {offset}: {what}")]
    BadRecord {
        /// The file.
        path: PathBuf,
        /// Where the bad record (or its bad byte) starts, counted from 0.
        offset: u64,
        /// What is wrong, and the fix.
        what: String,
    },
    /// A downloaded or supplied archive is not the published one.
    #[error(
        "{path}: {check} mismatch: expected {expected}, found {found}; the file is \
         incomplete, corrupt or another version: delete it and obtain it again"
    )]
    Mismatch {
        /// The archive.
        path: PathBuf,
        /// What was compared: `size`, `MD5` or `SHA-256`.
        check: &'static str,
        /// The published value.
        expected: String,
        /// The value found.
        found: String,
    },
    /// An image file cannot be opened or decoded.
    #[error(
        "{path}: cannot decode the image: {reason}; the file is corrupt or not a PNG or JPEG: \
         replace or remove it"
    )]
    BadImage {
        /// The file.
        path: PathBuf,
        /// The decoder's message.
        reason: String,
    },
    /// A text dataset was found in none of the places looked at.
    #[error("{dataset} not found. Looked in, in order:\n{looked}\nTo fix: {fix}")]
    TextNotFound {
        /// The dataset's name.
        dataset: String,
        /// One line per place looked at, with what was missing there.
        looked: String,
        /// What to put where (files, folder, option or variable).
        fix: String,
    },
    /// A line or record of a text file does not have the expected form.
    #[error("{path}, line {line}: {what}")]
    BadLine {
        /// The file.
        path: PathBuf,
        /// The 1-based line where the record starts.
        line: u64,
        /// What is wrong, and the fix.
        what: String,
    },
    /// A text file is not valid UTF-8.
    #[error(
        "{path}: not valid UTF-8 (first bad byte at offset {offset}); \
         convert it (e.g. `iconv -f GB18030 -t UTF-8`) or remove it"
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The byte offset of the first invalid sequence.
        offset: usize,
    },
    /// A text dataset specification (`--dataset`) that cannot be parsed.
    #[error(
        "bad text dataset `{spec}`: {what}; write spam-assassin, ag-news, csv:PATH or folder:PATH"
    )]
    BadTextSpec {
        /// The specification given.
        spec: String,
        /// What is wrong.
        what: String,
    },
    /// A configuration value outside its allowed range.
    #[error("{field} = {value}: {what}")]
    BadConfig {
        /// The field, e.g. `EncoderConfig::max_len`.
        field: &'static str,
        /// The value given.
        value: String,
        /// What is allowed, and the fix.
        what: String,
    },
}

impl DataError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DataError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DataError::Write {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn invalid(path: impl Into<PathBuf>, what: impl Into<String>) -> Self {
        DataError::Invalid {
            path: path.into(),
            what: what.into(),
        }
    }

    pub(crate) fn fetch(source_name: impl Into<String>, reason: impl Into<String>) -> Self {
        DataError::Fetch {
            source_name: source_name.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn bad_config(
        field: &'static str,
        value: impl ToString,
        what: impl Into<String>,
    ) -> Self {
        DataError::BadConfig {
            field,
            value: value.to_string(),
            what: what.into(),
        }
    }
}
