//! The vocabulary: token ↔ id, built from the training split's tokens, saved as JSON so
//! prediction uses exactly the training vocabulary.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::cache::write_atomic;
use crate::DataError;

/// The padding token; its id is [`PAD_ID`].
pub const PAD_TOKEN: &str = "<pad>";
/// The unknown-token token; its id is [`UNK_ID`].
pub const UNK_TOKEN: &str = "<unk>";
/// The id of [`PAD_TOKEN`]: 0, the value a padded batch is filled with.
pub const PAD_ID: usize = 0;
/// The id of [`UNK_TOKEN`]: 1, given to every token outside the vocabulary.
pub const UNK_ID: usize = 1;

/// Which tokens enter a vocabulary; serialisable for the run's `config.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VocabConfig {
    /// A token enters only if it occurs at least this often in the training texts.
    /// Default 1 (every token); must be at least 1.
    pub min_freq: u64,
    /// At most this many entries, `<pad>` and `<unk>` included (as torchtext's
    /// `max_tokens`); the most frequent tokens win. Default `None`: no limit. Must be at
    /// least 2.
    pub max_size: Option<usize>,
}

impl Default for VocabConfig {
    fn default() -> Self {
        Self {
            min_freq: 1,
            max_size: None,
        }
    }
}

/// A vocabulary: `<pad>` = 0, `<unk>` = 1, then the training tokens by descending count,
/// ties broken by the token's text (byte order), so the same texts give the same ids on
/// every machine.
///
/// ```
/// use ember_data::{VocabConfig, Vocabulary, UNK_ID};
///
/// let docs = [vec!["b", "a", "b"], vec!["c", "a", "b"]];
/// let vocab = Vocabulary::build(&docs, &VocabConfig { min_freq: 2, max_size: None }).unwrap();
/// assert_eq!(vocab.tokens(), ["<pad>", "<unk>", "b", "a"]);
/// assert_eq!((vocab.id("a"), vocab.id("c")), (3, UNK_ID));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    tokens: Vec<String>,
    counts: Vec<u64>,
    ids: HashMap<String, usize>,
}

/// The JSON form of a vocabulary file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabFile {
    /// Tokens in id order, `<pad>` and `<unk>` first.
    tokens: Vec<String>,
    /// Each token's count in the training texts (0 for the two special tokens).
    counts: Vec<u64>,
}

