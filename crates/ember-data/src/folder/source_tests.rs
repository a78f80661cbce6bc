use super::*;
use crate::folder::convert::tests::save;
use burn::data::dataset::Dataset;
use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage};

fn rgb(w: u32, h: u32, px: [u8; 3]) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, Rgb(px)))
}

fn grey(w: u32, h: u32, v: u8) -> DynamicImage {
    DynamicImage::ImageLuma8(GrayImage::from_pixel(w, h, Luma([v])))
}

fn folder(root: &Path, cache: &Path) -> ImageFolder {
    ImageFolder::new(root)
        .with_cache_dir(Some(cache.to_path_buf()))
        .quiet()
}

fn cached(data: &FolderData) -> bool {
    matches!(data.origin, Origin::ImageFolder { cached: true, .. })
}

#[test]
fn class_folders_of_png_and_jpeg_become_labelled_rgb_images() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    save(&rgb(4, 2, [200, 10, 10]), &dir.path().join("red/1.png"));
    save(&rgb(4, 2, [10, 10, 200]), &dir.path().join("blue/a.jpg"));
    save(&grey(4, 2, 90), &dir.path().join("blue/b.png"));
    let data = folder(dir.path(), cache.path()).load().unwrap();
    assert!(data.test.is_none());
    let train = &data.train;
    assert_eq!(
        (train.shape(), train.class_names()),
        ([3, 2, 4], &["blue".to_string(), "red".into()][..])
    );
    assert_eq!(train.labels(), &[0, 0, 1]);
    let jpeg = train.get(0).unwrap().image;
    assert!(
        jpeg[16..].iter().all(|&b| b > 180) && jpeg[..8].iter().all(|&r| r < 40),
        "{jpeg:?}"
    );
    assert_eq!(
        train.get(1).unwrap().image,
        vec![90; 24],
        "grey repeated in R, G, B"
    );
    assert_eq!(&train.get(2).unwrap().image[..8], &[200; 8]);
    assert!(!cached(&data));
}

#[test]
fn grey_folders_stay_grey_unless_rgb_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    save(&grey(2, 2, 30), &dir.path().join("0/a.png"));
    save(&grey(2, 2, 220), &dir.path().join("1/a.png"));
    let data = folder(dir.path(), cache.path()).load().unwrap();
    assert_eq!(data.train.shape(), [1, 2, 2]);
    assert_eq!(data.train.get(1).unwrap().image, vec![220; 4]);
    let data = folder(dir.path(), cache.path())
        .channels(Channels::Rgb)
        .load()
        .unwrap();
    assert_eq!(data.train.shape(), [3, 2, 2]);
    save(&rgb(2, 2, [255, 0, 0]), &dir.path().join("1/b.png"));
    let data = folder(dir.path(), cache.path())
        .channels(Channels::Grey)
        .load()
        .unwrap();
    assert_eq!(
        data.train.get(2).unwrap().image,
        vec![54; 4],
        "BT.709 luma of red"
    );
}

#[test]
fn train_and_test_trees_give_two_splits_with_the_training_classes() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    for (rel, v) in [
        ("train/猫/1.png", 10),
        ("train/狗/1.png", 20),
        ("test/狗/9.png", 30),
    ] {
        save(&grey(3, 3, v), &dir.path().join(rel));
    }
    let data = folder(dir.path(), cache.path()).load().unwrap();
    let test = data.test.unwrap();
    assert_eq!(data.train.class_names(), ["狗", "猫"]);
    // Files come in class order: 狗 (label 0, value 20), then 猫 (label 1, value 10).
    assert_eq!(
        (data.train.labels(), test.labels()),
        (&[0, 1][..], &[0][..])
    );
    assert_eq!(data.train.get(0).unwrap().image, vec![20; 9]);
    assert_eq!(test.get(0).unwrap().image, vec![30; 9]);
    assert_eq!(test.class_names(), data.train.class_names());
}

#[test]
fn odd_sizes_are_resized_when_asked_and_named_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    save(&grey(4, 4, 100), &dir.path().join("a/1.png"));
    save(&grey(2, 2, 100), &dir.path().join("a/2.png"));
    let err = folder(dir.path(), cache.path()).load().unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("2.png: is 2x2 (width x height), but the first image")
            && msg.contains("1.png, is 4x4"),
        "{msg}"
    );
    let data = folder(dir.path(), cache.path())
        .resize_to(3, 5)
        .load()
        .unwrap();
    assert_eq!(data.train.shape(), [1, 3, 5]);
    assert!(
        data.train.get(1).unwrap().image.iter().all(|&v| v == 100),
        "a flat image stays flat"
    );
    let err = folder(dir.path(), cache.path())
        .resize_to(0, 5)
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("zero side"), "{err}");
}

#[test]
fn an_unreadable_image_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    save(&grey(2, 2, 1), &dir.path().join("a/good.png"));
    let bad = dir.path().join("a/bad.jpg");
    std::fs::write(&bad, b"not a jpeg at all").unwrap();
    let err = folder(dir.path(), cache.path()).load().unwrap_err();
    match &err {
        DataError::BadImage { path, .. } => assert!(path.ends_with("a/bad.jpg"), "{err}"),
        other => panic!("not BadImage: {other}"),
    }
}

#[test]
fn the_cache_is_hit_the_second_time_and_invalidated_by_a_changed_file() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let file = dir.path().join("a/1.png");
    save(&grey(2, 2, 40), &file);
    save(&grey(2, 2, 41), &dir.path().join("b/1.png"));
    let first = folder(dir.path(), cache.path()).load().unwrap();
    let second = folder(dir.path(), cache.path()).load().unwrap();
    assert!(!cached(&first) && cached(&second), "{}", second.origin);
    assert_eq!(second.train.get(0).unwrap(), first.train.get(0).unwrap());
    assert_eq!(second.train.class_names(), first.train.class_names());
    // Another image in the same place (another size of file, so whatever the clock's
    // resolution): decoded again, with the new pixels.
    let noisy = GrayImage::from_fn(2, 2, |x, y| Luma([(x * 100 + y * 7) as u8]));
    DynamicImage::ImageLuma8(noisy).save(&file).unwrap();
    let third = folder(dir.path(), cache.path()).load().unwrap();
    assert!(!cached(&third));
    assert_eq!(third.train.get(0).unwrap().image, vec![0, 100, 7, 107]);
    // Another conversion is another cache entry.
    let rgb = folder(dir.path(), cache.path())
        .channels(Channels::Rgb)
        .load()
        .unwrap();
    assert!(!cached(&rgb));
    // Without a cache folder nothing is cached.
    let none = folder(dir.path(), cache.path())
        .with_cache_dir(None)
        .load()
        .unwrap();
    assert!(!cached(&none));
}
