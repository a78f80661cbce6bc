//! # Ember: the deep-learning curriculum as modular crates on burn
//!
//! This facade re-exports every Ember crate under a short name, so one dependency gives
//! the whole toolkit; each crate can also be taken alone.
//!
//! | module | crate | what it answers |
//! |---|---|---|
//! | [`backend`] | `ember-backend` | which tensor backend and device (`ndarray`, `flex`, `wgpu`) |
//! | [`layers`] | `ember-layers` | layers, activations, initialisation, model summary |
//! | [`losses`] | `ember-losses` | loss functions |
//! | [`optim`] | `ember-optim` | optimizers, learning-rate schedules, regularisation |
//! | [`augment`] | `ember-augment` | data augmentation, batched on the device |
//! | [`data`] | `ember-data` | datasets: obtain, verify, parse, split, batch |
//! | [`models`] | `ember-models` | LeNet-5 |
//! | [`train`] | `ember-train` | training runs, evaluation, run folders |
//!
//! [`burn`] itself is re-exported too, at the version Ember is built on.
//!
//! Cargo features: `ndarray`, `flex`, `wgpu` (all on by default) choose the backends
//! compiled in.
#![warn(missing_docs)]

pub use burn;
pub use ember_augment as augment;
pub use ember_backend as backend;
pub use ember_data as data;
pub use ember_layers as layers;
pub use ember_losses as losses;
pub use ember_models as models;
pub use ember_optim as optim;
pub use ember_train as train;
