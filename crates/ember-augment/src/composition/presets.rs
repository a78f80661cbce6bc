//! Named pipelines, for `--augment NAME`.

use super::{Compose, Transform};
use crate::geometric::*;
use crate::photometric::{ColorJitter, Normalize, PcaLighting};

/// The preset names [`preset`] knows.
pub const PRESETS: [&str; 4] = ["none", "mnist", "cifar", "alexnet"];

/// The pipeline named `name`, if it is one of [`PRESETS`]:
/// - `none`: no step.
/// - `mnist`: rotation by up to ±10°, then a shift by up to ±10 % of each side (whole
///   pixels); fill 0 (black background). Keeps 28×28.
/// - `cifar`: random 32×32 crop of the image padded by 4, horizontal flip (p ½), colour jitter
///   (brightness, contrast, saturation 0.2), then normalisation by the CIFAR-10 training
///   mean `(0.4914, 0.4822, 0.4465)` and std `(0.2470, 0.2435, 0.2616)`: evaluation data must
///   be normalised with the same [`Normalize`].
/// - `alexnet`: random resized crop to 224×224 (area 8–100 %, ratio ¾–4/3), horizontal flip
///   (p ½), PCA lighting with ImageNet's components (α std 0.1). RGB input of any size.
pub fn preset(name: &str) -> Option<Compose> {
    let transforms = match name {
        "none" => vec![],
        "mnist" => vec![
            Transform::Rotation(RandomRotation::default()),
            Transform::Translation(RandomTranslation::default()),
        ],
        "cifar" => vec![
            Transform::RandomCrop(RandomCrop::default()),
            Transform::HorizontalFlip(RandomHorizontalFlip::default()),
            Transform::ColorJitter(ColorJitter::default()),
            Transform::Normalize(Normalize {
                mean: vec![0.4914, 0.4822, 0.4465],
                std: vec![0.2470, 0.2435, 0.2616],
            }),
        ],
        "alexnet" => vec![
            Transform::RandomResizedCrop(RandomResizedCrop::default()),
            Transform::HorizontalFlip(RandomHorizontalFlip::default()),
            Transform::PcaLighting(PcaLighting::default()),
        ],
        _ => return None,
    };
    Some(Compose { transforms })
}
