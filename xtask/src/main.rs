//! `cargo xtask`: Ember's command line.
//!
//! - `cargo xtask train lenet [options]`: train LeNet-5 on MNIST or Fashion-MNIST and write
//!   a run folder;
//! - `cargo xtask train alexnet [--variant small|paper|torchvision] [--dataset cifar10|mnist|
//!   fashion-mnist|folder:PATH]`: the same for AlexNet;
//! - `cargo xtask eval RUN_DIR`: re-evaluate a saved run on its test split;
//! - `cargo xtask predict RUN_DIR --image FILE|DIR [--invert] [--json]`: top-5 classes;
//! - `cargo xtask export RUN_DIR --format safetensors`: AlexNet weights under PyTorch's names;
//! - `cargo xtask summary lenet|alexnet|lstm [--variant V]`: the layer table;
//! - `cargo xtask data mnist|fashion-mnist`: obtain and verify a dataset;
//! - `cargo xtask augment-preview --dataset mnist|fashion-mnist|cifar10 --pipeline P --out
//!   grid.png`: originals and augmented variants side by side;
//! - `cargo xtask bench augment`: images/s of the `cifar` augmentation preset per backend;
//! - `cargo xtask compare-backends`: LeNet-5's forward and training-step speed and numeric
//!   parity on every backend;
//! - `cargo xtask train MODEL --config FILE`: settings from a TOML file or a run's
//!   config.json (which repeats the run), under the flags given;
//! - `cargo xtask search MODEL --grid SPEC | --random N --space SPEC`: a hyper-parameter
//!   search (`search plan`, `search run-trial PLAN K`, `search report DIR` in steps);
//! - `cargo xtask cross-validate MODEL --folds K`: k-fold cross-validation;
//! - `cargo xtask lr-find MODEL [--start-lr A --end-lr B --steps N]`: the learning-rate
//!   range test, with `train`'s model and data flags (lr-find.csv, lr-find.png, the
//!   suggested learning rate).
//! - `cargo xtask visualize RUN_DIR [--filters] [--feature-maps --image FILE] [--gradients
//!   --steps N] [--out DIR]`: a run's convolution filters, its feature maps for one image, and
//!   the gradient norm of every weight over its first training steps.

mod alexnet;
mod augment;
mod bench;
mod cli;
mod compare;
mod config;
mod data;
mod eval;
mod export;
mod grid;
mod job;
mod lenet;
mod lr_find;
mod lstm;
mod predict;
mod search;
mod summary;
mod train;
mod visualize;

/// What a command returns: any error is printed as `error: …` and the exit code is 1.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The value a run's `config.json` holds at `value` (named `what` in the error), as a `T`:
/// how every recipe rebuilds itself from a record.
pub fn recorded<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    what: &str,
) -> Result<T> {
    if value.is_null() {
        return Err(
            format!("config.json has no {what}; was it written by `cargo xtask train`?").into(),
        );
    }
    Ok(serde_json::from_value(value.clone())?)
}

/// The run's recorded normalisation (`pipeline.normalize` of its `config.json`), checked: a
/// zero or non-finite value is refused as an edited file rather than turned into NaN.
pub fn recorded_normalize(record: &ember::train::RunRecord) -> Result<ember::augment::Normalize> {
    let normalize: ember::augment::Normalize =
        recorded(&record.pipeline["normalize"], "pipeline.normalize")?;
    normalize
        .validate()
        .map_err(|e| format!("config.json: pipeline.normalize: {e}; was the file edited?"))?;
    Ok(normalize)
}

fn main() {
    quiet_headless_vulkan();
    let args = config::parse(std::env::args_os().collect()).unwrap_or_else(|e| e.exit());
    if args.offline {
        // Before any thread starts; every network access in Ember checks it.
        std::env::set_var(ember::data::OFFLINE_VAR, "1");
    }
    let outcome = match args.command {
        cli::Command::Train(a) => train::run(a),
        cli::Command::Eval(a) => eval::run(a),
        cli::Command::Predict(a) => predict::run(a),
        cli::Command::Export(a) => export::run(a),
        cli::Command::Summary(a) => summary::run(a),
        cli::Command::Data(a) => data::run(a),
        cli::Command::AugmentPreview(a) => augment::preview(a),
        cli::Command::Bench(a) => bench::run(a),
        cli::Command::CompareBackends(a) => compare::run(a),
        cli::Command::Search(a) => search::run(a),
        cli::Command::CrossValidate(a) => search::cross_validate(a),
        cli::Command::CompareRuns(a) => compare_runs(a),
        cli::Command::LrFind(a) => lr_find::run(a),
        cli::Command::Visualize(a) => visualize::run(a),
    };
    if let Err(e) = outcome {
        eprintln!("error: {e}");
        // As a shell reports a process a Ctrl-C ended.
        let interrupted = matches!(
            e.downcast_ref::<ember::train::TrainError>(),
            Some(ember::train::TrainError::Interrupted { .. })
        );
        std::process::exit(if interrupted { 130 } else { 1 });
    }
}

/// On a headless Linux machine, probing Vulkan makes libwayland print "error:
/// XDG_RUNTIME_DIR is invalid or not set", which reads like a failure. Pointing the
/// variable at the temporary folder (before any thread starts) silences it; nothing is
/// written there.
fn quiet_headless_vulkan() {
    if cfg!(target_os = "linux") && std::env::var_os("XDG_RUNTIME_DIR").is_none() {
        std::env::set_var("XDG_RUNTIME_DIR", std::env::temp_dir());
    }
}

/// Runs `compare-runs`: the table on stdout, the curves in `--out`.
fn compare_runs(args: cli::CompareRunsArgs) -> Result<()> {
    let runs = ember::train::RunComparison::load(&args.runs)?;
    print!("{}", runs.markdown());
    runs.plot(&args.out)?;
    println!("wrote {}", args.out.display());
    Ok(())
}
