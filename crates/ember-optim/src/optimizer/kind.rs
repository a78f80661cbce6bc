//! Choosing an optimizer by name, with PyTorch's defaults.

use std::str::FromStr;

use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{
    AdaGradConfig, AdamConfig, AdamWConfig, ModuleOptimizer, RmsPropConfig, SgdConfig,
};

use strum::{EnumCount, VariantNames};

use super::adadelta::AdadeltaConfig;
use crate::OptimError;

/// An optimizer chosen by name (`--optimizer sgd|momentum|nesterov|adagrad|adadelta|rmsprop|
/// adam|adamw`), built as burn's [`ModuleOptimizer`] with PyTorch's defaults where burn's
/// differ. `η` is the learning rate burn passes to every step (or a schedule gives), `g` the
/// gradient, all operations element-wise, every state starting at 0.
///
/// - `Sgd`: `θ ← θ − η·g`.
/// - `Momentum` (heavy ball, PyTorch's `SGD(momentum=μ)`, dampening 0; burn's
///   `MomentumConfig` defaults to dampening 0.1): `v ← μ·v + g` (`v₁ = g₁`), `θ ← θ − η·v`.
/// - `Nesterov` (PyTorch's `SGD(momentum=μ, nesterov=True)`): `v ← μ·v + g`,
///   `θ ← θ − η·(g + μ·v)`.
/// - `Adagrad` (Duchi et al. 2011): `s ← s + g²`, `θ ← θ − η·g/(√s + ε)`; ε = 1e-10 as in
///   PyTorch (burn's default is 1e-5).
/// - `Adadelta` (Zeiler 2012): see [`Adadelta`](super::adadelta::Adadelta); ρ = 0.9,
///   ε = 1e-6, and PyTorch's learning rate is 1.0.
/// - `RmsProp` (Hinton's lecture 6e): `s ← α·s + (1−α)·g²`, `θ ← θ − η·g/(√s + ε)`;
///   α = 0.99, ε = 1e-8 and no momentum as in PyTorch (burn's defaults: ε = 1e-5,
///   momentum 0.9).
/// - `Adam` (Kingma & Ba 2015): `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
///   `θ ← θ − η·m̂/(√v̂ + ε)` with `m̂ = m/(1−β₁ᵗ)`, `v̂ = v/(1−β₂ᵗ)`; ε = 1e-8 as in
///   PyTorch (burn's default is 1e-5).
/// - `AdamW` (Loshchilov & Hutter 2019): Adam's step plus a decoupled decay,
///   `θ ← θ·(1 − η·λ) − η·m̂/(√v̂ + ε)`; λ = 1e-2, ε = 1e-8 as in PyTorch (burn's
///   defaults: λ = 1e-4, ε = 1e-5).
///
/// [`Display`](std::fmt::Display) gives the name alone; serde the name and the parameters.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    serde::Serialize,
    serde::Deserialize,
    strum::Display,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::EnumCount,
)]
#[serde(tag = "name", rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum OptimizerKind {
    /// Plain stochastic gradient descent.
    Sgd,
    /// SGD with (heavy-ball) momentum `μ`, dampening 0.
    Momentum {
        /// The momentum `μ` (default 0.9).
        momentum: f64,
    },
    /// SGD with Nesterov momentum `μ`, dampening 0.
    Nesterov {
        /// The momentum `μ` (default 0.9).
        momentum: f64,
    },
    /// Adagrad.
    Adagrad {
        /// ε (default 1e-10).
        epsilon: f32,
    },
    /// Adadelta.
    Adadelta {
        /// ρ (default 0.9).
        rho: f32,
        /// ε (default 1e-6).
        epsilon: f32,
    },
    /// RMSprop, without momentum and not centred.
    RmsProp {
        /// The decay α of the squared-gradient average (default 0.99).
        alpha: f32,
        /// ε (default 1e-8).
        epsilon: f32,
    },
    /// Adam.
    Adam {
        /// β₁ (default 0.9).
        beta_1: f32,
        /// β₂ (default 0.999).
        beta_2: f32,
        /// ε (default 1e-8).
        epsilon: f32,
    },
    /// AdamW: Adam with decoupled weight decay.
    AdamW {
        /// β₁ (default 0.9).
        beta_1: f32,
        /// β₂ (default 0.999).
        beta_2: f32,
        /// ε (default 1e-8).
        epsilon: f32,
        /// The decoupled decay λ (default 1e-2).
        weight_decay: f32,
    },
}

