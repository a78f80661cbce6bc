//! Ember's LSTM with fused gates: one matrix product for the input projection of all time
//! steps, one per step for the hidden projection of the four gates together, PyTorch's
//! parameter layout, per-row lengths and a bidirectional form.

mod order;

use burn::module::{Initializer, Module, Param};
use burn::prelude::*;

use self::order::{step_masks, time_steps, Order, StepMasks, Way};
use super::layer::Recurrent;
use super::LstmState;
use crate::LstmError;

/// Configuration of a [`FusedLstm`]: `FusedLstmConfig::new(d_input, d_hidden)`.
#[derive(Config, Debug)]
pub struct FusedLstmConfig {
    /// Features per time step of the input (`x`, PyTorch's `input_size`).
    pub d_input: usize,
    /// Size of the hidden and cell state (`H`, PyTorch's `hidden_size`).
    pub d_hidden: usize,
    /// Whether the gates have the biases `b_ih`, `b_hh`. Default `true` (as PyTorch).
    #[config(default = true)]
    pub bias: bool,
    /// Whether a second direction reads each row backwards. Default `false`.
    #[config(default = false)]
    pub bidirectional: bool,
}

/// One direction's parameters, in PyTorch's layout: the four gates stacked in the order
/// input `i`, forget `f`, cell candidate `g`, output `o` (rows `0..H`, `H..2H`, `2H..3H`,
/// `3H..4H`).
#[derive(Module, Debug)]
pub struct LstmDirection {
    /// `W_ih` `[4H, d_input]` (PyTorch `weight_ih_l0`).
    pub weight_ih: Param<Tensor<2>>,
    /// `W_hh` `[4H, H]` (PyTorch `weight_hh_l0`).
    pub weight_hh: Param<Tensor<2>>,
    /// `b_ih` `[4H]` (PyTorch `bias_ih_l0`).
    pub bias_ih: Option<Param<Tensor<1>>>,
    /// `b_hh` `[4H]` (PyTorch `bias_hh_l0`).
    pub bias_hh: Option<Param<Tensor<1>>>,
}

/// Long short-term memory (Hochreiter & Schmidhuber 1997, forget gate of Gers et al.
/// 2000), computing what burn's [`Lstm`](crate::Lstm) and PyTorch's `nn.LSTM` compute, per
/// time step (σ the logistic sigmoid, ⊙ the element-wise product):
///
/// ```text
/// [i; f; g; o] = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh      (4H pre-activations)
/// i_t = σ(i)   f_t = σ(f)   g_t = tanh(g)   o_t = σ(o)
/// c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
/// h_t = o_t ⊙ tanh(c_t)
/// ```
///
/// **Why it is faster than burn's `Lstm`.** burn runs eight small products per step (four
/// gates × input and hidden). Here the input projection `W_ih x_t + b_ih + b_hh` of all
/// `T` steps is one `[B·T, d_input] × [d_input, 4H]` product, and each step does one
/// `[4H, H] × [H, B]` product for the four gates together (feature-major, so each gate is a
/// contiguous block); the gates go through one exponential (`σ(x) = 1/(1 + e^−x)`,
/// `tanh(x) = 2σ(2x) − 1`). The per-step slices of the projection are cut by
/// a tree (each part split in three) so that their backward pass, which burn's autodiff
/// writes into a zero tensor the size of the sliced one, costs `O(T·log T)` rather than
/// `O(T²)`.
///
/// **Padding.** [`forward_padded`](FusedLstm::forward_padded) takes right-padded rows and
/// their lengths: past a row's length the update is masked,
/// `h_t = m·h_new + (1 − m)·h_{t−1}` (likewise `c_t`), so the final state of a row is its
/// state at its last real token; the reverse direction reads each row backwards from its
/// last real token (`x_{len−1} … x_0`), and the outputs at padded positions are zero (as
/// PyTorch's `pad_packed_sequence`). Outputs at real positions and the final state do not
/// depend on the padding at all.
///
/// **PyTorch.** `weight_ih [4H, in]`, `weight_hh [4H, H]`, `bias_ih [4H]`, `bias_hh [4H]`,
/// gate order `i, f, g, o`, initialised `U(−1/√H, 1/√H)` like `nn.LSTM`. A one-layer
/// `nn.LSTM`'s state_dict loads with the key remap
/// `{weight,bias}_{ih,hh}_l0 → forward.{weight,bias}_{ih,hh}` and
/// `…_l0_reverse → reverse.…` (e.g. burn-store's `KeyRemapper` with
/// `(weight|bias)_(ih|hh)_l0_reverse$ → reverse.$1_$2`, then
/// `(weight|bias)_(ih|hh)_l0$ → forward.$1_$2`).
///
/// **Parameters** per direction: `4·(H·(d_input + H) + 2H)` (`4·H·(d_input + H)` without
/// bias), twice that when bidirectional.
///
/// # Shapes
/// - input: `[batch, seq_len, d_input]` (batch-first); lengths `[batch]`
/// - initial state (optional): [`LstmState`] with cell and hidden `[directions, batch, H]`
///   (PyTorch's `h_0`, `c_0` of one layer)
/// - output: all hidden states `[batch, seq_len, directions·H]` (forward states first) and
///   the final state `[directions, batch, H]`
///
/// # Example
/// ```
/// use burn::prelude::*;
/// use ember_layers::FusedLstmConfig;
///
/// let device = Device::flex();
/// let lstm = FusedLstmConfig::new(8, 16).with_bidirectional(true).init(&device);
/// let x = Tensor::<3>::zeros([4, 10, 8], &device);
/// let lengths = Tensor::<1, Int>::from_data([10, 7, 3, 1], &device);
/// let (states, last) = lstm.forward_padded(x, lengths, None).unwrap();
/// assert_eq!(states.dims(), [4, 10, 32]);
/// assert_eq!(last.hidden.dims(), [2, 4, 16]);
/// // 2 directions · 4·(16·(8 + 16) + 2·16)
/// assert_eq!(lstm.num_params(), 2 * 1_664);
/// ```
#[derive(Module, Debug)]
pub struct FusedLstm {
    /// The direction reading `x_0 … x_{len−1}`.
    pub forward: LstmDirection,
    /// The direction reading `x_{len−1} … x_0`, when bidirectional.
    pub reverse: Option<LstmDirection>,
}

