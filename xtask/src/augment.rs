//! `cargo xtask augment-preview`.

use ember::augment::{Compose, Pipeline, Transform};
use ember::burn::data::dataset::Dataset;
use ember::burn::prelude::*;
use ember::data::{CifarSource, CifarSplit, ImageDataset, MnistKind, MnistSource};

use crate::cli::{PreviewArgs, PreviewDataset};

/// Writes the preview grid: one row per image, the original first, then `variants`
/// augmented copies, each with its own seed.
pub fn preview(args: PreviewArgs) -> crate::Result<()> {
    let pipeline = Pipeline::from_name_or_file(&args.pipeline)?;
    let device = Device::flex();
    let originals = preview_images(&args, &device)?;
    let (shown, dropped) = without_trailing_normalize(pipeline.config());
    if dropped {
        println!("note: the final `normalize` step is not applied, so colours stay viewable");
    }
    let shown = Pipeline::new(shown)?;
    let mut columns = vec![originals.clone()];
    for v in 0..args.variants {
        columns.push(shown.apply_seeded(originals.clone(), args.seed.wrapping_add(v as u64)));
    }
    crate::grid::write_png(&args.out, &columns)?;
    println!(
        "wrote {}: {} images x (original + {} variants) of `{}`",
        args.out.display(),
        args.images,
        args.variants,
        args.pipeline
    );
    Ok(())
}

/// Drops a last `normalize` step (its output is not an image one can look at).
fn without_trailing_normalize(config: &Compose) -> (Compose, bool) {
    let mut config = config.clone();
    let dropped = matches!(config.transforms.last(), Some(Transform::Normalize(_)));
    if dropped {
        config.transforms.pop();
    }
    (config, dropped)
}

/// `args.images` test images in [0, 1], `[n, c, h, w]`, spread over the classes.
fn preview_images(args: &PreviewArgs, device: &Device) -> crate::Result<Tensor<4>> {
    let test = match args.dataset {
        PreviewDataset::Mnist | PreviewDataset::FashionMnist => {
            let kind = if args.dataset == PreviewDataset::Mnist {
                MnistKind::Mnist
            } else {
                MnistKind::FashionMnist
            };
            let data = MnistSource::new(kind)
                .with_data_dir(args.data_dir.clone())
                .load()?;
            println!("data: {kind} from {}", data.origin);
            data.test
        }
        PreviewDataset::Cifar10 => CifarSource::new()
            .with_data_dir(args.data_dir.clone())
            .load_split(CifarSplit::Test)?,
    };
    let n = args.images;
    let [c, h, w] = test.shape();
    let values: Vec<f32> = spread(&test, n)?
        .iter()
        .map(|&p| p as f32 / 255.0)
        .collect();
    Ok(Tensor::from_data(
        TensorData::new(values, [n, c, h, w]),
        device,
    ))
}

/// The pixels of `n` images taken at equal steps through `data` (its class-sorted or mixed
/// order then shows several classes), one after the other.
fn spread(data: &ImageDataset, n: usize) -> crate::Result<Vec<u8>> {
    let step = data.len() / n.max(1);
    let mut out = Vec::new();
    for i in 0..n {
        out.extend(data.get(i * step)?.image);
    }
    Ok(out)
}
