//! A validated augmentation pipeline, built in code, from JSON, or by preset name.

use std::path::Path;

use burn::prelude::*;
use rand::rngs::StdRng;

use super::presets::{preset, PRESETS};
use super::Compose;
use crate::error::AugmentError;
use crate::random::seeded;

/// A checked sequence of transforms applied to whole batches on their device, each sample
/// with its own random parameters drawn from a seeded generator.
///
/// Build it with [`Pipeline::new`] (from a [`Compose`]), [`Pipeline::from_json`] (the JSON
/// form of a [`Compose`]: `{"transforms": [{"type": "horizontal_flip", "p": 0.5}, ...]}`),
/// [`Pipeline::from_file`], [`Pipeline::preset`] or [`Pipeline::from_name_or_file`].
///
/// # Shapes
/// `[N, C, H, W]` in; out as the last step leaves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    config: Compose,
}

impl Pipeline {
    /// Checks every step of `config`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] naming the first bad transform, field and allowed range.
    pub fn new(config: Compose) -> Result<Self, AugmentError> {
        config.validate()?;
        Ok(Self { config })
    }

    /// The pipeline described by `json`.
    ///
    /// # Errors
    /// [`AugmentError::Json`] (with line, column and the unknown type or field) or
    /// [`AugmentError::OutOfRange`].
    pub fn from_json(json: &str) -> Result<Self, AugmentError> {
        Self::parse(json, "<string>")
    }

    /// The pipeline described by the JSON file at `path`.
    ///
    /// # Errors
    /// [`AugmentError::Io`], [`AugmentError::Json`] or [`AugmentError::OutOfRange`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, AugmentError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| AugmentError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The preset named `name` (see [`preset`](crate::preset) for what each holds).
    ///
    /// # Errors
    /// [`AugmentError::UnknownPreset`] listing the known names.
    pub fn preset(name: &str) -> Result<Self, AugmentError> {
        let config = preset(name).ok_or_else(|| AugmentError::UnknownPreset {
            name: name.to_string(),
            known: PRESETS.join(", "),
        })?;
        Self::new(config)
    }

    /// A preset if `spec` names one, else the JSON file at path `spec` (for `--augment
    /// NAME|FILE`).
    ///
    /// # Errors
    /// [`AugmentError::UnknownPreset`] when `spec` is neither a preset nor an existing file;
    /// otherwise as [`Pipeline::from_file`].
    pub fn from_name_or_file(spec: &str) -> Result<Self, AugmentError> {
        if PRESETS.contains(&spec) || !Path::new(spec).is_file() {
            Self::preset(spec)
        } else {
            Self::from_file(spec)
        }
    }

    /// The steps, as they serialise to JSON (e.g. for a run's `config.json`).
    pub fn config(&self) -> &Compose {
        &self.config
    }

