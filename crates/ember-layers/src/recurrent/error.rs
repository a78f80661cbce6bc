//! What can be wrong with the input of a [`FusedLstm`](crate::FusedLstm).

use thiserror::Error;

/// Why a [`FusedLstm`](crate::FusedLstm) refused its input. Each message names the value
/// received and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LstmError {
    /// The input is not `[batch, seq_len ≥ 1, d_input]`.
    #[error(
        "FusedLstm expects a batch-first input [batch ≥ 1, seq_len ≥ 1, {d_input}], got {got:?}; \
         the last axis must be the layer's d_input (embed tokens first), and no axis may be empty"
    )]
    InputShape {
        /// The layer's input size.
        d_input: usize,
        /// The shape received.
        got: Vec<usize>,
    },
    /// The lengths do not give one length per row of the batch.
    #[error(
        "FusedLstm expects one length per batch row, [{batch}], got {got} lengths; pass the \
         lengths of the same batch as the tokens"
    )]
    LengthsShape {
        /// Rows in the input batch.
        batch: usize,
        /// Lengths received.
        got: usize,
    },
    /// A row's length is 0 or longer than the padded sequence.
    #[error(
        "row {row} has length {length}, outside 1..={seq_len}: a length counts the real \
         (non-padding) tokens of its row, at least 1 (encode an empty text as one <unk>) and \
         at most the padded length"
    )]
    LengthOutOfRange {
        /// The row.
        row: usize,
        /// Its length.
        length: i64,
        /// The padded sequence length of the batch.
        seq_len: usize,
    },
    /// The initial state is not `[directions, batch, d_hidden]`.
    #[error(
        "FusedLstm's initial state must be [directions, batch, d_hidden] = {expected:?} for \
         cell and hidden, got {got:?}"
    )]
    StateShape {
        /// The shape needed.
        expected: [usize; 3],
        /// The shape received.
        got: Vec<usize>,
    },
}