impl Vocabulary {
    /// Counts the tokens of `docs` (the training split only: ids must not depend on
    /// validation or test texts) and keeps those that `config` admits.
    ///
    /// # Errors
    /// [`DataError::BadConfig`] when `min_freq` is 0 or `max_size` below 2.
    pub fn build<D, T>(docs: D, config: &VocabConfig) -> Result<Self, DataError>
    where
        D: IntoIterator,
        D::Item: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        if config.min_freq == 0 {
            return Err(DataError::bad_config(
                "VocabConfig::min_freq",
                0,
                "must be at least 1 (1 keeps every token)",
            ));
        }
        if let Some(max) = config.max_size.filter(|&m| m < 2) {
            return Err(DataError::bad_config(
                "VocabConfig::max_size",
                max,
                "must be at least 2: <pad> and <unk> are always entries",
            ));
        }
        let mut counts: HashMap<String, u64> = HashMap::new();
        for doc in docs {
            for token in doc {
                let token = token.as_ref();
                if token != PAD_TOKEN && token != UNK_TOKEN {
                    *counts.entry(token.to_string()).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<(String, u64)> = counts
            .into_iter()
            .filter(|&(_, n)| n >= config.min_freq)
            .collect();
        ranked.sort_by(|(a, na), (b, nb)| nb.cmp(na).then_with(|| a.cmp(b)));
        if let Some(max) = config.max_size {
            ranked.truncate(max - 2);
        }
        let (tokens, counts): (Vec<_>, Vec<_>) = ranked.into_iter().unzip();
        Self::from_parts(tokens, counts, Path::new("<built>"))
    }

    /// A vocabulary of `<pad>`, `<unk>` and then `tokens` with their `counts`.
    fn from_parts(tokens: Vec<String>, counts: Vec<u64>, origin: &Path) -> Result<Self, DataError> {
        let mut all = vec![PAD_TOKEN.to_string(), UNK_TOKEN.to_string()];
        all.extend(tokens);
        let mut all_counts = vec![0, 0];
        all_counts.extend(counts);
        Self::checked(all, all_counts, origin)
    }

    fn checked(tokens: Vec<String>, counts: Vec<u64>, origin: &Path) -> Result<Self, DataError> {
        if tokens.get(PAD_ID).map(String::as_str) != Some(PAD_TOKEN)
            || tokens.get(UNK_ID).map(String::as_str) != Some(UNK_TOKEN)
        {
            return Err(DataError::invalid(
                origin,
                format!("a vocabulary starts with \"{PAD_TOKEN}\", \"{UNK_TOKEN}\"; is this an Ember vocabulary file?"),
            ));
        }
        if counts.len() != tokens.len() {
            return Err(DataError::invalid(
                origin,
                format!("{} tokens but {} counts", tokens.len(), counts.len()),
            ));
        }
        let mut ids = HashMap::with_capacity(tokens.len());
        for (id, token) in tokens.iter().enumerate() {
            if let Some(first) = ids.insert(token.clone(), id) {
                return Err(DataError::invalid(
                    origin,
                    format!("token {token:?} appears twice (ids {first} and {id})"),
                ));
            }
        }
        Ok(Self {
            tokens,
            counts,
            ids,
        })
    }

    /// The number of ids, the two special tokens included.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether it holds only `<pad>` and `<unk>`.
    pub fn is_empty(&self) -> bool {
        self.tokens.len() == 2
    }

    /// The id of `token`: its entry, or [`UNK_ID`].
    pub fn id(&self, token: &str) -> usize {
        self.ids.get(token).copied().unwrap_or(UNK_ID)
    }

    /// The token of `id`, if there is one.
    pub fn token(&self, id: usize) -> Option<&str> {
        self.tokens.get(id).map(String::as_str)
    }

    /// All tokens, in id order.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// How often each token occurred in the training texts, in id order (0 for the two
    /// special tokens).
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The ids of `tokens`, [`UNK_ID`] for those outside the vocabulary.
    pub fn ids<T: AsRef<str>>(&self, tokens: &[T]) -> Vec<usize> {
        tokens.iter().map(|t| self.id(t.as_ref())).collect()
    }

    /// The JSON [`Vocabulary::save`] writes (`{"tokens": [...], "counts": [...]}`, UTF-8,
    /// tokens in id order), e.g. to put it into a run folder.
    pub fn to_json(&self) -> Vec<u8> {
        let file = VocabFile {
            tokens: self.tokens.clone(),
            counts: self.counts.clone(),
        };
        serde_json::to_vec(&file).expect("a vocabulary serialises to JSON")
    }

    /// Writes it to `path` as [`to_json`](Vocabulary::to_json), atomically.
    ///
    /// # Errors
    /// [`DataError::Write`] naming the file.
    pub fn save(&self, path: &Path) -> Result<(), DataError> {
        write_atomic(path, &self.to_json())
    }

    /// Reads a vocabulary written by [`Vocabulary::save`].
    ///
    /// # Errors
    /// [`DataError::Io`], or [`DataError::Invalid`] naming the file when it is not such
    /// JSON, does not start with `<pad>`, `<unk>`, or repeats a token.
    pub fn load(path: &Path) -> Result<Self, DataError> {
        let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
        let file: VocabFile = serde_json::from_slice(&bytes).map_err(|e| {
            DataError::invalid(
                path,
                format!("not a vocabulary file ({e}); write one with Vocabulary::save"),
            )
        })?;
        Self::checked(file.tokens, file.counts, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<Vec<&'static str>> {
        vec![
            vec!["the", "cat", "猫", "the"],
            vec!["a", "猫", "the", "dog"],
            vec!["cat", "b"],
        ]
    }

    #[test]
    fn ids_follow_count_then_token_order() {
        // Counts: the 3, cat 2, 猫 2, a 1, b 1, dog 1. "cat" < "猫" in byte order.
        let vocab = Vocabulary::build(docs(), &VocabConfig::default()).unwrap();
        assert_eq!(
            vocab.tokens(),
            ["<pad>", "<unk>", "the", "cat", "猫", "a", "b", "dog"]
        );
        assert_eq!(vocab.counts(), [0, 0, 3, 2, 2, 1, 1, 1]);
        assert_eq!(
            (vocab.id("猫"), vocab.id("<pad>"), vocab.id("fish")),
            (4, 0, 1)
        );
        assert_eq!(vocab.token(7), Some("dog"));
    }

    #[test]
    fn min_freq_and_max_size_limit_the_entries() {
        let frequent = VocabConfig {
            min_freq: 2,
            max_size: None,
        };
        let vocab = Vocabulary::build(docs(), &frequent).unwrap();
        assert_eq!(vocab.tokens(), ["<pad>", "<unk>", "the", "cat", "猫"]);
        assert_eq!(vocab.ids(&["dog", "the", "b"]), [UNK_ID, 2, UNK_ID]);
        let small = VocabConfig {
            min_freq: 1,
            max_size: Some(4),
        };
        let vocab = Vocabulary::build(docs(), &small).unwrap();
        assert_eq!(vocab.tokens(), ["<pad>", "<unk>", "the", "cat"]);
        assert_eq!(vocab.id("猫"), UNK_ID);
        let only_specials = VocabConfig {
            min_freq: 10,
            max_size: None,
        };
        assert!(Vocabulary::build(docs(), &only_specials)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn bad_limits_name_the_field() {
        let zero = VocabConfig {
            min_freq: 0,
            max_size: None,
        };
        let err = Vocabulary::build(docs(), &zero).unwrap_err().to_string();
        assert!(err.starts_with("VocabConfig::min_freq = 0"), "{err}");
        let tiny = VocabConfig {
            min_freq: 1,
            max_size: Some(1),
        };
        let err = Vocabulary::build(docs(), &tiny).unwrap_err().to_string();
        assert!(err.contains("max_size = 1"), "{err}");
    }

    #[test]
    fn save_and_load_round_trip_with_chinese_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vocab.json");
        let vocab = Vocabulary::build(docs(), &VocabConfig::default()).unwrap();
        vocab.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"猫\""), "{text}");
        let loaded = Vocabulary::load(&path).unwrap();
        assert_eq!(loaded, vocab);
        assert_eq!(loaded.id("猫"), 4);
    }

    #[test]
    fn a_file_that_is_not_a_vocabulary_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.json");
        std::fs::write(&path, r#"{"tokens": ["a", "<unk>"], "counts": [0, 0]}"#).unwrap();
        let err = Vocabulary::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("v.json") && err.contains("starts with"),
            "{err}"
        );
        std::fs::write(
            &path,
            r#"{"tokens": ["<pad>", "<unk>", "x", "x"], "counts": [0, 0, 1, 1]}"#,
        )
        .unwrap();
        let err = Vocabulary::load(&path).unwrap_err().to_string();
        assert!(err.contains("\"x\" appears twice"), "{err}");
        std::fs::write(&path, "[1, 2]").unwrap();
        assert!(Vocabulary::load(&path).is_err());
    }
}
