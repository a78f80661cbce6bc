//! `cargo xtask train`: backend → data → split → pipeline → model → run, each part from a
//! library crate.

use ember::augment::Pipeline;
use ember::backend::Backend;
use ember::burn::data::dataset::transform::PartialDataset;
use ember::burn::data::dataset::Dataset;
use ember::data::{train_valid_split, MnistSource};
use ember::train::{FitConfig, RunData, RunDir, RunRecord, Training};
use serde_json::json;

use crate::cli::{ModelName, TrainArgs};
use crate::lenet::Recipe;

/// The training settings the flags give.
fn fit_config(args: &TrainArgs) -> FitConfig {
    FitConfig::new()
        .with_epochs(args.epochs)
        .with_batch_size(args.batch_size)
        .with_lr(args.lr)
        .with_schedule(args.schedule)
        .with_optimizer(args.optimizer)
        .with_weight_decay(args.weight_decay)
        .with_seed(args.seed)
        .with_checkpoints(!args.no_checkpoints)
        .with_early_stopping(args.early_stopping)
}

/// Trains, tests and writes the run folder.
pub fn run(args: TrainArgs) -> crate::Result<()> {
    let ModelName::Lenet = args.model;
    let kind = args.data.dataset;
    // Before the data is fetched, which may take minutes.
    if !(args.valid_fraction > 0.0 && args.valid_fraction < 1.0) {
        return Err(format!("--valid-fraction {} must be in (0, 1)", args.valid_fraction).into());
    }
    println!("Ember: training LeNet-5 ({}) on {kind}", args.variant);
    let picked = Backend::pick(args.backend)?;
    println!("backend: {picked}");
    let data = MnistSource::new(kind)
        .with_data_dir(args.data.data_dir.clone())
        .load()?;
    println!("data: {kind} from {}", data.origin);

    let (train, valid) = train_valid_split(data.train.clone(), args.valid_fraction, args.seed);
    // The split is already shuffled by the seed: its first images are a random subset.
    let keep = args.train_size.unwrap_or(usize::MAX).min(train.len());
    let train = PartialDataset::new(train, 0, keep);
    println!(
        "splits: {} train / {} valid (seed {}) / {} test",
        train.len(),
        valid.len(),
        args.seed,
        data.test.len()
    );

    let classes = data.train.class_names().to_vec();
    let recipe = Recipe::new(args.variant, kind, classes.len())?;
    let augment = match &args.augment {
        Some(spec) => Pipeline::from_name_or_file(spec)?,
        None => Pipeline::preset("none")?,
    };
    let train_batcher = recipe.train_batcher(
        augment.clone(),
        args.augment.as_deref().unwrap_or("none"),
        args.seed,
    )?;
    if let Some(spec) = &args.augment {
        println!(
            "augment: `{spec}` on training batches: {}",
            serde_json::to_string(augment.config())?
        );
    }
    let run_data = RunData::new(
        train,
        valid,
        data.test.clone(),
        recipe.eval_batcher()?,
        classes,
    )
    .with_train_batcher(train_batcher);

    let fit = fit_config(&args);
    let mut record = RunRecord::new(fit.clone());
    recipe.describe(&mut record, args.augment.as_ref().map(|_| &augment));
    record.data["origin"] = json!(data.origin);
    record.split = json!({
        "valid_fraction": args.valid_fraction,
        "seed": args.seed,
        "train_size": args.train_size,
    });
    record.backend = picked.backend.to_string();
    record.device = picked.description.clone();

    picked.device.seed(args.seed);
    let model = recipe.init(&picked.device);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| RunDir::default_path(&format!("lenet5-{}-{kind}", args.variant)));
    Training::new(fit).run(model, run_data, record, out)?;
    Ok(())
}