impl OptimizerKind {
    /// The names accepted by [`FromStr`], each giving PyTorch's defaults.
    pub const NAMES: &'static [&'static str] = Self::VARIANTS;

    /// Every kind with PyTorch's defaults, in the order of [`Self::NAMES`].
    const DEFAULTS: [OptimizerKind; Self::COUNT] = {
        let (beta_1, beta_2, epsilon) = (0.9, 0.999, 1e-8);
        [
            OptimizerKind::Sgd,
            OptimizerKind::Momentum { momentum: 0.9 },
            OptimizerKind::Nesterov { momentum: 0.9 },
            OptimizerKind::Adagrad { epsilon: 1e-10 },
            OptimizerKind::Adadelta {
                rho: 0.9,
                epsilon: 1e-6,
            },
            OptimizerKind::RmsProp {
                alpha: 0.99,
                epsilon,
            },
            OptimizerKind::Adam {
                beta_1,
                beta_2,
                epsilon,
            },
            OptimizerKind::AdamW {
                beta_1,
                beta_2,
                epsilon,
                weight_decay: 1e-2,
            },
        ]
    };

    /// The name of this kind (its [`Display`](std::fmt::Display)).
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// Builds the optimizer. `weight_decay = Some(λ)` adds `λ·θ` to every gradient (an L2
    /// penalty `λ/2·Σθ²` on the loss), except for `AdamW`, whose decay is decoupled from the
    /// gradient: there `λ` replaces the kind's own `weight_decay`.
    pub fn init(&self, weight_decay: Option<f32>) -> ModuleOptimizer {
        let decay = weight_decay.map(WeightDecayConfig::new);
        match *self {
            OptimizerKind::Sgd => SgdConfig::new().with_weight_decay(decay).init(),
            OptimizerKind::Momentum { momentum } => sgd_with_momentum(momentum, false, decay),
            OptimizerKind::Nesterov { momentum } => sgd_with_momentum(momentum, true, decay),
            OptimizerKind::Adagrad { epsilon } => AdaGradConfig::new()
                .with_epsilon(epsilon)
                .with_weight_decay(decay)
                .init(),
            OptimizerKind::Adadelta { rho, epsilon } => AdadeltaConfig::new()
                .with_rho(rho)
                .with_epsilon(epsilon)
                .with_weight_decay(decay)
                .init(),
            OptimizerKind::RmsProp { alpha, epsilon } => RmsPropConfig::new()
                .with_alpha(alpha)
                .with_epsilon(epsilon)
                .with_momentum(0.0)
                .with_weight_decay(decay)
                .init(),
            OptimizerKind::Adam {
                beta_1,
                beta_2,
                epsilon,
            } => AdamConfig::new()
                .with_beta_1(beta_1)
                .with_beta_2(beta_2)
                .with_epsilon(epsilon)
                .with_weight_decay(decay)
                .init(),
            OptimizerKind::AdamW {
                beta_1,
                beta_2,
                epsilon,
                weight_decay: own,
            } => AdamWConfig::new()
                .with_beta_1(beta_1)
                .with_beta_2(beta_2)
                .with_epsilon(epsilon)
                .with_weight_decay(weight_decay.unwrap_or(own))
                .init(),
        }
    }
}

fn sgd_with_momentum(
    momentum: f64,
    nesterov: bool,
    decay: Option<WeightDecayConfig>,
) -> ModuleOptimizer {
    let momentum = MomentumConfig::new()
        .with_momentum(momentum)
        .with_dampening(0.0)
        .with_nesterov(nesterov);
    SgdConfig::new()
        .with_weight_decay(decay)
        .with_momentum(Some(momentum))
        .init()
}

impl FromStr for OptimizerKind {
    type Err = OptimError;

    /// One of [`OptimizerKind::NAMES`] (case and surrounding spaces ignored), with PyTorch's
    /// defaults.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        Self::DEFAULTS
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| OptimError::UnknownName {
                what: "optimizer",
                name: name.to_string(),
                choices: Self::NAMES.join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_to_a_kind_of_that_name() {
        assert_eq!(OptimizerKind::NAMES.len(), OptimizerKind::DEFAULTS.len());
        for &name in OptimizerKind::NAMES {
            let kind: OptimizerKind = name.parse().unwrap();
            assert_eq!(kind.name(), name);
            assert_eq!(kind.to_string(), name);
        }
        let kind: OptimizerKind = " AdamW ".parse().unwrap();
        assert_eq!(kind.name(), "adamw");
    }

    #[test]
    fn unknown_names_list_the_choices() {
        let err = "lbfgs".parse::<OptimizerKind>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown optimizer `lbfgs`; choose one of: sgd, momentum, nesterov, adagrad, \
             adadelta, rmsprop, adam, adamw"
        );
    }

    #[test]
    fn names_give_pytorchs_defaults() {
        let adam: OptimizerKind = "adam".parse().unwrap();
        let expected = OptimizerKind::Adam {
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-8,
        };
        assert_eq!(adam, expected);
        let momentum: OptimizerKind = "MOMENTUM".parse().unwrap();
        assert_eq!(momentum, OptimizerKind::Momentum { momentum: 0.9 });
    }

    #[test]
    fn serde_names_the_kind_and_its_hyperparameters() {
        let kind: OptimizerKind = "adadelta".parse().unwrap();
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, r#"{"name":"adadelta","rho":0.9,"epsilon":0.000001}"#);
        let back: OptimizerKind = serde_json::from_str(&json).unwrap();
        assert_eq!(back, kind);
        let kind: OptimizerKind =
            serde_json::from_str(r#"{"name":"rmsprop","alpha":0.9,"epsilon":1e-8}"#).unwrap();
        assert_eq!(
            kind,
            OptimizerKind::RmsProp {
                alpha: 0.9,
                epsilon: 1e-8
            }
        );
    }
}
