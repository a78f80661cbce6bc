//! LeNet-5 on MNIST or Fashion-MNIST, assembled from the library crates: the one recipe
//! `train` records in `config.json` and `eval` rebuilds from it.

use ember::augment::{AugmentBatcher, Normalize, NormalizeBatcher, Pipeline};
use ember::burn::prelude::Device;
use ember::data::{ImageBatcher, MnistKind, MNIST_SIDE};
use ember::models::{LeNet5, LeNet5Config};
use ember::train::RunRecord;
use serde_json::json;

/// What a LeNet-5 run is made of, beyond the training settings.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// The network.
    pub model: LeNet5Config,
    /// The dataset.
    pub dataset: MnistKind,
    /// Black pixels added on each side of the 28x28 images (2: LeNet-5's 32x32 field).
    pub padding: usize,
    /// The normalisation every split shares (the dataset's training mean and std).
    pub normalize: Normalize,
}

/// The normalised batches of every split, and the training split's augmented ones.
/// The black border that pads MNIST's 28×28 digits to LeNet-5's 32×32 input, per side.
const PADDING: usize = (LeNet5::INPUT_SIDE - MNIST_SIDE) / 2;

pub type EvalBatcher = NormalizeBatcher<ImageBatcher>;
/// The training batches: augmented, then normalised.
pub type TrainBatcher = NormalizeBatcher<AugmentBatcher<ImageBatcher>>;

impl Recipe {
    /// LeNet-5 `model` (its variant and settings) for `dataset` with `classes` outputs,
    /// padded and normalised as the paper and the dataset ask.
    pub fn new(model: LeNet5Config, dataset: MnistKind, classes: usize) -> crate::Result<Self> {
        model.check()?;
        let (mean, std) = dataset.mean_std();
        Ok(Recipe {
            model: model.with_num_classes(classes),
            dataset,
            padding: PADDING,
            normalize: Normalize::new(vec![mean], vec![std])?,
        })
    }

    /// The raw batcher: grey levels in [0, 1], padded.
    pub fn images(&self) -> ImageBatcher {
        ImageBatcher::new([1, MNIST_SIDE, MNIST_SIDE]).with_padding(self.padding)
    }

    /// The batcher of validation and test batches.
    pub fn eval_batcher(&self) -> crate::Result<EvalBatcher> {
        Ok(NormalizeBatcher::new(
            self.images(),
            self.normalize.clone(),
        )?)
    }

    /// The batcher of training batches: `augment` (checked to keep LeNet-5's input shape),
    /// seeded by `seed`, then the shared normalisation.
    pub fn train_batcher(
        &self,
        augment: Pipeline,
        spec: &str,
        seed: u64,
    ) -> crate::Result<TrainBatcher> {
        let [c, h, w] = self.images().output_shape();
        let input = [2, c, h, w];
        let fits = "LeNet-5 needs them unchanged: use `mnist`, or a file of grey-level steps \
                    without resize/crop-to-another-size";
        match augment.output_dims(input) {
            Ok(dims) if dims == input => {}
            Ok(dims) => {
                return Err(format!(
                    "--augment {spec}: the pipeline turns [n, {c}, {h}, {w}] grey images into \
                     {dims:?}; {fits}"
                )
                .into())
            }
            Err(e) => return Err(format!("--augment {spec}: {e}; {fits}").into()),
        }
        let augmented = AugmentBatcher::new(self.images(), augment, seed);
        Ok(NormalizeBatcher::new(augmented, self.normalize.clone())?)
    }

    /// The network, on `device` (seed the device first).
    pub fn init(&self, device: &Device) -> LeNet5 {
        self.model.init(device)
    }

    /// Describes the recipe in a run's record: model, data and pipeline.
    pub fn describe(&self, record: &mut RunRecord, augment: Option<&Pipeline>) {
        record.model = json!({ "name": "lenet5", "config": self.model });
        record.data["dataset"] = json!(self.dataset);
        record.pipeline = json!({
            "batcher": { "kind": "image", "scale": "x / 255", "padding": self.padding },
            "train_augment": augment.map(|p| p.config()),
            "normalize": self.normalize,
        });
    }

    /// The recipe a run's record describes.
    ///
    /// # Errors
    /// When a value is missing or is not one a run writes (LeNet-5 pads MNIST's 28×28 digits
    /// to 32×32: a padding of 2; a valid normalisation).
    pub fn from_record(record: &RunRecord) -> crate::Result<Self> {
        let model: LeNet5Config = crate::recorded(&record.model["config"], "model.config")?;
        let padding: usize = crate::recorded(
            &record.pipeline["batcher"]["padding"],
            "pipeline.batcher.padding",
        )?;
        if padding != PADDING {
            return Err(format!(
                "config.json: pipeline.batcher.padding {padding} is not LeNet-5's {PADDING} \
                 (28×28 digits padded to 32×32); was the file edited? Train the run again"
            )
            .into());
        }
        let normalize = crate::recorded_normalize(record)?;
        Ok(Recipe {
            model,
            dataset: crate::recorded(&record.data["dataset"], "data.dataset")?,
            padding,
            normalize,
        })
    }
}
