//! The data of a classification run: three splits, their batchers and the class names.

use std::sync::Arc;

use burn::data::dataset::Dataset;

/// The train, validation and test datasets of a run, the batchers that turn their items
/// into `(inputs, targets)` batches, and the class names (label order).
///
/// The training split has a batcher of its own (`T`), so augmentation can wrap it while
/// validation and test batches go through the evaluation batcher (`E`) untouched; both
/// share every other step (e.g. normalisation wraps both). With [`RunData::new`] the two
/// are the same batcher; [`RunData::with_train_batcher`] gives the training split another.
pub struct RunData<I, T, E> {
    pub(crate) train: Arc<dyn Dataset<I>>,
    pub(crate) valid: Arc<dyn Dataset<I>>,
    pub(crate) test: Arc<dyn Dataset<I>>,
    pub(crate) train_batcher: T,
    pub(crate) eval_batcher: E,
    pub(crate) class_names: Vec<String>,
}

impl<I, B: Clone> RunData<I, B, B> {
    /// The three splits, batched by `batcher`, with `class_names` in label order.
    pub fn new(
        train: impl Dataset<I> + 'static,
        valid: impl Dataset<I> + 'static,
        test: impl Dataset<I> + 'static,
        batcher: B,
        class_names: Vec<String>,
    ) -> Self {
        RunData {
            train: Arc::new(train),
            valid: Arc::new(valid),
            test: Arc::new(test),
            train_batcher: batcher.clone(),
            eval_batcher: batcher,
            class_names,
        }
    }
}

impl<I, T, E> RunData<I, T, E> {
    /// Batches the training split with `batcher` instead (e.g. the evaluation batcher's
    /// steps with augmentation added); validation and test keep the evaluation batcher.
    pub fn with_train_batcher<T2>(self, batcher: T2) -> RunData<I, T2, E> {
        RunData {
            train: self.train,
            valid: self.valid,
            test: self.test,
            train_batcher: batcher,
            eval_batcher: self.eval_batcher,
            class_names: self.class_names,
        }
    }

    /// The class names, in label order.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// Examples in the training, validation and test splits.
    pub fn sizes(&self) -> [usize; 3] {
        [self.train.len(), self.valid.len(), self.test.len()]
    }

    /// The batcher of validation and test batches.
    pub fn eval_batcher(&self) -> &E {
        &self.eval_batcher
    }

    /// The batcher of training batches.
    pub fn train_batcher(&self) -> &T {
        &self.train_batcher
    }
}
