//! `cargo xtask eval`.

use ember::backend::Backend;
use ember::data::MnistSource;
use ember::train::{evaluate, files, Evaluation, RunDir, RunRecord};

use crate::cli::EvalArgs;
use crate::lenet::Recipe;

/// Rebuilds the run's model from its `config.json`, loads its weights and scores it on the
/// test split, with the same batches as the run's own test.
pub fn run(args: EvalArgs) -> crate::Result<()> {
    let run = RunDir::open(&args.run_dir)?;
    let record: RunRecord = run.read_json(files::CONFIG)?;
    let recipe = Recipe::from_record(&record)?;
    println!(
        "run: {} (LeNet-5 {}, {}, trained on {})",
        run.path().display(),
        recipe.model.variant,
        recipe.dataset,
        record.backend
    );
    let asked = match args.backend {
        Some(backend) => backend,
        None => record.backend.parse::<Backend>()?,
    };
    let picked = Backend::pick(Some(asked))?;
    println!("backend: {picked}");
    let model = run.load_model(recipe.init(&picked.device))?;
    let data = MnistSource::new(recipe.dataset)
        .with_data_dir(args.data_dir)
        .load()?;
    println!("data: {} from {}", recipe.dataset, data.origin);
    if serde_json::to_value(&data.origin)? != record.data["origin"] {
        println!(
            "note: the run was trained on data from {}",
            record.data["origin"]
        );
    }
    let test = evaluate(
        &model,
        recipe.eval_batcher()?,
        data.test,
        &record.classes,
        512,
        &picked.device,
    )?;
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
