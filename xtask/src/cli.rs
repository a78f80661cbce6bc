//! The command-line grammar.

use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use ember::backend::Backend;
use ember::data::MnistKind;
use ember::layers::{ActivationKind, InitScheme};
use ember::losses::LossKind;
use ember::optim::{OptimizerKind, ScheduleKind};
use ember::train::Metric;

/// Ember: the deep-learning curriculum on burn.
#[derive(Parser, Debug)]
#[command(name = "cargo xtask", version, about)]
pub struct Cli {
    /// Open no network connection at all (as EMBER_OFFLINE=1): datasets come from
    /// --data-dir or the cache, or the command fails saying what is missing.
    #[arg(long, global = true)]
    pub offline: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per process: the size is moot.
pub enum Command {
    /// Train a model and write a run folder (config, metrics, curves, summary, weights).
    Train(TrainArgs),
    /// Re-evaluate a saved run on its dataset's test split.
    Eval(EvalArgs),
    /// Classify image files with a saved run's model: the top classes and probabilities.
    Predict(PredictArgs),
    /// Write a run's AlexNet weights as a PyTorch state_dict (safetensors, torchvision names).
    Export(ExportArgs),
    /// Print a model's layer table (output shapes, neurons, parameters, connections).
    Summary(SummaryArgs),
    /// Obtain and verify a dataset, and print where it came from.
    Data(DataArgs),
    /// Write a PNG grid of images and augmented variants of them.
    AugmentPreview(PreviewArgs),
    /// Measure speed and print the figures.
    Bench(BenchArgs),
    /// A model on every backend: forward and training-step times, items/s, memory, and
    /// numeric parity against ndarray from the same weights and batch; with --epoch, whole
    /// epochs of the real run (the loader alone, a minimal burn loop, the run itself).
    CompareBackends(CompareArgs),
    /// Search training settings: a grid or random search, each trial a training run
    /// (`search plan`, `search run-trial`, `search report` split it across machines).
    Search(SearchArgs),
    /// k-fold cross-validation of one set of training settings: the score of each fold and
    /// their mean ± std.
    CrossValidate(CrossValidateArgs),
    /// Finished runs side by side: their curves on shared axes (the legend naming the
    /// settings that differ) and a table of their final metrics.
    CompareRuns(CompareRunsArgs),
    /// The learning-rate range test: from the fresh model, one optimizer step per batch at a
    /// learning rate growing exponentially, until the loss diverges; writes the loss against
    /// the learning rate (lr-find.csv, lr-find.png) and prints the suggested learning rate.
    LrFind(LrFindArgs),
    /// Look inside a run's model: its convolution filters, its feature maps for one image,
    /// and the gradient norm of every weight over its first training steps.
    Visualize(VisualizeArgs),
}

#[derive(Args, Debug)]
pub struct CompareRunsArgs {
    /// The run folders (a search's trial-NNN folders work too).
    #[arg(required = true, num_args = 1..)]
    pub runs: Vec<PathBuf>,
    /// The picture to write.
    #[arg(long, default_value = "compare.png")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SearchArgs {
    #[command(subcommand)]
    pub step: Option<SearchStep>,
    // Not an `Option<SearchSpecArgs>`: clap cannot tell whether a flattened group with a
    // flattened group inside was given, and would always answer no.
    #[command(flatten)]
    pub spec: SearchSpecArgs,
}

/// A search in separate steps, for a scheduler that runs trials on other machines.
#[derive(Subcommand, Debug)]
pub enum SearchStep {
    /// Write the search folder's plan.json (every trial's settings and seed) and run nothing.
    Plan(SearchSpecArgs),
    /// Run trial K of a plan (what one job-array task runs); a finished trial is skipped.
    RunTrial {
        /// The plan.json, or the search folder holding it.
        plan: PathBuf,
        /// The trial, from 0.
        trial: usize,
    },
    /// Gather a search folder's finished trials: trials.csv, results.md, plots, best.toml.
    Report {
        /// The search folder.
        dir: PathBuf,
    },
}

#[derive(Args, Debug, Clone)]
pub struct SearchSpecArgs {
    /// The model every trial trains.
    pub model: Option<ModelName>,
    /// A grid: every combination of the lists, e.g. 'lr=1e-3,3e-3;batch-size=32,64'.
    #[arg(long, conflicts_with_all = ["random", "space"], required_unless_present = "random")]
    pub grid: Option<String>,
    /// A random search of N trials drawn from --space (1 to 10,000).
    #[arg(long, requires = "space", value_parser = clap::value_parser!(u64).range(1..=10_000).map(|n| n as usize))]
    pub random: Option<usize>,
    /// The random search's space, e.g.
    /// 'lr=log(1e-4,1e-1);dropout=uniform(0,0.5);batch-size=int(16,128);optimizer=choice(adam,sgd)'.
    #[arg(long, requires = "random")]
    pub space: Option<String>,
    #[command(flatten)]
    pub common: SearchCommon,
}

/// What searches and cross-validation share.
#[derive(Args, Debug, Clone)]
pub struct SearchCommon {
    /// What trials are ranked by: valid-accuracy or valid-loss (the last epoch's).
    #[arg(long, default_value = "valid-accuracy", value_parser = parse::<Metric>)]
    pub metric: Metric,
    /// Trials run at once, each its own process with a share of the cores (1 to 64).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64).map(|n| n as usize))]
    pub parallel: usize,
    /// Score every trial by stratified K-fold cross-validation on the training split
    /// (2 to 100): the mean and std over the folds.
    #[arg(long, value_parser = clap::value_parser!(u64).range(2..=100).map(|n| n as usize))]
    pub folds: Option<usize>,
    /// Epochs of every training run (1 to 100,000).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    pub epochs: usize,
    /// Start no trial after this many minutes (running ones finish; rerun the command to
    /// resume the rest).
    #[arg(long)]
    pub budget: Option<f64>,
    /// Seed of the random draws and of the validation split every trial shares; trial K
    /// trains with seed SEED + K.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The search folder; default searches/MODEL-STRATEGY-UTC_TIME. Rerunning the same
    /// search with the same --out resumes it (finished trials are skipped).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Settings every trial shares: `train`'s flags after `--`, e.g. `-- --train-size 5000`.
    #[arg(last = true)]
    pub train: Vec<String>,
}

#[derive(Args, Debug, Clone)]
pub struct CrossValidateArgs {
    /// The model.
    pub model: ModelName,
    /// Folds (2 to 100).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..=100).map(|n| n as usize))]
    pub folds: usize,
    /// Epochs of every fold's run (1 to 100,000).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    pub epochs: usize,
    /// Seed of the folds and the runs.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The folder; default searches/MODEL-cross-validation-UTC_TIME.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Training settings: `train`'s flags after `--`.
    #[arg(last = true)]
    pub train: Vec<String>,
}

/// The models `train` and `summary` know.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelName {
    /// LeNet-5 (LeCun et al. 1998).
    #[value(alias = "lenet5")]
    Lenet,
    /// AlexNet (Krizhevsky et al. 2012).
    Alexnet,
    /// The LSTM text classifier.
    Lstm,
}