impl FusedLstmConfig {
    /// A new layer on `device`, every weight and bias drawn from `U(−1/√H, 1/√H)`
    /// (PyTorch's `nn.LSTM`; seed the device for a reproducible start).
    ///
    /// # Panics
    /// If `d_input` or `d_hidden` is zero.
    pub fn init(&self, device: &Device) -> FusedLstm {
        let (x, h) = (self.d_input, self.d_hidden);
        assert!(
            x > 0 && h > 0,
            "FusedLstmConfig: d_input and d_hidden must be positive, got d_input = {x}, d_hidden = {h}"
        );
        let bound = 1.0 / (h as f64).sqrt();
        let init = Initializer::Uniform {
            min: -bound,
            max: bound,
        };
        let direction = || LstmDirection {
            weight_ih: init.init([4 * h, x], device),
            weight_hh: init.init([4 * h, h], device),
            bias_ih: self.bias.then(|| init.init([4 * h], device)),
            bias_hh: self.bias.then(|| init.init([4 * h], device)),
        };
        FusedLstm {
            forward: direction(),
            reverse: self.bidirectional.then(direction),
        }
    }
}

impl LstmDirection {
    /// `H`.
    pub fn d_hidden(&self) -> usize {
        self.weight_hh.dims()[1]
    }

    /// `d_input`.
    pub fn d_input(&self) -> usize {
        self.weight_ih.dims()[1]
    }

