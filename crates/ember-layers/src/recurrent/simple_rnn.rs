//! The simple (Elman) recurrent layer.

use burn::module::{Initializer, Module};
use burn::nn::{Linear, LinearConfig, LinearLayout};
use burn::prelude::*;

use super::layer::{check_sequence, Recurrent};

/// Configuration of a [`SimpleRnn`].
#[derive(Config, Debug)]
pub struct SimpleRnnConfig {
    /// Features per time step of the input (`x`).
    pub d_input: usize,
    /// Size of the hidden state (`h`).
    pub d_hidden: usize,
    /// Whether the layer has the bias `b`. Default `true`.
    #[config(default = true)]
    pub bias: bool,
    /// How `U`, `W` and `b` are drawn. Default `XavierNormal { gain: 1.0 }`, as burn's
    /// `Rnn`, `Lstm` and `Gru` (Keras draws `W` orthogonal and sets `b` to zero;
    /// PyTorch draws everything from `U(−1/√h, 1/√h)`).
    #[config(default = "Initializer::XavierNormal { gain: 1.0 }")]
    pub initializer: Initializer,
}

/// The simple recurrent layer of Elman (1990), Keras' `SimpleRNN`:
///
/// `h_t = tanh(W h_{t−1} + U x_t + b)`, with `h_0 = 0` unless an initial state is given.
///
/// Weights are stored as burn stores a [`Linear`]'s, `[in, out]`, so the code computes the
/// same thing with row vectors: `h_t = tanh(x_t·U + h_{t−1}·W + b)`.
///
/// Parameters: `h·(h + x + 1)` (`h·(h + x)` without bias): one bias vector, as Keras and
/// d2l.ai. burn's own [`burn::nn::Rnn`] is PyTorch's variant with two bias vectors
/// (`h·(h + x + 2)` parameters); the two compute the same functions, with
/// `b = b_ih + b_hh`.
///
/// # Shapes
/// - input: `[batch, seq_len, d_input]` (batch-first, like burn)
/// - initial state (optional): `[batch, d_hidden]`
/// - output: all hidden states `[batch, seq_len, d_hidden]` and the last one
///   `[batch, d_hidden]`
#[derive(Module, Debug)]
pub struct SimpleRnn {
    /// `U` `[d_input, d_hidden]` and the bias `b` `[d_hidden]`.
    pub input: Linear,
    /// `W` `[d_hidden, d_hidden]`, without bias.
    pub hidden: Linear,
}

impl SimpleRnnConfig {
    /// A new layer on `device`.
    ///
    /// # Panics
    /// If `d_input` or `d_hidden` is zero.
    pub fn init(&self, device: &Device) -> SimpleRnn {
        assert!(
            self.d_input > 0 && self.d_hidden > 0,
            "SimpleRnnConfig: d_input and d_hidden must be positive, got d_input = {}, d_hidden = {}",
            self.d_input,
            self.d_hidden
        );
        let linear = |d_input, bias| LinearConfig {
            d_input,
            d_output: self.d_hidden,
            bias,
            initializer: self.initializer.clone(),
            layout: LinearLayout::Row,
        };
        SimpleRnn {
            input: linear(self.d_input, self.bias).init(device),
            hidden: linear(self.d_hidden, false).init(device),
        }
    }
}

impl SimpleRnn {
    /// Runs the layer over the sequence `input`, from `state` (zeros when `None`).
    ///
    /// Returns all hidden states `[batch, seq_len, d_hidden]` and the last one
    /// `[batch, d_hidden]`.
    ///
    /// # Panics
    /// If `input` is not `[batch, seq_len ≥ 1, d_input]` or `state` not `[batch, d_hidden]`,
    /// naming the expected and received shapes.
    pub fn forward(&self, input: Tensor<3>, state: Option<Tensor<2>>) -> (Tensor<3>, Tensor<2>) {
        let [batch, seq_len, _] = check_sequence("SimpleRnn", &input, self.input_size());
        let d_hidden = self.hidden_size();
        let mut h = match state {
            Some(state) => {
                assert_eq!(
                    state.dims(),
                    [batch, d_hidden],
                    "SimpleRnn expects an initial state [batch, d_hidden] = {:?}, got {:?}",
                    [batch, d_hidden],
                    state.dims()
                );
                state
            }
            None => Tensor::zeros([batch, d_hidden], (&input.device(), input.dtype())),
        };
        // U x_t + b for every step at once: [batch, seq_len, d_hidden].
        let driven = self.input.forward(input);
        let mut states = Vec::with_capacity(seq_len);
        for t in 0..seq_len {
            let x_t: Tensor<2> = driven.clone().narrow(1, t, 1).squeeze_dim(1);
            h = (x_t + self.hidden.forward(h)).tanh();
            states.push(h.clone());
        }
        (Tensor::stack(states, 1), h)
    }
}

impl Recurrent for SimpleRnn {
    fn input_size(&self) -> usize {
        self.input.weight.dims()[0]
    }

    fn hidden_size(&self) -> usize {
        self.hidden.weight.dims()[0]
    }

