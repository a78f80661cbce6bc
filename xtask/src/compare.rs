//! `cargo xtask compare-backends`: one model, one batch, every backend compiled in (and a
//! PyTorch row on request): ember-train's `compare_backends` does the measuring.

use std::path::Path;
use std::process::Command;

use ember::backend::Backend;
use ember::burn::prelude::*;
use ember::models::{AlexNetConfig, LeNet5Config, LstmClassifierConfig, SequencePooling};
use ember::train::{
    compare_backends, BackendRow, Classifier, CompareSettings, Comparison, Contender, Labelled,
    Workload,
};

use crate::cli::{CompareArgs, ModelName};

/// Examples the parity columns are computed on.
const PARITY_EXAMPLES: usize = 16;

/// Measures every backend asked for (default: all compiled in) and prints the table.
pub fn run(args: CompareArgs) -> crate::Result<()> {
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads as usize)
            .build_global()
            .map_err(|e| format!("--threads {threads}: {e}"))?;
    }
    let mut contenders = Vec::new();
    for backend in args.backends.clone().unwrap_or(Backend::ALL.to_vec()) {
        match backend.device().and_then(|d| Ok((d, backend.describe()?))) {
            Ok((device, description)) => contenders.push(Contender {
                name: backend.to_string(),
                device,
                description,
            }),
            Err(e) => eprintln!("{backend}: skipped: {e}"),
        }
    }
    let reference = Backend::Ndarray.device().ok().map(|device| Contender {
        name: "ndarray".into(),
        device,
        description: String::new(),
    });
    // The shared starting weights are drawn on a CPU backend, seeded.
    let init = Backend::Flex
        .device()
        .or_else(|_| Backend::Ndarray.device())?;
    init.seed(args.seed);
    let settings = CompareSettings {
        warmup: args.warmup as usize,
        steps: args.steps as usize,
        lr: 1e-3,
    };
    let n = args.batch as usize;
    let mut table = match args.model {
        ModelName::Lenet => {
            let workload = images(
                "LeNet-5 (modern)",
                LeNet5Config::new().init(&init),
                [1, 32, 32],
                n,
            );
            compare_backends(&workload, &contenders, reference.as_ref(), settings)
        }
        ModelName::Alexnet => {
            // Without dropout, so that every backend's parity columns compare one computation
            // (wgpu's generator draws other masks than ndarray's).
            let model = AlexNetConfig::new()
                .with_num_classes(10)
                .with_dropout(0.0)
                .init(&init)?;
            let workload = images("AlexNet (small, dropout off)", model, [3, 32, 32], n);
            compare_backends(&workload, &contenders, reference.as_ref(), settings)
        }
        ModelName::Lstm => {
            let (vocab, len) = (args.vocab as usize, args.seq_len as usize);
            let model = LstmClassifierConfig::new(vocab)
                .with_pooling(SequencePooling::Max)
                .init(&init)?;
            let workload = Workload {
                title: format!(
                    "LSTM classifier (vocabulary {vocab}, embedding 100, hidden 128, max \
                     pooling, {len} tokens per row)"
                ),
                model,
                batch: Box::new(move |device: &Device| sequences(n, len, vocab, device)),
                items: n,
                unit: Some(("tokens".into(), (n * len) as f64)),
                parity_batch: Box::new(move |device: &Device| {
                    sequences(PARITY_EXAMPLES, len.min(50), vocab, device)
                }),
            };
            compare_backends(&workload, &contenders, reference.as_ref(), settings)
        }
    };
    if args.peer.is_some() {
        match pytorch_row(&args) {
            Ok(row) => table.push(row),
            Err(e) => eprintln!("pytorch: skipped: {e}"),
        }
    }
    print(&table, args.json)
}

fn print(table: &Comparison, json: bool) -> crate::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(table)?);
    } else {
        print!("{table}");
    }
    Ok(())
}

/// An image classifier's workload: `[n, c, h, w]` pseudo-random images in [-1, 1) and
/// labels 0–9.
fn images<M>(title: &str, model: M, [c, h, w]: [usize; 3], n: usize) -> Workload<M>
where
    M: Classifier<Input = Tensor<4>>,
{
    let batch = move |n: usize| {
        move |device: &Device| -> Labelled<Tensor<4>> {
            let pixels: Vec<f32> = crate::bench::noise(n * c * h * w)
                .into_iter()
                .map(|v| 2.0 * v - 1.0)
                .collect();
            let labels: Vec<i64> = (0..n as i64).map(|i| i % 10).collect();
            (
                Tensor::from_data(TensorData::new(pixels, [n, c, h, w]), device),
                Tensor::from_data(TensorData::new(labels, [n]), device),
            )
        }
    };
    Workload {
        title: title.to_string(),
        model,
        batch: Box::new(batch(n)),
        items: n,
        unit: None,
        parity_batch: Box::new(batch(PARITY_EXAMPLES)),
    }
}

/// `n` full-length rows of `len` pseudo-random token ids in `2..vocab` (no padding, no
/// `<unk>`), and labels 0–1.
fn sequences(
    n: usize,
    len: usize,
    vocab: usize,
    device: &Device,
) -> Labelled<(Tensor<2, Int>, Tensor<1, Int>)> {
    let ids: Vec<i64> = crate::bench::noise(n * len)
        .into_iter()
        .map(|v| 2 + (v * (vocab - 2) as f32) as i64 % (vocab as i64 - 2))
        .collect();
    let labels: Vec<i64> = (0..n as i64).map(|i| i % 2).collect();
    (
        (
            Tensor::from_data(TensorData::new(ids, [n, len]), device),
            Tensor::from_data(TensorData::new(vec![len as i64; n], [n]), device),
        ),
        Tensor::from_data(TensorData::new(labels, [n]), device),
    )
}

/// PyTorch running the same architecture, batch and optimizer: one row from
/// scripts/pytorch/compare_peer.py.
fn pytorch_row(args: &CompareArgs) -> crate::Result<BackendRow> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pytorch/compare_peer.py");
    let python = std::env::var("EMBER_PYTHON").unwrap_or_else(|_| "python3".into());
    let probe = Command::new(&python).args(["-c", "import torch"]).output();
    match probe {
        Ok(out) if out.status.success() => {}
        Ok(_) => return Err(format!("`{python} -c \"import torch\"` failed: install PyTorch (pip install torch) or set EMBER_PYTHON").into()),
        Err(e) => return Err(format!("cannot run `{python}`: {e}").into()),
    }
    let model = match args.model {
        ModelName::Lenet => "lenet",
        ModelName::Alexnet => "alexnet",
        ModelName::Lstm => "lstm",
    };
    let mut command = Command::new(&python);
    command.arg(&script).args([
        "--model",
        model,
        "--batch",
        &args.batch.to_string(),
        "--steps",
        &args.steps.to_string(),
        "--warmup",
        &args.warmup.to_string(),
        "--seq-len",
        &args.seq_len.to_string(),
        "--vocab",
        &args.vocab.to_string(),
    ]);
    if let Some(threads) = args.threads {
        command.args(["--threads", &threads.to_string()]);
    }
    let out = command.output()?;
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}
