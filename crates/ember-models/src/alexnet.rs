//! AlexNet (Krizhevsky, Sutskever & Hinton 2012): the configuration, the three variants as
//! one network of five convolutions and three fully connected layers, its summary, weights
//! under PyTorch's names, and its `Classifier` implementation.
//!
//! Each variant is a [`Spec`] in a file of its own ([`paper`], [`torchvision`], [`small`]);
//! [`AlexNet`] builds any of them.

mod paper;
mod small;
mod torchvision;
pub(crate) mod weights;

use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, LocalResponseNorm};
use burn::prelude::*;
use ember_layers::{
    alexnet_lrn, conv_output_size, ActivationKind, AdaptiveAvgPool2d, AdaptiveAvgPool2dConfig,
    Conv2d, Conv2dConfig, Flatten, InitScheme, Linear, LinearConfig, MaxPool2d, MaxPool2dConfig,
    PaddingConfig2d, Summary,
};
use strum::VariantNames;

use crate::{Hidden, ModelError, Tap};

/// Which AlexNet, by name (`paper`, `torchvision`, `small`; case ignored):
/// [`Display`](std::fmt::Display) gives the name, [`FromStr`](std::str::FromStr) reads it
/// (a [`ModelError`] otherwise).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    strum::Display,
    strum::EnumString,
    strum::VariantNames,
)]
#[serde(rename_all = "lowercase")]
#[strum(
    serialize_all = "lowercase",
    ascii_case_insensitive,
    parse_err_ty = ModelError,
    parse_err_fn = unknown_variant
)]
pub enum AlexNetVariant {
    /// The 2012 paper's network: 96-256-384-384-256 maps, LRN, 227×227 (or 224×224) inputs,
    /// conv2/4/5 in two groups as on the paper's two GPUs.
    Paper,
    /// The network torchvision ships: 64-192-384-256-256 maps, no LRN, adaptive 6×6 average
    /// pooling; loads PyTorch weights by name.
    Torchvision,
    /// The same five convolutions and three dense layers, narrower, for 28×28 and 32×32
    /// images (MNIST, Fashion-MNIST, CIFAR-10) on a CPU; the default.
    #[default]
    Small,
}

fn unknown_variant(name: &str) -> ModelError {
    ModelError::UnknownVariant {
        model: "AlexNet",
        name: name.to_string(),
        choices: AlexNetVariant::VARIANTS.join(", "),
    }
}

/// One convolution of a [`Spec`]: output maps, square kernel, stride, zero padding, and
/// whether the paper splits it in two groups.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConvSpec {
    pub maps: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
    pub grouped: bool,
}

/// The geometry of one variant.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub title: &'static str,
    pub convs: [ConvSpec; 5],
    /// Local response normalisation after conv1 and conv2 (the paper's §3.3).
    pub lrn: bool,
    /// Max-pooling after conv1, conv2 and conv5: `(kernel, stride, padding)`.
    pub pool: (usize, usize, usize),
    /// Adaptive average pooling to this side before the classifier (torchvision).
    pub adaptive: Option<usize>,
    /// Width of the two hidden dense layers.
    pub hidden: usize,
    /// Dropout on the inputs of fc6 and fc7 (torchvision) instead of on the outputs of fc6
    /// and fc7 (the paper: "FC – dropout – FC – dropout – FC").
    pub dropout_first: bool,
    /// The input side used when the configuration gives none.
    pub default_side: usize,
    /// The input sides the variant accepts, for the error message.
    pub sides: &'static str,
}

impl Spec {
    fn of(variant: AlexNetVariant) -> Spec {
        match variant {
            AlexNetVariant::Paper => paper::spec(),
            AlexNetVariant::Torchvision => torchvision::spec(),
            AlexNetVariant::Small => small::spec(),
        }
    }
}

