//! burn's `BatchNorm`, pinned to the formula in training and at evaluation.
//!
//! Training: `y = γ·(x − μ_B)/√(σ²_B + ε) + β` with the batch mean and *biased* batch variance
//! per channel; the running statistics move by `momentum` (0.1): `r ← 0.9·r + 0.1·stat`.
//! PyTorch feeds the *unbiased* variance into its running variance; burn the biased one.
//! Evaluation (`.valid()` or a plain device): the running statistics replace the batch's.

use burn::module::{Module, Param};
use burn::nn::BatchNormConfig;
use burn::prelude::*;
use ember_testkit::{assert_close, for_each_device, values};

#[test]
fn training_normalises_by_batch_statistics_then_evaluation_uses_running_ones() {
    for_each_device(|device| {
        let ad = device.clone().autodiff();
        let mut bn = BatchNormConfig::new(2).init(&ad);
        bn.gamma = Param::from_tensor(Tensor::from_data([1.0f32, 3.0], &ad));
        bn.beta = Param::from_tensor(Tensor::from_data([0.0f32, -1.0], &ad));
        // Channel 0: [1, 2, 3, 4], mean 2.5, biased variance (2.25+0.25+0.25+2.25)/4 = 1.25.
        // Channel 1: [0, 0, 4, 4], mean 2, biased variance 4.
        let x = Tensor::<2>::from_data([[1.0f32, 0.0], [2.0, 0.0], [3.0, 4.0], [4.0, 4.0]], &ad);
        let y = values(bn.forward(x));
        // Channel 0: (x − 2.5)/√1.25001 = ±1.5/1.1180384 = ±1.3416355, ±0.5/1.1180384 = ±0.4472118.
        // Channel 1: 3·(±2/√4.00001) − 1 = 3·(±0.99999875) − 1 = −3.9999963 or 1.9999963.
        let expected = [
            -1.341_635_5,
            -3.999_996,
            -0.447_211_8,
            -3.999_996,
            0.447_211_8,
            1.999_996,
            1.341_635_5,
            1.999_996,
        ];
        assert_close(&y, &expected, 1e-5, "BatchNorm, training");
        // Running: mean 0.9·0 + 0.1·[2.5, 2] = [0.25, 0.2]; var 0.9·1 + 0.1·[1.25, 4] = [1.025, 1.3].
        assert_close(
            &values(bn.running_mean.value_sync()),
            &[0.25, 0.2],
            1e-6,
            "running mean",
        );
        assert_close(
            &values(bn.running_var.value_sync()),
            &[1.025, 1.3],
            1e-6,
            "running var",
        );
        let eval = bn.valid();
        let x = Tensor::<2>::from_data([[1.0f32, 0.0]], device);
        // (1 − 0.25)/√1.02501 = 0.75/1.0124279 = 0.7407936; 3·(0 − 0.2)/√1.30001 − 1 =
        // −0.6/1.1401798 − 1 = −1.5262328.
        assert_close(
            &values(eval.forward(x)),
            &[0.740_793_6, -1.526_232_8],
            1e-5,
            "BatchNorm, evaluation",
        );
    });
}