impl ModelName {
    /// The variant a model gets without `--variant`.
    pub fn default_variant(self) -> &'static str {
        match self {
            ModelName::Lenet => "modern",
            ModelName::Alexnet => "small",
            ModelName::Lstm => "lstm",
        }
    }
}

#[derive(Args, Debug)]
#[command(args_override_self = true)]
pub struct TrainArgs {
    /// The model to train (may come from --config instead).
    pub model: Option<ModelName>,
    /// Settings from a file, under the flags given here: a TOML table of `flag = value`
    /// (e.g. a search's best.toml) or a run's config.json, which repeats that run.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Carry on the interrupted (Ctrl-C'd, killed, crashed) run in this folder: every
    /// setting from its config.json, the weights, optimizer state and schedule from its
    /// latest complete checkpoint; it ends with the metrics the uninterrupted run would
    /// have. Takes no other flag.
    #[arg(long, value_name = "RUN")]
    pub resume: Option<PathBuf>,
    /// The model's variant: LeNet-5 modern (default) or classic; AlexNet small (default),
    /// paper or torchvision.
    #[arg(long)]
    pub variant: Option<String>,
    /// Dataset: mnist (LeNet-5's default), fashion-mnist, cifar10 (AlexNet's default) or
    /// folder:PATH (images in class folders, with train/ and test/); for the LSTM
    /// spam-assassin (default), ag-news, csv:PATH or folder:PATH (one document per file).
    #[arg(long)]
    pub dataset: Option<String>,
    /// Where the dataset is: a folder of the four IDX files (MNIST), or the CIFAR-10 binary
    /// batches or JPEG .tar.gz; default: EMBER_DATA_DIR, then the cache, then downloads and
    /// package clients.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// AlexNet: side of the square input images (default: the variant's, 227 paper, 224
    /// torchvision, 32 small); images of another size are resized to it on the device.
    #[arg(long)]
    pub image_size: Option<usize>,
    /// AlexNet (paper): groups of conv2, conv4 and conv5, 2 as on the paper's two GPUs, or 1.
    #[arg(long, default_value_t = 2)]
    pub groups: usize,
    /// Dropout: after LeNet-5's (modern) two hidden dense layers (default 0); AlexNet's two
    /// hidden dense layers (default the paper's 0.5); the LSTM's between layers and before
    /// its head (default 0).
    #[arg(long)]
    pub dropout: Option<f64>,
    /// How the weights start: zeros, constant[:C] (0.01), normal[:STD] (0.01),
    /// uniform[:A] (U(-A, A), 0.05), xavier (Glorot uniform) or he (Kaiming normal); biases
    /// at 0. Default: each layer's own (burn's) initialisation.
    #[arg(long, value_parser = parse::<InitScheme>)]
    pub init: Option<InitScheme>,
    /// LeNet-5 (modern) and AlexNet: the hidden layers' activation: sigmoid, tanh, relu
    /// (default), leaky-relu, prelu or rrelu.
    #[arg(long, value_parser = parse::<ActivationKind>)]
    pub activation: Option<ActivationKind>,
    /// LeNet-5 (modern) and AlexNet: batch norm before every hidden activation.
    #[arg(long)]
    pub batch_norm: bool,
    /// AlexNet: start from these weights: a run's model.bpk, or a PyTorch state_dict under
    /// torchvision's names as .safetensors or .pt/.pth (see `export`).
    #[arg(long)]
    pub weights: Option<PathBuf>,
    /// AlexNet, with --weights: load everything but fc8 (the logits layer), which starts
    /// new: weights trained on other classes (ImageNet's 1,000) fine-tuned on this dataset's.
    #[arg(long, requires = "weights")]
    pub fresh_head: bool,
    /// AlexNet: `features` freezes conv1..conv5, so only the dense head learns (fine-tuning);
    /// LSTM: `embedding` keeps the (pretrained) embedding fixed.
    #[arg(long, value_parser = ["features", "embedding"])]
    pub freeze: Option<String>,
    #[command(flatten)]
    pub text: TextArgs,
    /// Tensor backend; default: the fastest that works here (wgpu on a hardware GPU,
    /// otherwise flex).
    #[arg(long, value_parser = parse::<Backend>)]
    pub backend: Option<Backend>,
    /// Passes over the training set (1 to 100,000).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    pub epochs: usize,
    /// Examples per optimizer step (1 to 65,536).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=65_536).map(|n| n as usize))]
    pub batch_size: usize,
    /// Initial learning rate (3e-3 with Adam and the cosine schedule: 98.5% test accuracy
    /// after one epoch of MNIST, over 99.2% after ten).
    #[arg(long, default_value_t = 3e-3)]
    pub lr: f64,
    /// Learning-rate schedule, stepped every iteration: constant, step (×0.5 every 5 epochs),
    /// exponential (×0.9 per epoch), inverse-time (η₀/(1 + 0.5·epoch)), cosine (to 0 over
    /// the run) or warmup-cosine (1 epoch of linear warm-up from 0.1·η₀, then cosine).
    #[arg(long, default_value = "cosine", value_parser = parse::<ScheduleKind>)]
    pub schedule: ScheduleKind,
    /// Optimizer, with PyTorch's defaults: sgd, momentum (0.9), nesterov (0.9), adagrad,
    /// adadelta (use --lr 1), rmsprop, adam or adamw (weight decay 0.01).
    #[arg(long, default_value = "adam", value_parser = parse::<OptimizerKind>)]
    pub optimizer: OptimizerKind,
    /// The momentum of --optimizer momentum or nesterov, in [0, 1) (default 0.9).
    #[arg(long)]
    pub momentum: Option<f64>,
    /// β₁,β₂ of --optimizer adam or adamw, each in [0, 1) (default 0.9,0.999).
    #[arg(long, value_parser = parse_pair)]
    pub betas: Option<(f32, f32)>,
    /// ε of an adaptive optimizer (adagrad, adadelta, rmsprop, adam, adamw), positive.
    #[arg(long)]
    pub eps: Option<f32>,
    /// γ of --schedule step (×γ every --step-size epochs), exponential (×γ per epoch, in
    /// (0, 1]) or inverse-time (η₀/(1 + γ·epoch)).
    #[arg(long)]
    pub gamma: Option<f64>,
    /// Epochs between the drops of --schedule step (default 5).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    pub step_size: Option<usize>,
    /// Warm-up epochs of --schedule warmup-cosine (default 1; fewer than --epochs).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    pub warmup: Option<usize>,
    /// L2 weight decay added to the gradients.
    #[arg(long)]
    pub weight_decay: Option<f32>,
    /// L1 penalty λ₁·Σ|θ| over every parameter, added to the loss each step minimises
    /// (the recorded losses stay the data loss).
    #[arg(long)]
    pub l1: Option<f32>,
    /// Clip each parameter tensor's gradient to this L2 norm before the optimizer's step
    /// (burn's per-tensor clipping; PyTorch's clip_grad_norm_ takes one global norm).
    #[arg(long)]
    pub clip_norm: Option<f32>,
    /// The loss, from the logits: cross-entropy (default), nll (of log-softmax), mse, mae
    /// or huber (of the probabilities against one-hot targets), binary-cross-entropy (one
    /// sigmoid per class), hinge, squared-hinge or exponential (scores against one-hot ±1),
    /// multiclass-hinge (Weston-Watkins). test.json's loss stays cross-entropy.
    #[arg(long, value_parser = parse::<LossKind>)]
    pub loss: Option<LossKind>,
    /// Seed of the initialisation, the validation split and the shuffle.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Seed of the validation split and the folds alone (default: --seed), so that runs of
    /// different seeds can be scored on the same validation images.
    #[arg(long)]
    pub split_seed: Option<u64>,
    /// k-fold cross-validation: cut the training split into K stratified folds (2 to 100)
    /// and hold out fold --fold for validation instead of --valid-fraction.
    #[arg(long, requires = "fold", value_parser = clap::value_parser!(u64).range(2..=100).map(|n| n as usize))]
    pub folds: Option<usize>,
    /// With --folds K: the fold held out, from 0 to K - 1.
    #[arg(long, requires = "folds")]
    pub fold: Option<usize>,
    /// Fraction of the training set held out for validation, in (0, 1).
    #[arg(long, default_value_t = 1.0 / 12.0)]
    pub valid_fraction: f64,
    /// Train on only this many images of the training split (a seeded random subset;
    /// validation and test splits stay whole), e.g. 5000 to see what augmentation buys.
    /// With --folds, the subset the folds cut (validation included).
    #[arg(long)]
    pub train_size: Option<usize>,
    /// Run folder to write; default: runs/MODEL-VARIANT-DATASET-UTC_TIME.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Stop when the validation loss has not improved for this many epochs (the model of
    /// the last epoch is kept and tested; the run says which epoch was best).
    #[arg(long)]
    pub early_stopping: Option<usize>,
    /// Augment training batches (never validation or test ones) on the training device:
    /// a preset (none, mnist, cifar, alexnet) or a JSON pipeline file; LeNet-5 needs one
    /// that keeps 1-channel 32x32 images, e.g. `mnist` (rotation ±10°, shift ±10%).
    #[arg(long)]
    pub augment: Option<String>,
    /// Do not keep burn-train's checkpoints (model, optimizer and schedule of the last two
    /// epochs and of the best validation loss, in RUN/burn/checkpoint).
    #[arg(long)]
    pub no_checkpoints: bool,
    /// The settings as parsed, `flag → value`: recorded in config.json.
    #[arg(skip)]
    pub settings: std::collections::BTreeMap<String, String>,
}

