//! Long short-term memory: burn's `Lstm`, re-exported and documented gate by gate.

use burn::prelude::*;

use super::layer::{check_sequence, Recurrent};

/// Long short-term memory (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et
/// al. 2000): burn's `Lstm`, re-exported. It computes the standard LSTM; per time step,
/// with σ the logistic sigmoid and ⊙ the element-wise product:
///
/// ```text
/// i_t = σ(W_i x_t + b_xi + U_i h_{t−1} + b_hi)        input gate
/// f_t = σ(W_f x_t + b_xf + U_f h_{t−1} + b_hf)        forget gate
/// o_t = σ(W_o x_t + b_xo + U_o h_{t−1} + b_ho)        output gate
/// g_t = tanh(W_g x_t + b_xg + U_g h_{t−1} + b_hg)     candidate cell
/// c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
/// h_t = o_t ⊙ tanh(c_t)
/// ```
///
/// `h_0 = c_0 = 0` unless an [`LstmState`] is given.
///
/// **Layout.** One `GateController` per gate (`input_gate`, `forget_gate`, `output_gate`,
/// `cell_gate`), each holding two [`Linear`](crate::Linear)s stored `[in, out]`:
/// `input_transform` (`W`, `[d_input, d_hidden]`, and `b_x`) and `hidden_transform` (`U`,
/// `[d_hidden, d_hidden]`, and `b_h`). So there are **two bias vectors per gate**, as in
/// PyTorch (`b_ih`, `b_hh`); Keras and d2l.ai have one (only their sum matters).
///
/// **Parameters**: `4·(h·(h + x) + 2h)` with `bias = true`, `4·h·(h + x)` without
/// (`x = d_input`, `h = d_hidden`). With `input_forget = true` the forget gate is coupled,
/// `f_t = 1 − i_t`, and the count is `3·(…)`.
///
/// **Defaults that differ from PyTorch**: `bias` has no default (PyTorch: `true`); every
/// weight and bias is drawn `XavierNormal { gain: 1.0 }` (PyTorch: `U(−1/√h, 1/√h)`; the
/// forget bias is not set to 1 as Keras' `unit_forget_bias` does); `batch_first = true`
/// (PyTorch: `false`). burn's `BiLstm` is the bidirectional version, see
/// [`Bidirectional`](crate::Bidirectional).
///
/// # Shapes
/// - input: `[batch, seq_len, d_input]` (`[seq_len, batch, d_input]` when
///   `batch_first = false`)
/// - state: [`LstmState`] with `cell` and `hidden` each `[batch, d_hidden]`
/// - output: all hidden states `[batch, seq_len, d_hidden]` and the final [`LstmState`]
#[doc(inline)]
pub use burn::nn::Lstm;
/// Configuration of an [`Lstm`]: `LstmConfig::new(d_input, d_hidden, bias)`; see [`Lstm`]
/// for the defaults.
#[doc(inline)]
pub use burn::nn::LstmConfig;
/// The cell and hidden state of an [`Lstm`], `LstmState::new(cell, hidden)`.
#[doc(inline)]
pub use burn::nn::LstmState;

/// burn's [`Lstm`] as a [`Recurrent`] layer: all hidden states, from a zero state. An
/// `Lstm` built with `reverse = true` reads the sequence backwards, as its own `forward`
/// does.
///
/// # Panics
/// On a wrong input shape (naming it), or an `Lstm` built with `batch_first = false`.
impl Recurrent for Lstm {
    fn input_size(&self) -> usize {
        self.input_gate.input_transform.weight.dims()[0]
    }

    fn hidden_size(&self) -> usize {
        self.d_hidden
    }

