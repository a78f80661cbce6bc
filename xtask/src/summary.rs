//! `cargo xtask summary`.

use ember::backend::Backend;
use ember::layers::thousands;
use ember::models::{
    AlexNetConfig, AlexNetVariant, LeNet5Config, LeNetVariant, LstmClassifierConfig,
};

use crate::cli::{ModelName, SummaryArgs};

/// Prints the layer table of the model (built on a CPU backend: no GPU needed).
pub fn run(args: SummaryArgs) -> crate::Result<()> {
    let device = Backend::Flex
        .device()
        .or_else(|_| Backend::Ndarray.device())?;
    let variant = args
        .variant
        .as_deref()
        .unwrap_or(args.model.default_variant());
    match args.model {
        ModelName::Lenet => {
            let variant: LeNetVariant = variant.parse()?;
            let model = LeNet5Config::new().with_variant(variant).init(&device);
            println!("{}", model.summary());
        }
        ModelName::Lstm => {
            let model = LstmClassifierConfig::new(args.vocab_size)
                .with_num_classes(args.classes.unwrap_or(2))
                .init(&device)?;
            println!("{}", model.summary_text(args.seq_len));
        }
        ModelName::Alexnet => {
            let variant: AlexNetVariant = variant.parse()?;
            let config = AlexNetConfig::new()
                .with_variant(variant)
                .with_num_classes(args.classes.unwrap_or(1000))
                .with_groups(args.groups)
                .with_input_side(args.image_size);
            let summary = config.init(&device)?.summary();
            println!("{summary}");
            if variant == AlexNetVariant::Paper {
                let other = if args.groups == 2 { 1 } else { 2 };
                let alternative = config.clone().with_groups(other).init(&device)?.summary();
                println!(
                    "\nWith groups = {other} instead: {} parameters, {} MACs per image.",
                    thousands(alternative.total_params()),
                    thousands(alternative.total_macs())
                );
                println!(
                    "The paper's \"60 million parameters\" is the two-GPU network (groups = 2: \
                     conv2, conv4 and conv5 see half the maps below them); with full \
                     connectivity conv2, conv4 and conv5 have twice their weights."
                );
            }
        }
    }
    Ok(())
}
