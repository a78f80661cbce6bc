//! Adadelta (Zeiler 2012), which burn 0.22 does not have.

use burn::config::Config;
use burn::grad_clipping::GradientClippingConfig;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::LearningRate;
use burn::optim::{ModuleOptimizer, Optimizer, RecordState, StateSink, StateSource};
use burn::prelude::*;

/// Configuration of [`Adadelta`], with PyTorch's defaults.
#[derive(Config, Debug)]
pub struct AdadeltaConfig {
    /// Decay `ρ` of both running averages (default 0.9, as in PyTorch).
    #[config(default = 0.9)]
    pub rho: f32,
    /// `ε` inside both square roots (default 1e-6, as in PyTorch).
    #[config(default = 1e-6)]
    pub epsilon: f32,
    /// L2 weight decay `λ`: `g ← g + λθ` before the update (default none).
    pub weight_decay: Option<WeightDecayConfig>,
    /// Gradient clipping applied by [`init`](Self::init) (default none).
    pub grad_clipping: Option<GradientClippingConfig>,
}

/// Adadelta (Zeiler 2012, "ADADELTA: an adaptive learning rate method"), per parameter
/// element, with PyTorch's conventions:
///
/// ```text
/// E[g²]  ← ρ·E[g²] + (1 − ρ)·g²
/// Δθ     = −√(E[Δθ²] + ε) / √(E[g²] + ε) · g
/// E[Δθ²] ← ρ·E[Δθ²] + (1 − ρ)·Δθ²
/// θ      ← θ + η·Δθ
/// ```
///
/// Both averages start at 0. The paper has no learning rate (η = 1); PyTorch's default
/// `lr = 1.0` keeps that, and so should a caller that wants the paper's method (burn passes
/// `η` to every step). Works with any burn module through [`ModuleOptimizer`] and hence
/// burn-train's `Learner`.
///
/// # Panics
/// [`AdadeltaConfig::init`] and [`AdadeltaConfig::build`] panic when `ρ` is outside
/// `[0, 1)` or `ε` is not positive, naming the value.
#[derive(Clone, Debug)]
pub struct Adadelta {
    rho: f32,
    epsilon: f32,
    weight_decay: Option<f32>,
}

/// The running averages `E[g²]` and `E[Δθ²]` of one parameter.
#[derive(Clone, Debug)]
pub struct AdadeltaState<const D: usize> {
    /// `E[g²]`.
    pub square_avg: Tensor<D>,
    /// `E[Δθ²]`.
    pub acc_delta: Tensor<D>,
}

impl AdadeltaConfig {
    /// The bare optimizer (for [`ModuleOptimizer::with_group`]); ignores `grad_clipping`.
    ///
    /// # Panics
    /// When `ρ ∉ [0, 1)` or `ε ≤ 0`.
    pub fn build(&self) -> Adadelta {
        assert!(
            (0.0..1.0).contains(&self.rho),
            "Adadelta: rho = {} must be in [0, 1) (PyTorch's default is 0.9)",
            self.rho
        );
        assert!(
            self.epsilon > 0.0,
            "Adadelta: epsilon = {} must be positive (PyTorch's default is 1e-6)",
            self.epsilon
        );
        Adadelta {
            rho: self.rho,
            epsilon: self.epsilon,
            weight_decay: self.weight_decay.as_ref().map(|decay| decay.penalty),
        }
    }

    /// The optimizer for a whole module, with the configured gradient clipping.
    ///
    /// # Panics
    /// As [`build`](Self::build).
    pub fn init(&self) -> ModuleOptimizer {
        let optim = ModuleOptimizer::from(self.build());
        match &self.grad_clipping {
            Some(clipping) => optim.with_grad_clipping(clipping.init()),
            None => optim,
        }
    }
}

impl Optimizer for Adadelta {
    type State<const D: usize> = AdadeltaState<D>;

