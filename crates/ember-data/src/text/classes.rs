//! The class table: class name ↔ id, saved beside the vocabulary so prediction names
//! classes exactly as training numbered them.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::cache::write_atomic;
use crate::DataError;

/// Class names in label order, with the reverse look-up.
///
/// ```
/// use ember_data::ClassTable;
///
/// let classes = ClassTable::new(vec!["ham".into(), "spam".into()]).unwrap();
/// assert_eq!((classes.id("spam"), classes.name(0)), (Some(1), Some("ham")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassTable {
    names: Vec<String>,
    ids: HashMap<String, usize>,
}

/// The JSON form of a class-table file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassFile {
    /// Class names in label order.
    classes: Vec<String>,
}

impl ClassTable {
    /// The table of `names`, label `i` being `names[i]`.
    ///
    /// # Errors
    /// [`DataError::Invalid`] when `names` is empty or repeats a name.
    pub fn new(names: Vec<String>) -> Result<Self, DataError> {
        Self::checked(names, Path::new("<class names>"))
    }

    fn checked(names: Vec<String>, origin: &Path) -> Result<Self, DataError> {
        if names.is_empty() {
            return Err(DataError::invalid(
                origin,
                "no class names; a classifier needs at least one class",
            ));
        }
        let mut ids = HashMap::with_capacity(names.len());
        for (id, name) in names.iter().enumerate() {
            if let Some(first) = ids.insert(name.clone(), id) {
                return Err(DataError::invalid(
                    origin,
                    format!("class {name:?} appears twice (labels {first} and {id})"),
                ));
            }
        }
        Ok(Self { names, ids })
    }

    /// The number of classes.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Always `false`: a table holds at least one class.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The label of `name`, if it is a class.
    pub fn id(&self, name: &str) -> Option<usize> {
        self.ids.get(name).copied()
    }

    /// The name of label `id`, if there is one.
    pub fn name(&self, id: usize) -> Option<&str> {
        self.names.get(id).map(String::as_str)
    }

    /// All names, in label order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The JSON [`ClassTable::save`] writes (`{"classes": [...]}`), e.g. to put it into a
    /// run folder.
    pub fn to_json(&self) -> Vec<u8> {
        let file = ClassFile {
            classes: self.names.clone(),
        };
        serde_json::to_vec_pretty(&file).expect("class names serialise to JSON")
    }

    /// Writes it to `path` as [`to_json`](ClassTable::to_json), atomically.
    ///
    /// # Errors
    /// [`DataError::Write`] naming the file.
    pub fn save(&self, path: &Path) -> Result<(), DataError> {
        write_atomic(path, &self.to_json())
    }

    /// Reads a table written by [`ClassTable::save`].
    ///
    /// # Errors
    /// [`DataError::Io`], or [`DataError::Invalid`] naming the file when it is not such
    /// JSON, is empty or repeats a name.
    pub fn load(path: &Path) -> Result<Self, DataError> {
        let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
        let file: ClassFile = serde_json::from_slice(&bytes).map_err(|e| {
            DataError::invalid(
                path,
                format!("not a class-table file ({e}); write one with ClassTable::save"),
            )
        })?;
        Self::checked(file.classes, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("classes.json");
        let table = ClassTable::new(vec!["体育".into(), "财经".into(), "Sci/Tech".into()]).unwrap();
        table.save(&path).unwrap();
        let loaded = ClassTable::load(&path).unwrap();
        assert_eq!(loaded, table);
        assert_eq!(
            (loaded.id("财经"), loaded.name(2), loaded.id("x")),
            (Some(1), Some("Sci/Tech"), None)
        );
    }

    #[test]
    fn a_repeated_or_missing_class_is_an_error() {
        let err = ClassTable::new(vec!["a".into(), "b".into(), "a".into()]).unwrap_err();
        assert!(
            err.to_string()
                .contains("\"a\" appears twice (labels 0 and 2)"),
            "{err}"
        );
        assert!(ClassTable::new(vec![]).is_err());
    }
}
