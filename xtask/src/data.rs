//! `cargo xtask data`: obtain and verify a dataset, print its splits and class counts.

use ember::burn::data::dataset::Dataset;
use ember::data::MnistSource;

use crate::cli::DataArgs;

/// Obtains and verifies a dataset, then prints its splits and class counts.
pub fn run(args: DataArgs) -> crate::Result<()> {
    let data = MnistSource::new(args.dataset)
        .with_data_dir(args.data_dir)
        .load()?;
    println!("data: {} from {}", args.dataset, data.origin);
    for (split, ds) in [("train", &data.train), ("test", &data.test)] {
        println!("{split}: {} images", ds.len());
        let line: Vec<String> = ds
            .class_names()
            .iter()
            .zip(ds.class_counts())
            .map(|(n, c)| format!("{n}: {c}"))
            .collect();
        println!("  {}", line.join(", "));
    }
    Ok(())
}