    fn step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<Self::State<D>>,
    ) -> (Tensor<D>, Option<Self::State<D>>) {
        let grad = match self.weight_decay {
            Some(penalty) => grad.add(tensor.clone().mul_scalar(penalty)),
            None => grad,
        };
        let (square_avg, acc_delta) = match state {
            Some(state) => (state.square_avg, state.acc_delta),
            None => (grad.zeros_like(), grad.zeros_like()),
        };
        let keep = 1.0 - self.rho;
        let square_avg = square_avg
            .mul_scalar(self.rho)
            .add(grad.clone().square().mul_scalar(keep));
        let delta = acc_delta
            .clone()
            .add_scalar(self.epsilon)
            .sqrt()
            .div(square_avg.clone().add_scalar(self.epsilon).sqrt())
            .mul(grad)
            .neg();
        let acc_delta = acc_delta
            .mul_scalar(self.rho)
            .add(delta.clone().square().mul_scalar(keep));
        let tensor = tensor.add(delta.mul_scalar(lr));
        let state = AdadeltaState {
            square_avg,
            acc_delta,
        };
        (tensor, Some(state))
    }

    fn to_device<const D: usize>(state: Self::State<D>, device: &Device) -> Self::State<D> {
        AdadeltaState {
            square_avg: state.square_avg.to_device(device),
            acc_delta: state.acc_delta.to_device(device),
        }
    }
}

impl<const D: usize> RecordState for AdadeltaState<D> {
    fn state_flatten(&self, prefix: &str, out: &mut StateSink) {
        out.push_tensor(prefix, "square_avg", self.square_avg.to_data());
        out.push_tensor(prefix, "acc_delta", self.acc_delta.to_data());
    }

    fn state_unflatten(prefix: &str, src: &mut StateSource, device: &Device) -> Option<Self> {
        Some(Self {
            square_avg: Tensor::from_data(src.take_tensor(prefix, "square_avg")?, device),
            acc_delta: Tensor::from_data(src.take_tensor(prefix, "acc_delta")?, device),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::Param;
    use burn::optim::GradientsParams;
    use ember_testkit::{assert_close, for_each_device, values};

    #[derive(Module, Debug)]
    struct Pair {
        w: Param<Tensor<1>>,
    }

    /// One step on f(w) = Σ wᵢ³/3 (gradient w²) with η = 1.
    fn step(optim: &mut ModuleOptimizer, model: Pair) -> Pair {
        let w = model.w.val();
        let loss = w.clone().mul(w.clone()).mul(w).sum().div_scalar(3.0);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        optim.step(1.0, model, grads)
    }

    #[test]
    fn first_step_moves_by_sqrt_of_epsilon_over_the_rms_gradient() {
        // g = w² = (1, 4): E[g²] = 0.1·g² = (0.1, 1.6), Δθ = −√1e-6/√(E[g²] + 1e-6)·g
        // = −(1e-3/√0.100001, 4e-3/√1.600001) = −(3.162262e-3, 3.162277e-3).
        for_each_device(|device| {
            let device = device.clone().autodiff();
            let model = Pair {
                w: Param::from_tensor(Tensor::from_data([1.0f32, 2.0], &device)),
            };
            let mut optim = AdadeltaConfig::new().init();
            let model = step(&mut optim, model);
            let moved = values(model.w.val());
            assert_close(
                &moved,
                &[1.0 - 3.162_262e-3, 2.0 - 3.162_277e-3],
                1e-6,
                "θ₁",
            );
        });
    }

    #[test]
    fn state_survives_a_checkpoint() {
        for_each_device(|device| {
            let device = device.clone().autodiff();
            let mut model = Pair {
                w: Param::from_tensor(Tensor::from_data([1.0f32, -2.0], &device)),
            };
            let mut optim = AdadeltaConfig::new().init();
            for _ in 0..3 {
                model = step(&mut optim, model);
            }
            let bytes = optim.into_bytes().unwrap();
            let mut restored = AdadeltaConfig::new().init().from_bytes(bytes).unwrap();
            let expected = values(step(&mut optim, model.clone()).w.val());
            let fresh = values(
                step(&mut AdadeltaConfig::new().init(), model.clone())
                    .w
                    .val(),
            );
            let resumed = values(step(&mut restored, model).w.val());
            assert_close(&resumed, &expected, 1e-6, "resumed step");
            assert!(fresh != expected, "the state must matter for this check");
        });
    }

    #[test]
    #[should_panic(expected = "rho = 1 must be in [0, 1)")]
    fn rho_of_one_is_refused() {
        AdadeltaConfig::new().with_rho(1.0).build();
    }

    #[test]
    #[should_panic(expected = "epsilon = 0 must be positive")]
    fn zero_epsilon_is_refused() {
        AdadeltaConfig::new().with_epsilon(0.0).build();
    }
}
