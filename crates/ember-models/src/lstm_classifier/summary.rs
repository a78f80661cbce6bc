//! The layer table of an [`LstmClassifier`], with the LSTM's parameter formula.

use std::fmt::Write;

use burn::module::Module;
use ember_layers::Summary;

use super::LstmClassifier;

impl LstmClassifier {
    /// The Keras-style layer table for a sequence of `seq_len` tokens (connections grow
    /// linearly with it; parameters do not).
    pub fn summary(&self, seq_len: usize) -> Summary {
        let directions = if self.lstm[0].reverse.is_some() {
            "bi"
        } else {
            "uni"
        };
        let title = format!(
            "LSTM text classifier ({} layer(s), {directions}directional)",
            self.lstm.len()
        );
        let mut summary = Summary::new(title, &[seq_len]).layer("embed", &self.embedding);
        for (k, layer) in self.lstm.iter().enumerate() {
            summary = summary.layer(&format!("lstm{}", k + 1), layer);
        }
        let mut summary = summary
            .layer("pool", &self.pooling)
            .layer("dropout", &self.dropout)
            .layer("fc", &self.fc);
        if self.frozen_embedding {
            summary.rows[0].1.kind.push_str(" frozen");
        }
        summary
    }

    /// [`summary`](LstmClassifier::summary) for `seq_len` tokens as text, followed by the
    /// LSTM parameter formula `4·(H·(in + H) + 2H)` per direction and layer, worked out for
    /// each layer, and the frozen parameters if any.
    pub fn summary_text(&self, seq_len: usize) -> String {
        let mut text = self.summary(seq_len).to_string();
        let _ = write!(
            text,
            "\nLSTM parameters per direction and layer: 4·(H·(in + H) + 2H) with bias"
        );
        for (k, layer) in self.lstm.iter().enumerate() {
            let (x, h, d) = (layer.d_input(), layer.d_hidden(), layer.directions());
            let one = 4 * (h * (x + h) + 2 * h);
            let _ = write!(
                text,
                "\n  lstm{}: {d} × 4·({h}·({x} + {h}) + 2·{h}) = {d} × {one} = {}",
                k + 1,
                d * one
            );
        }
        if self.frozen_embedding {
            let _ = write!(
                text,
                "\nFrozen (counted above, not trained): embedding {}",
                self.embedding.num_params()
            );
        }
        text
    }
}