    /// The pipeline as pretty-printed JSON that [`Pipeline::from_json`] reads back.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.config).expect("a pipeline always serialises")
    }

    /// The shape [`Pipeline::apply`] returns for images of shape `input` (`[N, C, H, W]`),
    /// computed step by step from the configuration without running any tensor op: check a
    /// pipeline against the data (and the model's input) before training.
    ///
    /// ```
    /// use ember_augment::Pipeline;
    ///
    /// let cifar = Pipeline::preset("cifar")?;
    /// assert_eq!(cifar.output_dims([8, 3, 32, 32])?, [8, 3, 32, 32]);
    /// // MNIST digits: the 32×32 crop of the padded image makes them 32×32.
    /// assert_eq!(cifar.output_dims([8, 1, 28, 28])?, [8, 1, 32, 32]);
    /// // A normalisation step checks the channel count.
    /// let rgb = Pipeline::from_json(
    ///     r#"{"transforms": [{"type": "normalize", "mean": [0.5, 0.5, 0.5], "std": [0.2, 0.2, 0.2]}]}"#,
    /// )?;
    /// let err = rgb.output_dims([8, 1, 28, 28]).unwrap_err().to_string();
    /// assert!(err.starts_with("normalize cannot take images of shape [8, 1, 28, 28]"), "{err}");
    /// # Ok::<(), ember_augment::AugmentError>(())
    /// ```
    ///
    /// # Errors
    /// [`AugmentError::Shape`] naming the first step that cannot take the shape it would be
    /// given, with that shape and the fix: every case in which [`Pipeline::apply`] would
    /// panic on such images.
    pub fn output_dims(&self, input: [usize; 4]) -> Result<[usize; 4], AugmentError> {
        self.config.output_dims(input)
    }

    /// Augments `images`, drawing every random parameter from `rng`.
    ///
    /// # Panics
    /// When a step does not suit the images (e.g. `normalize` with the wrong channel count,
    /// a crop larger than the image), with a message naming the step;
    /// [`Pipeline::output_dims`] reports every such case as an error beforehand.
    pub fn apply(&self, images: Tensor<4>, rng: &mut StdRng) -> Tensor<4> {
        self.config.apply(images, rng)
    }

    /// [`Pipeline::apply`] with a fresh generator seeded by `seed`: the same seed gives the
    /// same output on every backend (to float rounding).
    pub fn apply_seeded(&self, images: Tensor<4>, seed: u64) -> Tensor<4> {
        self.apply(images, &mut seeded(seed))
    }

    fn parse(json: &str, origin: &str) -> Result<Self, AugmentError> {
        let config = serde_json::from_str(json).map_err(|source| AugmentError::Json {
            origin: origin.to_string(),
            source,
        })?;
        Self::new(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::composition::Transform;
    use crate::geometric::{RandomCrop, RandomHorizontalFlip, RandomRotation};
    use crate::photometric::ColorJitter;
    use crate::RandomApply;
    use ember_testkit::{assert_close, backends_agree, for_each_device, values};

    const JSON: &str = r#"{"transforms": [
        {"type": "random_crop", "size": [6, 6], "padding": 2},
        {"type": "horizontal_flip"},
        {"type": "random_apply", "p": 0.8, "transforms": [
            {"type": "color_jitter", "brightness": 0.4, "hue": 0.1}
        ]},
        {"type": "rotation", "degrees": [-30, 30], "fill": 0.5}
    ]}"#;

    fn in_code() -> Compose {
        Compose {
            transforms: vec![
                Transform::RandomCrop(RandomCrop {
                    size: [6, 6],
                    padding: 2,
                    fill: 0.0,
                }),
                Transform::HorizontalFlip(RandomHorizontalFlip { p: 0.5 }),
                Transform::RandomApply(RandomApply {
                    p: 0.8,
                    transforms: vec![Transform::ColorJitter(ColorJitter {
                        brightness: 0.4,
                        hue: 0.1,
                        ..Default::default()
                    })],
                }),
                Transform::Rotation(RandomRotation {
                    degrees: [-30.0, 30.0],
                    fill: 0.5,
                    p: 1.0,
                }),
            ],
        }
    }

    /// A batch of `n` copies of one 3×6×6 image with values k/108.
    fn batch(n: usize, device: &Device) -> Tensor<4> {
        let data: Vec<f32> = (0..108).map(|k| k as f32 / 108.0).collect();
        Tensor::<4>::from_data(TensorData::new(data, [1, 3, 6, 6]), device).repeat_dim(0, n)
    }

    #[test]
    fn json_builds_the_same_pipeline_as_code_and_agrees_across_backends() {
        let from_json = Pipeline::from_json(JSON).unwrap();
        assert_eq!(from_json.config(), &in_code());
        let from_code = Pipeline::new(in_code()).unwrap();
        let out = backends_agree(1e-4, |device| {
            values(from_json.apply_seeded(batch(4, device), 17))
        });
        for_each_device(|device| {
            let again = values(from_code.apply_seeded(batch(4, device), 17));
            assert_close(&again, &out, 1e-4, "code against JSON");
        });
        // Identical inputs, different parameters per sample.
        assert!(
            out[..108] != out[108..216],
            "samples 0 and 1 were augmented alike"
        );
    }

    #[test]
    fn same_seed_repeats_and_another_seed_differs() {
        for_each_device(|device| {
            let pipeline = Pipeline::from_json(JSON).unwrap();
            let a = values(pipeline.apply_seeded(batch(2, device), 1));
            let b = values(pipeline.apply_seeded(batch(2, device), 1));
            let c = values(pipeline.apply_seeded(batch(2, device), 2));
            assert_eq!(a, b);
            assert_ne!(a, c);
        });
    }

    #[test]
    fn presets_survive_a_json_round_trip_and_keep_their_shapes() {
        for name in PRESETS {
            let pipeline = Pipeline::preset(name).unwrap();
            assert_eq!(
                Pipeline::from_json(&pipeline.to_json()).unwrap(),
                pipeline,
                "{name}"
            );
        }
        for_each_device(|device| {
            let grey = Tensor::<4>::zeros([2, 1, 28, 28], device);
            let out = Pipeline::preset("mnist").unwrap().apply_seeded(grey, 0);
            assert_eq!(out.dims(), [2, 1, 28, 28]);
            let rgb = Tensor::<4>::zeros([2, 3, 32, 32], device);
            let out = Pipeline::preset("cifar")
                .unwrap()
                .apply_seeded(rgb.clone(), 0);
            assert_eq!(out.dims(), [2, 3, 32, 32]);
            let out = Pipeline::preset("alexnet").unwrap().apply_seeded(rgb, 0);
            assert_eq!(out.dims(), [2, 3, 224, 224]);
        });
    }

    fn error(json: &str) -> String {
        Pipeline::from_json(json).unwrap_err().to_string()
    }

    #[test]
    fn bad_configurations_name_what_is_wrong() {
        let unknown_type = error(r#"{"transforms": [{"type": "rotate"}]}"#);
        assert!(
            unknown_type.contains("unknown variant `rotate`"),
            "{unknown_type}"
        );
        let unknown_field = error(r#"{"transforms": [{"type": "rotation", "degree": [0, 1]}]}"#);
        assert!(
            unknown_field.contains("unknown field `degree`"),
            "{unknown_field}"
        );
        let range = error(r#"{"transforms": [{"type": "rotation", "degrees": [-400, 10]}]}"#);
        assert_eq!(
            range,
            "rotation.degrees = [-400.0, 10.0]: must be [low, high] with -360 <= low <= high <= 360"
        );
        let nested = error(
            r#"{"transforms": [{"type": "one_of", "transforms": [{"type": "zoom", "scale": [2, 1]}]}]}"#,
        );
        assert!(nested.starts_with("zoom.scale = [2.0, 1.0]"), "{nested}");
        let syntax = error(r#"{"transforms": [}"#);
        assert!(
            syntax.starts_with("invalid augmentation config <string>: "),
            "{syntax}"
        );
    }

    #[test]
    fn names_and_files_are_told_apart() {
        let err = Pipeline::from_name_or_file("imagenet")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "unknown augmentation preset `imagenet`: use one of none, mnist, cifar, alexnet \
             or the path of a JSON file"
        );
        let path = std::env::temp_dir().join(format!("ember-augment-{}.json", std::process::id()));
        std::fs::write(&path, JSON).unwrap();
        let from_file = Pipeline::from_name_or_file(path.to_str().unwrap()).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(from_file.config(), &in_code());
        let missing = Pipeline::from_file(&path).unwrap_err().to_string();
        assert!(
            missing.starts_with("cannot read augmentation config"),
            "{missing}"
        );
    }
}
