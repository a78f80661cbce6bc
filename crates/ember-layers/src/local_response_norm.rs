//! Local response normalisation with AlexNet's constants.

use burn::nn::LocalResponseNormConfig;

/// Configuration of burn's [`LocalResponseNorm`](crate::LocalResponseNorm) that computes the
/// normalisation of Krizhevsky et al. (2012, §3.3) with the paper's constants
/// `k = 2, n = 5, α = 10⁻⁴, β = 0.75`:
///
/// `b_c = a_c / (k + α · Σ_{j = max(0, c − n/2)}^{min(C − 1, c + n/2)} a_j²)^β`
///
/// over the `n` channels around `c` at each position.
///
/// burn's layer (like PyTorch's `LocalResponseNorm`) divides its `alpha` by the window size:
/// it computes `a_c / (k + (alpha/n) · Σ a_j²)^β`, the window zero-padded at the edges, with
/// defaults `k = 1, α = 10⁻⁴`. The paper's formula is therefore burn's with
/// `alpha = n·α = 5·10⁻⁴` and `k = 2`, which is what this returns. Writing the paper's `α`
/// straight into PyTorch or burn (a common slip) normalises five times less.
///
/// # Shapes
/// `[batch, channels, ...] -> [batch, channels, ...]` (rank 3 or more).
pub fn alexnet_lrn() -> LocalResponseNormConfig {
    let (k, n, alpha, beta) = (2.0, 5, 1e-4, 0.75);
    LocalResponseNormConfig::new(n)
        .with_alpha(alpha * n as f64)
        .with_k(k)
        .with_beta(beta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::*;
    use ember_testkit::{assert_close, backends_agree, check_gradient, for_each_device, values};

    /// Six channels `[10, 20, 30, 40, 50, 60]` at each of two positions.
    fn activations(device: &Device) -> Tensor<4> {
        let data: Vec<f32> = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
            .iter()
            .flat_map(|a| [*a, -*a])
            .collect();
        Tensor::from_data(TensorData::new(data, [1, 6, 1, 2]), device)
    }

    #[test]
    fn follows_the_papers_formula() {
        let out = backends_agree(1e-5, |device| {
            values(alexnet_lrn().init().forward(activations(device)))
        });
        // Window sums of squares (channels c−2..c+2, clipped at 0 and 5):
        // c0: 100+400+900 = 1400, c1: 3000, c2: 5500, c3: 400+…+3600 = 9000, c4: 8600, c5: 7700.
        // b_0 = 10/(2 + 1e-4·1400)^0.75 = 10/2.14^0.75 = 10/1.7693361 = 5.6518375;
        // b_1 = 20/2.3^0.75 = 20/1.8676517 = 10.7086351; b_2 = 30/2.55^0.75 = 30/2.0179255;
        // b_3 = 40/2.9^0.75 = 40/2.2222786; b_4 = 50/2.86^0.75 = 50/2.1992496;
        // b_5 = 60/2.77^0.75 = 60/2.1471374. The second position is the negation.
        let b = [
            5.651_837_5,
            10.708_635,
            14.866_753,
            17.999_544,
            22.735_027,
            27.944_183,
        ];
        let expected: Vec<f32> = b.iter().flat_map(|v| [*v, -*v]).collect();
        assert_close(&out, &expected, 1e-5, "AlexNet LRN");
    }

    #[test]
    fn pytorch_convention_divides_alpha_by_n() {
        for_each_device(|device| {
            // burn's defaults (PyTorch's): k = 1, alpha = 1e-4 divided by n = 5.
            // b_0 = 10/(1 + 2e-5·1400)^0.75 = 10/1.028^0.75 = 10/1.0209270 = 9.7950163.
            let torch_like = LocalResponseNormConfig::new(5).init();
            let y = values(torch_like.forward(activations(device)));
            assert_close(&y[..1], &[9.795_016], 1e-5, "PyTorch-style LRN");
        });
    }

    #[test]
    fn gradients_match_finite_differences() {
        for_each_device(|device| {
            // α = 0.05 (n·α = 0.25) makes the normalisation strong enough to matter.
            let layer = alexnet_lrn().with_alpha(0.25).init();
            let x0 = [
                0.5, -1.2, 2.0, 0.3, -0.7, 1.5, 0.9, -2.2, 0.1, 1.1, -0.4, 0.6,
            ];
            check_gradient(device, [1, 6, 1, 2], &x0, |x| {
                let w = Tensor::<4>::from_data(
                    TensorData::new(
                        (1..=12).map(|i| i as f64 * 0.3 - 2.0).collect(),
                        [1, 6, 1, 2],
                    ),
                    (&x.device(), x.dtype()),
                );
                (layer.forward(x) * w).sum()
            });
        });
    }
}
