//! `cargo xtask visualize RUN_DIR --filters | --feature-maps --image FILE | --gradients`:
//! pictures of a run's model, drawn by ember-train from the model its config.json rebuilds.

use std::path::{Path, PathBuf};

use ember::burn::data::dataloader::batcher::Batcher;
use ember::burn::prelude::*;
use ember::data::{read_image, ImageItem, ImageLayout, MNIST_SIDE};
use ember::train::{
    files, filter_pictures, Classifier, FeatureMaps, GradientNorms, Labelled, Picture, RunDir,
    RunRecord, TrainError, Training, CHANNEL_LIMIT,
};

use crate::cli::{Command, VisualizeArgs};
use crate::job::{Assembled, Job};
use crate::{alexnet, config, eval, lenet, lstm, train};

/// Draws what the flags ask for into `--out` (default RUN_DIR/visualize).
pub fn run(args: VisualizeArgs) -> crate::Result<()> {
    if !(args.filters || args.feature_maps || args.gradients) {
        return Err(
            "say what to draw: --filters, --feature-maps --image FILE, --gradients (any of them)"
                .into(),
        );
    }
    let run = RunDir::open(&args.run_dir)?;
    let record: RunRecord = run.read_json(files::CONFIG)?;
    let out = args.out.clone().unwrap_or_else(|| run.file("visualize"));
    if args.filters || args.feature_maps {
        for picture in pictures(&run, &record, &args)? {
            let path = picture.save(&out)?;
            println!("wrote {}: {}", path.display(), picture.caption);
        }
    }
    if args.gradients {
        replay(&run, &record, &args, out)?;
    }
    Ok(())
}

/// The filter and feature-map pictures of the run's trained model.
fn pictures(run: &RunDir, record: &RunRecord, args: &VisualizeArgs) -> crate::Result<Vec<Picture>> {
    let picked = eval::backend(args.backend, record)?;
    let device = &picked.device;
    let name = record.model["name"].as_str().unwrap_or_default();
    match name {
        "lenet5" => {
            let recipe = lenet::Recipe::from_record(record)?;
            let model = run.load_model(recipe.init(device))?;
            let shape = [1, MNIST_SIDE, MNIST_SIDE];
            image_pictures(&model, &recipe.eval_batcher()?, shape, args, device)
        }
        "alexnet" => {
            let recipe = alexnet::Recipe::from_record(record)?;
            let model = run.load_model(recipe.init(device)?)?;
            let shape = recipe.image_shape;
            image_pictures(&model, &recipe.eval_batcher()?, shape, args, device)
        }
        "lstm" => {
            let recipe = lstm::Recipe::from_record(record)?;
            let model = run.load_model(recipe.model.init(device)?)?;
            // The LSTM has no rank-4 weight: ember-train says so, naming what works.
            let mut pictures = Vec::new();
            if args.filters {
                pictures.extend(filter_pictures(&model, CHANNEL_LIMIT)?);
            }
            if args.feature_maps {
                return Err(TrainError::NoConvolution {
                    model: "LstmClassifier".into(),
                    wanted: "feature maps",
                }
                .into());
            }
            Ok(pictures)
        }
        other => Err(format!(
            "config.json names the model `{other}`, which `visualize` does not know (lenet5, \
             alexnet, lstm); was it written by `cargo xtask train`?"
        )
        .into()),
    }
}

/// `--filters` and `--feature-maps` of an image model: the image read at the run's layout
/// `shape` (grey/RGB, size) and batched by the run's evaluation batcher.
fn image_pictures<M, B>(
    model: &M,
    batcher: &B,
    shape: [usize; 3],
    args: &VisualizeArgs,
    device: &Device,
) -> crate::Result<Vec<Picture>>
where
    M: Classifier<Input = Tensor<4>>,
    B: Batcher<ImageItem, (Tensor<4>, Tensor<1, Int>)>,
{
    let mut pictures = Vec::new();
    if args.filters {
        pictures.extend(filter_pictures(model, CHANNEL_LIMIT)?);
    }
    if let (true, Some(path)) = (args.feature_maps, &args.image) {
        let image = read_one(path, shape, args.invert)?;
        let (batch, _) = batcher.batch(vec![ImageItem { image, label: 0 }], device);
        pictures.extend(FeatureMaps::capture(model, batch)?.pictures());
    }
    Ok(pictures)
}

