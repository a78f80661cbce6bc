//! [`Summarize`] for the recurrent layers.
//!
//! The input sample is `[seq_len, d_input]`, the output `[seq_len, d_hidden]` (all
//! states). Every weight and bias is used once per time step, so connections are
//! `seq_len · params`, and MACs `seq_len · gates · h·(h + x)` (the weights alone).

use burn::module::Module;

use super::layer::{check_sample, Recurrent};
use super::{Bidirectional, FusedLstm, Gru, Lstm, SimpleRnn};
use crate::{LayerStats, Summarize};

/// Statistics of a one-directional recurrent layer.
fn one_direction(
    kind: &str,
    gates: usize,
    layer: &(impl Recurrent + Module),
    input: &[usize],
) -> LayerStats {
    let seq_len = check_sample(kind, input, layer.input_size());
    let hidden = layer.hidden_size();
    LayerStats {
        kind: format!("{kind} {hidden}"),
        output: vec![seq_len, hidden],
        params: layer.num_params(),
        connections: seq_len * layer.num_params(),
        macs: seq_len * gates * hidden * (hidden + layer.input_size()),
    }
}

/// [`SimpleRnn`]: params `h·(h + x + 1)` (`h·(h + x)` without bias); connections
/// `seq_len · params`.
impl Summarize for SimpleRnn {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        one_direction("SimpleRnn", 1, self, input)
    }
}

/// burn's [`Lstm`]: params `4·(h·(h + x) + 2h)` (two bias vectors per gate; `4·h·(h + x)`
/// without bias, `3·(…)` with a coupled forget gate); connections `seq_len · params`.
impl Summarize for Lstm {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        one_direction("Lstm", 4, self, input)
    }
}

/// Ember's [`FusedLstm`]: params `4·(H·(x + H) + 2H)` per direction (`4·H·(x + H)`
/// without bias), output `[seq_len, directions·H]`; connections `seq_len · params`; MACs
/// `directions · seq_len · 4H·(x + H)`.
impl Summarize for FusedLstm {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let kind = if self.directions() == 2 {
            "Bi-FusedLstm"
        } else {
            "FusedLstm"
        };
        let mut stats = one_direction(kind, 4, self, input);
        stats.kind = format!("{kind} {}", self.d_hidden());
        let (seq_len, h) = (stats.output[0], self.d_hidden());
        stats.macs = self.directions() * seq_len * 4 * h * (h + self.input_size());
        stats
    }
}

/// burn's [`Gru`]: params `3·(h·(h + x) + 2h)` (two bias vectors per gate; `3·h·(h + x)`
/// without bias); connections `seq_len · params`.
impl Summarize for Gru {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        one_direction("Gru", 3, self, input)
    }
}

/// [`Bidirectional`]: output `[seq_len, 2h]`; params and connections twice the wrapped
/// layer's.
impl<M: Summarize> Summarize for Bidirectional<M> {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let one = self.forward.summarize(input);
        LayerStats {
            kind: format!("Bi-{}", one.kind),
            output: vec![one.output[0], 2 * one.output[1]],
            params: 2 * one.params,
            connections: 2 * one.connections,
            macs: 2 * one.macs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GruConfig, LstmConfig, SimpleRnnConfig, Summary};
    use burn::prelude::*;

    #[test]
    fn counts_follow_the_formulas() {
        let device = Device::flex();
        // x = 3 features, h = 4 units, 5 time steps.
        let rnn = SimpleRnnConfig::new(3, 4).init(&device).summarize(&[5, 3]);
        // h·(h + x + 1) = 4·8 = 32; connections 5·32.
        assert_eq!(
            (rnn.output.clone(), rnn.params, rnn.connections),
            (vec![5, 4], 32, 160)
        );
        let lstm = LstmConfig::new(3, 4, true).init(&device).summarize(&[5, 3]);
        // 4·(h·(h + x) + 2h) = 4·(28 + 8) = 144.
        assert_eq!((lstm.params, lstm.connections), (144, 720));
        let gru = GruConfig::new(3, 4, true).init(&device).summarize(&[5, 3]);
        // 3·(28 + 8) = 108.
        assert_eq!((gru.params, gru.connections), (108, 540));
        assert_eq!(gru.kind, "Gru 4");
    }

    #[test]
    fn fused_lstm_counts_both_directions() {
        let device = Device::flex();
        let bi = crate::FusedLstmConfig::new(3, 4)
            .with_bidirectional(true)
            .init(&device);
        let stats = bi.summarize(&[5, 3]);
        // 2·4·(4·(3 + 4) + 2·4) = 2·144; output 2·4 features per step.
        assert_eq!(stats.kind, "Bi-FusedLstm 4");
        assert_eq!(stats.output, vec![5, 8]);
        assert_eq!((stats.params, stats.connections), (288, 1440));
    }

    #[test]
    fn bidirectional_doubles_the_wrapped_layer() {
        let device = Device::flex();
        let config = LstmConfig::new(3, 4, true);
        let bi = Bidirectional::new(config.init(&device), config.init(&device));
        let stats = bi.summarize(&[5, 3]);
        // 2·144 params, 2·720 connections, 2·4 features per step.
        assert_eq!(stats.kind, "Bi-Lstm 4");
        assert_eq!(stats.output, vec![5, 8]);
        assert_eq!((stats.params, stats.connections), (288, 1440));
        assert_eq!(bi.num_params(), 288, "the module's own count");
    }

    #[test]
    fn stacks_in_a_summary() {
        let device = Device::flex();
        let config = SimpleRnnConfig::new(3, 4);
        let summary = Summary::new("stack", &[7, 3])
            .layer(
                "bi",
                &Bidirectional::new(config.init(&device), config.init(&device)),
            )
            .layer("gru", &GruConfig::new(8, 2, false).init(&device));
        assert_eq!(summary.output(), &[7, 2]);
        // 2·32 + 3·2·(2 + 8) = 64 + 60.
        assert_eq!(summary.total_params(), 124);
    }

    #[test]
    #[should_panic(expected = "Lstm expects a [seq_len, 3] input sample, got [5, 2, 3]")]
    fn wrong_rank_is_named() {
        LstmConfig::new(3, 4, true)
            .init(&Device::flex())
            .summarize(&[5, 2, 3]);
    }

    #[test]
    #[should_panic(expected = "SimpleRnn expects a [seq_len, 3] input sample, got [5, 4]")]
    fn wrong_features_are_named() {
        SimpleRnnConfig::new(3, 4)
            .init(&Device::flex())
            .summarize(&[5, 4]);
    }
}
