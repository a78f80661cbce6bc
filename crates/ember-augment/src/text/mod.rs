//! Augmentation of token-id sequences `[N, T]` (for text models), per-sample seeded and
//! padding-aware.

mod token_dropout;
mod token_swap;

pub use token_dropout::TokenDropout;
pub use token_swap::TokenSwap;

use burn::prelude::*;

/// A row-major boolean mask of `shape` on `device`.
fn token_mask(values: Vec<bool>, shape: [usize; 2], device: &Device) -> Tensor<2, Bool> {
    Tensor::from_data(TensorData::new(values, shape), device)
}

#[cfg(test)]
mod tests {
    use burn::prelude::*;

    /// Sequences of equal length as an id tensor.
    pub(crate) fn ids<const T: usize>(rows: &[[i64; T]], device: &Device) -> Tensor<2, Int> {
        let data = TensorData::new(rows.concat(), [rows.len(), T]);
        Tensor::from_data(data, device)
    }

    /// The ids as `i64` (they are i32 on flex and wgpu).
    pub(crate) fn read(ids: Tensor<2, Int>) -> Vec<i64> {
        ids.into_data()
            .convert::<i64>()
            .try_into_vec()
            .expect("converted to i64 just above")
    }
}
