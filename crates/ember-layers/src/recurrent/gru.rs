//! Gated recurrent unit: burn's `Gru`, re-exported and documented gate by gate.

use burn::prelude::*;

use super::layer::{check_sequence, Recurrent};

/// Gated recurrent unit (Cho et al. 2014): burn's `Gru`, re-exported. Per time step, with σ
/// the logistic sigmoid and ⊙ the element-wise product:
///
/// ```text
/// z_t = σ(W_z x_t + b_xz + U_z h_{t−1} + b_hz)                 update gate
/// r_t = σ(W_r x_t + b_xr + U_r h_{t−1} + b_hr)                 reset gate
/// n_t = tanh(W_n x_t + b_xn + r_t ⊙ (U_n h_{t−1} + b_hn))      reset_after = true (default)
/// n_t = tanh(W_n x_t + b_xn + U_n (r_t ⊙ h_{t−1}) + b_hn)      reset_after = false
/// h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
/// ```
///
/// `h_0 = 0` unless an initial state is given.
///
/// **Variant.** The default, `reset_after = true`, applies the reset gate *after* the
/// hidden matmul, as PyTorch and cuDNN do (and the first arXiv version of Cho et al.);
/// `reset_after = false` applies it *before*, as the published Cho et al. (2014) and
/// d2l.ai do. The two give different numbers for the same weights.
///
/// **Layout.** One `GateController` per gate (`update_gate`, `reset_gate`, `new_gate`),
/// each two [`Linear`](crate::Linear)s stored `[in, out]`: `input_transform` (`W`,
/// `[d_input, d_hidden]`, and `b_x`) and `hidden_transform` (`U`, `[d_hidden, d_hidden]`,
/// and `b_h`): two bias vectors per gate, as PyTorch.
///
/// **Parameters**: `3·(h·(h + x) + 2h)` with `bias = true`, `3·h·(h + x)` without.
///
/// **Defaults that differ from PyTorch**: `bias` has no default; every weight and bias is
/// drawn `XavierNormal { gain: 1.0 }`; the input is always batch-first; `forward` returns
/// only the hidden states (the last state is `output[:, seq_len − 1, :]`). burn's `BiGru`
/// is the bidirectional version, see [`Bidirectional`](crate::Bidirectional).
///
/// # Shapes
/// - input: `[batch, seq_len, d_input]`
/// - initial state (optional): `[batch, d_hidden]`
/// - output: all hidden states `[batch, seq_len, d_hidden]`
#[doc(inline)]
pub use burn::nn::Gru;
/// Configuration of a [`Gru`]: `GruConfig::new(d_input, d_hidden, bias)`; see [`Gru`] for
/// the defaults and `with_reset_after`.
#[doc(inline)]
pub use burn::nn::GruConfig;

/// burn's [`Gru`] as a [`Recurrent`] layer: all hidden states, from a zero state.
///
/// # Panics
/// On a wrong input shape, naming it.
impl Recurrent for Gru {
    fn input_size(&self) -> usize {
        self.update_gate.input_transform.weight.dims()[0]
    }

    fn hidden_size(&self) -> usize {
        self.d_hidden
    }

