//! `cargo xtask train`: backend → data → split → pipeline → model → run, each part from a
//! library crate. The assembly up to the run ([`assemble`]) serves `lr-find` too.

use std::path::PathBuf;
use std::sync::Arc;

use ember::augment::{AugmentBatcher, NormalizeBatcher, Pipeline};
use ember::backend::{Backend, Picked};
use ember::burn::data::dataloader::batcher::Batcher;
use ember::burn::data::dataset::transform::{PartialDataset, SelectionDataset};
use ember::burn::data::dataset::Dataset;
use ember::data::{
    bucket_by_length, stratified_k_fold, train_valid_split, CifarSource, DatasetSpec,
    EncoderConfig, ImageDataset, ImageFolder, ImageItem, MissingVectors, MnistKind, MnistSource,
    TextBatcher, TextEncoder, TextLoadOptions, TokenizerConfig, Truncation, VocabConfig,
    WordVectors, BUCKET_POOL_BATCHES,
};
use ember::models::{
    AlexNetConfig, AlexNetVariant, LeNet5Config, LeNetVariant, LstmClassifierConfig,
    SequencePooling,
};
use ember::train::{
    files, Classifier, FitConfig, Labelled, RunData, RunDir, RunRecord, TrainError,
};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde_json::{json, Value};

use crate::cli::{ModelName, TrainArgs};
use crate::job::{Assembled, Job};
use crate::{alexnet, lenet, lstm};

/// The training settings the flags give.
///
/// # Errors
/// When a hyper-parameter flag names a setting the chosen optimizer or schedule lacks
/// (`--momentum` with Adam), or is out of its range.
fn fit_config(args: &TrainArgs) -> crate::Result<FitConfig> {
    let mut optimizer = args.optimizer;
    if let Some(m) = args.momentum {
        optimizer = optimizer.with_momentum(m)?;
    }
    if let Some((b1, b2)) = args.betas {
        optimizer = optimizer.with_betas(b1, b2)?;
    }
    if let Some(eps) = args.eps {
        optimizer = optimizer.with_epsilon(eps)?;
    }
    let mut schedule = args.schedule;
    if let Some(gamma) = args.gamma {
        schedule = schedule.with_gamma(gamma)?;
    }
    if let Some(k) = args.step_size {
        schedule = schedule.with_step_size(k)?;
    }
    if let Some(w) = args.warmup {
        schedule = schedule.with_warmup(w)?;
    }
    Ok(FitConfig::new()
        .with_epochs(args.epochs)
        .with_batch_size(args.batch_size)
        .with_lr(args.lr)
        .with_schedule(schedule)
        .with_optimizer(optimizer)
        .with_weight_decay(args.weight_decay)
        .with_l1(args.l1)
        .with_clip_norm(args.clip_norm)
        .with_loss(args.loss)
        .with_seed(args.seed)
        .with_checkpoints(!args.no_checkpoints)
        .with_early_stopping(args.early_stopping))
}

