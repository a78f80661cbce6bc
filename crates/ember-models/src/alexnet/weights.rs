//! AlexNet's weights in and out: Ember's burnpack, and PyTorch state_dicts as safetensors
//! under torchvision's names.

use std::path::Path;

use burn::module::Module;
use burn_store::{BurnToPyTorchAdapter, ModuleSnapshot, PyTorchToBurnAdapter, SafetensorsStore};

use super::AlexNet;
use crate::ModelError;

impl AlexNet {
    /// Loads weights into this network (built from a configuration of the same sizes) from
    /// `path`, by its extension:
    ///
    /// - `.bpk` (a run's `model.bpk`, burn's burnpack);
    /// - `.safetensors`: a PyTorch state_dict saved with
    ///   `safetensors.torch.save_file(model.state_dict(), path)` from torchvision's
    ///   `AlexNet` layout (`features.0` … `features.10`, `classifier.1/4/6`, remapped by
    ///   [`AlexNet::PYTORCH_KEYS`]; Linear weights transposed by burn-store's
    ///   `PyTorchToBurnAdapter`), or one [`save_pytorch_safetensors`](Self::save_pytorch_safetensors)
    ///   wrote.
    ///
    /// Frozen convolutions stay frozen.
    ///
    /// # Errors
    /// [`ModelError::Weights`] naming the file and what did not fit (a missing or extra
    /// tensor, a shape of another configuration, an unknown extension — a PyTorch `.pt` or
    /// `.pth` pickle is converted with `safetensors.torch.save_file(torch.load(p), 'w.safetensors')`).
    pub fn load_weights(&mut self, path: impl AsRef<Path>) -> Result<(), ModelError> {
        let path = path.as_ref();
        let fail = |reason: String| ModelError::Weights {
            path: path.to_path_buf(),
            reason,
        };
        let frozen = self.frozen_features;
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match extension {
            "bpk" | "burnpack" => {
                *self = self
                    .clone()
                    .try_load_file(path)
                    .map_err(|e| fail(format!("{e}; is it a weights file of this network?")))?;
            }
            "safetensors" => {
                let mut store =
                    SafetensorsStore::from_file(path).with_from_adapter(PyTorchToBurnAdapter);
                for (pattern, replacement) in Self::PYTORCH_KEYS {
                    store = store.with_key_remapping(pattern, replacement);
                }
                let result = self
                    .load_from(&mut store)
                    .map_err(|e| fail(e.to_string()))?;
                if !result.errors.is_empty()
                    || !result.missing.is_empty()
                    || !result.unused.is_empty()
                {
                    return Err(fail(format!(
                        "errors {:?}, missing {:?}, not in the network {:?}",
                        result.errors,
                        result.missing.iter().map(|(p, _)| p).collect::<Vec<_>>(),
                        result.unused
                    )));
                }
            }
            "pt" | "pth" => {
                return Err(fail(
                    "a PyTorch pickle: convert it once with `python -c \"import torch, \
                     safetensors.torch as s; s.save_file(torch.load('IN.pth'), \
                     'OUT.safetensors')\"` and pass the .safetensors file"
                        .into(),
                ))
            }
            other => {
                return Err(fail(format!(
                    "unknown weights format `.{other}`: use a .bpk (a run's model.bpk) or a \
                     .safetensors state_dict"
                )))
            }
        }
        if frozen {
            *self = self.clone().freeze_features();
        }
        Ok(())
    }

    /// Writes the weights as a safetensors state_dict under torchvision's names
    /// (`features.0.weight` …, Linear weights `[out, in]`), so that PyTorch loads it with
    /// `model.load_state_dict(safetensors.torch.load_file(path))` into an `nn.Sequential`
    /// network of the same layout.
    ///
    /// # Errors
    /// [`ModelError::Weights`] when the file cannot be written.
    pub fn save_pytorch_safetensors(&self, path: impl AsRef<Path>) -> Result<(), ModelError> {
        let path = path.as_ref();
        let mut store = SafetensorsStore::from_file(path)
            .with_to_adapter(BurnToPyTorchAdapter)
            .overwrite(true);
        for (pytorch, ember) in Self::PYTORCH_KEYS {
            let pattern = format!("^{}", ember.replace('.', r"\."));
            let replacement = pytorch.trim_start_matches('^').replace(r"\.", ".");
            store = store.with_key_remapping(&pattern, &replacement);
        }
        self.save_into(&mut store).map_err(|e| ModelError::Weights {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
    }
}