/// Configuration of [`AlexNet`].
#[derive(Config, Debug)]
pub struct AlexNetConfig {
    /// Which network.
    #[config(default = "AlexNetVariant::Small")]
    pub variant: AlexNetVariant,
    /// Number of classes (outputs); the paper's ImageNet has 1,000.
    #[config(default = 1000)]
    pub num_classes: usize,
    /// Channels of the input images: 3 (RGB), or 1 for grey images fed as they are.
    #[config(default = 3)]
    pub in_channels: usize,
    /// Groups of the paper's split convolutions (conv2, conv4, conv5): 2 as on the paper's
    /// two GPUs, or 1 for full connectivity. Only the `paper` variant has split layers.
    #[config(default = 2)]
    pub groups: usize,
    /// Side of the square input images; `None`: the variant's own (paper 227, torchvision
    /// 224, small 32).
    #[config(default = "None")]
    pub input_side: Option<usize>,
    /// Dropout probability before the first two dense layers (the paper's 0.5).
    #[config(default = 0.5)]
    pub dropout: f64,
    /// The hidden layers' activation (default none: ReLU, the paper's).
    pub activation: Option<ActivationKind>,
    /// `Some(true)`: batch norm before every hidden activation (conv1 … conv5, fc6, fc7).
    pub batch_norm: Option<bool>,
    /// How the weights start (default none: burn's initialisation of each layer).
    pub init: Option<InitScheme>,
}

impl AlexNetConfig {
    /// The input side the network takes.
    pub fn side(&self) -> usize {
        self.input_side
            .unwrap_or_else(|| Spec::of(self.variant).default_side)
    }

    /// Checks the settings without building anything.
    ///
    /// # Errors
    /// [`ModelError::Config`] naming the setting, its value and what is accepted.
    pub fn check(&self) -> Result<(), ModelError> {
        let spec = Spec::of(self.variant);
        let bad = |field: &'static str, value: String, allowed: String| ModelError::Config {
            field,
            reason: format!("= {value} is not possible for AlexNet; use {allowed}"),
        };
        if self.num_classes == 0 {
            return Err(bad("num_classes", "0".into(), "1 or more".into()));
        }
        if self.in_channels == 0 {
            return Err(bad("in_channels", "0".into(), "1 or more".into()));
        }
        if !matches!(self.groups, 1 | 2) {
            return Err(bad("groups", self.groups.to_string(), "1 or 2".into()));
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(bad("dropout", self.dropout.to_string(), "[0, 1)".into()));
        }
        if self.feature_side(&spec).is_none() {
            return Err(bad(
                "input_side",
                self.side().to_string(),
                format!("{} for the {} variant", spec.sides, self.variant),
            ));
        }
        Ok(())
    }

    /// conv1's padding: the paper's 224×224 crops get 2 (so 55×55 maps follow, as at 227).
    fn conv1_padding(&self, spec: &Spec) -> usize {
        match (self.variant, self.side()) {
            (AlexNetVariant::Paper, 224) => 2,
            _ => spec.convs[0].padding,
        }
    }

    /// The side of conv5's pooled maps, `None` if the input is too small or (paper) not
    /// 224 or 227.
    fn feature_side(&self, spec: &Spec) -> Option<usize> {
        let side = self.side();
        if self.variant == AlexNetVariant::Paper && !matches!(side, 224 | 227) {
            return None;
        }
        let (pk, ps, pp) = spec.pool;
        let conv = |n: usize, c: &ConvSpec, padding: usize| {
            (n + 2 * padding >= c.kernel).then(|| conv_output_size(n, c.kernel, c.stride, padding))
        };
        let pool = |n: usize| (n + 2 * pp >= pk).then(|| conv_output_size(n, pk, ps, pp));
        let mut n = conv(side, &spec.convs[0], self.conv1_padding(spec)).and_then(pool)?;
        n = conv(n, &spec.convs[1], spec.convs[1].padding).and_then(pool)?;
        for c in &spec.convs[2..] {
            n = conv(n, c, c.padding)?;
        }
        let n = pool(n)?;
        Some(spec.adaptive.unwrap_or(n)).filter(|&n| n > 0)
    }

    /// Builds the network on `device` (seed the device first for a reproducible start).
    ///
    /// # Errors
    /// As [`check`](Self::check).
    pub fn init(&self, device: &Device) -> Result<AlexNet, ModelError> {
        self.check()?;
        let spec = Spec::of(self.variant);
        let side = self.feature_side(&spec).expect("checked");
        let mut channels = self.in_channels;
        let convs: Vec<Conv2d> = spec
            .convs
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let padding = if i == 0 {
                    self.conv1_padding(&spec)
                } else {
                    c.padding
                };
                let groups = if c.grouped { self.groups } else { 1 };
                let conv = Conv2dConfig::new([channels, c.maps], [c.kernel, c.kernel])
                    .with_stride([c.stride, c.stride])
                    .with_padding(PaddingConfig2d::Explicit(
                        padding, padding, padding, padding,
                    ))
                    .with_groups(groups)
                    .init(device);
                channels = c.maps;
                conv
            })
            .collect();
        let [conv1, conv2, conv3, conv4, conv5]: [Conv2d; 5] =
            convs.try_into().expect("five convolutions");
        let (pk, ps, pp) = spec.pool;
        let pool = MaxPool2dConfig::new([pk, pk])
            .with_strides([ps, ps])
            .with_padding(PaddingConfig2d::Explicit(pp, pp, pp, pp))
            .init();
        let features = channels * side * side;
        let activation = self.activation.unwrap_or_default();
        let batch_norm = self.batch_norm == Some(true);
        let hidden = |c: usize| Hidden::new(c, activation, batch_norm, device);
        let net = AlexNet {
            h1: hidden(spec.convs[0].maps),
            h2: hidden(spec.convs[1].maps),
            h3: hidden(spec.convs[2].maps),
            h4: hidden(spec.convs[3].maps),
            h5: hidden(spec.convs[4].maps),
            h6: hidden(spec.hidden),
            h7: hidden(spec.hidden),
            conv1,
            lrn1: spec.lrn.then(|| alexnet_lrn().init()),
            pool1: pool.clone(),
            conv2,
            lrn2: spec.lrn.then(|| alexnet_lrn().init()),
            pool2: pool.clone(),
            conv3,
            conv4,
            conv5,
            pool5: pool,
            adaptive: spec
                .adaptive
                .map(|n| AdaptiveAvgPool2dConfig::new([n, n]).init()),
            flatten: Flatten::new(),
            dropout6: DropoutConfig::new(self.dropout).init(),
            fc6: LinearConfig::new(features, spec.hidden).init(device),
            dropout7: DropoutConfig::new(self.dropout).init(),
            fc7: LinearConfig::new(spec.hidden, spec.hidden).init(device),
            fc8: LinearConfig::new(spec.hidden, self.num_classes).init(device),
            title: spec.title.to_string(),
            input: [self.in_channels, self.side(), self.side()],
            dropout_first: spec.dropout_first,
            frozen_features: false,
        };
        Ok(match self.init {
            Some(scheme) => scheme.apply(net),
            None => net,
        })
    }
}

