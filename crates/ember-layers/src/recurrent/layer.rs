//! The [`Recurrent`] trait: what [`Bidirectional`](crate::Bidirectional) needs of a layer.

use burn::prelude::*;

/// A recurrent layer that maps a batch-first sequence to all its hidden states, starting
/// from a zero state.
///
/// Implemented for Ember's [`SimpleRnn`](crate::SimpleRnn), burn's
/// [`Lstm`](crate::Lstm) and [`Gru`](crate::Gru), and for
/// [`Bidirectional`](crate::Bidirectional) itself; implement it for your own cell to wrap it
/// in [`Bidirectional`](crate::Bidirectional).
///
/// # Shapes
/// - input: `[batch, seq_len, input_size]`
/// - output: `[batch, seq_len, hidden_size]`, the hidden state after each time step
pub trait Recurrent {
    /// Features per time step the layer reads (`d_input`).
    fn input_size(&self) -> usize;

    /// Features per time step the layer writes (`d_hidden`; twice that for a
    /// bidirectional layer).
    fn hidden_size(&self) -> usize;

    /// All hidden states `[batch, seq_len, hidden_size]` for the input
    /// `[batch, seq_len, input_size]`, from a zero initial state.
    ///
    /// # Panics
    /// If the input's last axis is not [`input_size`](Recurrent::input_size) or the
    /// sequence is empty, naming the expected and received shapes.
    fn forward_sequence(&self, input: Tensor<3>) -> Tensor<3>;
}

/// Checks that `input` is `[batch, seq_len, d_input]` with `seq_len ≥ 1` and returns its
/// dimensions.
///
/// # Panics
/// Naming `layer`, the expected and the received shape.
#[track_caller]
pub(crate) fn check_sequence(layer: &str, input: &Tensor<3>, d_input: usize) -> [usize; 3] {
    let dims = input.dims();
    let [_, seq_len, features] = dims;
    assert!(
        features == d_input && seq_len > 0,
        "{layer} expects a batch-first input [batch, seq_len ≥ 1, {d_input}], got {dims:?}{}",
        if features == d_input {
            ": the sequence is empty"
        } else {
            ": the last axis must be the layer's input size (batch-first, like burn)"
        }
    );
    dims
}

/// Checks that a per-sample summary input is `[seq_len, d_input]` and returns `seq_len`.
///
/// # Panics
/// Naming `layer`, the expected and the received shape.
#[track_caller]
pub(crate) fn check_sample(layer: &str, input: &[usize], d_input: usize) -> usize {
    match *input {
        [seq_len, features] if features == d_input && seq_len > 0 => seq_len,
        _ => panic!("{layer} expects a [seq_len, {d_input}] input sample, got {input:?}"),
    }
}
