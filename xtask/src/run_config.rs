//! `config.json`: everything needed to reproduce a run, and to rebuild its model.

use ember::augment::Compose;
use ember::backend::Backend;
use ember::data::{MnistBatcher, MnistKind, Origin};
use ember::models::{LeNet5Config, LeNetVariant};
use ember::train::FitConfig;

/// The normalisation a run's batches used.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Normalization {
    /// Mean subtracted from the [0, 1] grey levels.
    pub mean: f32,
    /// Standard deviation divided by.
    pub std: f32,
    /// Background pixels added on each side.
    pub padding: usize,
}

impl Normalization {
    /// The batcher that applies it.
    pub fn batcher(&self) -> MnistBatcher {
        MnistBatcher::new(self.mean, self.std).with_padding(self.padding)
    }
}

/// The record of one training run.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RunConfig {
    /// Ember's version.
    pub ember_version: String,
    /// The command line that started the run.
    pub command: String,
    /// When the run started (UTC, RFC 3339).
    pub started_at: String,
    /// `lenet5`.
    pub model: String,
    /// LeNet-5 variant.
    pub variant: LeNetVariant,
    /// Number of classes.
    pub num_classes: usize,
    /// Dataset.
    pub dataset: MnistKind,
    /// Where the data came from.
    pub data_origin: Origin,
    /// Items in the training, validation and test splits.
    pub split_sizes: [usize; 3],
    /// Fraction of the training set held out for validation.
    pub valid_fraction: f64,
    /// Seed of the initialisation, the split and the shuffle.
    pub seed: u64,
    /// Backend trained on.
    pub backend: Backend,
    /// What the backend picked (adapter, API).
    pub device: String,
    /// Normalisation of the inputs.
    pub normalization: Normalization,
    /// The training settings.
    pub fit: FitConfig,
    /// The augmentation pipeline applied to training batches (`--augment`), if any.
    #[serde(default)]
    pub augment: Option<Compose>,
}

impl RunConfig {
    /// The model configuration this run trained.
    pub fn model_config(&self) -> LeNet5Config {
        LeNet5Config::new()
            .with_variant(self.variant)
            .with_num_classes(self.num_classes)
    }
}
