//! [`Summarize`] for burn's layers and Ember's own.

use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::nn::pool::{AdaptiveAvgPool2d, AvgPool2d, MaxPool2d};
use burn::nn::{Linear, PaddingConfig2d};

use super::elementwise::activation_name;
use super::{LayerStats, Summarize};
use crate::{Dense, Flatten, PartialConv2d, Subsampling2d};

fn chw(layer: &str, input: &[usize]) -> [usize; 3] {
    match input {
        &[c, h, w] => [c, h, w],
        _ => panic!("{layer} expects a [channels, height, width] input, got {input:?}"),
    }
}

/// Output side of a window sliding over `size` with padding `(before, after)`:
/// `⌊(size + before + after − dilation·(k − 1) − 1) / stride⌋ + 1`.
fn slide(size: usize, pad: (usize, usize), k: usize, stride: usize, dilation: usize) -> usize {
    (size + pad.0 + pad.1 - dilation * (k - 1) - 1) / stride + 1
}

/// `(before, after)` padding of one side of size `n`; `Same` follows burn (and
/// TensorFlow): total `max((⌈n/s⌉ − 1)·s + k − n, 0)`, the odd cell after.
fn pad(padding: &PaddingConfig2d, axis: usize, n: usize, k: usize, s: usize) -> (usize, usize) {
    match *padding {
        PaddingConfig2d::Valid => (0, 0),
        PaddingConfig2d::Same => {
            let total = ((n.div_ceil(s) - 1) * s + k).saturating_sub(n);
            (total / 2, total - total / 2)
        }
        PaddingConfig2d::Explicit(t, l, b, r) => [(t, b), (l, r)][axis],
    }
}

/// `[h_out, w_out]` of a window of `k` with `stride`, `padding` and `dilation` over `[h, w]`.
fn window_output(
    [h, w]: [usize; 2],
    k: [usize; 2],
    stride: [usize; 2],
    padding: &PaddingConfig2d,
    dilation: [usize; 2],
) -> [usize; 2] {
    [0, 1].map(|axis| {
        let n = [h, w][axis];
        let p = pad(padding, axis, n, k[axis], stride[axis]);
        slide(n, p, k[axis], stride[axis], dilation[axis])
    })
}

fn check_channels(layer: &str, expected: usize, found: usize) {
    assert_eq!(
        expected, found,
        "{layer} expects {expected} input channels, the previous layer gives {found}"
    );
}

/// burn's `Conv2d`: params `k_h·k_w·c_in/g·c_out + c_out`; connections
/// `(k_h·k_w·c_in/g + 1)·c_out·h_out·w_out` (the `+ 1` only with a bias); MACs
/// `k_h·k_w·c_in/g·c_out·h_out·w_out`.
impl Summarize for Conv2d {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let [c, h, w] = chw("Conv2d", input);
        let [c_out, c_in_g, kh, kw] = self.weight.dims();
        check_channels("Conv2d", c_in_g * self.groups, c);
        let [h_out, w_out] =
            window_output([h, w], [kh, kw], self.stride, &self.padding, self.dilation);
        let bias = usize::from(self.bias.is_some());
        LayerStats {
            kind: format!("Conv2d {kh}x{kw}"),
            output: vec![c_out, h_out, w_out],
            params: self.num_params(),
            connections: (kh * kw * c_in_g + bias) * c_out * h_out * w_out,
            macs: kh * kw * c_in_g * c_out * h_out * w_out,
        }
    }
}

/// Ember's [`PartialConv2d`]: connections `Σ_o (|T_o|·k_h·k_w + 1)·h_out·w_out`.
impl Summarize for PartialConv2d {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let [c, h, w] = chw("PartialConv2d", input);
        check_channels("PartialConv2d", self.channels[0], c);
        let [kh, kw] = self.kernel_size;
        let (h_out, w_out) = (h - kh + 1, w - kw + 1);
        let per_position: usize = self.inputs_per_map.iter().map(|n| n * kh * kw + 1).sum();
        let inputs: usize = self.inputs_per_map.iter().sum();
        LayerStats {
            kind: format!("PartialConv2d {kh}x{kw}"),
            output: vec![self.channels[1], h_out, w_out],
            params: self.num_params(),
            connections: per_position * h_out * w_out,
            macs: inputs * kh * kw * h_out * w_out,
        }
    }
}

/// Ember's [`Subsampling2d`]: params `2·c`; connections `(k² + 1)·c·h_out·w_out`; MACs
/// `c·h_out·w_out` (one coefficient times each window sum).
impl Summarize for Subsampling2d {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let [c, h, w] = chw("Subsampling2d", input);
        check_channels("Subsampling2d", self.coefficient.dims()[0], c);
        let k = self.kernel;
        let (h_out, w_out) = (h / k, w / k);
        LayerStats {
            kind: format!("Subsampling {k}x{k}"),
            output: vec![c, h_out, w_out],
            params: self.num_params(),
            connections: (k * k + 1) * c * h_out * w_out,
            macs: c * h_out * w_out,
        }
    }
}

fn pool(
    kind: &str,
    input: &[usize],
    k: [usize; 2],
    stride: [usize; 2],
    pad: &PaddingConfig2d,
    dil: [usize; 2],
) -> LayerStats {
    let [c, h, w] = chw(kind, input);
    let [h_out, w_out] = window_output([h, w], k, stride, pad, dil);
    LayerStats {
        kind: format!("{kind} {}x{}", k[0], k[1]),
        output: vec![c, h_out, w_out],
        params: 0,
        connections: k[0] * k[1] * c * h_out * w_out,
        macs: 0,
    }
}

