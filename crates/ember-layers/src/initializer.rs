//! burn's `Initializer`, pinned: large draws against each scheme's formula, and why an
//! all-equal start cannot learn.
//!
//! With `fan_in = n_in`, `fan_out = n_out` for a `[n_in, n_out]` weight:
//! Xavier/Glorot `std = gain·√(2/(fan_in + fan_out))`, uniform on `±√3·std`;
//! Kaiming/He `std = gain/√fan` (`fan = fan_in`, or `fan_out` with `fan_out_only`), uniform on
//! `±√3·std`; He et al. (2015) for ReLU is `gain = √2`.

use burn::prelude::*;
use burn::tensor::activation::tanh;
use ember_testkit::{for_each_device, values};

use crate::Initializer;

const FAN_IN: usize = 400;
const FAN_OUT: usize = 100;

/// A `[400, 100]` weight drawn by `init`; its mean, standard deviation, min and max.
fn draw(init: Initializer, device: &Device) -> [f64; 4] {
    let w: Tensor<2> = init
        .init_with([FAN_IN, FAN_OUT], Some(FAN_IN), Some(FAN_OUT), device)
        .val();
    let v: Vec<f64> = values(w).into_iter().map(f64::from).collect();
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let std = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    let min = v.iter().cloned().fold(f64::MAX, f64::min);
    let max = v.iter().cloned().fold(f64::MIN, f64::max);
    [mean, std, min, max]
}

/// Checks a draw's mean (0 unless given) and std to 3% of the std (40,000 draws: the
/// standard errors are 0.5% and 0.35% of it), and uniform bounds when `bound` is given.
#[track_caller]
fn check(init: Initializer, mean: f64, std: f64, bound: Option<(f64, f64)>, device: &Device) {
    let [m, s, lo, hi] = draw(init.clone(), device);
    assert!(
        (m - mean).abs() < 0.03 * std,
        "{init:?}: mean {m}, expected {mean}"
    );
    assert!(
        (s - std).abs() < 0.03 * std,
        "{init:?}: std {s}, expected {std}"
    );
    if let Some((low, high)) = bound {
        assert!(
            lo >= low - 1e-6 && hi <= high + 1e-6,
            "{init:?}: [{lo}, {hi}]"
        );
        // With 40,000 draws the extremes come within 0.1% of the bounds.
        assert!(lo < low + 0.01 * (high - low) && hi > high - 0.01 * (high - low));
    }
}

#[test]
fn draws_follow_the_formulas() {
    let sqrt2 = 2f64.sqrt();
    for_each_device(|device| {
        check(
            Initializer::Normal {
                mean: 1.0,
                std: 2.0,
            },
            1.0,
            2.0,
            None,
            device,
        );
        // U(−3, 5): mean 1, std 8/√12 = 2.3094011.
        let uniform = Initializer::Uniform {
            min: -3.0,
            max: 5.0,
        };
        check(uniform, 1.0, 2.309_401_1, Some((-3.0, 5.0)), device);
        // Glorot: std √(2/(400 + 100)) = 0.0632456; uniform bound √(6/500) = 0.1095445.
        check(
            Initializer::XavierNormal { gain: 1.0 },
            0.0,
            0.063_245_6,
            None,
            device,
        );
        let glorot = Initializer::XavierUniform { gain: 1.0 };
        check(
            glorot,
            0.0,
            0.063_245_6,
            Some((-0.109_544_5, 0.109_544_5)),
            device,
        );
        // He: std √2/√400 = 0.0707107; uniform bound √3·0.0707107 = √6/20 = 0.1224745;
        // on fan_out: √2/√100 = 0.1414214.
        let he = Initializer::KaimingNormal {
            gain: sqrt2,
            fan_out_only: false,
        };
        check(he, 0.0, 0.070_710_7, None, device);
        let he_uniform = Initializer::KaimingUniform {
            gain: sqrt2,
            fan_out_only: false,
        };
        check(
            he_uniform,
            0.0,
            0.070_710_7,
            Some((-0.122_474_5, 0.122_474_5)),
            device,
        );
        let he_out = Initializer::KaimingNormal {
            gain: sqrt2,
            fan_out_only: true,
        };
        check(he_out, 0.0, 0.141_421_4, None, device);
        assert_eq!(draw(Initializer::Zeros, device), [0.0; 4]);
        let [m, s, lo, hi] = draw(Initializer::Constant { value: 0.5 }, device);
        assert_eq!([m, lo, hi], [0.5; 3]);
        assert!(s < 1e-9);
    });
}

