//! Batcher wrappers: augmentation for the training loader, normalisation for every split.
//!
//! Both wrap any burn [`Batcher`] whose batches are `(images, targets)` with images a
//! `Tensor<4>` `[N, C, H, W]` (pixels in `[0, 1]`) and targets of any type, and change the
//! images only, on the device the inner batcher built them on.

use std::sync::{Arc, Mutex, PoisonError};

use burn::data::dataloader::batcher::Batcher;
use burn::prelude::*;
use rand::rngs::StdRng;

use crate::composition::Pipeline;
use crate::error::AugmentError;
use crate::photometric::Normalize;
use crate::random::seeded;

/// Augments the images of every batch `inner` makes, on the device the batch is built on,
/// drawing from one seeded generator shared by all clones (`Arc<Mutex<StdRng>>`; a poisoned
/// lock is recovered, never a panic). For the training loader only.
///
/// Batch after batch it draws what `pipeline.apply(images, &mut seeded(seed))` called on
/// each batch in turn with one generator would draw. The lock is held while a batch is
/// augmented, so that holds with several loader workers too (in the order they take it).
///
/// ```
/// use burn::data::dataloader::batcher::Batcher;
/// use burn::prelude::*;
/// use ember_augment::{AugmentBatcher, Pipeline};
///
/// /// Grey 2×2 images of value `x`, labelled by `x > 0.5`.
/// #[derive(Clone)]
/// struct Squares;
/// impl Batcher<f32, (Tensor<4>, Vec<bool>)> for Squares {
///     fn batch(&self, items: Vec<f32>, device: &Device) -> (Tensor<4>, Vec<bool>) {
///         let n = items.len();
///         let labels = items.iter().map(|&x| x > 0.5).collect();
///         let pixels = items.into_iter().flat_map(|x| [x; 4]).collect::<Vec<_>>();
///         (Tensor::from_data(TensorData::new(pixels, [n, 1, 2, 2]), device), labels)
///     }
/// }
///
/// let augment = AugmentBatcher::new(Squares, Pipeline::preset("mnist")?, 42);
/// let (images, labels) = augment.batch(vec![0.2, 0.9], &Device::flex());
/// assert_eq!((images.dims(), labels), ([2, 1, 2, 2], vec![false, true]));
/// # Ok::<(), ember_augment::AugmentError>(())
/// ```
#[derive(Clone)]
pub struct AugmentBatcher<B> {
    inner: B,
    pipeline: Pipeline,
    rng: Arc<Mutex<StdRng>>,
}

impl<B> AugmentBatcher<B> {
    /// Wraps `inner`, augmenting with `pipeline` from a generator seeded by `seed`.
    pub fn new(inner: B, pipeline: Pipeline, seed: u64) -> Self {
        Self {
            inner,
            pipeline,
            rng: Arc::new(Mutex::new(seeded(seed))),
        }
    }

    /// The pipeline every batch goes through.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Restarts the shared generator (this batcher's and its clones') from `seed`: the
    /// batches after it draw what a new `AugmentBatcher::new(inner, pipeline, seed)` would.
    /// A run reseeds it at the start of every epoch, so that an epoch's augmentation does
    /// not depend on the epochs before it and a resumed run draws what an uninterrupted
    /// one does (ember-train's `RunData::reseed_each_epoch`).
    pub fn reseed(&self, seed: u64) {
        *self.rng.lock().unwrap_or_else(PoisonError::into_inner) = seeded(seed);
    }
}

impl<B, I, T> Batcher<I, (Tensor<4>, T)> for AugmentBatcher<B>
where
    B: Batcher<I, (Tensor<4>, T)>,
{
    /// The inner batch, its images augmented.
    ///
    /// # Panics
    /// As [`Pipeline::apply`], when a step does not suit the images (check the shapes first
    /// with [`Pipeline::output_dims`]).
    fn batch(&self, items: Vec<I>, device: &Device) -> (Tensor<4>, T) {
        let (images, targets) = self.inner.batch(items, device);
        // A worker that panicked mid-batch leaves the generator in a valid state (any state
        // of a StdRng is): carry on from it.
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        (self.pipeline.apply(images, &mut rng), targets)
    }
}

