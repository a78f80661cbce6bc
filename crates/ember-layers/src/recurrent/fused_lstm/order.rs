//! The order in which a direction of a [`FusedLstm`](crate::FusedLstm) reads the time
//! steps of a padded batch, the masks that freeze a row's state past its length, and the
//! cut of the projected steps.

use burn::prelude::*;
use burn::tensor::DType;

/// Which way a direction reads each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    /// `x_0 … x_{len−1}`.
    Ahead,
    /// `x_{len−1} … x_0`: each row reversed within its own length, the padding left at
    /// the end.
    Behind,
}

/// Gather indices between the batch-first rows `[batch·seq_len, …]` (row `b·T + t`) and
/// the time-major rows `[seq_len·batch, …]` (row `t·B + b`) that one direction reads.
pub(super) struct Order {
    /// Time-major row `s·B + b` is batch-first row `b·T + p(b, s)`.
    pub gather: Tensor<1, Int>,
    /// Batch-first row `b·T + t` of the output is time-major row `p(b, t)·B + b`.
    pub scatter: Tensor<1, Int>,
}

/// Position `p(b, s)` read at step `s` of a row of length `len` (an involution).
fn position(way: Way, s: usize, len: usize) -> usize {
    match way {
        Way::Behind if s < len => len - 1 - s,
        _ => s,
    }
}

impl Order {
    /// The order of `way` for rows of `lengths` padded to `seq_len`.
    pub fn new(way: Way, lengths: &[usize], seq_len: usize, device: &Device) -> Self {
        let batch = lengths.len();
        let mut gather = vec![0i64; batch * seq_len];
        let mut scatter = vec![0i64; batch * seq_len];
        for (b, &len) in lengths.iter().enumerate() {
            for s in 0..seq_len {
                let p = position(way, s, len);
                gather[s * batch + b] = (b * seq_len + p) as i64;
                scatter[b * seq_len + s] = (p * batch + b) as i64;
            }
        }
        let index = |v: Vec<i64>| Tensor::from_data(TensorData::new(v, [batch * seq_len]), device);
        Self {
            gather: index(gather),
            scatter: index(scatter),
        }
    }
}

/// Per time step, `None` while every row is still inside its length, else the masks
/// `(m, 1 − m)` `[1, batch]` with `m_b = 1` for `t < len_b`.
pub(super) type StepMasks = Vec<Option<(Tensor<2>, Tensor<2>)>>;

/// The step masks for rows of `lengths` padded to `seq_len`, in `dtype` on `device`.
pub(super) fn step_masks(
    lengths: &[usize],
    seq_len: usize,
    device: &Device,
    dtype: DType,
) -> StepMasks {
    let batch = lengths.len();
    let shortest = lengths.iter().copied().min().unwrap_or(seq_len);
    let live: Vec<f32> = (shortest..seq_len)
        .flat_map(|t| lengths.iter().map(move |&len| f32::from(u8::from(t < len))))
        .collect();
    let mut masks: StepMasks = (0..shortest).map(|_| None).collect();
    if shortest < seq_len {
        let m = Tensor::<3>::from_data(
            TensorData::new(live, [seq_len - shortest, 1, batch]),
            (device, dtype),
        );
        let keep = m.clone().neg().add_scalar(1.0);
        let steps = m.iter_dim(0).zip(keep.iter_dim(0));
        masks.extend(steps.map(|(m, k)| Some((m.reshape([1, batch]), k.reshape([1, batch])))));
    }
    masks
}

/// The `[4H, B]` slices of `[T, 4H, B]`, cut by a tree that splits each part in three:
/// the backward pass of a slice writes into zeros the size of what it was cut from, so
/// cutting `T` steps straight from the whole would cost `T` whole sizes, this costs about
/// `3·log₃ T` (15 for `T = 200`).
pub(super) fn time_steps(projected: Tensor<3>) -> Vec<Tensor<2>> {
    let mut steps = Vec::with_capacity(projected.dims()[0]);
    cut(projected, &mut steps);
    steps
}

fn cut(part: Tensor<3>, steps: &mut Vec<Tensor<2>>) {
    let [len, width, batch] = part.dims();
    if len == 1 {
        steps.push(part.reshape([width, batch]));
    } else {
        let parts = 3.min(len);
        let sizes = (0..parts).map(|i| len / parts + usize::from(i < len % parts));
        for third in part.split_with_sizes(sizes.collect(), 0) {
            cut(third, steps);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(t: Tensor<1, Int>) -> Vec<i64> {
        t.into_data().try_into_vec_as::<i64>().unwrap()
    }

    #[test]
    fn reversal_stays_within_each_row() {
        let device = Device::flex();
        // Two rows padded to 3: lengths 3 and 2.
        let order = Order::new(Way::Behind, &[3, 2], 3, &device);
        // Step 0 reads (row 0, pos 2) = 2 and (row 1, pos 1) = 4; step 1: 1 and 3; step 2:
        // 0 and the padding at (row 1, pos 2) = 5.
        assert_eq!(ints(order.gather), [2, 4, 1, 3, 0, 5]);
        // Output (row 0, pos 0) was written at step 2: time-major row 2·2 + 0 = 4.
        assert_eq!(ints(order.scatter), [4, 2, 0, 3, 1, 5]);
        let ahead = Order::new(Way::Ahead, &[3, 2], 3, &device);
        assert_eq!(ints(ahead.gather), [0, 3, 1, 4, 2, 5]);
        assert_eq!(ints(ahead.scatter), [0, 2, 4, 1, 3, 5]);
    }

    #[test]
    fn masks_start_at_the_shortest_row() {
        let device = Device::flex();
        let masks = step_masks(&[3, 1], 3, &device, DType::F32);
        assert!(masks[0].is_none());
        let (m, keep) = masks[1].clone().unwrap();
        assert_eq!(ember_testkit::values(m), [1.0, 0.0]);
        assert_eq!(ember_testkit::values(keep), [0.0, 1.0]);
        assert!(step_masks(&[2, 2], 2, &device, DType::F32)
            .iter()
            .all(Option::is_none));
    }
}
