//! Replace random tokens of id sequences by a fixed id.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::token_mask;
use crate::error::{check_probability, expect_valid, AugmentError};
use crate::random::coins;

/// Replaces each non-padding token, independently with probability `p`, by `replace_id`
/// (typically the unknown or mask token). Sequences keep their length: replacement rather
/// than delete-and-shift, so it stays one masked fill on the device. Positions holding
/// `pad_id` are never touched.
///
/// # Shapes
/// `[N, T]` token ids in and out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenDropout {
    /// Probability of replacing a token, in `[0, 1]`.
    pub p: f32,
    /// The id written in place of a dropped token.
    pub replace_id: i64,
    /// The padding id, left alone.
    pub pad_id: i64,
}

impl TokenDropout {
    /// Checks `p`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when `p` is not in `[0, 1]`.
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_probability("token_dropout", self.p)
    }

    /// Drops tokens, drawing one coin per position (row-major) from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid.
    pub fn apply(&self, ids: Tensor<2, Int>, rng: &mut StdRng) -> Tensor<2, Int> {
        expect_valid(self.validate());
        let [n, t] = ids.dims();
        let drop = token_mask(coins(rng, n * t, self.p), [n, t], &ids.device());
        let keep_pad = ids.clone().not_equal_elem(self.pad_id);
        ids.mask_fill(drop.bool_and(keep_pad), self.replace_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use crate::text::tests::{ids, read};
    use ember_testkit::{backends_agree, for_each_device};

    #[test]
    fn certain_dropout_replaces_every_token_but_padding() {
        for_each_device(|device| {
            let dropout = TokenDropout {
                p: 1.0,
                replace_id: 1,
                pad_id: 0,
            };
            let out = dropout.apply(ids(&[[5, 6, 7, 0], [8, 0, 0, 0]], device), &mut seeded(0));
            assert_eq!(read(out), vec![1, 1, 1, 0, 1, 0, 0, 0]);
        });
    }

    #[test]
    fn about_p_of_the_tokens_drop_and_backends_agree() {
        let dropout = TokenDropout {
            p: 0.2,
            replace_id: 1,
            pad_id: 0,
        };
        // 10 sequences of 100 tokens, the last 20 of each padding.
        let out = backends_agree(0.0, |device| {
            let row: Vec<i64> = (0..100).map(|i| if i < 80 { 2 + i } else { 0 }).collect();
            let data = TensorData::new(row.repeat(10), [10, 100]);
            let out = dropout.apply(Tensor::from_data(data, device), &mut seeded(4));
            read(out).iter().map(|&v| v as f32).collect()
        });
        let rows: Vec<&[f32]> = out.chunks(100).collect();
        assert!(
            rows.iter().all(|r| r[80..].iter().all(|&v| v == 0.0)),
            "padding touched"
        );
        let dropped = out.iter().filter(|&&v| v == 1.0).count();
        // Binomial(800, 0.2): mean 160, std ≈ 11.3.
        assert!(
            (160 - 45..=160 + 45).contains(&dropped),
            "{dropped} dropped"
        );
        assert_ne!(
            rows[0], rows[1],
            "two identical sequences lost the same tokens"
        );
    }
}