/// Normalises the images of every batch: the step every split (train, valid, test) shares,
/// after augmentation (wrap the [`AugmentBatcher`] for the training split, the plain batcher
/// for the others).
///
/// ```
/// use burn::data::dataloader::batcher::Batcher;
/// use burn::prelude::*;
/// use ember_augment::{Normalize, NormalizeBatcher};
///
/// #[derive(Clone)]
/// struct Pixels;
/// impl Batcher<f32, (Tensor<4>, ())> for Pixels {
///     fn batch(&self, items: Vec<f32>, device: &Device) -> (Tensor<4>, ()) {
///         let n = items.len();
///         (Tensor::from_data(TensorData::new(items, [n, 1, 1, 1]), device), ())
///     }
/// }
///
/// let normalize = NormalizeBatcher::new(Pixels, Normalize::new(vec![0.5], vec![0.25])?)?;
/// let (images, ()) = normalize.batch(vec![0.0, 0.5, 1.0], &Device::flex());
/// assert_eq!(images.into_data().to_vec::<f32>().unwrap(), [-2.0, 0.0, 2.0]);
/// # Ok::<(), ember_augment::AugmentError>(())
/// ```
#[derive(Clone)]
pub struct NormalizeBatcher<B> {
    inner: B,
    normalize: Normalize,
}

impl<B> NormalizeBatcher<B> {
    /// Wraps `inner`, normalising with `normalize`.
    ///
    /// # Errors
    /// [`AugmentError::OutOfRange`] when `normalize` is invalid (its fields are public, so it
    /// may not come from [`Normalize::new`]).
    pub fn new(inner: B, normalize: Normalize) -> Result<Self, AugmentError> {
        normalize.validate()?;
        Ok(Self { inner, normalize })
    }

    /// The normalisation every batch goes through.
    pub fn normalize(&self) -> &Normalize {
        &self.normalize
    }

    /// The batcher whose batches are normalised.
    pub fn inner(&self) -> &B {
        &self.inner
    }
}

