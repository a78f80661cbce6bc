//! LeNet-5 as taught today: ReLU and max-pooling (Dive into Deep Learning, §7.6).

use burn::prelude::*;
use ember_layers::{
    ActivationKind, Conv2d, Conv2dConfig, Dropout, DropoutConfig, Flatten, Linear, LinearConfig,
    MaxPool2d, MaxPool2dConfig, Summary,
};

use crate::{Hidden, Tap};

/// LeNet-5 with ReLU activations (or another [`ActivationKind`]) and 2×2 max-pooling; full
/// C3 connectivity; optionally batch normalisation after every conv and hidden dense layer,
/// before its activation (d2l §8.5), and dropout after each hidden dense layer.
///
/// `[n, 1, 32, 32]` → C1 conv 6@5×5 → (BN) → ReLU → max-pool 2 → C3 conv 16@5×5 → (BN) →
/// ReLU → max-pool 2 → flatten 400 → F5 120 → (BN) → ReLU → (dropout) → F6 84 → (BN) →
/// ReLU → (dropout) → output (logits).
#[derive(Module, Debug)]
pub struct LeNet5Modern {
    /// C1: 6 maps of 5×5.
    pub c1: Conv2d,
    /// C1's batch norm and activation.
    pub h1: Hidden,
    /// S2: 2×2 max-pooling.
    pub s2: MaxPool2d,
    /// C3: 16 maps of 5×5 over all 6 maps.
    pub c3: Conv2d,
    /// C3's batch norm and activation.
    pub h3: Hidden,
    /// S4: 2×2 max-pooling.
    pub s4: MaxPool2d,
    /// 16·5·5 → 400 features.
    pub flatten: Flatten,
    /// F5: 400 → 120.
    pub f5: Linear,
    /// F5's batch norm and activation.
    pub h5: Hidden,
    /// Dropout after F5's and F6's activations (probability 0 by default: none).
    pub dropout: Dropout,
    /// F6: 120 → 84.
    pub f6: Linear,
    /// F6's batch norm and activation.
    pub h6: Hidden,
    /// Output: 84 → classes.
    pub output: Linear,
}

impl LeNet5Modern {
    /// Builds the network on `device` with burn's default initialisation, ReLU, no batch
    /// norm and no dropout.
    pub fn new(num_classes: usize, device: &Device) -> Self {
        Self::with(num_classes, ActivationKind::Relu, false, 0.0, device)
    }

    /// Builds the network with `activation` after every hidden layer, batch norm before
    /// each activation when `batch_norm` is set, and `dropout` (a probability in `[0, 1)`)
    /// after the hidden dense layers.
    pub fn with(
        num_classes: usize,
        activation: ActivationKind,
        batch_norm: bool,
        dropout: f64,
        device: &Device,
    ) -> Self {
        let hidden = |c: usize| Hidden::new(c, activation, batch_norm, device);
        Self {
            c1: Conv2dConfig::new([1, 6], [5, 5]).init(device),
            h1: hidden(6),
            s2: MaxPool2dConfig::new([2, 2]).init(),
            c3: Conv2dConfig::new([6, 16], [5, 5]).init(device),
            h3: hidden(16),
            s4: MaxPool2dConfig::new([2, 2]).init(),
            flatten: Flatten::new(),
            f5: LinearConfig::new(400, 120).init(device),
            h5: hidden(120),
            dropout: DropoutConfig::new(dropout).init(),
            f6: LinearConfig::new(120, 84).init(device),
            h6: hidden(84),
            output: LinearConfig::new(84, num_classes).init(device),
        }
    }

    /// # Shapes
    /// `[n, 1, 32, 32] -> [n, classes]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward_with(images, &mut |_, _| {})
    }

    /// [`forward`](Self::forward), handing `tap` each convolution's activations as they pass:
    /// `c1` `[n, 6, 28, 28]` and `c3` `[n, 16, 10, 10]`, after their activation.
    pub(crate) fn forward_with(&self, images: Tensor<4>, tap: &mut Tap) -> Tensor<2> {
        let x = self.h1.forward(self.c1.forward(images));
        tap("c1", &x);
        let x = self.h3.forward(self.c3.forward(self.s2.forward(x)));
        tap("c3", &x);
        let x = self.f5.forward(self.flatten.forward(self.s4.forward(x)));
        let x = self.dropout.forward(self.h5.forward(x));
        let x = self.dropout.forward(self.h6.forward(self.f6.forward(x)));
        self.output.forward(x)
    }

    /// The layer table for a `[1, 32, 32]` input (batch norms included when present; the
    /// activations are not rows, and PReLU's slopes are not counted).
    pub fn summary(&self) -> Summary {
        let title = format!("LeNet-5 (modern: {}, max-pooling)", self.h1.describe());
        let s = Summary::new(title, &[1, 32, 32]).layer("C1", &self.c1);
        let s = self
            .h1
            .summarize(s, "BN1")
            .layer("S2", &self.s2)
            .layer("C3", &self.c3);
        let s = self
            .h3
            .summarize(s, "BN3")
            .layer("S4", &self.s4)
            .layer("Flatten", &self.flatten)
            .layer("F5", &self.f5);
        let s = self.h5.summarize(s, "BN5").layer("F6", &self.f6);
        self.h6.summarize(s, "BN6").layer("Output", &self.output)
    }
}
