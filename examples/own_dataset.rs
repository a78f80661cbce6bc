//! Your own model on your own data, through the same run as `cargo xtask train`: this file
//! draws a small in-memory dataset (16x16 grey images of a horizontal bar, a vertical bar
//! or a cross, at random places, with noise), defines a small convolutional network of its
//! own, augments its training batches (random shifts), normalises every split, and hands
//! everything to `ember_train::Training::run`, which trains, tests and writes the run
//! folder: config.json, metrics.csv, curves.png, summary.txt, model.bpk, test.json,
//! confusion.csv, confusion.png.
//!
//! Run: `cargo run --example own_dataset` (writes `runs/own-dataset-<time>/`; a folder
//! given as the first argument instead).

use ember::augment::{AugmentBatcher, Normalize, NormalizeBatcher, Pipeline};
use ember::backend::Backend;
use ember::burn::nn::conv::{Conv2d, Conv2dConfig};
use ember::burn::nn::{Linear, LinearConfig};
use ember::burn::prelude::*;
use ember::burn::tensor::activation::relu;
use ember::data::{train_valid_split, ImageBatcher, ImageDataset};
use ember::train::{Classifier, FitConfig, RunData, RunDir, RunRecord, Training};

const SIDE: usize = 16;
const CLASSES: [&str; 3] = ["horizontal", "vertical", "cross"];

/// `n` images of the three shapes, labels in turn, drawn from a seeded generator.
fn shapes(n: usize, seed: u64) -> ImageDataset {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let (mut images, mut labels) = (Vec::new(), Vec::new());
    for i in 0..n {
        let label = i % 3;
        let (row, col) = (3 + next(SIDE - 6), 3 + next(SIDE - 6));
        let mut image: Vec<u8> = (0..SIDE * SIDE).map(|_| next(60) as u8).collect();
        for k in 2..SIDE - 2 {
            if label != 1 {
                image[row * SIDE + k] = 255; // a horizontal stroke
            }
            if label != 0 {
                image[k * SIDE + col] = 255; // a vertical stroke
            }
        }
        images.extend(image);
        labels.push(label);
    }
    let names = CLASSES.iter().map(|s| s.to_string()).collect();
    ImageDataset::new(
        images,
        labels,
        [1, SIDE, SIDE],
        names,
        "generated shapes".as_ref(),
    )
    .expect("consistent sizes")
}

/// conv 3x3 (8) → ReLU → conv 3x3 stride 2 (16) → ReLU → dense 3.
#[derive(Module, Debug)]
struct SmallNet {
    conv1: Conv2d,
    conv2: Conv2d,
    head: Linear,
}

impl SmallNet {
    fn new(device: &Device) -> Self {
        SmallNet {
            conv1: Conv2dConfig::new([1, 8], [3, 3]).init(device),
            conv2: Conv2dConfig::new([8, 16], [3, 3])
                .with_stride([2, 2])
                .init(device),
            head: LinearConfig::new(16 * 6 * 6, CLASSES.len()).init(device),
        }
    }
}

impl Classifier for SmallNet {
    type Input = Tensor<4>;

    fn logits(&self, images: Tensor<4>) -> Tensor<2> {
        let x = relu(self.conv2.forward(relu(self.conv1.forward(images))));
        self.head.forward(x.flatten::<2>(1, 3))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let picked = Backend::pick(None)?;
    println!("backend: {picked}");
    let (train, valid) = train_valid_split(shapes(1_200, 1), 0.2, 1);
    let test = shapes(300, 2);

    // Raw grey levels in [0, 1] → (training only) shifts of up to 2 pixels → normalised.
    let pixels = ImageBatcher::new([1, SIDE, SIDE]);
    let shift = Pipeline::from_json(
        r#"{"transforms": [{"type": "translation", "x": [-2, 2], "y": [-2, 2], "pixels": true}]}"#,
    )?;
    let normalize = Normalize::new(vec![0.2], vec![0.3])?;
    let eval = NormalizeBatcher::new(pixels, normalize.clone())?;
    let augmented = NormalizeBatcher::new(AugmentBatcher::new(pixels, shift, 1), normalize)?;
    let classes = test.class_names().to_vec();
    let data = RunData::new(train, valid, test, eval, classes).with_train_batcher(augmented);

    let config = FitConfig::new()
        .with_epochs(4)
        .with_batch_size(32)
        .with_checkpoints(false);
    let mut record = RunRecord::new(config.clone());
    record.model = serde_json::json!({ "name": "small-net", "layers": "conv8-conv16/2-dense3" });
    record.data = serde_json::json!({ "dataset": "generated shapes", "side": SIDE });
    record.backend = picked.backend.to_string();
    record.device = picked.description.clone();

    picked.device.seed(1);
    let model = SmallNet::new(&picked.device);
    let out = std::env::args()
        .nth(1)
        .map(Into::into)
        .unwrap_or_else(|| RunDir::default_path("own-dataset"));
    let report = Training::new(config).run(model, data, record, out)?;
    println!(
        "test accuracy {:.1}% in {}",
        report.test.accuracy,
        report.run_dir.path().display()
    );
    Ok(())
}
