//! What `train` and `lr-find` share: a model and its data assembled from `train`'s flags
//! ([`crate::train::assemble`]), and the [`Job`] each command does with them.

use ember::burn::data::dataloader::batcher::Batcher;
use ember::train::{Classifier, FitConfig, Labelled, RunData, RunRecord};

/// A model and its data as `train`'s flags assemble them, before anything runs.
pub struct Assembled<M, I, T, E> {
    /// The model, freshly initialised from the seed (or started from `--weights`).
    pub model: M,
    /// The splits, their batchers and the class names.
    pub data: RunData<I, T, E>,
    /// The training settings.
    pub fit: FitConfig,
    /// What the run's `config.json` records.
    pub record: RunRecord,
    /// The run's name, e.g. `lenet5-modern-mnist`: that of its default folder.
    pub name: String,
    /// Files the run folder holds beside the weights (the LSTM's vocabulary and classes).
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// What a command does with an assembled model and its data: `train` trains and tests it
/// ([`crate::train::Train`]), `lr-find` runs the learning-rate range test.
pub trait Job {
    /// What runs, for the first line: `training` (LeNet-5 on MNIST).
    fn doing(&self) -> &'static str;

    /// Runs on `parts`.
    fn run<M, I, T, E>(self, parts: Assembled<M, I, T, E>) -> crate::Result<()>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
        E: Batcher<I, Labelled<M::Input>> + Clone + 'static;
}
