//! Gradients from autodiff against central finite differences.

use burn::prelude::*;
use burn::tensor::DType;

/// The dtype gradients are checked in on `device`: `F64` on ndarray and flex, `F32`
/// elsewhere (wgpu's shaders need not support `f64`).
pub fn gradient_dtype(device: &Device) -> DType {
    let name = format!("{device:?}");
    if name.contains("Flex") || name.contains("NdArray") {
        DType::F64
    } else {
        DType::F32
    }
}

/// Checks the gradient of the scalar function `f` at `x0` (given as `values`, row-major, of
/// `shape`) against central differences `(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h`.
///
/// `f` receives a tensor of dtype [`gradient_dtype`] (on the autodiff device for the
/// analytic gradient, on the plain device for the differences) and must return a
/// one-element tensor. Anything else it builds (weights, targets) must use the same dtype,
/// e.g. `Tensor::from_data(data, (&x.device(), x.dtype()))`.
///
/// In `f64`: `h = 1e-6`, each component within `1e-3·max(|numeric|, 1e-2)`. In `f32`
/// (wgpu): `h = 1e-2`, within `1e-2·max(|numeric|, 1e-1)`. Keep `x0` away from kinks
/// (ReLU at 0, |x| at 0).
///
/// # Panics
/// When a component is out of tolerance (listing both gradients), or `f` is not scalar.
#[track_caller]
pub fn check_gradient<const D: usize>(
    device: &Device,
    shape: [usize; D],
    values: &[f64],
    f: impl Fn(Tensor<D>) -> Tensor<1>,
) {
    let dtype = gradient_dtype(device);
    let (h, rel, floor) = match dtype {
        DType::F64 => (1e-6, 1e-3, 1e-2),
        _ => (1e-2, 1e-2, 1e-1),
    };
    let make = |v: &[f64], device: &Device| {
        Tensor::<D>::from_data(TensorData::new(v.to_vec(), shape), (device, dtype))
    };
    let scalar = |t: Tensor<1>| {
        assert_eq!(
            t.dims(),
            [1],
            "check_gradient: f must return a one-element tensor"
        );
        t.into_data().try_into_vec_as::<f64>().expect("f64")[0]
    };

    let x = make(values, &device.clone().autodiff()).require_grad();
    let grads = f(x.clone()).backward();
    let analytic = x
        .grad(&grads)
        .expect("f's output does not depend on its input")
        .into_data()
        .try_into_vec_as::<f64>()
        .expect("f64");

    let mut numeric = Vec::with_capacity(values.len());
    let mut probe = values.to_vec();
    for i in 0..values.len() {
        probe[i] = values[i] + h;
        let up = scalar(f(make(&probe, device)));
        probe[i] = values[i] - h;
        let down = scalar(f(make(&probe, device)));
        probe[i] = values[i];
        numeric.push((up - down) / (2.0 * h));
    }
    for (i, (a, n)) in analytic.iter().zip(&numeric).enumerate() {
        assert!(
            (a - n).abs() <= rel * n.abs().max(floor),
            "gradient component {i}: autodiff {a}, finite differences {n} ({dtype:?})\n\
             autodiff: {analytic:?}\nnumeric:  {numeric:?}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::for_each_device;

    #[test]
    fn gradient_of_a_cubic_matches_its_derivative() {
        // f(x) = Σ x³, ∇f = 3x².
        for_each_device(|device| {
            check_gradient(device, [2, 2], &[0.5, -1.0, 2.0, 0.25], |x| {
                x.clone().mul(x.clone()).mul(x).sum()
            });
        });
    }

    #[test]
    #[should_panic(expected = "gradient component")]
    fn a_wrong_gradient_is_caught() {
        // detach() hides half of x² from autodiff: its gradient is x, the true one 2x.
        let device = Device::flex();
        check_gradient(&device, [2], &[1.0, 2.0], |x| {
            x.clone().mul(x.detach()).sum()
        });
    }
}