    fn forward_sequence(&self, input: Tensor<3>) -> Tensor<3> {
        check_sequence("Gru", &input, self.input_size());
        self.forward(input, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::{Module, Param};
    use burn::nn::{GateController, Linear};
    use ember_testkit::{assert_close, backends_agree, for_each_device, values, AGREE};

    /// A gate of a 1 → 1 cell: `w·x + b_x + u·h + b_h`.
    fn gate([w, b_x, u, b_h]: [f32; 4], device: &Device) -> GateController {
        let linear = |weight: f32, bias: f32| Linear {
            weight: Param::from_tensor(Tensor::from_data([[weight]], device)),
            bias: Some(Param::from_tensor(Tensor::from_data([bias], device))),
        };
        GateController {
            input_transform: linear(w, b_x),
            hidden_transform: linear(u, b_h),
        }
    }

    /// Two steps, x = 0.9 then −0.6, of a 1 → 1 GRU with fixed gates.
    fn run(reset_after: bool, device: &Device) -> Vec<f32> {
        let mut gru = GruConfig::new(1, 1, true)
            .with_reset_after(reset_after)
            .init(device);
        gru.update_gate = gate(Z, device);
        gru.reset_gate = gate(R, device);
        gru.new_gate = gate(N, device);
        values(gru.forward(Tensor::from_data([[[0.9], [-0.6]]], device), None))
    }

    // [w, b_x, u, b_h] per gate.
    const Z: [f32; 4] = [0.4, -0.1, 0.6, 0.2];
    const R: [f32; 4] = [-0.7, 0.3, 0.5, -0.2];
    const N: [f32; 4] = [1.2, 0.1, -0.8, 0.4];

    /// The same two steps in scalar arithmetic.
    fn by_hand(reset_after: bool) -> Vec<f32> {
        let sigmoid = |v: f64| 1.0 / (1.0 + (-v).exp());
        let [z, r, n] = [Z, R, N].map(|p| p.map(f64::from));
        let (mut h, mut out) = (0.0, Vec::new());
        for x in [0.9, -0.6] {
            let z_t = sigmoid(z[0] * x + z[1] + z[2] * h + z[3]);
            let r_t = sigmoid(r[0] * x + r[1] + r[2] * h + r[3]);
            let n_t = if reset_after {
                (n[0] * x + n[1] + r_t * (n[2] * h + n[3])).tanh()
            } else {
                (n[0] * x + n[1] + n[2] * (r_t * h) + n[3]).tanh()
            };
            h = (1.0 - z_t) * n_t + z_t * h;
            out.push(h as f32);
        }
        out
    }

    #[test]
    fn reset_after_is_pytorchs_variant() {
        // Step 1 written out (h0 = 0): z = σ(0.4·0.9 − 0.1 + 0.2) = σ(0.46) = 0.61301,
        // r = σ(−0.7·0.9 + 0.3 − 0.2) = σ(−0.53) = 0.37052,
        // n = tanh(1.2·0.9 + 0.1 + r·0.4) = tanh(1.32821) = 0.86881,
        // h1 = (1 − z)·n = 0.33622.
        assert_close(&by_hand(true)[..1], &[0.33622], 1e-4, "step 1 by hand");
        for_each_device(|device| {
            assert_close(&run(true, device), &by_hand(true), 1e-5, "reset after");
        });
    }

    #[test]
    fn reset_before_is_cho_et_al() {
        // Step 1 (h0 = 0): the reset gate multiplies h0 = 0, so
        // n = tanh(1.2·0.9 + 0.1 + 0.4) = tanh(1.58) = 0.91860, h1 = (1 − z)·n = 0.35549.
        assert_close(&by_hand(false)[..1], &[0.35549], 1e-4, "step 1 by hand");
        for_each_device(|device| {
            assert_close(&run(false, device), &by_hand(false), 1e-5, "reset before");
        });
    }

    #[test]
    fn has_two_bias_vectors_per_gate() {
        let gru = GruConfig::new(3, 4, true).init(&Device::flex());
        // 3·(h·(h + x) + 2h) = 3·(4·7 + 8)
        assert_eq!(gru.num_params(), 108);
    }

    #[test]
    fn backends_agree_on_a_random_layer() {
        // One random layer, made on flex and copied to each device.
        let gru = GruConfig::new(3, 2, true).init(&Device::flex());
        backends_agree(AGREE, |device| {
            let gru = gru.clone().to_device(device);
            let x = Tensor::<3>::from_data(
                TensorData::new(
                    (0..24).map(|i| (i as f32 * 0.43).sin()).collect(),
                    [2, 4, 3],
                ),
                device,
            );
            values(gru.forward_sequence(x))
        });
    }

    #[test]
    #[should_panic(
        expected = "Gru expects a batch-first input [batch, seq_len ≥ 1, 3], got [2, 4, 1]"
    )]
    fn wrong_feature_size_is_named() {
        let device = Device::flex();
        let gru = GruConfig::new(3, 2, true).init(&device);
        gru.forward_sequence(Tensor::zeros([2, 4, 1], &device));
    }
}
