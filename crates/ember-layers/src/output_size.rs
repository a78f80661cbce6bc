//! The output size of a convolution or pooling window, the curriculum's formula.

/// Output side of a `kernel`-wide window moved in steps of `stride` over `input` cells
/// padded with `padding` zeros on each side:
///
/// `⌊(n + 2p − k) / s⌋ + 1`
///
/// With burn's [`PaddingConfig2d`](crate::PaddingConfig2d): `Valid` is `p = 0`;
/// `Explicit(p, p, p, p)` is `p`; `Same` pads so that the output is `⌈n / s⌉` (with
/// `s = 1` and an odd `k`, that is `p = (k − 1)/2`; otherwise the padding can be uneven,
/// TensorFlow's rule). Applies to [`Conv2d`](crate::Conv2d), [`MaxPool2d`](crate::MaxPool2d)
/// and [`AvgPool2d`](crate::AvgPool2d) alike, on each side of the image.
///
/// # Panics
/// If `stride` is 0, or the kernel is larger than the padded input.
pub fn conv_output_size(input: usize, kernel: usize, stride: usize, padding: usize) -> usize {
    assert!(stride > 0, "the stride must be at least 1, got 0");
    let padded = input + 2 * padding;
    assert!(
        kernel <= padded,
        "a {kernel}-wide kernel does not fit in {input} cells padded by {padding} on each side \
         ({padded}): use a smaller kernel, more padding, or a larger input"
    );
    (padded - kernel) / stride + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        AvgPool2dConfig, Conv2d, Conv2dConfig, MaxPool2dConfig, PaddingConfig2d, Summarize,
    };
    use burn::prelude::*;
    use ember_testkit::for_each_device;

    #[test]
    fn formula_on_the_curriculum_cases() {
        // LeNet-5 C1: ⌊(32 − 5)/1⌋ + 1 = 28. AlexNet conv1: ⌊(227 − 11)/4⌋ + 1 = 55.
        assert_eq!(conv_output_size(32, 5, 1, 0), 28);
        assert_eq!(conv_output_size(227, 11, 4, 0), 55);
        // AlexNet's overlapping pool: ⌊(55 − 3)/2⌋ + 1 = 27; 3×3 "same": ⌊(13 + 2 − 3)/1⌋ + 1 = 13.
        assert_eq!(conv_output_size(55, 3, 2, 0), 27);
        assert_eq!(conv_output_size(13, 3, 1, 1), 13);
        // The floor: ⌊(8 + 2 − 3)/2⌋ + 1 = ⌊3.5⌋ + 1 = 4.
        assert_eq!(conv_output_size(8, 3, 2, 1), 4);
    }

    fn conv(k: usize, s: usize, padding: PaddingConfig2d, device: &Device) -> Conv2d {
        Conv2dConfig::new([2, 3], [k, k])
            .with_stride([s, s])
            .with_padding(padding)
            .init(device)
    }

    #[test]
    fn real_conv_and_pool_outputs_follow_the_formula() {
        // (n, k, s, p) with explicit padding p on every side.
        let cases = [
            (32, 5, 1, 0),
            (28, 5, 1, 2),
            (31, 11, 4, 0),
            (9, 3, 2, 1),
            (10, 3, 3, 0),
            (7, 7, 1, 0),
        ];
        for_each_device(|device| {
            for (n, k, s, p) in cases {
                let x = Tensor::<4>::zeros([1, 2, n, n], device);
                let out = conv_output_size(n, k, s, p);
                let layer = conv(k, s, PaddingConfig2d::Explicit(p, p, p, p), device);
                assert_eq!(
                    layer.forward(x.clone()).dims(),
                    [1, 3, out, out],
                    "{n} {k} {s} {p}"
                );
                assert_eq!(layer.summarize(&[2, n, n]).output, vec![3, out, out]);
                let pool = MaxPool2dConfig::new([k, k])
                    .with_strides([s, s])
                    .with_padding(PaddingConfig2d::Explicit(p, p, p, p))
                    .init();
                if 2 * p <= k {
                    // burn (like PyTorch) allows pooling padding up to half the kernel.
                    assert_eq!(pool.forward(x.clone()).dims(), [1, 2, out, out]);
                    assert_eq!(pool.summarize(&[2, n, n]).output, vec![2, out, out]);
                }
                let valid = conv(k, s, PaddingConfig2d::Valid, device);
                let out_valid = conv_output_size(n, k, s, 0);
                assert_eq!(valid.forward(x).dims(), [1, 3, out_valid, out_valid]);
            }
        });
    }

    #[test]
    fn same_padding_gives_the_ceiling_of_n_over_s() {
        for_each_device(|device| {
            for (n, k, s) in [
                (10usize, 3, 1),
                (10, 5, 1),
                (10, 3, 2),
                (11, 3, 2),
                (9, 5, 3),
            ] {
                let x = Tensor::<4>::zeros([1, 2, n, n], device);
                let out = n.div_ceil(s);
                let layer = conv(k, s, PaddingConfig2d::Same, device);
                assert_eq!(
                    layer.forward(x.clone()).dims(),
                    [1, 3, out, out],
                    "{n} {k} {s}"
                );
                assert_eq!(layer.summarize(&[2, n, n]).output, vec![3, out, out]);
                let pool = AvgPool2dConfig::new([k, k])
                    .with_strides([s, s])
                    .with_padding(PaddingConfig2d::Same)
                    .init();
                assert_eq!(pool.forward(x).dims(), [1, 2, out, out]);
                assert_eq!(pool.summarize(&[2, n, n]).output, vec![2, out, out]);
            }
        });
    }

    #[test]
    #[should_panic(expected = "a 5-wide kernel does not fit in 3 cells padded by 0")]
    fn a_kernel_larger_than_the_input_is_named() {
        conv_output_size(3, 5, 1, 0);
    }
}
