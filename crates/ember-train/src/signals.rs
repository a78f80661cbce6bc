//! Ctrl-C and SIGTERM during a run: stop at the end of the batch, keep what was done.

use std::sync::{Mutex, Once, PoisonError};

use burn::train::Interrupter;

/// The interrupter of the run being trained now, if it asked for signals.
static TRAINING: Mutex<Option<Interrupter>> = Mutex::new(None);

/// While a [`SignalStop`] lives, the first SIGINT (Ctrl-C) or SIGTERM stops its interrupter
/// (the run ends at the end of its current batch, keeping its last complete checkpoint);
/// a second one, or one while no run is training, ends the process at once with exit code
/// 130, as an unhandled Ctrl-C would. On systems without these signals it does nothing.
pub(crate) struct SignalStop;

impl SignalStop {
    /// Hands the signals to `interrupter` until dropped (one watching thread per process).
    pub(crate) fn watch(interrupter: Interrupter) -> Self {
        *TRAINING.lock().unwrap_or_else(PoisonError::into_inner) = Some(interrupter);
        static WATCHER: Once = Once::new();
        WATCHER.call_once(spawn_watcher);
        SignalStop
    }
}

impl Drop for SignalStop {
    /// Training is over: a signal from now on ends the process.
    fn drop(&mut self) {
        *TRAINING.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

#[cfg(unix)]
fn spawn_watcher() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
        Ok(signals) => signals,
        Err(e) => {
            eprintln!("warning: Ctrl-C will not stop the run cleanly: {e}");
            return;
        }
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            let name = if signal == SIGINT {
                "Ctrl-C"
            } else {
                "SIGTERM"
            };
            let training = TRAINING.lock().unwrap_or_else(PoisonError::into_inner);
            match training.as_ref() {
                Some(interrupter) if !interrupter.should_stop() => {
                    eprintln!(
                        "\n{name}: stopping at the end of this batch (again to stop at once)"
                    );
                    interrupter.stop(Some(name));
                }
                _ => {
                    eprintln!("\n{name}: stopping now");
                    std::process::exit(130);
                }
            }
        }
    });
}

#[cfg(not(unix))]
fn spawn_watcher() {}
