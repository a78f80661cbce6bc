//! Turning text items into `((tokens, lengths), targets)` batches on a device.

use burn::data::dataloader::batcher::Batcher;
use burn::prelude::*;

use super::dataset::TextItem;
use super::encoder::TextEncoder;
use super::vocab::PAD_ID;

/// A labelled batch of encoded texts: `((tokens, lengths), targets)`, the input of a text
/// classifier (`(Tensor<2, Int>, Tensor<1, Int>)`) and ember-train's `Labelled` targets.
///
/// # Shapes
/// - tokens: `[batch, max_len]` token ids, each row padded at the end with `<pad>` = 0;
/// - lengths: `[batch]`, the number of real tokens of each row (at least 1);
/// - targets: `[batch]`, class indices.
pub type TextBatch = ((Tensor<2, Int>, Tensor<1, Int>), Tensor<1, Int>);

/// Encodes [`TextItem`]s with a [`TextEncoder`] and pads them on the right with
/// `<pad>` = 0 into one `[batch, max_len]` tensor, keeping each row's length so the model
/// can ignore the padding.
///
/// `max_len` is the longest row of the batch (at most the encoder's `max_len`), so batches
/// of short texts stay small; [`TextBatcher::with_fixed_length`] pads every batch to the
/// encoder's `max_len` instead (one shape for every batch).
#[derive(Debug, Clone)]
pub struct TextBatcher {
    encoder: TextEncoder,
    fixed_length: bool,
}

impl TextBatcher {
    /// A batcher padding each batch to its longest row.
    pub fn new(encoder: TextEncoder) -> Self {
        Self {
            encoder,
            fixed_length: false,
        }
    }

    /// Pads every batch to the encoder's `max_len` when `fixed` is true.
    pub fn with_fixed_length(mut self, fixed: bool) -> Self {
        self.fixed_length = fixed;
        self
    }

    /// The encoder.
    pub fn encoder(&self) -> &TextEncoder {
        &self.encoder
    }

    /// The padded ids of `texts` (row-major `[texts.len(), width]`), their lengths and
    /// `width`.
    pub fn encode_padded<S: AsRef<str>>(&self, texts: &[S]) -> (Vec<i64>, Vec<i64>, usize) {
        let rows: Vec<Vec<usize>> = texts
            .iter()
            .map(|t| self.encoder.encode(t.as_ref()))
            .collect();
        let width = if self.fixed_length {
            self.encoder.config().max_len
        } else {
            rows.iter().map(Vec::len).max().unwrap_or(1)
        };
        let mut ids = vec![PAD_ID as i64; rows.len() * width];
        for (row, chunk) in rows.iter().zip(ids.chunks_exact_mut(width)) {
            for (dst, &id) in chunk.iter_mut().zip(row) {
                *dst = id as i64;
            }
        }
        let lengths = rows.iter().map(|r| r.len() as i64).collect();
        (ids, lengths, width)
    }
}

impl Batcher<TextItem, TextBatch> for TextBatcher {
    fn batch(&self, items: Vec<TextItem>, device: &Device) -> TextBatch {
        let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        let (ids, lengths, width) = self.encode_padded(&texts);
        let n = items.len();
        let labels: Vec<i64> = items.iter().map(|i| i.label as i64).collect();
        let tokens = Tensor::from_data(TensorData::new(ids, [n, width]), device);
        let lengths = Tensor::from_data(TensorData::new(lengths, [n]), device);
        let targets = Tensor::from_data(TensorData::new(labels, [n]), device);
        ((tokens, lengths), targets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::encoder::{EncoderConfig, Truncation};
    use crate::text::tokenizer::Tokenizer;
    use crate::text::vocab::{VocabConfig, Vocabulary};
    use ember_testkit::for_each_device;

    /// Ids: <pad> 0, <unk> 1, a 2, b 3, c 4, 中 5.
    fn encoder(max_len: usize) -> TextEncoder {
        let docs = [vec!["a", "a", "a", "b", "b", "c", "中"]];
        let vocab = Vocabulary::build(docs, &VocabConfig::default()).unwrap();
        let config = EncoderConfig {
            max_len,
            truncation: Truncation::Head,
        };
        TextEncoder::new(Tokenizer::default(), vocab, config).unwrap()
    }

    fn item(text: &str, label: usize) -> TextItem {
        TextItem {
            text: text.into(),
            label,
        }
    }

    fn ints<const D: usize>(t: Tensor<D, Int>) -> Vec<i64> {
        t.into_data().convert::<i64>().try_to_vec().unwrap()
    }

    #[test]
    fn rows_are_padded_at_the_end_to_the_longest_row() {
        for_each_device(|device| {
            let batcher = TextBatcher::new(encoder(4));
            let items = vec![
                item("a b", 1),
                item("中 c a b a", 0),
                item("", 2),
                item("zz a", 1),
            ];
            let ((tokens, lengths), targets) = batcher.batch(items, device);
            assert_eq!(tokens.dims(), [4, 4]);
            #[rustfmt::skip]
            assert_eq!(ints(tokens), [
                2, 3, 0, 0,
                5, 4, 2, 3, // five tokens, the first four kept
                1, 0, 0, 0, // an empty text is one <unk>
                1, 2, 0, 0,
            ]);
            assert_eq!(ints(lengths), [2, 4, 1, 2]);
            assert_eq!(ints(targets), [1, 0, 2, 1]);
        });
    }

    #[test]
    fn a_fixed_length_pads_every_batch_to_max_len() {
        let batcher = TextBatcher::new(encoder(5)).with_fixed_length(true);
        let ((tokens, lengths), _) = batcher.batch(vec![item("c", 0)], &Device::flex());
        assert_eq!(tokens.dims(), [1, 5]);
        assert_eq!(
            (ints(tokens), ints(lengths)),
            (vec![4, 0, 0, 0, 0], vec![1])
        );
    }
}
