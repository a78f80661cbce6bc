//! The backend a run uses: the one asked for, or the fastest here, with its device.

use std::fmt;

use burn::tensor::Device;

use crate::{Backend, BackendError};

/// A backend picked for a run by [`Backend::pick`]: its device, built, and what it is.
#[derive(Debug, Clone)]
pub struct Picked {
    /// The backend.
    pub backend: Backend,
    /// Its plain device ([`Backend::device`]); call `.autodiff()` on it to train.
    pub device: Device,
    /// What was picked, as [`Backend::describe`] says it (e.g. `flex (CPU, 2 threads)`).
    pub description: String,
    /// Whether the caller asked for this backend (`false`: the fastest available here).
    pub asked: bool,
}

impl Backend {
    /// The backend `asked` for, or else [`Backend::fastest_available`], with its device
    /// built and described: what a program does with `--backend NAME` (optional).
    ///
    /// ```
    /// use ember_backend::Backend;
    ///
    /// let picked = Backend::pick(Some(Backend::Flex))?;
    /// assert!(picked.asked);
    /// println!("training on {picked}"); // flex (CPU, 2 threads) (asked for)
    /// let model_device = picked.device.autodiff();
    /// # Ok::<(), ember_backend::BackendError>(())
    /// ```
    ///
    /// # Errors
    /// As [`Backend::device`], for the backend picked.
    pub fn pick(asked: Option<Backend>) -> Result<Picked, BackendError> {
        let backend = asked.unwrap_or_else(Backend::fastest_available);
        Ok(Picked {
            backend,
            device: backend.device()?,
            description: backend.describe()?,
            asked: asked.is_some(),
        })
    }
}

impl Picked {
    /// A warning to print before training when the device picked will be far slower than
    /// the user may expect: wgpu on a software adapter (Mesa's lavapipe or llvmpipe, or
    /// OpenGL because no Vulkan driver is installed), with what to expect and how to get a
    /// real one; `None` otherwise.
    ///
    /// ```
    /// # use ember_backend::{Backend, Picked};
    /// let flex = Backend::pick(Some(Backend::Flex))?;
    /// assert!(flex.warning().is_none());
    /// # Ok::<(), ember_backend::BackendError>(())
    /// ```
    pub fn warning(&self) -> Option<String> {
        let opengl = self.is_opengl();
        let software =
            self.backend == Backend::Wgpu && self.description.contains("software rendering");
        if !opengl && !software {
            return None;
        }
        let why = if opengl {
            "wgpu came up on OpenGL: no Vulkan driver is installed"
        } else {
            "wgpu runs on a software adapter, the CPU emulating a GPU"
        };
        Some(format!(
            "{why} ({}). Expect it to be about 10× slower than flex (LeNet-5 on MNIST here: \
             153 s an epoch on lavapipe against 14–16 s on flex; slower still on OpenGL). For a \
             real GPU install its Vulkan driver (Linux: the vendor's, or Mesa's \
             `mesa-vulkan-drivers libvulkan1`), or train on the CPU with --backend flex",
            self.description
        ))
    }

    /// Whether this is wgpu running on OpenGL: what burn falls back to where no Vulkan,
    /// Metal or DX12 driver is installed (e.g. only Mesa's llvmpipe), and where LeNet-5's
    /// tensor tests took over 20 minutes instead of 3 on lavapipe.
    pub fn is_opengl(&self) -> bool {
        self.backend == Backend::Wgpu && self.description.contains("/ Gl /")
    }
}

impl fmt::Display for Picked {
    /// `{description} (asked for)` or `{description} (fastest available here)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = if self.asked {
            "asked for"
        } else {
            "fastest available here"
        };
        write!(f, "{} ({why})", self.description)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_asked_for_is_built_and_described() {
        let picked = Backend::pick(Some(Backend::Flex)).unwrap();
        assert_eq!(picked.backend, Backend::Flex);
        assert!(picked.asked && !picked.device.is_autodiff());
        assert!(
            picked.description.contains("flex"),
            "{}",
            picked.description
        );
        assert_eq!(
            picked.to_string(),
            format!("{} (asked for)", picked.description)
        );
    }

    #[test]
    fn a_software_or_opengl_adapter_is_warned_about_with_the_fix() {
        let on = |description: &str| Picked {
            backend: Backend::Wgpu,
            device: Device::flex(),
            description: description.into(),
            asked: true,
        };
        let lavapipe =
            on("wgpu / Vulkan / llvmpipe (LLVM 15.0.6, 256 bits) [CPU, software rendering]");
        let warning = lavapipe.warning().expect("lavapipe is software");
        assert!(warning.contains("software adapter") && warning.contains("--backend flex"));
        let gl = on("wgpu / Gl / llvmpipe (LLVM 15.0.6, 256 bits) [other]");
        assert!(gl.warning().unwrap().contains("no Vulkan driver"));
        assert!(on("wgpu / Vulkan / NVIDIA H100 [discrete GPU]")
            .warning()
            .is_none());
    }

    #[test]
    fn without_a_wish_the_fastest_is_picked() {
        let picked = Backend::pick(None).unwrap();
        assert_eq!(picked.backend, Backend::fastest_available());
        assert!(!picked.asked);
        assert!(picked.to_string().ends_with(" (fastest available here)"));
    }
}