/// The LSTM's settings.
#[derive(Args, Debug, Clone)]
pub struct TextArgs {
    /// LSTM: run each layer in both directions.
    #[arg(long)]
    pub bidirectional: bool,
    /// LSTM: stacked layers (1 to 16).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=16).map(|n| n as usize))]
    pub layers: usize,
    /// LSTM: hidden units per direction (1 to 8,192).
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u64).range(1..=8_192).map(|n| n as usize))]
    pub hidden: usize,
    /// LSTM: embedding width (default 100, or the width of --word-vectors; at most 8,192).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=8_192).map(|n| n as usize))]
    pub embed: Option<usize>,
    /// LSTM: start the embedding from these word vectors (GloVe or word2vec text format,
    /// gzipped or not): rows of the training vocabulary's words, others uniform in ±0.25.
    /// `--freeze embedding` keeps them fixed.
    #[arg(long)]
    pub word_vectors: Option<PathBuf>,
    /// LSTM: batches of similar lengths (a new seeded order every epoch), so less of each
    /// batch is padding.
    #[arg(long)]
    pub bucket: bool,
    /// LSTM: tokens kept per document (1 to 100,000).
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    pub max_len: usize,
    /// LSTM: which tokens a longer document keeps: head, tail or head+tail:N.
    #[arg(long, default_value = "head")]
    pub truncation: String,
    /// LSTM: how the hidden states become one vector: last, mean or max (padding ignored).
    #[arg(long, default_value = "max")]
    pub pooling: String,
    /// LSTM: vocabulary size, `<pad>` and `<unk>` included (default: every token seen).
    #[arg(long)]
    pub vocab_size: Option<usize>,
    /// LSTM: tokens seen fewer times than this in the training split become `<unk>`.
    #[arg(long, default_value_t = 2)]
    pub min_freq: u64,
    /// LSTM: fold numbers to `<num>` (URLs and e-mail addresses are always folded).
    #[arg(long)]
    pub fold_numbers: bool,
    /// LSTM: the fraction of the whole dataset held out for testing when it has no official
    /// test split (SpamAssassin, csv:, folder:).
    #[arg(long, default_value_t = 0.1)]
    pub test_fraction: f64,
    /// LSTM, csv: datasets: the column holding the text.
    #[arg(long, default_value = "text")]
    pub text_column: String,
    /// LSTM, csv: datasets: the column holding the label.
    #[arg(long, default_value = "label")]
    pub label_column: String,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// A run folder written by `cargo xtask train`.
    pub run_dir: PathBuf,
    /// Backend to evaluate on; default: the one the run was trained on.
    #[arg(long, value_parser = parse::<Backend>)]
    pub backend: Option<Backend>,
    /// Folder holding the dataset's IDX files (see `train --data-dir`).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// A run folder written by `cargo xtask train alexnet`.
    pub run_dir: PathBuf,
    /// The format: safetensors (PyTorch names and layouts).
    #[arg(long, default_value = "safetensors", value_parser = ["safetensors"])]
    pub format: String,
    /// The file to write; default RUN_DIR/model.safetensors.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct PredictArgs {
    /// A run folder written by `cargo xtask train`.
    pub run_dir: PathBuf,
    /// A PNG or JPEG file, or a folder of them (read in name order); converted to the run's
    /// image layout (grey or RGB, size) and normalised as its data was.
    #[arg(long)]
    pub image: Option<PathBuf>,
    /// Text to classify (LSTM runs), e.g. "免费领取大奖" or "meeting at noon".
    #[arg(long)]
    pub text: Option<String>,
    /// A UTF-8 file of documents to classify (LSTM runs), one per line.
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Invert the grey levels (255 − v): for dark digits on a light background, since
    /// MNIST has light digits on black.
    #[arg(long)]
    pub invert: bool,
    /// Classes shown per image.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Backend; default: the one the run was trained on.
    #[arg(long, value_parser = parse::<Backend>)]
    pub backend: Option<Backend>,
}

