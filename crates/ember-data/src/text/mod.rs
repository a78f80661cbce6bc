//! The text pipeline: datasets of labelled documents, a tokenizer, the vocabulary and
//! class table, encoding and batching into `((tokens, lengths), targets)`, bucketing by
//! length, and pretrained word vectors.

mod ag_news;
mod batcher;
mod bucket;
mod classes;
mod csv_dataset;
mod dataset;
mod encoder;
mod folder_dataset;
mod spam_assassin;
mod spec;
mod tokenizer;
mod vocab;
mod word_vectors;

pub use ag_news::{
    parse_ag_news_csv, read_ag_news_csv, AgNewsData, AgNewsFile, AgNewsSource, AG_NEWS_CLASSES,
    AG_NEWS_TEST, AG_NEWS_TRAIN,
};
pub use batcher::{TextBatch, TextBatcher};
pub use bucket::{bucket_by_length, length_bucketed, BUCKET_POOL_BATCHES};
pub use classes::ClassTable;
pub use csv_dataset::read_csv_dataset;
pub use dataset::{TextDataset, TextItem};
pub use encoder::{truncate, EncoderConfig, TextEncoder, Truncation};
pub use folder_dataset::read_text_folder;
pub use spam_assassin::{
    message_text, parse_spam_assassin_tarball, SpamAssassinData, SpamAssassinSource,
    SPAM_ASSASSIN_CLASSES, SPAM_ASSASSIN_GROUPS, SPAM_ASSASSIN_PACKAGE, SPAM_ASSASSIN_TARBALL,
};
pub use spec::{TextData, TextDatasetSpec, TextLoadOptions};
pub use tokenizer::{
    is_cjk_ideograph, Tokenizer, TokenizerConfig, EMAIL_TOKEN, NUM_TOKEN, URL_TOKEN,
};
pub use vocab::{VocabConfig, Vocabulary, PAD_ID, PAD_TOKEN, UNK_ID, UNK_TOKEN};
pub use word_vectors::{EmbeddingMatrix, MissingVectors, WordVectors};
