//! Helpers shared by the loss tests.

use burn::prelude::*;

use crate::Reduction;

/// The loss under `None`, `Mean` and `Sum`, in that order, concatenated as `f32`s.
pub(crate) fn under_each_reduction(loss: impl Fn(Reduction) -> Tensor<1>) -> Vec<f32> {
    [Reduction::None, Reduction::Mean, Reduction::Sum]
        .into_iter()
        .flat_map(|reduction| ember_testkit::values(loss(reduction)))
        .collect()
}

/// Class indices `[batch]` on `device` (of the device's integer dtype).
pub(crate) fn classes(indices: &[i64], device: &Device) -> Tensor<1, Int> {
    Tensor::from_data(TensorData::new(indices.to_vec(), [indices.len()]), device)
}
