//! Scoring a trained classifier on a dataset.

use std::sync::Arc;

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataloader::DataLoaderBuilder;
use burn::data::dataset::Dataset;
use burn::prelude::*;

use ember_losses::CrossEntropyLossConfig;

use crate::classifier::{Classifier, Labelled};
use crate::confusion::{ClassReport, ConfusionMatrix};
use crate::TrainError;

/// How a classifier did on a whole dataset: loss, accuracy, per-class scores and the
/// confusion matrix. Serialises (without the matrix, written as `confusion.csv`) to a
/// run's `test.json`.
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
    /// Precision, recall and F1 per class, with macro and weighted averages.
    #[serde(flatten)]
    pub report: ClassReport,
    /// Row: true class, column: predicted class.
    #[serde(skip)]
    pub confusion: ConfusionMatrix,
}

/// Scores `model` (used without autodiff) on every item of `dataset`, batched by `batcher`
/// on `device`: mean cross-entropy per example, top-1 accuracy, and the confusion matrix
/// over `class_names` with the per-class precision, recall and F1 it gives.
///
/// # Errors
/// [`TrainError::EmptySplit`] for an empty dataset, [`TrainError::ClassCount`] when the
/// model's logits are not one per class, [`TrainError::Data`] when the dataset fails to
/// yield a batch.
pub fn evaluate<M, B, I>(
    model: &M,
    batcher: B,
    dataset: impl Dataset<I> + 'static,
    class_names: &[String],
    batch_size: usize,
    device: &Device,
) -> Result<Evaluation, TrainError>
where
    M: Classifier,
    B: Batcher<I, Labelled<M::Input>> + 'static,
    I: Clone + Send + Sync + std::fmt::Debug + 'static,
{
    if dataset.is_empty() {
        return Err(TrainError::EmptySplit { split: "test" });
    }
    let model = model.valid();
    let loader = DataLoaderBuilder::new(batcher)
        .batch_size(batch_size.max(1))
        .set_device(device.clone().inner())
        .build(Arc::new(dataset) as Arc<dyn Dataset<I>>);
    let loss_fn = CrossEntropyLossConfig::new().init();
    let mut confusion = ConfusionMatrix::new(class_names.to_vec());
    let mut loss_sum = 0.0f64;
    for batch in loader.iter() {
        let (input, targets) = batch.map_err(|e| TrainError::Data {
            split: "test",
            message: e.to_string(),
        })?;
        let logits = model.logits(input);
        let [n, outputs] = logits.dims();
        if outputs != class_names.len() {
            return Err(TrainError::ClassCount {
                outputs,
                classes: class_names.len(),
            });
        }
        let loss = loss_fn.forward(logits.clone(), targets.clone());
        loss_sum += loss.into_scalar::<f64>() * n as f64;
        let predicted = logits.argmax(1).reshape([n]);
        for (t, p) in indices(targets).into_iter().zip(indices(predicted)) {
            confusion.add(t, p);
        }
    }
    let (correct, items) = (confusion.correct(), confusion.total());
    Ok(Evaluation {
        loss: loss_sum / items.max(1) as f64,
        accuracy: 100.0 * correct as f64 / items.max(1) as f64,
        correct,
        items,
        report: confusion.report(),
        confusion,
    })
}

/// Class indices read back to the host.
fn indices(tensor: Tensor<1, Int>) -> Vec<usize> {
    tensor
        .into_data()
        .try_into_vec_as::<i64>()
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.max(0) as usize)
        .collect()
}
