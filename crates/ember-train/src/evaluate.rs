//! Scoring a trained classifier on a dataset.

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataloader::DataLoaderBuilder;
use burn::data::dataset::Dataset;
use burn::prelude::*;

use ember_losses::CrossEntropyLossConfig;

use crate::classifier::{Classifier, Labelled};
use crate::TrainError;

/// Loss and accuracy of a classifier over a whole dataset.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Evaluation {
    /// Mean cross-entropy per example.
    pub loss: f64,
    /// Correct predictions, percent.
    pub accuracy: f64,
    /// Correct predictions.
    pub correct: usize,
    /// Examples scored.
    pub items: usize,
}

/// Scores `model` (used without autodiff) on every item of `dataset`, batched by `batcher`
/// on `device`: mean cross-entropy per example and top-1 accuracy.
///
/// # Errors
/// [`TrainError::Training`] when the dataset fails to yield a batch.
pub fn evaluate<M, B, I, D>(
    model: &M,
    batcher: B,
    dataset: D,
    batch_size: usize,
    device: &Device,
) -> Result<Evaluation, TrainError>
where
    M: Classifier,
    B: Batcher<I, Labelled<M::Input>> + 'static,
    I: Clone + Send + Sync + std::fmt::Debug + 'static,
    D: Dataset<I> + 'static,
{
    let model = model.valid();
    let device = device.clone().inner();
    let loader = DataLoaderBuilder::new(batcher)
        .batch_size(batch_size)
        .set_device(device.clone())
        .build(dataset);
    let loss_fn = CrossEntropyLossConfig::new().init();
    let (mut loss_sum, mut correct, mut items) = (0.0f64, 0usize, 0usize);
    for batch in loader.iter() {
        let (input, targets) = batch.map_err(|e| TrainError::Training(e.to_string()))?;
        let n = targets.dims()[0];
        let logits = model.logits(input);
        let loss = loss_fn.forward(logits.clone(), targets.clone());
        loss_sum += loss.into_scalar::<f64>() * n as f64;
        let predicted = logits.argmax(1).reshape([n]);
        correct += predicted.equal(targets).int().sum().into_scalar::<i64>() as usize;
        items += n;
    }
    Ok(Evaluation {
        loss: loss_sum / items.max(1) as f64,
        accuracy: 100.0 * correct as f64 / items.max(1) as f64,
        correct,
        items,
    })
}
