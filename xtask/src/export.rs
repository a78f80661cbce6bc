//! `cargo xtask export RUN_DIR --format safetensors`: a run's AlexNet as a PyTorch
//! state_dict.

use ember::backend::Backend;
use ember::train::{files, RunDir, RunRecord};

use crate::alexnet;
use crate::cli::ExportArgs;

/// Rebuilds the run's network, loads its weights and writes them under torchvision's names.
pub fn run(args: ExportArgs) -> crate::Result<()> {
    let run = RunDir::open(&args.run_dir)?;
    let record: RunRecord = run.read_json(files::CONFIG)?;
    if record.model["name"] != "alexnet" {
        return Err(format!(
            "export writes AlexNet runs; {} holds a `{}` run",
            run.path().display(),
            record.model["name"].as_str().unwrap_or("unknown")
        )
        .into());
    }
    let recipe = alexnet::Recipe::from_record(&record)?;
    let device = Backend::Flex
        .device()
        .or_else(|_| Backend::Ndarray.device())?;
    let model = run.load_model(recipe.init(&device)?)?;
    let out = args.out.unwrap_or_else(|| run.file("model.safetensors"));
    model.save_pytorch_safetensors(&out)?;
    println!(
        "wrote {} ({} format, torchvision names: features.0 … features.10, classifier.1/4/6; \
         load it in PyTorch with model.load_state_dict(safetensors.torch.load_file(path)))",
        out.display(),
        args.format
    );
    Ok(())
}
