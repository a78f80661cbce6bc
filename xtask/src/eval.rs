//! `cargo xtask eval`.

use ember::train::{evaluate, files, Evaluation, RunDir};

use crate::cli::EvalArgs;
use crate::run_config::RunConfig;

/// Rebuilds the run's model, loads its weights and scores it on the test split.
pub fn run(args: EvalArgs) -> crate::Result<()> {
    let run = RunDir::open(&args.run_dir)?;
    let config: RunConfig = run.read_json(files::CONFIG)?;
    println!(
        "run: {} (LeNet-5 {}, {}, trained on {})",
        run.path().display(),
        config.variant,
        config.dataset,
        config.backend
    );
    let (_, device, _) = crate::train::pick_backend(Some(args.backend.unwrap_or(config.backend)))?;
    let model = run.load_model(config.model_config().init(&device))?;
    let data = crate::data::load(config.dataset, args.data_dir)?;
    if data.origin != config.data_origin {
        println!(
            "note: the run was trained on data from {}",
            config.data_origin
        );
    }
    let test = evaluate(
        &model,
        config.normalization.batcher(),
        data.test,
        512,
        &device,
    )?;
    println!(
        "test: loss {:.4}  accuracy {:.2}% ({}/{})",
        test.loss, test.accuracy, test.correct, test.items
    );
    if let Ok(recorded) = run.read_json::<Evaluation>(files::TEST) {
        println!(
            "recorded at the end of training: loss {:.4}  accuracy {:.2}%",
            recorded.loss, recorded.accuracy
        );
    }
    Ok(())
}
