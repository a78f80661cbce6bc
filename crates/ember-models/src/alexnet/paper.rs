//! The paper's AlexNet (Krizhevsky, Sutskever & Hinton 2012, §3.5 and Figure 2).

use super::{ConvSpec, Spec};

/// conv1 96@11×11/4 → ReLU → LRN → max-pool 3×3/2 → conv2 256@5×5 pad 2 (two groups) → ReLU
/// → LRN → pool → conv3 384@3×3 pad 1 (across the groups) → conv4 384@3×3 (two groups) →
/// conv5 256@3×3 (two groups) → pool → FC 4096 – dropout – FC 4096 – dropout – FC classes.
///
/// **Input side.** The paper says 224×224, but 11×11 kernels at stride 4 give its 55×55
/// maps only from 227×227 (`(227 − 11)/4 + 1 = 55`; `(224 − 11)/4 + 1 = 54.25`). Ember takes
/// 227×227 as they are, and 224×224 with 2 pixels of zero padding on conv1 (as torchvision
/// does), which also gives 55×55; every later shape and every parameter count is the same.
///
/// **Groups.** The paper trains on two GPUs: conv2, conv4 and conv5 see only the maps of
/// their own GPU (`groups = 2`), conv3 and the dense layers see both. conv1 sees the whole
/// image on both GPUs, which is an ordinary convolution.
pub(super) fn spec() -> Spec {
    let conv = |maps, kernel, stride, padding, grouped| ConvSpec {
        maps,
        kernel,
        stride,
        padding,
        grouped,
    };
    Spec {
        title: "AlexNet (paper: Krizhevsky et al. 2012)",
        convs: [
            conv(96, 11, 4, 0, false),
            conv(256, 5, 1, 2, true),
            conv(384, 3, 1, 1, false),
            conv(384, 3, 1, 1, true),
            conv(256, 3, 1, 1, true),
        ],
        lrn: true,
        pool: (3, 2, 0),
        adaptive: None,
        hidden: 4096,
        dropout_first: false,
        default_side: 227,
        sides: "227 or 224",
    }
}
