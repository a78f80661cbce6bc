//! Why a backend could not be picked.

use crate::Backend;

/// Why a backend could not be picked. Each message names the cause and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// The name is not a backend Ember knows.
    #[error("unknown backend `{0}`; choose one of: {names}", names = Backend::NAMES.join(", "))]
    Unknown(String),
    /// The backend exists but its cargo feature was not enabled in this build.
    #[error(
        "backend `{0}` is not compiled into this build; rebuild with the cargo feature \
         `{0}` (e.g. `--features {0}`), or choose another backend"
    )]
    NotCompiled(&'static str),
    /// wgpu found no adapter (no GPU, or no Vulkan/Metal/DX12 driver).
    #[error(
        "wgpu found no usable GPU adapter: {0}.\nTo fix: install a Vulkan driver (Debian/Ubuntu: \
         `sudo apt-get install mesa-vulkan-drivers libvulkan1`, which also provides lavapipe, a \
         CPU implementation of Vulkan), or use a CPU backend: `--backend flex`"
    )]
    NoAdapter(String),
}
