//! Splitting text into word tokens: Unicode word boundaries, CJK ideographs one by one,
//! optional lower-casing and placeholders for numbers, web addresses and e-mail addresses.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

/// The token a number becomes when [`TokenizerConfig::fold_numbers`] is set.
pub const NUM_TOKEN: &str = "<num>";
/// The token a web address becomes when [`TokenizerConfig::fold_urls`] is set.
pub const URL_TOKEN: &str = "<url>";
/// The token an e-mail address becomes when [`TokenizerConfig::fold_emails`] is set.
pub const EMAIL_TOKEN: &str = "<email>";

/// How [`Tokenizer`] splits text; serialisable, so a run records it in its `config.json`
/// and prediction tokenises exactly as training did. Missing fields take their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TokenizerConfig {
    /// Lower-case every token (Unicode lower case, `str::to_lowercase`). Default `true`.
    pub lowercase: bool,
    /// Replace every number (`42`, `3.14`, `1,000`, `٣`) by [`NUM_TOKEN`]. Default `false`.
    pub fold_numbers: bool,
    /// Replace every web address (`http://…`, `https://…`, `ftp://…`, `www.…`) by
    /// [`URL_TOKEN`]. Default `true`.
    pub fold_urls: bool,
    /// Replace every e-mail address (`name@host.tld`) by [`EMAIL_TOKEN`]. Default `true`.
    pub fold_emails: bool,
}

impl Default for TokenizerConfig {
    fn default() -> Self {
        Self {
            lowercase: true,
            fold_numbers: false,
            fold_urls: true,
            fold_emails: true,
        }
    }
}

/// Splits text into word tokens.
///
/// 1. The text is cut at white space; a piece that is (after trimming the punctuation
///    around it) a web or e-mail address becomes one placeholder token when folding is on.
/// 2. Every other piece is split at the word boundaries of Unicode's UAX #29
///    (`unicode-segmentation`'s `unicode_words`): punctuation and spaces are dropped,
///    `don't`, `3.14` and `U.S.A` stay whole.
/// 3. CJK ideographs (Chinese hanzi, Japanese kanji, Korean hanja) become one token each,
///    since Chinese writes no spaces between words: `我爱北京` → `我 爱 北 京`.
/// 4. Numbers become [`NUM_TOKEN`] when `fold_numbers`; tokens are lower-cased when
///    `lowercase`.
///
/// ```
/// use ember_data::{Tokenizer, TokenizerConfig};
///
/// let tokenizer = Tokenizer::new(TokenizerConfig::default());
/// assert_eq!(
///     tokenizer.tokenize("Free iPhone! Visit www.win.com, 我爱AI"),
///     ["free", "iphone", "visit", "<url>", "我", "爱", "ai"]
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokenizer {
    config: TokenizerConfig,
}

impl Tokenizer {
    /// A tokenizer following `config`.
    pub fn new(config: TokenizerConfig) -> Self {
        Self { config }
    }

    /// Its configuration.
    pub fn config(&self) -> &TokenizerConfig {
        &self.config
    }

    /// The tokens of `text`, in order (none for an empty or all-punctuation text).
    pub fn tokenize(&self, text: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        for piece in text.split_whitespace() {
            let core = piece.trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
            if self.config.fold_urls && is_url(core) {
                tokens.push(URL_TOKEN.to_string());
            } else if self.config.fold_emails && is_email(core) {
                tokens.push(EMAIL_TOKEN.to_string());
            } else {
                for word in piece.unicode_words() {
                    self.push_word(word, &mut tokens);
                }
            }
        }
        tokens
    }

    /// Pushes `word`'s tokens: each ideograph alone, the runs between them whole.
    fn push_word(&self, word: &str, tokens: &mut Vec<String>) {
        let mut start = 0;
        for (i, c) in word.char_indices() {
            if is_cjk_ideograph(c) {
                self.push_token(&word[start..i], tokens);
                self.push_token(&word[i..i + c.len_utf8()], tokens);
                start = i + c.len_utf8();
            }
        }
        self.push_token(&word[start..], tokens);
    }

    fn push_token(&self, token: &str, tokens: &mut Vec<String>) {
        if token.is_empty() {
            return;
        }
        if self.config.fold_numbers && is_number(token) {
            tokens.push(NUM_TOKEN.to_string());
        } else if self.config.lowercase {
            tokens.push(token.to_lowercase());
        } else {
            tokens.push(token.to_string());
        }
    }
}

