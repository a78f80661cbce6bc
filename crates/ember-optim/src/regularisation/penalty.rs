//! L1 and L2 penalties on a module's parameters, to add to any loss.

use burn::module::{Module, ModuleVisitor, Param};
use burn::prelude::*;

/// `Σ|θ|` over every float parameter of `module` (all elements of all its tensors): the L1
/// penalty. Add `λ·l1_penalty(&model)` to the loss to push weights to exactly 0 (lasso);
/// its gradient is `λ·sign(θ)` (0 at θ = 0, burn's `abs` convention).
///
/// Works with any optimizer, since it is part of the loss. On an autodiff device the
/// parameters' gradients flow through it.
///
/// # Shapes
/// Output `[1]`.
///
/// # Panics
/// When `module` has no float parameter (the penalty has no device to live on).
pub fn l1_penalty<M: Module>(module: &M) -> Tensor<1> {
    sum_over_parameters(module, "l1_penalty", |theta| theta.abs().sum())
}

/// `½·Σθ²` over every float parameter of `module`: the L2 penalty, halved so that its
/// gradient is `θ`. Adding `λ·l2_penalty(&model)` to the loss therefore changes SGD exactly
/// as burn's weight decay `WeightDecayConfig::new(λ)` does (`g ← g + λθ`); with Adam it does
/// not equal AdamW's decoupled decay.
///
/// # Shapes
/// Output `[1]`.
///
/// # Panics
/// When `module` has no float parameter.
pub fn l2_penalty<M: Module>(module: &M) -> Tensor<1> {
    sum_over_parameters(module, "l2_penalty", |theta| {
        theta.square().sum().mul_scalar(0.5)
    })
}

fn sum_over_parameters<M: Module>(
    module: &M,
    name: &str,
    term: fn(Tensor<1>) -> Tensor<1>,
) -> Tensor<1> {
    let mut total = Total { term, sum: None };
    module.visit(&mut total);
    total.sum.unwrap_or_else(|| {
        panic!("{name}: the module has no float parameter to penalise; pass the model itself")
    })
}

struct Total {
    term: fn(Tensor<1>) -> Tensor<1>,
    sum: Option<Tensor<1>>,
}

impl ModuleVisitor for Total {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let term = (self.term)(param.val().flatten(0, D - 1));
        self.sum = Some(match self.sum.take() {
            Some(sum) => sum.add(term),
            None => term,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::optim::{GradientsParams, SgdConfig};
    use ember_testkit::{assert_close, check_gradient, for_each_device, values};

    #[derive(Module, Debug)]
    struct Layer {
        weight: Param<Tensor<2>>,
        bias: Param<Tensor<1>>,
    }

    fn layer(device: &Device) -> Layer {
        Layer {
            weight: Param::from_tensor(Tensor::from_data([[1.0f32, -2.0], [3.0, -4.0]], device)),
            bias: Param::from_tensor(Tensor::from_data([0.5f32, -0.5], device)),
        }
    }

    #[derive(Module, Debug)]
    struct Vector {
        theta: Param<Tensor<1>>,
    }

    #[test]
    fn penalties_sum_over_every_parameter() {
        for_each_device(|device| {
            let model = layer(device);
            // |1| + |−2| + |3| + |−4| + |0.5| + |−0.5| = 11.
            assert_close(&values(l1_penalty(&model)), &[11.0], 1e-6, "L1");
            // ½(1 + 4 + 9 + 16 + 0.25 + 0.25) = 15.25.
            assert_close(&values(l2_penalty(&model)), &[15.25], 1e-6, "L2");
        });
    }

    #[test]
    fn gradients_reach_every_parameter() {
        for_each_device(|device| {
            let model = layer(&device.clone().autodiff());
            let loss = l1_penalty(&model).add(l2_penalty(&model).mul_scalar(2.0));
            let grads = loss.backward();
            // sign(θ) + 2θ.
            let weight = model.weight.val().grad(&grads).unwrap();
            assert_close(&values(weight), &[3.0, -5.0, 7.0, -9.0], 1e-6, "∂/∂W");
            let bias = model.bias.val().grad(&grads).unwrap();
            assert_close(&values(bias), &[2.0, -2.0], 1e-6, "∂/∂b");
        });
    }

    #[test]
    fn gradients_match_finite_differences() {
        for_each_device(|device| {
            let theta = [0.7, -1.3, 2.1];
            check_gradient(device, [3], &theta, |x| {
                l1_penalty(&Vector {
                    theta: Param::from_tensor(x),
                })
            });
            check_gradient(device, [3], &theta, |x| {
                l2_penalty(&Vector {
                    theta: Param::from_tensor(x),
                })
            });
        });
    }

    #[test]
    fn lambda_times_l2_penalty_is_weight_decay_for_sgd() {
        // One SGD step on λ·½Σθ² alone, λ = 0.5, η = 0.1: θ ← θ − 0.1·0.5·θ = 0.95·θ.
        for_each_device(|device| {
            let device = device.clone().autodiff();
            let model = Vector {
                theta: Param::from_tensor(Tensor::from_data([2.0f32, -4.0], &device)),
            };
            let loss = l2_penalty(&model).mul_scalar(0.5);
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            let model = SgdConfig::new().init().step(0.1, model, grads);
            assert_close(&values(model.theta.val()), &[1.9, -3.8], 1e-6, "θ₁");
        });
    }

    #[derive(Module, Debug)]
    struct Empty {
        size: usize,
    }

    #[test]
    #[should_panic(expected = "l1_penalty: the module has no float parameter")]
    fn a_module_without_parameters_is_refused() {
        l1_penalty(&Empty { size: 3 });
    }
}
