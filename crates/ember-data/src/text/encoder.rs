//! Encoding a text: tokens → vocabulary ids, truncated to a maximum length.

use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::dataset::TextDataset;
use super::tokenizer::{Tokenizer, TokenizerConfig};
use super::vocab::{VocabConfig, Vocabulary, UNK_ID};
use crate::DataError;

/// Which tokens a text longer than `max_len` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Truncation {
    /// The first `max_len` tokens (the default; what most pipelines do).
    #[default]
    Head,
    /// The last `max_len` tokens.
    Tail,
    /// The first `head` tokens and the last `max_len - head` (Sun et al. 2019, "How to
    /// fine-tune BERT for text classification": the start and the end of a document carry
    /// most of its topic). `head` above `max_len` keeps the head only.
    HeadTail {
        /// How many tokens of the start to keep.
        head: usize,
    },
}

impl FromStr for Truncation {
    type Err = DataError;

    /// `head`, `tail`, or `head+tail:N` (keep the first `N` tokens and the end).
    fn from_str(s: &str) -> Result<Self, DataError> {
        let bad = |what: &str| DataError::bad_config("truncation", s, what);
        match s {
            "head" => Ok(Truncation::Head),
            "tail" => Ok(Truncation::Tail),
            _ => {
                let n = s.strip_prefix("head+tail:").ok_or_else(|| {
                    bad("write head, tail or head+tail:N (N tokens of the start, the rest from the end)")
                })?;
                n.parse()
                    .map(|head| Truncation::HeadTail { head })
                    .map_err(|_| bad("N in head+tail:N must be a whole number"))
            }
        }
    }
}

/// How texts are cut to length; serialisable for the run's `config.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EncoderConfig {
    /// The most tokens a text keeps. Default 256; must be at least 1.
    pub max_len: usize,
    /// Which tokens a longer text keeps. Default [`Truncation::Head`].
    pub truncation: Truncation,
}

impl Default for EncoderConfig {
    fn default() -> Self {
        Self {
            max_len: 256,
            truncation: Truncation::Head,
        }
    }
}

/// Turns a text into token ids: [`Tokenizer`], then [`Vocabulary`] (unknown tokens become
/// `<unk>` = 1), then truncation to `max_len`. An empty text (no tokens) encodes to the
/// single id `<unk>`, so every encoded text has a length of at least 1.
///
/// Cheap to clone (the vocabulary is shared).
///
/// ```
/// use ember_data::{EncoderConfig, TextEncoder, Tokenizer, Truncation, VocabConfig, Vocabulary};
///
/// let tokenizer = Tokenizer::default();
/// let docs = ["the cat sat", "the dog"].map(|t| tokenizer.tokenize(t));
/// let vocab = Vocabulary::build(&docs, &VocabConfig::default()).unwrap();
/// let config = EncoderConfig { max_len: 3, truncation: Truncation::Tail };
/// let encoder = TextEncoder::new(tokenizer, vocab, config).unwrap();
/// // Ids: <pad> 0, <unk> 1, the 2, cat 3, dog 4, sat 5.
/// assert_eq!(encoder.encode("The cat sat on the dog"), [1, 2, 4]);
/// assert_eq!(encoder.encode("!!!"), [1]);
/// ```
#[derive(Debug, Clone)]
pub struct TextEncoder {
    tokenizer: Tokenizer,
    vocab: Arc<Vocabulary>,
    config: EncoderConfig,
}

impl TextEncoder {
    /// An encoder of `tokenizer`, `vocab` and `config`.
    ///
    /// # Errors
    /// [`DataError::BadConfig`] when `config.max_len` is 0.
    pub fn new(
        tokenizer: Tokenizer,
        vocab: Vocabulary,
        config: EncoderConfig,
    ) -> Result<Self, DataError> {
        if config.max_len == 0 {
            return Err(DataError::bad_config(
                "EncoderConfig::max_len",
                0,
                "must be at least 1 token",
            ));
        }
        Ok(Self {
            tokenizer,
            vocab: Arc::new(vocab),
            config,
        })
    }

    /// Builds the vocabulary from `train` (the training split only) with `vocab_config`,
    /// tokenising with `tokenizer_config`.
    ///
    /// # Errors
    /// As [`Vocabulary::build`] and [`TextEncoder::new`].
    pub fn fit(
        train: &TextDataset,
        tokenizer_config: TokenizerConfig,
        vocab_config: &VocabConfig,
        config: EncoderConfig,
    ) -> Result<Self, DataError> {
        let tokenizer = Tokenizer::new(tokenizer_config);
        let docs = train.texts().iter().map(|t| tokenizer.tokenize(t));
        let vocab = Vocabulary::build(docs, vocab_config)?;
        Self::new(tokenizer, vocab, config)
    }