/// Whether `c` is a CJK unified or compatibility ideograph (any extension block), or the
/// ideographic zero `〇`.
pub fn is_cjk_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3007
        | 0x3400..=0x4DBF    // Extension A
        | 0x4E00..=0x9FFF    // Unified Ideographs
        | 0xF900..=0xFAFF    // Compatibility Ideographs
        | 0x20000..=0x2EBEF  // Extensions B-F, I
        | 0x2F800..=0x2FA1F  // Compatibility Supplement
        | 0x30000..=0x323AF) // Extensions G, H
}

/// A number: digits (any script), possibly with `.` `,` `'` `_` between them.
fn is_number(token: &str) -> bool {
    token.chars().any(char::is_numeric)
        && token
            .chars()
            .all(|c| c.is_numeric() || matches!(c, '.' | ',' | '\'' | '_'))
}

fn is_url(core: &str) -> bool {
    let lower = core.to_ascii_lowercase();
    let rest = ["http://", "https://", "ftp://", "www."]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    rest.is_some_and(|r| r.chars().next().is_some_and(char::is_alphanumeric))
}

fn is_email(core: &str) -> bool {
    let Some((local, domain)) = core.split_once('@') else {
        return false;
    };
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+');
    !local.is_empty()
        && local.chars().all(allowed)
        && domain.chars().all(|c| allowed(c) && c != '+' && c != '_')
        && domain.split('.').filter(|part| !part.is_empty()).count() >= 2
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(config: TokenizerConfig, text: &str) -> Vec<String> {
        Tokenizer::new(config).tokenize(text)
    }

    #[test]
    fn english_splits_at_word_boundaries_and_drops_punctuation() {
        assert_eq!(
            tokens(
                TokenizerConfig::default(),
                "Don't PANIC: it's 3.14, (not 42)!"
            ),
            ["don't", "panic", "it's", "3.14", "not", "42"]
        );
        let cased = TokenizerConfig {
            lowercase: false,
            ..TokenizerConfig::default()
        };
        assert_eq!(tokens(cased, "Hello World"), ["Hello", "World"]);
        assert!(tokens(TokenizerConfig::default(), " ... !? ").is_empty());
    }

    #[test]
    fn chinese_ideographs_become_one_token_each() {
        assert_eq!(
            tokens(TokenizerConfig::default(), "我爱北京天安门。"),
            ["我", "爱", "北", "京", "天", "安", "门"]
        );
        // Kana is not ideographic: UAX #29 keeps a katakana run whole.
        assert_eq!(
            tokens(TokenizerConfig::default(), "東京タワー"),
            ["東", "京", "タワー"]
        );
    }

    #[test]
    fn mixed_chinese_and_english() {
        assert_eq!(
            tokens(TokenizerConfig::default(), "GPU训练很快, Rust版本2.0发布"),
            ["gpu", "训", "练", "很", "快", "rust", "版", "本", "2.0", "发", "布"]
        );
    }

    #[test]
    fn placeholders_fold_numbers_urls_and_emails() {
        let all = TokenizerConfig {
            fold_numbers: true,
            ..TokenizerConfig::default()
        };
        assert_eq!(
            tokens(
                all,
                "Win $1,000 at <https://spam.example.com/x?a=1>, mail Bob.Smith+x@mail.example.org \
                 or see www.example.net. 价格99元"
            ),
            [
                "win", "<num>", "at", "<url>", "mail", "<email>", "or", "see", "<url>", "价",
                "格", "<num>", "元"
            ]
        );
        let none = TokenizerConfig {
            lowercase: true,
            fold_numbers: false,
            fold_urls: false,
            fold_emails: false,
        };
        assert_eq!(
            tokens(none, "a@b.com http://x.org 7"),
            ["a", "b.com", "http", "x.org", "7"]
        );
    }

    #[test]
    fn near_misses_are_not_placeholders() {
        let config = TokenizerConfig::default();
        assert_eq!(tokens(config.clone(), "me@home"), ["me", "home"]);
        assert_eq!(tokens(config.clone(), "@twitter"), ["twitter"]);
        assert_eq!(tokens(config, "http://"), ["http"]);
    }

    #[test]
    fn the_config_round_trips_through_json_with_defaults() {
        let config: TokenizerConfig = serde_json::from_str(r#"{"fold_numbers": true}"#).unwrap();
        assert!(config.fold_numbers && config.lowercase && config.fold_urls);
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(
            serde_json::from_str::<TokenizerConfig>(&json).unwrap(),
            config
        );
        assert!(serde_json::from_str::<TokenizerConfig>(r#"{"lowercse": true}"#).is_err());
    }
}
