//! How the classifier turns the LSTM's states of a padded sequence into one vector.

use burn::prelude::*;
use ember_layers::{LayerStats, LstmState, Summarize};

use crate::ModelError;

/// How a sequence's hidden states become one feature vector, ignoring the padding exactly;
/// by name (`last`, `mean`, `max`; case ignored).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    strum::Display,
    strum::EnumString,
    strum::VariantNames,
)]
#[serde(rename_all = "lowercase")]
#[strum(
    serialize_all = "lowercase",
    ascii_case_insensitive,
    parse_err_ty = ModelError,
    parse_err_fn = unknown_pooling
)]
pub enum SequencePooling {
    /// The final state `h_n` of the top layer: the forward direction's state at each row's
    /// last real token, with the reverse direction's state after reading back to the first
    /// token when bidirectional (PyTorch's `h_n` of a packed sequence). The default.
    #[default]
    Last,
    /// The mean of the states at the real positions, `Σ_{t<len} h_t / len`.
    Mean,
    /// The element-wise maximum of the states at the real positions.
    Max,
}

fn unknown_pooling(name: &str) -> ModelError {
    use strum::VariantNames;
    ModelError::UnknownVariant {
        model: "sequence pooling",
        name: name.to_string(),
        choices: SequencePooling::VARIANTS.join(", "),
    }
}

impl SequencePooling {
    /// `[batch, features]` from the top layer's `states` `[batch, seq_len, features]` (zero
    /// at padded positions, as [`FusedLstm`](ember_layers::FusedLstm) gives them), its
    /// final state `[directions, batch, H]` and the `lengths` `[batch]`.
    pub fn pool(self, states: Tensor<3>, last: LstmState<3>, lengths: Tensor<1, Int>) -> Tensor<2> {
        let [batch, seq_len, features] = states.dims();
        match self {
            SequencePooling::Last => last.hidden.swap_dims(0, 1).reshape([batch, features]),
            SequencePooling::Mean => {
                let counts = lengths.float().cast(states.dtype()).unsqueeze_dim(1);
                states.sum_dim(1).reshape([batch, features]) / counts
            }
            SequencePooling::Max => {
                let positions = Tensor::<1, Int>::arange(0..seq_len as i64, &states.device());
                let padding = positions
                    .unsqueeze_dim::<2>(0)
                    .greater_equal(lengths.unsqueeze_dim(1))
                    .unsqueeze_dim::<3>(2)
                    .expand([batch, seq_len, features]);
                states
                    .mask_fill(padding, f32::NEG_INFINITY)
                    .max_dim(1)
                    .reshape([batch, features])
            }
        }
    }
}

/// `[seq_len, features] → [features]`; no parameters, no connections.
impl Summarize for SequencePooling {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let &[_, features] = input else {
            panic!("sequence pooling expects a [seq_len, features] sample, got {input:?}");
        };
        LayerStats {
            kind: format!("Pool {self}"),
            output: vec![features],
            params: 0,
            connections: 0,
            macs: 0,
        }
    }
}
