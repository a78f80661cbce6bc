//! Turning image items into batches of raw pixel values on a device.

use burn::data::dataloader::batcher::Batcher;
use burn::prelude::*;

use crate::image_dataset::{ImageDataset, ImageItem};

/// A labelled image batch, as PyTorch's loaders yield it: `(images, targets)`.
///
/// # Shapes
/// - images: `[batch, channels, height, width]`, values in [0, 1];
/// - targets: `[batch]`, class indices.
pub type ImageBatch = (Tensor<4>, Tensor<1, Int>);

/// Batches [`ImageItem`]s of one shape into raw values: every byte `b` becomes
/// `b as f32 / 255.0` (one f32 division, so `x = 0, 1/255, …, 1`), and an optional border
/// of `padding` zero (black) pixels is added on each side. It does not normalise: the
/// `(x - mean) / std` step belongs to the training run and is shared by every split.
///
/// With `padding = 2` a 28×28 digit becomes the 32×32 field LeNet-5 was designed for
/// (LeCun et al. 1998, §II.B).
///
/// # Shapes
/// - items: `[channels, height, width]` bytes each ([`ImageBatcher::new`]'s `shape`);
/// - images out: `[batch, channels, height + 2·padding, width + 2·padding]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageBatcher {
    shape: [usize; 3],
    padding: usize,
}

impl ImageBatcher {
    /// A batcher for items of `shape` = `[channels, height, width]`, without padding.
    pub fn new(shape: [usize; 3]) -> Self {
        Self { shape, padding: 0 }
    }

    /// A batcher for the items of `dataset`: `new(dataset.shape())`.
    pub fn for_dataset(dataset: &ImageDataset) -> Self {
        Self::new(dataset.shape())
    }

    /// Adds a zero (black) border of `padding` pixels on each side of every image.
    pub fn with_padding(mut self, padding: usize) -> Self {
        self.padding = padding;
        self
    }

    /// The shape of one image it produces: `[channels, height + 2·padding, width + 2·padding]`.
    pub fn output_shape(&self) -> [usize; 3] {
        let [c, h, w] = self.shape;
        [c, h + 2 * self.padding, w + 2 * self.padding]
    }

    /// The images of `items` as one flat row-major buffer
    /// `[items.len(), channels, height + 2·padding, width + 2·padding]`: `byte as f32 / 255.0`
    /// inside, `0.0` on the border.
    ///
    /// # Panics
    /// If an item's image does not hold `channels · height · width` bytes.
    pub fn pixels(&self, items: &[ImageItem]) -> Vec<f32> {
        let [c, h, w] = self.shape;
        let [_, out_h, out_w] = self.output_shape();
        let p = self.padding;
        let mut out = vec![0.0f32; items.len() * c * out_h * out_w];
        for (n, item) in items.iter().enumerate() {
            assert_eq!(
                item.image.len(),
                c * h * w,
                "item #{n} holds {} bytes, the batcher expects images of shape {:?}; \
                 build it with ImageBatcher::for_dataset",
                item.image.len(),
                self.shape
            );
            for (plane, bytes) in item.image.chunks_exact(h * w).enumerate() {
                for (row, bytes) in bytes.chunks_exact(w).enumerate() {
                    let start = ((n * c + plane) * out_h + row + p) * out_w + p;
                    for (dst, &b) in out[start..start + w].iter_mut().zip(bytes) {
                        *dst = b as f32 / 255.0;
                    }
                }
            }
        }
        out
    }
}

impl Batcher<ImageItem, ImageBatch> for ImageBatcher {
    fn batch(&self, items: Vec<ImageItem>, device: &Device) -> ImageBatch {
        let [c, h, w] = self.output_shape();
        let images = TensorData::new(self.pixels(&items), [items.len(), c, h, w]);
        let labels: Vec<i64> = items.iter().map(|i| i.label as i64).collect();
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

    fn item(image: Vec<u8>, label: usize) -> ImageItem {
        ImageItem { image, label }
    }

    #[test]
    fn bytes_become_byte_over_255_exactly() {
        // 51/255 = 0.2, 102/255 = 0.4, 204/255 = 0.8 exactly in the reals, so the correctly
        // rounded f32 quotient is the f32 nearest to the decimal; 1/255 = 0x3B80_8081 in f32.
        let b = ImageBatcher::new([1, 2, 3]);
        let px = b.pixels(&[item(vec![0, 51, 102, 204, 255, 1], 0)]);
        assert_eq!(
            px,
            vec![0.0, 0.2, 0.4, 0.8, 1.0, f32::from_bits(0x3B80_8081)]
        );
    }

    #[test]
    fn padding_adds_a_zero_border_around_each_channel() {
        // Two channels of 1x2 pixels, padding 1: each plane becomes 3x4.
        let b = ImageBatcher::new([2, 1, 2]).with_padding(1);
        assert_eq!(b.output_shape(), [2, 3, 4]);
        let px = b.pixels(&[item(vec![255, 51, 102, 255], 1)]);
        #[rustfmt::skip]
        let expected = vec![
            0.0, 0.0, 0.0, 0.0,
            0.0, 1.0, 0.2, 0.0,
            0.0, 0.0, 0.0, 0.0,

            0.0, 0.0, 0.0, 0.0,
            0.0, 0.4, 1.0, 0.0,
            0.0, 0.0, 0.0, 0.0,
        ];
        assert_eq!(px, expected);
    }

    #[test]
    fn a_batch_stacks_items_and_their_labels() {
        let device = Device::flex();
        let b = ImageBatcher::new([1, 1, 2]).with_padding(1);
        let (images, targets) = b.batch(vec![item(vec![0, 255], 3), item(vec![51, 0], 7)], &device);
        assert_eq!(images.dims(), [2, 1, 3, 4]);
        let values: Vec<f32> = images.into_data().try_to_vec().unwrap();
        assert_eq!((values[5], values[6], values[12 + 5]), (0.0, 1.0, 0.2));
        let labels: Vec<i64> = targets.into_data().convert::<i64>().try_to_vec().unwrap();
        assert_eq!(labels, vec![3, 7]);
    }

    #[test]
    #[should_panic(expected = "build it with ImageBatcher::for_dataset")]
    fn an_item_of_another_shape_panics_with_the_fix() {
        ImageBatcher::new([1, 28, 28]).pixels(&[item(vec![0; 3072], 0)]);
    }
}