/// 20 steps of plain gradient descent (rate 0.5) on a 2 → 3 → 1 tanh network fitting XOR
/// with mean squared error, weights drawn by `init`, biases zero. Returns the `[2, 3]`
/// hidden weights (column `j` feeds hidden unit `j`), before and after.
fn train_xor(init: &Initializer, device: &Device) -> (Vec<f32>, Vec<f32>) {
    let x = Tensor::<2>::from_data([[0.0f32, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], device);
    let t = Tensor::<2>::from_data([[0.0f32], [1.0], [1.0], [0.0]], device);
    let mut w1: Tensor<2> = init.init_with([2, 3], Some(2), Some(3), device).val();
    let mut b1 = Tensor::<2>::zeros([1, 3], device);
    let mut w2: Tensor<2> = init.init_with([3, 1], Some(3), Some(1), device).val();
    let mut b2 = Tensor::<2>::zeros([1, 1], device);
    let start = values(w1.clone());
    for _ in 0..20 {
        let p = [&w1, &b1, &w2, &b2].map(|p| p.clone().autodiff().require_grad());
        let h = tanh(x.clone().autodiff().matmul(p[0].clone()) + p[1].clone());
        let y = h.matmul(p[2].clone()) + p[3].clone();
        let loss = (y - t.clone().autodiff()).powi_scalar(2).mean();
        let grads = loss.backward();
        let step = |q: &Tensor<2>| {
            let g = q.grad(&grads).expect("every parameter reaches the loss");
            q.clone().inner() - g.mul_scalar(0.5)
        };
        [w1, b1, w2, b2] = [step(&p[0]), step(&p[1]), step(&p[2]), step(&p[3])];
    }
    (start, values(w1))
}

/// Whether the three hidden units have identical incoming weights (to 1e-6).
fn units_identical(w1: &[f32]) -> bool {
    // Row-major [2, 3]: unit j has weights (w1[j], w1[3 + j]).
    (1..3).all(|j| (w1[j] - w1[0]).abs() < 1e-6 && (w1[3 + j] - w1[3]).abs() < 1e-6)
}

#[test]
fn equal_initial_weights_keep_hidden_units_identical() {
    for_each_device(|device| {
        // Zeros: h = tanh(0) = 0 and ∂L/∂W1 = xᵀ·(δ·W2ᵀ ⊙ (1 − h²)) = 0 because W2 = 0,
        // and ∂L/∂W2 = hᵀ·δ = 0 because h = 0: only the output bias ever moves.
        let (start, end) = train_xor(&Initializer::Zeros, device);
        assert_eq!((start.clone(), end), (start, vec![0.0; 6]));
        // A constant 0.5: the units compute the same h, receive the same gradient and stay
        // copies of one another; the weights do move, so the net has one hidden unit's power.
        let (start, end) = train_xor(&Initializer::Constant { value: 0.5 }, device);
        assert!(units_identical(&end), "constant init: {end:?}");
        assert!(
            end.iter().zip(&start).any(|(a, b)| (a - b).abs() > 1e-3),
            "{end:?}"
        );
        // A random start breaks the symmetry.
        let random = Initializer::XavierUniform { gain: 1.0 };
        let (_, end) = train_xor(&random, device);
        assert!(!units_identical(&end), "random init: {end:?}");
    });
}