    /// Runs over `input` `[B, T, in]` in `order`, from `(cell, hidden)` `[B, H]`; returns
    /// all hidden states `[B, T, H]` (batch-first) and the final state.
    fn run(
        &self,
        input: Tensor<3>,
        order: &Order,
        masks: &StepMasks,
        (mut cell, mut hidden): (Tensor<2>, Tensor<2>),
    ) -> (Tensor<3>, (Tensor<2>, Tensor<2>)) {
        let [batch, seq_len, d_input] = input.dims();
        let h = self.d_hidden();
        // Feature-major, so that each gate is a contiguous block of rows: the states are
        // [H, B], the gates [4H, B]. All time steps at once: W_ih [4H, in] × X [in, T·B].
        let x = input
            .reshape([batch * seq_len, d_input])
            .select(0, order.gather.clone());
        let mut projected = self.weight_ih.val().matmul(x.transpose());
        if let (Some(b_ih), Some(b_hh)) = (&self.bias_ih, &self.bias_hh) {
            projected = projected + (b_ih.val() + b_hh.val()).unsqueeze_dim(1);
        }
        let projected = projected.reshape([4 * h, seq_len, batch]).swap_dims(0, 1);
        let w_hh = self.weight_hh.val();
        // σ(x) = 1/(1 + e^−x) and tanh(x) = 2σ(2x) − 1: one exponential for the four gates,
        // whose pre-activations are scaled by −1 (i, f, o) and −2 (g). (burn's tanh and
        // sigmoid cost flex two to three exponentials' time.)
        let scale: Vec<f32> = (0..4 * h)
            .map(|k| if k / h == 2 { -2.0 } else { -1.0 })
            .collect();
        let scale = Tensor::<2>::from_data(
            TensorData::new(scale, [4 * h, 1]),
            (&projected.device(), projected.dtype()),
        );
        // The exponent is capped at 80 so that e^80 stays finite in f32 (σ there is 1.8e-35
        // either way), else its backward pass would multiply 0 by ∞.
        let sigma = |scaled: Tensor<2>| scaled.clamp_max(80.0).exp().add_scalar(1.0).recip();
        let tanh = |x: Tensor<2>| sigma(x.mul_scalar(-2.0)).mul_scalar(2.0).sub_scalar(1.0);

        (cell, hidden) = (cell.transpose(), hidden.transpose());
        let mut outputs = Vec::with_capacity(seq_len);
        for (x_t, mask) in time_steps(projected).into_iter().zip(masks) {
            let gates = sigma((x_t + w_hh.clone().matmul(hidden.clone())) * scale.clone());
            let [i, f, g, o]: [Tensor<2>; 4] = gates.chunk(4, 0).try_into().expect("4 gates");
            let g = g.mul_scalar(2.0).sub_scalar(1.0);
            let c_new = f * cell.clone() + i * g;
            let h_new = o * tanh(c_new.clone());
            match mask {
                None => {
                    cell = c_new;
                    hidden = h_new.clone();
                    outputs.push(h_new);
                }
                Some((m, keep)) => {
                    cell = c_new * m.clone() + cell * keep.clone();
                    hidden = h_new.clone() * m.clone() + hidden * keep.clone();
                    outputs.push(h_new * m.clone());
                }
            }
        }
        let all = Tensor::stack::<3>(outputs, 0)
            .swap_dims(1, 2)
            .reshape([seq_len * batch, h])
            .select(0, order.scatter.clone())
            .reshape([batch, seq_len, h]);
        (all, (cell.transpose(), hidden.transpose()))
    }
}

impl FusedLstm {
    /// Features per time step the layer reads.
    pub fn d_input(&self) -> usize {
        self.forward.d_input()
    }

    /// `H`, the state size of one direction.
    pub fn d_hidden(&self) -> usize {
        self.forward.d_hidden()
    }

    /// 1, or 2 when bidirectional.
    pub fn directions(&self) -> usize {
        1 + usize::from(self.reverse.is_some())
    }

    /// All hidden states and the final state of full-length rows (no padding), from
    /// `state` or zeros.
    ///
    /// # Shapes
    /// `[batch, seq_len, d_input]` → `[batch, seq_len, directions·H]` and
    /// `[directions, batch, H]`.
    ///
    /// # Errors
    /// [`LstmError::InputShape`], [`LstmError::StateShape`].
    pub fn forward(
        &self,
        input: Tensor<3>,
        state: Option<LstmState<3>>,
    ) -> Result<(Tensor<3>, LstmState<3>), LstmError> {
        let [batch, seq_len, _] = self.check_input(&input)?;
        self.run(input, &vec![seq_len; batch], state)
    }

