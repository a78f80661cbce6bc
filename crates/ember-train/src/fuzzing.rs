//! The entry points Ember's fuzzer drives for the files a run folder holds (`fuzz/`, see
//! `FUZZING.md`): `run-config` reads `bytes` as a run's `config.json` ([`RunRecord`]) and
//! checks its training configuration as a run would; `burnpack` reads them as weights
//! (`model.bpk`, burn's record reader). Each must return — the value or a typed error —
//! never panic.
//!
//! ```
//! use ember_train::fuzzing::run;
//! assert_eq!(run("run-config", b"{\"fit\": 3}"), Some(false));
//! assert_eq!(run("burnpack", b"not weights"), Some(false));
//! assert_eq!(run("no-such-format", b""), None);
//! ```

use crate::RunRecord;

/// The input formats this crate parses, by the name [`run`] takes.
pub const TARGETS: [&str; 2] = ["run-config", "burnpack"];

/// Parses `bytes` as the format `target` names; `Some(true)` when they parsed, `Some(false)`
/// when refused with an error, `None` for an unknown target.
pub fn run(target: &str, bytes: &[u8]) -> Option<bool> {
    match target {
        "run-config" => Some(
            serde_json::from_slice::<RunRecord>(bytes)
                .is_ok_and(|record| record.fit.plan(record.split_sizes[0].max(1)).is_ok()),
        ),
        "burnpack" => Some(
            burn::store::ModuleRecord::from_bytes(burn::tensor::Bytes::from_bytes_vec(
                bytes.to_vec(),
            ))
            .is_ok(),
        ),
        _ => None,
    }
}
