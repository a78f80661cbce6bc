//! The layout of an image folder: `root/<class>/*.png|jpg|jpeg`, or `root/train/<class>/…`
//! with an optional `root/test/<class>/…`; classes and files sorted by name.

use std::path::{Path, PathBuf};

use super::convert::is_image_file;
use crate::DataError;

/// The image files of one split, each with its label, in class then file-name order.
pub(crate) type SplitFiles = Vec<(PathBuf, usize)>;

/// What [`scan`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tree {
    /// The class names (folder names), sorted; a label is an index into it.
    pub classes: Vec<String>,
    /// The training images (or all images, without `train/`).
    pub train: SplitFiles,
    /// The test images of `root/test/`, when `root/train/` and `root/test/` exist.
    pub test: Option<SplitFiles>,
    /// Files skipped for their extension (not `.png`, `.jpg`, `.jpeg`).
    pub skipped: usize,
}

/// Lists the classes and image files below `root`. With a `train` folder in `root`, the
/// layout is `root/train/<class>/…` (+ `root/test/<class>/…`, whose classes must be among
/// the training classes); otherwise every folder of `root` is a class. Hidden entries
/// (names starting with `.`) and folders inside class folders are skipped.
///
/// # Errors
/// [`DataError::Invalid`] naming the folder: `root` is not a folder or holds no class
/// folder, a class folder holds no image, a name is not UTF-8, or a test class is not a
/// training class; [`DataError::Io`] for an unreadable folder.
pub(crate) fn scan(root: &Path) -> Result<Tree, DataError> {
    if !root.is_dir() {
        return Err(DataError::invalid(
            root,
            "is not a folder; give a folder of class folders (ROOT/<class>/*.png|jpg) or of \
             ROOT/train/<class>/… and ROOT/test/<class>/…",
        ));
    }
    let train_dir = root.join("train");
    if !train_dir.is_dir() {
        let (classes, train, skipped) = scan_split(root, None)?;
        return Ok(Tree {
            classes,
            train,
            test: None,
            skipped,
        });
    }
    let (classes, train, mut skipped) = scan_split(&train_dir, None)?;
    let test_dir = root.join("test");
    let test = if test_dir.is_dir() {
        let (_, test, n) = scan_split(&test_dir, Some(&classes))?;
        skipped += n;
        Some(test)
    } else {
        None
    };
    Ok(Tree {
        classes,
        train,
        test,
        skipped,
    })
}

/// The classes of `dir`, its image files with their labels and the count of files skipped;
/// `known` (the training classes) gives the labels of a test split.
fn scan_split(
    dir: &Path,
    known: Option<&[String]>,
) -> Result<(Vec<String>, SplitFiles, usize), DataError> {
    let folders = entries(dir)?
        .into_iter()
        .filter(|(_, p)| p.is_dir())
        .collect::<Vec<_>>();
    if folders.is_empty() {
        return Err(DataError::invalid(
            dir,
            "holds no class folder; put the images of each class in a folder named after it \
             (e.g. cat/1.png, dog/1.jpg)",
        ));
    }
    let classes: Vec<String> = folders.iter().map(|(n, _)| n.clone()).collect();
    let (mut files, mut skipped) = (Vec::new(), 0);
    for (index, (name, folder)) in folders.iter().enumerate() {
        let label = match known {
            None => index,
            Some(known) => known.iter().position(|k| k == name).ok_or_else(|| {
                DataError::invalid(
                    folder,
                    format!(
                        "class `{name}` is not among the training classes {known:?}; \
                         the test split may only hold classes of train/"
                    ),
                )
            })?,
        };
        let (images, others): (Vec<_>, Vec<_>) = entries(folder)?
            .into_iter()
            .filter(|(_, p)| p.is_file())
            .partition(|(_, p)| is_image_file(p));
        if images.is_empty() {
            return Err(DataError::invalid(
                folder,
                "holds no .png, .jpg or .jpeg file; remove the empty class folder",
            ));
        }
        skipped += others.len();
        files.extend(images.into_iter().map(|(_, p)| (p, label)));
    }
    Ok((known.map_or(classes, <[String]>::to_vec), files, skipped))
}

/// The visible entries of `dir` as `(name, path)`, sorted by name.
fn entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, DataError> {
    let read = std::fs::read_dir(dir).map_err(|e| DataError::io(dir, e))?;
    let mut out = Vec::new();
    for entry in read {
        let path = entry.map_err(|e| DataError::io(dir, e))?.path();
        let name = path.file_name().unwrap_or_default();
        let Some(name) = name.to_str() else {
            return Err(DataError::invalid(
                &path,
                "the name is not valid UTF-8; rename it (class names must be text)",
            ));
        };
        if !name.starts_with('.') {
            out.push((name.to_string(), path));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, rel: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"").unwrap();
    }

    fn names(root: &Path, files: &SplitFiles) -> Vec<(String, usize)> {
        let rel = |p: &PathBuf| p.strip_prefix(root).unwrap().display().to_string();
        files.iter().map(|(p, l)| (rel(p), *l)).collect()
    }

    #[test]
    fn classes_and_files_are_sorted_by_name_and_others_skipped() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "狗/b.PNG",
            "狗/a.jpeg",
            "cat/2.jpg",
            "cat/1.png",
            "cat/notes.txt",
        ] {
            touch(dir.path(), rel);
        }
        touch(dir.path(), ".hidden/x.png");
        touch(dir.path(), "readme.md");
        let tree = scan(dir.path()).unwrap();
        assert_eq!(tree.classes, ["cat", "狗"]);
        assert_eq!(
            names(dir.path(), &tree.train),
            [
                ("cat/1.png".into(), 0),
                ("cat/2.jpg".into(), 0),
                ("狗/a.jpeg".into(), 1),
                ("狗/b.PNG".into(), 1)
            ]
        );
        assert_eq!((tree.test, tree.skipped), (None, 1));
    }

    #[test]
    fn train_and_test_trees_share_the_training_labels() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "train/a/1.png",
            "train/b/1.png",
            "train/c/1.png",
            "test/c/9.png",
        ] {
            touch(dir.path(), rel);
        }
        let tree = scan(dir.path()).unwrap();
        assert_eq!(tree.classes, ["a", "b", "c"]);
        assert_eq!(tree.train.len(), 3);
        assert_eq!(
            names(dir.path(), &tree.test.unwrap()),
            [("test/c/9.png".into(), 2)]
        );
        touch(dir.path(), "test/zebra/1.png");
        let msg = scan(dir.path()).unwrap_err().to_string();
        assert!(
            msg.contains("class `zebra` is not among the training classes"),
            "{msg}"
        );
    }

    #[test]
    fn empty_and_missing_folders_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let msg = scan(&dir.path().join("nope")).unwrap_err().to_string();
        assert!(msg.contains("nope: is not a folder"), "{msg}");
        let msg = scan(dir.path()).unwrap_err().to_string();
        assert!(msg.contains("holds no class folder"), "{msg}");
        touch(dir.path(), "empty/readme.txt");
        let msg = scan(dir.path()).unwrap_err().to_string();
        assert!(
            msg.contains("empty: holds no .png, .jpg or .jpeg file"),
            "{msg}"
        );
    }
}
