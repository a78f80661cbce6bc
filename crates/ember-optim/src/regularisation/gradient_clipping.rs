//! Gradient clipping: burn's, re-exported and pinned to its formula.
//!
//! [`GradientClippingConfig`] is given to an optimizer config (`SgdConfig::
//! with_gradient_clipping`, `AdamConfig::with_grad_clipping`, ...) or its
//! [`GradientClipping`] to [`ModuleOptimizer::with_grad_clipping`](burn::optim::ModuleOptimizer::with_grad_clipping);
//! the optimizer clips each gradient before its update:
//!
//! - `Value(c)`: `g ← clamp(g, −c, c)`, element by element.
//! - `Norm(c)`: `g ← g·min(1, c/‖g‖₂)`, where `‖g‖₂` is the norm of **one parameter
//!   tensor's** gradient. PyTorch's `clip_grad_norm_` uses one norm over all parameters
//!   together; burn clips each weight and bias on its own.

pub use burn::grad_clipping::{GradientClipping, GradientClippingConfig};

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::Param;
    use burn::optim::{GradientsParams, SgdConfig};
    use burn::prelude::*;
    use ember_testkit::{assert_close, for_each_device, values};

    #[test]
    fn by_value_clamps_each_element() {
        // clamp((0.3, −0.7, 2, −0.5), −0.5, 0.5) = (0.3, −0.5, 0.5, −0.5).
        for_each_device(|device| {
            let g = Tensor::<1>::from_data([0.3f32, -0.7, 2.0, -0.5], device);
            let clipped = GradientClippingConfig::Value(0.5).init().clip_gradient(g);
            assert_close(&values(clipped), &[0.3, -0.5, 0.5, -0.5], 1e-6, "by value");
        });
    }

    #[test]
    fn by_norm_rescales_only_long_gradients() {
        // ‖(3, 4)‖ = 5: with c = 1 → (0.6, 0.8); with c = 10 unchanged.
        for_each_device(|device| {
            let g = Tensor::<1>::from_data([3.0f32, 4.0], device);
            let short = GradientClippingConfig::Norm(1.0)
                .init()
                .clip_gradient(g.clone());
            assert_close(&values(short), &[0.6, 0.8], 1e-6, "norm 1");
            let kept = GradientClippingConfig::Norm(10.0).init().clip_gradient(g);
            assert_close(&values(kept), &[3.0, 4.0], 1e-6, "norm 10");
        });
    }

    #[derive(Module, Debug)]
    struct Two {
        p: Param<Tensor<1>>,
        q: Param<Tensor<1>>,
    }

    #[test]
    fn an_optimizer_clips_each_parameter_tensor_on_its_own() {
        // loss = ⟨p, (3, 4)⟩ + ⟨q, (0.3, 0.4)⟩: ∇p = (3, 4) (norm 5 → (0.6, 0.8)),
        // ∇q = (0.3, 0.4) (norm 0.5, kept). One SGD step with η = 1 from 0 gives
        // p = (−0.6, −0.8), q = (−0.3, −0.4). A global norm (PyTorch) would also shrink q.
        for_each_device(|device| {
            let device = device.clone().autodiff();
            let model = Two {
                p: Param::from_tensor(Tensor::zeros([2], &device)),
                q: Param::from_tensor(Tensor::zeros([2], &device)),
            };
            let a = Tensor::<1>::from_data([3.0f32, 4.0], &device);
            let loss = model
                .p
                .val()
                .mul(a.clone())
                .sum()
                .add(model.q.val().mul(a.mul_scalar(0.1)).sum());
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            let mut optim = SgdConfig::new()
                .with_gradient_clipping(Some(GradientClippingConfig::Norm(1.0)))
                .init();
            let model = optim.step(1.0, model, grads);
            assert_close(&values(model.p.val()), &[-0.6, -0.8], 1e-6, "p");
            assert_close(&values(model.q.val()), &[-0.3, -0.4], 1e-6, "q");
        });
    }
}