#[derive(Args, Debug)]
pub struct SummaryArgs {
    /// The model.
    pub model: ModelName,
    /// The model's variant (see `train --variant`).
    #[arg(long)]
    pub variant: Option<String>,
    /// Classes of the output layer (default: AlexNet 1,000 as on ImageNet, LSTM 2).
    #[arg(long)]
    pub classes: Option<usize>,
    /// LSTM: vocabulary size and sequence length of the table.
    #[arg(long, default_value_t = 20_000)]
    pub vocab_size: usize,
    /// LSTM: tokens per document the table is computed for.
    #[arg(long, default_value_t = 256)]
    pub seq_len: usize,
    /// AlexNet: input side (default: the variant's).
    #[arg(long)]
    pub image_size: Option<usize>,
    /// AlexNet (paper): groups of conv2, conv4 and conv5 (2 or 1).
    #[arg(long, default_value_t = 2)]
    pub groups: usize,
}

#[derive(Args, Debug)]
pub struct DataArgs {
    /// Dataset.
    #[arg(value_parser = parse::<MnistKind>)]
    pub dataset: MnistKind,
    /// Folder holding the four IDX files (.gz or raw).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

/// Datasets `augment-preview` can show.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreviewDataset {
    /// MNIST digits.
    Mnist,
    /// Fashion-MNIST.
    FashionMnist,
    /// CIFAR-10 (from --data-dir, EMBER_DATA_DIR or the cache: the JPEG .tar.gz or the
    /// official binary batches).
    Cifar10,
}

