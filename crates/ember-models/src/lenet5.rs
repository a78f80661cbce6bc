//! LeNet-5 (LeCun et al. 1998): the configuration, the two variants behind one type, and
//! its `Classifier` implementation.

mod classic;
mod modern;

pub use classic::LeNet5Classic;
pub use modern::LeNet5Modern;

use burn::prelude::*;
use ember_layers::{ActivationKind, InitScheme, Summary};
use strum::VariantNames;

use crate::{ModelError, Tap};

/// Which LeNet-5, by name (`modern`, `classic`; case ignored): [`Display`](std::fmt::Display)
/// gives the name, [`FromStr`](std::str::FromStr) reads it (a [`ModelError`] otherwise).
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
pub enum LeNetVariant {
    /// ReLU and max-pooling, full connectivity ([`LeNet5Modern`]); the default.
    #[default]
    Modern,
    /// The 1998 paper's network ([`LeNet5Classic`]).
    Classic,
}

fn unknown_variant(name: &str) -> ModelError {
    ModelError::UnknownVariant {
        model: "LeNet-5",
        name: name.to_string(),
        choices: LeNetVariant::VARIANTS.join(", "),
    }
}

/// Configuration of [`LeNet5`].
#[derive(Config, Debug)]
pub struct LeNet5Config {
    /// Which network.
    #[config(default = "LeNetVariant::Modern")]
    pub variant: LeNetVariant,
    /// Number of classes (outputs).
    #[config(default = 10)]
    pub num_classes: usize,
    /// The modern variant's activation (default none: ReLU). The classic variant has the
    /// paper's scaled tanh and takes none.
    pub activation: Option<ActivationKind>,
    /// `Some(true)`: batch norm before every hidden activation (modern variant only).
    pub batch_norm: Option<bool>,
    /// Dropout probability after the hidden dense layers, in `[0, 1)` (modern variant only;
    /// default none).
    pub dropout: Option<f64>,
    /// How the weights start (default none: burn's initialisation of each layer).
    pub init: Option<InitScheme>,
}

impl LeNet5Config {
    /// Checks that the settings fit the variant.
    ///
    /// # Errors
    /// [`ModelError::Config`] for an activation or batch norm asked of the classic variant.
    pub fn check(&self) -> Result<(), ModelError> {
        let classic = self.variant == LeNetVariant::Classic;
        let refuse = |field, what: &str| {
            ModelError::Config {
            field,
            reason: format!(
                "{what}: the classic LeNet-5 is the 1998 paper's network (scaled tanh,                  trainable sub-sampling); use --variant modern"
            ),
        }
        };
        if classic && self.activation.is_some() {
            return Err(refuse("activation", "sets the hidden activation"));
        }
        if classic && self.batch_norm == Some(true) {
            return Err(refuse("batch_norm", "adds batch norm"));
        }
        if let Some(p) = self.dropout {
            if classic {
                return Err(refuse("dropout", "adds dropout"));
            }
            if !(0.0..1.0).contains(&p) {
                return Err(ModelError::Config {
                    field: "dropout",
                    reason: format!("= {p} must be a probability in [0, 1)"),
                });
            }
        }
        Ok(())
    }

    /// Builds the network on `device` (seed the device first for a reproducible start).
    ///
    /// # Panics
    /// When [`check`](Self::check) fails.
    pub fn init(&self, device: &Device) -> LeNet5 {
        if let Err(e) = self.check() {
            panic!("{e}");
        }
        let net = match self.variant {
            LeNetVariant::Modern => LeNet5::Modern(LeNet5Modern::with(
                self.num_classes,
                self.activation.unwrap_or_default(),
                self.batch_norm == Some(true),
                self.dropout.unwrap_or(0.0),
                device,
            )),
            LeNetVariant::Classic => LeNet5::Classic(LeNet5Classic::new(self.num_classes, device)),
        };
        match self.init {
            Some(scheme) => scheme.apply(net),
            None => net,
        }
    }
}

/// LeNet-5 (LeCun et al. 1998) in either variant. Input: grey images padded to 32×32
/// (`ImageBatcher::with_padding(2)` in ember-data does it for MNIST's 28×28 digits).
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)] // one model per program: the size difference is moot.
pub enum LeNet5 {
    /// ReLU, max-pooling.
    Modern(LeNet5Modern),
    /// The paper's network.
    Classic(LeNet5Classic),
}

impl LeNet5 {
    /// The input side the network expects.
    pub const INPUT_SIDE: usize = 32;

    /// # Shapes
    /// `[n, 1, 32, 32] -> [n, classes]` logits.
    ///
    /// # Panics
    /// If the images are not `[n, 1, 32, 32]` (the message gives the shape received).
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward_with(images, &mut |_, _| {})
    }

    /// [`forward`](Self::forward), handing `tap` each convolution's activations (after its
    /// activation function) as they pass, named after the layer: `c1`, `c3` (and `c5` in
    /// the classic network).
    fn forward_with(&self, images: Tensor<4>, tap: &mut Tap) -> Tensor<2> {
        let [_, c, h, w] = images.dims();
        assert!(
            c == 1 && h == Self::INPUT_SIDE && w == Self::INPUT_SIDE,
            "LeNet-5 takes [n, 1, 32, 32] images, got [n, {c}, {h}, {w}]; pad 28x28 digits by 2"
        );
        match self {
            LeNet5::Modern(m) => m.forward_with(images, tap),
            LeNet5::Classic(m) => m.forward_with(images, tap),
        }
    }

    /// The Keras-style layer table.
    pub fn summary(&self) -> Summary {
        match self {
            LeNet5::Modern(m) => m.summary(),
            LeNet5::Classic(m) => m.summary(),
        }
    }
}

#[cfg(feature = "train")]
impl ember_train::Classifier for LeNet5 {
    type Input = Tensor<4>;

    fn logits(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward(images)
    }

    fn num_classes(&self) -> Option<usize> {
        let output = match self {
            LeNet5::Modern(m) => &m.output,
            LeNet5::Classic(m) => &m.output,
        };
        // Linear's weight is [inputs, outputs]; its lazy shape leaves initialisation alone.
        Some(output.weight.lazy_shape().dims::<2>()[1])
    }

    fn summary(&self) -> String {
        LeNet5::summary(self).to_string()
    }

    fn input_shape(&self) -> Option<Vec<usize>> {
        Some(vec![1, Self::INPUT_SIDE, Self::INPUT_SIDE])
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
