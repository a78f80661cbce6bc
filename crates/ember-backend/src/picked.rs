//! The backend a run uses: the one asked for, or the fastest here, with its device.

use std::fmt;

use burn::tensor::Device;

use crate::{Backend, BackendError};

/// A backend picked for a run by [`Backend::pick`]: its device, built, and what it is.
#[derive(Debug, Clone)]
pub struct Picked {
    /// The backend.
    pub backend: Backend,
    /// Its plain device ([`Backend::device`]); call `.autodiff()` on it to train.
    pub device: Device,
    /// What was picked, as [`Backend::describe`] says it (e.g. `flex (CPU, 2 threads)`).
    pub description: String,
    /// Whether the caller asked for this backend (`false`: the fastest available here).
    pub asked: bool,
}

impl Backend {
    /// The backend `asked` for, or else [`Backend::fastest_available`], with its device
    /// built and described: what a program does with `--backend NAME` (optional).
    ///
    /// ```
    /// use ember_backend::Backend;
    ///
    /// let picked = Backend::pick(Some(Backend::Flex))?;
    /// assert!(picked.asked);
    /// println!("training on {picked}"); // flex (CPU, 2 threads) (asked for)
    /// let model_device = picked.device.autodiff();
    /// # Ok::<(), ember_backend::BackendError>(())
    /// ```
    ///
    /// # Errors
    /// As [`Backend::device`], for the backend picked.
    pub fn pick(asked: Option<Backend>) -> Result<Picked, BackendError> {
        let backend = asked.unwrap_or_else(Backend::fastest_available);
        Ok(Picked {
            backend,
            device: backend.device()?,
            description: backend.describe()?,
            asked: asked.is_some(),
        })
    }
}

impl fmt::Display for Picked {
    /// `{description} (asked for)` or `{description} (fastest available here)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = if self.asked {
            "asked for"
        } else {
            "fastest available here"
        };
        write!(f, "{} ({why})", self.description)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_asked_for_is_built_and_described() {
        let picked = Backend::pick(Some(Backend::Flex)).unwrap();
        assert_eq!(picked.backend, Backend::Flex);
        assert!(picked.asked && !picked.device.is_autodiff());
        assert!(
            picked.description.contains("flex"),
            "{}",
            picked.description
        );
        assert_eq!(
            picked.to_string(),
            format!("{} (asked for)", picked.description)
        );
    }

    #[test]
    fn without_a_wish_the_fastest_is_picked() {
        let picked = Backend::pick(None).unwrap();
        assert_eq!(picked.backend, Backend::fastest_available());
        assert!(!picked.asked);
        assert!(picked.to_string().ends_with(" (fastest available here)"));
    }
}