/// AlexNet in any of its variants ([`AlexNetConfig`]): five convolutions with ReLU, local
/// response normalisation after the first two (`paper`), overlapping 3×3/2 max-pooling
/// after conv1, conv2 and conv5, then dropout – FC – ReLU – dropout – FC – ReLU – FC.
///
/// Parameter names follow the paper's layer numbers (`conv1` … `conv5`, `fc6` … `fc8`);
/// [`AlexNet::PYTORCH_KEYS`] maps torchvision's `features.N` / `classifier.N` onto them.
#[derive(Module, Debug)]
pub struct AlexNet {
    /// conv1.
    pub conv1: Conv2d,
    /// conv1's batch norm and activation (ReLU by default).
    pub h1: Hidden,
    /// LRN after conv1 (paper only).
    pub lrn1: Option<LocalResponseNorm>,
    /// Pooling after conv1.
    pub pool1: MaxPool2d,
    /// conv2 (two groups in the paper).
    pub conv2: Conv2d,
    /// conv2's batch norm and activation.
    pub h2: Hidden,
    /// LRN after conv2 (paper only).
    pub lrn2: Option<LocalResponseNorm>,
    /// Pooling after conv2.
    pub pool2: MaxPool2d,
    /// conv3 (across both groups).
    pub conv3: Conv2d,
    /// conv3's batch norm and activation.
    pub h3: Hidden,
    /// conv4 (two groups in the paper).
    pub conv4: Conv2d,
    /// conv4's batch norm and activation.
    pub h4: Hidden,
    /// conv5 (two groups in the paper).
    pub conv5: Conv2d,
    /// conv5's batch norm and activation.
    pub h5: Hidden,
    /// Pooling after conv5.
    pub pool5: MaxPool2d,
    /// Adaptive average pooling to 6×6 (torchvision only).
    pub adaptive: Option<AdaptiveAvgPool2d>,
    /// Maps to features.
    pub flatten: Flatten,
    /// The first dropout: on fc6's output (paper, small) or on its input (torchvision).
    pub dropout6: Dropout,
    /// fc6.
    pub fc6: Linear,
    /// fc6's batch norm and activation.
    pub h6: Hidden,
    /// The second dropout: on fc7's output (paper, small) or on its input (torchvision).
    pub dropout7: Dropout,
    /// fc7.
    pub fc7: Linear,
    /// fc7's batch norm and activation.
    pub h7: Hidden,
    /// fc8: the logits.
    pub fc8: Linear,
    #[module(skip)]
    title: String,
    #[module(skip)]
    input: [usize; 3],
    #[module(skip)]
    dropout_first: bool,
    /// Whether [`freeze_features`](AlexNet::freeze_features) was called (the flag survives
    /// devices without autodiff, where no parameter requires a gradient).
    #[module(skip)]
    frozen_features: bool,
}

