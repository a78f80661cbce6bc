//! Choosing a network's activation by name (`--activation`), as one module type.

use burn::prelude::*;
use strum::VariantNames;

use super::{
    LeakyRelu, LeakyReluConfig, PRelu, PReluConfig, RRelu, RReluConfig, Relu, Sigmoid, Tanh,
};

/// An activation by name: `sigmoid`, `tanh`, `relu`, `leaky-relu` (slope 0.01), `prelu`
/// (learnable slopes, one per channel, from 0.25) or `rrelu` (random slopes `U(1/8, 1/3)` in
/// training, their mean at evaluation). [`ActivationKind::init`] builds it for a layer of
/// `channels` channels (PReLU's slope count); the others have no parameters.
///
/// ```
/// use burn::prelude::*;
/// use ember_layers::ActivationKind;
///
/// let device = Device::flex();
/// let kind: ActivationKind = "leaky-relu".parse()?;
/// let act = kind.init(3, &device);
/// let y = act.forward(Tensor::<2>::from_data([[-1.0f32, 0.0, 2.0]], &device));
/// assert_eq!(y.into_data().try_to_vec::<f32>().unwrap(), [-0.01, 0.0, 2.0]);
/// # Ok::<(), ember_layers::UnknownActivation>(())
/// ```
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
#[serde(rename_all = "kebab-case")]
#[strum(
    serialize_all = "kebab-case",
    ascii_case_insensitive,
    parse_err_ty = UnknownActivation,
    parse_err_fn = unknown_activation
)]
pub enum ActivationKind {
    /// `1/(1 + e^−x)`.
    Sigmoid,
    /// `tanh(x)`.
    Tanh,
    /// `max(0, x)`; the default.
    #[default]
    Relu,
    /// `x`, or `0.01·x` below 0.
    LeakyRelu,
    /// `x`, or `a_c·x` below 0 with a learnable slope per channel.
    #[strum(serialize = "prelu")]
    #[serde(rename = "prelu")]
    PRelu,
    /// `x`, or `a·x` below 0 with `a ~ U(1/8, 1/3)` per element in training.
    #[strum(serialize = "rrelu")]
    #[serde(rename = "rrelu")]
    RRelu,
}

/// An `--activation` name that is not an [`ActivationKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown activation `{name}`; choose one of {choices}")]
pub struct UnknownActivation {
    /// The name given.
    pub name: String,
    /// The names accepted.
    pub choices: String,
}

fn unknown_activation(name: &str) -> UnknownActivation {
    UnknownActivation {
        name: name.trim().to_string(),
        choices: ActivationKind::NAMES.join(", "),
    }
}

impl ActivationKind {
    /// The names [`FromStr`](std::str::FromStr) accepts (case ignored).
    pub const NAMES: &'static [&'static str] = Self::VARIANTS;

    /// The activation of a layer with `channels` channels (the size of dimension 1 of its
    /// output), on `device`.
    pub fn init(&self, channels: usize, device: &Device) -> ChosenActivation {
        match self {
            ActivationKind::Sigmoid => ChosenActivation::Sigmoid(Sigmoid::new()),
            ActivationKind::Tanh => ChosenActivation::Tanh(Tanh::new()),
            ActivationKind::Relu => ChosenActivation::Relu(Relu::new()),
            ActivationKind::LeakyRelu => ChosenActivation::LeakyRelu(LeakyReluConfig::new().init()),
            ActivationKind::PRelu => ChosenActivation::PRelu(
                PReluConfig::new()
                    .with_num_parameters(channels)
                    .init(device),
            ),
            ActivationKind::RRelu => ChosenActivation::RRelu(RReluConfig::new().init()),
        }
    }
}

/// The module an [`ActivationKind`] builds.
#[derive(Module, Debug)]
pub enum ChosenActivation {
    /// [`Sigmoid`].
    Sigmoid(Sigmoid),
    /// [`Tanh`].
    Tanh(Tanh),
    /// [`Relu`].
    Relu(Relu),
    /// [`LeakyRelu`].
    LeakyRelu(LeakyRelu),
    /// [`PRelu`].
    PRelu(PRelu),
    /// [`RRelu`].
    RRelu(RRelu),
}

impl ChosenActivation {
    /// Which activation this is.
    pub fn kind(&self) -> ActivationKind {
        match self {
            ChosenActivation::Sigmoid(_) => ActivationKind::Sigmoid,
            ChosenActivation::Tanh(_) => ActivationKind::Tanh,
            ChosenActivation::Relu(_) => ActivationKind::Relu,
            ChosenActivation::LeakyRelu(_) => ActivationKind::LeakyRelu,
            ChosenActivation::PRelu(_) => ActivationKind::PRelu,
            ChosenActivation::RRelu(_) => ActivationKind::RRelu,
        }
    }

    /// # Shapes
    /// `[batch, channels, …]` in and out.
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        match self {
            ChosenActivation::Sigmoid(a) => a.forward(x),
            ChosenActivation::Tanh(a) => a.forward(x),
            ChosenActivation::Relu(a) => a.forward(x),
            ChosenActivation::LeakyRelu(a) => a.forward(x),
            ChosenActivation::PRelu(a) => a.forward(x),
            ChosenActivation::RRelu(a) => a.forward(x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{assert_close, for_each_device, values};

    #[test]
    fn every_name_parses_back_to_its_kind() {
        for &name in ActivationKind::NAMES {
            let kind: ActivationKind = name.parse().unwrap();
            assert_eq!(kind.to_string(), name);
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{name}\""));
        }
        assert_eq!(
            ActivationKind::NAMES,
            ["sigmoid", "tanh", "relu", "leaky-relu", "prelu", "rrelu"]
        );
        let err = "swish".parse::<ActivationKind>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown activation `swish`; choose one of sigmoid, tanh, relu, leaky-relu, prelu, rrelu"
        );
    }

    #[test]
    fn each_kind_computes_its_formula() {
        // x = (−2, 0, 1.5); rrelu on a plain device evaluates: slope (1/8 + 1/3)/2 = 11/48.
        let x = [-2.0f32, 0.0, 1.5];
        let sigmoid = |v: f32| 1.0 / (1.0 + (-v).exp());
        let cases = [
            (ActivationKind::Sigmoid, x.map(sigmoid)),
            (ActivationKind::Tanh, x.map(f32::tanh)),
            (ActivationKind::Relu, [0.0, 0.0, 1.5]),
            (ActivationKind::LeakyRelu, [-0.02, 0.0, 1.5]),
            (ActivationKind::PRelu, [-0.5, 0.0, 1.5]),
            (ActivationKind::RRelu, [-2.0 * 11.0 / 48.0, 0.0, 1.5]),
        ];
        for_each_device(|device| {
            for (kind, want) in cases {
                let act = kind.init(3, device);
                assert_eq!(act.kind(), kind);
                let y = act.forward(Tensor::<2>::from_data([x], device));
                assert_close(&values(y), &want, 1e-6, &kind.to_string());
            }
        });
    }

    #[test]
    fn prelu_has_one_learnable_slope_per_channel() {
        for_each_device(|device| {
            let act = ActivationKind::PRelu.init(6, device);
            assert_eq!(act.num_params(), 6);
            let y = act.forward(Tensor::<4>::ones([2, 6, 3, 3], device).neg());
            assert_close(&values(y.mean()), &[-0.25], 1e-6, "0.25 slopes");
            assert_eq!(ActivationKind::Relu.init(6, device).num_params(), 0);
        });
    }
}
