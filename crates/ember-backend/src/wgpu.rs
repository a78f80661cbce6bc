//! wgpu: probing adapters without panicking and describing the one picked.

use std::sync::OnceLock;

use burn::tensor::Device;

use crate::BackendError;

/// The wgpu runtime can be initialised once per process; its result is kept here.
#[cfg(feature = "wgpu")]
static RUNTIME: OnceLock<Result<(Device, String), BackendError>> = OnceLock::new();

/// Initialises burn's wgpu runtime on the default adapter (once) and returns the device and
/// a description of the adapter (`Vulkan / NVIDIA H100 [discrete GPU]`).
#[cfg(feature = "wgpu")]
pub(crate) fn init() -> Result<(Device, String), BackendError> {
    RUNTIME
        .get_or_init(|| match Device::wgpu_options().init_with_setup() {
            Ok((device, setup)) => Ok((device, describe(&setup.adapter.get_info()))),
            Err(e) => Err(BackendError::NoAdapter(e.to_string())),
        })
        .clone()
}

#[cfg(not(feature = "wgpu"))]
pub(crate) fn init() -> Result<(Device, String), BackendError> {
    Err(BackendError::NotCompiled("wgpu"))
}

#[cfg(feature = "wgpu")]
fn describe(info: &burn::tensor::wgpu::wgpu::AdapterInfo) -> String {
    use burn::tensor::wgpu::wgpu::DeviceType;
    let kind = match info.device_type {
        DeviceType::DiscreteGpu => "discrete GPU",
        DeviceType::IntegratedGpu => "integrated GPU",
        DeviceType::VirtualGpu => "virtual GPU",
        DeviceType::Cpu => "CPU, software rendering",
        DeviceType::Other => "other",
    };
    let driver = [info.driver.as_str(), info.driver_info.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let backend = format!("{:?}", info.backend);
    if driver.is_empty() {
        format!("{backend} / {} [{kind}]", info.name)
    } else {
        format!("{backend} / {} [{kind}; driver {driver}]", info.name)
    }
}

/// The first hardware (non-CPU) adapter wgpu can see, described; `None` when there is
/// only a software one (lavapipe) or none. Does not initialise burn's runtime.
#[cfg(feature = "wgpu")]
pub fn hardware_adapter() -> Option<String> {
    use burn::tensor::wgpu::wgpu;
    static PROBE: OnceLock<Option<String>> = OnceLock::new();
    PROBE
        .get_or_init(|| {
            // Vulkan, Metal, DX12: OpenGL is left out because probing it through EGL
            // complains on stderr on headless machines, and burn prefers the others anyway.
            let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
                backends: wgpu::Backends::PRIMARY,
                ..wgpu::InstanceDescriptor::new_without_display_handle()
            });
            let adapters =
                burn::tensor::read_sync(instance.enumerate_adapters(wgpu::Backends::PRIMARY));
            adapters
                .iter()
                .map(|a| a.get_info())
                .find(|i| i.device_type != wgpu::DeviceType::Cpu)
                .map(|i| describe(&i))
        })
        .clone()
}

/// Without the `wgpu` feature there is no adapter to find.
#[cfg(not(feature = "wgpu"))]
pub fn hardware_adapter() -> Option<String> {
    None
}
