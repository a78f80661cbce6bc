//! AlexNet's weights in and out: Ember's burnpack, and PyTorch state_dicts (safetensors, or
//! `.pt`/`.pth` pickles read by burn-store's `PytorchStore`) under torchvision's names.

use std::path::Path;

use burn::module::Module;
use burn_store::{
    ApplyError, ApplyResult, BurnToPyTorchAdapter, BurnpackStore, KeyRemapper, ModuleSnapshot,
    ModuleStore, PathFilter, PyTorchToBurnAdapter, PytorchStore, SafetensorsStore,
};

use super::AlexNet;
use crate::ModelError;

impl AlexNet {
    /// Loads every weight into this network (built from a configuration of the same sizes)
    /// from `path`, by its extension:
    ///
    /// - `.bpk` (a run's `model.bpk`, burn's burnpack);
    /// - `.safetensors`: a PyTorch state_dict saved with
    ///   `safetensors.torch.save_file(model.state_dict(), path)` from torchvision's
    ///   `AlexNet` layout (`features.0` … `features.10`, `classifier.1/4/6`, remapped by
    ///   [`AlexNet::PYTORCH_KEYS`]; Linear weights transposed by burn-store's
    ///   `PyTorchToBurnAdapter`), or one [`save_pytorch_safetensors`](Self::save_pytorch_safetensors)
    ///   wrote;
    /// - `.pt` / `.pth`: the same state_dict saved with `torch.save(model.state_dict(), path)`
    ///   (read by burn-store's `PytorchStore`, no Python needed).
    ///
    /// Frozen convolutions stay frozen.
    ///
    /// # Errors
    /// [`ModelError::Weights`] naming the file and what did not fit: a missing or extra
    /// tensor, a shape of another configuration (for fc8 trained on another number of
    /// classes the message points to [`load_weights_except_head`](Self::load_weights_except_head)),
    /// an unknown extension.
    pub fn load_weights(&mut self, path: impl AsRef<Path>) -> Result<(), ModelError> {
        self.load(path.as_ref(), true)
    }

    /// Loads conv1 … fc7 from `path` (any format of [`load_weights`](Self::load_weights))
    /// and leaves fc8, the logits layer, as it is: the start for fine-tuning weights trained
    /// on other classes (torchvision's ImageNet AlexNet, 1,000 classes) on this network's
    /// classes. fc8 in the file may have any shape; it is not read.
    ///
    /// # Errors
    /// As [`load_weights`](Self::load_weights), for every tensor but fc8's.
    pub fn load_weights_except_head(&mut self, path: impl AsRef<Path>) -> Result<(), ModelError> {
        self.load(path.as_ref(), false)
    }

    fn load(&mut self, path: &Path, head: bool) -> Result<(), ModelError> {
        let fail = |reason: String| ModelError::Weights {
            path: path.to_path_buf(),
            reason,
        };
        let frozen = self.frozen_features;
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let loaded = match extension {
            "bpk" | "burnpack" if head => self
                .clone()
                .try_load_file(path)
                .map(|net| *self = net)
                .map_err(|e| format!("{e}; is it a weights file of this network?")),
            "bpk" | "burnpack" => apply(
                self,
                BurnpackStore::from_file(path)
                    .with_filter(filter(head))
                    .allow_partial(true)
                    .validate(false),
            ),
            "safetensors" => apply(self, safetensors_reader(path, head)),
            "pt" | "pth" => apply(self, pytorch_reader(path, head)),
            other => Err(format!(
                "unknown weights format `.{other}`: use a .bpk (a run's model.bpk), a \
                 .safetensors state_dict or a PyTorch .pt/.pth state_dict"
            )),
        };
        loaded.map_err(fail)?;
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

/// burn-store filters on the network's own parameter paths: everything but fc8 without the
/// head (an empty filter keeps everything).
fn filter(head: bool) -> PathFilter {
    match head {
        true => PathFilter::new(),
        false => PathFilter::new().with_predicate(|path, _| !path.starts_with("fc8.")),
    }
}

/// torchvision's names → this network's.
fn names() -> KeyRemapper {
    KeyRemapper::from_pattern_iter(AlexNet::PYTORCH_KEYS)
        .expect("AlexNet::PYTORCH_KEYS are valid regular expressions")
}

/// The reader [`AlexNet::load_weights`] (`head`) or
/// [`AlexNet::load_weights_except_head`] puts a `.safetensors` state_dict through.
pub(crate) fn safetensors_reader(path: &Path, head: bool) -> SafetensorsStore {
    SafetensorsStore::from_file(path)
        .with_from_adapter(PyTorchToBurnAdapter)
        .remap(names())
        .filter(filter(head))
        .allow_partial(true)
        .validate(false)
}

/// The reader [`AlexNet::load_weights`] (`head`) or
/// [`AlexNet::load_weights_except_head`] puts a `.pt`/`.pth` state_dict through.
pub(crate) fn pytorch_reader(path: &Path, head: bool) -> PytorchStore {
    PytorchStore::from_file(path)
        // The keys name torchvision's Sequential positions, which PYTORCH_KEYS maps;
        // burn-store's renumbering of gaps (0, 3, 6 → 0, 1, 2) would break that.
        .map_indices_contiguous(false)
        .remap(names())
        .filter(filter(head))
        .allow_partial(true)
        .validate(false)
}

/// Loads `store` into `net`, then [`complete`]'s verdict.
fn apply<S: ModuleStore>(net: &mut AlexNet, mut store: S) -> Result<(), String> {
    let result = net.load_from(&mut store).map_err(|e| e.to_string())?;
    complete(&result)
}

/// Ok when every parameter got a tensor and every tensor found a parameter; otherwise what
/// went wrong, one clause per kind.
fn complete(result: &ApplyResult) -> Result<(), String> {
    if result.errors.is_empty() && result.missing.is_empty() && result.unused.is_empty() {
        return Ok(());
    }
    let mut parts = Vec::new();
    if !result.errors.is_empty() {
        let errors: Vec<String> = result.errors.iter().map(|e| e.to_string()).collect();
        parts.push(errors.join("; "));
    }
    if !result.missing.is_empty() {
        let missing: Vec<&str> = result.missing.iter().map(|(p, _)| p.as_str()).collect();
        parts.push(format!("missing from the file: {}", missing.join(", ")));
    }
    if !result.unused.is_empty() {
        parts.push(format!("not in the network: {}", result.unused.join(", ")));
    }
    let head_mismatch = result
        .errors
        .iter()
        .any(|e| matches!(e, ApplyError::ShapeMismatch { path, .. } if path.starts_with("fc8.")));
    if head_mismatch {
        parts.push(
            "fc8 was trained on another number of classes: load everything else with \
             `load_weights_except_head` (`--fresh-head` in `cargo xtask train`) and train \
             a new head"
                .into(),
        );
    }
    Err(parts.join("; "))
}