/// `train`'s job: train, test and write the run folder `out` (default
/// `runs/NAME-UTC_TIME`).
pub struct Train {
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--resume`: carry on the run in `out`.
    pub resume: bool,
}

impl Job for Train {
    fn doing(&self) -> &'static str {
        "training"
    }

    fn run<M, I, T, E>(self, parts: Assembled<M, I, T, E>) -> crate::Result<()>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
        E: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        let out = self
            .out
            .unwrap_or_else(|| RunDir::default_path(&parts.name));
        let mut training = ember::train::Training::new(parts.fit).stop_on_signals();
        if self.resume {
            training = training.resume();
        }
        for (file, bytes) in parts.attachments {
            training = training.attach(file, bytes);
        }
        match training.run(parts.model, parts.data, parts.record, &out) {
            Ok(_) => Ok(()),
            Err(e) => {
                if let TrainError::Interrupted { .. } = e {
                    eprintln!(
                        "resume with: cargo xtask train --resume {}",
                        shell_word(&out.display().to_string())
                    );
                }
                Err(e.into())
            }
        }
    }
}

/// Trains, tests and writes the run folder.
pub fn run(args: TrainArgs) -> crate::Result<()> {
    let out = args.out.clone();
    let resume = args.resume.is_some();
    assemble(&args, Train { out, resume })
}

/// `word` as one word of a shell command line (quoted when it needs to be).
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Checks the flags, assembles the model and its data as they say, and hands them to `job`.
pub fn assemble(args: &TrainArgs, job: impl Job) -> crate::Result<()> {
    // Before the data is fetched, which may take minutes.
    if !(args.valid_fraction > 0.0 && args.valid_fraction < 1.0) {
        return Err(format!("--valid-fraction {} must be in (0, 1)", args.valid_fraction).into());
    }
    if let (Some(folds), Some(fold)) = (args.folds, args.fold) {
        if fold >= folds {
            return Err(format!("--fold {fold} must be below --folds {folds} (from 0)").into());
        }
    }
    let model = args.model.ok_or(
        "name the model to train (lenet, alexnet or lstm), on the command line or as \
         `model = \"lenet\"` in the --config file",
    )?;
    let variant = args
        .variant
        .clone()
        .unwrap_or_else(|| model.default_variant().to_string());
    match model {
        ModelName::Lstm if args.activation.is_some() || args.batch_norm => Err(
            "the LSTM's gates have their fixed sigmoid and tanh, and it has no batch norm: \
             --activation and --batch-norm are for lenet and alexnet"
                .into(),
        ),
        ModelName::Lstm if args.train_size.is_some() => Err(
            "--train-size subsets an image dataset's training split; the LSTM trains on its \
             whole stratified split (use a smaller --dataset csv:FILE to train on less)"
                .into(),
        ),
        ModelName::Lstm if args.variant.is_some() => Err(
            "the LSTM has no variants: choose its shape with --layers, --hidden, --embed, \
             --bidirectional and --pooling"
                .into(),
        ),
        ModelName::Lenet => lenet(args, variant.parse()?, job),
        ModelName::Alexnet => alexnet(args, variant.parse()?, job),
        ModelName::Lstm => lstm(args, job),
    }
}

/// The images of a dataset, both splits, and where they came from.
pub struct Images {
    /// The dataset's name as the run records it.
    pub name: String,
    /// The training split (validation is cut from it).
    pub train: ImageDataset,
    /// The test split.
    pub test: ImageDataset,
    /// Where they came from.
    pub origin: Value,
}

/// Loads the image dataset `name` (mnist, fashion-mnist, cifar10, folder:PATH) from
/// `data_dir` or the places its source looks at (a folder is read as it is named).
pub fn load_images(name: &str, data_dir: Option<PathBuf>) -> crate::Result<Images> {
    let spec: DatasetSpec = name.parse()?;
    match &spec {
        DatasetSpec::Mnist(kind) => {
            let data = MnistSource::new(*kind).with_data_dir(data_dir).load()?;
            Ok(Images {
                name: spec.to_string(),
                train: data.train,
                test: data.test,
                origin: json!(data.origin),
            })
        }
        DatasetSpec::Cifar10 => {
            let data = CifarSource::new().with_data_dir(data_dir).load()?;
            Ok(Images {
                name: spec.to_string(),
                train: data.train,
                test: data.test,
                origin: json!(data.origin),
            })
        }
        DatasetSpec::Folder(root) => {
            let data = ImageFolder::new(root).load()?;
            let test = data.test.ok_or_else(|| {
                format!(
                    "{} has no test/ folder: give it train/<class>/… and test/<class>/… \
                     sub-folders, so the run has a test split it never trained on",
                    root.display()
                )
            })?;
            Ok(Images {
                name: spec.to_string(),
                train: data.train,
                test,
                origin: json!(data.origin),
            })
        }
    }
}

/// The validation split and the (possibly shortened) training split of `train`.
type Splits = (
    PartialDataset<SelectionDataset<ImageDataset, ImageItem>, ImageItem>,
    SelectionDataset<ImageDataset, ImageItem>,
);

