//! The three backends Ember compiles in, selected by name at run time.

use std::str::FromStr;

use burn::tensor::Device;
use strum::VariantNames;

use crate::BackendError;

/// A tensor backend, picked at run time. burn 0.22 has no backend type parameter: the
/// choice lives in the [`Device`] a model and its tensors are created on.
///
/// [`Display`](std::fmt::Display) and [`Backend::name`] give the name used on the command
/// line; [`FromStr`] reads it back (case and surrounding spaces ignored).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    strum::Display,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Backend {
    /// burn-ndarray: pure Rust, CPU. burn 0.22 marks it deprecated in favour of flex; Ember
    /// keeps it for comparison (the deprecation stays inside this crate).
    Ndarray,
    /// burn-flex: pure Rust, CPU, SIMD and multi-threaded; Ember's default on a CPU.
    Flex,
    /// burn-wgpu: any Vulkan, Metal or DX12 GPU (with kernel fusion and autotuning), or a
    /// CPU through Mesa's lavapipe.
    Wgpu,
}

impl Backend {
    /// Every backend, in the order `--backend` lists them.
    pub const ALL: [Backend; 3] = [Backend::Ndarray, Backend::Flex, Backend::Wgpu];

    /// The names [`FromStr`] accepts, in the order of [`Backend::ALL`]: `ndarray`, `flex`,
    /// `wgpu`.
    pub const NAMES: &'static [&'static str] = <Backend as VariantNames>::VARIANTS;

    /// The name used on the command line: `ndarray`, `flex`, `wgpu`.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Whether this build includes the backend (cargo features `ndarray`, `flex`, `wgpu`).
    pub fn is_compiled(self) -> bool {
        match self {
            Backend::Ndarray => cfg!(feature = "ndarray"),
            Backend::Flex => cfg!(feature = "flex"),
            Backend::Wgpu => cfg!(feature = "wgpu"),
        }
    }

    /// The device to build models and tensors on, without autodiff (inference).
    /// Call `.autodiff()` on it to train.
    ///
    /// For wgpu this initialises the runtime on first call (once per process) and reports
    /// a missing adapter as an error instead of burn's panic.
    ///
    /// # Errors
    /// [`BackendError::NotCompiled`], or [`BackendError::NoAdapter`] for wgpu.
    pub fn device(self) -> Result<Device, BackendError> {
        if !self.is_compiled() {
            return Err(BackendError::NotCompiled(self.name()));
        }
        match self {
            Backend::Ndarray => Ok(ndarray_device()),
            Backend::Flex => Ok(flex_device()),
            Backend::Wgpu => crate::wgpu::init().map(|(device, _)| device),
        }
    }

    /// The device with autodiff on, for training: `self.device()?.autodiff()`.
    ///
    /// # Errors
    /// As [`Backend::device`].
    pub fn autodiff_device(self) -> Result<Device, BackendError> {
        self.device().map(Device::autodiff)
    }

    /// A human description of what [`Backend::device`] picks, e.g. `flex (CPU, 2 threads)` or
    /// `wgpu / Vulkan / llvmpipe (LLVM 15.0.6, 256 bits) [CPU]`.
    ///
    /// # Errors
    /// As [`Backend::device`].
    pub fn describe(self) -> Result<String, BackendError> {
        match self {
            Backend::Ndarray | Backend::Flex => {
                self.device()?;
                // The pool they run on: RAYON_NUM_THREADS or a pool built by the caller can
                // make it smaller than the machine (a search running trials side by side).
                #[cfg(any(feature = "ndarray", feature = "flex"))]
                let threads = rayon::current_num_threads();
                #[cfg(not(any(feature = "ndarray", feature = "flex")))]
                let threads = 1;
                let plural = if threads == 1 { "" } else { "s" };
                Ok(format!("{} (CPU, {threads} thread{plural})", self.name()))
            }
            Backend::Wgpu => crate::wgpu::init().map(|(_, info)| format!("wgpu / {info}")),
        }
    }

    /// The fastest backend that works here: wgpu when a hardware GPU adapter exists,
    /// otherwise flex, otherwise ndarray (on a 2-core CPU, flex trains LeNet-5 an order of
    /// magnitude faster than ndarray, and wgpu on lavapipe is slower than both).
    pub fn fastest_available() -> Backend {
        if Backend::Wgpu.is_compiled() && crate::wgpu::hardware_adapter().is_some() {
            Backend::Wgpu
        } else if Backend::Flex.is_compiled() {
            Backend::Flex
        } else {
            Backend::Ndarray
        }
    }
}

#[cfg(feature = "flex")]
fn flex_device() -> Device {
    Device::flex()
}

#[cfg(not(feature = "flex"))]
fn flex_device() -> Device {
    unreachable!("checked by is_compiled")
}

#[cfg(feature = "ndarray")]
#[allow(deprecated)] // burn 0.22 deprecates ndarray; Ember keeps it as a reference backend.
fn ndarray_device() -> Device {
    Device::ndarray()
}

#[cfg(not(feature = "ndarray"))]
fn ndarray_device() -> Device {
    unreachable!("checked by is_compiled")
}

impl FromStr for Backend {
    type Err = BackendError;

    /// One of [`Backend::NAMES`], case and surrounding spaces ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        Backend::ALL
            .into_iter()
            .find(|backend| backend.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| BackendError::Unknown(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_case_insensitively_and_round_trips() {
        for b in Backend::ALL {
            assert_eq!(b.name().parse::<Backend>(), Ok(b));
            assert_eq!(b.to_string().to_uppercase().parse::<Backend>(), Ok(b));
        }
    }

    #[test]
    fn names_follow_the_variants_and_spaces_are_ignored() {
        let names: Vec<&str> = Backend::ALL.iter().map(|b| b.name()).collect();
        assert_eq!(names, Backend::NAMES);
        assert_eq!(" Flex ".parse::<Backend>(), Ok(Backend::Flex));
    }

    #[test]
    fn unknown_names_list_the_choices() {
        let err = "cuda".parse::<Backend>().unwrap_err();
        assert_eq!(err, BackendError::Unknown("cuda".into()));
        assert!(err.to_string().contains("ndarray, flex, wgpu"));
    }

    #[test]
    fn cpu_backends_build_devices_and_compute() {
        for b in [Backend::Ndarray, Backend::Flex] {
            let device = b.device().unwrap();
            assert!(!device.is_autodiff() && b.autodiff_device().unwrap().is_autodiff());
            let t = burn::tensor::Tensor::<1>::from_data([1.0f32, 2.0], &device);
            assert_eq!(t.sum().into_scalar::<f32>(), 3.0);
            assert!(b.describe().unwrap().starts_with(b.name()));
        }
    }

    #[test]
    fn fastest_is_a_compiled_backend() {
        assert!(Backend::fastest_available().is_compiled());
    }
}
