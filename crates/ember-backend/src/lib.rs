//! # ember-backend: pick a tensor backend by name, at run time
//!
//! burn 0.22 selects the backend through the [`Device`](burn::tensor::Device) a tensor
//! lives on; this crate maps a name to that device and says what it picked.
//!
//! Contents:
//! - [`Backend`]: `ndarray`, `flex` or `wgpu`, parsed from a name; [`Backend::device`]
//!   builds its device, [`Backend::autodiff_device`] the same with autodiff (to train),
//!   [`Backend::describe`] says what
//!   was picked (adapter, graphics API), [`Backend::fastest_available`] chooses for you;
//!   [`Backend::NAMES`] lists the names.
//! - [`Backend::pick`], [`Picked`]: the backend asked for or the fastest available, its
//!   device built and described, for a run's `--backend` option.
//! - [`hardware_adapter`]: the GPU wgpu would use, if any, without initialising it.
//! - [`BackendError`]: unknown name, backend not compiled in, no GPU adapter, each with
//!   its fix.
//!
//! Seeding: `device.seed(s)` seeds the backend's random generator (weight initialisation,
//! dropout). burn keeps one generator per backend and process, so seed before building
//! the model; the same seed and backend then give the same run on a CPU backend.
//!
//! On a headless Linux machine, probing Vulkan may print `error: XDG_RUNTIME_DIR is invalid
//! or not set in the environment` (libwayland). It is harmless; setting `XDG_RUNTIME_DIR`
//! (for instance to `/tmp`) silences it, as `cargo xtask` does.
//!
//! Cargo features (all on by default): `ndarray`, `flex`, `wgpu` (with burn's `fusion`,
//! `autotune` and `persistence`, without which wgpu is many times slower).
//!
//! ```
//! use ember_backend::Backend;
//!
//! let backend: Backend = "flex".parse()?;
//! let device = backend.device()?.autodiff();
//! device.seed(42);
//! println!("training on {}", backend.describe()?);
//! # Ok::<(), ember_backend::BackendError>(())
//! ```
#![warn(missing_docs)]

mod backend;
mod error;
mod picked;
mod wgpu;

pub use backend::Backend;
pub use error::BackendError;
pub use picked::Picked;
pub use wgpu::hardware_adapter;