fn split(args: &TrainArgs, train: ImageDataset, test_len: usize) -> crate::Result<Splits> {
    let seed = split_seed(args);
    let (train, valid) = match (args.folds, args.fold) {
        (Some(k), Some(fold)) => {
            // --train-size picks the seeded subset the folds then cut (5 folds of 1,000
            // images: 800 train / 200 valid each), as a cross-validation of a subset would.
            let mut pool: Vec<usize> = (0..train.len()).collect();
            pool.shuffle(&mut StdRng::seed_from_u64(seed));
            pool.truncate(args.train_size.unwrap_or(usize::MAX));
            let labels: Vec<usize> = pool.iter().map(|&i| train.labels()[i]).collect();
            let folds = stratified_k_fold(&labels, k, seed)?;
            let pick = |part: &[usize]| part.iter().map(|&j| pool[j]).collect::<Vec<_>>();
            let mut train_part = pick(&folds[fold].train);
            train_part.shuffle(&mut StdRng::seed_from_u64(seed));
            let shared = Arc::new(train);
            (
                SelectionDataset::from_indices_checked(shared.clone(), train_part),
                SelectionDataset::from_indices_checked(shared, pick(&folds[fold].valid)),
            )
        }
        _ => train_valid_split(train, args.valid_fraction, seed),
    };
    // The split is already shuffled by the seed: its first images are a random subset.
    let keep = args.train_size.unwrap_or(usize::MAX).min(train.len());
    let train = PartialDataset::new(train, 0, keep);
    println!(
        "splits: {} train / {} valid{} (seed {seed}) / {} test",
        train.len(),
        valid.len(),
        fold_note(args),
        test_len
    );
    Ok((train, valid))
}

/// The seed of the validation split and the folds.
fn split_seed(args: &TrainArgs) -> u64 {
    args.split_seed.unwrap_or(args.seed)
}

/// ` (fold 2 of 5)` with --folds, nothing without.
fn fold_note(args: &TrainArgs) -> String {
    match (args.folds, args.fold) {
        (Some(k), Some(fold)) => format!(" (fold {fold} of {k}, stratified)"),
        _ => String::new(),
    }
}

/// The augmentation pipeline `--augment` names (none without it).
fn augment(args: &TrainArgs) -> crate::Result<Pipeline> {
    let pipeline = match &args.augment {
        Some(spec) => Pipeline::from_name_or_file(spec)?,
        None => Pipeline::preset("none")?,
    };
    if let Some(spec) = &args.augment {
        println!(
            "augment: `{spec}` on training batches: {}",
            serde_json::to_string(pipeline.config())?
        );
    }
    Ok(pipeline)
}

/// `data`, its augmentation generator reseeded at the start of every epoch from the second
/// (so that a resumed run draws what the uninterrupted one would).
fn reseed_augmentation<I, B, E>(
    data: RunData<I, NormalizeBatcher<AugmentBatcher<B>>, E>,
) -> RunData<I, NormalizeBatcher<AugmentBatcher<B>>, E>
where
    B: Clone + Send + Sync + 'static,
{
    let augment = data.train_batcher().inner().clone();
    data.reseed_each_epoch(move |seed| augment.reseed(seed))
}

/// The run's record: the training settings, the split and the backend.
fn record(args: &TrainArgs, fit: FitConfig, picked: &Picked, origin: &Value) -> RunRecord {
    let mut record = RunRecord::new(fit);
    record.settings = json!(args.settings);
    record.data["origin"] = origin.clone();
    record.split = json!({
        "valid_fraction": args.folds.is_none().then_some(args.valid_fraction),
        "folds": args.folds,
        "fold": args.fold,
        "seed": split_seed(args),
        "train_size": args.train_size,
    });
    record.backend = picked.backend.to_string();
    record.device = picked.description.clone();
    record
}

