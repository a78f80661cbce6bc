//! Per-channel mean and standard deviation of a dataset's pixels, for normalisation.

use burn::data::dataset::Dataset;

use crate::image_dataset::ImageItem;
use crate::DataError;

/// The mean and standard deviation of each channel over every pixel of a dataset, with the
/// pixels in [0, 1] (`byte / 255`), as a training run stores them for `(x - mean) / std`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChannelStats {
    /// The mean of each channel, in channel order.
    pub mean: Vec<f64>,
    /// The population standard deviation (divided by the pixel count, not one less) of
    /// each channel.
    pub std: Vec<f64>,
    /// Pixels per channel the values are computed over: images · height · width.
    pub pixels: u64,
}

/// Computes [`ChannelStats`] of the `[channels, height, width]` images of `dataset` (an
/// [`ImageDataset`](crate::ImageDataset) or any split of one) exactly: per channel, the sums `S = Σ b` and
/// `Q = Σ b²` of the bytes are integers (u64/u128, no rounding), then with `N` pixels
/// `mean = S / (255 N)` and `std = √(N Q − S²) / (255 N)`, each one rounding of f64.
///
/// # Errors
/// [`DataError::Invalid`] for a dataset without images, or with an image whose size is not
/// a multiple of `channels`.
///
/// ```
/// use ember_data::{channel_mean_std, ImageDataset};
///
/// // One grey image of two pixels, 0 and 255: mean 0.5, std 0.5.
/// let data = ImageDataset::new(vec![0, 255], vec![0], [1, 1, 2], vec!["x".into()], "x".as_ref())?;
/// let stats = channel_mean_std(&data, 1)?;
/// assert_eq!((stats.mean, stats.std, stats.pixels), (vec![0.5], vec![0.5], 2));
/// # Ok::<(), ember_data::DataError>(())
/// ```
pub fn channel_mean_std(
    dataset: &impl Dataset<ImageItem>,
    channels: usize,
) -> Result<ChannelStats, DataError> {
    let c = channels.max(1);
    if dataset.is_empty() {
        return Err(DataError::invalid(
            "<dataset>",
            "has no images; the mean and standard deviation need at least one",
        ));
    }
    let (mut sums, mut squares) = (vec![0u64; c], vec![0u64; c]);
    let mut n = 0u64;
    for index in 0..dataset.len() {
        let item = dataset
            .get(index)
            .map_err(|e| DataError::invalid("<dataset>", format!("item {index}: {e}")))?;
        let image = &item.image;
        if image.is_empty() || image.len() % c != 0 {
            return Err(DataError::invalid(
                "<dataset>",
                format!(
                    "image {index} has {} bytes, not a multiple of {c} channels",
                    image.len()
                ),
            ));
        }
        let plane_len = image.len() / c;
        n += plane_len as u64;
        for (channel, plane) in image.chunks_exact(plane_len).enumerate() {
            sums[channel] += plane.iter().map(|&b| u64::from(b)).sum::<u64>();
            squares[channel] += plane
                .iter()
                .map(|&b| u64::from(b) * u64::from(b))
                .sum::<u64>();
        }
    }
    let scale = 255.0 * n as f64;
    let std = |s: u64, q: u64| {
        let var = u128::from(n) * u128::from(q) - u128::from(s) * u128::from(s);
        (var as f64).sqrt() / scale
    };
    Ok(ChannelStats {
        mean: sums.iter().map(|&s| s as f64 / scale).collect(),
        std: sums
            .iter()
            .zip(&squares)
            .map(|(&s, &q)| std(s, q))
            .collect(),
        pixels: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ImageDataset;
    use std::path::Path;

    #[test]
    fn two_rgb_images_give_the_hand_computed_values() {
        // Two images [3, 1, 2]. Channel 0: 0, 255, 255, 255 -> mean 0.75,
        // std √(0.75·0.25) = 0.4330127…; channel 1: 51, 51, 102, 102 -> mean 76.5/255 = 0.3,
        // std 25.5/255 = 0.1; channel 2: all 7 -> mean 7/255, std 0.
        let images = vec![0, 255, 51, 51, 7, 7, 255, 255, 102, 102, 7, 7];
        let names = vec!["a".into(), "b".into()];
        let data = ImageDataset::new(images, vec![0, 1], [3, 1, 2], names, Path::new("t")).unwrap();
        let stats = channel_mean_std(&data, data.shape()[0]).unwrap();
        assert_eq!(stats.pixels, 4);
        let expected_mean = [0.75, 0.3, 7.0 / 255.0];
        let expected_std = [(0.75f64 * 0.25).sqrt(), 0.1, 0.0];
        for c in 0..3 {
            assert!(
                (stats.mean[c] - expected_mean[c]).abs() < 1e-15,
                "{stats:?}"
            );
            assert!((stats.std[c] - expected_std[c]).abs() < 1e-15, "{stats:?}");
        }
    }

    #[test]
    fn an_empty_dataset_is_an_error() {
        let data =
            ImageDataset::new(vec![], vec![], [1, 2, 2], vec!["a".into()], Path::new("e")).unwrap();
        assert!(channel_mean_std(&data, 3)
            .unwrap_err()
            .to_string()
            .contains("no images"));
    }
}
