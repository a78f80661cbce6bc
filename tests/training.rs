//! Training end to end on generated data: LeNet-5 learns, and a seed makes a CPU run
//! repeatable.

use ember::backend::Backend;
use ember::burn::data::dataset::Dataset;
use ember::data::{synthetic_mnist, MnistBatcher, MnistDataset};
use ember::models::{LeNet5Config, LeNetVariant};
use ember::optim::OptimizerKind;
use ember::optim::ScheduleKind;
use ember::train::{evaluate, fit, BatchTransform, EpochMetrics, FitConfig, Training};

fn config(epochs: usize) -> FitConfig {
    FitConfig {
        epochs,
        batch_size: 32,
        lr: 2e-3,
        schedule: ScheduleKind::Constant,
        optimizer: "adam".parse::<OptimizerKind>().unwrap(),
        weight_decay: None,
        seed: 5,
        checkpoints: false,
        early_stopping: None,
    }
}

/// burn seeds one generator per backend and process: runs in parallel threads would
/// interleave their draws, so the tests here train one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn train(backend: Backend, variant: LeNetVariant, epochs: usize) -> (Vec<EpochMetrics>, f64) {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let device = backend.device().unwrap();
    device.seed(11);
    let model = LeNet5Config::new().with_variant(variant).init(&device);
    let batcher = MnistBatcher::new(0.2, 0.3).with_padding(2);
    let artifacts = tempfile::tempdir().unwrap();
    let fitted = fit(
        model,
        batcher,
        synthetic_mnist(640, 1),
        synthetic_mnist(160, 2),
        &config(epochs),
        artifacts.path(),
    )
    .unwrap();
    let test = synthetic_mnist(200, 3);
    assert_eq!(test.len(), 200);
    let score = evaluate(&fitted.model, batcher, test, 100, &device).unwrap();
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
fn augmentation_sees_training_batches_only() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let device = Backend::Flex.device().unwrap();
    device.seed(11);
    let model = LeNet5Config::new().init(&device);
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let transform = BatchTransform::new(move |images: ember::burn::prelude::Tensor<4>| {
        counter.fetch_add(images.dims()[0], Ordering::SeqCst);
        images
    });
    let artifacts = tempfile::tempdir().unwrap();
    let fitted = Training::new(config(2))
        .augment(transform)
        .fit(
            model,
            MnistBatcher::new(0.2, 0.3).with_padding(2),
            synthetic_mnist(320, 1),
            synthetic_mnist(160, 2),
            artifacts.path(),
        )
        .unwrap();
    assert_eq!(fitted.epochs.len(), 2);
    // 2 epochs of the 320 training images; none of the 160 validation images.
    assert_eq!(seen.load(Ordering::SeqCst), 640);
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
    let valid = MnistDataset::from_parts(images, labels, std::path::Path::new("shifted")).unwrap();
    let config = FitConfig {
        early_stopping: Some(2),
        ..config(8)
    };
    let artifacts = tempfile::tempdir().unwrap();
    let fitted = Training::new(config)
        .fit(
            model,
            MnistBatcher::new(0.2, 0.3).with_padding(2),
            synthetic_mnist(320, 1),
            valid,
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
