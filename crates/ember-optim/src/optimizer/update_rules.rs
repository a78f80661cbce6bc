//! Every optimizer of [`OptimizerKind`](super::OptimizerKind), and burn's defaults where they
//! differ from PyTorch's, against its published update rule re-stated here in plain `f64`.
//!
//! The problem: `f(θ) = ½·Σ aᵢθᵢ²` with `a = (1, 2, 4)`, so `∇f = a ⊙ θ`; five steps from
//! `θ₀` on ndarray, flex and wgpu.

use burn::module::Param;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::prelude::*;
use ember_testkit::{assert_close, for_each_device, values};

use super::OptimizerKind;

const A: [f64; 3] = [1.0, 2.0, 4.0];
const THETA0: [f64; 3] = [1.0, -0.5, 0.25];

#[derive(Module, Debug)]
struct Quadratic {
    theta: Param<Tensor<1>>,
}

/// θ after each of five steps of `optim` with learning rate `lr`, from `theta0 · scale`,
/// divided by `scale` (so that tiny parameters compare with a useful tolerance).
fn five_steps(device: &Device, mut optim: ModuleOptimizer, lr: f64, scale: f64) -> Vec<f32> {
    let device = device.clone().autodiff();
    let start = THETA0.map(|t| (t * scale) as f32);
    let mut model = Quadratic {
        theta: Param::from_tensor(Tensor::from_data(start, &device)),
    };
    let a = Tensor::<1>::from_data(A.map(|a| a as f32), &device);
    let mut out = Vec::new();
    for _ in 0..5 {
        let theta = model.theta.val();
        let loss = theta
            .clone()
            .mul(theta)
            .mul(a.clone())
            .sum()
            .mul_scalar(0.5);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optim.step(lr, model, grads);
        out.extend(values(model.theta.val()).iter().map(|t| t / scale as f32));
    }
    out
}

/// The same five steps of an element-wise `rule(θ, g, t, state) -> θ` (t = 1, 2, ...;
/// `state` per element, starting at zeros), in `f64`.
fn by_hand(scale: f64, rule: impl Fn(f64, f64, i32, &mut [f64; 2]) -> f64) -> Vec<f32> {
    let mut theta = THETA0.map(|t| t * scale);
    let mut state = [[0.0; 2]; 3];
    let mut out = Vec::new();
    for t in 1..=5 {
        for i in 0..3 {
            let g = A[i] * theta[i];
            theta[i] = rule(theta[i], g, t, &mut state[i]);
        }
        out.extend(theta.iter().map(|t| (t / scale) as f32));
    }
    out
}

fn check(kind: &str, lr: f64, rule: impl Fn(f64, f64, i32, &mut [f64; 2]) -> f64) {
    let kind: OptimizerKind = kind.parse().unwrap();
    let expected = by_hand(1.0, rule);
    for_each_device(|device| {
        let actual = five_steps(device, kind.init(None), lr, 1.0);
        assert_close(&actual, &expected, 1e-5, kind.name());
    });
}

/// Adam (Kingma & Ba 2015, Algorithm 1) with β = (0.9, 0.999): returns `m̂/(√v̂ + ε)`.
fn adam_direction(g: f64, t: i32, s: &mut [f64; 2], eps: f64) -> f64 {
    s[0] = 0.9 * s[0] + 0.1 * g;
    s[1] = 0.999 * s[1] + 0.001 * g * g;
    let m_hat = s[0] / (1.0 - 0.9f64.powi(t));
    let v_hat = s[1] / (1.0 - 0.999f64.powi(t));
    m_hat / (v_hat.sqrt() + eps)
}

#[test]
fn sgd() {
    check("sgd", 0.1, |theta, g, _, _| theta - 0.1 * g);
}

#[test]
fn momentum_without_dampening() {
    // v ← 0.9·v + g, θ ← θ − η·v.
    check("momentum", 0.1, |theta, g, _, v| {
        v[0] = 0.9 * v[0] + g;
        theta - 0.1 * v[0]
    });
}

#[test]
fn nesterov() {
    // v ← 0.9·v + g, θ ← θ − η·(g + 0.9·v).
    check("nesterov", 0.1, |theta, g, _, v| {
        v[0] = 0.9 * v[0] + g;
        theta - 0.1 * (g + 0.9 * v[0])
    });
}

