//! LeNet-5 as taught today: ReLU and max-pooling (Dive into Deep Learning, §7.6).

use burn::prelude::*;
use burn::tensor::activation::relu;

use crate::Tap;

use ember_layers::{
    Conv2d, Conv2dConfig, Flatten, Linear, LinearConfig, MaxPool2d, MaxPool2dConfig, Summary,
};

/// LeNet-5 with ReLU activations and 2×2 max-pooling; full C3 connectivity.
///
/// `[n, 1, 32, 32]` → C1 conv 6@5×5 → ReLU → max-pool 2 → C3 conv 16@5×5 → ReLU →
/// max-pool 2 → flatten 400 → F5 120 → ReLU → F6 84 → ReLU → output (logits).
#[derive(Module, Debug)]
pub struct LeNet5Modern {
    /// C1: 6 maps of 5×5.
    pub c1: Conv2d,
    /// S2: 2×2 max-pooling.
    pub s2: MaxPool2d,
    /// C3: 16 maps of 5×5 over all 6 maps.
    pub c3: Conv2d,
    /// S4: 2×2 max-pooling.
    pub s4: MaxPool2d,
    /// 16·5·5 → 400 features.
    pub flatten: Flatten,
    /// F5: 400 → 120.
    pub f5: Linear,
    /// F6: 120 → 84.
    pub f6: Linear,
    /// Output: 84 → classes.
    pub output: Linear,
}

impl LeNet5Modern {
    /// Builds the network on `device` with burn's default initialisation.
    pub fn new(num_classes: usize, device: &Device) -> Self {
        Self {
            c1: Conv2dConfig::new([1, 6], [5, 5]).init(device),
            s2: MaxPool2dConfig::new([2, 2]).init(),
            c3: Conv2dConfig::new([6, 16], [5, 5]).init(device),
            s4: MaxPool2dConfig::new([2, 2]).init(),
            flatten: Flatten::new(),
            f5: LinearConfig::new(400, 120).init(device),
            f6: LinearConfig::new(120, 84).init(device),
            output: LinearConfig::new(84, num_classes).init(device),
        }
    }

    /// # Shapes
    /// `[n, 1, 32, 32] -> [n, classes]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward_with(images, &mut |_, _| {})
    }

    /// [`forward`](Self::forward), handing `tap` each convolution's activations as they pass:
    /// `c1` `[n, 6, 28, 28]` and `c3` `[n, 16, 10, 10]`, after their ReLU.
    pub(crate) fn forward_with(&self, images: Tensor<4>, tap: &mut Tap) -> Tensor<2> {
        let x = relu(self.c1.forward(images));
        tap("c1", &x);
        let x = relu(self.c3.forward(self.s2.forward(x)));
        tap("c3", &x);
        let x = relu(self.f5.forward(self.flatten.forward(self.s4.forward(x))));
        self.output.forward(relu(self.f6.forward(x)))
    }

    /// The layer table for a `[1, 32, 32]` input.
    pub fn summary(&self) -> Summary {
        Summary::new("LeNet-5 (modern: ReLU, max-pooling)", &[1, 32, 32])
            .layer("C1", &self.c1)
            .layer("S2", &self.s2)
            .layer("C3", &self.c3)
            .layer("S4", &self.s4)
            .layer("Flatten", &self.flatten)
            .layer("F5", &self.f5)
            .layer("F6", &self.f6)
            .layer("Output", &self.output)
    }
}