/// burn's `MaxPool2d`: no parameters; connections `k_h·k_w·c·h_out·w_out`.
impl Summarize for MaxPool2d {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        pool(
            "MaxPool2d",
            input,
            self.kernel_size,
            self.stride,
            &self.padding,
            self.dilation,
        )
    }
}

/// burn's `AvgPool2d`: no parameters; connections `k_h·k_w·c·h_out·w_out`.
impl Summarize for AvgPool2d {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        pool(
            "AvgPool2d",
            input,
            self.kernel_size,
            self.stride,
            &self.padding,
            [1, 1],
        )
    }
}

/// burn's `AdaptiveAvgPool2d` to `[h_out, w_out]`: no parameters; connections: each output
/// averages its window `[⌊i·h/h_out⌋, ⌈(i + 1)·h/h_out⌉)` (PyTorch's rule), summed over the
/// outputs and channels. An input already of the output size passes through.
impl Summarize for AdaptiveAvgPool2d {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let [c, h, w] = chw("AdaptiveAvgPool2d", input);
        let [h_out, w_out] = self.output_size;
        let span = |i: usize, n: usize, out: usize| ((i + 1) * n).div_ceil(out) - i * n / out;
        let window: usize = (0..h_out)
            .flat_map(|i| (0..w_out).map(move |j| (i, j)))
            .map(|(i, j)| span(i, h, h_out) * span(j, w, w_out))
            .sum();
        LayerStats {
            kind: format!("AdaptiveAvgPool {h_out}x{w_out}"),
            output: vec![c, h_out, w_out],
            params: 0,
            connections: c * window,
            macs: 0,
        }
    }
}

/// burn's `Linear` (a dense layer): params and connections `(n_in + 1)·n_out`; MACs
/// `n_in·n_out`.
impl Summarize for Linear {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let [n_in, n_out] = self.weight.dims();
        assert_eq!(
            input,
            &[n_in],
            "Linear expects a [{n_in}] input, got {input:?} (flatten first?)"
        );
        LayerStats {
            kind: "Linear".into(),
            output: vec![n_out],
            params: self.num_params(),
            connections: self.num_params(),
            macs: n_in * n_out,
        }
    }
}

/// Ember's [`Dense`]: params `(n_in + 1)·n_out` (plus the activation's own, PReLU's
/// slopes); connections `(n_in + 1)·n_out` (`n_in·n_out` without bias).
impl Summarize for Dense {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        let linear = self.linear.summarize(input);
        let bias = usize::from(self.linear.bias.is_some());
        let [n_in, n_out] = self.linear.weight.dims();
        LayerStats {
            kind: format!("Dense {}", activation_name(&self.activation)),
            output: linear.output,
            params: self.num_params(),
            connections: (n_in + bias) * n_out,
            macs: n_in * n_out,
        }
    }
}

/// [`Flatten`]: no parameters, no connections.
impl Summarize for Flatten {
    fn summarize(&self, input: &[usize]) -> LayerStats {
        LayerStats {
            kind: "Flatten".into(),
            output: vec![input.iter().product()],
            params: 0,
            connections: 0,
            macs: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::nn::conv::Conv2dConfig;
    use burn::nn::pool::MaxPool2dConfig;
    use burn::nn::LinearConfig;
    use burn::prelude::*;

    #[test]
    fn conv_counts_follow_the_curriculum_formulas() {
        let device = Device::flex();
        // LeNet-5 C1: 6 maps of 5x5 over a 32x32 input.
        let c1 = Conv2dConfig::new([1, 6], [5, 5])
            .init(&device)
            .summarize(&[1, 32, 32]);
        assert_eq!(c1.output, vec![6, 28, 28]);
        assert_eq!((c1.params, c1.connections), (156, 122_304));
        // `Same` padding with stride 1 keeps the size: (3·3·4 + 1)·8·10·10 connections.
        let same = Conv2dConfig::new([4, 8], [3, 3])
            .with_padding(PaddingConfig2d::Same)
            .init(&device)
            .summarize(&[4, 10, 10]);
        assert_eq!(same.output, vec![8, 10, 10]);
        assert_eq!((same.params, same.connections), (296, 29_600));
        // Stride 4, 11x11 on 227x227 (AlexNet conv1): ⌊(227 − 11)/4⌋ + 1 = 55.
        let strided = Conv2dConfig::new([3, 96], [11, 11])
            .with_stride([4, 4])
            .init(&device)
            .summarize(&[3, 227, 227]);
        assert_eq!(strided.output, vec![96, 55, 55]);
    }

    #[test]
    fn pooling_and_dense_counts() {
        let pool = MaxPool2dConfig::new([2, 2]).init().summarize(&[6, 28, 28]);
        assert_eq!(
            (pool.output.clone(), pool.params, pool.connections),
            (vec![6, 14, 14], 0, 4704)
        );
        let overlapping = MaxPool2dConfig::new([3, 3])
            .with_strides([2, 2])
            .init()
            .summarize(&[96, 55, 55]);
        assert_eq!(overlapping.output, vec![96, 27, 27]);
        let dense = LinearConfig::new(120, 84)
            .init(&Device::flex())
            .summarize(&[120]);
        assert_eq!((dense.params, dense.connections), (10_164, 10_164));
    }

    #[test]
    #[should_panic(expected = "Conv2d expects 3 input channels, the previous layer gives 1")]
    fn wrong_channels_are_named() {
        Conv2dConfig::new([3, 6], [5, 5])
            .init(&Device::flex())
            .summarize(&[1, 32, 32]);
    }
}
