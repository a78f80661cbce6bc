//! burn's `MultiHeadAttention`, pinned to scaled dot-product attention on hand numbers.
//!
//! Per head of width `d_k = d/h`: `softmax(Q·Kᵀ/√d_k)·V` with `Q = x·W_Q + b_Q` (likewise
//! `K`, `V`), heads concatenated and projected by `W_O`. burn applies dropout (default
//! `p = 0.1`) to the attention weights in training; set `with_dropout(0.0)` to switch it off.

use burn::module::Param;
use burn::nn::attention::MhaInput;
use burn::nn::Linear;
use burn::prelude::*;
use ember_testkit::{assert_close, backends_agree, AGREE};

use crate::MultiHeadAttentionConfig;

fn identity(linear: &mut Linear, device: &Device) {
    linear.weight = Param::from_tensor(Tensor::eye(2, device));
    linear.bias = Some(Param::from_tensor(Tensor::zeros([2], device)));
}

#[test]
fn self_attention_is_softmax_of_scaled_scores_times_values() {
    let out = backends_agree(AGREE, |device| {
        let mut mha = MultiHeadAttentionConfig::new(2, 1)
            .with_dropout(0.0)
            .init(device);
        for linear in [
            &mut mha.query,
            &mut mha.key,
            &mut mha.value,
            &mut mha.output,
        ] {
            identity(linear, device);
        }
        let x = Tensor::<3>::from_data([[[1.0f32, 0.0], [0.0, 1.0]]], device);
        let out = mha.forward(MhaInput::self_attn(x));
        assert_eq!(out.weights.dims(), [1, 1, 2, 2]);
        let mut v = ember_testkit::values(out.weights);
        v.extend(ember_testkit::values(out.context));
        v
    });
    // Q = K = V = x = I: scores I/√2, row 0 = [0.7071068, 0]; e^0.7071068 = 2.0281150,
    // weights [2.028115/3.028115, 1/3.028115] = [0.6697615, 0.3302385] (row 1 mirrored);
    // context = weights·V = weights.
    let (a, b) = (0.669_761_55, 0.330_238_45);
    assert_close(&out, &[a, b, b, a, a, b, b, a], 1e-5, "attention");
}
