//! What the end-to-end tests of `cargo xtask` share: running the binary in a folder, and
//! a tiny generated MNIST-shaped dataset to train on.

#![allow(dead_code)] // each test binary uses its own part

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use ember::burn::data::dataset::Dataset;
use ember::data::{encode_idx, synthetic_mnist, ImageDataset};

pub fn xtask(dir: &Path, args: &[&str]) -> Output {
    xtask_with(dir, args, &[])
}

pub fn xtask_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .env("EMBER_CACHE_DIR", dir.join("cache"))
        .env_remove("EMBER_DATA_DIR")
        .output()
        .expect("run xtask");
    println!(
        "$ xtask {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout)
    );
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    out
}

pub fn write_gz(path: &Path, bytes: &[u8]) {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    std::fs::write(path, enc.finish().unwrap()).unwrap();
}

pub fn write_split(dir: &Path, prefix: &str, ds: &ImageDataset) {
    let images: Vec<u8> = ds.iter().flat_map(|i| i.unwrap().image).collect();
    write_gz(
        &dir.join(format!("{prefix}-images-idx3-ubyte.gz")),
        &encode_idx(&[ds.len(), 28, 28], &images),
    );
    write_gz(
        &dir.join(format!("{prefix}-labels-idx1-ubyte.gz")),
        &encode_idx(
            &[ds.len()],
            &ds.labels().iter().map(|&l| l as u8).collect::<Vec<_>>(),
        ),
    );
}

/// A tiny MNIST-shaped dataset: 600 training and 200 test images.
pub fn tiny_dataset(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("tiny");
    std::fs::create_dir_all(&data).unwrap();
    write_split(&data, "train", &synthetic_mnist(600, 1));
    write_split(&data, "t10k", &synthetic_mnist(200, 2));
    data
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
