//! The backends a test runs on.

use std::sync::Once;

use burn::prelude::*;
use ember_backend::{Backend, BackendError};

/// The tolerance to which backends must agree: 1e-4 (relative above 1).
pub const AGREE: f32 = 1e-4;

/// One backend's device, named.
#[derive(Debug, Clone)]
pub struct TestDevice {
    /// `ndarray`, `flex` or `wgpu`.
    pub name: &'static str,
    /// Its plain (non-autodiff) device; call `.autodiff()` for gradients.
    pub device: Device,
}

/// ndarray, flex, and wgpu when a Vulkan, Metal or DX12 adapter exists (on a machine
/// without a GPU, Mesa's lavapipe provides one). Without an adapter, or with only OpenGL
/// (where burn's wgpu runtime makes the suite take over 20 minutes instead of 3), wgpu is
/// left out with a message on stderr saying how to get it.
///
/// `EMBER_TEST_BACKENDS` (comma-separated names) restricts the list, e.g. to iterate quickly
/// on `flex`; naming `wgpu` there runs it even on OpenGL. CI leaves it unset.
///
/// # Panics
/// If `EMBER_TEST_BACKENDS` names an unknown backend, or a CPU backend cannot be built.
pub fn devices() -> Vec<TestDevice> {
    let asked: Option<Vec<Backend>> = match std::env::var("EMBER_TEST_BACKENDS") {
        Ok(list) if !list.trim().is_empty() => Some(
            list.split(',')
                .map(|name| {
                    name.parse()
                        .unwrap_or_else(|e| panic!("EMBER_TEST_BACKENDS: {e}"))
                })
                .collect(),
        ),
        _ => None,
    };
    let named = asked.is_some();
    let mut out = Vec::new();
    for backend in asked.unwrap_or_else(|| Backend::ALL.to_vec()) {
        match Backend::pick(Some(backend)) {
            Ok(picked) if picked.is_opengl() && !named => {
                static SAID: Once = Once::new();
                SAID.call_once(|| {
                    eprintln!(
                        "skipping wgpu in tensor tests: it came up on OpenGL ({}), where they \
                         take over 20 minutes; install a Vulkan driver to run them (Mesa's \
                         lavapipe on a machine without a GPU: mesa-vulkan-drivers libvulkan1), \
                         or run them on OpenGL anyway with \
                         EMBER_TEST_BACKENDS=ndarray,flex,wgpu",
                        picked.description
                    )
                });
            }
            Ok(picked) => out.push(TestDevice {
                name: backend.name(),
                device: picked.device,
            }),
            Err(e @ BackendError::NoAdapter(_)) => {
                static SAID: Once = Once::new();
                SAID.call_once(|| eprintln!("skipping wgpu in tensor tests: {e}"));
            }
            Err(e) => panic!("cannot build the {backend} test device: {e}"),
        }
    }
    out
}

/// Runs `check` on every device of [`devices`]; a failure names the backend.
pub fn for_each_device(check: impl Fn(&Device)) {
    for TestDevice { name, device } in devices() {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&device)));
        if let Err(panic) = result {
            eprintln!("the check above failed on the {name} backend");
            std::panic::resume_unwind(panic);
        }
    }
}

/// Runs `compute` on every device and asserts that all outputs equal the first one's to
/// `tol` (use [`AGREE`]); returns the first backend's output for further checks.
///
/// # Panics
/// When two backends disagree (naming both and the element), or no backend is available.
pub fn backends_agree(tol: f32, compute: impl Fn(&Device) -> Vec<f32>) -> Vec<f32> {
    let mut devices = devices().into_iter();
    let first = devices.next().expect("at least one test backend");
    let reference = compute(&first.device);
    for other in devices {
        let out = compute(&other.device);
        crate::assert_close(
            &out,
            &reference,
            tol,
            &format!("{} against {}", other.name, first.name),
        );
    }
    reference
}
