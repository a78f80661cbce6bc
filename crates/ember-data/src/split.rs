//! Seeded splits of a dataset into training and validation parts.

use burn::data::dataset::transform::SelectionDataset;
use burn::data::dataset::Dataset;

/// Splits `dataset` into `(train, valid)` after a shuffle seeded by `seed`; `valid`
/// receives `round(len · valid_fraction)` items, `train` the rest. The same seed gives the
/// same split on every machine (burn's `StdRng`).
///
/// # Panics
/// If `valid_fraction` is not in `[0, 1)`.
pub fn train_valid_split<D, I>(
    dataset: D,
    valid_fraction: f64,
    seed: u64,
) -> (SelectionDataset<D, I>, SelectionDataset<D, I>)
where
    D: Dataset<I>,
    I: Clone + Send + Sync,
{
    assert!(
        (0.0..1.0).contains(&valid_fraction),
        "valid_fraction must be in [0, 1), got {valid_fraction}"
    );
    let shuffled = SelectionDataset::new_shuffled(dataset, seed);
    let n = shuffled.len();
    let n_valid = (n as f64 * valid_fraction).round() as usize;
    (shuffled.slice(n_valid, n), shuffled.slice(0, n_valid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::InMemDataset;

    #[test]
    fn splits_disjointly_and_reproducibly() {
        let ds = InMemDataset::new((0..100u32).collect::<Vec<_>>());
        let (train, valid) = train_valid_split(ds, 0.2, 7);
        assert_eq!((train.len(), valid.len()), (80, 20));
        let mut all: Vec<u32> = train
            .iter()
            .chain(valid.iter())
            .map(Result::unwrap)
            .collect();
        all.sort();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        let again = train_valid_split(InMemDataset::new((0..100u32).collect()), 0.2, 7).1;
        assert_eq!(valid.indices, again.indices);
        let other = train_valid_split(InMemDataset::new((0..100u32).collect()), 0.2, 8).1;
        assert_ne!(valid.indices, other.indices);
    }
}
