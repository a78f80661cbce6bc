//! `cargo xtask bench augment`: images per second of a standard augmentation pipeline.

use std::time::Instant;

use ember::augment::{seeded, Pipeline};
use ember::backend::Backend;
use ember::burn::prelude::*;

use crate::cli::{BenchArgs, BenchTarget};

/// Runs the benchmark `args` names and prints its figures.
pub fn run(args: BenchArgs) -> crate::Result<()> {
    match args.target {
        BenchTarget::Augment => augment(&args),
    }
}

/// `count` pseudo-random values in [0, 1), the same on every call (a linear congruential
/// generator): stand-in pixels for benchmarks, which need no real images.
pub fn noise(count: usize) -> Vec<f32> {
    let mut state = 1u64;
    (0..count)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            (state >> 40) as f32 / (1u64 << 24) as f32
        })
        .collect()
}

/// The `cifar` preset (random 32×32 crop of the image padded by 4, horizontal flip, colour
/// jitter, normalisation) on `[batch, 3, 32, 32]` batches: batched on each backend, then the
/// same pipeline applied image by image on the CPU (flex), as a per-sample pipeline would.
fn augment(args: &BenchArgs) -> crate::Result<()> {
    let pipeline = Pipeline::preset("cifar")?;
    let n = args.batch;
    println!(
        "augment: preset `cifar` (random crop 32 pad 4 + horizontal flip + colour jitter + \
         normalize), 32x32 RGB, {} batches of {n} after one warm-up batch",
        args.batches
    );
    let pixels = noise(n * 3 * 32 * 32);
    let batch = |device: &Device, count: usize| {
        let data = TensorData::new(pixels[..count * 3 * 32 * 32].to_vec(), [count, 3, 32, 32]);
        Tensor::<4>::from_data(data, device)
    };
    for backend in args.backends.clone().unwrap_or(Backend::ALL.to_vec()) {
        let device = match backend.device() {
            Ok(device) => device,
            Err(e) => {
                println!("{:>28}  skipped: {e}", format!("{backend}, batched"));
                continue;
            }
        };
        let images = batch(&device, n);
        let mut rng = seeded(0);
        sync(pipeline.apply(images.clone(), &mut rng));
        let start = Instant::now();
        for _ in 0..args.batches {
            sync(pipeline.apply(images.clone(), &mut rng));
        }
        let rate = (n * args.batches) as f64 / start.elapsed().as_secs_f64();
        println!(
            "{:>28}  {rate:>10.0} images/s   ({})",
            format!("{backend}, batched"),
            backend.describe()?
        );
    }
    let device = Backend::Flex.device()?;
    let mut rng = seeded(0);
    let all = batch(&device, n);
    let images: Vec<Tensor<4>> = (0..n).map(|i| all.clone().narrow(0, i, 1)).collect();
    sync(pipeline.apply(images[0].clone(), &mut rng));
    let start = Instant::now();
    for image in &images {
        sync(pipeline.apply(image.clone(), &mut rng));
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    println!("{:>28}  {rate:>10.0} images/s", "flex, image by image");
    Ok(())
}

/// Waits for the device to finish (backends queue work lazily).
fn sync(images: Tensor<4>) {
    let _ = images.sum().into_scalar::<f32>();
}
