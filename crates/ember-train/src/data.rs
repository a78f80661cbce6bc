//! The data of a classification run: three splits, their batchers and the class names.

use std::sync::Arc;

use burn::data::dataset::Dataset;

use crate::resume::Reseed;
use crate::EpochOrder;

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
    pub(crate) epoch_order: Option<EpochOrder>,
    pub(crate) reseed: Vec<Reseed>,
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
            epoch_order: None,
            reseed: Vec::new(),
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
            epoch_order: self.epoch_order,
            reseed: self.reseed,
        }
    }

    /// Takes the training items in the order `order` gives for each epoch instead of
    /// shuffling them uniformly (the run's seed then only seeds the model): e.g. batches of
    /// texts of similar length, so less of each padded batch is padding.
    ///
    /// `order(epoch)` (epochs counted from 0) returns the indices of the training split, each
    /// once; consecutive runs of the batch size make the batches. An index outside the split
    /// stops the run with an error naming it.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use ember_train::RunData;
    /// # use burn::data::dataset::InMemDataset;
    /// # #[derive(Clone)] struct Batcher;
    /// let texts = InMemDataset::new(vec!["a b c", "a", "a b c d e", "a b"]);
    /// let lengths = [3, 1, 5, 2];
    /// # let (valid, test) = (InMemDataset::new(vec!["a"]), InMemDataset::new(vec!["b"]));
    /// let data = RunData::new(texts, valid, test, Batcher, vec!["x".into(), "y".into()])
    ///     // Shortest first, reversed on odd epochs (a real order would also shuffle).
    ///     .with_epoch_order(Arc::new(move |epoch| {
    ///         let mut order: Vec<usize> = (0..lengths.len()).collect();
    ///         order.sort_by_key(|&i| lengths[i]);
    ///         if epoch % 2 == 1 {
    ///             order.reverse();
    ///         }
    ///         order
    ///     }));
    /// assert_eq!(data.sizes(), [4, 1, 1]);
    /// ```
    pub fn with_epoch_order(mut self, order: EpochOrder) -> Self {
        self.epoch_order = Some(order);
        self
    }

    /// Reseeds a generator of the training data (e.g. an augmentation batcher's,
    /// `AugmentBatcher::reseed` in ember-augment) at the start of every epoch from the
    /// second, with a seed made of the run's seed and the epoch
    /// ([`epoch_seed`](crate::epoch_seed)): an epoch then draws the same whether the run
    /// went through the epochs before it or resumed from their checkpoint
    /// ([`Training::resume`](crate::Training::resume)). Epoch 1 draws from the generator as
    /// it was given. A run resumed inside an epoch makes that epoch's batches up to where it
    /// stopped again (and drops them), so the generator draws what it drew; a generator
    /// that draws from anything but the batches' order would break that.
    ///
    /// ```
    /// # use burn::data::dataset::InMemDataset;
    /// # use ember_train::RunData;
    /// use std::sync::{Arc, Mutex};
    /// let seeds = Arc::new(Mutex::new(Vec::new()));
    /// let seen = seeds.clone();
    /// let data = RunData::new(
    ///     InMemDataset::new(vec![1.0_f32]),
    ///     InMemDataset::new(vec![2.0_f32]),
    ///     InMemDataset::new(vec![3.0_f32]),
    ///     (),
    ///     vec!["one".into()],
    /// )
    /// .reseed_each_epoch(move |seed| seen.lock().unwrap().push(seed));
    /// # let _ = data;
    /// ```
    pub fn reseed_each_epoch(mut self, reseed: impl Fn(u64) + Send + Sync + 'static) -> Self {
        self.reseed.push(Arc::new(reseed));
        self
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
