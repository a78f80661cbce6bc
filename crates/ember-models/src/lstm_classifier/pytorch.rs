//! Loading a PyTorch-trained [`LstmClassifier`] from a safetensors state_dict.

use std::path::Path;

use burn::module::Module;
use burn_store::{ModuleSnapshot, PyTorchToBurnAdapter, SafetensorsStore};

use super::LstmClassifier;
use crate::ModelError;

/// PyTorch `nn.LSTM` keys → the classifier's, in order: `lstm.weight_ih_l0_reverse` →
/// `lstm.0.reverse.weight_ih`, then `lstm.weight_ih_l0` → `lstm.0.forward.weight_ih`
/// (likewise `weight_hh`, `bias_ih`, `bias_hh`).
pub(super) const FROM_PYTORCH: [(&str, &str); 2] = [
    (r"^lstm\.(\w+)_l(\d+)_reverse$", "lstm.$2.reverse.$1"),
    (r"^lstm\.(\w+)_l(\d+)$", "lstm.$2.forward.$1"),
];

impl LstmClassifier {
    /// Loads the weights of a PyTorch model saved with
    /// `safetensors.torch.save_file(model.state_dict(), path)`, whose modules are named
    /// `embedding` (`nn.Embedding(V, d)`), `lstm` (`nn.LSTM(d, H, num_layers,
    /// batch_first=True, bidirectional=…)`) and `fc` (`nn.Linear(directions·H, classes)`),
    /// into this classifier (built from a configuration of the same sizes). The LSTM keys are
    /// remapped as in [`LstmClassifier`]'s table; `fc.weight` is transposed (burn's
    /// [`Linear`](burn::nn::Linear) stores `[in, out]`) by burn-store's
    /// `PyTorchToBurnAdapter`. Dropout has no weights; a frozen embedding stays frozen.
    ///
    /// # Errors
    /// [`ModelError::Weights`] naming the file and what did not fit: an unreadable file,
    /// a missing or extra tensor, a shape that differs from the configuration's.
    pub fn load_pytorch_safetensors(&mut self, path: impl AsRef<Path>) -> Result<(), ModelError> {
        let path = path.as_ref();
        let fail = |reason: String| ModelError::Weights {
            path: path.to_path_buf(),
            reason,
        };
        let mut store = SafetensorsStore::from_file(path).with_from_adapter(PyTorchToBurnAdapter);
        for (pattern, replacement) in FROM_PYTORCH {
            store = store.with_key_remapping(pattern, replacement);
        }
        let frozen = self.frozen_embedding;
        let result = self
            .load_from(&mut store)
            .map_err(|e| fail(e.to_string()))?;
        if !result.errors.is_empty() || !result.missing.is_empty() || !result.unused.is_empty() {
            return Err(fail(format!(
                "errors {:?}, missing {:?}, not in the model {:?}",
                result.errors,
                result.missing.iter().map(|(p, _)| p).collect::<Vec<_>>(),
                result.unused
            )));
        }
        if frozen {
            self.embedding = self.embedding.clone().no_grad();
        }
        Ok(())
    }
}
