//! Stratified splits: train/validation/test and k folds in which every class keeps its
//! proportion, seeded.

use burn::data::dataset::transform::SelectionDataset;
use burn::data::dataset::Dataset;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use crate::DataError;

/// The item indices of a train/validation/test split, each list ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StratifiedSplit {
    /// The training items.
    pub train: Vec<usize>,
    /// The validation items.
    pub valid: Vec<usize>,
    /// The test items.
    pub test: Vec<usize>,
}

impl StratifiedSplit {
    /// The three parts of `dataset` as burn `SelectionDataset`s `(train, valid, test)`.
    ///
    /// # Panics
    /// If an index is not below `dataset.len()` (the split was made for another dataset).
    pub fn datasets<D, I>(
        &self,
        dataset: D,
    ) -> (
        SelectionDataset<D, I>,
        SelectionDataset<D, I>,
        SelectionDataset<D, I>,
    )
    where
        D: Dataset<I>,
        I: Clone + Send + Sync,
    {
        let shared = std::sync::Arc::new(dataset);
        let part = |indices: &Vec<usize>| {
            SelectionDataset::from_indices_checked(shared.clone(), indices.clone())
        };
        (part(&self.train), part(&self.valid), part(&self.test))
    }
}

/// Splits items by their `labels` into train, validation and test parts in which every
/// class keeps its proportion: the items of each class are shuffled (seeded), then
/// `round(n_c · valid_fraction)` go to validation, `round(n_c · test_fraction)` to test and
/// the rest to training. E.g. `0.1, 0.1` gives 80/10/10.
///
/// ```
/// use ember_data::stratified_split;
///
/// let labels: Vec<usize> = (0..100).map(|i| usize::from(i >= 80)).collect(); // 80 / 20
/// let split = stratified_split(&labels, 0.1, 0.1, 7).unwrap();
/// let spam_in = |part: &[usize]| part.iter().filter(|&&i| labels[i] == 1).count();
/// assert_eq!((split.train.len(), split.valid.len(), split.test.len()), (80, 10, 10));
/// assert_eq!((spam_in(&split.train), spam_in(&split.valid), spam_in(&split.test)), (16, 2, 2));
/// ```
///
/// # Errors
/// [`DataError::BadConfig`] when a fraction is outside `[0, 1)` or they add up to 1 or more.
pub fn stratified_split(
    labels: &[usize],
    valid_fraction: f64,
    test_fraction: f64,
    seed: u64,
) -> Result<StratifiedSplit, DataError> {
    for (field, f) in [
        ("valid_fraction", valid_fraction),
        ("test_fraction", test_fraction),
    ] {
        if !(0.0..1.0).contains(&f) {
            return Err(DataError::bad_config(field, f, "must be in [0, 1)"));
        }
    }
    if valid_fraction + test_fraction >= 1.0 {
        return Err(DataError::bad_config(
            "valid_fraction + test_fraction",
            valid_fraction + test_fraction,
            "must be below 1, or nothing is left to train on",
        ));
    }
    let mut split = StratifiedSplit {
        train: Vec::new(),
        valid: Vec::new(),
        test: Vec::new(),
    };
    for members in shuffled_classes(labels, seed) {
        let n = members.len() as f64;
        let n_valid = (n * valid_fraction).round() as usize;
        let n_test = ((n * test_fraction).round() as usize).min(members.len() - n_valid);
        split.valid.extend(&members[..n_valid]);
        split.test.extend(&members[n_valid..n_valid + n_test]);
        split.train.extend(&members[n_valid + n_test..]);
    }
    for part in [&mut split.train, &mut split.valid, &mut split.test] {
        part.sort_unstable();
    }
    Ok(split)
}

/// One fold of a k-fold split: the items to train on and the held-out items, ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    /// Every item not in `valid`.
    pub train: Vec<usize>,
    /// This fold's held-out items.
    pub valid: Vec<usize>,
}

/// Stratified k-fold cross-validation (as scikit-learn's `StratifiedKFold` with
/// shuffling): every item is held out in exactly one of the `k` folds, and each fold holds
/// `⌊n_c / k⌋` or `⌈n_c / k⌉` items of every class `c`. The items of each class are
/// shuffled (seeded) and dealt to the folds in turn, each class starting at the fold
/// where the previous one stopped, so the fold sizes differ by at most one.
///
/// # Errors
/// [`DataError::BadConfig`] when `k` is below 2 or above the number of items.
pub fn stratified_k_fold(labels: &[usize], k: usize, seed: u64) -> Result<Vec<Fold>, DataError> {
    if k < 2 || k > labels.len() {
        return Err(DataError::bad_config(
            "k",
            k,
            format!(
                "must be at least 2 and at most the number of items ({})",
                labels.len()
            ),
        ));
    }
    let mut held_out = vec![Vec::new(); k];
    let mut next = 0;
    for members in shuffled_classes(labels, seed) {
        for i in members {
            held_out[next].push(i);
            next = (next + 1) % k;
        }
    }
    let mut fold_of = vec![0; labels.len()];
    for (f, items) in held_out.iter().enumerate() {
        for &i in items {
            fold_of[i] = f;
        }
    }
    Ok(held_out
        .into_iter()
        .enumerate()
        .map(|(f, mut valid)| {
            valid.sort_unstable();
            let train = (0..labels.len()).filter(|&i| fold_of[i] != f).collect();
            Fold { train, valid }
        })
        .collect())
}