/// The image file at `path` as `[c, h, w]` bytes of `shape` (converted, resized, inverted
/// when asked), as `predict` reads it.
fn read_one(path: &Path, shape: [usize; 3], invert: bool) -> crate::Result<Vec<u8>> {
    if path.is_dir() {
        return Err(format!(
            "--image {}: a folder; feature maps are drawn for one image, give one PNG or JPEG \
             file",
            path.display()
        )
        .into());
    }
    let mut layout = ImageLayout::new(shape);
    if invert {
        layout = layout.inverted();
    }
    Ok(read_image(path, &layout)?)
}

/// `--gradients`: the run assembled again from its recorded settings (as `train --config
/// RUN/config.json` would), its first `--steps` steps replayed from the initialisation.
fn replay(
    run: &RunDir,
    record: &RunRecord,
    args: &VisualizeArgs,
    out: PathBuf,
) -> crate::Result<()> {
    let mut settings = config::read(&run.file(files::CONFIG))?;
    let model =
        match settings.iter().position(|(k, _)| k == "model") {
            Some(i) => settings.remove(i).1,
            None => return Err(
                "config.json: its settings name no model; was it written by `cargo xtask train`?"
                    .into(),
            ),
        };
    settings.retain(|(k, _)| k != "out" && k != "config");
    if let Some(dir) = &args.data_dir {
        settings.push(("data-dir".into(), dir.display().to_string()));
    }
    // The run's own backend unless another is asked for (its seed gives other weights on
    // another backend).
    let backend = args
        .backend
        .map_or(record.backend.clone(), |b| b.to_string());
    settings.push(("backend".into(), backend));
    let mut line = vec!["cargo xtask".into(), "train".into(), model.into()];
    line.extend(config::to_flags(&settings)?);
    let Command::Train(train_args) = config::parse(line)?.command else {
        unreachable!("a `train` command line parses as `train`")
    };
    println!(
        "gradients: replaying the first {} training steps of {} from its initialisation",
        args.steps,
        run.path().display()
    );
    train::assemble(
        &train_args,
        Gradients {
            steps: args.steps,
            out,
        },
    )
}

/// `visualize --gradients`' job: replay the first `steps` training steps of the assembled
/// run and write each weight's gradient norms into `out`.
struct Gradients {
    steps: usize,
    out: PathBuf,
}

impl Job for Gradients {
    fn doing(&self) -> &'static str {
        "replaying the first steps of"
    }

    fn run<M, I, T, E>(self, parts: Assembled<M, I, T, E>) -> crate::Result<()>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
        E: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        let norms =
            Training::new(parts.fit).gradient_norms(parts.model, &parts.data, self.steps)?;
        save_gradients(norms, self.steps, &self.out)
    }
}

/// Writes the norms of the `asked` steps into `out` and prints where, with each weight's
/// first and last norm.
pub fn save_gradients(norms: GradientNorms, asked: usize, out: &Path) -> crate::Result<()> {
    let [csv, plot] = norms.save(out)?;
    let steps = norms.losses.len();
    let whole = if steps < asked {
        format!(" (the whole run: {asked} were asked)")
    } else {
        String::new()
    };
    println!("{steps} steps{whole}; gradient norm ‖∂L/∂W‖₂ at the first and the last:");
    for (w, name) in norms.weights.iter().enumerate() {
        let first = norms.norms.first().map_or(f64::NAN, |n| n[w]);
        let last = norms.norms.last().map_or(f64::NAN, |n| n[w]);
        println!("  {name:<24} {first:>11.4e} {last:>11.4e}");
    }
    println!("wrote {} and {}", csv.display(), plot.display());
    Ok(())
}