    /// The tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The vocabulary.
    pub fn vocab(&self) -> &Vocabulary {
        &self.vocab
    }

    /// The length settings.
    pub fn config(&self) -> &EncoderConfig {
        &self.config
    }

    /// The ids of `text`: between 1 and `max_len` of them.
    pub fn encode(&self, text: &str) -> Vec<usize> {
        let ids = self.vocab.ids(&self.tokenizer.tokenize(text));
        if ids.is_empty() {
            return vec![UNK_ID];
        }
        truncate(ids, self.config.max_len, self.config.truncation)
    }

    /// The encoded length of every text of `dataset`, in item order (for
    /// [`crate::bucket_by_length`]).
    pub fn lengths(&self, dataset: &TextDataset) -> Vec<usize> {
        dataset
            .texts()
            .iter()
            .map(|t| self.encode(t).len())
            .collect()
    }
}

/// Cuts `ids` to at most `max_len` entries the way `truncation` says.
pub fn truncate(ids: Vec<usize>, max_len: usize, truncation: Truncation) -> Vec<usize> {
    let n = ids.len();
    if n <= max_len {
        return ids;
    }
    match truncation {
        Truncation::Head => ids[..max_len].to_vec(),
        Truncation::Tail => ids[n - max_len..].to_vec(),
        Truncation::HeadTail { head } => {
            let head = head.min(max_len);
            let mut out = ids[..head].to_vec();
            out.extend_from_slice(&ids[n - (max_len - head)..]);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn truncation_keeps_the_head_the_tail_or_both() {
        let ids: Vec<usize> = (10..20).collect();
        assert_eq!(truncate(ids.clone(), 4, Truncation::Head), [10, 11, 12, 13]);
        assert_eq!(truncate(ids.clone(), 4, Truncation::Tail), [16, 17, 18, 19]);
        let both = Truncation::HeadTail { head: 1 };
        assert_eq!(truncate(ids.clone(), 4, both), [10, 17, 18, 19]);
        let all_head = Truncation::HeadTail { head: 9 };
        assert_eq!(truncate(ids.clone(), 3, all_head), [10, 11, 12]);
        assert_eq!(truncate(ids.clone(), 10, Truncation::Tail), ids);
    }

    #[test]
    fn truncation_parses_from_the_command_line_form() {
        assert_eq!("tail".parse::<Truncation>().unwrap(), Truncation::Tail);
        assert_eq!(
            "head+tail:64".parse::<Truncation>().unwrap(),
            Truncation::HeadTail { head: 64 }
        );
        let err = "middle".parse::<Truncation>().unwrap_err().to_string();
        assert!(err.contains("head+tail:N"), "{err}");
        assert!("head+tail:x".parse::<Truncation>().is_err());
        let json = serde_json::to_string(&Truncation::HeadTail { head: 2 }).unwrap();
        assert_eq!(json, r#"{"head-tail":{"head":2}}"#);
    }

    #[test]
    fn fit_builds_the_vocabulary_from_the_training_split_only() {
        let train = TextDataset::new(
            vec!["红茶 tea".into(), "tea, green tea".into(), "".into()],
            vec![0, 1, 0],
            vec!["a".into(), "b".into()],
            Path::new("t"),
        )
        .unwrap();
        let config = EncoderConfig {
            max_len: 5,
            truncation: Truncation::Head,
        };
        let encoder = TextEncoder::fit(
            &train,
            TokenizerConfig::default(),
            &VocabConfig::default(),
            config,
        )
        .unwrap();
        // Counts: tea 3, green 1, 红 1, 茶 1 → ids 2, 3, 4, 5 ("green" < "红" < "茶").
        assert_eq!(encoder.vocab().tokens()[2..], ["tea", "green", "红", "茶"]);
        assert_eq!(
            encoder.encode("Green tea, 红茶 and coffee"),
            [3, 2, 4, 5, 1]
        );
        assert_eq!(encoder.lengths(&train), [3, 3, 1]);
        let zero = EncoderConfig {
            max_len: 0,
            truncation: Truncation::Head,
        };
        let err = TextEncoder::fit(
            &train,
            TokenizerConfig::default(),
            &VocabConfig::default(),
            zero,
        )
        .unwrap_err();
        assert!(err.to_string().contains("max_len = 0"), "{err}");
    }
}
