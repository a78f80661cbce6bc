//! burn's `MaxPool2d` and `AvgPool2d`, pinned to their windows on hand numbers.
//!
//! burn 0.22.1's pooling configs default the stride to the kernel size, so
//! `MaxPool2dConfig::new([2, 2])` is the curriculum's non-overlapping pooling and
//! `.with_strides([2, 2])` on a 3×3 kernel is AlexNet's overlapping pooling.

use burn::prelude::*;
use ember_testkit::{assert_close, backends_agree, values, AGREE};

use crate::{AvgPool2dConfig, MaxPool2dConfig};

/// `[1, 1, n, n]` holding `1, 2, …, n²` row-major.
fn grid(n: usize, device: &Device) -> Tensor<4> {
    let data: Vec<f32> = (1..=n * n).map(|v| v as f32).collect();
    Tensor::from_data(TensorData::new(data, [1, 1, n, n]), device)
}

#[test]
fn pools_are_non_overlapping_by_default() {
    let max = MaxPool2dConfig::new([2, 2]).init();
    let avg = AvgPool2dConfig::new([3, 2]).init();
    assert_eq!((max.stride, avg.stride), ([2, 2], [3, 2]));
    let out = backends_agree(AGREE, |device| {
        let mut v = values(max.forward(grid(4, device)));
        v.extend(values(
            AvgPool2dConfig::new([2, 2]).init().forward(grid(4, device)),
        ));
        v
    });
    // 4×4 grid 1..16, 2×2 windows {1,2,5,6}, {3,4,7,8}, {9,10,13,14}, {11,12,15,16}:
    // maxima 6, 8, 14, 16; means 14/4 = 3.5, 22/4 = 5.5, 46/4 = 11.5, 54/4 = 13.5.
    let expected = [6.0, 8.0, 14.0, 16.0, 3.5, 5.5, 11.5, 13.5];
    assert_close(&out, &expected, 1e-6, "2x2 pooling");
}

#[test]
fn overlapping_pooling_as_in_alexnet() {
    let out = backends_agree(AGREE, |device| {
        let max = MaxPool2dConfig::new([3, 3]).with_strides([2, 2]).init();
        let avg = AvgPool2dConfig::new([3, 3]).with_strides([2, 2]).init();
        let mut v = values(max.forward(grid(5, device)));
        v.extend(values(avg.forward(grid(5, device))));
        v
    });
    // 5×5 grid 1..25, 3×3 windows at rows/columns 0 and 2 (sharing row/column 2):
    // maxima are the bottom-right corners 13, 15, 23, 25; means are the centres
    // (the grid is linear) 7, 9, 17, 19, e.g. (1+2+3+6+7+8+11+12+13)/9 = 63/9 = 7.
    let expected = [13.0, 15.0, 23.0, 25.0, 7.0, 9.0, 17.0, 19.0];
    assert_close(&out, &expected, 1e-6, "3x3 stride 2 pooling");
}