fn lenet(args: &TrainArgs, variant: LeNetVariant, job: impl Job) -> crate::Result<()> {
    let name = args.dataset.as_deref().unwrap_or("mnist");
    let kind: MnistKind = name.parse()?;
    println!("Ember: {} LeNet-5 ({variant}) on {kind}", job.doing());
    let picked = Backend::pick(args.backend)?;
    println!("backend: {picked}");
    if let Some(warning) = picked.warning() {
        eprintln!("warning: {warning}");
    }
    let data = MnistSource::new(kind)
        .with_data_dir(args.data_dir.clone())
        .load()?;
    println!("data: {kind} from {}", data.origin);
    let classes = data.train.class_names().to_vec();
    let test_len = data.test.len();
    let (train, valid) = split(args, data.train, test_len)?;

    let model = LeNet5Config::new()
        .with_variant(variant)
        .with_activation(args.activation)
        .with_batch_norm(args.batch_norm.then_some(true))
        .with_dropout(args.dropout)
        .with_init(args.init);
    let recipe = lenet::Recipe::new(model, kind, classes.len())?;
    let pipeline = augment(args)?;
    let train_batcher = recipe.train_batcher(
        pipeline.clone(),
        args.augment.as_deref().unwrap_or("none"),
        args.seed,
    )?;
    let run_data = reseed_augmentation(
        RunData::new(train, valid, data.test, recipe.eval_batcher()?, classes)
            .with_train_batcher(train_batcher),
    );

    let fit = fit_config(args)?;
    let mut record = record(args, fit.clone(), &picked, &json!(data.origin));
    recipe.describe(&mut record, args.augment.as_ref().map(|_| &pipeline));
    picked.device.seed(args.seed);
    job.run(Assembled {
        model: recipe.init(&picked.device),
        data: run_data,
        fit,
        record,
        name: format!("lenet5-{variant}-{kind}"),
        attachments: Vec::new(),
    })
}

fn alexnet(args: &TrainArgs, variant: AlexNetVariant, job: impl Job) -> crate::Result<()> {
    let name = args.dataset.as_deref().unwrap_or("cifar10");
    let config = AlexNetConfig::new()
        .with_variant(variant)
        .with_groups(args.groups)
        .with_dropout(args.dropout.unwrap_or(0.5))
        .with_input_side(args.image_size)
        .with_activation(args.activation)
        .with_batch_norm(args.batch_norm.then_some(true))
        .with_init(args.init);
    // The settings are checked before the data is fetched.
    config.check()?;
    if args.weights.is_some()
        && (args.init.is_some() || args.activation.is_some() || args.batch_norm)
    {
        return Err(
            "--weights sets every weight of a network with ReLU and no batch norm; \
                    leave out --init, --activation and --batch-norm (or --weights)"
                .into(),
        );
    }
    println!("Ember: {} AlexNet ({variant}) on {name}", job.doing());
    let picked = Backend::pick(args.backend)?;
    println!("backend: {picked}");
    if let Some(warning) = picked.warning() {
        eprintln!("warning: {warning}");
    }
    let images = load_images(name, args.data_dir.clone())?;
    println!("data: {} from {}", images.name, images.origin);
    let classes = images.train.class_names().to_vec();
    let shape = images.train.shape();
    let test_len = images.test.len();
    let (train, valid) = split(args, images.train, test_len)?;

    let config = config
        .with_num_classes(classes.len())
        .with_in_channels(shape[0]);
    let recipe = alexnet::Recipe::new(config, &images.name, shape, &train)?;
    println!(
        "normalise: mean {:?} std {:?} (per channel, from the training split)",
        recipe.normalize.mean, recipe.normalize.std
    );
    let pipeline = augment(args)?;
    let train_batcher = recipe.train_batcher(
        &pipeline,
        args.augment.as_deref().unwrap_or("none"),
        args.seed,
    )?;
    let run_data = reseed_augmentation(
        RunData::new(train, valid, images.test, recipe.eval_batcher()?, classes)
            .with_train_batcher(train_batcher),
    );

    let fit = fit_config(args)?;
    let mut record = record(args, fit.clone(), &picked, &images.origin);
    recipe.describe(&mut record, args.augment.as_ref().map(|_| &pipeline));
    picked.device.seed(args.seed);
    let mut model = recipe.init(&picked.device)?;
    if let Some(weights) = &args.weights {
        // A run's own weights are checked against the SHA-256 the run recorded.
        let folder = weights
            .parent()
            .filter(|d| d.join(files::MODEL_CHECKSUM).is_file());
        if let (Some(folder), true) = (folder, weights.ends_with(files::MODEL)) {
            RunDir::open(folder)?.verify_model()?;
        }
        if args.fresh_head {
            model.load_weights_except_head(weights)?;
            println!(
                "weights: started from {} (all but fc8, which starts new)",
                weights.display()
            );
            record.model["fresh_head"] = json!(true);
        } else {
            model.load_weights(weights)?;
            println!("weights: started from {}", weights.display());
        }
        record.model["weights"] = json!(weights);
    }
    if let Some(part) = args.freeze.as_deref() {
        if part != "features" {
            return Err(format!(
                "--freeze {part} is the LSTM's; AlexNet freezes `features` (conv1..conv5)"
            )
            .into());
        }
        model = model.freeze_features();
        println!("freeze: conv1..conv5 frozen, only fc6..fc8 learn");
        record.model["freeze"] = json!("features");
    }
    job.run(Assembled {
        model,
        data: run_data,
        fit,
        record,
        name: format!("alexnet-{variant}-{}", images.name),
        attachments: Vec::new(),
    })
}