#[derive(Args, Debug)]
pub struct PreviewArgs {
    /// Dataset whose test images are shown.
    #[arg(long, value_enum, default_value = "mnist")]
    pub dataset: PreviewDataset,
    /// MNIST/Fashion-MNIST: folder of the IDX files; CIFAR-10: the JPEG .tar.gz, or a
    /// folder holding it or the official binary batches (default: EMBER_DATA_DIR, then
    /// the cache).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// A preset (none, mnist, cifar, alexnet) or a JSON pipeline file.
    #[arg(long, default_value = "mnist")]
    pub pipeline: String,
    /// The PNG to write.
    #[arg(long, default_value = "augment-preview.png")]
    pub out: PathBuf,
    /// Rows: images shown (1 to 256).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=256).map(|n| n as usize))]
    pub images: usize,
    /// Augmented variants of each image, beside the original (0 to 64).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u64).range(0..=64).map(|n| n as usize))]
    pub variants: usize,
    /// Seed of the first variant (the next ones use seed + 1, ...).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// What `bench` measures.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchTarget {
    /// The `cifar` augmentation preset, batched on each backend and image by image on the CPU.
    Augment,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// The benchmark.
    #[arg(value_enum)]
    pub target: BenchTarget,
    /// Images per batch (1 to 65,536).
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=65_536).map(|n| n as usize))]
    pub batch: usize,
    /// Timed batches per backend (1 to 100,000).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    pub batches: usize,
    /// Backends to time (comma-separated); default: all compiled in.
    #[arg(long, value_delimiter = ',', value_parser = parse::<Backend>)]
    pub backends: Option<Vec<Backend>>,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The model: LeNet-5 modern on 1x32x32 images, AlexNet small on 3x32x32, or the LSTM
    /// classifier on --seq-len tokens of a --vocab vocabulary (embedding 100, hidden 128,
    /// max pooling).
    #[arg(long, value_enum, default_value = "lenet")]
    pub model: ModelName,
    /// Examples per batch.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=65_536))]
    pub batch: u64,
    /// LSTM: tokens per sequence (every row full length).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub seq_len: u64,
    /// LSTM: vocabulary size.
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(3..=10_000_000))]
    pub vocab: u64,
    /// Threads of the CPU backends (flex and ndarray share rayon's pool) and of PyTorch;
    /// default: every core.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Adds a row measured by another framework on the same machine: `pytorch` runs
    /// scripts/pytorch/compare_peer.py with `python3` (skipped, with the reason, when
    /// `import torch` fails; $EMBER_PYTHON picks another interpreter).
    #[arg(long, value_parser = ["pytorch"])]
    pub peer: Option<String>,
    /// Timed steps per backend (after the warm-up).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub steps: u64,
    /// Untimed steps first (kernel compilation and autotuning on wgpu), reported apart.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(0..=100_000))]
    pub warmup: u64,
    /// Backends to compare (comma-separated); default: all compiled in.
    #[arg(long, value_delimiter = ',', value_parser = parse::<Backend>)]
    pub backends: Option<Vec<Backend>>,
    /// Seed of the shared initial weights.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Whole epochs instead of single steps: per backend, one pass of the training loader
    /// alone, one epoch of a minimal burn loop, and one epoch of `train`'s run on the real
    /// dataset (MNIST for lenet, CIFAR-10 for alexnet, SpamAssassin for the LSTM, with
    /// `train`'s defaults); --peer pytorch trains LeNet-5's epoch on the same files.
    #[arg(long)]
    pub epoch: bool,
    /// --epoch: where the dataset is (as `train --data-dir`).
    #[arg(long, requires = "epoch")]
    pub data_dir: Option<PathBuf>,
    /// --epoch: train on this many examples (as `train --train-size`).
    #[arg(long, requires = "epoch")]
    pub train_size: Option<usize>,
}

