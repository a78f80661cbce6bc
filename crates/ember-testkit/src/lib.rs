//! # ember-testkit: what every Ember test that touches tensors needs
//!
//! A dev-dependency of Ember's crates, never a dependency: users of `ember-losses` or
//! `ember-layers` do not get it. It exists so that "runs on ndarray, flex and wgpu, checked
//! against finite differences" is written once.
//!
//! Contents:
//! - [`devices`]: ndarray, flex, and wgpu when an adapter exists (lavapipe counts); the
//!   environment variable `EMBER_TEST_BACKENDS=flex,ndarray` restricts the list.
//! - [`for_each_device`]: runs a check on each of them, naming the backend when it fails.
//! - [`backends_agree`]: runs a computation on each device and checks the outputs agree
//!   (to 1e-4 by default, [`AGREE`]).
//! - [`values`], [`assert_close`]: read any float tensor as `f32`s and compare with a
//!   tolerance relative to the expected magnitude.
//! - [`check_gradient`]: autodiff gradient against central finite differences, in `f64`
//!   on the CPU backends.
#![warn(missing_docs)]

mod devices;
mod gradient;

pub use devices::{backends_agree, devices, for_each_device, TestDevice, AGREE};
pub use gradient::{check_gradient, gradient_dtype};

use burn::prelude::*;

/// The elements of a float tensor of any dtype, as `f32`, in row-major order.
pub fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor
        .into_data()
        .try_into_vec_as::<f32>()
        .expect("float data converts to f32")
}

/// Asserts `|actual − expected| ≤ tol·max(1, |expected|)` element by element.
///
/// # Panics
/// With `what`, the index and both values of the first element out of tolerance, or when the
/// lengths differ.
#[track_caller]
pub fn assert_close(actual: &[f32], expected: &[f32], tol: f32, what: &str) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "{what}: {} values, expected {}",
        actual.len(),
        expected.len()
    );
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let ok = (a - e).abs() <= tol * e.abs().max(1.0) || (a.is_nan() && e.is_nan());
        assert!(
            ok,
            "{what}: element {i} is {a}, expected {e} (tolerance {tol})\nactual:   {actual:?}\nexpected: {expected:?}"
        );
    }
}