fn lstm(args: &TrainArgs, job: impl Job) -> crate::Result<()> {
    let text = &args.text;
    let name = args.dataset.as_deref().unwrap_or("spam-assassin");
    let pooling: SequencePooling = text.pooling.parse()?;
    let pipeline = lstm::TextPipeline {
        tokenizer: TokenizerConfig {
            fold_numbers: text.fold_numbers,
            ..TokenizerConfig::default()
        },
        vocab: VocabConfig {
            min_freq: text.min_freq,
            max_size: text.vocab_size,
        },
        encoder: EncoderConfig {
            max_len: text.max_len,
            truncation: text.truncation.parse::<Truncation>()?,
        },
    };
    println!("Ember: {} the LSTM classifier on {name}", job.doing());
    let picked = Backend::pick(args.backend)?;
    println!("backend: {picked}");
    if let Some(warning) = picked.warning() {
        eprintln!("warning: {warning}");
    }
    let options = TextLoadOptions {
        data_dir: args
            .data_dir
            .clone()
            .or(TextLoadOptions::default().data_dir),
        text_column: text.text_column.clone(),
        label_column: text.label_column.clone(),
        ..TextLoadOptions::default()
    };
    let splits = lstm::load_splits(
        name,
        &options,
        lstm::Validation {
            fraction: args.valid_fraction,
            folds: args.folds.zip(args.fold),
        },
        text.test_fraction,
        split_seed(args),
    )?;
    println!("data: {name} from {}", splits.origin);
    println!(
        "splits (stratified, seed {}): {} train / {} valid{} / {} test",
        split_seed(args),
        splits.train.len(),
        splits.valid.len(),
        fold_note(args),
        splits.test.len()
    );
    let classes = splits.train.class_names().to_vec();
    let encoder = TextEncoder::fit(
        &splits.train,
        pipeline.tokenizer.clone(),
        &pipeline.vocab,
        pipeline.encoder.clone(),
    )?;
    println!(
        "vocabulary: {} tokens from the training split (min frequency {}), max length {}",
        encoder.vocab().len(),
        text.min_freq,
        text.max_len
    );
    let freeze = match args.freeze.as_deref() {
        None => false,
        Some("embedding") => true,
        Some(part) => {
            return Err(format!(
                "--freeze {part} is AlexNet's; the LSTM freezes `embedding` (with --word-vectors)"
            )
            .into())
        }
    };
    let vectors = match &text.word_vectors {
        Some(path) => {
            let vectors = WordVectors::read_for(path, encoder.vocab())?;
            let matrix = vectors.embedding_matrix(
                encoder.vocab(),
                MissingVectors::Uniform {
                    scale: 0.25,
                    seed: args.seed,
                },
            );
            println!(
                "word vectors: {} of {} vocabulary tokens found in {} ({} wide){}",
                matrix.found,
                encoder.vocab().len().saturating_sub(2),
                path.display(),
                matrix.dim,
                if freeze { ", frozen" } else { "" }
            );
            if let Some(embed) = text.embed.filter(|&e| e != matrix.dim) {
                return Err(format!(
                    "--embed {embed} differs from the word vectors' width {} in {}: drop \
                     --embed (it follows the file) or use vectors of width {embed}",
                    matrix.dim,
                    path.display()
                )
                .into());
            }
            Some(matrix)
        }
        None if freeze => {
            return Err(
                "--freeze embedding keeps pretrained vectors fixed: give them with \
                 --word-vectors FILE"
                    .into(),
            )
        }
        None => None,
    };
    let embed = vectors
        .as_ref()
        .map_or(text.embed.unwrap_or(100), |m| m.dim);
    let model = LstmClassifierConfig::new(encoder.vocab().len())
        .with_embed_dim(embed)
        .with_freeze_embedding(freeze)
        .with_hidden_size(text.hidden)
        .with_num_layers(text.layers)
        .with_bidirectional(text.bidirectional)
        .with_pooling(pooling)
        .with_dropout(args.dropout.unwrap_or(0.0))
        .with_init(args.init)
        .with_num_classes(classes.len());
    let recipe = lstm::Recipe {
        model,
        dataset: name.to_string(),
        pipeline,
    };
    let attachments = lstm::attachments(&encoder, &classes)?;
    let batcher = TextBatcher::new(encoder.clone());
    let lengths = text.bucket.then(|| encoder.lengths(&splits.train));
    let mut run_data = RunData::new(splits.train, splits.valid, splits.test, batcher, classes);
    if let Some(lengths) = lengths {
        let (batch, seed) = (args.batch_size, args.seed);
        bucket_by_length(&lengths, batch, seed)?;
        println!("batches: bucketed by length (pools of {BUCKET_POOL_BATCHES} batches)");
        run_data = run_data.with_epoch_order(Arc::new(move |epoch| {
            bucket_by_length(&lengths, batch, seed.wrapping_add(epoch))
                .expect("the batch size was checked above")
        }));
    }

    let fit = fit_config(args)?;
    let mut record = record(args, fit.clone(), &picked, &splits.origin);
    record.split = json!({
        "stratified": true,
        "valid_fraction": args.folds.is_none().then_some(args.valid_fraction),
        "folds": args.folds,
        "fold": args.fold,
        "test_fraction": text.test_fraction,
        "seed": split_seed(args),
    });
    recipe.describe(&mut record, encoder.vocab().len());
    record.data["text_column"] = json!(text.text_column);
    record.data["label_column"] = json!(text.label_column);
    record.data["bucket"] = json!(text.bucket);
    if let Some(path) = &text.word_vectors {
        record.model["word_vectors"] = json!(path);
    }
    picked.device.seed(args.seed);
    let model = match vectors {
        Some(matrix) => recipe
            .model
            .init_with_embedding(matrix.to_tensor(&picked.device), &picked.device)?,
        None => recipe.model.init(&picked.device)?,
    };
    job.run(Assembled {
        model,
        data: run_data,
        fit,
        record,
        name: format!("lstm-{}", file_safe(name)),
        attachments: attachments.into(),
    })
}

/// `csv:data/x.csv` → `csv-x`: a dataset name usable in a folder name.
fn file_safe(name: &str) -> String {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let kind = name.split(':').next().unwrap_or(name);
    let base = if kind != name {
        format!("{kind}-{stem}")
    } else {
        name.to_string()
    };
    base.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}
