//! # ember-augment: data augmentation on image and token batches
//!
//! This crate will hold batched, on-device augmentation (flips, crops, rotations, colour
//! jitter, AlexNet's PCA lighting, random erasing, token dropout) operating on whole
//! `Tensor<4>` batches `[N, C, H, W]` with per-sample random parameters.
//!
//! It is empty in this release: no transform is implemented yet, and nothing in Ember
//! applies augmentation to training batches.
#![warn(missing_docs)]
