//! burn's `Dropout`, pinned: inverted dropout in training, the identity at evaluation.
//!
//! Training (training flag on and an autodiff device): each element is kept with
//! probability `1 − p` and scaled by `1/(1 − p)`, so the expectation is unchanged.
//! Evaluation (`.valid()` or a plain device): `y = x`.

use burn::module::Module;
use burn::prelude::*;
use ember_testkit::{for_each_device, values};

use crate::DropoutConfig;

#[test]
fn training_zeroes_a_fraction_p_and_scales_the_rest() {
    for_each_device(|device| {
        let dropout = DropoutConfig::new(0.25).init();
        let x = Tensor::<1>::ones([8192], &device.clone().autodiff());
        let y = values(dropout.forward(x));
        // Kept elements become 1/(1 − 0.25) = 4/3.
        let zeros = y.iter().filter(|v| **v == 0.0).count();
        let scaled = y.iter().filter(|v| (**v - 4.0 / 3.0).abs() < 1e-6).count();
        assert_eq!(zeros + scaled, y.len(), "only 0 and 4/3 may appear");
        // Binomial(8192, 0.25): 2048 ± 39 (one standard deviation); allow 5σ.
        let fraction = zeros as f32 / y.len() as f32;
        assert!(
            (fraction - 0.25).abs() < 0.025,
            "dropped fraction {fraction}"
        );
    });
}

#[test]
fn evaluation_is_the_identity() {
    for_each_device(|device| {
        let dropout = DropoutConfig::new(0.5).init();
        let data = [1.5f32, -2.0, 3.0];
        let on_autodiff = Tensor::<1>::from_data(data, &device.clone().autodiff());
        assert_eq!(values(dropout.valid().forward(on_autodiff)), data);
        let plain = Tensor::<1>::from_data(data, device);
        assert_eq!(values(dropout.forward(plain)), data);
    });
}

#[test]
#[should_panic(expected = "Dropout probability must be finite and in the range [0, 1)")]
fn a_probability_of_one_is_rejected() {
    DropoutConfig::new(1.0).init();
}