/// The indices of each class (in label order), each list shuffled by one generator
/// seeded by `seed`.
fn shuffled_classes(labels: &[usize], seed: u64) -> Vec<Vec<usize>> {
    let classes = labels.iter().max().map_or(0, |&m| m + 1);
    let mut members = vec![Vec::new(); classes];
    for (i, &label) in labels.iter().enumerate() {
        members[label].push(i);
    }
    let mut rng = StdRng::seed_from_u64(seed);
    for m in &mut members {
        m.shuffle(&mut rng);
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 600 items: 300 of class 0, 200 of class 1, 100 of class 2, interleaved.
    fn labels() -> Vec<usize> {
        (0..600).map(|i| [0, 0, 0, 1, 1, 2][i % 6]).collect()
    }

    fn count(part: &[usize], labels: &[usize], class: usize) -> usize {
        part.iter().filter(|&&i| labels[i] == class).count()
    }

    #[test]
    fn every_class_keeps_its_proportion_in_each_part() {
        let labels = labels();
        let split = stratified_split(&labels, 0.1, 0.2, 5).unwrap();
        for (class, n) in [(0, 300), (1, 200), (2, 100)] {
            assert_eq!(count(&split.valid, &labels, class), n / 10);
            assert_eq!(count(&split.test, &labels, class), n / 5);
            assert_eq!(count(&split.train, &labels, class), n - n / 10 - n / 5);
        }
        let mut all = [split.train.clone(), split.valid.clone(), split.test.clone()].concat();
        all.sort_unstable();
        assert_eq!(all, (0..600).collect::<Vec<_>>());
        assert_eq!(split, stratified_split(&labels, 0.1, 0.2, 5).unwrap());
        assert_ne!(
            split.valid,
            stratified_split(&labels, 0.1, 0.2, 6).unwrap().valid
        );
    }

    #[test]
    fn bad_fractions_are_named() {
        let err = stratified_split(&[0, 1], 0.6, 0.5, 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("valid_fraction + test_fraction"), "{err}");
        assert!(stratified_split(&[0, 1], 1.0, 0.0, 0).is_err());
        assert!(stratified_split(&[0, 1], 0.0, -0.1, 0).is_err());
    }

    #[test]
    fn k_fold_holds_out_every_item_once_with_proportions_kept() {
        let labels = labels();
        let folds = stratified_k_fold(&labels, 7, 1).unwrap();
        assert_eq!(folds.len(), 7);
        let mut times = vec![0; labels.len()];
        for fold in &folds {
            for &i in &fold.valid {
                times[i] += 1;
            }
            assert_eq!(fold.train.len() + fold.valid.len(), 600);
            assert!(fold
                .valid
                .iter()
                .all(|i| fold.train.binary_search(i).is_err()));
            // 300/7 = 42.9, 200/7 = 28.6, 100/7 = 14.3 items of each class per fold.
            for (class, n) in [(0, 300), (1, 200), (2, 100)] {
                let c = count(&fold.valid, &labels, class);
                assert!(c == n / 7 || c == n / 7 + 1, "class {class}: {c}");
            }
            assert!(
                (85..=86).contains(&fold.valid.len()),
                "{}",
                fold.valid.len()
            );
        }
        assert!(times.iter().all(|&t| t == 1));
        assert!(stratified_k_fold(&labels, 1, 0).is_err());
        assert!(stratified_k_fold(&[0, 1], 3, 0).is_err());
    }

    #[test]
    fn the_parts_become_selection_datasets() {
        use burn::data::dataset::InMemDataset;
        let split = stratified_split(&[0, 0, 1, 1, 0, 1, 0, 1, 0, 1], 0.2, 0.2, 0).unwrap();
        let ds = InMemDataset::new((0..10u32).collect::<Vec<_>>());
        let (train, valid, test) = split.datasets(ds);
        assert_eq!((train.len(), valid.len(), test.len()), (6, 2, 2));
        assert_eq!(valid.indices, split.valid);
    }
}
