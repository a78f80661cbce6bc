//! `output_dims` of every transform: each rule on hand-written shapes, then the shape `apply`
//! really returns (or its panic) for every preset and a few pipelines.

use std::panic::{catch_unwind, AssertUnwindSafe};

use burn::prelude::*;

use super::{preset, Compose, OneOf, Pipeline, RandomApply, Transform, PRESETS};
use crate::error::AugmentError;
use crate::geometric::*;
use crate::occlusion::RandomErasing;
use crate::photometric::{ColorJitter, Normalize, PcaLighting, RandomGrayscale};
use crate::random::seeded;

fn message(result: Result<[usize; 4], AugmentError>) -> String {
    result.unwrap_err().to_string()
}

fn resize(side: usize) -> Transform {
    Transform::Resize(Resize { size: [side, side] })
}

#[test]
fn shape_keeping_transforms_return_their_input() {
    let input = [5, 2, 7, 9];
    let keep = [
        Transform::HorizontalFlip(RandomHorizontalFlip::default()),
        Transform::VerticalFlip(RandomVerticalFlip::default()),
        Transform::Rotation(RandomRotation::default()),
        Transform::Zoom(RandomZoom::default()),
        Transform::Translation(RandomTranslation::default()),
        Transform::Erasing(RandomErasing::default()),
    ];
    for transform in keep {
        assert_eq!(
            transform.output_dims(input).unwrap(),
            input,
            "{transform:?}"
        );
    }
}

#[test]
fn sampled_transforms_need_a_pixel() {
    let err = message(Transform::Rotation(RandomRotation::default()).output_dims([2, 1, 0, 5]));
    assert_eq!(
        err,
        "rotation cannot take images of shape [2, 1, 0, 5] [N, C, H, W]: needs images of at \
         least 1×1 pixel"
    );
    assert!(resize(4).output_dims([1, 3, 6, 0]).is_err());
}

#[test]
fn crops_pads_and_resizes_set_the_size() {
    let crop = RandomCrop::default(); // 32×32 of the image padded by 4
    assert_eq!(crop.output_dims([8, 3, 24, 30]).unwrap(), [8, 3, 32, 32]);
    assert_eq!(
        message(crop.output_dims([8, 3, 23, 30])),
        "random_crop cannot take images of shape [8, 3, 23, 30] [N, C, H, W]: size [32, 32] \
         does not fit the 23×30 image padded by 4 (at most 31×38); lower size or raise padding"
    );
    let centre = CenterCrop { size: [4, 6] };
    assert_eq!(centre.output_dims([2, 1, 4, 9]).unwrap(), [2, 1, 4, 6]);
    assert_eq!(
        message(centre.output_dims([2, 1, 4, 5])),
        "center_crop cannot take images of shape [2, 1, 4, 5] [N, C, H, W]: size [4, 6] is \
         larger than the 4×5 image; pad first or lower size"
    );
    let pad = Pad {
        padding: 3,
        fill: 0.0,
    };
    assert_eq!(pad.output_dims([2, 1, 4, 5]).unwrap(), [2, 1, 10, 11]);
    assert_eq!(resize(7).output_dims([2, 3, 4, 5]).unwrap(), [2, 3, 7, 7]);
    let rrc = RandomResizedCrop::default();
    assert_eq!(rrc.output_dims([2, 3, 10, 50]).unwrap(), [2, 3, 224, 224]);
}

#[test]
fn colour_steps_need_rgb_or_grey_images() {
    let jitter = ColorJitter::default(); // brightness, contrast, saturation 0.2
    assert_eq!(jitter.output_dims([2, 1, 5, 5]).unwrap(), [2, 1, 5, 5]);
    assert_eq!(jitter.output_dims([2, 3, 5, 5]).unwrap(), [2, 3, 5, 5]);
    assert_eq!(
        message(jitter.output_dims([2, 4, 5, 5])),
        "color_jitter cannot take images of shape [2, 4, 5, 5] [N, C, H, W]: contrast, \
         saturation and hue need RGB (3 channels) or grey (1 channel) images, not 4 channels; \
         set them to 0 (brightness works on any channels)"
    );
    let brightness = ColorJitter {
        brightness: 0.4,
        contrast: 0.0,
        saturation: 0.0,
        hue: 0.0,
    };
    assert_eq!(brightness.output_dims([2, 4, 5, 5]).unwrap(), [2, 4, 5, 5]);
    let hue = ColorJitter {
        hue: 0.1,
        ..brightness
    };
    assert!(hue.output_dims([2, 2, 5, 5]).is_err());

    let grey = RandomGrayscale { p: 0.1 };
    assert_eq!(grey.output_dims([2, 3, 5, 5]).unwrap(), [2, 3, 5, 5]);
    assert!(message(grey.output_dims([2, 2, 5, 5])).starts_with("grayscale cannot take"));
    // Never applied, never refused.
    let never = RandomGrayscale { p: 0.0 };
    assert_eq!(never.output_dims([2, 2, 5, 5]).unwrap(), [2, 2, 5, 5]);

    let pca = PcaLighting::default();
    assert_eq!(pca.output_dims([2, 3, 5, 5]).unwrap(), [2, 3, 5, 5]);
    assert_eq!(
        message(pca.output_dims([2, 1, 5, 5])),
        "pca_lighting cannot take images of shape [2, 1, 5, 5] [N, C, H, W]: needs RGB images \
         (3 channels), not 1 channels; remove the step for these images"
    );
}

