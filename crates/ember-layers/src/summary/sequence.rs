//! [`Summarize`] for the layers on token sequences: embeddings and self-attention.

use burn::module::Module;
use burn::nn::attention::MultiHeadAttention;
use burn::nn::Embedding;

use super::{LayerStats, Summarize};

/// burn's `Embedding` of a vocabulary of `V` tokens into `d` dimensions: `V·d` parameters;
/// a sample of `n` token ids (`[n]`) becomes `[n, d]`; a lookup has no connections.
impl Summarize for Embedding {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let [vocabulary, d] = self.weight.dims();
        let &[n] = input else {
            panic!("Embedding expects a [sequence length] sample of token ids, got {input:?}");
        };
        LayerStats {
            kind: format!("Embedding {vocabulary}x{d}"),
            output: vec![n, d],
            params: self.num_params(),
            connections: 0,
            macs: 0,
        }
    }
}

/// burn's `MultiHeadAttention` of width `d` (all four biases on): params `4·(d·d + d)` for the
/// query, key, value and output projections; connections, for `n` positions,
/// `4·(d + 1)·d·n` (the projections) `+ 2·n²·d` (scores `QKᵀ` and the weighted sum of `V`);
/// MACs `4·d·d·n + 2·n²·d`.
impl Summarize for MultiHeadAttention {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let d = self.d_model;
        let n = match *input {
            [n, width] if width == d => n,
            _ => panic!("MultiHeadAttention of width {d} expects a [sequence length, {d}] input, got {input:?}"),
        };
        LayerStats {
            kind: format!("MultiHeadAttention h={}", self.n_heads),
            output: vec![n, d],
            params: self.num_params(),
            connections: 4 * (d + 1) * d * n + 2 * n * n * d,
            macs: 4 * d * d * n + 2 * n * n * d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::nn::attention::MultiHeadAttentionConfig;
    use burn::nn::EmbeddingConfig;
    use burn::prelude::*;

    #[test]
    fn embedding_has_vocabulary_times_width_parameters() {
        let row = EmbeddingConfig::new(10_000, 64)
            .init(&Device::flex())
            .summarize(&[20]);
        // V·d = 10,000·64 = 640,000.
        assert_eq!((row.output, row.params), (vec![20, 64], 640_000));
    }

    #[test]
    fn attention_has_four_projections() {
        let row = MultiHeadAttentionConfig::new(64, 8)
            .init(&Device::flex())
            .summarize(&[10, 64]);
        // 4·(64·64 + 64) = 4·4160 = 16,640; connections 4·65·64·10 + 2·100·64 = 166,400 + 12,800.
        assert_eq!(
            (row.output, row.params, row.connections),
            (vec![10, 64], 16_640, 179_200)
        );
    }

    #[test]
    #[should_panic(expected = "Embedding expects a [sequence length] sample of token ids")]
    fn embedding_names_a_wrong_rank() {
        EmbeddingConfig::new(10, 4)
            .init(&Device::flex())
            .summarize(&[2, 3]);
    }
}
