//! One-hot targets from class indices, for the losses that compare whole rows.

use burn::prelude::*;

/// Class indices `[batch]` as one-hot rows `[batch, classes]`: row `i` holds `on` in column
/// `y_i` and `off` everywhere else. `one_hot(y, n, 1.0, 0.0)` is the encoding of MSE, MAE
/// and binary cross-entropy against probabilities; `one_hot(y, n, 1.0, -1.0)` gives the ±1
/// labels of the hinge, squared-hinge and exponential losses (one class against the rest).
///
/// The curriculum's example: three examples of classes 0, 2 and 1 among 3 classes.
///
/// ```
/// use burn::prelude::*;
/// use ember_losses::one_hot;
///
/// let device = Device::flex();
/// let labels = Tensor::<1, Int>::from_data([0, 2, 1], &device);
/// let encoded = one_hot(labels.clone(), 3, 1.0, 0.0);
/// assert_eq!(
///     encoded.into_data().try_to_vec::<f32>().unwrap(),
///     [1.0, 0.0, 0.0, /**/ 0.0, 0.0, 1.0, /**/ 0.0, 1.0, 0.0]
/// );
/// let signs = one_hot(labels, 3, 1.0, -1.0);
/// assert_eq!(signs.into_data().try_to_vec::<f32>().unwrap()[..3], [1.0, -1.0, -1.0]);
/// ```
///
/// burn's `Tensor::one_hot` does the same on integer tensors (and gives integers); this one
/// gives the float rows a loss takes.
///
/// # Shapes
/// `[batch] -> [batch, classes]`.
///
/// # Panics
/// When `classes` is 0. Indices outside `0..classes` are not checked (that would read the
/// targets back from the device on every batch): such a row is all `off`.
pub fn one_hot(classes: Tensor<1, Int>, num_classes: usize, on: f32, off: f32) -> Tensor<2> {
    assert!(num_classes > 0, "one_hot: num_classes must be at least 1");
    let [batch] = classes.dims();
    let device = classes.device();
    let columns = Tensor::<1, Int>::arange(0..num_classes as i64, &device)
        .reshape([1, num_classes])
        .expand([batch, num_classes]);
    let hot = columns.equal(classes.reshape([batch, 1]).expand([batch, num_classes]));
    Tensor::<2>::full([batch, num_classes], off, &device).mask_fill(hot, on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::classes;
    use ember_testkit::{assert_close, for_each_device, values};

    #[test]
    fn each_row_has_on_at_its_class_only() {
        for_each_device(|device| {
            let encoded = one_hot(classes(&[3, 0, 3], device), 4, 1.0, 0.0);
            assert_eq!(encoded.dims(), [3, 4]);
            #[rustfmt::skip]
            let want = [
                0.0, 0.0, 0.0, 1.0,
                1.0, 0.0, 0.0, 0.0,
                0.0, 0.0, 0.0, 1.0,
            ];
            assert_close(&values(encoded), &want, 0.0, "0/1");
        });
    }

    #[test]
    fn on_and_off_are_the_values_given() {
        for_each_device(|device| {
            let signs = one_hot(classes(&[1, 0], device), 2, 1.0, -1.0);
            assert_close(&values(signs), &[-1.0, 1.0, 1.0, -1.0], 0.0, "±1");
            let smoothed = one_hot(classes(&[2], device), 3, 0.9, 0.05);
            assert_close(&values(smoothed), &[0.05, 0.05, 0.9], 0.0, "smoothed");
        });
    }

    #[test]
    fn an_index_outside_the_classes_gives_an_all_off_row() {
        for_each_device(|device| {
            let encoded = one_hot(classes(&[5], device), 3, 1.0, 0.0);
            assert_close(&values(encoded), &[0.0, 0.0, 0.0], 0.0, "out of range");
        });
    }
}
