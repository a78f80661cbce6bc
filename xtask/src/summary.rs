//! `cargo xtask summary`.

use ember::backend::Backend;
use ember::models::LeNet5Config;

use crate::cli::{ModelName, SummaryArgs};

/// Prints the layer table of the model (built on a CPU backend: no GPU needed).
pub fn run(args: SummaryArgs) -> crate::Result<()> {
    let device = Backend::Flex
        .device()
        .or_else(|_| Backend::Ndarray.device())?;
    match args.model {
        ModelName::Lenet => {
            let model = LeNet5Config::new().with_variant(args.variant).init(&device);
            println!("{}", model.summary());
        }
    }
    Ok(())
}
