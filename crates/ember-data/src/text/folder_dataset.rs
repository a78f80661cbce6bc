//! A text dataset from a folder: one sub-folder per class, one document per file.

use std::path::{Path, PathBuf};

use super::dataset::TextDataset;
use crate::DataError;

/// Reads `root/<class>/<file>` into a [`TextDataset`]: the class names are the
/// sub-folders' names sorted (byte order), label `i` being the `i`-th; each file (any
/// name, hidden files skipped) is one document, read in sorted name order. Files directly
/// in `root` are ignored.
///
/// # Errors
/// [`DataError::Io`]; [`DataError::NotUtf8`] naming a file that is not UTF-8;
/// [`DataError::Invalid`] when `root` has no class folder with a document.
pub fn read_text_folder(root: &Path) -> Result<TextDataset, DataError> {
    let classes = sorted_entries(root, |p| p.is_dir())?;
    let (mut texts, mut labels, mut names) = (Vec::new(), Vec::new(), Vec::new());
    for (label, class_dir) in classes.iter().enumerate() {
        for file in sorted_entries(class_dir, |p| p.is_file())? {
            let bytes = std::fs::read(&file).map_err(|e| DataError::io(&file, e))?;
            let text = String::from_utf8(bytes).map_err(|e| DataError::NotUtf8 {
                path: file.clone(),
                offset: e.utf8_error().valid_up_to(),
            })?;
            texts.push(text);
            labels.push(label);
        }
        names.push(file_name(class_dir));
    }
    if texts.is_empty() {
        return Err(DataError::invalid(
            root,
            "no documents: put one sub-folder per class here, each holding one file per \
             document (e.g. spam/0001.txt, ham/0002.txt)",
        ));
    }
    TextDataset::new(texts, labels, names, root)
}

/// The entries of `dir` that `keep` accepts, hidden ones left out, sorted by name.
fn sorted_entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>, DataError> {
    let entries = std::fs::read_dir(dir).map_err(|e| DataError::io(dir, e))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| DataError::io(dir, e))?.path();
        if keep(&path) && !file_name(&path).starts_with('.') {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::Dataset;

    fn put(root: &Path, rel: &str, bytes: &[u8]) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    #[test]
    fn sub_folders_are_sorted_classes_with_chinese_documents() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "体育/b.txt", "中国队赢了比赛".as_bytes());
        put(dir.path(), "体育/a.txt", b"A win");
        put(dir.path(), "finance/x", b"Stocks fell");
        put(dir.path(), "finance/.DS_Store", b"\xff");
        put(dir.path(), "README", b"ignored");
        let ds = read_text_folder(dir.path()).unwrap();
        // "finance" < "体育" in byte order.
        assert_eq!(ds.class_names(), ["finance", "体育"]);
        assert_eq!(ds.labels(), [0, 1, 1]);
        assert_eq!(ds.get(1).unwrap().text, "A win");
        assert_eq!(ds.get(2).unwrap().text, "中国队赢了比赛");
    }

    #[test]
    fn a_file_that_is_not_utf8_is_named() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "a/ok.txt", b"fine");
        put(dir.path(), "b/gbk.txt", &[0xd6, 0xd0, 0xce, 0xc4]); // "中文" in GBK
        let err = read_text_folder(dir.path()).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, DataError::NotUtf8 { offset: 0, .. }), "{msg}");
        assert!(msg.contains("gbk.txt") && msg.contains("iconv"), "{msg}");
    }

    #[test]
    fn an_empty_folder_says_what_to_put_there() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_text_folder(dir.path()).unwrap_err().to_string();
        assert!(err.contains("one sub-folder per class"), "{err}");
    }
}
