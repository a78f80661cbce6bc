use super::*;
use crate::{Lstm, LstmConfig};
use burn::nn::{BiLstmConfig, GateController, Linear};
use burn::tensor::DType;
use ember_testkit::{assert_close, check_gradient, for_each_device, values};

/// Rows `[w_i; w_f; w_g; w_o]` of PyTorch's layout from burn's four gates, whose `Linear`s
/// store `[in, out]`.
fn stacked(lstm: &Lstm, pick: impl Fn(&GateController) -> &Linear) -> Param<Tensor<2>> {
    let gates = [
        &lstm.input_gate,
        lstm.forget_gate.as_ref().unwrap(),
        &lstm.cell_gate,
        &lstm.output_gate,
    ];
    let weights = gates.map(|g| pick(g).weight.val().transpose()).to_vec();
    Param::from_tensor(Tensor::cat(weights, 0))
}

fn stacked_bias(lstm: &Lstm, pick: impl Fn(&GateController) -> &Linear) -> Param<Tensor<1>> {
    let gates = [
        &lstm.input_gate,
        lstm.forget_gate.as_ref().unwrap(),
        &lstm.cell_gate,
        &lstm.output_gate,
    ];
    let biases = gates.map(|g| pick(g).bias.as_ref().unwrap().val()).to_vec();
    Param::from_tensor(Tensor::cat(biases, 0))
}

/// burn's `Lstm` weights copied into PyTorch's layout.
fn copied(lstm: &Lstm) -> LstmDirection {
    LstmDirection {
        weight_ih: stacked(lstm, |g| &g.input_transform),
        weight_hh: stacked(lstm, |g| &g.hidden_transform),
        bias_ih: Some(stacked_bias(lstm, |g| &g.input_transform)),
        bias_hh: Some(stacked_bias(lstm, |g| &g.hidden_transform)),
    }
}

fn wave(shape: [usize; 3], step: f32, device: &Device) -> Tensor<3> {
    let n = shape.iter().product::<usize>();
    let v = (0..n).map(|i| (i as f32 * step).sin()).collect::<Vec<_>>();
    Tensor::from_data(TensorData::new(v, shape), device)
}

fn lengths(v: &[i64], device: &Device) -> Tensor<1, Int> {
    Tensor::from_data(TensorData::new(v.to_vec(), [v.len()]), device)
}

#[test]
fn agrees_with_burns_lstm_on_copied_weights() {
    for_each_device(|device| {
        device.seed(5);
        let theirs = LstmConfig::new(3, 4, true).init(device);
        let ours = FusedLstm {
            forward: copied(&theirs),
            reverse: None,
        };
        let x = wave([2, 6, 3], 0.37, device);
        let cell = wave([2, 4, 1], 0.9, device).reshape([2, 4]);
        let hidden = wave([2, 4, 1], 1.3, device).reshape([2, 4]);
        let state = LstmState::new(cell.clone(), hidden.clone());
        let (expected, expected_state) = theirs.forward(x.clone(), Some(state));
        let state = LstmState::new(cell.unsqueeze_dim(0), hidden.unsqueeze_dim(0));
        let (all, last) = ours.forward(x, Some(state)).unwrap();
        assert_close(&values(all), &values(expected), 1e-5, "hidden states");
        assert_close(
            &values(last.cell),
            &values(expected_state.cell),
            1e-5,
            "cell",
        );
        assert_close(
            &values(last.hidden),
            &values(expected_state.hidden),
            1e-5,
            "hidden",
        );
    });
}

#[test]
fn agrees_with_burns_bilstm_on_copied_weights() {
    for_each_device(|device| {
        device.seed(8);
        let theirs = BiLstmConfig::new(3, 2, true).init(device);
        let ours = FusedLstm {
            forward: copied(&theirs.forward),
            reverse: Some(copied(&theirs.reverse)),
        };
        let x = wave([2, 5, 3], 0.29, device);
        let (expected, expected_state) = theirs.forward(x.clone(), None);
        let (all, last) = ours.forward(x, None).unwrap();
        assert_close(&values(all), &values(expected), 1e-5, "[→h ; ←h]");
        // burn's BiLstm state is [2, batch, H], forward direction first, as here.
        assert_close(
            &values(last.hidden),
            &values(expected_state.hidden),
            1e-5,
            "h_n",
        );
        assert_close(
            &values(last.cell),
            &values(expected_state.cell),
            1e-5,
            "c_n",
        );
    });
}

