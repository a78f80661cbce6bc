//! burn's activations (functions and modules), pinned to their formulas on hand numbers.

use burn::prelude::*;
use ember_testkit::{assert_close, backends_agree, for_each_device, values, AGREE};

use crate::{
    leaky_relu, prelu, relu, sigmoid, tanh, LeakyReluConfig, PReluConfig, Relu, Sigmoid, Tanh,
};

#[test]
fn sigmoid_saturates_without_overflow() {
    let out = backends_agree(AGREE, |device| {
        let x = Tensor::<1>::from_data([0.0f32, 2.0, -2.0, 100.0, -100.0, 1e4, -1e4], device);
        let mut v = values(sigmoid(x.clone()));
        v.extend(values(Sigmoid::new().forward(x)));
        v
    });
    // σ(2) = 1/(1 + e^−2) = 1/1.1353353 = 0.8807971; σ(−2) = 1 − σ(2) = 0.1192029;
    // σ(±100), σ(±1e4): 1 and 0 (e^−100 = 3.7e−44 is below f32's precision at 1).
    let expected = [0.5, 0.880_797_1, 0.119_202_9, 1.0, 0.0, 1.0, 0.0];
    assert_close(&out, &expected.repeat(2), 1e-6, "sigmoid");
    assert!(out.iter().all(|v| v.is_finite()));
}

#[test]
fn tanh_is_odd_and_saturates() {
    let out = backends_agree(AGREE, |device| {
        let x = Tensor::<1>::from_data([0.0f32, 0.5, -1.0, 50.0, -50.0], device);
        let mut v = values(tanh(x.clone()));
        v.extend(values(Tanh::new().forward(x)));
        v
    });
    // tanh(0.5) = (e − 1)/(e + 1) with e = e^1 = 2.7182818: 1.7182818/3.7182818 = 0.4621172;
    // tanh(−1) = −(e² − 1)/(e² + 1) = −6.3890561/8.3890561 = −0.7615942.
    let expected = [0.0, 0.462_117_2, -0.761_594_2, 1.0, -1.0];
    assert_close(&out, &expected.repeat(2), 1e-6, "tanh");
}

#[test]
fn relu_family_at_zero_and_on_both_sides() {
    let out = backends_agree(AGREE, |device| {
        let x = Tensor::<1>::from_data([-2.0f32, 0.0, 3.0, -1e6], device);
        let mut v = values(relu(x.clone()));
        v.extend(values(Relu::new().forward(x.clone())));
        v.extend(values(leaky_relu(x.clone(), 0.1)));
        v.extend(values(
            LeakyReluConfig::new()
                .with_negative_slope(0.1)
                .init()
                .forward(x),
        ));
        v
    });
    // ReLU: max(0, x). LeakyReLU(0.1): x for x ≥ 0, 0.1·x below.
    let relu_expected = [0.0, 0.0, 3.0, 0.0];
    let leaky_expected = [-0.2, 0.0, 3.0, -1e5];
    let expected = [relu_expected, relu_expected, leaky_expected, leaky_expected].concat();
    assert_close(&out, &expected, 1e-6, "relu / leaky relu");
}

#[test]
fn leaky_relu_default_slope_is_one_hundredth() {
    // burn's LeakyReluConfig defaults to 0.01 (as PyTorch); Maas et al. (2013) also use 0.01.
    assert_eq!(LeakyReluConfig::new().negative_slope, 0.01);
}

#[test]
fn prelu_has_one_learnable_slope_per_channel() {
    for_each_device(|device| {
        // burn's PReLU starts at slope 0.25 (He et al. 2015), one per channel (dimension 1).
        let layer = PReluConfig::new().with_num_parameters(2).init(device);
        assert_eq!(values(layer.alpha.val()), [0.25, 0.25]);
        let x = Tensor::<3>::from_data([[[-4.0f32, 2.0], [-2.0, 6.0]]], device);
        // Channel 0: [−4·0.25, 2] = [−1, 2]; channel 1: [−2·0.25, 6] = [−0.5, 6].
        assert_close(
            &values(layer.forward(x.clone())),
            &[-1.0, 2.0, -0.5, 6.0],
            1e-6,
            "PRelu",
        );
        let alpha = Tensor::<1>::from_data([0.5f32, -1.0], device);
        // Channel 0 slope 0.5: [−2, 2]; channel 1 slope −1: [2, 6].
        assert_close(
            &values(prelu(x, alpha)),
            &[-2.0, 2.0, 2.0, 6.0],
            1e-6,
            "prelu",
        );
    });
}
