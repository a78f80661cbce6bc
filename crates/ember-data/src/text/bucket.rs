//! Bucketing by length: an item order in which each batch holds texts of similar length,
//! so little of a padded batch is padding.

use burn::data::dataset::transform::SelectionDataset;
use burn::data::dataset::Dataset;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use crate::DataError;

/// How many batches' worth of items are sorted together: large enough for similar lengths
/// to meet, small enough that the order stays random from epoch to epoch of a seed.
pub const BUCKET_POOL_BATCHES: usize = 50;

/// An order of the indices `0..lengths.len()` in which every run of `batch_size`
/// consecutive indices holds items of similar length: the indices are shuffled (seeded),
/// cut into pools of [`BUCKET_POOL_BATCHES`] batches, each pool sorted by length and cut
/// into batches, and the batches shuffled. The same seed gives the same order.
///
/// # Errors
/// [`DataError::BadConfig`] when `batch_size` is 0.
pub fn bucket_by_length(
    lengths: &[usize],
    batch_size: usize,
    seed: u64,
) -> Result<Vec<usize>, DataError> {
    if batch_size == 0 {
        return Err(DataError::bad_config("batch_size", 0, "must be at least 1"));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.shuffle(&mut rng);
    let mut batches: Vec<&[usize]> = Vec::new();
    for pool in order.chunks_mut(batch_size * BUCKET_POOL_BATCHES) {
        pool.sort_by_key(|&i| lengths[i]);
        batches.extend(pool.chunks(batch_size));
    }
    batches.shuffle(&mut rng);
    Ok(batches.concat())
}

/// `dataset` in the order of [`bucket_by_length`] (burn's `SelectionDataset`).
///
/// Batches hold similar lengths only when the data loader takes items in this order: build
/// the training loader without its own shuffle (and with one worker, or the workers' slices
/// may cut batches), and call this again with another seed each epoch for a new order.
///
/// # Errors
/// [`DataError::BadConfig`] when `batch_size` is 0 or `lengths` does not hold one length
/// per item.
pub fn length_bucketed<D, I>(
    dataset: D,
    lengths: &[usize],
    batch_size: usize,
    seed: u64,
) -> Result<SelectionDataset<D, I>, DataError>
where
    D: Dataset<I>,
    I: Clone + Send + Sync,
{
    if lengths.len() != dataset.len() {
        return Err(DataError::bad_config(
            "lengths",
            lengths.len(),
            format!(
                "give one length per item: the dataset holds {} (TextEncoder::lengths)",
                dataset.len()
            ),
        ));
    }
    let order = bucket_by_length(lengths, batch_size, seed)?;
    Ok(SelectionDataset::from_indices_unchecked(dataset, order))
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::InMemDataset;

    /// Padding a batch costs `batch · longest - sum(lengths)` slots.
    fn padding(order: &[usize], lengths: &[usize], batch: usize) -> usize {
        order
            .chunks(batch)
            .map(|b| {
                let longest = b.iter().map(|&i| lengths[i]).max().unwrap();
                b.iter().map(|&i| longest - lengths[i]).sum::<usize>()
            })
            .sum()
    }

    #[test]
    fn bucketing_is_a_seeded_permutation_with_less_padding() {
        // Lengths 1..=400 in a scrambled order.
        let lengths: Vec<usize> = (0..400).map(|i| (i * 37) % 400 + 1).collect();
        let order = bucket_by_length(&lengths, 8, 3).unwrap();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, (0..400).collect::<Vec<_>>());
        assert_eq!(order, bucket_by_length(&lengths, 8, 3).unwrap());
        assert_ne!(order, bucket_by_length(&lengths, 8, 4).unwrap());
        // One pool of 400 sorted lengths: each batch of 8 consecutive lengths pads
        // 0+1+...+7 = 28 slots, 50 batches: 1,400. The identity order pads far more.
        assert_eq!(padding(&order, &lengths, 8), 1_400);
        let identity: Vec<usize> = (0..400).collect();
        assert!(padding(&identity, &lengths, 8) > 10 * 1_400);
    }

    #[test]
    fn the_dataset_wrapper_checks_the_lengths() {
        let ds = InMemDataset::new(vec!["a", "bb", "ccc"]);
        let bucketed = length_bucketed(ds, &[1, 2, 3], 2, 0).unwrap();
        assert_eq!(bucketed.len(), 3);
        let err = match length_bucketed(InMemDataset::new(vec!["a"]), &[1, 2], 2, 0) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("two lengths for one item were accepted"),
        };
        assert!(err.contains("one length per item"), "{err}");
        assert!(bucket_by_length(&[1], 0, 0).is_err());
    }
}