impl AlexNet {
    /// torchvision's parameter names → Ember's, as regular expressions for burn-store's key
    /// remapping (`features.0.weight` → `conv1.weight`, …, `classifier.6.bias` → `fc8.bias`).
    pub const PYTORCH_KEYS: [(&'static str, &'static str); 8] = [
        (r"^features\.0\.", "conv1."),
        (r"^features\.3\.", "conv2."),
        (r"^features\.6\.", "conv3."),
        (r"^features\.8\.", "conv4."),
        (r"^features\.10\.", "conv5."),
        (r"^classifier\.1\.", "fc6."),
        (r"^classifier\.4\.", "fc7."),
        (r"^classifier\.6\.", "fc8."),
    ];

    /// The shape of one input image, `[channels, side, side]`.
    pub fn input_shape(&self) -> [usize; 3] {
        self.input
    }

    /// The convolutions (the feature extractor), in order.
    pub fn features(&self) -> [&Conv2d; 5] {
        [
            &self.conv1,
            &self.conv2,
            &self.conv3,
            &self.conv4,
            &self.conv5,
        ]
    }

    /// The same network with conv1 … conv5 frozen: their parameters get no gradient, so an
    /// optimizer leaves them bit-identical and only fc6 … fc8 learn (fine-tuning the head).
    pub fn freeze_features(mut self) -> Self {
        self.conv1 = self.conv1.no_grad();
        self.conv2 = self.conv2.no_grad();
        self.conv3 = self.conv3.no_grad();
        self.conv4 = self.conv4.no_grad();
        self.conv5 = self.conv5.no_grad();
        self.frozen_features = true;
        self
    }

    /// Whether conv1 … conv5 are frozen ([`freeze_features`](Self::freeze_features)).
    pub fn features_frozen(&self) -> bool {
        self.frozen_features
    }

