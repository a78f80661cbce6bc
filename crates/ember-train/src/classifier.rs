//! The trait a model implements to be trained as a classifier, and the adapter that lets
//! burn-train drive it.

use std::sync::Arc;

use burn::module::{Module, ModuleDisplay};
use burn::prelude::*;
use burn::train::{ClassificationOutput, InferenceStep, TrainOutput, TrainStep};

use ember_losses::Loss;
use ember_optim::l1_penalty;

/// A labelled batch as the data loaders yield it: `(inputs, targets)`, with `targets`
/// the class indices `[batch]`.
pub type Labelled<I> = (I, Tensor<1, Int>);

/// A model that maps a batch of inputs to class logits. Implement it for your own burn
/// module to train it with [`Training`](crate::Training) and score it with
/// [`evaluate`](crate::evaluate).
///
/// ```ignore
/// impl ember_train::Classifier for MyNet {
///     type Input = Tensor<4>;
///     fn logits(&self, images: Tensor<4>) -> Tensor<2> { self.forward(images) }
/// }
/// ```
pub trait Classifier: Module + ModuleDisplay + 'static {
    /// What one batch of inputs is, e.g. `Tensor<4>` images `[batch, c, h, w]`.
    type Input: Clone + Send + Sync + std::fmt::Debug + 'static;

    /// The class logits `[batch, classes]` (no softmax: the loss applies log-softmax).
    fn logits(&self, input: Self::Input) -> Tensor<2>;

    /// How many logits the model gives per example, if it knows without running (Ember's
    /// models do). A run then refuses data with another number of classes before it
    /// starts; with `None` (the default) a mismatch is found when the test split is scored.
    fn num_classes(&self) -> Option<usize> {
        None
    }

    /// The layer table written to the run's `summary.txt`; by default burn's module
    /// display (the modules and their parameter counts).
    fn summary(&self) -> String {
        self.format(Default::default())
    }

    /// The shape of one input example without the batch dimension (e.g. `[1, 32, 32]` for
    /// LeNet-5), if the model takes only one; `None` (the default) when it does not say.
    /// [`FeatureMaps::capture`](crate::FeatureMaps::capture) checks an image against it.
    fn input_shape(&self) -> Option<Vec<usize>> {
        None
    }

    /// The activations of each convolution layer for `input`, in forward order, each named
    /// after its layer (`c1`, `conv1`) and shaped `[batch, channels, height, width]`: what
    /// [`FeatureMaps`](crate::FeatureMaps) draws. By default none (a model without
    /// convolutions, or one that does not expose them). Implement it by running the forward
    /// pass once and keeping what each convolution (with its activation) gives.
    fn feature_maps(&self, input: Self::Input) -> Vec<(String, Tensor<4>)> {
        let _ = input;
        Vec::new()
    }
}

/// Wraps a [`Classifier`] so burn-train's `Learner` can train it: the [`Loss`] on the
/// logits (the one [`FitConfig::loss`](crate::FitConfig::loss) or
/// [`Training::loss`](crate::Training::loss) names), accuracy and loss as metrics, and the
/// optional L1 penalty added to what a training step minimises (not to the recorded loss).
/// Augmentation is not its business: it happens in the training loader's batcher.
#[derive(Module, Debug)]
pub struct Trainable<M: Classifier> {
    /// The model being trained.
    pub model: M,
    #[module(skip)]
    loss: Arc<dyn Loss>,
    #[module(skip)]
    l1: Option<f32>,
}

impl<M: Classifier> Trainable<M> {
    /// Wraps `model`, to be trained on `loss`.
    pub fn new(model: M, loss: Arc<dyn Loss>) -> Self {
        Trainable {
            model,
            loss,
            l1: None,
        }
    }

    /// Adds `λ₁·Σ|θ|` over the model's parameters to the loss each training step minimises
    /// ([`l1_penalty`]); `None` adds nothing.
    pub fn with_l1(mut self, l1: Option<f32>) -> Self {
        self.l1 = l1;
        self
    }

    /// Logits, loss and targets of one batch.
    pub fn classify(&self, (input, targets): Labelled<M::Input>) -> ClassificationOutput {
        let logits = self.model.logits(input);
        let loss = self.loss.loss(logits.clone(), targets.clone());
        ClassificationOutput::new(loss, logits, targets)
    }
}

impl<M: Classifier> TrainStep for Trainable<M> {
    type Input = Labelled<M::Input>;
    type Output = ClassificationOutput;

    fn step(&self, batch: Self::Input) -> TrainOutput<ClassificationOutput> {
        let output = self.classify(batch);
        let objective = match self.l1 {
            Some(l1) => output.loss.clone() + l1_penalty(&self.model).mul_scalar(l1),
            None => output.loss.clone(),
        };
        TrainOutput::new(self, objective.backward(), output)
    }
}

impl<M: Classifier> InferenceStep for Trainable<M> {
    type Input = Labelled<M::Input>;
    type Output = ClassificationOutput;

    fn step(&self, batch: Self::Input) -> ClassificationOutput {
        self.classify(batch)
    }
}
