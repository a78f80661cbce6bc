//! `Training::run` end to end on generated digits: every file of the run folder, the
//! augmentation reaching training batches only, and normalisation applied exactly once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ember::augment::{AugmentBatcher, Normalize, NormalizeBatcher, Pipeline};
use ember::backend::Backend;
use ember::burn::data::dataloader::batcher::Batcher;
use ember::burn::data::dataset::Dataset;
use ember::burn::prelude::*;
use ember::data::{synthetic_mnist, ImageBatch, ImageBatcher, ImageItem};
use ember::models::LeNet5Config;
use ember::optim::ScheduleKind;
use ember::train::{files, FitConfig, RunData, RunRecord, Training};

/// The padded 32x32 grey levels LeNet-5 takes.
fn images() -> ImageBatcher {
    ImageBatcher::new([1, 28, 28]).with_padding(2)
}

/// What a probe saw: examples, batches that broke its rule, and Σx, Σx², count of pixels.
#[derive(Default)]
struct Seen {
    examples: AtomicUsize,
    broken: AtomicUsize,
    moments: Mutex<(f64, f64, f64)>,
}

/// Wraps a batcher and compares every batch it makes with the plain normalised batch of
/// the same items: `augmented` batches must differ from it, the others equal it bit for bit.
#[derive(Clone)]
struct Probe<B> {
    inner: B,
    plain: NormalizeBatcher<ImageBatcher>,
    augmented: bool,
    seen: Arc<Seen>,
}

impl<B: Batcher<ImageItem, ImageBatch>> Batcher<ImageItem, ImageBatch> for Probe<B> {
    fn batch(&self, items: Vec<ImageItem>, device: &Device) -> ImageBatch {
        let n = items.len();
        let plain = self.plain.batch(items.clone(), device).0;
        let (images, targets) = self.inner.batch(items, device);
        let values: Vec<f32> = images.clone().into_data().try_into_vec_as().unwrap();
        let reference: Vec<f32> = plain.into_data().try_into_vec_as().unwrap();
        if (values != reference) != self.augmented {
            self.seen.broken.fetch_add(1, Ordering::SeqCst);
        }
        self.seen.examples.fetch_add(n, Ordering::SeqCst);
        let mut m = self.seen.moments.lock().unwrap();
        for v in values {
            let v = f64::from(v);
            *m = (m.0 + v, m.1 + v * v, m.2 + 1.0);
        }
        (images, targets)
    }
}

fn probe<B>(
    inner: B,
    plain: &NormalizeBatcher<ImageBatcher>,
    augmented: bool,
    seen: &Arc<Seen>,
) -> Probe<B> {
    Probe {
        inner,
        plain: plain.clone(),
        augmented,
        seen: seen.clone(),
    }
}

