//! `--augment` for `train`, and `cargo xtask augment-preview`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ember::augment::{seeded, Compose, Pipeline, Transform};
use ember::burn::data::dataset::Dataset;
use ember::burn::prelude::*;
use ember::data::{CifarDataset, CifarItem, MnistItem, MnistKind, CIFAR_SIDE, MNIST_SIDE};
use ember::train::BatchTransform;

use crate::cli::{PreviewArgs, PreviewDataset};
use crate::run_config::Normalization;

/// The training-batch transform of `--augment SPEC`, with the pipeline's steps to record:
/// batches arrive normalised, so each is mapped back to grey levels in [0, 1] (where fill
/// values and clamps mean what they say), augmented on its device with a generator seeded
/// by `seed`, and normalised again.
///
/// # Errors
/// An unknown preset, an unreadable or invalid file, or a pipeline that does not keep
/// LeNet-5's `[n, 1, 32, 32]` input (checked on a probe batch before training starts).
pub fn training_transform(
    spec: &str,
    norm: Normalization,
    seed: u64,
    device: &Device,
) -> crate::Result<(Compose, BatchTransform<Tensor<4>>)> {
    let pipeline = Pipeline::from_name_or_file(spec)?;
    let side = MNIST_SIDE + 2 * norm.padding;
    let probe = Tensor::<4>::zeros([2, 1, side, side], device);
    let checked = std::panic::catch_unwind(|| pipeline.apply_seeded(probe, seed).dims());
    match checked {
        Ok(dims) if dims == [2, 1, side, side] => {}
        Ok(dims) => {
            return Err(format!(
                "--augment {spec}: the pipeline turns [n, 1, {side}, {side}] grey images into \
                 {dims:?}; LeNet-5 needs them unchanged in size (use `mnist`, or a file \
                 without resize/crop-to-another-size steps)"
            )
            .into())
        }
        Err(_) => {
            return Err(format!(
                "--augment {spec}: the pipeline does not apply to 1-channel {side}x{side} \
                 images (see the message above); for MNIST use `mnist` or a file of \
                 grey-level steps"
            )
            .into())
        }
    }
    let recorded = pipeline.config().clone();
    let rng = Mutex::new(seeded(seed));
    let transform = BatchTransform::new(move |images: Tensor<4>| {
        let grey = images.mul_scalar(norm.std).add_scalar(norm.mean);
        let augmented = match rng.lock() {
            Ok(mut rng) => pipeline.apply(grey, &mut rng),
            Err(poisoned) => pipeline.apply(grey, &mut poisoned.into_inner()),
        };
        augmented.sub_scalar(norm.mean).div_scalar(norm.std)
    });
    Ok((recorded, transform))
}

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
        columns.push(shown.apply_seeded(originals.clone(), args.seed + v as u64));
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
    let n = args.images;
    let (pixels, shape) = match args.dataset {
        PreviewDataset::Mnist | PreviewDataset::FashionMnist => {
            let kind = if args.dataset == PreviewDataset::Mnist {
                MnistKind::Mnist
            } else {
                MnistKind::FashionMnist
            };
            let test = crate::data::load(kind, args.data_dir.clone())?.test;
            let pixels = spread(&test, n, |item: MnistItem| item.image)?;
            (pixels, [n, 1, MNIST_SIDE, MNIST_SIDE])
        }
        PreviewDataset::Cifar10 => {
            let test = cifar_test(args.data_dir.as_deref())?;
            let pixels = spread(&test, n, |item: CifarItem| item.image)?;
            (pixels, [n, 3, CIFAR_SIDE, CIFAR_SIDE])
        }
    };
    let values: Vec<f32> = pixels.iter().map(|&p| p as f32 / 255.0).collect();
    Ok(Tensor::from_data(TensorData::new(values, shape), device))
}

/// The pixels of `n` items taken at equal steps through `data` (its class-sorted or mixed
/// order then shows several classes), one after the other.
fn spread<T>(
    data: &impl Dataset<T>,
    n: usize,
    pixels: impl Fn(T) -> Vec<u8>,
) -> crate::Result<Vec<u8>> {
    let step = data.len() / n.max(1);
    let mut out = Vec::new();
    for i in 0..n {
        out.extend(pixels(data.get(i * step)?));
    }
    Ok(out)
}

/// CIFAR-10's test split from `--data-dir` (the JPEG `.tar.gz`, or a folder holding it or
/// the binary `test_batch.bin`), else `../shared/data/cifar10-jpg.tar.gz`.
fn cifar_test(dir: Option<&Path>) -> crate::Result<CifarDataset> {
    let path = dir.map(Path::to_path_buf).unwrap_or_else(|| {
        PathBuf::from("..")
            .join("shared")
            .join("data")
            .join("cifar10-jpg.tar.gz")
    });
    let archive = if path.is_dir() {
        path.join("cifar10-jpg.tar.gz")
    } else {
        path.clone()
    };
    if archive.is_file() {
        return Ok(CifarDataset::from_jpg_archive(&archive, "test", None)?);
    }
    let binary = path.join("test_batch.bin");
    if binary.is_file() {
        return Ok(CifarDataset::from_binary_batches(&[&binary])?);
    }
    Err(format!(
        "CIFAR-10 not found at {}: pass --data-dir with the JPEG archive \
         (cifar10-jpg.tar.gz) or the folder of the official binary batches (test_batch.bin, \
         from cifar-10-binary.tar.gz)",
        path.display()
    )
    .into())
}
