//! `cargo xtask predict RUN_DIR --image FILE|DIR`: a saved image model on image files,
//! prepared exactly as the run's test images were.

use std::path::PathBuf;

use ember::burn::data::dataloader::batcher::Batcher;
use ember::burn::prelude::*;
use ember::burn::tensor::activation::softmax;
use ember::data::{read_images, ImageItem, ImageLayout, MNIST_SIDE};
use ember::train::{files, Classifier, RunDir, RunRecord};
use serde_json::json;

use crate::cli::PredictArgs;
use crate::{alexnet, eval, lenet};

/// Reads the images, runs the run's model on them and prints the top classes of each.
pub fn run(args: PredictArgs) -> crate::Result<()> {
    let run = RunDir::open(&args.run_dir)?;
    let record: RunRecord = run.read_json(files::CONFIG)?;
    let picked = eval::backend(args.backend, &record)?;
    let device = &picked.device;
    let name = record.model["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let image = args
        .image
        .as_ref()
        .ok_or("give --image FILE or --image DIR (PNG or JPEG); text models take --text instead")?;
    let rows = match name.as_str() {
        "lenet5" => {
            let recipe = lenet::Recipe::from_record(&record)?;
            let model = run.load_model(recipe.init(device))?;
            let shape = [1, MNIST_SIDE, MNIST_SIDE];
            scores(
                &model,
                &recipe.eval_batcher()?,
                image,
                shape,
                args.invert,
                device,
            )?
        }
        "alexnet" => {
            let recipe = alexnet::Recipe::from_record(&record)?;
            let model = run.load_model(recipe.init(device)?)?;
            let shape = recipe.image_shape;
            scores(
                &model,
                &recipe.eval_batcher()?,
                image,
                shape,
                args.invert,
                device,
            )?
        }
        other => {
            return Err(format!(
                "config.json names the model `{other}`, which `predict --image` does not know \
                 (lenet5, alexnet)"
            )
            .into())
        }
    };
    let top = args.top.min(record.classes.len()).max(1);
    let ranked: Vec<_> = rows
        .iter()
        .map(|(path, probs)| {
            let mut order: Vec<usize> = (0..probs.len()).collect();
            order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
            let best: Vec<(String, f32)> = order
                .iter()
                .take(top)
                .map(|&c| (class_name(&record, c), probs[c]))
                .collect();
            (path, best)
        })
        .collect();
    if args.json {
        let out: Vec<_> = ranked
            .iter()
            .map(|(path, best)| {
                json!({
                    "file": path,
                    "top": best.iter().map(|(c, p)| json!({"class": c, "probability": p})).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for (path, best) in ranked {
            println!("{}", path.display());
            for (class, p) in best {
                println!("  {:>7.2}%  {class}", 100.0 * p);
            }
        }
    }
    Ok(())
}

fn class_name(record: &RunRecord, class: usize) -> String {
    record
        .classes
        .get(class)
        .cloned()
        .unwrap_or_else(|| class.to_string())
}

/// The class probabilities of every image at `path` (a file, or a folder's images in name
/// order), converted to `shape` (grey/RGB, size; inverted with `invert`) and batched by the
/// run's own evaluation batcher (padding, resize, normalisation).
fn scores<M, B>(
    model: &M,
    batcher: &B,
    path: &std::path::Path,
    shape: [usize; 3],
    invert: bool,
    device: &Device,
) -> crate::Result<Vec<(PathBuf, Vec<f32>)>>
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
        let probs = softmax(model.logits(inputs), 1);
        let [n, classes] = probs.dims();
        let values: Vec<f32> = probs.into_data().convert::<f32>().try_to_vec::<f32>()?;
        for (i, (file, _)) in chunk.iter().enumerate().take(n) {
            rows.push((
                file.clone(),
                values[i * classes..(i + 1) * classes].to_vec(),
            ));
        }
    }
    Ok(rows)
}
