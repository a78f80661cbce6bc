//! Randomized leaky ReLU (Xu et al. 2015) as functions with an explicit mode.
//!
//! The module, [`RRelu`](crate::RRelu), is burn's; these functions give the two modes
//! by name, for code that does not hold a module.

use burn::prelude::*;
use burn::tensor::activation::leaky_relu;
use burn::tensor::Distribution;

fn check_bounds(lower: f64, upper: f64) {
    assert!(
        0.0 <= lower && lower <= upper && upper.is_finite(),
        "RReLU slopes need 0 <= lower <= upper (finite), got lower = {lower}, upper = {upper}; \
         Xu et al. (2015) use lower = 1/8, upper = 1/3"
    );
}

/// RReLU in training: `y = x` for `x ≥ 0`, `y = a·x` for `x < 0`, with a fresh slope
/// `a ~ U(lower, upper)` drawn for every element on every call (Xu et al. 2015 use
/// `lower = 1/8`, `upper = 1/3`). The gradient for a negative element is its slope `a`.
///
/// Draws come from the device's random generator (`device.seed(..)` makes them
/// repeatable). With `lower = upper` the slope is that constant (burn's uniform
/// distribution, and so burn's `RRelu` module, reject an empty range).
///
/// # Shapes
/// Any shape; the output has the input's shape.
///
/// # Panics
/// Unless `0 ≤ lower ≤ upper`.
pub fn rrelu_train<const D: usize>(input: Tensor<D>, lower: f64, upper: f64) -> Tensor<D> {
    check_bounds(lower, upper);
    if lower == upper {
        return leaky_relu(input, lower);
    }
    let slope = input.random_like(Distribution::Uniform(lower, upper));
    let negative = input.clone().lower_scalar(0.0);
    let scaled = input.clone() * slope;
    input.mask_where(negative, scaled)
}

