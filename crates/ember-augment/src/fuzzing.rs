//! The entry point Ember's fuzzer drives for augmentation files (`fuzz/`, see
//! `FUZZING.md`): `bytes` as a pipeline's JSON, through [`Pipeline::from_json`] as
//! `--augment FILE.json` reads it. It must return — the pipeline or a typed error — never
//! panic.
//!
//! ```
//! use ember_augment::fuzzing::run;
//! assert_eq!(run("augment-json", br#"{"transforms": [{"type": "horizontal_flip"}]}"#), Some(true));
//! assert_eq!(run("augment-json", br#"{"transforms": [{"type": "resize", "size": [0, 9]}]}"#), Some(false));
//! assert_eq!(run("no-such-format", b""), None);
//! ```

use crate::Pipeline;

/// The input formats this crate parses, by the name [`run`] takes.
pub const TARGETS: [&str; 1] = ["augment-json"];

/// Parses `bytes` as the format `target` names; `Some(true)` when they parsed, `Some(false)`
/// when refused with an error, `None` for an unknown target.
pub fn run(target: &str, bytes: &[u8]) -> Option<bool> {
    match target {
        "augment-json" => {
            Some(std::str::from_utf8(bytes).is_ok_and(|json| Pipeline::from_json(json).is_ok()))
        }
        _ => None,
    }
}
