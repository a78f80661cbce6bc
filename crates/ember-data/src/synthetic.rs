//! A generated stand-in for MNIST, for smoke tests and examples that must not download.

use crate::image_dataset::ImageDataset;
use crate::mnist::{MnistKind, MNIST_PIXELS, MNIST_SIDE};

/// `n` generated 28×28 grey images in 10 classes: class `k` is a bright 7×7 square whose
/// top-left corner sits at `(row, col) = (3 + 7·(k / 4), 2 + 6·(k % 4))` (three rows of
/// positions, jittered by up to ±2 pixels), over faint uniform noise. Labels cycle
/// 0, 1, …, 9, with the class names `"0"` to `"9"`. The same `seed` gives the same images.
///
/// # Shapes
/// Items `[1, 28, 28]`, as MNIST's.
///
/// It is easy (a small network separates it within an epoch) and is meant to show that a
/// pipeline learns, not to measure a model.
pub fn synthetic_mnist(n: usize, seed: u64) -> ImageDataset {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        // xorshift64*: a tiny generator, enough for noise and jitter.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33
    };
    let mut images = Vec::with_capacity(n * MNIST_PIXELS);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let k = i % 10;
        let mut image: Vec<u8> = (0..MNIST_PIXELS).map(|_| (next() % 40) as u8).collect();
        let jitter = |r: u64| r as usize % 5;
        let top = 3 + 7 * (k / 4) + jitter(next());
        let left = 2 + 6 * (k % 4) + jitter(next());
        for r in top.saturating_sub(2)..(top + 5).min(MNIST_SIDE) {
            for c in left.saturating_sub(2)..(left + 5).min(MNIST_SIDE) {
                image[r * MNIST_SIDE + c] = 200 + (next() % 56) as u8;
            }
        }
        images.extend(image);
        labels.push(k);
    }
    let names = MnistKind::Mnist.class_names().map(String::from).to_vec();
    ImageDataset::new(
        images,
        labels,
        [1, MNIST_SIDE, MNIST_SIDE],
        names,
        std::path::Path::new("<synthetic>"),
    )
    .expect("generated shapes are consistent")
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::Dataset;

    #[test]
    fn is_reproducible_and_balanced() {
        let a = synthetic_mnist(50, 3);
        let b = synthetic_mnist(50, 3);
        assert_eq!(a.get(7).unwrap(), b.get(7).unwrap());
        assert_ne!(a.get(7).unwrap(), synthetic_mnist(50, 4).get(7).unwrap());
        assert_eq!(a.class_counts(), vec![5; 10]);
        assert_eq!((a.shape(), a.class_names()[9].as_str()), ([1, 28, 28], "9"));
    }
}