#[test]
fn a_run_writes_its_folder_and_keeps_augmentation_to_training_batches() {
    let (train, valid) = (synthetic_mnist(320, 1), synthetic_mnist(96, 2));
    // Normalise by the pixel statistics of the validation/test images as the model sees
    // them (padded): then what the evaluation probe sees has mean 0 and std 1 if, and only
    // if, normalisation happened exactly once.
    let pixels: Vec<f32> = images().pixels(&valid.iter().map(Result::unwrap).collect::<Vec<_>>());
    let n = pixels.len() as f64;
    let mean = pixels.iter().map(|&p| f64::from(p)).sum::<f64>() / n;
    let var = pixels
        .iter()
        .map(|&p| (f64::from(p) - mean).powi(2))
        .sum::<f64>()
        / n;
    let normalize = Normalize::new(vec![mean as f32], vec![var.sqrt() as f32]).unwrap();
    let plain = NormalizeBatcher::new(images(), normalize.clone()).unwrap();
    // A horizontal flip always changes a batch of digits.
    let flip =
        Pipeline::from_json(r#"{"transforms": [{"type": "horizontal_flip", "p": 1.0}]}"#).unwrap();
    let augmented =
        NormalizeBatcher::new(AugmentBatcher::new(images(), flip, 7), normalize).unwrap();
    let (train_seen, eval_seen) = (Arc::new(Seen::default()), Arc::new(Seen::default()));
    let classes = train.class_names().to_vec();
    // The validation images serve as test images too: the evaluation probe then sees one
    // sample whose statistics are known.
    let data = RunData::new(
        train,
        valid.clone(),
        valid,
        probe(plain.clone(), &plain, false, &eval_seen),
        classes,
    )
    .with_train_batcher(probe(augmented, &plain, true, &train_seen));

    let device = Backend::Flex.device().unwrap();
    device.seed(3);
    let model = LeNet5Config::new().init(&device);
    let config = FitConfig::new()
        .with_epochs(2)
        .with_batch_size(32)
        .with_schedule(ScheduleKind::Constant)
        .with_checkpoints(false);
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("run");
    let mut record = RunRecord::new(config.clone());
    record.backend = "flex".into();
    let report = Training::new(config)
        .run(model, data, record, &folder)
        .unwrap();

    for file in files::ALL {
        assert!(folder.join(file).exists(), "{file} missing");
    }
    // Confusion counts add up to the test split; its rows are the 10 digits.
    let csv = std::fs::read_to_string(folder.join(files::CONFUSION_CSV)).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 11, "{csv}");
    let total: usize = rows[1..]
        .iter()
        .flat_map(|r| r.split(',').skip(1))
        .map(|c| c.parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, 96);
    let test: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join(files::TEST)).unwrap()).unwrap();
    assert_eq!(test["items"], 96);
    assert_eq!(test["per_class"].as_array().unwrap().len(), 10);
    let recall = test["weighted_avg"]["recall"].as_f64().unwrap();
    assert!(
        (recall - report.test.accuracy).abs() < 1e-9,
        "weighted recall = accuracy"
    );
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join(files::CONFIG)).unwrap())
            .unwrap();
    assert_eq!(config["split_sizes"], serde_json::json!([320, 96, 96]));
    assert_eq!(config["classes"][9], "9");
    assert_eq!(config["fit"]["epochs"], 2);
    assert_eq!(
        std::fs::read_to_string(folder.join(files::METRICS))
            .unwrap()
            .lines()
            .count(),
        3
    );

    // Training batches: 2 epochs of 320, every one augmented. Evaluation batches: 2
    // validation passes and the test pass, none augmented.
    assert_eq!(train_seen.examples.load(Ordering::SeqCst), 640);
    assert_eq!(
        train_seen.broken.load(Ordering::SeqCst),
        0,
        "a training batch was not augmented"
    );
    assert_eq!(eval_seen.examples.load(Ordering::SeqCst), 2 * 96 + 96);
    assert_eq!(
        eval_seen.broken.load(Ordering::SeqCst),
        0,
        "an evaluation batch was augmented"
    );
    let (sum, squares, count) = *eval_seen.moments.lock().unwrap();
    let (mean, std) = (
        sum / count,
        (squares / count - (sum / count).powi(2)).sqrt(),
    );
    assert!(
        mean.abs() < 1e-3 && (std - 1.0).abs() < 1e-3,
        "mean {mean}, std {std}"
    );
}

#[test]
fn a_diverging_run_stops_at_the_exploding_loss_and_marks_its_folder() {
    let (train, valid) = (synthetic_mnist(256, 4), synthetic_mnist(64, 5));
    let classes = train.class_names().to_vec();
    let data = RunData::new(train, valid.clone(), valid, images(), classes);
    let device = Backend::Flex.device().unwrap();
    device.seed(3);
    let model = LeNet5Config::new().init(&device);
    // Adam at a learning rate of 1 throws the loss from 2.3 to far beyond 10,000x that
    // within an epoch (the guard also catches NaN and infinity).
    let config = FitConfig::new()
        .with_epochs(3)
        .with_batch_size(32)
        .with_lr(1.0)
        .with_optimizer("adam".parse().unwrap())
        .with_schedule(ScheduleKind::Constant)
        .with_checkpoints(false);
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("run");
    let err = Training::new(config.clone())
        .run(model, data, RunRecord::new(config), &folder)
        .unwrap_err();
    let message = err.to_string();
    match err {
        ember::train::TrainError::Diverged {
            epoch, batch, loss, ..
        } => {
            assert_eq!(epoch, 1, "{message}");
            assert!(
                batch < 8,
                "stopped at the first bad batch, not the epoch's end: {message}"
            );
            assert!(!loss.is_finite() || loss > 2e4, "{message}");
        }
        other => panic!("expected Diverged, got {other}"),
    }
    assert!(message.contains("Lower the learning rate"), "{message}");
    let failed = std::fs::read_to_string(folder.join(files::FAILED)).unwrap();
    assert!(failed.contains("epoch 1"), "{failed}");
    assert!(
        !folder.join(files::MODEL).exists(),
        "no weights of a failed run"
    );
}

#[test]
fn a_run_never_writes_into_another_runs_folder() {
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("run");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("config.json"), "{\"theirs\": true}").unwrap();
    let (train, valid) = (synthetic_mnist(64, 1), synthetic_mnist(32, 2));
    let classes = train.class_names().to_vec();
    let data = RunData::new(train, valid.clone(), valid, images(), classes);
    let config = FitConfig::new().with_epochs(1).with_checkpoints(false);
    let model = LeNet5Config::new().init(&Backend::Flex.device().unwrap());
    let err = Training::new(config.clone())
        .run(model, data, RunRecord::new(config), &folder)
        .unwrap_err()
        .to_string();
    assert!(err.contains("never overwrites"), "{err}");
    assert_eq!(
        std::fs::read_to_string(folder.join("config.json")).unwrap(),
        "{\"theirs\": true}"
    );
}
