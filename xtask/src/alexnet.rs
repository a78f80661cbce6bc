//! AlexNet on CIFAR-10, MNIST or Fashion-MNIST, assembled from the library crates: the
//! recipe `train` records in `config.json` and `eval` rebuilds from it.

use ember::augment::{
    AugmentBatcher, Compose, Normalize, NormalizeBatcher, Pipeline, Resize, Transform, MAX_SIDE,
};
use ember::burn::data::dataset::Dataset;
use ember::burn::prelude::Device;
use ember::data::{channel_mean_std, ImageBatcher, ImageItem};
use ember::models::{AlexNet, AlexNetConfig};
use ember::train::RunRecord;
use serde_json::json;

/// The batches of every split: the images resized to the network's side (when they differ),
/// then (training only) augmented, then normalised.
pub type Batcher = NormalizeBatcher<AugmentBatcher<ImageBatcher>>;

/// What an AlexNet run is made of, beyond the training settings.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// The network.
    pub model: AlexNetConfig,
    /// The dataset's name.
    pub dataset: String,
    /// The shape of the dataset's images, `[c, h, w]`.
    pub image_shape: [usize; 3],
    /// The normalisation every split shares: the training split's per-channel mean and std.
    pub normalize: Normalize,
}

impl Recipe {
    /// The network `model` for images of `image_shape` from `dataset`, normalised by the
    /// mean and std of `train` (the training split).
    pub fn new(
        model: AlexNetConfig,
        dataset: &str,
        image_shape: [usize; 3],
        train: &impl Dataset<ImageItem>,
    ) -> crate::Result<Self> {
        model.check()?;
        let stats = channel_mean_std(train, image_shape[0])?;
        let as_f32 = |v: &[f64]| v.iter().map(|&x| x as f32).collect();
        Ok(Recipe {
            model,
            dataset: dataset.to_string(),
            image_shape,
            normalize: Normalize::new(as_f32(&stats.mean), as_f32(&stats.std))?,
        })
    }

    /// The steps every split gets before augmentation: a bilinear resize to the network's
    /// side when the images have another size.
    fn prepare(&self) -> Vec<Transform> {
        let side = self.model.side();
        let [_, h, w] = self.image_shape;
        if (h, w) == (side, side) {
            vec![]
        } else {
            vec![Transform::Resize(Resize { size: [side, side] })]
        }
    }

    fn batcher(&self, transforms: Vec<Transform>, seed: u64) -> crate::Result<Batcher> {
        let pipeline = Pipeline::new(Compose { transforms })?;
        let images = ImageBatcher::new(self.image_shape);
        Ok(NormalizeBatcher::new(
            AugmentBatcher::new(images, pipeline, seed),
            self.normalize.clone(),
        )?)
    }

    /// The batcher of validation and test batches.
    pub fn eval_batcher(&self) -> crate::Result<Batcher> {
        self.batcher(self.prepare(), 0)
    }

    /// The batcher of training batches: the shared preparation, then `augment` (checked to
    /// give the network's input shape), seeded by `seed`, then the shared normalisation.
    pub fn train_batcher(
        &self,
        augment: &Pipeline,
        spec: &str,
        seed: u64,
    ) -> crate::Result<Batcher> {
        let mut transforms = self.prepare();
        transforms.extend(augment.config().transforms.iter().cloned());
        let [c, h, w] = self.image_shape;
        let side = self.model.side();
        let want = [2, self.model.in_channels, side, side];
        let steps = Compose {
            transforms: transforms.clone(),
        };
        match steps.output_dims([2, c, h, w]) {
            Ok(dims) if dims == want => {}
            Ok(dims) => {
                return Err(format!(
                    "--augment {spec}: the pipeline turns the resized [n, {c}, {side}, {side}] \
                     images into {dims:?}, but AlexNet takes {want:?}; use a pipeline that \
                     keeps the size (e.g. `cifar` for 32x32 images) or set --image-size"
                )
                .into())
            }
            Err(e) => return Err(format!("--augment {spec}: {e}").into()),
        }
        self.batcher(transforms, seed)
    }

    /// The network, on `device` (seed the device first).
    pub fn init(&self, device: &Device) -> crate::Result<AlexNet> {
        Ok(self.model.init(device)?)
    }

    /// Describes the recipe in a run's record: model, data and pipeline.
    pub fn describe(&self, record: &mut RunRecord, augment: Option<&Pipeline>) {
        record.model = json!({ "name": "alexnet", "config": self.model });
        record.data["dataset"] = json!(self.dataset);
        record.data["image_shape"] = json!(self.image_shape);
        record.pipeline = json!({
            "batcher": { "kind": "image", "scale": "x / 255" },
            "prepare": self.prepare(),
            "train_augment": augment.map(|p| p.config()),
            "normalize": self.normalize,
        });
    }

    /// The recipe a run's record describes.
    ///
    /// # Errors
    /// When a value is missing, or is not one a run writes (an image shape other than 1 or 3
    /// channels of 1–2,048 pixels a side, an invalid normalisation): an edited file is refused
    /// before it can allocate without bound or evaluate to NaN.
    pub fn from_record(record: &RunRecord) -> crate::Result<Self> {
        let image_shape: [usize; 3] =
            crate::recorded(&record.data["image_shape"], "data.image_shape")?;
        let [c, h, w] = image_shape;
        let sides = (1..=MAX_SIDE).contains(&h) && (1..=MAX_SIDE).contains(&w);
        if !matches!(c, 1 | 3) || !sides {
            return Err(format!(
                "config.json: data.image_shape {image_shape:?} is not one a run writes (1 or 3 \
                 channels, sides of 1 to {MAX_SIDE} pixels); was the file edited? Train the \
                 run again"
            )
            .into());
        }
        let normalize = crate::recorded_normalize(record)?;
        Ok(Recipe {
            model: crate::recorded(&record.model["config"], "model.config")?,
            dataset: crate::recorded(&record.data["dataset"], "data.dataset")?,
            image_shape,
            normalize,
        })
    }
}