#[test]
fn adagrad() {
    // s ← s + g², θ ← θ − η·g/(√s + 1e-10).
    check("adagrad", 0.1, |theta, g, _, s| {
        s[0] += g * g;
        theta - 0.1 * g / (s[0].sqrt() + 1e-10)
    });
}

#[test]
fn adadelta() {
    // Zeiler 2012 with ρ = 0.9, ε = 1e-6, η = 1.
    check("adadelta", 1.0, |theta, g, _, s| {
        s[0] = 0.9 * s[0] + 0.1 * g * g;
        let delta = -(s[1] + 1e-6).sqrt() / (s[0] + 1e-6).sqrt() * g;
        s[1] = 0.9 * s[1] + 0.1 * delta * delta;
        theta + delta
    });
}

#[test]
fn rmsprop() {
    // s ← 0.99·s + 0.01·g², θ ← θ − η·g/(√s + 1e-8).
    check("rmsprop", 0.01, |theta, g, _, s| {
        s[0] = 0.99 * s[0] + 0.01 * g * g;
        theta - 0.01 * g / (s[0].sqrt() + 1e-8)
    });
}

#[test]
fn adam() {
    check("adam", 0.1, |theta, g, t, s| {
        theta - 0.1 * adam_direction(g, t, s, 1e-8)
    });
}

#[test]
fn adamw() {
    // θ ← θ·(1 − η·λ) − η·m̂/(√v̂ + ε), λ = 1e-2.
    check("adamw", 0.1, |theta, g, t, s| {
        theta * (1.0 - 0.1 * 1e-2) - 0.1 * adam_direction(g, t, s, 1e-8)
    });
}

#[test]
fn burn_momentum_defaults_to_dampening_a_tenth() {
    // burn: v₁ = g₁, then v ← 0.9·v + (1 − 0.1)·g; PyTorch's default has no 0.9 on g.
    let expected = by_hand(1.0, |theta, g, t, v| {
        v[0] = if t == 1 { g } else { 0.9 * v[0] + 0.9 * g };
        theta - 0.1 * v[0]
    });
    for_each_device(|device| {
        let burn_default = SgdConfig::new()
            .with_momentum(Some(MomentumConfig::new()))
            .init();
        let actual = five_steps(device, burn_default, 0.1, 1.0);
        assert_close(&actual, &expected, 1e-5, "burn's MomentumConfig::new()");
    });
}

#[test]
fn burn_adam_defaults_to_epsilon_1e_5() {
    // On parameters of size 1e-6 the gradients are as small as ε: with burn's ε = 1e-5 a
    // step is about a tenth of PyTorch's (ε = 1e-8). θ is compared in units of 1e-6.
    let scale = 1e-6;
    let lr = 1e-7;
    let rule = |eps: f64| {
        move |theta: f64, g: f64, t: i32, s: &mut [f64; 2]| {
            theta - lr * adam_direction(g, t, s, eps)
        }
    };
    let burn_rule = by_hand(scale, rule(1e-5));
    let pytorch_rule = by_hand(scale, rule(1e-8));
    let pytorch_kind: OptimizerKind = "adam".parse().unwrap();
    for_each_device(|device| {
        let burn_default = five_steps(device, AdamConfig::new().init(), lr, scale);
        assert_close(&burn_default, &burn_rule, 1e-4, "burn's AdamConfig::new()");
        let ours = five_steps(device, pytorch_kind.init(None), lr, scale);
        assert_close(&ours, &pytorch_rule, 1e-4, "OptimizerKind adam");
    });
}

#[test]
fn weight_decay_adds_lambda_theta_to_the_gradient() {
    // SGD with λ = 0.5: θ ← θ − η·(g + λθ).
    let expected = by_hand(1.0, |theta, g, _, _| theta - 0.1 * (g + 0.5 * theta));
    let sgd = OptimizerKind::Sgd;
    for_each_device(|device| {
        let actual = five_steps(device, sgd.init(Some(0.5)), 0.1, 1.0);
        assert_close(&actual, &expected, 1e-5, "sgd with weight decay");
    });
}
