//! The entry points Ember's fuzzer drives for the PyTorch weights Ember reads (`fuzz/`, see
//! `FUZZING.md`): `safetensors` and `pytorch-pt` write `bytes` to a file (`.safetensors`,
//! `.pt`) and read every tensor of it through the burn-store reader that
//! [`AlexNet::load_weights`](crate::AlexNet::load_weights) (`cargo xtask train alexnet
//! --weights FILE`) puts such a file through: the same key remapping, filter and adapter,
//! each tensor's bytes read out. Each must return — the tensors or a typed error — never
//! panic, abort or allocate without bound.
//!
//! ```
//! use ember_models::fuzzing::run;
//! assert_eq!(run("pytorch-pt", b"PK\x03\x04 not a zip"), Some(false));
//! assert_eq!(run("safetensors", b"\x08\x00\x00\x00\x00\x00\x00\x00{}      "), Some(true));
//! assert_eq!(run("no-such-format", b""), None);
//! ```

use burn_store::ModuleStore;

use crate::alexnet::weights::{pytorch_reader, safetensors_reader};

/// The input formats this crate reads, by the name [`run`] takes.
pub const TARGETS: [&str; 2] = ["safetensors", "pytorch-pt"];

/// Reads `bytes` as the format `target` names; `Some(true)` when every tensor of it read,
/// `Some(false)` when refused with an error, `None` for an unknown target.
pub fn run(target: &str, bytes: &[u8]) -> Option<bool> {
    let extension = match target {
        "safetensors" => "safetensors",
        "pytorch-pt" => "pt",
        _ => return None,
    };
    // The readers take a path, as a user's file comes: one scratch file per process and
    // format, rewritten for every input.
    let path = std::env::temp_dir().join(format!(
        "ember-fuzz-{}-{target}.{extension}",
        std::process::id()
    ));
    if std::fs::write(&path, bytes).is_err() {
        return Some(false);
    }
    let read = match target {
        "safetensors" => read_all(safetensors_reader(&path, true)),
        _ => read_all(pytorch_reader(&path, true)),
    };
    let _ = std::fs::remove_file(&path);
    Some(read)
}

/// Every tensor of `store`, its bytes read out and of the length its shape and type give.
fn read_all<S: ModuleStore>(mut store: S) -> bool {
    let Ok(tensors) = store.get_all_tensors() else {
        return false;
    };
    tensors.values().all(|tensor| {
        tensor
            .to_bytes()
            .is_ok_and(|bytes| bytes.len() == tensor.byte_len())
    })
}