/// RReLU at evaluation: the leaky ReLU with the mean slope, `y = x` for `x ≥ 0` and
/// `y = x·(lower + upper)/2` for `x < 0` (deterministic).
///
/// # Shapes
/// Any shape; the output has the input's shape.
///
/// # Panics
/// Unless `0 ≤ lower ≤ upper`.
pub fn rrelu_eval<const D: usize>(input: Tensor<D>, lower: f64, upper: f64) -> Tensor<D> {
    check_bounds(lower, upper);
    leaky_relu(input, (lower + upper) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RReluConfig;
    use burn::module::Module;
    use ember_testkit::{assert_close, backends_agree, check_gradient, for_each_device, values};

    const LOWER: f64 = 1.0 / 8.0;
    const UPPER: f64 = 1.0 / 3.0;
    // Mean slope (1/8 + 1/3)/2 = (3/24 + 8/24)/2 = 11/48 = 0.2291667.
    const MEAN: f32 = 11.0 / 48.0;

    /// Slopes of `rrelu_train` on 4096 copies of −1: `y = −a`.
    fn train_slopes(device: &Device) -> Vec<f32> {
        let x = Tensor::<1>::full([4096], -1.0, device);
        values(rrelu_train(x, LOWER, UPPER))
            .into_iter()
            .map(|y| -y)
            .collect()
    }

    #[test]
    fn training_slopes_are_uniform_on_lower_upper() {
        for_each_device(|device| {
            let slopes = train_slopes(device);
            let n = slopes.len() as f32;
            let mean = slopes.iter().sum::<f32>() / n;
            let var = slopes.iter().map(|a| (a - mean).powi(2)).sum::<f32>() / n;
            for a in &slopes {
                assert!(
                    (LOWER as f32 - 1e-6..=UPPER as f32 + 1e-6).contains(a),
                    "slope {a}"
                );
            }
            // U(l, u): mean (l+u)/2 = 11/48; std (u−l)/√12 = (5/24)/3.4641 = 0.060141.
            // Standard error of the mean over 4096 draws: 0.060141/64 = 0.00094.
            assert!((mean - MEAN).abs() < 0.005, "mean slope {mean}");
            assert!((var.sqrt() - 0.060_141).abs() < 0.005, "std {}", var.sqrt());
        });
    }

    #[test]
    fn positives_and_zero_pass_unchanged_in_both_modes() {
        let out = backends_agree(1e-6, |device| {
            let x = Tensor::<1>::from_data([0.0f32, 0.5, 3.0, 1e6], device);
            let mut v = values(rrelu_train(x.clone(), LOWER, UPPER));
            v.extend(values(rrelu_eval(x, LOWER, UPPER)));
            v
        });
        assert_eq!(out, [0.0, 0.5, 3.0, 1e6, 0.0, 0.5, 3.0, 1e6]);
    }

    #[test]
    fn evaluation_uses_the_mean_slope() {
        let out = backends_agree(1e-6, |device| {
            let x = Tensor::<1>::from_data([-4.8f32, -1.0, 2.0], device);
            values(rrelu_eval(x, LOWER, UPPER))
        });
        // −4.8·11/48 = −1.1, −1·11/48 = −0.2291667.
        assert_close(&out, &[-1.1, -MEAN, 2.0], 1e-6, "rrelu_eval");
    }

    #[test]
    fn burn_module_trains_on_an_autodiff_device_and_evaluates_after_valid() {
        for_each_device(|device| {
            let layer = RReluConfig::new().init();
            assert_eq!((layer.lower, layer.upper), (LOWER, UPPER));
            let x = || Tensor::<1>::full([2048], -1.0, &device.clone().autodiff());
            // Training: random slopes, so the outputs spread over [−1/3, −1/8].
            let train = values(layer.forward(x()));
            let spread = train.iter().cloned().fold(f32::MIN, f32::max)
                - train.iter().cloned().fold(f32::MAX, f32::min);
            assert!(spread > 0.15, "training outputs spread only {spread}");
            // `valid()` switches the training flag off: every output is −11/48.
            let eval = values(layer.valid().forward(x()));
            assert_close(&eval, &vec![-MEAN; 2048], 1e-6, "valid()");
            // A plain (non-autodiff) device also evaluates.
            let plain = values(layer.forward(Tensor::<1>::full([4], -1.0, device)));
            assert_close(&plain, &[-MEAN; 4], 1e-6, "plain device");
        });
    }

    #[test]
    fn gradients_match_finite_differences() {
        for_each_device(|device| {
            let x0 = [-1.5, 0.7, -0.2, 2.0];
            check_gradient(device, [4], &x0, |x| rrelu_eval(x, LOWER, UPPER).sum());
        });
    }

    #[test]
    fn training_gradient_is_the_drawn_slope() {
        for_each_device(|device| {
            let ad = device.clone().autodiff();
            let x = Tensor::<1>::from_data([-2.0f32, -1.0, -0.5, 1.5], &ad).require_grad();
            let y = rrelu_train(x.clone(), LOWER, UPPER);
            let grads = y.clone().sum().backward();
            let grad = values(x.grad(&grads).unwrap());
            // dy/dx = a = y/x for negatives, 1 for positives.
            let slopes: Vec<f32> = values(y)
                .iter()
                .zip([-2.0, -1.0, -0.5, 1.5])
                .map(|(y, x)| y / x)
                .collect();
            assert_close(&grad, &slopes, 1e-5, "d rrelu / dx");
            assert_eq!(grad[3], 1.0);
        });
    }

    #[test]
    fn equal_bounds_give_a_fixed_slope() {
        for_each_device(|device| {
            let x = Tensor::<1>::from_data([-2.0f32, 1.0], device);
            assert_close(
                &values(rrelu_train(x, 0.2, 0.2)),
                &[-0.4, 1.0],
                1e-6,
                "a = 0.2",
            );
        });
    }

    #[test]
    #[should_panic(expected = "RReLU slopes need 0 <= lower <= upper")]
    fn reversed_bounds_are_rejected() {
        rrelu_eval(Tensor::<1>::zeros([1], &Device::flex()), 0.5, 0.1);
    }
}
