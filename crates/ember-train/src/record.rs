//! `config.json`: the record of a run, readable without Ember.

use serde_json::Value;

use crate::FitConfig;

/// Everything needed to understand and reproduce a run, as plain JSON: the parts a run
/// cannot know by itself (the model, the data's origin, the split and the batch pipeline,
/// the backend) are described by the caller as JSON values; [`Training::run`] fills in the
/// split sizes and the class names from the data it is given.
///
/// [`Training::run`]: crate::Training::run
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunRecord {
    /// The version of Ember that wrote the record.
    pub ember_version: String,
    /// The command line that started the run.
    pub command: String,
    /// The settings that made the run as `flag → value` (every flag, defaults included;
    /// `true`/`false` for a switch), so that `cargo xtask train MODEL --config config.json`
    /// repeats it; `null` for a run started from code.
    #[serde(default)]
    pub settings: Value,
    /// When the run started (UTC, RFC 3339).
    pub started_at: String,
    /// The model: its name and configuration, e.g. `{"name": "lenet5", "config": {...}}`.
    pub model: Value,
    /// The dataset: its name and where its files came from.
    pub data: Value,
    /// How the splits were made (fraction held out, seed, subsets).
    pub split: Value,
    /// Examples in the training, validation and test splits (filled by the run).
    pub split_sizes: [usize; 3],
    /// The class names, in label order (filled by the run).
    pub classes: Vec<String>,
    /// The batch pipeline: batcher, training-only augmentation, normalisation.
    pub pipeline: Value,
    /// The training settings: epochs, batch size, optimizer, schedule, seed, ...
    pub fit: FitConfig,
    /// The backend trained on (`ndarray`, `flex`, `wgpu`).
    pub backend: String,
    /// What the backend runs on (adapter, API).
    pub device: String,
}

impl RunRecord {
    /// A record started now by this process's command line, for `fit`; the other
    /// descriptions are `null` until set.
    pub fn new(fit: FitConfig) -> Self {
        RunRecord {
            ember_version: env!("CARGO_PKG_VERSION").into(),
            command: std::env::args().collect::<Vec<_>>().join(" "),
            settings: Value::Null,
            started_at: now_rfc3339(),
            model: Value::Null,
            data: Value::Null,
            split: Value::Null,
            split_sizes: [0; 3],
            classes: Vec::new(),
            pipeline: Value::Null,
            fit,
            backend: String::new(),
            device: String::new(),
        }
    }
}

/// The current UTC time in RFC 3339, e.g. `2026-12-02T03:17:41Z`.
pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The current UTC time as `YYYYMMDD-HHMMSS`, for folder names.
pub(crate) fn now_compact() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
