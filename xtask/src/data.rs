//! `cargo xtask data`, and loading a dataset for the other commands.

use std::path::PathBuf;

use ember::burn::data::dataset::Dataset;
use ember::data::{MnistData, MnistKind, MnistSource};
use ember::models::LeNet5;

use crate::cli::DataArgs;
use crate::run_config::Normalization;

/// Obtains `kind` (from `dir` when given) and says where it came from.
pub fn load(kind: MnistKind, dir: Option<PathBuf>) -> crate::Result<MnistData> {
    let data = MnistSource::new(kind).with_data_dir(dir).load()?;
    println!("data: {} from {}", kind, data.origin);
    Ok(data)
}

/// The normalisation for `kind` with LeNet-5's 32×32 field.
pub fn lenet_normalization(kind: MnistKind) -> Normalization {
    let (mean, std) = kind.mean_std();
    Normalization {
        mean,
        std,
        padding: (LeNet5::INPUT_SIDE - ember::data::MNIST_SIDE) / 2,
    }
}

/// Obtains and verifies a dataset, then prints its splits and class counts.
pub fn run(args: DataArgs) -> crate::Result<()> {
    let data = load(args.dataset, args.data_dir)?;
    let names = args.dataset.class_names();
    for (split, ds) in [("train", &data.train), ("test", &data.test)] {
        println!("{split}: {} images", ds.len());
        let counts = ds.class_counts();
        let line: Vec<String> = names
            .iter()
            .zip(counts)
            .map(|(n, c)| format!("{n}: {c}"))
            .collect();
        println!("  {}", line.join(", "));
    }
    Ok(())
}
