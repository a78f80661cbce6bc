//! A bidirectional wrapper for any [`Recurrent`] layer.

use burn::module::Module;
use burn::prelude::*;

use super::layer::{check_sequence, Recurrent};

/// Two copies of a recurrent layer, one reading the sequence forwards and one backwards
/// (Schuster & Paliwal 1997), their states concatenated on the feature axis:
///
/// ```text
/// →h_t = forward layer's state after x_1 … x_t
/// ←h_t = backward layer's state after x_T … x_t   (run on the reversed sequence, then
///                                                  its outputs reversed back)
/// y_t  = [→h_t ; ←h_t]
/// ```
///
/// Works with any [`Recurrent`] layer: [`SimpleRnn`](crate::SimpleRnn),
/// [`Lstm`](crate::Lstm), [`Gru`](crate::Gru) or your own. `Bidirectional<Lstm>` computes
/// what burn's `BiLstm` computes (burn's reverse `Lstm` walks the time steps backwards and
/// stores each state at its own index, which equals reversing in and out), and likewise
/// `Bidirectional<Gru>` and burn's `BiGru`. burn's versions also take and return the final
/// states (`[2, batch, h]`); this one returns the sequence only, for any layer.
///
/// Parameters: twice the wrapped layer's.
///
/// # Shapes
/// - input: `[batch, seq_len, d_input]`
/// - output: `[batch, seq_len, 2·d_hidden]`, forward states first
///
/// # Example
/// ```
/// use burn::prelude::*;
/// use ember_layers::{Bidirectional, LstmConfig, Recurrent};
///
/// let device = Device::flex();
/// let config = LstmConfig::new(8, 16, true);
/// let bi = Bidirectional::new(config.init(&device), config.init(&device));
/// let states = bi.forward(Tensor::zeros([4, 10, 8], &device));
/// assert_eq!(states.dims(), [4, 10, 32]);
/// assert_eq!(bi.hidden_size(), 32);
/// ```
#[derive(Module, Debug)]
pub struct Bidirectional<M> {
    /// The layer reading `x_1 … x_T`.
    pub forward: M,
    /// The layer reading `x_T … x_1`.
    pub backward: M,
}

impl<M: Recurrent> Bidirectional<M> {
    /// Wraps two independently initialised layers of the same sizes, e.g.
    /// `Bidirectional::new(config.init(&device), config.init(&device))`.
    ///
    /// # Panics
    /// If the two layers' input or hidden sizes differ.
    pub fn new(forward: M, backward: M) -> Self {
        let sizes = |m: &M| [m.input_size(), m.hidden_size()];
        assert_eq!(
            sizes(&forward),
            sizes(&backward),
            "Bidirectional needs two layers of the same [input, hidden] sizes, got {:?} and {:?}",
            sizes(&forward),
            sizes(&backward)
        );
        Self { forward, backward }
    }

    /// `[→h ; ←h]` for every time step of `input`.
    ///
    /// # Panics
    /// If `input` is not `[batch, seq_len ≥ 1, d_input]`, naming the expected and received
    /// shapes.
    pub fn forward(&self, input: Tensor<3>) -> Tensor<3> {
        check_sequence("Bidirectional", &input, self.input_size());
        let ahead = self.forward.forward_sequence(input.clone());
        let behind = self.backward.forward_sequence(input.flip([1])).flip([1]);
        Tensor::cat(vec![ahead, behind], 2)
    }
}

impl<M: Recurrent> Recurrent for Bidirectional<M> {
    fn input_size(&self) -> usize {
        self.forward.input_size()
    }

    /// Twice the wrapped layer's hidden size.
    fn hidden_size(&self) -> usize {
        2 * self.forward.hidden_size()
    }

