//! LeNet-5 as published: LeCun, Bottou, Bengio, Haffner (1998), "Gradient-based learning
//! applied to document recognition", Proc. IEEE 86(11), §II.B and Appendix A.

use burn::prelude::*;

use crate::Tap;
use ember_layers::{
    Conv2d, Conv2dConfig, Flatten, Initializer, Linear, LinearConfig, PartialConv2d,
    PartialConv2dConfig, ScaledTanh, Subsampling2d, Subsampling2dConfig, Summary,
};

/// LeNet-5 as in the paper: every unit squashes its weighted sum with the scaled tanh
/// `1.7159·tanh(2a/3)`; S2 and S4 are trainable sub-sampling (one coefficient and one bias
/// per map); C3 is connected to S2 through the paper's Table I; C5 is a 5×5 convolution
/// that covers its whole input; F6 has 84 units.
///
/// The paper's output layer is 10 Euclidean RBF units with fixed ±1 bitmaps, trained with
/// a MAP criterion. Here it is a linear layer 84 → classes whose outputs are logits for
/// cross-entropy, the usual substitute.
///
/// Weights start uniform in `±2.4/F`, `F` the fan-in of the unit (Appendix A).
#[derive(Module, Debug)]
pub struct LeNet5Classic {
    /// C1: 6 maps of 5×5 over the 32×32 input.
    pub c1: Conv2d,
    /// S2: trainable 2×2 sub-sampling of C1's 6 maps.
    pub s2: Subsampling2d,
    /// C3: 16 maps of 5×5 over subsets of S2's maps (Table I).
    pub c3: PartialConv2d,
    /// S4: trainable 2×2 sub-sampling of C3's 16 maps.
    pub s4: Subsampling2d,
    /// C5: 120 maps of 5×5 over all of S4 (1×1 outputs).
    pub c5: Conv2d,
    /// 120 × 1 × 1 → 120.
    pub flatten: Flatten,
    /// F6: 120 → 84.
    pub f6: Linear,
    /// Output: 84 → classes (logits).
    pub output: Linear,
    /// The squashing function `A·tanh(S·a)`.
    pub squash: ScaledTanh,
}

/// LeCun's initialisation: uniform in `±2.4 / fan_in`.
fn lecun(fan_in: usize) -> Initializer {
    let bound = 2.4 / fan_in as f64;
    Initializer::Uniform {
        min: -bound,
        max: bound,
    }
}

impl LeNet5Classic {
    /// Builds the network on `device`.
    pub fn new(num_classes: usize, device: &Device) -> Self {
        let mut c3 = PartialConv2dConfig::lenet5_c3();
        let c3_fan_in = c3.table.iter().map(|t| t.len() * 25).sum::<usize>() / c3.table.len();
        c3.initializer = lecun(c3_fan_in);
        Self {
            c1: Conv2dConfig::new([1, 6], [5, 5])
                .with_initializer(lecun(25))
                .init(device),
            s2: Subsampling2dConfig::new(6).init(device),
            c3: c3.init(device),
            s4: Subsampling2dConfig::new(16).init(device),
            c5: Conv2dConfig::new([16, 120], [5, 5])
                .with_initializer(lecun(400))
                .init(device),
            flatten: Flatten::new(),
            f6: LinearConfig::new(120, 84)
                .with_initializer(lecun(120))
                .init(device),
            output: LinearConfig::new(84, num_classes)
                .with_initializer(lecun(84))
                .init(device),
            squash: ScaledTanh::default(),
        }
    }

    /// # Shapes
    /// `[n, 1, 32, 32] -> [n, classes]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward_with(images, &mut |_, _| {})
    }

    /// [`forward`](Self::forward), handing `tap` each convolution's activations as they pass:
    /// `c1` `[n, 6, 28, 28]`, `c3` `[n, 16, 10, 10]` and `c5` `[n, 120, 1, 1]`, squashed.
    pub(crate) fn forward_with(&self, images: Tensor<4>, tap: &mut Tap) -> Tensor<2> {
        let f = &self.squash;
        let x = f.forward(self.c1.forward(images));
        tap("c1", &x);
        let x = f.forward(self.s2.forward(x));
        let x = f.forward(self.c3.forward(x));
        tap("c3", &x);
        let x = f.forward(self.s4.forward(x));
        let x = f.forward(self.c5.forward(x));
        tap("c5", &x);
        let x = f.forward(self.f6.forward(self.flatten.forward(x)));
        self.output.forward(x)
    }

    /// The layer table for a `[1, 32, 32]` input, with the paper's counts.
    pub fn summary(&self) -> Summary {
        Summary::new("LeNet-5 (classic, LeCun et al. 1998)", &[1, 32, 32])
            .layer("C1", &self.c1)
            .layer("S2", &self.s2)
            .layer("C3", &self.c3)
            .layer("S4", &self.s4)
            .layer("C5", &self.c5)
            .layer("Flatten", &self.flatten)
            .layer("F6", &self.f6)
            .layer("Output", &self.output)
    }
}
