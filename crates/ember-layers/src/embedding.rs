//! burn's `Embedding`, pinned: token `i` maps to row `i` of the `[V, d]` table.

use burn::module::Param;
use burn::prelude::*;
use ember_testkit::{assert_close, backends_agree, AGREE};

use crate::EmbeddingConfig;

#[test]
fn looks_up_rows_of_the_table() {
    let out = backends_agree(AGREE, |device| {
        let mut embedding = EmbeddingConfig::new(3, 2).init(device);
        // Row i is [i, i + 0.5].
        let table = [[0.0f32, 0.5], [1.0, 1.5], [2.0, 2.5]];
        embedding.weight = Param::from_tensor(Tensor::from_data(table, device));
        let tokens = Tensor::<2, Int>::from_data(TensorData::from([[2i64, 0], [1, 1]]), device);
        let y = embedding.forward(tokens);
        assert_eq!(y.dims(), [2, 2, 2]);
        ember_testkit::values(y)
    });
    let expected = [2.0, 2.5, 0.0, 0.5, 1.0, 1.5, 1.0, 1.5];
    assert_close(&out, &expected, 0.0, "embedding lookup");
}

#[test]
fn default_table_is_standard_normal() {
    let device = Device::flex();
    // burn draws the table from N(0, 1) (as PyTorch); Keras draws U(−0.05, 0.05).
    let table = ember_testkit::values(EmbeddingConfig::new(1000, 50).init(&device).weight.val());
    let n = table.len() as f32;
    let mean = table.iter().sum::<f32>() / n;
    let std = (table.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n).sqrt();
    // 50,000 draws: standard error of the mean 1/√50000 = 0.0045.
    assert!(
        mean.abs() < 0.03 && (std - 1.0).abs() < 0.03,
        "{mean} {std}"
    );
}
