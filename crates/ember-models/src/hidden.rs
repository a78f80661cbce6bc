//! What follows a hidden layer's affine map in LeNet-5 (modern) and AlexNet: batch norm
//! when asked for, then the chosen activation.

use burn::prelude::*;
use ember_layers::{ActivationKind, BatchNorm, BatchNormConfig, ChosenActivation, Summary};

/// `activation(bn(x))`, or `activation(x)` without batch norm (d2l §8.5 places batch norm
/// between the affine map and the activation).
#[derive(Module, Debug)]
pub struct Hidden {
    /// Batch norm over the layer's channels (or units), when the network has it.
    pub norm: Option<BatchNorm>,
    /// The activation.
    pub activation: ChosenActivation,
}

impl Hidden {
    /// For a layer of `channels` channels (units, for a dense layer).
    pub fn new(
        channels: usize,
        activation: ActivationKind,
        batch_norm: bool,
        device: &Device,
    ) -> Self {
        Hidden {
            norm: batch_norm.then(|| BatchNormConfig::new(channels).init(device)),
            activation: activation.init(channels, device),
        }
    }

    /// # Shapes
    /// `[batch, channels, …]` in and out.
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        let x = match &self.norm {
            Some(bn) => bn.forward(x),
            None => x,
        };
        self.activation.forward(x)
    }

    /// `summary` with the batch norm's row, named `name`, when there is one.
    pub(crate) fn summarize(&self, summary: Summary, name: &str) -> Summary {
        match &self.norm {
            Some(bn) => summary.layer(name, bn),
            None => summary,
        }
    }

    /// How the network's hidden layers are described in its summary title:
    /// `relu`, or `relu, batch norm`.
    pub(crate) fn describe(&self) -> String {
        match self.norm {
            Some(_) => format!("{}, batch norm", self.activation.kind()),
            None => self.activation.kind().to_string(),
        }
    }
}