#[test]
fn a_sequence_is_followed_step_by_step_and_names_the_failing_step() {
    let steps = Compose {
        transforms: vec![
            Transform::Pad(Pad::default()),
            Transform::CenterCrop(CenterCrop { size: [30, 30] }),
            Transform::Normalize(Normalize::new(vec![0.5; 3], vec![0.2; 3]).unwrap()),
        ],
    };
    assert_eq!(steps.output_dims([4, 3, 28, 28]).unwrap(), [4, 3, 30, 30]);
    // The crop gets the padded 24×24 image; normalize would get grey images.
    assert!(message(steps.output_dims([4, 3, 16, 16])).contains("[4, 3, 24, 24]"));
    assert!(message(steps.output_dims([4, 1, 28, 28])).starts_with("normalize cannot take"));
    let invalid = Transform::Rotation(RandomRotation {
        p: 2.0,
        ..Default::default()
    });
    assert!(matches!(
        invalid.output_dims([1, 1, 4, 4]),
        Err(AugmentError::OutOfRange { field: "p", .. })
    ));
}

#[test]
fn random_apply_keeps_the_size_unless_it_always_or_never_applies() {
    let with = |p: f32| RandomApply {
        p,
        transforms: vec![resize(8)],
    };
    assert_eq!(with(0.0).output_dims([3, 1, 5, 5]).unwrap(), [3, 1, 5, 5]);
    assert_eq!(with(1.0).output_dims([3, 1, 5, 5]).unwrap(), [3, 1, 8, 8]);
    assert_eq!(with(0.5).output_dims([3, 1, 8, 8]).unwrap(), [3, 1, 8, 8]);
    assert_eq!(
        message(with(0.5).output_dims([3, 1, 5, 5])),
        "random_apply cannot take images of shape [3, 1, 5, 5] [N, C, H, W]: its steps turn \
         the images into [3, 1, 8, 8], while the samples it skips keep [3, 1, 5, 5]; make the \
         steps keep [C, H, W] or set p to 1"
    );
}

#[test]
fn one_of_needs_alternatives_of_one_size() {
    let same = OneOf {
        transforms: vec![
            resize(6),
            Transform::CenterCrop(CenterCrop { size: [6, 6] }),
        ],
    };
    assert_eq!(same.output_dims([2, 1, 9, 9]).unwrap(), [2, 1, 6, 6]);
    // The crop does not fit a 5×5 image: an alternative's own error comes through.
    assert!(message(same.output_dims([2, 1, 5, 5])).starts_with("center_crop cannot take"));
    let different = OneOf {
        transforms: vec![resize(6), resize(6), resize(7)],
    };
    assert_eq!(
        message(different.output_dims([2, 1, 9, 9])),
        "one_of cannot take images of shape [2, 1, 9, 9] [N, C, H, W]: its alternatives give \
         images of different sizes ([2, 1, 6, 6] from the first, [2, 1, 7, 7] from alternative \
         2); every alternative must produce the same [C, H, W]"
    );
}

/// A few pipelines beyond the presets, each with a shape-changing or shape-checking step.
fn more_pipelines() -> Vec<Compose> {
    let json = [
        r#"{"transforms": [{"type": "pad", "padding": 2}, {"type": "center_crop", "size": [30, 30]}]}"#,
        r#"{"transforms": [{"type": "random_apply", "p": 1, "transforms": [{"type": "resize", "size": [20, 24]}]}]}"#,
        r#"{"transforms": [{"type": "random_apply", "p": 0.5, "transforms": [{"type": "resize", "size": [20, 24]}]}]}"#,
        r#"{"transforms": [{"type": "one_of", "transforms": [{"type": "resize", "size": [16, 16]}, {"type": "random_crop", "size": [16, 16], "padding": 0}]}]}"#,
        r#"{"transforms": [{"type": "grayscale", "p": 0.5}, {"type": "erasing", "p": 1}]}"#,
    ];
    json.iter()
        .map(|text| serde_json::from_str(text).unwrap())
        .collect()
}

#[test]
fn output_dims_is_the_shape_apply_returns_or_refuses() {
    let device = Device::flex();
    let shapes = [
        [4, 1, 28, 28],
        [4, 3, 32, 32],
        [3, 3, 20, 26],
        [2, 4, 30, 30],
    ];
    let pipelines = PRESETS
        .iter()
        .map(|name| preset(name).unwrap())
        .chain(more_pipelines());
    for config in pipelines {
        let pipeline = Pipeline::new(config).unwrap();
        for shape in shapes {
            let predicted = pipeline.output_dims(shape);
            let images = Tensor::<4>::ones(shape, &device).mul_scalar(0.5);
            // Several seeds, so that random choices (one_of, random_apply, grayscale) vary: an
            // error means some draw makes apply panic.
            let applied: Vec<Option<[usize; 4]>> = (0..8)
                .map(|seed| {
                    let run = || pipeline.apply(images.clone(), &mut seeded(seed)).dims();
                    catch_unwind(AssertUnwindSafe(run)).ok()
                })
                .collect();
            match &predicted {
                Ok(dims) => assert!(
                    applied.iter().all(|a| a == &Some(*dims)),
                    "{pipeline:?} on {shape:?}: output_dims {dims:?}, apply {applied:?}"
                ),
                Err(e) => assert!(
                    applied.contains(&None),
                    "{pipeline:?} on {shape:?}: output_dims says {e}, apply gave {applied:?}"
                ),
            }
        }
    }
}