impl<B, I, T> Batcher<I, (Tensor<4>, T)> for NormalizeBatcher<B>
where
    B: Batcher<I, (Tensor<4>, T)>,
{
    /// The inner batch, its images normalised.
    ///
    /// # Panics
    /// When the images do not have one channel per mean (see [`Normalize::output_dims`]).
    fn batch(&self, items: Vec<I>, device: &Device) -> (Tensor<4>, T) {
        let (images, targets) = self.inner.batch(items, device);
        (self.normalize.apply(images), targets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ember_testkit::{for_each_device, values};

    /// Batches of `[1, 3, 4]` images (`item` holds the 12 pixels) with the item's first pixel
    /// as target.
    #[derive(Clone)]
    struct Images;

    impl Batcher<Vec<f32>, (Tensor<4>, Vec<f32>)> for Images {
        fn batch(&self, items: Vec<Vec<f32>>, device: &Device) -> (Tensor<4>, Vec<f32>) {
            let n = items.len();
            let targets = items.iter().map(|item| item[0]).collect();
            let data = TensorData::new(items.concat(), [n, 1, 3, 4]);
            (Tensor::from_data(data, device), targets)
        }
    }

    fn items(n: usize, offset: usize) -> Vec<Vec<f32>> {
        (0..n)
            .map(|i| {
                (0..12)
                    .map(|k| ((offset + i * 12 + k) % 97) as f32 / 97.0)
                    .collect()
            })
            .collect()
    }

    fn flip_and_shift() -> Pipeline {
        Pipeline::from_json(
            r#"{"transforms": [{"type": "horizontal_flip"}, {"type": "translation", "x": [-0.5, 0.5]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_reseeded_batcher_draws_what_a_new_one_with_that_seed_draws() {
        for_each_device(|device| {
            let worn = AugmentBatcher::new(Images, flip_and_shift(), 7);
            let _ = worn.batch(items(6, 0), device);
            // Through a clone: the generator is shared.
            worn.clone().reseed(11);
            let after_reseed = values(worn.batch(items(6, 40), device).0);
            let fresh = AugmentBatcher::new(Images, flip_and_shift(), 11);
            assert_eq!(after_reseed, values(fresh.batch(items(6, 40), device).0));
            let unreseeded = AugmentBatcher::new(Images, flip_and_shift(), 7);
            let _ = unreseeded.batch(items(6, 0), device);
            let carried_on = values(unreseeded.batch(items(6, 40), device).0);
            assert_ne!(after_reseed, carried_on);
        });
    }

    #[test]
    fn batch_after_batch_draws_what_one_seeded_generator_draws() {
        for_each_device(|device| {
            let pipeline = flip_and_shift();
            let batcher = AugmentBatcher::new(Images, pipeline.clone(), 7);
            let clone = batcher.clone();
            let mut rng = seeded(7);
            for (k, offset) in [0, 40, 80].into_iter().enumerate() {
                // Alternate between the clones: they share the generator.
                let user = if k % 2 == 0 { &batcher } else { &clone };
                let (images, targets) = user.batch(items(6, offset), device);
                let (plain, expected_targets) = Images.batch(items(6, offset), device);
                let expected = values(pipeline.apply(plain.clone(), &mut rng));
                assert_eq!(values(images), expected, "batch {k}");
                assert_ne!(expected, values(plain), "batch {k} left unchanged");
                assert_eq!(targets, expected_targets);
            }
        });
    }

    #[test]
    fn a_poisoned_generator_is_recovered() {
        let batcher = AugmentBatcher::new(Images, flip_and_shift(), 3);
        let poisoner = batcher.clone();
        let result = std::thread::spawn(move || {
            let _guard = poisoner.rng.lock().unwrap();
            panic!("a worker dies holding the lock");
        })
        .join();
        assert!(result.is_err() && batcher.rng.is_poisoned());
        let (images, _) = batcher.batch(items(2, 0), &Device::flex());
        assert_eq!(images.dims(), [2, 1, 3, 4]);
    }

    #[test]
    fn normalised_batches_have_zero_mean_and_unit_std() {
        // Pixels 0.2 and 0.6 in equal numbers: mean 0.4, (population) std 0.2.
        let pixels: Vec<f32> = (0..48)
            .map(|i| if i % 2 == 0 { 0.2 } else { 0.6 })
            .collect();
        let items: Vec<Vec<f32>> = pixels.chunks(12).map(<[f32]>::to_vec).collect();
        let normalize = Normalize::new(vec![0.4], vec![0.2]).unwrap();
        for_each_device(|device| {
            let batcher = NormalizeBatcher::new(Images, normalize.clone()).unwrap();
            let (images, targets) = batcher.batch(items.clone(), device);
            assert_eq!(targets, [0.2; 4]);
            let out = values(images);
            let mean = out.iter().sum::<f32>() / out.len() as f32;
            let var = out.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / out.len() as f32;
            assert!(mean.abs() < 1e-5, "mean {mean}");
            assert!((var.sqrt() - 1.0).abs() < 1e-5, "std {}", var.sqrt());
        });
        assert_eq!(
            NormalizeBatcher::new(Images, normalize)
                .unwrap()
                .normalize()
                .mean,
            [0.4]
        );
    }

    #[test]
    fn an_invalid_normalisation_is_refused() {
        let bad = Normalize {
            mean: vec![0.5],
            std: vec![0.0],
        };
        let err = NormalizeBatcher::new(Images, bad)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(err, "normalize.std = [0.0]: every value must be > 0");
    }
}
