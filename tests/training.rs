//! Training end to end on generated data: LeNet-5 learns, and a seed makes a CPU run
//! repeatable.

use ember::backend::Backend;
use ember::burn::data::dataset::Dataset;
use ember::data::{synthetic_mnist, MnistBatcher};
use ember::models::{LeNet5Config, LeNetVariant};
use ember::optim::OptimizerKind;
use ember::train::{evaluate, fit, EpochMetrics, FitConfig, LrSchedule};

fn config(epochs: usize) -> FitConfig {
    FitConfig {
        epochs,
        batch_size: 32,
        lr: 2e-3,
        schedule: LrSchedule::Constant,
        optimizer: "adam".parse::<OptimizerKind>().unwrap(),
        weight_decay: None,
        seed: 5,
        checkpoints: false,
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
