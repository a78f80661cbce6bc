//! The shape checks every loss makes before computing, so a mismatch is reported by name
//! instead of being broadcast silently or failing deep inside burn.

use burn::prelude::*;

/// Predictions and element-wise targets must have the same shape `[batch, n]`.
///
/// # Panics
/// Naming `loss` and both shapes, when they differ.
#[track_caller]
pub(crate) fn same_shape(loss: &str, predictions: &Tensor<2>, targets: &Tensor<2>) {
    let (p, t) = (predictions.dims(), targets.dims());
    assert!(
        p == t,
        "{loss}: predictions have shape {p:?} but targets {t:?}; targets must have the \
         predictions' shape [batch, outputs], one target per prediction"
    );
}

/// Class-index targets must hold one index per row of the predictions `[batch, classes]`.
///
/// # Panics
/// Naming `loss` and both shapes, when `targets` is not `[batch]`, or there are no classes.
#[track_caller]
pub(crate) fn class_targets(loss: &str, predictions: &Tensor<2>, targets: &Tensor<1, Int>) {
    let ([batch, classes], t) = (predictions.dims(), targets.dims());
    assert!(
        t == [batch],
        "{loss}: predictions have shape {:?} but targets {t:?}; targets must be one class \
         index per example, shape [{batch}]",
        [batch, classes]
    );
    assert!(
        classes > 0,
        "{loss}: predictions have shape {:?}, with no class column; expected [batch, classes]",
        [batch, classes]
    );
}
