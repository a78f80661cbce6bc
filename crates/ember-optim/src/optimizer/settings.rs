//! Setting one hyper-parameter of an [`OptimizerKind`] (what `--momentum`, `--betas` and
//! `--eps` do), checked against the kind and its range.

use super::OptimizerKind;
use crate::OptimError;

impl OptimizerKind {
    /// Sets the momentum `μ` of `momentum` and `nesterov`, in `[0, 1)`.
    ///
    /// ```
    /// use ember_optim::OptimizerKind;
    ///
    /// let kind: OptimizerKind = "momentum".parse()?;
    /// assert_eq!(kind.with_momentum(0.5)?, OptimizerKind::Momentum { momentum: 0.5 });
    /// assert!("adam".parse::<OptimizerKind>()?.with_momentum(0.5).is_err());
    /// # Ok::<(), ember_optim::OptimError>(())
    /// ```
    ///
    /// # Errors
    /// [`OptimError::NoSuchParameter`] for the other kinds, [`OptimError::OutOfRange`]
    /// outside `[0, 1)`.
    pub fn with_momentum(self, value: f64) -> Result<Self, OptimError> {
        check(
            self,
            "momentum",
            value,
            (0.0..1.0).contains(&value),
            "in [0, 1)",
        )?;
        match self {
            OptimizerKind::Momentum { .. } => Ok(OptimizerKind::Momentum { momentum: value }),
            OptimizerKind::Nesterov { .. } => Ok(OptimizerKind::Nesterov { momentum: value }),
            _ => Err(missing(self, "momentum", "momentum and nesterov have one")),
        }
    }

    /// Sets Adam's and AdamW's `β₁, β₂`, each in `[0, 1)`.
    ///
    /// # Errors
    /// [`OptimError::NoSuchParameter`] for the other kinds, [`OptimError::OutOfRange`]
    /// outside `[0, 1)`.
    pub fn with_betas(self, b1: f32, b2: f32) -> Result<Self, OptimError> {
        for (field, v) in [("beta 1", b1), ("beta 2", b2)] {
            check(self, field, v.into(), (0.0..1.0).contains(&v), "in [0, 1)")?;
        }
        match self {
            OptimizerKind::Adam { epsilon, .. } => Ok(OptimizerKind::Adam {
                beta_1: b1,
                beta_2: b2,
                epsilon,
            }),
            OptimizerKind::AdamW {
                epsilon,
                weight_decay,
                ..
            } => Ok(OptimizerKind::AdamW {
                beta_1: b1,
                beta_2: b2,
                epsilon,
                weight_decay,
            }),
            _ => Err(missing(self, "betas", "adam and adamw have them")),
        }
    }

    /// Sets `ε`, the term that keeps a division away from zero, of every adaptive kind
    /// (adagrad, adadelta, rmsprop, adam, adamw); it must be positive and finite.
    ///
    /// # Errors
    /// [`OptimError::NoSuchParameter`] for sgd, momentum and nesterov,
    /// [`OptimError::OutOfRange`] when not positive and finite.
    pub fn with_epsilon(self, value: f32) -> Result<Self, OptimError> {
        let ok = value > 0.0 && value.is_finite();
        check(self, "epsilon", value.into(), ok, "positive and finite")?;
        let mut kind = self;
        match &mut kind {
            OptimizerKind::Adagrad { epsilon }
            | OptimizerKind::Adadelta { epsilon, .. }
            | OptimizerKind::RmsProp { epsilon, .. }
            | OptimizerKind::Adam { epsilon, .. }
            | OptimizerKind::AdamW { epsilon, .. } => *epsilon = value,
            _ => {
                let has = "adagrad, adadelta, rmsprop, adam and adamw have one";
                return Err(missing(self, "epsilon", has));
            }
        }
        Ok(kind)
    }
}

fn check(
    kind: OptimizerKind,
    field: &'static str,
    value: f64,
    ok: bool,
    allowed: &'static str,
) -> Result<(), OptimError> {
    if ok {
        return Ok(());
    }
    Err(OptimError::OutOfRange {
        what: format!("{kind} optimizer"),
        field,
        value,
        allowed,
    })
}

fn missing(kind: OptimizerKind, parameter: &'static str, has: &'static str) -> OptimError {
    OptimError::NoSuchParameter {
        what: "optimizer",
        kind: kind.name(),
        parameter,
        has,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> OptimizerKind {
        name.parse().unwrap()
    }

    #[test]
    fn each_setting_reaches_the_kinds_that_have_it() {
        assert_eq!(
            kind("nesterov").with_momentum(0.8).unwrap(),
            OptimizerKind::Nesterov { momentum: 0.8 }
        );
        assert_eq!(
            kind("adamw").with_betas(0.8, 0.99).unwrap(),
            OptimizerKind::AdamW {
                beta_1: 0.8,
                beta_2: 0.99,
                epsilon: 1e-8,
                weight_decay: 1e-2
            }
        );
        assert_eq!(
            kind("rmsprop").with_epsilon(1e-6).unwrap(),
            OptimizerKind::RmsProp {
                alpha: 0.99,
                epsilon: 1e-6
            }
        );
        let adam = kind("adam")
            .with_betas(0.5, 0.9)
            .unwrap()
            .with_epsilon(1e-4)
            .unwrap();
        assert_eq!(
            adam,
            OptimizerKind::Adam {
                beta_1: 0.5,
                beta_2: 0.9,
                epsilon: 1e-4
            }
        );
    }

    #[test]
    fn a_setting_the_kind_lacks_or_out_of_range_is_named() {
        assert_eq!(
            kind("adam").with_momentum(0.9).unwrap_err().to_string(),
            "the adam optimizer has no momentum; momentum and nesterov have one"
        );
        assert_eq!(
            kind("sgd").with_epsilon(1e-8).unwrap_err().to_string(),
            "the sgd optimizer has no epsilon; adagrad, adadelta, rmsprop, adam and adamw have one"
        );
        assert!(kind("momentum").with_betas(0.9, 0.99).is_err());
        assert_eq!(
            kind("momentum").with_momentum(1.0).unwrap_err().to_string(),
            "momentum optimizer: momentum 1 must be in [0, 1)"
        );
        assert!(kind("adam").with_betas(0.9, f32::NAN).is_err());
        assert!(kind("adam").with_epsilon(0.0).is_err());
        assert!(kind("adam").with_epsilon(f32::INFINITY).is_err());
    }
}
