//! Parsing AG News' official CSV files: `class,title,description`, classes 1–4, no
//! header, and the files' own escapes.

use std::path::Path;

use crate::text::csv_dataset::csv_error;
use crate::text::dataset::TextDataset;
use crate::DataError;

/// The classes of AG News, in label order (the files' class numbers 1–4).
pub const AG_NEWS_CLASSES: [&str; 4] = ["World", "Sports", "Business", "Sci/Tech"];
/// Reads an AG News CSV file (`"class","title","description"`, no header; see
/// [`parse_ag_news_csv`]).
///
/// # Errors
/// [`DataError::Io`], or as [`parse_ag_news_csv`].
pub fn read_ag_news_csv(path: &Path) -> Result<TextDataset, DataError> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    parse_ag_news_csv(path, &bytes)
}

/// Parses AG News CSV `bytes` (`path` names them in errors): each row `class,title,
/// description` with class 1–4 ([`AG_NEWS_CLASSES`], label = class − 1) becomes the text
/// `title + "\n" + description`, with the files' two escapes undone: a backslash (their
/// mark of a line break, `dwindling\band`) becomes a newline, and ` #39;`-style numeric
/// references (HTML's `&#39;` with the `&` lost) become their character (`'`).
///
/// # Errors
/// [`DataError::BadLine`] naming the file and line of a row without three fields, with
/// a class outside 1–4, or that is not UTF-8.
pub fn parse_ag_news_csv(path: &Path, bytes: &[u8]) -> Result<TextDataset, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let (mut texts, mut labels) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let bad = |what: String| DataError::BadLine {
            path: path.into(),
            line,
            what,
        };
        if record.len() != 3 {
            return Err(bad(format!(
                "{} fields; AG News rows are class,title,description",
                record.len()
            )));
        }
        let class = record[0].trim();
        let label = match class.parse::<usize>() {
            Ok(c @ 1..=4) => c - 1,
            _ => return Err(bad(format!("class {class:?} is not 1-4 (World, Sports, Business, Sci/Tech); is this an AG News file?"))),
        };
        texts.push(format!(
            "{}\n{}",
            unescape(&record[1]),
            unescape(&record[2])
        ));
        labels.push(label);
    }
    let names = AG_NEWS_CLASSES.map(String::from).to_vec();
    TextDataset::new(texts, labels, names, path)
}

/// Undoes the two escapes of the AG News files: `\` → newline, ` #NN;` → the character NN.
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(at) = rest.find(['\\', '#']) {
        let (before, from) = rest.split_at(at);
        if let Some(after) = from.strip_prefix('\\') {
            out.push_str(before);
            out.push('\n');
            rest = after;
            continue;
        }
        let digits: String = from[1..].chars().take_while(char::is_ascii_digit).collect();
        let reference = from[1 + digits.len()..].starts_with(';') && !digits.is_empty();
        match digits
            .parse::<u32>()
            .ok()
            .and_then(char::from_u32)
            .filter(|_| reference)
        {
            Some(c) => {
                out.push_str(before.strip_suffix(' ').unwrap_or(before));
                out.push(c);
                rest = &from[2 + digits.len()..];
            }
            None => {
                out.push_str(before);
                out.push('#');
                rest = &from[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::Dataset;

    #[test]
    fn rows_with_quotes_commas_and_escapes_parse() {
        let csv = concat!(
            "\"3\",\"Wall St. Bears Claw Back (Reuters)\",\"Short-sellers, Wall Street's dwindling\\band of ultra-cynics.\"\n",
            "\"2\",\"He said \"\"go\"\"\",\"Australia #39;s first gold #36;10 since 1924 # 1\"\n",
            "\"4\",\"中文标题\",\"Line one\\\\Line two\"\n",
            "1,World,\"plain\"\n",
        );
        let ds = parse_ag_news_csv(Path::new("train.csv"), csv.as_bytes()).unwrap();
        assert_eq!(ds.labels(), [2, 1, 3, 0]);
        assert_eq!(ds.class_names()[3], "Sci/Tech");
        assert_eq!(
            ds.get(0).unwrap().text,
            "Wall St. Bears Claw Back (Reuters)\nShort-sellers, Wall Street's dwindling\nband of ultra-cynics."
        );
        assert_eq!(
            ds.get(1).unwrap().text,
            "He said \"go\"\nAustralia's first gold$10 since 1924 # 1"
        );
        assert_eq!(ds.get(2).unwrap().text, "中文标题\nLine one\n\nLine two");
    }

    #[test]
    fn a_bad_class_names_the_file_and_line() {
        let csv = "\"1\",\"a\",\"b\"\n\"2\",\"multi\nline\",\"c\"\n\"5\",\"x\",\"y\"\n";
        let err = parse_ag_news_csv(Path::new("test.csv"), csv.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "test.csv, line 4: class \"5\" is not 1-4 (World, Sports, Business, Sci/Tech); \
             is this an AG News file?"
        );
        let err = parse_ag_news_csv(Path::new("t.csv"), b"1,a\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1: 2 fields"), "{err}");
    }
}