/// A 1 → 1 layer with `[i, f, g, o]` rows `W_ih = w`, `W_hh = u`, `b_ih = b`, `b_hh = 0`.
fn scalar_layer(w: [f64; 4], u: [f64; 4], b: [f64; 4], device: &Device, dtype: DType) -> FusedLstm {
    let t2 = |v: [f64; 4]| {
        Param::from_tensor(Tensor::from_data(
            TensorData::new(v.to_vec(), [4, 1]),
            (device, dtype),
        ))
    };
    let t1 = |v: [f64; 4]| {
        Param::from_tensor(Tensor::from_data(
            TensorData::new(v.to_vec(), [4]),
            (device, dtype),
        ))
    };
    FusedLstm {
        forward: LstmDirection {
            weight_ih: t2(w),
            weight_hh: t2(u),
            bias_ih: Some(t1(b)),
            bias_hh: Some(t1([0.0; 4])),
        },
        reverse: None,
    }
}

#[test]
fn two_steps_follow_the_gate_formulas() {
    // The cell of recurrent/lstm.rs's gate-by-gate test, gates [i, f, g, o]:
    // w = W_ih, b = b_x + b_h, u = W_hh.
    let (w, u, b) = (
        [0.5, -0.4, 1.1, 0.9],
        [0.3, 0.2, 0.7, -0.5],
        [0.15, 0.5, -0.1, 0.2],
    );
    for_each_device(|device| {
        let lstm = scalar_layer(w, u, b, device, DType::F32);
        let x = Tensor::<3>::from_data([[[0.8], [-0.5]]], device);
        let (all, last) = lstm.forward(x, None).unwrap();
        // Step 1 by hand: i = σ(0.55) = 0.63414, g = tanh(0.78) = 0.65271, c1 = 0.41390,
        // o = σ(0.92) = 0.71504, h1 = 0.71504·tanh(0.41390) = 0.28014.
        let h = values(all);
        assert_close(&h[..1], &[0.28014], 1e-4, "step 1 by hand");
        // Step 2 from the formulas in f64.
        let s = |v: f64| 1.0 / (1.0 + (-v).exp());
        let (c1, h1) = (0.634_136_8 * 0.652_709_4, h[0] as f64);
        let pre = |k: usize| w[k] * -0.5 + u[k] * h1 + b[k];
        let c2 = s(pre(1)) * c1 + s(pre(0)) * pre(2).tanh();
        let h2 = s(pre(3)) * c2.tanh();
        assert_close(&h[1..], &[h2 as f32], 1e-5, "step 2");
        assert_close(&values(last.cell), &[c2 as f32], 1e-5, "c_2");
    });
}

/// Runs each row alone at its own length and compares with the padded batch.
fn check_rows_alone(lstm: &FusedLstm, x: &Tensor<3>, lens: &[i64], device: &Device) {
    let [batch, seq_len, _] = x.dims();
    let width = lstm.hidden_size();
    let (all, last) = lstm
        .forward_padded(x.clone(), lengths(lens, device), None)
        .unwrap();
    for (b, &len) in lens.iter().enumerate() {
        let len = len as usize;
        let row = x.clone().narrow(0, b, 1).narrow(1, 0, len);
        let (alone, alone_last) = lstm.forward(row, None).unwrap();
        let padded = all.clone().narrow(0, b, 1);
        let real = padded.clone().narrow(1, 0, len);
        assert_close(
            &values(real),
            &values(alone),
            1e-5,
            &format!("row {b} outputs"),
        );
        if len < seq_len {
            let pad = values(padded.narrow(1, len, seq_len - len));
            assert!(
                pad.iter().all(|&v| v == 0.0),
                "row {b}: padded outputs {pad:?}"
            );
        }
        let h = values(last.hidden.clone().narrow(1, b, 1));
        assert_close(
            &h,
            &values(alone_last.hidden),
            1e-5,
            &format!("row {b} h_n"),
        );
        let c = values(last.cell.clone().narrow(1, b, 1));
        assert_close(&c, &values(alone_last.cell), 1e-5, &format!("row {b} c_n"));
    }
    assert_eq!(all.dims(), [batch, seq_len, width]);
}

