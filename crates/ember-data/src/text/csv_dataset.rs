//! A text dataset from a CSV file with a header: the caller names the label and text
//! columns; the class names are the distinct labels, sorted.

use std::collections::BTreeSet;
use std::path::Path;

use super::dataset::TextDataset;
use crate::DataError;

/// Reads the CSV file at `path` (comma-separated, first row the header, quoted fields may
/// hold commas and line breaks) into a [`TextDataset`]: the text of each row is its
/// `text_column`, its class the value of `label_column`. Classes are the distinct label
/// values sorted (byte order), label `i` being the `i`-th.
///
/// # Errors
/// [`DataError::Io`]; [`DataError::Invalid`] when a column is not in the header (naming the
/// columns there); [`DataError::BadLine`] naming the line of a row that is not valid
/// UTF-8 or lacks a field.
pub fn read_csv_dataset(
    path: &Path,
    text_column: &str,
    label_column: &str,
) -> Result<TextDataset, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| csv_error(path, e))?;
    let header = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    let column = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            DataError::invalid(
                path,
                format!(
                    "no column {name:?}; the header has {:?}; name the text and label columns",
                    header.iter().collect::<Vec<_>>()
                ),
            )
        })
    };
    let (text_at, label_at) = (column(text_column)?, column(label_column)?);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |at: usize, name: &str| {
            record.get(at).ok_or_else(|| DataError::BadLine {
                path: path.into(),
                line,
                what: format!("no {name:?} field ({} fields)", record.len()),
            })
        };
        rows.push((
            field(label_at, label_column)?.to_string(),
            field(text_at, text_column)?.to_string(),
        ));
    }
    let classes: Vec<String> = rows
        .iter()
        .map(|(l, _)| l.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let labels = rows
        .iter()
        .map(|(l, _)| classes.binary_search(l).expect("every label is a class"))
        .collect();
    let texts = rows.into_iter().map(|(_, t)| t).collect();
    TextDataset::new(texts, labels, classes, path)
}

/// A `csv` crate error as a [`DataError`] naming the file and, where known, the line.
pub(crate) fn csv_error(path: &Path, e: csv::Error) -> DataError {
    let line = e.position().map(|p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(e) => DataError::io(path, e),
        kind => {
            let what = match kind {
                csv::ErrorKind::Utf8 { err, .. } => {
                    format!("not valid UTF-8 ({err}); convert the file to UTF-8")
                }
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("{len} fields, but the first row has {expected_len}"),
                other => format!("{other:?}"),
            };
            DataError::BadLine {
                path: path.into(),
                line: line.unwrap_or(0),
                what,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::Dataset;

    fn write(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.csv");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    #[test]
    fn labels_become_sorted_classes_and_quoted_fields_stay_whole() {
        let (_dir, path) = write(
            "id,review,sentiment\n\
             1,\"Great, really great\",pos\n\
             2,\"这部电影很好看\",pos\n\
             3,\"Boring.\nTwo lines.\",neg\n"
                .as_bytes(),
        );
        let ds = read_csv_dataset(&path, "review", "sentiment").unwrap();
        assert_eq!(ds.class_names(), ["neg", "pos"]);
        assert_eq!(ds.labels(), [1, 1, 0]);
        assert_eq!(ds.get(0).unwrap().text, "Great, really great");
        assert_eq!(ds.get(1).unwrap().text, "这部电影很好看");
        assert_eq!(ds.get(2).unwrap().text, "Boring.\nTwo lines.");
    }

    #[test]
    fn a_missing_column_lists_the_header() {
        let (_dir, path) = write(b"text,label\nhi,a\n");
        let err = read_csv_dataset(&path, "body", "label")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no column \"body\"") && err.contains("[\"text\", \"label\"]"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let (_dir, path) = write(b"text,label\nhi,a\nonly one field\n");
        let err = read_csv_dataset(&path, "text", "label")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3") && err.contains("1 fields"), "{err}");
        let (_dir, path) = write(b"text,label\n\xff\xfe,a\n");
        let err = read_csv_dataset(&path, "text", "label")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("UTF-8"), "{err}");
    }
}
