//! `cargo xtask train`.

use std::path::PathBuf;

use ember::backend::Backend;
use ember::burn::data::dataset::transform::PartialDataset;
use ember::burn::data::dataset::Dataset;
use ember::burn::prelude::Device;
use ember::data::{train_valid_split, MnistData};
use ember::train::{evaluate, files, plot_curves, FitConfig, RunDir, Training};

use crate::cli::{ModelName, TrainArgs};
use crate::run_config::RunConfig;

/// The backend asked for, or the fastest that works here; its device and description.
pub fn pick_backend(asked: Option<Backend>) -> crate::Result<(Backend, Device, String)> {
    let backend = asked.unwrap_or_else(Backend::fastest_available);
    let device = backend.device()?;
    let description = backend.describe()?;
    let how = if asked.is_some() {
        "asked for"
    } else {
        "fastest available here"
    };
    println!("backend: {description} ({how})");
    Ok((backend, device, description))
}

fn default_run_dir(args: &TrainArgs) -> PathBuf {
    let t = time::OffsetDateTime::now_utc();
    PathBuf::from("runs").join(format!(
        "lenet5-{}-{}-{:04}{:02}{:02}-{:02}{:02}{:02}",
        args.variant,
        args.data.dataset,
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

fn fit_config(args: &TrainArgs) -> FitConfig {
    FitConfig {
        epochs: args.epochs,
        batch_size: args.batch_size,
        lr: args.lr,
        schedule: args.schedule,
        optimizer: args.optimizer,
        weight_decay: args.weight_decay,
        seed: args.seed,
        checkpoints: !args.no_checkpoints,
        early_stopping: args.early_stopping,
    }
}

fn run_config(
    args: &TrainArgs,
    backend: Backend,
    device: String,
    data: &MnistData,
    sizes: [usize; 3],
) -> RunConfig {
    RunConfig {
        ember_version: env!("CARGO_PKG_VERSION").into(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
        started_at: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        model: "lenet5".into(),
        variant: args.variant,
        num_classes: 10,
        dataset: args.data.dataset,
        data_origin: data.origin.clone(),
        split_sizes: sizes,
        valid_fraction: args.valid_fraction,
        seed: args.seed,
        backend,
        device,
        normalization: crate::data::lenet_normalization(args.data.dataset),
        fit: fit_config(args),
        augment: None,
    }
}

/// Trains, evaluates on the test split and writes the run folder.
pub fn run(args: TrainArgs) -> crate::Result<()> {
    let ModelName::Lenet = args.model;
    if args.train_size == Some(0) {
        return Err("--train-size must be at least 1".into());
    }
    if !(0.0..1.0).contains(&args.valid_fraction) {
        return Err(format!("--valid-fraction {} must be in [0, 1)", args.valid_fraction).into());
    }
    fit_config(&args).validate()?;
    println!(
        "Ember: training LeNet-5 ({}) on {}",
        args.variant, args.data.dataset
    );
    let (backend, device, description) = pick_backend(args.backend)?;
    let data = crate::data::load(args.data.dataset, args.data.data_dir.clone())?;
    let (train, valid) = train_valid_split(data.train.clone(), args.valid_fraction, args.seed);
    // The split is already shuffled by the seed: its first images are a random subset.
    let keep = args.train_size.unwrap_or(usize::MAX).min(train.len());
    let train = PartialDataset::new(train, 0, keep);
    let sizes = [train.len(), valid.len(), data.test.len()];
    println!(
        "splits: {} train / {} valid (seed {}) / {} test",
        sizes[0], sizes[1], args.seed, sizes[2]
    );
    // A schedule that does not fit the run (a warm-up longer than it) fails here, before a
    // run folder is created.
    let per_epoch = sizes[0].div_ceil(args.batch_size);
    args.schedule
        .build(args.lr, per_epoch, per_epoch * args.epochs)
        .map_err(|e| format!("--schedule {}: {e}", args.schedule.name()))?;
    let mut config = run_config(&args, backend, description, &data, sizes);
    let mut training = Training::new(config.fit.clone());
    if let Some(spec) = &args.augment {
        let (steps, transform) =
            crate::augment::training_transform(spec, config.normalization, args.seed, &device)?;
        println!(
            "augment: `{spec}` on training batches: {}",
            serde_json::to_string(&steps)?
        );
        config.augment = Some(steps);
        training = training.augment(transform);
    }
    let run = RunDir::create(args.out.clone().unwrap_or_else(|| default_run_dir(&args)))?;
    println!("run folder: {}", run.path().display());
    run.write_json(files::CONFIG, &config)?;

    device.seed(args.seed);
    let model = config.model_config().init(&device);
    let summary = model.summary();
    run.write(files::SUMMARY, format!("{summary}\n").as_bytes())?;
    println!("{summary}");
    let batcher = config.normalization.batcher();
    let fitted = training.fit(model, batcher, train, valid, &run.file(files::ARTIFACTS))?;
    run.save_model(&fitted.model)?;
    run.write_metrics(&fitted.epochs)?;
    plot_curves(&run.file(files::CURVES), &fitted.epochs)?;

    let test = evaluate(&fitted.model, batcher, data.test, 512, &device)?;
    run.write_json(files::TEST, &test)?;
    let seconds: f64 = fitted.epochs.iter().map(|e| e.seconds).sum();
    println!(
        "test: loss {:.4}  accuracy {:.2}% ({}/{})  [{} epoch{} in {:.0} s on {}]",
        test.loss,
        test.accuracy,
        test.correct,
        test.items,
        fitted.epochs.len(),
        if fitted.epochs.len() == 1 { "" } else { "s" },
        seconds,
        backend
    );
    println!(
        "wrote {}: {}, {}, {}, {}, {}, {}",
        run.path().display(),
        files::CONFIG,
        files::METRICS,
        files::CURVES,
        files::SUMMARY,
        files::MODEL,
        files::TEST
    );
    Ok(())
}
