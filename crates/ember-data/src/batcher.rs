//! Turning image items into normalised batches on a device.

use burn::data::dataloader::batcher::Batcher;
use burn::prelude::*;

use crate::mnist::{MnistItem, MNIST_SIDE};

/// A labelled image batch, as PyTorch's loaders yield it: `(images, targets)`.
///
/// # Shapes
/// - images: `[batch, 1, side, side]`, normalised;
/// - targets: `[batch]`, class indices.
pub type ImageBatch = (Tensor<4>, Tensor<1, Int>);

/// Batches [`MnistItem`]s: scales grey levels to [0, 1], normalises them,
/// `x' = (x / 255 - mean) / std`, and optionally pads every side with the background value.
///
/// With `padding = 2` a 28×28 digit becomes the 32×32 field LeNet-5 was designed for
/// (LeCun et al. 1998, §II.B), the border holding the normalised background, not zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MnistBatcher {
    /// Mean subtracted from the [0, 1] grey levels.
    pub mean: f32,
    /// Standard deviation the centred grey levels are divided by.
    pub std: f32,
    /// Background pixels added on each side.
    pub padding: usize,
}

impl MnistBatcher {
    /// A batcher with the given normalisation and no padding.
    pub fn new(mean: f32, std: f32) -> Self {
        Self {
            mean,
            std,
            padding: 0,
        }
    }

    /// Pads every side of the images with `padding` background pixels.
    pub fn with_padding(mut self, padding: usize) -> Self {
        self.padding = padding;
        self
    }

    /// The side of the images it produces.
    pub fn side(&self) -> usize {
        MNIST_SIDE + 2 * self.padding
    }

    /// The normalised images of `items` as a flat row-major buffer `[n, 1, side, side]`.
    pub fn pixels(&self, items: &[MnistItem]) -> Vec<f32> {
        let side = self.side();
        let background = -self.mean / self.std;
        let mut out = vec![background; items.len() * side * side];
        for (n, item) in items.iter().enumerate() {
            for (row, pixels) in item.image.chunks_exact(MNIST_SIDE).enumerate() {
                let start = n * side * side + (row + self.padding) * side + self.padding;
                for (dst, &p) in out[start..start + MNIST_SIDE].iter_mut().zip(pixels) {
                    *dst = (p as f32 / 255.0 - self.mean) / self.std;
                }
            }
        }
        out
    }
}

impl Batcher<MnistItem, ImageBatch> for MnistBatcher {
    fn batch(&self, items: Vec<MnistItem>, device: &Device) -> ImageBatch {
        let side = self.side();
        let images = TensorData::new(self.pixels(&items), [items.len(), 1, side, side]);
        let labels: Vec<i64> = items.iter().map(|i| i64::from(i.label)).collect();
        let targets = TensorData::new(labels, [items.len()]);
        (
            Tensor::from_data(images, device),
            Tensor::from_data(targets, device),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mnist::MNIST_PIXELS;

    #[test]
    fn normalises_and_pads_with_the_background() {
        let mut image = vec![0u8; MNIST_PIXELS];
        image[0] = 255;
        let b = MnistBatcher::new(0.5, 0.25).with_padding(1);
        let px = b.pixels(&[MnistItem { image, label: 3 }]);
        assert_eq!(px.len(), 30 * 30);
        // Border: (0 - 0.5) / 0.25 = -2; first digit pixel at (1, 1): (1 - 0.5) / 0.25 = 2.
        assert_eq!(px[0], -2.0);
        assert_eq!(px[30 + 1], 2.0);
        assert_eq!(px[30 + 2], -2.0);
    }
}
