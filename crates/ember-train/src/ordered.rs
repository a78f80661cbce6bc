//! A training data loader that takes its item order from the run, one new order per epoch
//! (e.g. batches of similar text lengths: ember-data's `bucket_by_length`).

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataloader::{DataLoader, DataLoaderIterator, Progress};
use burn::data::dataset::{Dataset, DatasetError};
use burn::prelude::Device;

/// The order of a training epoch: `epoch` (0, 1, …) → the item indices in the order batches
/// take them, consecutive `batch_size` indices making one batch. Every index of the training
/// split should appear once.
pub type EpochOrder = Arc<dyn Fn(u64) -> Vec<usize> + Send + Sync>;

/// Batches `dataset` in the order `order` gives for each new pass (each call to `iter`),
/// instead of burn's uniform shuffle.
pub(crate) struct OrderedLoader<I, O> {
    dataset: Arc<dyn Dataset<I>>,
    batcher: Arc<dyn Batcher<I, O>>,
    batch_size: usize,
    order: EpochOrder,
    epoch: Arc<AtomicU64>,
    device: Device,
    /// The part of each epoch's order this loader covers (`slice`).
    part: Option<Range<usize>>,
}

impl<I, O> OrderedLoader<I, O> {
    pub(crate) fn new(
        dataset: Arc<dyn Dataset<I>>,
        batcher: Arc<dyn Batcher<I, O>>,
        batch_size: usize,
        order: EpochOrder,
    ) -> Self {
        OrderedLoader {
            dataset,
            batcher,
            batch_size: batch_size.max(1),
            order,
            epoch: Arc::new(AtomicU64::new(0)),
            device: Device::default(),
            part: None,
        }
    }

    fn with(&self, device: Device, part: Option<Range<usize>>) -> Self {
        OrderedLoader {
            dataset: self.dataset.clone(),
            batcher: self.batcher.clone(),
            batch_size: self.batch_size,
            order: self.order.clone(),
            epoch: self.epoch.clone(),
            device,
            part,
        }
    }
}

impl<I, O> DataLoader<O> for OrderedLoader<I, O>
where
    I: Send + Sync + Clone + 'static,
    O: Send + 'static,
{
    fn iter<'a>(&'a self) -> Box<dyn DataLoaderIterator<O> + 'a> {
        let epoch = self.epoch.fetch_add(1, Ordering::Relaxed);
        let mut order = (self.order)(epoch);
        if let Some(part) = &self.part {
            let end = part.end.min(order.len());
            order = order[part.start.min(end)..end].to_vec();
        }
        Box::new(OrderedIter {
            loader: self,
            order,
            next: 0,
        })
    }

    fn num_items(&self) -> usize {
        match &self.part {
            Some(part) => part.end.min(self.dataset.len()) - part.start.min(part.end),
            None => self.dataset.len(),
        }
    }

    fn to_device(&self, device: &Device) -> Arc<dyn DataLoader<O>> {
        Arc::new(self.with(device.clone(), self.part.clone()))
    }

    fn slice(&self, start: usize, end: usize) -> Arc<dyn DataLoader<O>> {
        let base = self.part.as_ref().map_or(0, |p| p.start);
        Arc::new(self.with(self.device.clone(), Some(base + start..base + end)))
    }
}

struct OrderedIter<'a, I, O> {
    loader: &'a OrderedLoader<I, O>,
    order: Vec<usize>,
    next: usize,
}

impl<I, O> Iterator for OrderedIter<'_, I, O> {
    type Item = Result<O, DatasetError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.order.len() {
            return None;
        }
        let end = (self.next + self.loader.batch_size).min(self.order.len());
        let indices = self.order[self.next..end].to_vec();
        self.next = end;
        let len = self.loader.dataset.len();
        if let Some(bad) = indices.iter().find(|&&i| i >= len) {
            return Some(Err(DatasetError::new(std::io::Error::other(format!(
                "the epoch order names item {bad}, but the training split holds {len}: \
                 give an order of 0..{len} (RunData::with_epoch_order)"
            )))));
        }
        let items = match self.loader.dataset.get_many(indices) {
            Ok(items) => items,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(self.loader.batcher.batch(items, &self.loader.device)))
    }
}

impl<I, O> DataLoaderIterator<O> for OrderedIter<'_, I, O> {
    fn progress(&self) -> Progress {
        Progress::new(self.next, self.order.len(), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::InMemDataset;

    /// Batches of plain numbers: the batch is the items themselves.
    #[derive(Clone)]
    struct Collect;

    impl Batcher<usize, Vec<usize>> for Collect {
        fn batch(&self, items: Vec<usize>, _device: &Device) -> Vec<usize> {
            items
        }
    }

    fn loader(order: EpochOrder) -> OrderedLoader<usize, Vec<usize>> {
        let items: Vec<usize> = (100..110).collect();
        OrderedLoader::new(
            Arc::new(InMemDataset::new(items)),
            Arc::new(Collect),
            4,
            order,
        )
    }

    fn epoch(loader: &dyn DataLoader<Vec<usize>>) -> Vec<Vec<usize>> {
        loader.iter().map(|b| b.unwrap()).collect()
    }

    #[test]
    fn each_pass_takes_the_next_epochs_order_in_batches() {
        let order: EpochOrder = Arc::new(|epoch| {
            let mut o: Vec<usize> = (0..10).collect();
            o.rotate_left(epoch as usize);
            o
        });
        let loader = loader(order);
        assert_eq!(
            epoch(&loader),
            [
                vec![100, 101, 102, 103],
                vec![104, 105, 106, 107],
                vec![108, 109]
            ]
        );
        assert_eq!(
            epoch(&loader),
            [
                vec![101, 102, 103, 104],
                vec![105, 106, 107, 108],
                vec![109, 100]
            ]
        );
        assert_eq!(loader.num_items(), 10);
    }

    #[test]
    fn a_slice_covers_its_part_of_every_epoch_and_reports_progress() {
        let loader = loader(Arc::new(|_| (0..10).rev().collect()));
        let part = loader.slice(2, 7);
        assert_eq!(part.num_items(), 5);
        let mut iter = part.iter();
        assert_eq!(iter.next().unwrap().unwrap(), [107, 106, 105, 104]);
        assert_eq!(iter.progress().items_processed, 4);
        assert_eq!(iter.next().unwrap().unwrap(), [103]);
        assert!(iter.next().is_none());
        assert!(iter.progress().is_completed());
    }

    #[test]
    fn an_index_past_the_split_is_an_error_not_a_panic() {
        let loader = loader(Arc::new(|_| vec![0, 1, 42]));
        let batches: Vec<_> = loader.iter().collect();
        assert!(batches[0].is_err());
    }
}
