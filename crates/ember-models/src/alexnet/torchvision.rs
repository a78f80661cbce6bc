//! The AlexNet PyTorch ships (`torchvision.models.alexnet`).

use super::{ConvSpec, Spec};

/// conv1 64@11×11/4 pad 2 → ReLU → max-pool 3×3/2 → conv2 192@5×5 pad 2 → ReLU → pool →
/// conv3 384@3×3 pad 1 → conv4 256@3×3 → conv5 256@3×3 → pool → adaptive average pool 6×6 →
/// dropout – FC 4096 – ReLU – dropout – FC 4096 – ReLU – FC classes.
///
/// No LRN, no groups (torchvision follows Krizhevsky's one-GPU "One weird trick" network,
/// 2014). The adaptive pooling makes any input of at least 63×63 give 256·6·6 = 9,216
/// features; 224×224 is what its ImageNet weights were trained on. Parameter names map to
/// PyTorch's with [`AlexNet::PYTORCH_KEYS`](super::AlexNet::PYTORCH_KEYS).
pub(super) fn spec() -> Spec {
    let conv = |maps, kernel, stride, padding| ConvSpec {
        maps,
        kernel,
        stride,
        padding,
        grouped: false,
    };
    Spec {
        title: "AlexNet (torchvision)",
        convs: [
            conv(64, 11, 4, 2),
            conv(192, 5, 1, 2),
            conv(384, 3, 1, 1),
            conv(256, 3, 1, 1),
            conv(256, 3, 1, 1),
        ],
        lrn: false,
        pool: (3, 2, 0),
        adaptive: Some(6),
        hidden: 4096,
        dropout_first: true,
        default_side: 224,
        sides: "63 or more",
    }
}
