//! A narrow AlexNet for 28×28 and 32×32 images that a CPU trains in minutes per epoch.

use super::{ConvSpec, Spec};

/// The paper's structure — five convolutions with ReLU, overlapping 3×3/2 max-pooling after
/// conv1, conv2 and conv5, two hidden dense layers with dropout — scaled to small images:
///
/// - conv1 is 5×5 at stride 1 with padding 2 (the paper's 11×11/4 would shrink a 32×32 image
///   to 6×6 at once), 32 maps; conv2 to conv5 are 3×3 with padding 1 and 64, 96, 96, 64
///   maps (the paper's rising-then-falling 96-256-384-384-256 pattern, a quarter as wide,
///   and conv2 3×3 instead of 5×5: together a fifth of the work of 5×5 with 64-128-192-192-128
///   maps, which ran at 53 images/s in training on this project's 2-core machine); every
///   convolution keeps its input side;
/// - the pools pad by 1, so 32 → 16 → 8 → 4 and 28 → 14 → 7 → 4: both sizes end in 4×4 maps
///   (1,024 features) and share one classifier;
/// - the dense layers have 256 units; no LRN (it costs time and adds little, as later work
///   found), no groups.
pub(super) fn spec() -> Spec {
    let conv = |maps, kernel, padding| ConvSpec {
        maps,
        kernel,
        stride: 1,
        padding,
        grouped: false,
    };
    Spec {
        title: "AlexNet (small: 28x28 and 32x32 images)",
        convs: [
            conv(32, 5, 2),
            conv(64, 3, 1),
            conv(96, 3, 1),
            conv(96, 3, 1),
            conv(64, 3, 1),
        ],
        lrn: false,
        pool: (3, 2, 1),
        adaptive: None,
        hidden: 256,
        dropout_first: false,
        default_side: 32,
        sides: "1 or more (32 for CIFAR-10, 28 for MNIST)",
    }
}
