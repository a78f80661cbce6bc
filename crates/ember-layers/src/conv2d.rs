//! burn's `Conv2d`, pinned to the formula on hand numbers.
//!
//! `y[o, i, j] = b[o] + Σ_c Σ_u Σ_v w[o, c, u, v] · x[c, s·i + u − p, s·j + v − p]` (zero
//! outside the image): a cross-correlation, the kernel is not flipped (as in PyTorch and
//! Keras). Default initialisation: `U(−1/√(k·k·c_in), 1/√(k·k·c_in))` for weights and bias.

use burn::module::Param;
use burn::prelude::*;
use ember_testkit::{assert_close, backends_agree, AGREE};

use crate::{Conv2dConfig, PaddingConfig2d};

/// One 3×3 image `1..9`, through a 2×2 kernel `[[1, 2], [3, 4]]` with bias 0.5.
fn convolve(stride: usize, padding: PaddingConfig2d, device: &Device) -> Vec<f32> {
    let mut conv = Conv2dConfig::new([1, 1], [2, 2])
        .with_stride([stride, stride])
        .with_padding(padding)
        .init(device);
    conv.weight = Param::from_tensor(Tensor::from_data([[[[1.0f32, 2.0], [3.0, 4.0]]]], device));
    conv.bias = Some(Param::from_tensor(Tensor::from_data([0.5f32], device)));
    let x = Tensor::<4>::from_data(
        [[[[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]],
        device,
    );
    ember_testkit::values(conv.forward(x))
}

#[test]
fn valid_convolution_slides_the_unflipped_kernel() {
    let out = backends_agree(AGREE, |device| convolve(1, PaddingConfig2d::Valid, device));
    // (0,0): 1·1 + 2·2 + 3·4 + 4·5 = 37; (0,1): 1·2 + 2·3 + 3·5 + 4·6 = 47;
    // (1,0): 4 + 10 + 21 + 32 = 67; (1,1): 5 + 12 + 24 + 36 = 77; each + 0.5.
    assert_close(&out, &[37.5, 47.5, 67.5, 77.5], 1e-6, "valid conv");
}

#[test]
fn padding_and_stride() {
    let out = backends_agree(AGREE, |device| {
        convolve(2, PaddingConfig2d::Explicit(1, 1, 1, 1), device)
    });
    // Padded 5×5, ⌊(3 + 2 − 2)/2⌋ + 1 = 2 per side; windows at padded (0,0), (0,2), (2,0),
    // (2,2): [[0,0],[0,1]] → 4·1 = 4; [[0,0],[2,3]] → 3·2 + 4·3 = 18;
    // [[0,4],[0,7]] → 2·4 + 4·7 = 36; [[5,6],[8,9]] → 77; each + 0.5.
    assert_close(&out, &[4.5, 18.5, 36.5, 77.5], 1e-6, "padded strided conv");
}
