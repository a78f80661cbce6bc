//! `cargo xtask eval`.

use ember::backend::{Backend, Picked};
use ember::data::{MnistSource, TextLoadOptions};
use ember::train::{evaluate, files, Evaluation, RunDir, RunRecord};

use crate::cli::EvalArgs;
use crate::{alexnet, lenet, lstm, train};

/// The backend to use for a saved run: `asked`, or the one it was trained on.
pub fn backend(asked: Option<Backend>, record: &RunRecord) -> crate::Result<Picked> {
    let asked = match asked {
        Some(backend) => backend,
        None => record.backend.parse::<Backend>()?,
    };
    let picked = Backend::pick(Some(asked))?;
    println!("backend: {picked}");
    if let Some(warning) = picked.warning() {
        eprintln!("warning: {warning}");
    }
    Ok(picked)
}

/// Rebuilds the run's model from its `config.json`, loads its weights and scores it on the
/// test split, with the same batches as the run's own test.
pub fn run(args: EvalArgs) -> crate::Result<()> {
    let run = RunDir::open(&args.run_dir)?;
    let record: RunRecord = run.read_json(files::CONFIG)?;
    let name = record.model["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let test = match name.as_str() {
        "lenet5" => {
            let recipe = lenet::Recipe::from_record(&record)?;
            println!(
                "run: {} (LeNet-5 {}, {}, trained on {})",
                run.path().display(),
                recipe.model.variant,
                recipe.dataset,
                record.backend
            );
            let picked = backend(args.backend, &record)?;
            let model = run.load_model(recipe.init(&picked.device))?;
            let data = MnistSource::new(recipe.dataset)
                .with_data_dir(args.data_dir)
                .load()?;
            println!("data: {} from {}", recipe.dataset, data.origin);
            note_origin(&serde_json::to_value(&data.origin)?, &record);
            evaluate(
                &model,
                recipe.eval_batcher()?,
                data.test,
                &record.classes,
                512,
                &picked.device,
            )?
        }
        "alexnet" => {
            let recipe = alexnet::Recipe::from_record(&record)?;
            println!(
                "run: {} (AlexNet {}, {}, trained on {})",
                run.path().display(),
                recipe.model.variant,
                recipe.dataset,
                record.backend
            );
            let picked = backend(args.backend, &record)?;
            let model = run.load_model(recipe.init(&picked.device)?)?;
            let images = train::load_images(&recipe.dataset, args.data_dir)?;
            println!("data: {} from {}", images.name, images.origin);
            note_origin(&images.origin, &record);
            evaluate(
                &model,
                recipe.eval_batcher()?,
                images.test,
                &record.classes,
                256,
                &picked.device,
            )?
        }
        "lstm" => {
            let recipe = lstm::Recipe::from_record(&record)?;
            println!(
                "run: {} (LSTM, {}, trained on {})",
                run.path().display(),
                recipe.dataset,
                record.backend
            );
            let picked = backend(args.backend, &record)?;
            let model = run.load_model(recipe.model.init(&picked.device)?)?;
            let fraction = |key: &str| {
                record.split[key]
                    .as_f64()
                    .ok_or(format!("config.json has no split.{key}"))
            };
            let seed = record.split["seed"]
                .as_u64()
                .ok_or("config.json has no split.seed")?;
            let options = TextLoadOptions {
                data_dir: args.data_dir.or(TextLoadOptions::default().data_dir),
                text_column: record.data["text_column"]
                    .as_str()
                    .unwrap_or("text")
                    .to_string(),
                label_column: record.data["label_column"]
                    .as_str()
                    .unwrap_or("label")
                    .to_string(),
                ..TextLoadOptions::default()
            };
            let folds = record.split["folds"]
                .as_u64()
                .zip(record.split["fold"].as_u64());
            let validation = lstm::Validation {
                fraction: if folds.is_some() {
                    0.0
                } else {
                    fraction("valid_fraction")?
                },
                folds: folds.map(|(k, fold)| (k as usize, fold as usize)),
            };
            let splits = lstm::load_splits(
                &recipe.dataset,
                &options,
                validation,
                fraction("test_fraction")?,
                seed,
            )?;
            println!("data: {} from {}", recipe.dataset, splits.origin);
            note_origin(&splits.origin, &record);
            evaluate(
                &model,
                recipe.batcher(&run)?,
                splits.test,
                &record.classes,
                256,
                &picked.device,
            )?
        }
        other => {
            return Err(format!(
                "config.json names the model `{other}`, which `eval` does not know (lenet5, \
                 alexnet, lstm); was it written by `cargo xtask train`?"
            )
            .into())
        }
    };
    println!(
        "test: loss {:.4}  accuracy {:.2}% ({}/{})",
        test.loss, test.accuracy, test.correct, test.items
    );
    print!("{}", test.report);
    if let Ok(recorded) = run.read_json::<Evaluation>(files::TEST) {
        println!(
            "recorded at the end of training: loss {:.4}  accuracy {:.2}%",
            recorded.loss, recorded.accuracy
        );
    }
    Ok(())
}

fn note_origin(origin: &serde_json::Value, record: &RunRecord) {
    if *origin != record.data["origin"] {
        println!(
            "note: the run was trained on data from {}",
            record.data["origin"]
        );
    }
}
