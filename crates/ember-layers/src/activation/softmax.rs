//! Softmax and log-softmax as modules (burn has them only as functions).

use burn::prelude::*;
use burn::tensor::activation::{log_softmax, softmax};

fn check_dim<const D: usize>(layer: &str, dim: usize) {
    assert!(
        dim < D,
        "{layer} over dimension {dim} of a rank-{D} tensor: choose a dimension below {D} \
         (usually the last, {})",
        D - 1
    );
}

/// `softmax(x)_i = exp(x_i − m) / Σ_j exp(x_j − m)` along `dim`, with `m = max_j x_j`
/// subtracted first so that large inputs do not overflow: each slice along `dim` becomes a
/// probability distribution. The module form of [`softmax`](crate::softmax).
///
/// # Shapes
/// Any shape; the output has the input's shape.
///
/// # Panics
/// If `dim` is not below the input's rank.
#[derive(Module, Debug)]
pub struct Softmax {
    /// The dimension the distribution runs along (the class dimension).
    pub dim: usize,
}

impl Softmax {
    /// Softmax along `dim`.
    pub fn new(dim: usize) -> Self {
        Self { dim }
    }

    /// Applies the softmax along [`dim`](Self::dim).
    pub fn forward<const D: usize>(&self, input: Tensor<D>) -> Tensor<D> {
        check_dim::<D>("Softmax", self.dim);
        softmax(input, self.dim)
    }
}

/// `log_softmax(x)_i = x_i − m − log Σ_j exp(x_j − m)` along `dim` (`m = max_j x_j`):
/// the logarithm of [`Softmax`] computed without forming the (possibly underflowing)
/// probabilities. The module form of [`log_softmax`](crate::log_softmax).
///
/// # Shapes
/// Any shape; the output has the input's shape.
///
/// # Panics
/// If `dim` is not below the input's rank.
#[derive(Module, Debug)]
pub struct LogSoftmax {
    /// The dimension the distribution runs along (the class dimension).
    pub dim: usize,
}

impl LogSoftmax {
    /// Log-softmax along `dim`.
    pub fn new(dim: usize) -> Self {
        Self { dim }
    }

    /// Applies the log-softmax along [`dim`](Self::dim).
    pub fn forward<const D: usize>(&self, input: Tensor<D>) -> Tensor<D> {
        check_dim::<D>("LogSoftmax", self.dim);
        log_softmax(input, self.dim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{
        assert_close, backends_agree, check_gradient, for_each_device, values, AGREE,
    };

    // softmax([0, 1, 2]): e^0 + e^1 + e^2 = 1 + 2.7182818 + 7.3890561 = 11.1073379;
    // 1/11.1073379 = 0.0900306, 2.7182818/11.1073379 = 0.2447285, 7.3890561/11.1073379 = 0.6652410.
    const SOFTMAX_012: [f32; 3] = [0.090_030_6, 0.244_728_5, 0.665_241];
    // log of the above: −log(11.1073379) = −2.4076059, then +1, +2.
    const LOG_SOFTMAX_012: [f32; 3] = [-2.407_606, -1.407_606, -0.407_606];

    #[test]
    fn softmax_is_shift_invariant_and_does_not_overflow() {
        let out = backends_agree(AGREE, |device| {
            // Row 0: [0, 1, 2]; row 1: [1000, 1001, 1002] (exp(1000) overflows f32);
            // row 2: [-1000, -999, -998] (exp(-1000) underflows to 0).
            let x = Tensor::<2>::from_data(
                [
                    [0.0f32, 1.0, 2.0],
                    [1000.0, 1001.0, 1002.0],
                    [-1000.0, -999.0, -998.0],
                ],
                device,
            );
            values(Softmax::new(1).forward(x))
        });
        assert_close(&out, &SOFTMAX_012.repeat(3), 1e-5, "softmax rows");
    }

    #[test]
    fn log_softmax_stays_finite_where_softmax_underflows() {
        for_each_device(|device| {
            let x = Tensor::<2>::from_data([[0.0f32, 1.0, 2.0], [1000.0, 1001.0, 1002.0]], device);
            let y = values(LogSoftmax::new(1).forward(x));
            assert_close(&y, &LOG_SOFTMAX_012.repeat(2), 1e-5, "log-softmax rows");
            // [0, −200]: log_softmax = [−log(1 + e^−200), −200 − log(1 + e^−200)] = [0, −200],
            // where softmax would give 0 for the second entry and log(0) = −inf.
            let far = Tensor::<1>::from_data([0.0f32, -200.0], device);
            assert_close(
                &values(LogSoftmax::new(0).forward(far)),
                &[0.0, -200.0],
                1e-5,
                "far apart",
            );
        });
    }

    #[test]
    fn softmax_along_the_first_dimension() {
        for_each_device(|device| {
            // Columns are [0, 1, 2] and [2, 2, 2] (uniform: 1/3 each).
            let x = Tensor::<2>::from_data([[0.0f32, 2.0], [1.0, 2.0], [2.0, 2.0]], device);
            let y = values(Softmax::new(0).forward(x));
            let third = 1.0 / 3.0;
            let expected = [
                SOFTMAX_012[0],
                third,
                SOFTMAX_012[1],
                third,
                SOFTMAX_012[2],
                third,
            ];
            assert_close(&y, &expected, 1e-5, "softmax over dim 0");
        });
    }

    #[test]
    fn gradients_match_finite_differences() {
        for_each_device(|device| {
            let x0 = [0.3, -1.2, 2.0, 0.7, 0.1, -0.4];
            // Weighting the outputs makes every component of the gradient informative
            // (the gradient of Σ softmax is identically zero).
            let weighted = |y: Tensor<2>| {
                let w = Tensor::<2>::from_data(
                    TensorData::new(vec![1.0, -2.0, 0.5, 3.0, -1.0, 2.0], [2, 3]),
                    (&y.device(), y.dtype()),
                );
                (y * w).sum()
            };
            check_gradient(device, [2, 3], &x0, |x| {
                weighted(Softmax::new(1).forward(x))
            });
            check_gradient(device, [2, 3], &x0, |x| {
                weighted(LogSoftmax::new(1).forward(x))
            });
        });
    }

    #[test]
    #[should_panic(expected = "Softmax over dimension 2 of a rank-2 tensor")]
    fn a_dimension_beyond_the_rank_is_named() {
        Softmax::new(2).forward(Tensor::<2>::zeros([2, 3], &Device::flex()));
    }
}
