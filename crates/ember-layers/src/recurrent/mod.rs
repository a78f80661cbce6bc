//! Recurrent layers: Ember's simple RNN and fused-gate LSTM, burn's LSTM and GRU documented
//! gate by gate, a bidirectional wrapper for any of them, and their summaries.

mod bidirectional;
mod error;
mod fused_lstm;
mod gru;
mod layer;
mod lstm;
mod simple_rnn;
mod summary;

pub use bidirectional::Bidirectional;
pub use error::LstmError;
pub use fused_lstm::{FusedLstm, FusedLstmConfig, LstmDirection};
pub use gru::{Gru, GruConfig};
pub use layer::Recurrent;
pub use lstm::{Lstm, LstmConfig, LstmState};
pub use simple_rnn::{SimpleRnn, SimpleRnnConfig};