    fn forward_sequence(&self, input: Tensor<3>) -> Tensor<3> {
        assert!(
            self.batch_first,
            "Recurrent::forward_sequence takes batch-first input; build the Lstm with \
             batch_first = true (the default)"
        );
        check_sequence("Lstm", &input, self.input_size());
        self.forward(input, None).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::{Module, Param};
    use burn::nn::{GateController, Linear};
    use ember_testkit::{assert_close, backends_agree, for_each_device, values, AGREE};

    fn sigmoid(v: f64) -> f64 {
        1.0 / (1.0 + (-v).exp())
    }

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

    #[test]
    fn two_steps_follow_the_gate_formulas() {
        // [w, b_x, u, b_h] per gate.
        let (i, f, o, g) = (
            [0.5, 0.1, 0.3, 0.05],
            [-0.4, 0.6, 0.2, -0.1],
            [0.9, 0.0, -0.5, 0.2],
            [1.1, -0.2, 0.7, 0.1],
        );
        for_each_device(|device| {
            let mut lstm = LstmConfig::new(1, 1, true).init(device);
            lstm.input_gate = gate(i, device);
            lstm.forget_gate = Some(gate(f, device));
            lstm.output_gate = gate(o, device);
            lstm.cell_gate = gate(g, device);
            let x = Tensor::<3>::from_data([[[0.8], [-0.5]]], device);
            let (all, state) = lstm.forward(x, None);

            let pre = |p: [f32; 4], x: f64, h: f64| {
                let [w, b_x, u, b_h] = p.map(f64::from);
                w * x + b_x + u * h + b_h
            };
            let (mut c, mut h, mut expected) = (0.0, 0.0, Vec::new());
            for x in [0.8, -0.5] {
                let i_t = sigmoid(pre(i, x, h));
                let f_t = sigmoid(pre(f, x, h));
                let o_t = sigmoid(pre(o, x, h));
                let g_t = pre(g, x, h).tanh();
                c = f_t * c + i_t * g_t;
                h = o_t * c.tanh();
                expected.push(h as f32);
            }
            // Step 1 written out: i = σ(0.5·0.8 + 0.1 + 0.05) = σ(0.55) = 0.63414,
            // g = tanh(1.1·0.8 − 0.2 + 0.1) = tanh(0.78) = 0.65271, c1 = i·g = 0.41390
            // (f·c0 vanishes), o = σ(0.9·0.8 + 0.2) = σ(0.92) = 0.71504,
            // h1 = o·tanh(c1) = 0.71504·0.39178 = 0.28014.
            assert_close(&expected[..1], &[0.28014], 1e-4, "step 1 by hand");
            assert_close(&values(all), &expected, 1e-5, "hidden states");
            assert_close(&values(state.cell), &[c as f32], 1e-5, "final cell");
            assert_close(&values(state.hidden), &[h as f32], 1e-5, "final hidden");
        });
    }

    #[test]
    fn has_two_bias_vectors_per_gate() {
        let lstm = LstmConfig::new(3, 4, true).init(&Device::flex());
        // 4·(h·(h + x) + 2h) = 4·(4·7 + 8)
        assert_eq!(lstm.num_params(), 144);
        let no_bias = LstmConfig::new(3, 4, false).init(&Device::flex());
        assert_eq!(no_bias.num_params(), 4 * 4 * 7);
    }

    #[test]
    fn backends_agree_on_a_random_layer() {
        // One random layer, made on flex and copied to each device.
        let lstm = LstmConfig::new(3, 2, true).init(&Device::flex());
        backends_agree(AGREE, |device| {
            let lstm = lstm.clone().to_device(device);
            let x = Tensor::<3>::from_data(
                TensorData::new(
                    (0..24).map(|i| (i as f32 * 0.61).cos()).collect(),
                    [2, 4, 3],
                ),
                device,
            );
            values(lstm.forward_sequence(x))
        });
    }

    #[test]
    #[should_panic(
        expected = "Lstm expects a batch-first input [batch, seq_len ≥ 1, 3], got [2, 4, 5]"
    )]
    fn wrong_feature_size_is_named() {
        let device = Device::flex();
        let lstm = LstmConfig::new(3, 2, true).init(&device);
        lstm.forward_sequence(Tensor::zeros([2, 4, 5], &device));
    }
}
