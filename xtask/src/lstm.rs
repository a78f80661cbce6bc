//! The LSTM text classifier on SpamAssassin, AG News, a CSV file or a folder of documents,
//! assembled from the library crates: tokenise → vocabulary (training split only) → ids →
//! embedding → LSTM → pooling → dense. The recipe is recorded in `config.json`, the
//! vocabulary and class table beside it, so `eval` and `predict` use exactly the run's.

use ember::data::{
    stratified_k_fold, stratified_split, ClassTable, EncoderConfig, TextBatcher, TextDataset,
    TextEncoder, TextLoadOptions, Tokenizer, TokenizerConfig, VocabConfig, Vocabulary,
};
use ember::models::LstmClassifierConfig;
use ember::train::{RunDir, RunRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The run-folder file of the training vocabulary.
pub const VOCAB_FILE: &str = "vocab.json";
/// The run-folder file of the class table.
pub const CLASSES_FILE: &str = "classes.json";

/// How the text becomes token ids, as `config.json` records it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TextPipeline {
    /// The tokeniser.
    pub tokenizer: TokenizerConfig,
    /// The vocabulary limits (applied to the training split).
    pub vocab: VocabConfig,
    /// Truncation and maximum length.
    pub encoder: EncoderConfig,
}

/// The three splits of a text dataset and where they came from.
pub struct Splits {
    /// Training documents (the vocabulary is built from these alone).
    pub train: TextDataset,
    /// Validation documents.
    pub valid: TextDataset,
    /// Test documents.
    pub test: TextDataset,
    /// Where the data came from.
    pub origin: serde_json::Value,
}

/// Loads `spec` and splits it, stratified by class and seeded: 80/10/10 of the whole set
/// (`valid_fraction`, `test_fraction`), or, when the dataset has an official test split
/// (AG News), validation from its training part and the official test split untouched.
pub fn load_splits(
    spec: &str,
    options: &TextLoadOptions,
    validation: Validation,
    test_fraction: f64,
    seed: u64,
) -> crate::Result<Splits> {
    let spec: ember::data::TextDatasetSpec = spec.parse()?;
    let data = spec.load(options)?;
    let origin = json!(data.origin.as_ref().map(|o| o.to_string()));
    let test_fraction = if data.test.is_some() {
        0.0
    } else {
        test_fraction
    };
    let valid_fraction = if validation.folds.is_some() {
        0.0
    } else {
        validation.fraction
    };
    let mut split = stratified_split(data.train.labels(), valid_fraction, test_fraction, seed)?;
    if let Some((k, fold)) = validation.folds {
        // The folds cut what is not test: the same test split for every fold.
        let labels: Vec<usize> = split
            .train
            .iter()
            .map(|&i| data.train.labels()[i])
            .collect();
        let folds = stratified_k_fold(&labels, k, seed)?;
        split.valid = folds[fold].valid.iter().map(|&i| split.train[i]).collect();
        split.train = folds[fold].train.iter().map(|&i| split.train[i]).collect();
    }
    let test = match data.test {
        Some(test) => test,
        None => data.train.select(&split.test),
    };
    Ok(Splits {
        train: data.train.select(&split.train),
        valid: data.train.select(&split.valid),
        test,
        origin,
    })
}

/// How the validation split is cut from the training data.
#[derive(Debug, Clone, Copy)]
pub struct Validation {
    /// The fraction held out, stratified.
    pub fraction: f64,
    /// Instead, with `(K, fold)`: fold `fold` of a stratified K-fold split.
    pub folds: Option<(usize, usize)>,
}

/// What an LSTM run is made of, beyond the training settings.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// The network.
    pub model: LstmClassifierConfig,
    /// The dataset as `--dataset` named it.
    pub dataset: String,
    /// Tokeniser, vocabulary limits and encoding.
    pub pipeline: TextPipeline,
}

impl Recipe {
    /// Describes the recipe in a run's record.
    pub fn describe(&self, record: &mut RunRecord, vocab_len: usize) {
        record.model = json!({ "name": "lstm", "config": self.model });
        record.data["dataset"] = json!(self.dataset);
        record.pipeline = json!({
            "batcher": { "kind": "text", "padding": "right, id 0", "vocab_file": VOCAB_FILE, "classes_file": CLASSES_FILE, "vocab_len": vocab_len },
            "text": self.pipeline,
        });
    }

    /// The recipe a run's record describes.
    pub fn from_record(record: &RunRecord) -> crate::Result<Self> {
        Ok(Recipe {
            model: crate::recorded(&record.model["config"], "model.config")?,
            dataset: crate::recorded(&record.data["dataset"], "data.dataset")?,
            pipeline: crate::recorded(&record.pipeline["text"], "pipeline.text")?,
        })
    }

    /// The batcher of the run in `run`: its tokeniser, and the vocabulary it was trained
    /// with (`vocab.json`).
    pub fn batcher(&self, run: &RunDir) -> crate::Result<TextBatcher> {
        let vocab = Vocabulary::load(&run.file(VOCAB_FILE))?;
        if vocab.len() != self.model.vocab_size {
            return Err(format!(
                "{} holds {} tokens but the model was built for {}: the run folder is \
                 inconsistent",
                run.file(VOCAB_FILE).display(),
                vocab.len(),
                self.model.vocab_size
            )
            .into());
        }
        let encoder = TextEncoder::new(
            Tokenizer::new(self.pipeline.tokenizer.clone()),
            vocab,
            self.pipeline.encoder.clone(),
        )?;
        Ok(TextBatcher::new(encoder))
    }
}

/// The vocabulary and the class table as the run folder stores them.
pub fn attachments(
    encoder: &TextEncoder,
    classes: &[String],
) -> crate::Result<[(String, Vec<u8>); 2]> {
    Ok([
        (VOCAB_FILE.to_string(), encoder.vocab().to_json()),
        (
            CLASSES_FILE.to_string(),
            ClassTable::new(classes.to_vec())?.to_json(),
        ),
    ])
}