#[test]
fn padded_rows_equal_the_rows_alone() {
    for_each_device(|device| {
        device.seed(3);
        for bidirectional in [false, true] {
            let lstm = FusedLstmConfig::new(3, 4)
                .with_bidirectional(bidirectional)
                .init(device);
            let x = wave([3, 5, 3], 0.41, device);
            check_rows_alone(&lstm, &x, &[5, 2, 1], device);
            check_rows_alone(&lstm, &x, &[3, 5, 4], device);
        }
    });
}

#[test]
fn padding_values_do_not_matter() {
    for_each_device(|device| {
        device.seed(4);
        let lstm = FusedLstmConfig::new(2, 3)
            .with_bidirectional(true)
            .init(device);
        let lens = [4, 2];
        let x = wave([2, 4, 2], 0.5, device);
        // Row 1's padding (steps 2, 3) replaced by large values.
        let noise = Tensor::<3>::full([1, 2, 2], 7.5, device);
        let other = x.clone().slice_assign(s![1..2, 2..4, ..], noise);
        let run = |x: Tensor<3>| {
            let (all, last) = lstm
                .forward_padded(x, lengths(&lens, device), None)
                .unwrap();
            [values(all), values(last.hidden), values(last.cell)].concat()
        };
        assert_eq!(
            run(x),
            run(other),
            "bit-identical whatever the padding holds"
        );
    });
}

#[test]
fn gradients_match_finite_differences() {
    for_each_device(|device| {
        // With respect to the input of a padded bidirectional batch, through both directions.
        let x0: Vec<f64> = (0..12).map(|i| (i as f64 * 0.7).sin()).collect();
        let base = FusedLstmConfig::new(2, 2)
            .with_bidirectional(true)
            .init(&Device::flex());
        check_gradient(device, [2, 3, 2], &x0, |x| {
            let (d, dtype) = (x.device(), x.dtype());
            let lstm = cast(base.clone().to_device(&d), dtype);
            let weights = Tensor::<3>::from_data(
                TensorData::new((0..24).map(|i| 1.0 - i as f64 * 0.15).collect(), [2, 3, 4]),
                (&d, dtype),
            );
            let (all, last) = lstm.forward_padded(x, lengths(&[3, 2], &d), None).unwrap();
            ((all * weights).sum() + last.cell.sum()).reshape([1])
        });
        // With respect to W_hh of the scalar cell.
        check_gradient(device, [4, 1], &[0.3, 0.2, 0.7, -0.5], |u| {
            let (d, dtype) = (u.device(), u.dtype());
            let mut lstm = scalar_layer([0.5, -0.4, 1.1, 0.9], [0.0; 4], [0.1; 4], &d, dtype);
            lstm.forward.weight_hh = Param::from_tensor(u);
            let x = Tensor::<3>::from_data(
                TensorData::new(vec![0.8, -0.5, 1.2], [1, 3, 1]),
                (&d, dtype),
            );
            let (all, _) = lstm.forward(x, None).unwrap();
            (all * Tensor::from_data(
                TensorData::new(vec![1.0, -2.0, 3.0], [1, 3, 1]),
                (&d, dtype),
            ))
            .sum()
            .reshape([1])
        });
    });
}

#[test]
fn saturated_gates_keep_finite_gradients() {
    for_each_device(|device| {
        let device = device.clone().autodiff();
        let lstm = scalar_layer(
            [90.0, -90.0, 60.0, 95.0],
            [0.0; 4],
            [0.0; 4],
            &device,
            DType::F32,
        );
        let x = Tensor::<3>::from_data([[[2.0f32], [-3.0]]], &device).require_grad();
        let (all, last) = lstm.forward(x.clone(), None).unwrap();
        let grads = (all.sum() + last.cell.sum()).backward();
        let g = values(x.grad(&grads).unwrap());
        assert!(g.iter().all(|v| v.is_finite()), "{g:?}");
    });
}