    fn forward_sequence(&self, input: Tensor<3>) -> Tensor<3> {
        self.forward(input, None).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::Param;
    use ember_testkit::{
        assert_close, backends_agree, check_gradient, for_each_device, values, AGREE,
    };

    /// A layer with x = 2, h = 1 from the given values, in `dtype` on `device`:
    /// `U = [u1, u2]ᵀ`, `W = [w]`, `b = [b]`.
    fn layer(
        u: [f64; 2],
        w: f64,
        b: f64,
        device: &Device,
        dtype: burn::tensor::DType,
    ) -> SimpleRnn {
        let t = |v: Vec<f64>, shape: Vec<usize>| {
            Tensor::<2>::from_data(TensorData::new(v, shape), (device, dtype))
        };
        SimpleRnn {
            input: Linear {
                weight: Param::from_tensor(t(u.to_vec(), vec![2, 1])),
                bias: Some(Param::from_tensor(Tensor::from_data(
                    TensorData::new(vec![b], [1]),
                    (device, dtype),
                ))),
            },
            hidden: Linear {
                weight: Param::from_tensor(t(vec![w], vec![1, 1])),
                bias: None,
            },
        }
    }

    #[test]
    fn two_steps_by_hand() {
        for_each_device(|device| {
            let dtype = burn::tensor::DType::F32;
            let rnn = layer([0.5, -1.0], 0.8, 0.1, device, dtype);
            let x = Tensor::<3>::from_data([[[1.0, 0.5], [-0.2, 0.3]]], device);
            let (all, last) = rnn.forward(x, None);
            // t=1: h1 = tanh(0.5·1 − 1·0.5 + 0.8·0 + 0.1) = tanh(0.1)
            let h1 = 0.1f64.tanh();
            // t=2: h2 = tanh(0.5·(−0.2) − 1·0.3 + 0.8·h1 + 0.1) = tanh(−0.3 + 0.8·h1)
            let h2 = (-0.3 + 0.8 * h1).tanh();
            let expected = [h1 as f32, h2 as f32];
            assert_eq!(all.dims(), [1, 2, 1]);
            assert_close(&values(all), &expected, 1e-5, "all states");
            assert_close(&values(last), &expected[1..], 1e-5, "last state");
        });
    }

    #[test]
    fn starts_from_the_given_state() {
        for_each_device(|device| {
            let rnn = layer([1.0, 0.0], 0.5, 0.0, device, burn::tensor::DType::F32);
            let x = Tensor::<3>::from_data([[[0.2, 9.0]], [[0.0, 9.0]]], device);
            let h0 = Tensor::<2>::from_data([[1.0], [-2.0]], device);
            let (_, last) = rnn.forward(x, Some(h0));
            // h1 = tanh(1·x_a + 0.5·h0): tanh(0.2 + 0.5) and tanh(0 − 1).
            let expected = [0.7f64.tanh() as f32, (-1.0f64).tanh() as f32];
            assert_close(&values(last), &expected, 1e-5, "last state");
        });
    }

    #[test]
    fn backends_agree_on_a_random_layer() {
        // One random layer, made on flex and copied to each device.
        let rnn = SimpleRnnConfig::new(3, 4).init(&Device::flex());
        let out = backends_agree(AGREE, |device| {
            let rnn = rnn.clone().to_device(device);
            let x = Tensor::<3>::from_data(
                TensorData::new(
                    (0..30).map(|i| (i as f32 * 0.37).sin()).collect(),
                    [2, 5, 3],
                ),
                device,
            );
            let (all, _) = rnn.forward(x, None);
            assert_eq!(all.dims(), [2, 5, 4]);
            values(all)
        });
        assert!(out.iter().all(|v| v.abs() < 1.0), "tanh bounds the states");
    }

    #[test]
    fn gradient_wrt_input_matches_finite_differences() {
        for_each_device(|device| {
            let x0 = [0.3, -0.7, 0.5, 0.1, -0.4, 0.9];
            check_gradient(device, [1, 3, 2], &x0, |x| {
                let rnn = layer([0.6, -0.9], 0.7, 0.2, &x.device(), x.dtype());
                let (all, last) = rnn.forward(x, None);
                // Weight each state differently so every step's gradient matters.
                (all.sum() + last.mul_scalar(2.0).sum()).reshape([1])
            });
        });
    }

    #[test]
    fn gradient_wrt_recurrent_weight_matches_finite_differences() {
        for_each_device(|device| {
            check_gradient(device, [1, 1], &[0.7], |w| {
                let (d, dtype) = (w.device(), w.dtype());
                let mut rnn = layer([0.6, -0.9], 0.0, 0.2, &d, dtype);
                rnn.hidden.weight = Param::from_tensor(w);
                let x = Tensor::<3>::from_data(
                    TensorData::new(vec![0.3, -0.7, 0.5, 0.1, -0.4, 0.9], [1, 3, 2]),
                    (&d, dtype),
                );
                rnn.forward(x, None).1.sum().reshape([1])
            });
        });
    }

    #[test]
    fn counts_one_bias_vector() {
        let rnn = SimpleRnnConfig::new(3, 4).init(&Device::flex());
        // h·(h + x + 1) = 4·(4 + 3 + 1)
        assert_eq!(rnn.num_params(), 32);
        let no_bias = SimpleRnnConfig::new(3, 4)
            .with_bias(false)
            .init(&Device::flex());
        assert_eq!(no_bias.num_params(), 28);
    }

    #[test]
    #[should_panic(
        expected = "SimpleRnn expects a batch-first input [batch, seq_len ≥ 1, 3], got [2, 5, 4]"
    )]
    fn wrong_feature_size_is_named() {
        let device = Device::flex();
        let rnn = SimpleRnnConfig::new(3, 4).init(&device);
        rnn.forward(Tensor::zeros([2, 5, 4], &device), None);
    }

    #[test]
    #[should_panic(
        expected = "SimpleRnn expects an initial state [batch, d_hidden] = [2, 4], got [1, 4]"
    )]
    fn wrong_state_shape_is_named() {
        let device = Device::flex();
        let rnn = SimpleRnnConfig::new(3, 4).init(&device);
        rnn.forward(
            Tensor::zeros([2, 5, 3], &device),
            Some(Tensor::zeros([1, 4], &device)),
        );
    }
}
