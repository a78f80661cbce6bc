//! Training end to end on generated data through ember-train's one run API: LeNet-5
//! learns, a seed makes a CPU run repeatable, early stopping ends a run that stops
//! improving.

use ember::augment::{Normalize, NormalizeBatcher};
use ember::backend::Backend;
use ember::burn::data::dataset::Dataset;
use ember::data::{synthetic_mnist, ImageBatcher, ImageDataset};
use ember::models::{LeNet5Config, LeNetVariant};
use ember::optim::ScheduleKind;
use ember::train::{evaluate, EpochMetrics, FitConfig, RunData, Training};

fn config(epochs: usize) -> FitConfig {
    FitConfig::new()
        .with_epochs(epochs)
        .with_batch_size(32)
        .with_lr(2e-3)
        .with_schedule(ScheduleKind::Constant)
        .with_seed(5)
        .with_checkpoints(false)
}

/// LeNet-5's batches of generated digits: padded to 32x32, normalised (generated digits
/// are roughly mean 0.2, standard deviation 0.3).
fn batcher() -> NormalizeBatcher<ImageBatcher> {
    let images = ImageBatcher::new([1, 28, 28]).with_padding(2);
    NormalizeBatcher::new(images, Normalize::new(vec![0.2], vec![0.3]).unwrap()).unwrap()
}

fn digits(
    train: ImageDataset,
    valid: ImageDataset,
) -> RunData<ember::data::ImageItem, NormalizeBatcher<ImageBatcher>, NormalizeBatcher<ImageBatcher>>
{
    let classes = train.class_names().to_vec();
    RunData::new(train, valid, synthetic_mnist(200, 3), batcher(), classes)
}

/// burn seeds one generator per backend and process: runs in parallel threads would
/// interleave their draws, so the tests here train one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn train(backend: Backend, variant: LeNetVariant, epochs: usize) -> (Vec<EpochMetrics>, f64) {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let device = backend.device().unwrap();
    device.seed(11);
    let model = LeNet5Config::new().with_variant(variant).init(&device);
    let data = digits(synthetic_mnist(640, 1), synthetic_mnist(160, 2));
    let artifacts = tempfile::tempdir().unwrap();
    let fitted = Training::new(config(epochs))
        .fit(model, &data, artifacts.path())
        .unwrap();
    let test = synthetic_mnist(200, 3);
    let classes = test.class_names().to_vec();
    let score = evaluate(&fitted.model, batcher(), test, &classes, 100, &device).unwrap();
    assert_eq!(score.items, 200);
    (fitted.epochs, score.accuracy)
}

#[test]
fn lenet_learns_generated_digits() {
    for variant in [LeNetVariant::Modern, LeNetVariant::Classic] {
        let (epochs, accuracy) = train(Backend::Flex, variant, 3);
        assert_eq!(epochs.len(), 3);
        assert!(
            epochs[2].train_loss < epochs[0].train_loss,
            "{variant}: loss did not fall: {epochs:?}"
        );
        assert!(
            accuracy > 90.0,
            "{variant}: test accuracy {accuracy}% on generated data"
        );
    }
}

#[test]
fn the_same_seed_repeats_a_cpu_run_exactly() {
    for backend in [Backend::Flex, Backend::Ndarray] {
        let (a, acc_a) = train(backend, LeNetVariant::Modern, 1);
        let (b, acc_b) = train(backend, LeNetVariant::Modern, 1);
        let strip = |m: &[EpochMetrics]| {
            m.iter()
                .map(|e| {
                    (
                        e.train_loss,
                        e.train_accuracy,
                        e.valid_loss,
                        e.valid_accuracy,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&a), strip(&b), "{backend}");
        assert_eq!(acc_a, acc_b, "{backend}");
    }
}

#[test]
fn early_stopping_ends_a_run_that_stops_improving() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let device = Backend::Flex.device().unwrap();
    device.seed(11);
    let model = LeNet5Config::new().init(&device);
    // Validation digits labelled with the next class: the better the network learns the
    // training digits, the higher its validation loss, so it stops improving after epoch 1.
    let valid = synthetic_mnist(160, 2);
    let (mut images, mut labels) = (Vec::new(), Vec::new());
    for i in 0..valid.len() {
        let item = valid.get(i).unwrap();
        images.extend(item.image);
        labels.push((item.label + 1) % 10);
    }
    let classes = valid.class_names().to_vec();
    let shifted = ImageDataset::new(
        images,
        labels,
        [1, 28, 28],
        classes,
        std::path::Path::new("shifted"),
    )
    .unwrap();
    let config = config(8).with_early_stopping(Some(2));
    let artifacts = tempfile::tempdir().unwrap();
    let fitted = Training::new(config)
        .fit(
            model,
            &digits(synthetic_mnist(320, 1), shifted),
            artifacts.path(),
        )
        .unwrap();
    let stopped = fitted.stopped_early.expect("the run should stop early");
    assert!(fitted.epochs.len() < 8, "{:?}", fitted.epochs);
    assert_eq!(stopped.epoch, fitted.epochs.len());
    assert_eq!(stopped.epoch - stopped.best_epoch, 2);
    let best = &fitted.epochs[stopped.best_epoch - 1];
    assert!((best.valid_loss - stopped.best_valid_loss).abs() < 1e-3 * best.valid_loss);
}
