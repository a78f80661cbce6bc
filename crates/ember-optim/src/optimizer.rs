//! Choosing an optimizer by name, with PyTorch's defaults.

use std::fmt;
use std::str::FromStr;

use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, ModuleOptimizer, SgdConfig};

/// An optimizer chosen by name (`--optimizer sgd|momentum|adam`), built as burn's
/// [`ModuleOptimizer`] with the defaults of PyTorch rather than burn's where they differ.
///
/// - `Sgd`: `θ ← θ − η·g`.
/// - `Momentum` (PyTorch's SGD with momentum, dampening 0; burn's default dampening is 0.1):
///   `v ← μ·v + g` (`v₁ = g₁`), `θ ← θ − η·v`.
/// - `Adam` (Kingma & Ba 2015): `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
///   `θ ← θ − η·m̂/(√v̂ + ε)` with `m̂ = m/(1−β₁ᵗ)`, `v̂ = v/(1−β₂ᵗ)`; ε = 1e-8 as in
///   PyTorch (burn's default is 1e-5).
///
/// The learning rate `η` is not part of the optimizer in burn: it is passed to each step
/// (or comes from a schedule).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum OptimizerKind {
    /// Plain stochastic gradient descent.
    Sgd,
    /// SGD with (heavy-ball) momentum `μ`, dampening 0.
    Momentum {
        /// The momentum `μ` (default 0.9).
        momentum: f64,
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
}

impl OptimizerKind {
    /// The names accepted by [`FromStr`].
    pub const NAMES: [&'static str; 3] = ["sgd", "momentum", "adam"];

    /// The name of this kind.
    pub fn name(&self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum { .. } => "momentum",
            OptimizerKind::Adam { .. } => "adam",
        }
    }

    /// Builds the optimizer; `weight_decay` adds `λ·θ` to every gradient (L2 penalty).
    pub fn init(&self, weight_decay: Option<f32>) -> ModuleOptimizer {
        let decay = weight_decay.map(WeightDecayConfig::new);
        match *self {
            OptimizerKind::Sgd => SgdConfig::new().with_weight_decay(decay).init(),
            OptimizerKind::Momentum { momentum } => SgdConfig::new()
                .with_weight_decay(decay)
                .with_momentum(Some(
                    MomentumConfig::new()
                        .with_momentum(momentum)
                        .with_dampening(0.0),
                ))
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
        }
    }
}

impl fmt::Display for OptimizerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OptimizerKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sgd" => Ok(OptimizerKind::Sgd),
            "momentum" => Ok(OptimizerKind::Momentum { momentum: 0.9 }),
            "adam" => Ok(OptimizerKind::Adam {
                beta_1: 0.9,
                beta_2: 0.999,
                epsilon: 1e-8,
            }),
            other => Err(format!(
                "unknown optimizer `{other}`; choose one of: {}",
                Self::NAMES.join(", ")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::Param;
    use burn::optim::GradientsParams;
    use burn::prelude::*;

    #[derive(Module, Debug)]
    struct Scalar {
        w: Param<Tensor<1>>,
    }

    /// Minimises f(w) = w²/2 (gradient w) from w = 1 with η = 0.1; returns w after each step.
    fn trajectory(kind: OptimizerKind, steps: usize) -> Vec<f32> {
        let device = Device::flex().autodiff();
        let mut model = Scalar {
            w: Param::from_tensor(Tensor::from_data([1.0f32], &device)),
        };
        let mut optim = kind.init(None);
        let mut out = Vec::new();
        for _ in 0..steps {
            let loss = model.w.val().powf_scalar(2.0).mul_scalar(0.5).sum();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optim.step(0.1, model, grads);
            out.push(model.w.val().into_scalar::<f32>());
        }
        out
    }

    fn close(a: &[f32], b: &[f32]) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-6, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn sgd_follows_the_update_rule() {
        // w ← w − 0.1·w: 0.9, 0.81, 0.729.
        close(&trajectory(OptimizerKind::Sgd, 3), &[0.9, 0.81, 0.729]);
    }

    #[test]
    fn momentum_has_no_dampening() {
        // v1 = 1, w = 0.9; v2 = 0.9 + 0.9 = 1.8, w = 0.72; v3 = 1.62 + 0.72 = 2.34, w = 0.486.
        let kind: OptimizerKind = "momentum".parse().unwrap();
        close(&trajectory(kind, 3), &[0.9, 0.72, 0.486]);
    }

    #[test]
    fn adam_matches_the_paper_with_pytorch_epsilon() {
        // Algorithm 1 of Kingma & Ba computed by hand (Python, double precision).
        let kind: OptimizerKind = "adam".parse().unwrap();
        close(&trajectory(kind, 3), &[0.9, 0.800_412_2, 0.701_586_3]);
    }

    #[test]
    fn unknown_names_list_the_choices() {
        let err = "lbfgs".parse::<OptimizerKind>().unwrap_err();
        assert!(err.contains("sgd, momentum, adam"), "{err}");
    }
}
