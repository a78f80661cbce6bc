//! Activation functions, each as a function and as a module.
//!
//! burn provides most of them; Ember adds [`Softmax`] and [`LogSoftmax`] modules and the
//! RReLU functions [`rrelu_train`] and [`rrelu_eval`].

mod choice;
#[cfg(test)]
mod formulas;
mod rrelu;
mod softmax;

pub use burn::nn::activation::{Activation, ActivationConfig, RRelu, RReluConfig};
pub use burn::nn::{LeakyRelu, LeakyReluConfig, PRelu, PReluConfig, Relu, Sigmoid, Tanh};
pub use burn::tensor::activation::{leaky_relu, log_softmax, prelu, relu, sigmoid, softmax, tanh};
pub use choice::{ActivationKind, ChosenActivation, UnknownActivation};
pub use rrelu::{rrelu_eval, rrelu_train};
pub use softmax::{LogSoftmax, Softmax};
