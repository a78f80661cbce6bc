//! Per-sample parameters, drawn on the CPU from a seeded generator.
//!
//! burn's `Tensor::random` differs from backend to backend, so no transform uses it: every
//! random parameter (an angle, a crop offset, a coin toss) is drawn here from a
//! [`StdRng`](rand::rngs::StdRng) and uploaded as a small tensor. The same seed therefore gives
//! the same augmentation on ndarray, flex and wgpu.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// The generator every transform draws from, seeded from a `u64` (ChaCha12, as
/// [`rand::rngs::StdRng`] is in rand 0.10: reproducible for a given rand version).
pub fn seeded(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// A draw from the uniform distribution on `[low, high)` (`low` itself when they are equal).
pub(crate) fn uniform(rng: &mut StdRng, [low, high]: [f32; 2]) -> f64 {
    let unit: f64 = rng.random();
    f64::from(low) + (f64::from(high) - f64::from(low)) * unit
}

/// The two sides of a random box, as torchvision draws them for its random resized crop and
/// random erasing: an area `U(scale)·area` and an aspect ratio `r` log-uniform in `ratio`,
/// giving `(√(area·r), √(area/r))`, rounded. Which side is the width is the caller's.
pub(crate) fn box_sides(
    rng: &mut StdRng,
    area: f64,
    scale: [f32; 2],
    ratio: [f32; 2],
) -> [usize; 2] {
    let target = area * uniform(rng, scale);
    let aspect = uniform(rng, [ratio[0].ln(), ratio[1].ln()]).exp();
    [
        (target * aspect).sqrt().round() as usize,
        (target / aspect).sqrt().round() as usize,
    ]
}

/// `n` independent coin tosses, each `true` with probability `p`.
pub(crate) fn coins(rng: &mut StdRng, n: usize, p: f32) -> Vec<bool> {
    (0..n).map(|_| rng.random::<f64>() < f64::from(p)).collect()
}

/// A draw from the standard normal distribution (Box–Muller).
pub(crate) fn standard_normal(rng: &mut StdRng) -> f64 {
    // 1 − u lies in (0, 1], so its logarithm is finite.
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// A uniform integer in `0..=max`.
pub(crate) fn integer(rng: &mut StdRng, max: usize) -> usize {
    rng.random_range(0..=max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_draws_stay_in_range_and_cover_it() {
        let mut rng = seeded(1);
        let draws: Vec<f64> = (0..10_000)
            .map(|_| uniform(&mut rng, [-3.0, 5.0]))
            .collect();
        assert!(draws.iter().all(|d| (-3.0..5.0).contains(d)));
        // The mean of U(−3, 5) is 1, its standard deviation 8/√12 ≈ 2.31: the mean of 10 000
        // draws lies within 4·2.31/100 ≈ 0.09 of 1.
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((mean - 1.0).abs() < 0.1, "mean {mean}");
    }

    #[test]
    fn standard_normal_has_unit_variance() {
        let mut rng = seeded(2);
        let draws: Vec<f64> = (0..20_000).map(|_| standard_normal(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / draws.len() as f64;
        // Standard errors: mean 1/√20000 ≈ 0.007, variance √(2/20000) = 0.01.
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.04, "variance {var}");
    }
}