    /// As [`forward`](FusedLstm::forward) for right-padded rows of the given `lengths`
    /// (real tokens per row): the update is masked past each row's length, the reverse
    /// direction starts at each row's last real token, padded outputs are zero.
    ///
    /// Reads the lengths to the host (one small transfer) to check them.
    ///
    /// # Errors
    /// [`LstmError::InputShape`], [`LstmError::LengthsShape`],
    /// [`LstmError::LengthOutOfRange`], [`LstmError::StateShape`].
    pub fn forward_padded(
        &self,
        input: Tensor<3>,
        lengths: Tensor<1, Int>,
        state: Option<LstmState<3>>,
    ) -> Result<(Tensor<3>, LstmState<3>), LstmError> {
        let [batch, seq_len, _] = self.check_input(&input)?;
        let lengths = check_lengths(lengths, batch, seq_len)?;
        self.run(input, &lengths, state)
    }

    fn check_input(&self, input: &Tensor<3>) -> Result<[usize; 3], LstmError> {
        let dims = input.dims();
        if dims[2] != self.d_input() || dims[0] == 0 || dims[1] == 0 {
            return Err(LstmError::InputShape {
                d_input: self.d_input(),
                got: dims.to_vec(),
            });
        }
        Ok(dims)
    }

    fn run(
        &self,
        input: Tensor<3>,
        lengths: &[usize],
        state: Option<LstmState<3>>,
    ) -> Result<(Tensor<3>, LstmState<3>), LstmError> {
        let [batch, seq_len, _] = input.dims();
        let (device, dtype) = (input.device(), input.dtype());
        let expected = [self.directions(), batch, self.d_hidden()];
        let (cell, hidden) = match state {
            None => {
                let zeros = Tensor::<3>::zeros(expected, (&device, dtype));
                (zeros.clone(), zeros)
            }
            Some(state) if state.cell.dims() == expected && state.hidden.dims() == expected => {
                state.unpack()
            }
            Some(state) => {
                return Err(LstmError::StateShape {
                    expected,
                    got: state.hidden.dims().to_vec(),
                })
            }
        };
        let masks = step_masks(lengths, seq_len, &device, dtype);
        let start = |d: usize| {
            let pick = |t: &Tensor<3>| t.clone().narrow(0, d, 1).reshape([batch, expected[2]]);
            (pick(&cell), pick(&hidden))
        };
        let ways = [
            (Way::Ahead, Some(&self.forward)),
            (Way::Behind, self.reverse.as_ref()),
        ];
        let (mut outputs, mut cells, mut hiddens) = (Vec::new(), Vec::new(), Vec::new());
        for (d, (way, direction)) in ways.into_iter().enumerate() {
            let Some(direction) = direction else { continue };
            let order = Order::new(way, lengths, seq_len, &device);
            let (all, (c, h)) = direction.run(input.clone(), &order, &masks, start(d));
            outputs.push(all);
            cells.push(c);
            hiddens.push(h);
        }
        Ok((
            Tensor::cat(outputs, 2),
            LstmState::new(Tensor::stack(cells, 0), Tensor::stack(hiddens, 0)),
        ))
    }
}

/// The lengths as `usize`, each in `1..=seq_len`.
fn check_lengths(
    lengths: Tensor<1, Int>,
    batch: usize,
    seq_len: usize,
) -> Result<Vec<usize>, LstmError> {
    let [got] = lengths.dims();
    if got != batch {
        return Err(LstmError::LengthsShape { batch, got });
    }
    let values = lengths
        .into_data()
        .try_into_vec_as::<i64>()
        .expect("integer lengths convert to i64");
    values
        .into_iter()
        .enumerate()
        .map(|(row, length)| match usize::try_from(length) {
            Ok(l) if (1..=seq_len).contains(&l) => Ok(l),
            _ => Err(LstmError::LengthOutOfRange {
                row,
                length,
                seq_len,
            }),
        })
        .collect()
}

/// All hidden states from a zero state, full-length rows; `hidden_size` is
/// `directions·H`.
///
/// # Panics
/// On a wrong input shape, with [`LstmError::InputShape`]'s message.
impl Recurrent for FusedLstm {
    fn input_size(&self) -> usize {
        self.d_input()
    }

    fn hidden_size(&self) -> usize {
        self.directions() * self.d_hidden()
    }

    fn forward_sequence(&self, input: Tensor<3>) -> Tensor<3> {
        match self.forward(input, None) {
            Ok((all, _)) => all,
            Err(e) => panic!("{e}"),
        }
    }
}

#[cfg(test)]
mod tests;