    /// # Shapes
    /// `[n, c, side, side] -> [n, classes]` logits ([`input_shape`](Self::input_shape)).
    ///
    /// # Panics
    /// If the images are not `[n, c, side, side]` (the message gives both shapes).
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward_with(images, &mut |_, _| {})
    }

    /// [`forward`](Self::forward), handing `tap` each convolution's activations (after its
    /// ReLU, before normalisation and pooling) as they pass: `conv1` … `conv5`.
    fn forward_with(&self, images: Tensor<4>, tap: &mut Tap) -> Tensor<2> {
        let [_, c, h, w] = images.dims();
        let [ec, eh, ew] = self.input;
        assert!(
            [c, h, w] == self.input,
            "{} takes [n, {ec}, {eh}, {ew}] images, got [n, {c}, {h}, {w}]; resize them or \
             build the network with that input side and channel count",
            self.title
        );
        let norm = |lrn: &Option<LocalResponseNorm>, x: Tensor<4>| match lrn {
            Some(lrn) => lrn.forward(x),
            None => x,
        };
        let mut conv = |name: &str, conv: &Conv2d, hidden: &Hidden, x: Tensor<4>| {
            let y = hidden.forward(conv.forward(x));
            tap(name, &y);
            y
        };
        let x = conv("conv1", &self.conv1, &self.h1, images);
        let x = self.pool1.forward(norm(&self.lrn1, x));
        let x = conv("conv2", &self.conv2, &self.h2, x);
        let x = self.pool2.forward(norm(&self.lrn2, x));
        let x = conv("conv3", &self.conv3, &self.h3, x);
        let x = conv("conv4", &self.conv4, &self.h4, x);
        let mut x = self.pool5.forward(conv("conv5", &self.conv5, &self.h5, x));
        if let Some(adaptive) = &self.adaptive {
            x = adaptive.forward(x);
        }
        let x = self.flatten.forward(x);
        if self.dropout_first {
            let x = self.h6.forward(self.fc6.forward(self.dropout6.forward(x)));
            let x = self.h7.forward(self.fc7.forward(self.dropout7.forward(x)));
            self.fc8.forward(x)
        } else {
            let x = self.dropout6.forward(self.h6.forward(self.fc6.forward(x)));
            let x = self.dropout7.forward(self.h7.forward(self.fc7.forward(x)));
            self.fc8.forward(x)
        }
    }

    /// The Keras-style layer table: shapes, parameters, connections and multiply-accumulates
    /// per layer for one input image.
    pub fn summary(&self) -> Summary {
        let title = match self.h1.describe().as_str() {
            "relu" => self.title.clone(),
            hidden => format!("{} ({hidden})", self.title),
        };
        let mut s = Summary::new(title, &self.input).layer("conv1", &self.conv1);
        s = self.h1.summarize(s, "bn1");
        if let Some(lrn) = &self.lrn1 {
            s = s.layer("lrn1", lrn);
        }
        s = s.layer("pool1", &self.pool1).layer("conv2", &self.conv2);
        s = self.h2.summarize(s, "bn2");
        if let Some(lrn) = &self.lrn2 {
            s = s.layer("lrn2", lrn);
        }
        s = s.layer("pool2", &self.pool2).layer("conv3", &self.conv3);
        s = self.h3.summarize(s, "bn3").layer("conv4", &self.conv4);
        s = self.h4.summarize(s, "bn4").layer("conv5", &self.conv5);
        s = self.h5.summarize(s, "bn5").layer("pool5", &self.pool5);
        if let Some(adaptive) = &self.adaptive {
            s = s.layer("avgpool", adaptive);
        }
        s = s.layer("flatten", &self.flatten);
        if self.dropout_first {
            s = s.layer("drop6", &self.dropout6).layer("fc6", &self.fc6);
            s = self.h6.summarize(s, "bn6");
            s = s.layer("drop7", &self.dropout7).layer("fc7", &self.fc7);
            self.h7.summarize(s, "bn7").layer("fc8", &self.fc8)
        } else {
            s = s.layer("fc6", &self.fc6);
            s = self.h6.summarize(s, "bn6").layer("drop6", &self.dropout6);
            s = s.layer("fc7", &self.fc7);
            self.h7
                .summarize(s, "bn7")
                .layer("drop7", &self.dropout7)
                .layer("fc8", &self.fc8)
        }
    }
}

#[cfg(feature = "train")]
impl ember_train::Classifier for AlexNet {
    type Input = Tensor<4>;

    fn logits(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward(images)
    }

    fn num_classes(&self) -> Option<usize> {
        // Linear's weight is [inputs, outputs]; its lazy shape leaves initialisation alone.
        Some(self.fc8.weight.lazy_shape().dims::<2>()[1])
    }

    fn summary(&self) -> String {
        AlexNet::summary(self).to_string()
    }

    fn input_shape(&self) -> Option<Vec<usize>> {
        Some(self.input.to_vec())
    }

    fn feature_maps(&self, images: Tensor<4>) -> Vec<(String, Tensor<4>)> {
        let mut maps = Vec::new();
        self.forward_with(images, &mut |layer, x| {
            maps.push((layer.to_string(), x.clone()))
        });
        maps
    }
}

#[cfg(test)]
mod tests;
