//! A text classifier: embedding, stacked LSTM layers (Ember's fused-gate
//! [`FusedLstm`]), padding-exact sequence pooling, dropout and a dense head.

mod pooling;
mod pytorch;
mod summary;

pub use pooling::SequencePooling;

use burn::module::{Module, Param};
use burn::nn::{Dropout, DropoutConfig, Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use ember_layers::{FusedLstm, FusedLstmConfig, InitScheme};

use crate::ModelError;

/// Configuration of an [`LstmClassifier`]; a run records it (serde) and rebuilds the model
/// from it. Pretrained vectors are data, not configuration: pass them to
/// [`init_with_embedding`](LstmClassifierConfig::init_with_embedding).
#[derive(Config, Debug)]
pub struct LstmClassifierConfig {
    /// Tokens in the vocabulary, `<pad>` (id 0) and `<unk>` (id 1) included.
    pub vocab_size: usize,
    /// Width `d` of the embedding. Default 100 (GloVe's 100-d vectors).
    #[config(default = 100)]
    pub embed_dim: usize,
    /// State size `H` of each LSTM direction. Default 128.
    #[config(default = 128)]
    pub hidden_size: usize,
    /// Stacked LSTM layers. Default 1.
    #[config(default = 1)]
    pub num_layers: usize,
    /// Whether each LSTM layer also reads the rows backwards (its output is then `2H` wide).
    /// Default false.
    #[config(default = false)]
    pub bidirectional: bool,
    /// How the top layer's states become one vector. Default [`SequencePooling::Last`].
    #[config(default = "SequencePooling::Last")]
    pub pooling: SequencePooling,
    /// Dropout probability between LSTM layers (as PyTorch's `nn.LSTM(dropout=…)`) and on
    /// the pooled features before the head. Default 0 (none).
    #[config(default = 0.0)]
    pub dropout: f64,
    /// Classes (logits). Default 2.
    #[config(default = 2)]
    pub num_classes: usize,
    /// Whether the embedding is frozen: training leaves it bit-identical (its parameter
    /// does not require gradients, so optimizers skip it). Default false.
    #[config(default = false)]
    pub freeze_embedding: bool,
    /// How the LSTM's and the head's weights start (default none: PyTorch's LSTM init and
    /// burn's `Linear` init); the embedding keeps its own.
    pub init: Option<InitScheme>,
}

/// Embedding → `num_layers` × [`FusedLstm`] (uni- or bidirectional) → [`SequencePooling`]
/// → dropout → dense head (logits).
///
/// Takes a batch as the text pipeline gives it: token ids `[batch, max_len]` right-padded
/// with `<pad>` = 0 and the real lengths `[batch]` (each ≥ 1). The padding changes nothing:
/// the LSTM masks its updates past each row's length, the reverse direction starts at each
/// row's last real token, and the pooling looks at real positions only.
///
/// **Parameters**: `V·d` (embedding) + per layer and direction `4·(H·(in + H) + 2H)` (`in`
/// = `d` for the first layer, `directions·H` above) + `(directions·H + 1)·classes`.
///
/// **From PyTorch.** A model `embedding = nn.Embedding(V, d)`, `lstm = nn.LSTM(d, H,
/// num_layers, batch_first=True, bidirectional=…)`, `fc = nn.Linear(directions·H, classes)`
/// maps key by key:
///
/// | PyTorch key | here | shape |
/// |---|---|---|
/// | `embedding.weight` | `embedding.weight` | `[V, d]`, as is |
/// | `lstm.{weight,bias}_{ih,hh}_l{k}` | `lstm.{k}.forward.{weight,bias}_{ih,hh}` | as is |
/// | `lstm.{weight,bias}_{ih,hh}_l{k}_reverse` | `lstm.{k}.reverse.{weight,bias}_{ih,hh}` | as is |
/// | `fc.weight` | `fc.weight` | `[classes, 2H]` → transposed, burn's `Linear` stores `[in, out]` |
/// | `fc.bias` | `fc.bias` | as is |
///
/// [`load_pytorch_safetensors`](LstmClassifier::load_pytorch_safetensors) loads such a
/// state_dict with burn-store: key remaps `^lstm\.(\w+)_l(\d+)_reverse$ → lstm.$2.reverse.$1`,
/// then `^lstm\.(\w+)_l(\d+)$ → lstm.$2.forward.$1`, and `PyTorchToBurnAdapter` for the
/// `Linear` transpose.
///
/// # Shapes
/// `([batch, max_len] token ids, [batch] lengths) → [batch, classes]` logits.
#[derive(Module, Debug)]
pub struct LstmClassifier {
    /// `[V, d]` token vectors.
    pub embedding: Embedding,
    /// The stacked LSTM layers, bottom first.
    pub lstm: Vec<FusedLstm>,
    /// Dropout between LSTM layers and before the head.
    pub dropout: Dropout,
    /// `directions·H → classes`.
    pub fc: Linear,
    /// How the top layer's states are pooled.
    #[module(skip)]
    pub pooling: SequencePooling,
    /// Whether the embedding was frozen (`freeze_embedding`); the flag survives a move to a
    /// device without autodiff, where no parameter requires a gradient.
    #[module(skip)]
    pub frozen_embedding: bool,
}

impl LstmClassifierConfig {
    /// A new classifier on `device`: burn's embedding init `N(0, 1)`, PyTorch's LSTM init
    /// `U(−1/√H, 1/√H)`, burn's (and PyTorch's) `Linear` init. Seed the device first for a
    /// reproducible start.
    ///
    /// # Errors
    /// [`ModelError::Config`] if a size is zero or the dropout is outside `[0, 1)`.
    pub fn init(&self, device: &Device) -> Result<LstmClassifier, ModelError> {
        self.check()?;
        let embedding = EmbeddingConfig::new(self.vocab_size, self.embed_dim).init(device);
        let directions = 1 + usize::from(self.bidirectional);
        let lstm = (0..self.num_layers)
            .map(|k| {
                let d_input = if k == 0 {
                    self.embed_dim
                } else {
                    directions * self.hidden_size
                };
                FusedLstmConfig::new(d_input, self.hidden_size)
                    .with_bidirectional(self.bidirectional)
                    .init(device)
            })
            .collect();
        let model = LstmClassifier {
            embedding,
            lstm,
            dropout: DropoutConfig::new(self.dropout).init(),
            fc: LinearConfig::new(directions * self.hidden_size, self.num_classes).init(device),
            pooling: self.pooling,
            frozen_embedding: self.freeze_embedding,
        };
        let model = match self.init {
            Some(scheme) => scheme.apply(model),
            None => model,
        };
        Ok(self.freeze(model))
    }

    /// As [`init`](LstmClassifierConfig::init), with the embedding set to `vectors`
    /// `[vocab_size, embed_dim]` (e.g. GloVe rows for the vocabulary, as ember-data builds
    /// them), frozen when `freeze_embedding` is set.
    ///
    /// # Errors
    /// [`ModelError::EmbeddingShape`] if `vectors` is not `[vocab_size, embed_dim]`, and
    /// those of [`init`](LstmClassifierConfig::init).
    pub fn init_with_embedding(
        &self,
        vectors: Tensor<2>,
        device: &Device,
    ) -> Result<LstmClassifier, ModelError> {
        let expected = [self.vocab_size, self.embed_dim];
        if vectors.dims() != expected {
            return Err(ModelError::EmbeddingShape {
                expected,
                got: vectors.dims().to_vec(),
            });
        }
        let mut model = self.init(device)?;
        model.embedding.weight = Param::from_tensor(vectors.to_device(device));
        Ok(self.freeze(model))
    }

    fn freeze(&self, mut model: LstmClassifier) -> LstmClassifier {
        if self.freeze_embedding {
            model.embedding = model.embedding.no_grad();
        }
        model
    }

    fn check(&self) -> Result<(), ModelError> {
        let sizes = [
            ("vocab_size", self.vocab_size),
            ("embed_dim", self.embed_dim),
            ("hidden_size", self.hidden_size),
            ("num_layers", self.num_layers),
            ("num_classes", self.num_classes),
        ];
        if let Some((field, _)) = sizes.iter().find(|(_, v)| *v == 0) {
            return Err(ModelError::Config {
                field,
                reason: "must be at least 1".into(),
            });
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(ModelError::Config {
                field: "dropout",
                reason: format!("is {}, must be in [0, 1)", self.dropout),
            });
        }
        Ok(())
    }
}

impl LstmClassifier {
    /// Logits `[batch, classes]` for right-padded `tokens` `[batch, max_len]` and their
    /// `lengths` `[batch]`.
    ///
    /// Reads the smallest and largest token id and the lengths to the host to check them.
    ///
    /// # Errors
    /// [`ModelError::TokenOutOfRange`] for an id outside the vocabulary;
    /// [`ModelError::Lstm`] for lengths that do not fit the batch (none, 0, or longer than
    /// `max_len`) or an empty batch.
    pub fn forward(
        &self,
        tokens: Tensor<2, Int>,
        lengths: Tensor<1, Int>,
    ) -> Result<Tensor<2>, ModelError> {
        self.check_tokens(&tokens)?;
        let mut states = self.embedding.forward(tokens);
        let mut last = None;
        for (k, layer) in self.lstm.iter().enumerate() {
            if k > 0 {
                states = self.dropout.forward(states);
            }
            let (all, state) = layer.forward_padded(states, lengths.clone(), None)?;
            states = all;
            last = Some(state);
        }
        let last = last.expect("at least one LSTM layer");
        let features = self.pooling.pool(states, last, lengths);
        Ok(self.fc.forward(self.dropout.forward(features)))
    }

    /// Tokens in the vocabulary.
    pub fn vocab_size(&self) -> usize {
        self.embedding.weight.dims()[0]
    }

    /// Logits per example.
    pub fn num_classes(&self) -> usize {
        // Linear's weight is [inputs, outputs]; its lazy shape leaves initialisation alone.
        self.fc.weight.lazy_shape().dims::<2>()[1]
    }

    fn check_tokens(&self, tokens: &Tensor<2, Int>) -> Result<(), ModelError> {
        let [batch, max_len] = tokens.dims();
        if batch == 0 || max_len == 0 {
            return Err(ModelError::TokensShape {
                got: vec![batch, max_len],
            });
        }
        let read = |t: Tensor<1, Int>| t.into_data().try_into_vec_as::<i64>().expect("ids")[0];
        let (low, high) = (read(tokens.clone().min()), read(tokens.clone().max()));
        let vocab_size = self.vocab_size();
        match [low, high]
            .into_iter()
            .find(|&id| id < 0 || id >= vocab_size as i64)
        {
            Some(id) => Err(ModelError::TokenOutOfRange { id, vocab_size }),
            None => Ok(()),
        }
    }
}

#[cfg(feature = "train")]
impl ember_train::Classifier for LstmClassifier {
    type Input = (Tensor<2, Int>, Tensor<1, Int>);

    /// # Panics
    /// With [`LstmClassifier::forward`]'s error message.
    fn logits(&self, (tokens, lengths): Self::Input) -> Tensor<2> {
        self.forward(tokens, lengths)
            .unwrap_or_else(|e| panic!("LstmClassifier: {e}"))
    }

    fn num_classes(&self) -> Option<usize> {
        Some(LstmClassifier::num_classes(self))
    }

    /// [`LstmClassifier::summary_text`] for one token: the connections are per token.
    fn summary(&self) -> String {
        self.summary_text(1)
    }
}

#[cfg(test)]
mod tests;