/// The layer's parameters in `dtype`.
fn cast(lstm: FusedLstm, dtype: DType) -> FusedLstm {
    let direction = |d: LstmDirection| LstmDirection {
        weight_ih: Param::from_tensor(d.weight_ih.val().cast(dtype)),
        weight_hh: Param::from_tensor(d.weight_hh.val().cast(dtype)),
        bias_ih: d.bias_ih.map(|b| Param::from_tensor(b.val().cast(dtype))),
        bias_hh: d.bias_hh.map(|b| Param::from_tensor(b.val().cast(dtype))),
    };
    FusedLstm {
        forward: direction(lstm.forward),
        reverse: lstm.reverse.map(direction),
    }
}

#[test]
fn parameters_follow_pytorchs_layout_count_and_init() {
    let device = Device::flex();
    let lstm = FusedLstmConfig::new(100, 128).init(&device);
    assert_eq!(lstm.forward.weight_ih.dims(), [512, 100]);
    assert_eq!(lstm.forward.weight_hh.dims(), [512, 128]);
    // 4·(H·(in + H) + 2H) = 4·(128·228 + 256) = 117,760.
    assert_eq!(lstm.num_params(), 117_760);
    let bi = FusedLstmConfig::new(100, 128)
        .with_bidirectional(true)
        .init(&device);
    assert_eq!(bi.num_params(), 2 * 117_760);
    let no_bias = FusedLstmConfig::new(3, 4).with_bias(false).init(&device);
    assert_eq!(no_bias.num_params(), 4 * 4 * 7);
    // U(−1/√H, 1/√H): for H = 128, |w| ≤ 0.0884 and the spread fills the range.
    let w = values(lstm.forward.weight_hh.val());
    let bound = 1.0 / 128f32.sqrt();
    assert!(w.iter().all(|v| v.abs() <= bound));
    let max = w.iter().fold(0f32, |m, v| m.max(v.abs()));
    assert!(max > 0.99 * bound, "{max}");
}

#[test]
fn bad_inputs_are_typed_errors() {
    let device = Device::flex();
    let lstm = FusedLstmConfig::new(3, 2).init(&device);
    let err = lstm
        .forward(Tensor::zeros([2, 4, 5], &device), None)
        .unwrap_err();
    assert_eq!(
        err,
        LstmError::InputShape {
            d_input: 3,
            got: vec![2, 4, 5]
        }
    );
    let x = || Tensor::<3>::zeros([2, 4, 3], &device);
    let err = lstm
        .forward_padded(x(), lengths(&[4], &device), None)
        .unwrap_err();
    assert_eq!(err, LstmError::LengthsShape { batch: 2, got: 1 });
    let err = lstm
        .forward_padded(x(), lengths(&[4, 0], &device), None)
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("row 1 has length 0, outside 1..=4"),
        "{err}"
    );
    let err = lstm
        .forward_padded(x(), lengths(&[5, 1], &device), None)
        .unwrap_err();
    assert_eq!(
        err,
        LstmError::LengthOutOfRange {
            row: 0,
            length: 5,
            seq_len: 4
        }
    );
    let state = LstmState::new(
        Tensor::<2>::zeros([2, 2], &device).unsqueeze_dim(1),
        Tensor::zeros([2, 1, 2], &device),
    );
    let err = lstm.forward(x(), Some(state)).unwrap_err();
    assert_eq!(
        err,
        LstmError::StateShape {
            expected: [1, 2, 2],
            got: vec![2, 1, 2]
        }
    );
}

#[test]
fn time_steps_come_out_in_order() {
    let device = Device::flex();
    for len in [1, 2, 4, 5, 10, 28] {
        let steps = (0..len).map(|t| t as f32).collect::<Vec<_>>();
        let projected =
            Tensor::<3>::from_data(TensorData::new(steps.clone(), [len, 1, 1]), &device);
        let cut: Vec<f32> = time_steps(projected).into_iter().flat_map(values).collect();
        assert_eq!(cut, steps, "T = {len}");
    }
}
