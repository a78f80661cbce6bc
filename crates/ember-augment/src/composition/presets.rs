//! Named pipelines, for `--augment NAME`.

use super::{Compose, Transform};
use crate::geometric::*;
use crate::photometric::PcaLighting;

/// The preset names [`preset`] knows.
pub const PRESETS: [&str; 4] = ["none", "mnist", "cifar", "alexnet"];

/// The pipeline named `name`, if it is one of [`PRESETS`]:
/// - `none`: no step.
/// - `mnist`: rotation by up to ±10°, then a shift by up to ±10 % of each side (whole
///   pixels); fill 0 (black background). Keeps 28×28.
/// - `cifar`: random 32×32 crop of the image padded by 4, horizontal flip (p ½) — the standard
///   CIFAR-10 augmentation (He et al. 2016). No normalisation: that is the run's step, shared
///   by every split (ember-augment's `NormalizeBatcher`).
/// - `alexnet`: the paper's (Krizhevsky et al. 2012, §4.1): rescale to 256×256, a random
///   224×224 crop, horizontal flip (p ½), PCA lighting with ImageNet's components (α std
///   0.1). RGB input of any size.
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
        ],
        "alexnet" => vec![
            Transform::Resize(Resize { size: [256, 256] }),
            Transform::RandomCrop(RandomCrop {
                size: [224, 224],
                padding: 0,
                fill: 0.0,
            }),
            Transform::HorizontalFlip(RandomHorizontalFlip::default()),
            Transform::PcaLighting(PcaLighting::default()),
        ],
        _ => return None,
    };
    Some(Compose { transforms })
}