/// Parses a flag's value with the type's `FromStr`, whose error names the choices.
/// `0.9,0.999` → `(0.9, 0.999)`.
fn parse_pair(s: &str) -> Result<(f32, f32), String> {
    let numbers: Vec<f32> = s
        .split(',')
        .map(|v| v.trim().parse::<f32>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{e}: give two numbers, e.g. 0.9,0.999"))?;
    match numbers[..] {
        [a, b] => Ok((a, b)),
        _ => Err(format!(
            "{} numbers: give two, e.g. 0.9,0.999",
            numbers.len()
        )),
    }
}

fn parse<T: std::str::FromStr>(s: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    s.parse().map_err(|e: T::Err| e.to_string())
}

/// `lr-find`'s own flags, then `train`'s: the model, its data and the optimizer are taken
/// as `train` takes them. The flags of the learning rate's course (--lr, --schedule and its
/// settings, --epochs, --early-stopping) are hidden and refused, and `--out` is the folder
/// of the test's two files.
#[derive(Args, Debug)]
#[command(
    mut_arg("model", |a| a.required(true).help("The model whose learning rate to find")),
    mut_arg("out", |a| a.help("Folder to write lr-find.csv and lr-find.png in; default: \
        runs/lr-find-MODEL-VARIANT-DATASET-UTC_TIME")),
    mut_arg("lr", |a| a.hide(true)),
    mut_arg("schedule", |a| a.hide(true)),
    mut_arg("gamma", |a| a.hide(true)),
    mut_arg("step_size", |a| a.hide(true)),
    mut_arg("warmup", |a| a.hide(true)),
    mut_arg("epochs", |a| a.hide(true)),
    mut_arg("early_stopping", |a| a.hide(true)),
    mut_arg("no_checkpoints", |a| a.hide(true)),
    mut_arg("config", |a| a.hide(true)),
)]
pub struct LrFindArgs {
    /// The learning rate of the first step (positive).
    #[arg(long, default_value = "1e-7")]
    pub start_lr: f64,
    /// The learning rate of the last step, above --start-lr (the test usually stops before:
    /// when the smoothed loss passes 4 times its minimum).
    #[arg(long, default_value_t = 10.0)]
    pub end_lr: f64,
    /// Optimizer steps (1 to 100,000); default: one pass over the training split, at most
    /// 200 steps (a longer test starts another pass).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    pub steps: Option<usize>,
    #[command(flatten)]
    pub train: TrainArgs,
}

