//! Early stopping on the validation loss, as burn-train's stopping strategy.

use std::fmt;
use std::sync::{Arc, Mutex};

use burn::train::metric::store::{Aggregate, EventStoreClient, Split};
use burn::train::EarlyStoppingStrategy;

use ember_optim::{EarlyStopping, EarlyStoppingConfig, EarlyStoppingMode};

/// Asks [`EarlyStopping`] (ember-optim) after every epoch whether the mean validation loss
/// has stopped improving; shares the epoch it stopped at with [`fit`](crate::fit).
#[derive(Clone)]
pub(crate) struct ValidLossStop {
    criterion: EarlyStopping,
    stopped: Arc<Mutex<Option<StoppedEarly>>>,
}

/// Why and when a run stopped before its last epoch.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoppedEarly {
    /// The last epoch trained (1-based).
    pub epoch: usize,
    /// The epoch with the lowest validation loss (1-based).
    pub best_epoch: usize,
    /// That lowest validation loss.
    pub best_valid_loss: f64,
}

impl fmt::Display for StoppedEarly {
    /// The line `fit` prints when early stopping ends a run.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "early stopping after epoch {}: no lower validation loss for {} epochs (best {:.4} \
             at epoch {}); the model returned is epoch {}'s",
            self.epoch,
            self.epoch - self.best_epoch,
            self.best_valid_loss,
            self.best_epoch,
            self.epoch
        )
    }
}

impl ValidLossStop {
    /// Stops after `patience` epochs without a lower validation loss.
    pub(crate) fn new(patience: usize, stopped: Arc<Mutex<Option<StoppedEarly>>>) -> Self {
        let criterion = EarlyStoppingConfig::new(patience)
            .with_mode(EarlyStoppingMode::Min)
            .init();
        ValidLossStop { criterion, stopped }
    }

    /// The same, having seen the validation losses of a resumed run's earlier epochs.
    /// When those epochs ended the run already, it is marked stopped as then.
    pub(crate) fn after(mut self, valid_losses: impl IntoIterator<Item = f64>) -> Self {
        for (epoch, loss) in (1..).zip(valid_losses) {
            if self.criterion.update(loss) {
                self.mark_stopped(epoch, loss);
            }
        }
        self
    }

    fn mark_stopped(&self, epoch: usize, loss: f64) {
        if let Ok(mut stopped) = self.stopped.lock() {
            *stopped = Some(StoppedEarly {
                epoch,
                best_epoch: epoch - self.criterion.epochs_since_best(),
                best_valid_loss: self.criterion.best().unwrap_or(loss),
            });
        }
    }
}

impl EarlyStoppingStrategy for ValidLossStop {
    fn should_stop(&mut self, epoch: usize, store: &EventStoreClient) -> bool {
        let Some(loss) = store.find_metric("Loss", epoch, Aggregate::Mean, &Split::Valid) else {
            return false;
        };
        let stop = self.criterion.update(loss);
        if stop {
            self.mark_stopped(epoch, loss);
        }
        stop
    }
}
