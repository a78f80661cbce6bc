//! Helpers that move per-sample parameters onto the device and route samples through
//! different computations.

use burn::prelude::*;

/// `values` (one per sample) as a `[N, 1, 1, 1]` tensor of `like`'s dtype on its device, ready
/// to broadcast against `[N, C, H, W]`.
pub(crate) fn per_sample(values: &[f64], like: &Tensor<4>) -> Tensor<4> {
    let data = TensorData::new(values.to_vec(), [values.len(), 1, 1, 1]);
    Tensor::from_data(data, (&like.device(), like.dtype()))
}

/// Rows of `values` (`width` numbers per sample) as a `[N, width]` tensor like `like`.
pub(crate) fn per_sample_rows(values: &[f64], width: usize, like: &Tensor<4>) -> Tensor<2> {
    let data = TensorData::new(values.to_vec(), [values.len() / width, width]);
    Tensor::from_data(data, (&like.device(), like.dtype()))
}

/// Applies `f` to the samples where `chosen` is true and leaves the others as they are.
pub(crate) fn apply_where(
    images: Tensor<4>,
    chosen: &[bool],
    what: &str,
    f: impl FnOnce(Tensor<4>) -> Tensor<4>,
) -> Tensor<4> {
    let choice: Vec<usize> = chosen.iter().map(|&c| usize::from(c)).collect();
    let mut f = Some(f);
    regroup(images, &choice, 2, what, |group, subset| match group {
        1 => (f.take().expect("group 1 is visited once"))(subset),
        _ => subset,
    })
}

/// Sends each sample `i` through `f(choice[i], samples)`, computing each group once on the
/// samples that chose it, and reassembles the batch in its original order.
///
/// # Panics
/// When two groups produce images of different sizes (`what` names the transform).
pub(crate) fn regroup(
    images: Tensor<4>,
    choice: &[usize],
    groups: usize,
    what: &str,
    mut f: impl FnMut(usize, Tensor<4>) -> Tensor<4>,
) -> Tensor<4> {
    let n = images.dims()[0];
    assert_eq!(choice.len(), n, "{what}: one choice per sample");
    let device = images.device();
    let mut parts: Vec<Tensor<4>> = Vec::new();
    let mut order: Vec<usize> = Vec::with_capacity(n);
    for group in 0..groups {
        let members: Vec<usize> = (0..n).filter(|&i| choice[i] == group).collect();
        if members.len() == n {
            return f(group, images);
        }
        if members.is_empty() {
            continue;
        }
        let out = f(group, images.clone().select(0, indices(&members, &device)));
        if let Some(first) = parts.first() {
            let (a, b) = (&first.dims()[1..], &out.dims()[1..]);
            assert_eq!(
                a, b,
                "{what}: its branches give images of different sizes ({a:?} and {b:?}); \
                 every branch must produce the same [C, H, W]"
            );
        }
        parts.push(out);
        order.extend(members);
    }
    if parts.is_empty() {
        return images;
    }
    let mut inverse = vec![0; n];
    for (position, &sample) in order.iter().enumerate() {
        inverse[sample] = position;
    }
    Tensor::cat(parts, 0).select(0, indices(&inverse, &device))
}

/// `values` as a 1-D index tensor on `device`.
pub(crate) fn indices(values: &[usize], device: &Device) -> Tensor<1, Int> {
    let values: Vec<i64> = values.iter().map(|&v| v as i64).collect();
    let len = values.len();
    Tensor::from_data(TensorData::new(values, [len]), device)
}