#[derive(Args, Debug)]
pub struct VisualizeArgs {
    /// A run folder written by `cargo xtask train`.
    pub run_dir: PathBuf,
    /// The trained kernels of every convolution, filters-LAYER.png: the first layer's as
    /// images (RGB or grey), deeper layers' one row per output and one column per input
    /// channel (at most 32 of each).
    #[arg(long)]
    pub filters: bool,
    /// Each convolution's activations for --image, feature-maps-LAYER.png.
    #[arg(long, requires = "image")]
    pub feature_maps: bool,
    /// The image of --feature-maps: one PNG or JPEG file, converted to the run's image layout
    /// and batched as its test images are (as `predict --image` reads it).
    #[arg(long, requires = "feature_maps")]
    pub image: Option<PathBuf>,
    /// Invert the grey levels of --image (255 − v), for dark digits on a light background.
    #[arg(long)]
    pub invert: bool,
    /// The gradient norm of every weight over the run's first --steps training steps,
    /// replayed from its initialisation with its recorded settings: gradients.csv and
    /// gradients.png.
    #[arg(long)]
    pub gradients: bool,
    /// Training steps --gradients replays (1 to 100,000; at most the run's own).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    pub steps: usize,
    /// Where the dataset is, for --gradients (default: the run's --data-dir, then the places
    /// `train` looks).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Backend; default: the one the run was trained on.
    #[arg(long, value_parser = parse::<Backend>)]
    pub backend: Option<Backend>,
    /// The folder of the pictures; default RUN_DIR/visualize.
    #[arg(long)]
    pub out: Option<PathBuf>,
}
