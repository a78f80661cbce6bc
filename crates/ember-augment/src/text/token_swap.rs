//! Swap random pairs of neighbouring tokens.

use burn::prelude::*;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::token_mask;
use crate::error::{check_probability, expect_valid, AugmentError};
use crate::random::coins;

/// Swaps neighbouring tokens `(t, t + 1)`: scanning each sequence left to right, a pair
/// starts at `t` with probability `p` unless `t` already ends the previous pair, so pairs
/// never overlap. A pair is swapped only if neither token is `pad_id`.
///
/// # Shapes
/// `[N, T]` token ids in and out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSwap {
    /// Probability that a pair starts at a position, in `[0, 1]`.
    pub p: f32,
    /// The padding id, never moved.
    pub pad_id: i64,
}

impl TokenSwap {
    /// Checks `p`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when `p` is not in `[0, 1]`.
    pub fn validate(&self) -> Result<(), AugmentError> {
        check_probability("token_swap", self.p)
    }

    /// Where pairs start (row-major `[N, T]`), drawn from `rng`: one coin per position.
    pub fn draw_starts(&self, n: usize, t: usize, rng: &mut StdRng) -> Vec<bool> {
        let tosses = coins(rng, n * t, self.p);
        let mut starts = vec![false; n * t];
        for row in 0..n {
            let mut position = 0;
            while position + 1 < t {
                if tosses[row * t + position] {
                    starts[row * t + position] = true;
                    position += 2;
                } else {
                    position += 1;
                }
            }
        }
        starts
    }

    /// Swaps the pairs drawn from `rng`.
    ///
    /// # Panics
    /// When the configuration is invalid.
    pub fn apply(&self, ids: Tensor<2, Int>, rng: &mut StdRng) -> Tensor<2, Int> {
        expect_valid(self.validate());
        let [n, t] = ids.dims();
        let starts = self.draw_starts(n, t, rng);
        if t < 2 {
            return ids;
        }
        let device = ids.device();
        let starts = token_mask(starts, [n, t], &device);
        let never = token_mask(vec![false; n], [n, 1], &device);
        let real = ids.clone().not_equal_elem(self.pad_id);
        let real_next = Tensor::cat(vec![real.clone().slice([0..n, 1..t]), never.clone()], 1);
        let swap = starts.bool_and(real).bool_and(real_next);
        let from_left = Tensor::cat(vec![never, swap.clone().slice([0..n, 0..t - 1])], 1);
        let next = Tensor::cat(
            vec![
                ids.clone().slice([0..n, 1..t]),
                ids.clone().slice([0..n, t - 1..t]),
            ],
            1,
        );
        let previous = Tensor::cat(
            vec![
                ids.clone().slice([0..n, 0..1]),
                ids.clone().slice([0..n, 0..t - 1]),
            ],
            1,
        );
        ids.mask_where(swap, next).mask_where(from_left, previous)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;
    use crate::text::tests::{ids, read};
    use ember_testkit::{backends_agree, for_each_device};

    #[test]
    fn certain_swaps_pair_up_tokens_and_stop_at_padding() {
        for_each_device(|device| {
            let swap = TokenSwap { p: 1.0, pad_id: 0 };
            // Pairs start at 0, 2, 4; (4, 5) holds padding and stays.
            let out = swap.apply(ids(&[[5, 6, 7, 8, 9, 0, 0]], device), &mut seeded(0));
            assert_eq!(read(out), vec![6, 5, 8, 7, 9, 0, 0]);
        });
    }

    #[test]
    fn swaps_follow_the_drawn_starts_and_keep_every_token() {
        let swap = TokenSwap { p: 0.3, pad_id: 0 };
        let starts = swap.draw_starts(4, 12, &mut seeded(9));
        let row: Vec<i64> = (1..=12).collect();
        let out = backends_agree(0.0, |device| {
            let data = TensorData::new(row.repeat(4), [4, 12]);
            let out = swap.apply(Tensor::from_data(data, device), &mut seeded(9));
            read(out).iter().map(|&v| v as f32).collect()
        });
        for s in 0..4 {
            let mut expected: Vec<f32> = row.iter().map(|&v| v as f32).collect();
            for position in 0..11 {
                if starts[s * 12 + position] {
                    expected.swap(position, position + 1);
                }
            }
            assert_eq!(
                &out[s * 12..(s + 1) * 12],
                expected.as_slice(),
                "sequence {s}"
            );
        }
        assert_ne!(out[..12], out[12..24], "two sequences were swapped alike");
    }
}
