//! `cargo xtask predict RUN_DIR --image FILE|DIR` or `--text "..."` / `--file PATH`: a saved
//! model on new inputs, prepared exactly as the run's test inputs were.

use std::path::Path;

use ember::burn::data::dataloader::batcher::Batcher;
use ember::burn::prelude::*;
use ember::burn::tensor::activation::softmax;
use ember::data::{read_images, ImageItem, ImageLayout, TextItem, MNIST_SIDE};
use ember::train::{files, Classifier, RunDir, RunRecord};
use serde_json::json;

use crate::cli::PredictArgs;
use crate::{alexnet, eval, lenet, lstm};

/// One input (a file name or a text) and its class probabilities.
type Scored = (String, Vec<f32>);

/// Reads the inputs, runs the run's model on them and prints the top classes of each.
pub fn run(args: PredictArgs) -> crate::Result<()> {
    let run = RunDir::open(&args.run_dir)?;
    let record: RunRecord = run.read_json(files::CONFIG)?;
    let picked = eval::backend(args.backend, &record)?;
    let device = &picked.device;
    let name = record.model["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let rows = match name.as_str() {
        "lstm" => text_scores(&run, &record, &args, device)?,
        "lenet5" => {
            let recipe = lenet::Recipe::from_record(&record)?;
            let model = run.load_model(recipe.init(device))?;
            let shape = [1, MNIST_SIDE, MNIST_SIDE];
            let batcher = recipe.eval_batcher()?;
            image_scores(
                &model,
                &batcher,
                image_path(&args)?,
                shape,
                args.invert,
                device,
            )?
        }
        "alexnet" => {
            let recipe = alexnet::Recipe::from_record(&record)?;
            let model = run.load_model(recipe.init(device)?)?;
            let shape = recipe.image_shape;
            let batcher = recipe.eval_batcher()?;
            image_scores(
                &model,
                &batcher,
                image_path(&args)?,
                shape,
                args.invert,
                device,
            )?
        }
        other => {
            return Err(format!(
                "config.json names the model `{other}`, which `predict` does not know \
                 (lenet5, alexnet, lstm); was it written by `cargo xtask train`?"
            )
            .into())
        }
    };
    print_ranked(&record, &args, rows)
}

fn image_path(args: &PredictArgs) -> crate::Result<&Path> {
    Ok(args.image.as_deref().ok_or(
        "an image model takes --image FILE or --image DIR (PNG or JPEG); --text is for text \
         models",
    )?)
}

/// Prints the `--top` classes of every row, as a table or `--json`.
fn print_ranked(record: &RunRecord, args: &PredictArgs, rows: Vec<Scored>) -> crate::Result<()> {
    let top = args.top.clamp(1, record.classes.len().max(1));
    let class_name = |c: usize| {
        record
            .classes
            .get(c)
            .cloned()
            .unwrap_or_else(|| c.to_string())
    };
    let ranked: Vec<(String, Vec<(String, f32)>)> = rows
        .into_iter()
        .map(|(input, probs)| {
            let mut order: Vec<usize> = (0..probs.len()).collect();
            order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
            let best = order
                .iter()
                .take(top)
                .map(|&c| (class_name(c), probs[c]))
                .collect();
            (input, best)
        })
        .collect();
    if args.json {
        let out: Vec<_> = ranked
            .iter()
            .map(|(input, best)| {
                let top: Vec<_> = best
                    .iter()
                    .map(|(c, p)| json!({ "class": c, "probability": p }))
                    .collect();
                json!({ "input": input, "top": top })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for (input, best) in ranked {
            println!("{input}");
            for (class, p) in best {
                println!("  {:>7.2}%  {class}", 100.0 * p);
            }
        }
    }
    Ok(())
}

/// Softmax of `[n, classes]` logits, one row per example.
fn probabilities(logits: Tensor<2>) -> crate::Result<Vec<Vec<f32>>> {
    let probs = softmax(logits, 1);
    let [_, classes] = probs.dims();
    let values: Vec<f32> = probs.into_data().convert::<f32>().try_to_vec::<f32>()?;
    Ok(values.chunks(classes.max(1)).map(<[f32]>::to_vec).collect())
}

/// The class probabilities of every image at `path` (a file, or a folder's images in name
/// order), converted to `shape` (grey/RGB, size; inverted with `invert`) and batched by the
/// run's own evaluation batcher (padding, resize, normalisation).
fn image_scores<M, B>(
    model: &M,
    batcher: &B,
    path: &Path,
    shape: [usize; 3],
    invert: bool,
    device: &Device,
) -> crate::Result<Vec<Scored>>
where
    M: Classifier<Input = Tensor<4>>,
    B: Batcher<ImageItem, (Tensor<4>, Tensor<1, Int>)>,
{
    let mut layout = ImageLayout::new(shape);
    if invert {
        layout = layout.inverted();
    }
    let images = read_images(path, &layout)?;
    let mut rows = Vec::new();
    for chunk in images.chunks(64) {
        let items = chunk
            .iter()
            .map(|(_, image)| ImageItem {
                image: image.clone(),
                label: 0,
            })
            .collect();
        let (inputs, _) = batcher.batch(items, device);
        let names = chunk.iter().map(|(file, _)| file.display().to_string());
        rows.extend(names.zip(probabilities(model.logits(inputs))?));
    }
    Ok(rows)
}

/// The class probabilities of `--text` or of each non-empty line of `--file`, tokenised and
/// encoded with the run's own tokeniser and vocabulary.
fn text_scores(
    run: &RunDir,
    record: &RunRecord,
    args: &PredictArgs,
    device: &Device,
) -> crate::Result<Vec<Scored>> {
    let texts: Vec<String> =
        match (&args.text, &args.file) {
            (Some(text), None) => vec![text.clone()],
            (None, Some(file)) => {
                let bytes = std::fs::read(file)
                    .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
                let content = String::from_utf8(bytes).map_err(|e| {
                    format!(
                        "{} is not UTF-8 (first bad byte at {}); convert it, e.g. `iconv -f \
                     GB18030 -t UTF-8`",
                        file.display(),
                        e.utf8_error().valid_up_to()
                    )
                })?;
                content
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect()
            }
            _ => return Err(
                "a text model takes either --text \"...\" or --file PATH (one document per line)"
                    .into(),
            ),
        };
    let recipe = lstm::Recipe::from_record(record)?;
    let batcher = recipe.batcher(run)?;
    let model = run.load_model(recipe.model.init(device)?)?;
    let mut rows = Vec::new();
    for chunk in texts.chunks(64) {
        let items = chunk
            .iter()
            .map(|text| TextItem {
                text: text.clone(),
                label: 0,
            })
            .collect();
        let (inputs, _) = batcher.batch(items, device);
        rows.extend(
            chunk
                .iter()
                .cloned()
                .zip(probabilities(model.logits(inputs))?),
        );
    }
    Ok(rows)
}
