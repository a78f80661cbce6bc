//! `Flatten`: keep the batch dimension, merge all others.

use burn::prelude::*;

/// Flattens every dimension after the first: `[batch, d1, ..., dk] -> [batch, d1·…·dk]`,
/// the bridge between convolutional and dense layers (Keras' `Flatten`).
///
/// burn's `Tensor::flatten(1, D - 1)` does the work; this module gives it a place in a
/// model's structure and in its [`summary`](crate::Summary).
#[derive(Module, Debug, Default)]
pub struct Flatten;

impl Flatten {
    /// A flatten layer.
    pub fn new() -> Self {
        Self
    }

    /// # Shapes
    /// `[batch, d1, ..., dk] -> [batch, d1·…·dk]`.
    pub fn forward<const D: usize>(&self, input: Tensor<D>) -> Tensor<2> {
        input.flatten(1, D - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{backends_agree, check_gradient, for_each_device, AGREE};

    #[test]
    fn keeps_the_batch_and_row_major_order() {
        let v = backends_agree(AGREE, |device| {
            let x = Tensor::<4>::from_data(
                [[[[1.0f32, 2.0], [3.0, 4.0]]], [[[5.0, 6.0], [7.0, 8.0]]]],
                device,
            );
            let y = Flatten::new().forward(x);
            assert_eq!(y.dims(), [2, 4]);
            ember_testkit::values(y)
        });
        assert_eq!(v, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
    }

    #[test]
    fn gradient_passes_through_unchanged() {
        // Σ_i w_i·flatten(x)_i has gradient w, reshaped back to x's shape.
        for_each_device(|device| {
            check_gradient(device, [2, 1, 1, 2], &[0.1, -0.2, 0.3, 0.4], |x| {
                let w = Tensor::<2>::from_data(
                    TensorData::new(vec![1.0f64, 2.0, 3.0, 4.0], [2, 2]),
                    (&x.device(), x.dtype()),
                );
                Flatten::new().forward(x).mul(w).sum()
            });
        });
    }
}