    fn forward_sequence(&self, input: Tensor<3>) -> Tensor<3> {
        self.forward(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LstmConfig, SimpleRnn, SimpleRnnConfig};
    use burn::module::Param;
    use burn::nn::{BiLstmConfig, Linear};
    use burn::tensor::DType;
    use ember_testkit::{
        assert_close, backends_agree, check_gradient, for_each_device, values, AGREE,
    };

    /// A 1 → 1 simple RNN `h_t = tanh(u·x_t + w·h_{t−1} + b)` in `dtype` on `device`.
    fn rnn(u: f64, w: f64, b: f64, device: &Device, dtype: DType) -> SimpleRnn {
        let param = |v: f64| {
            Param::from_tensor(Tensor::<2>::from_data(
                TensorData::new(vec![v], [1, 1]),
                (device, dtype),
            ))
        };
        let bias = Tensor::<1>::from_data(TensorData::new(vec![b], [1]), (device, dtype));
        SimpleRnn {
            input: Linear {
                weight: param(u),
                bias: Some(Param::from_tensor(bias)),
            },
            hidden: Linear {
                weight: param(w),
                bias: None,
            },
        }
    }

    #[test]
    fn concatenates_forward_and_reversed_states_by_hand() {
        for_each_device(|device| {
            let bi = Bidirectional::new(
                rnn(1.0, 0.5, 0.0, device, DType::F32),
                rnn(2.0, -0.5, 0.1, device, DType::F32),
            );
            let out = bi.forward(Tensor::from_data([[[0.3], [-0.6]]], device));
            assert_eq!(out.dims(), [1, 2, 2]);
            // Forward: →h1 = tanh(0.3), →h2 = tanh(−0.6 + 0.5·→h1).
            let f1 = 0.3f64.tanh();
            let f2 = (-0.6 + 0.5 * f1).tanh();
            // Backward reads −0.6 first: ←h2 = tanh(2·(−0.6) + 0.1) = tanh(−1.1),
            // then ←h1 = tanh(2·0.3 − 0.5·←h2 + 0.1), stored at step 1.
            let b2 = (-1.1f64).tanh();
            let b1 = (0.7 - 0.5 * b2).tanh();
            let expected = [f1, b1, f2, b2].map(|v| v as f32);
            assert_close(&values(out), &expected, 1e-5, "[→h ; ←h] per step");
        });
    }

    #[test]
    fn backward_half_is_the_layer_on_the_reversed_input() {
        for_each_device(|device| {
            device.seed(11);
            let config = SimpleRnnConfig::new(2, 3);
            let bi = Bidirectional::new(config.init(device), config.init(device));
            let x = Tensor::<3>::from_data(
                TensorData::new((0..16).map(|i| (i as f32 * 0.7).sin()).collect(), [2, 4, 2]),
                device,
            );
            let out = bi.forward(x.clone());
            let behind = out.narrow(2, 3, 3);
            let reversed = bi.backward.forward_sequence(x.flip([1])).flip([1]);
            assert_close(&values(behind), &values(reversed), 1e-6, "backward half");
        });
    }

    #[test]
    fn matches_burns_bilstm() {
        for_each_device(|device| {
            device.seed(2);
            let bilstm = BiLstmConfig::new(3, 2, true).init(device);
            let x = Tensor::<3>::from_data(
                TensorData::new(
                    (0..30).map(|i| (i as f32 * 0.29).cos()).collect(),
                    [2, 5, 3],
                ),
                device,
            );
            let (theirs, _) = bilstm.forward(x.clone(), None);
            let ours = Bidirectional::new(bilstm.forward, bilstm.reverse).forward(x);
            assert_close(&values(ours), &values(theirs), 1e-5, "Bidirectional<Lstm>");
        });
    }

    #[test]
    fn gradient_wrt_input_matches_finite_differences() {
        for_each_device(|device| {
            let x0 = [0.4, -0.3, 0.8];
            check_gradient(device, [1, 3, 1], &x0, |x| {
                let (d, dtype) = (x.device(), x.dtype());
                let bi = Bidirectional::new(
                    rnn(0.9, 0.6, 0.1, &d, dtype),
                    rnn(-1.2, 0.4, -0.2, &d, dtype),
                );
                // Different weights per output so both halves and every step count.
                let weights = Tensor::<3>::from_data(
                    TensorData::new(vec![1.0, 2.0, -1.0, 0.5, 3.0, -2.0], [1, 3, 2]),
                    (&d, dtype),
                );
                bi.forward(x).mul(weights).sum().reshape([1])
            });
        });
    }

    #[test]
    fn gradient_wrt_backward_weight_matches_finite_differences() {
        for_each_device(|device| {
            check_gradient(device, [1, 1], &[0.4], |w| {
                let (d, dtype) = (w.device(), w.dtype());
                let mut backward = rnn(-1.2, 0.0, -0.2, &d, dtype);
                backward.hidden.weight = Param::from_tensor(w);
                let bi = Bidirectional::new(rnn(0.9, 0.6, 0.1, &d, dtype), backward);
                let x = Tensor::<3>::from_data(
                    TensorData::new(vec![0.4, -0.3, 0.8], [1, 3, 1]),
                    (&d, dtype),
                );
                bi.forward(x).narrow(1, 0, 1).sum().reshape([1])
            });
        });
    }

    #[test]
    fn backends_agree_on_a_bidirectional_lstm() {
        // One random layer, made on flex and copied to each device.
        let config = LstmConfig::new(3, 2, true);
        let flex = Device::flex();
        let bi = Bidirectional::new(config.init(&flex), config.init(&flex));
        backends_agree(AGREE, |device| {
            let bi = bi.clone().to_device(device);
            let x = Tensor::<3>::from_data(
                TensorData::new((0..24).map(|i| (i as f32 * 0.5).sin()).collect(), [2, 4, 3]),
                device,
            );
            let out = bi.forward(x);
            assert_eq!(out.dims(), [2, 4, 4]);
            values(out)
        });
    }

    #[test]
    #[should_panic(
        expected = "Bidirectional expects a batch-first input [batch, seq_len ≥ 1, 2], got [1, 4, 3]"
    )]
    fn wrong_feature_size_is_named() {
        let device = Device::flex();
        let config = SimpleRnnConfig::new(2, 3);
        let bi = Bidirectional::new(config.init(&device), config.init(&device));
        bi.forward(Tensor::zeros([1, 4, 3], &device));
    }

    #[test]
    #[should_panic(
        expected = "Bidirectional needs two layers of the same [input, hidden] sizes, got [2, 3] and [2, 4]"
    )]
    fn mismatched_layers_are_named() {
        let device = Device::flex();
        Bidirectional::new(
            SimpleRnnConfig::new(2, 3).init(&device),
            SimpleRnnConfig::new(2, 4).init(&device),
        );
    }
}
