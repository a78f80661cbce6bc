//! `cargo xtask compare-backends`: one model, one batch, every backend compiled in (and a
//! PyTorch row on request): ember-train's `compare_backends` does the measuring.

use std::cell::RefCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use ember::backend::Backend;
use ember::burn::data::dataloader::batcher::Batcher;
use ember::burn::prelude::*;
use ember::data::{MnistKind, MnistSource, Origin};
use ember::models::{AlexNetConfig, LeNet5Config, LstmClassifierConfig, SequencePooling};
use ember::train::{
    compare_backends, BackendRow, Classifier, CompareSettings, Comparison, Contender,
    EpochComparison, EpochSpeed, Labelled, Training, Workload,
};

use crate::cli::{Cli, CompareArgs, ModelName};
use crate::job::{Assembled, Job};

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
    if args.epoch {
        return epochs(&args, &contenders);
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
    let mut command = python_with_torch()?;
    command.arg(scripts().join("compare_peer.py")).args([
        "--model",
        &model_name(args.model),
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
    peer_output(command, "compare_peer.py")
}

/// The model's name on the command line (clap's, from `ModelName`).
fn model_name(model: ModelName) -> String {
    clap::ValueEnum::to_possible_value(&model)
        .expect("every model has a name")
        .get_name()
        .to_string()
}

/// The folder of the PyTorch peer scripts.
fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pytorch")
}

/// `python3` (or $EMBER_PYTHON), once it is known to import torch.
fn python_with_torch() -> crate::Result<Command> {
    let python = std::env::var("EMBER_PYTHON").unwrap_or_else(|_| "python3".into());
    match Command::new(&python).args(["-c", "import torch"]).output() {
        Ok(out) if out.status.success() => Ok(Command::new(python)),
        Ok(_) => Err(format!(
            "`{python} -c \"import torch\"` failed: install PyTorch (pip install torch) or set \
             EMBER_PYTHON"
        )
        .into()),
        Err(e) => Err(format!("cannot run `{python}`: {e}").into()),
    }
}

/// The row a peer script printed as JSON, or its error output.
fn peer_output<R: serde::de::DeserializeOwned>(
    mut command: Command,
    script: &str,
) -> crate::Result<R> {
    let out = command.output()?;
    if !out.status.success() {
        return Err(format!(
            "{script} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// `--epoch`: one epoch of `train`'s run per backend (as `cargo xtask train MODEL --epochs 1
/// --backend B`), timed by ember-train's `Training::epoch_speed`, and PyTorch's LeNet-5
/// epoch on request.
fn epochs(args: &CompareArgs, contenders: &[Contender]) -> crate::Result<()> {
    let mut table: Option<EpochComparison> = None;
    // The runs print their progress; with --json only the JSON goes to stdout.
    let redirect = args.json.then(StdoutToStderr::new);
    // The folder the runs read their dataset from, for the PyTorch peer.
    let mut data_folder = None;
    for contender in contenders {
        let mut words: Vec<OsString> = vec!["cargo xtask".into(), "train".into()];
        words.push(model_name(args.model).into());
        let flags: [(&str, Option<OsString>); 6] = [
            ("--epochs", Some("1".into())),
            ("--backend", Some(contender.name.clone().into())),
            ("--batch-size", Some(args.batch.to_string().into())),
            ("--seed", Some(args.seed.to_string().into())),
            (
                "--train-size",
                args.train_size.map(|n| n.to_string().into()),
            ),
            ("--data-dir", args.data_dir.clone().map(OsString::from)),
        ];
        for (flag, value) in flags {
            if let Some(value) = value {
                words.extend([flag.into(), value]);
            }
        }
        let crate::cli::Command::Train(train) =
            <Cli as clap::Parser>::try_parse_from(&words)?.command
        else {
            unreachable!("the words start with `train`")
        };
        let measured = Rc::new(RefCell::new(None));
        crate::train::assemble(
            &train,
            EpochJob {
                contender: contender.clone(),
                measured: measured.clone(),
            },
        )?;
        let Measured {
            name,
            row,
            data_folder: folder,
        } = measured.take().ok_or("the epoch was not measured")?;
        data_folder = data_folder.or(folder);
        table
            .get_or_insert_with(|| EpochComparison::new(name, args.batch as usize))
            .push(row);
    }
    let mut table = table.ok_or("no backend could be measured")?;
    if args.peer.is_some() {
        match (args.model, table.rows.first()) {
            (ModelName::Lenet, Some(first)) => match pytorch_epoch(args, first, data_folder) {
                Ok(row) => table.push(row),
                Err(e) => eprintln!("pytorch: skipped: {e}"),
            },
            _ => eprintln!(
                "pytorch: skipped: the PyTorch epoch (scripts/pytorch/epoch_peer.py) is \
                 written for LeNet-5 on MNIST only"
            ),
        }
    }
    drop(redirect);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&table)?);
    } else {
        print!("{table}");
    }
    Ok(())
}

/// While it lives, what the process writes to stdout goes to stderr (on Unix; elsewhere it
/// does nothing).
struct StdoutToStderr {
    #[cfg(unix)]
    saved: Option<i32>,
}

impl StdoutToStderr {
    fn new() -> Self {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        #[cfg(unix)]
        {
            // SAFETY: dup and dup2 on the process's own standard descriptors; a failure
            // leaves stdout as it was.
            let saved = unsafe { libc::dup(1) };
            let saved = (saved >= 0 && unsafe { libc::dup2(2, 1) } >= 0).then_some(saved);
            StdoutToStderr { saved }
        }
        #[cfg(not(unix))]
        StdoutToStderr {}
    }
}

impl Drop for StdoutToStderr {
    fn drop(&mut self) {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        #[cfg(unix)]
        if let Some(saved) = self.saved {
            // SAFETY: `saved` is the descriptor dup'ed in `new`, closed once here.
            unsafe {
                libc::dup2(saved, 1);
                libc::close(saved);
            }
        }
    }
}

/// `compare-backends --epoch`'s job: measure the assembled run's epoch on one backend.
struct EpochJob {
    contender: Contender,
    /// What it measured, once it has.
    measured: Rc<RefCell<Option<Measured>>>,
}

/// One backend's epoch as [`EpochJob`] measured it.
struct Measured {
    /// The run's name, e.g. `lenet5-modern-mnist`.
    name: String,
    /// Its figures.
    row: EpochSpeed,
    /// The folder its dataset was read from, when it was read from one.
    data_folder: Option<PathBuf>,
}

impl Job for EpochJob {
    fn doing(&self) -> &'static str {
        "timing one epoch of"
    }

    fn run<M, I, T, E>(self, parts: Assembled<M, I, T, E>) -> crate::Result<()>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
        E: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        let folder = match serde_json::from_value(parts.record.data["origin"].clone()) {
            Ok(Origin::Folder { path, .. } | Origin::Cache { path }) => Some(path),
            _ => None,
        };
        let row =
            Training::new(parts.fit).epoch_speed(parts.model, &parts.data, &self.contender)?;
        *self.measured.borrow_mut() = Some(Measured {
            name: parts.name,
            row,
            data_folder: folder,
        });
        Ok(())
    }
}

/// PyTorch's LeNet-5 epoch on the MNIST files the runs read (`data_folder`; else the
/// dataset cache, where a download or a package's copy is kept) and the split sizes of
/// `first`: scripts/pytorch/epoch_peer.py.
fn pytorch_epoch(
    args: &CompareArgs,
    first: &EpochSpeed,
    data_folder: Option<PathBuf>,
) -> crate::Result<EpochSpeed> {
    let data_dir =
        data_folder.unwrap_or_else(|| MnistSource::new(MnistKind::Mnist).dataset_cache());
    let (mean, std) = MnistKind::Mnist.mean_std();
    let mut command = python_with_torch()?;
    command
        .arg(scripts().join("epoch_peer.py"))
        .arg("--data-dir")
        .arg(&data_dir)
        .args([
            "--train-items",
            &first.train_items.to_string(),
            "--valid-items",
            &first.valid_items.to_string(),
            "--batch",
            &args.batch.to_string(),
            "--seed",
            &args.seed.to_string(),
            "--mean",
            &mean.to_string(),
            "--std",
            &std.to_string(),
        ]);
    if let Some(threads) = args.threads {
        command.args(["--threads", &threads.to_string()]);
    }
    peer_output(command, "epoch_peer.py")
}
