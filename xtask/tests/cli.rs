//! `cargo xtask` end to end on a tiny generated IDX dataset: train, eval, summary, and
//! the errors a user meets.

use std::path::Path;

use ember::burn::data::dataset::Dataset;
use ember::data::synthetic_mnist;

mod common;

use common::{text, tiny_dataset, xtask, xtask_with};

#[test]
fn train_then_eval_a_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let run = tmp.path().join("run");
    let out = xtask(
        tmp.path(),
        &[
            "train",
            "lenet",
            "--backend",
            "flex",
            "--epochs",
            "2",
            "--batch-size",
            "32",
            "--lr",
            "0.002",
            "--data-dir",
            data.to_str().unwrap(),
            "--out",
            run.to_str().unwrap(),
        ],
    );
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("backend: flex"), "{log}");
    assert!(log.contains("NOT the published files"), "{log}");
    assert!(
        log.contains("weighted avg"),
        "the per-class table is printed: {log}"
    );
    for file in [
        "config.json",
        "metrics.csv",
        "curves.png",
        "summary.txt",
        "model.bpk",
        "test.json",
        "confusion.csv",
        "confusion.png",
    ] {
        assert!(run.join(file).is_file(), "{file} missing");
    }
    let metrics = std::fs::read_to_string(run.join("metrics.csv")).unwrap();
    assert_eq!(metrics.lines().count(), 3, "{metrics}");
    let test: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("test.json")).unwrap()).unwrap();
    let accuracy = test["accuracy"].as_f64().unwrap();
    assert!(accuracy > 80.0, "accuracy {accuracy}% on generated data");
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["fit"]["seed"], 42);
    assert_eq!(config["backend"], "flex");
    assert_eq!(config["data"]["origin"]["source"], "folder");
    assert_eq!(config["model"]["config"]["variant"], "modern");
    let mean = config["pipeline"]["normalize"]["mean"][0].as_f64().unwrap();
    assert!((mean - 0.1307).abs() < 1e-6, "MNIST's mean: {mean}");
    assert_eq!(test["per_class"].as_array().unwrap().len(), 10);
    let confusion = std::fs::read_to_string(run.join("confusion.csv")).unwrap();
    let counted: usize = confusion
        .lines()
        .skip(1)
        .flat_map(|l| l.split(',').skip(1).map(|c| c.parse::<usize>().unwrap()))
        .sum();
    assert_eq!(counted, 200, "{confusion}");

    let eval_run = || {
        let args = [
            "eval",
            run.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ];
        xtask(tmp.path(), &args)
    };
    let eval = eval_run();
    let log = text(&eval);
    assert!(eval.status.success(), "{log}");
    assert!(log.contains(&format!("accuracy {accuracy:.2}%")), "{log}");

    // Weights changed after the run (one bit of the last weight byte): refused, not NaN.
    let weights = run.join("model.bpk");
    let mut bytes = std::fs::read(&weights).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&weights, &bytes).unwrap();
    let eval = eval_run();
    let log = text(&eval);
    assert!(!eval.status.success(), "{log}");
    assert!(
        log.contains("the file changed after the run wrote it"),
        "{log}"
    );
    // An edited config.json is refused before it can allocate without bound or give NaN.
    let config = run.join("config.json");
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    for field in ["normalize", "padding"] {
        let mut broken = original.clone();
        if field == "normalize" {
            broken["pipeline"]["normalize"]["std"] = serde_json::json!([0.0]);
        } else {
            broken["pipeline"]["batcher"]["padding"] = serde_json::json!(100_000);
        }
        std::fs::write(&config, broken.to_string()).unwrap();
        let eval = eval_run();
        let log = text(&eval);
        assert!(!eval.status.success(), "{field}: {log}");
        assert!(log.contains("was the file edited?"), "{field}: {log}");
    }
}

#[test]
fn summary_prints_the_papers_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = xtask(tmp.path(), &["summary", "lenet", "--variant", "classic"]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    for count in [
        "122,304", "5,880", "151,600", "2,000", "48,120", "10,164", "1,516",
    ] {
        assert!(log.contains(count), "{count} missing from\n{log}");
    }
}

#[test]
fn numbers_out_of_range_are_refused_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["train", "lenet", "--epochs", "18446744073709551615"][..],
        &["train", "lenet", "--epochs", "0"],
        &["train", "lenet", "--batch-size", "0"],
        &["augment-preview", "--images", "0"],
        &["bench", "augment", "--batch", "0"],
        &["compare-backends", "--steps", "0"],
    ] {
        let out = xtask(tmp.path(), args);
        let log = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {log}");
        assert!(log.contains("is not in"), "{args:?}: {log}");
        assert!(!log.contains("panicked"), "{args:?}: {log}");
    }
}

#[test]
fn user_errors_name_the_cause_and_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = xtask(tmp.path(), &["train", "lenet", "--backend", "cuda"]);
    assert!(!bad.status.success());
    assert!(
        text(&bad).contains("choose one of: ndarray, flex, wgpu"),
        "{}",
        text(&bad)
    );

    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let missing = xtask(
        tmp.path(),
        &[
            "train",
            "lenet",
            "--backend",
            "flex",
            "--data-dir",
            empty.to_str().unwrap(),
        ],
    );
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("no file named train-images-idx3-ubyte"),
        "{}",
        text(&missing)
    );

    let data = tiny_dataset(tmp.path());
    let labels = data.join("t10k-labels-idx1-ubyte.gz");
    let raw = ember::data::read_maybe_gz(&labels).unwrap();
    std::fs::remove_file(&labels).unwrap();
    std::fs::write(data.join("t10k-labels-idx1-ubyte"), &raw[..raw.len() - 10]).unwrap();
    let truncated = xtask(
        tmp.path(),
        &["data", "mnist", "--data-dir", data.to_str().unwrap()],
    );
    assert!(!truncated.status.success());
    let log = text(&truncated);
    assert!(log.contains("t10k-labels-idx1-ubyte: truncated"), "{log}");

    // No Vulkan driver and no EGL vendor visible: wgpu has no adapter at all.
    let no_gpu = xtask_with(
        tmp.path(),
        &[
            "train",
            "lenet",
            "--backend",
            "wgpu",
            "--data-dir",
            data.to_str().unwrap(),
        ],
        &[
            ("VK_ICD_FILENAMES", "/nonexistent/icd.json"),
            ("VK_DRIVER_FILES", "/nonexistent/icd.json"),
            ("__EGL_VENDOR_LIBRARY_FILENAMES", "/nonexistent/egl.json"),
        ],
    );
    assert!(!no_gpu.status.success());
    let log = text(&no_gpu);
    assert!(
        log.contains("no usable GPU adapter") && log.contains("--backend flex"),
        "{log}"
    );
    assert!(!log.contains("panicked"), "{log}");

    let not_a_run = xtask(tmp.path(), &["eval", empty.to_str().unwrap()]);
    assert!(
        text(&not_a_run).contains("not a run folder"),
        "{}",
        text(&not_a_run)
    );
}

#[test]
fn augmented_training_on_a_subset_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let run = tmp.path().join("run");
    let out = xtask(
        tmp.path(),
        &[
            "train",
            "lenet",
            "--backend",
            "flex",
            "--epochs",
            "2",
            "--train-size",
            "100",
            "--augment",
            "mnist",
            "--optimizer",
            "nesterov",
            "--lr",
            "0.01",
            "--schedule",
            "warmup-cosine",
            "--early-stopping",
            "3",
            "--data-dir",
            data.to_str().unwrap(),
            "--out",
            run.to_str().unwrap(),
        ],
    );
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("augment: `mnist` on training batches"),
        "{log}"
    );
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["split_sizes"][0], 100);
    assert_eq!(
        config["pipeline"]["train_augment"]["transforms"][0]["type"],
        "rotation"
    );
    assert_eq!(config["fit"]["optimizer"]["name"], "nesterov");
    assert_eq!(config["fit"]["schedule"]["name"], "warmup-cosine");
    assert_eq!(config["fit"]["early_stopping"], 3);

    let short = xtask(
        tmp.path(),
        &[
            "train",
            "lenet",
            "--epochs",
            "1",
            "--schedule",
            "warmup-cosine",
            "--data-dir",
            data.to_str().unwrap(),
            "--out",
            tmp.path().join("short").to_str().unwrap(),
        ],
    );
    let log = text(&short);
    assert!(!short.status.success(), "{log}");
    assert!(
        log.contains("schedule warmup-cosine") && log.contains("train longer"),
        "{log}"
    );
    assert!(
        !tmp.path().join("short").exists(),
        "no run folder for a run that cannot start"
    );
}

#[test]
fn a_pipeline_that_does_not_fit_lenet_is_refused_before_training() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let out = xtask(
        tmp.path(),
        &[
            "train",
            "lenet",
            "--backend",
            "flex",
            "--augment",
            "alexnet",
            "--data-dir",
            data.to_str().unwrap(),
        ],
    );
    let log = text(&out);
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains("--augment alexnet") && log.contains("use `mnist`"),
        "{log}"
    );
    let unknown = xtask(tmp.path(), &["train", "lenet", "--augment", "wobble"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown).contains("wobble"), "{}", text(&unknown));
}

#[test]
fn augment_preview_writes_a_grid_of_originals_and_variants() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let png = tmp.path().join("grid.png");
    let out = xtask(
        tmp.path(),
        &[
            "augment-preview",
            "--dataset",
            "mnist",
            "--pipeline",
            "mnist",
            "--images",
            "3",
            "--variants",
            "2",
            "--data-dir",
            data.to_str().unwrap(),
            "--out",
            png.to_str().unwrap(),
        ],
    );
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    // 28-pixel digits enlarged 4x into 112-pixel cells with 4-pixel gaps: 3 columns
    // (original + 2 variants) by 3 rows, big-endian width and height at bytes 16..24.
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (3 * 116 + 4, 3 * 116 + 4));
}

#[test]
fn compare_backends_reports_speed_and_parity_as_json() {
    let tmp = tempfile::tempdir().unwrap();
    let out = xtask(
        tmp.path(),
        &[
            "compare-backends",
            "--backends",
            "ndarray,flex",
            "--batch",
            "8",
            "--steps",
            "2",
            "--warmup",
            "1",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let table: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(table["reference"], "ndarray");
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["backend"], "ndarray");
    assert_eq!(rows[0]["parity"]["weights"], 0.0);
    for field in ["logits", "gradients", "weights"] {
        let delta = rows[1]["parity"][field].as_f64().unwrap();
        assert!(delta < 1e-4, "flex {field} differs by {delta}");
    }
    assert!(rows[1]["step_ms"]["median"].as_f64().unwrap() > 0.0);

    // The LSTM counts tokens too; a PyTorch peer that cannot run is skipped with the reason.
    let lstm = xtask_with(
        tmp.path(),
        &[
            "compare-backends",
            "--model",
            "lstm",
            "--backends",
            "flex",
            "--batch",
            "4",
            "--seq-len",
            "12",
            "--vocab",
            "50",
            "--steps",
            "1",
            "--warmup",
            "0",
            "--peer",
            "pytorch",
            "--json",
        ],
        &[("EMBER_PYTHON", "/nonexistent/python3")],
    );
    assert!(lstm.status.success(), "{}", text(&lstm));
    assert!(
        text(&lstm).contains("pytorch: skipped: cannot run `/nonexistent/python3`"),
        "{}",
        text(&lstm)
    );
    let table: serde_json::Value = serde_json::from_slice(&lstm.stdout).unwrap();
    assert_eq!(table["unit"], "tokens");
    let row = &table["rows"][0];
    let (items, tokens) = (
        row["items_per_s"].as_f64().unwrap(),
        row["units_per_s"].as_f64().unwrap(),
    );
    assert!((tokens - 12.0 * items).abs() < 1e-6 * tokens, "{row}");
    assert!(row["parity"]["logits"].as_f64().unwrap() < 1e-4, "{row}");
}

#[test]
fn compare_backends_times_whole_epochs_of_the_real_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let out = xtask_with(
        tmp.path(),
        &[
            "compare-backends",
            "--epoch",
            "--backends",
            "ndarray,flex",
            "--batch",
            "32",
            "--data-dir",
            data.to_str().unwrap(),
            "--peer",
            "pytorch",
            "--json",
        ],
        &[("EMBER_PYTHON", "/nonexistent/python3")],
    );
    assert!(out.status.success(), "{}", text(&out));
    // The runs' progress went to stderr: stdout is the JSON alone.
    let table: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert!(
        text(&out).contains("pytorch: skipped: cannot run"),
        "{}",
        text(&out)
    );
    assert_eq!(table["batch_size"], 32);
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for (row, name) in rows.iter().zip(["ndarray", "flex"]) {
        assert_eq!(row["backend"], name);
        // `train`'s split of the 600 images: 550 to train, 50 to validate.
        assert_eq!(
            (row["train_items"].as_u64(), row["valid_items"].as_u64()),
            (Some(550), Some(50))
        );
        for field in ["loader_s", "raw_s", "run_s"] {
            assert!(row[field].as_f64().unwrap() > 0.0, "{name} {field}: {row}");
        }
        let accuracy = row["valid_accuracy"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&accuracy), "{row}");
    }
    let ratio = rows[1]["speed_vs_first"].as_f64().unwrap();
    let expected = rows[0]["run_s"].as_f64().unwrap() / rows[1]["run_s"].as_f64().unwrap();
    assert!((ratio - expected).abs() < 1e-9, "{ratio} vs {expected}");
}

/// `root/{train,test}/<digit>/N.png` from the synthetic digits: an image folder.
fn image_folder(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("图片");
    for (split, data) in [
        ("train", synthetic_mnist(300, 3)),
        ("test", synthetic_mnist(100, 4)),
    ] {
        for (i, item) in data.iter().enumerate() {
            let item = item.unwrap();
            let class = root.join(split).join(format!("digit-{}", item.label));
            std::fs::create_dir_all(&class).unwrap();
            image::GrayImage::from_raw(28, 28, item.image)
                .unwrap()
                .save(class.join(format!("{i:04}.png")))
                .unwrap();
        }
    }
    root
}

#[test]
fn alexnet_trains_on_an_image_folder_then_evaluates_and_predicts() {
    let tmp = tempfile::tempdir().unwrap();
    let root = image_folder(tmp.path());
    let run = tmp.path().join("run");
    let dataset = format!("folder:{}", root.display());
    let out = xtask(
        tmp.path(),
        &[
            "train",
            "alexnet",
            "--dataset",
            &dataset,
            "--epochs",
            "2",
            "--lr",
            "1e-3",
            "--backend",
            "flex",
            "--image-size",
            "28",
            "--no-checkpoints",
            "--out",
            run.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let log = text(&out);
    assert!(log.contains("normalise: mean ["), "{log}");
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["model"]["name"], "alexnet");
    assert_eq!(config["model"]["config"]["in_channels"], 1);
    assert_eq!(config["classes"][0], "digit-0");
    let test: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("test.json")).unwrap()).unwrap();

    let eval = xtask(tmp.path(), &["eval", run.to_str().unwrap()]);
    assert!(eval.status.success(), "{}", text(&eval));
    let accuracy = format!("accuracy {:.2}%", test["accuracy"].as_f64().unwrap());
    assert!(
        text(&eval).contains(&accuracy),
        "{accuracy}: {}",
        text(&eval)
    );

    let digits = root.join("test").join("digit-3");
    let out = xtask(
        tmp.path(),
        &[
            "predict",
            run.to_str().unwrap(),
            "--image",
            digits.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let json = String::from_utf8_lossy(&out.stdout);
    let rows: serde_json::Value = serde_json::from_str(&json[json.find('[').unwrap()..]).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), std::fs::read_dir(&digits).unwrap().count());
    let top = rows[0]["top"].as_array().unwrap();
    assert_eq!(top.len(), 5);
    let p: Vec<f64> = top
        .iter()
        .map(|t| t["probability"].as_f64().unwrap())
        .collect();
    assert!(p.windows(2).all(|w| w[0] >= w[1]) && p.iter().sum::<f64>() <= 1.0 + 1e-6);

    let missing = xtask(
        tmp.path(),
        &["predict", run.to_str().unwrap(), "--text", "hi"],
    );
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("--image FILE"),
        "{}",
        text(&missing)
    );

    // Export under PyTorch's names, fine-tune from the export with frozen features and a
    // new fc8: the convolutions come back bit-identical, the head moves.
    let exported = tmp.path().join("alexnet.safetensors");
    let out = xtask(
        tmp.path(),
        &[
            "export",
            run.to_str().unwrap(),
            "--out",
            exported.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let tuned = tmp.path().join("tuned");
    let out = xtask(
        tmp.path(),
        &[
            "train",
            "alexnet",
            "--dataset",
            &dataset,
            "--epochs",
            "1",
            "--backend",
            "flex",
            "--image-size",
            "28",
            "--no-checkpoints",
            "--weights",
            exported.to_str().unwrap(),
            "--freeze",
            "features",
            "--fresh-head",
            "--out",
            tuned.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let load = |dir: &Path| {
        let run = ember::train::RunDir::open(dir).unwrap();
        let record: ember::train::RunRecord = run.read_json("config.json").unwrap();
        let config: ember::models::AlexNetConfig =
            serde_json::from_value(record.model["config"].clone()).unwrap();
        let device = ember::burn::prelude::Device::flex();
        run.load_model(config.init(&device).unwrap()).unwrap()
    };
    let (before, after) = (load(&run), load(&tuned));
    for (a, b) in before.features().iter().zip(after.features()) {
        assert_eq!(
            a.weight.val().into_data().into_bytes(),
            b.weight.val().into_data().into_bytes()
        );
    }
    assert_ne!(
        before.fc8.weight.val().into_data().into_bytes(),
        after.fc8.weight.val().into_data().into_bytes()
    );
    // A run's weights that changed after it wrote them are refused as --weights too.
    let weights = run.join("model.bpk");
    let mut bytes = std::fs::read(&weights).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    std::fs::write(&weights, bytes).unwrap();
    let refused = xtask(
        tmp.path(),
        &[
            "train",
            "alexnet",
            "--dataset",
            &dataset,
            "--epochs",
            "1",
            "--image-size",
            "28",
            "--weights",
            weights.to_str().unwrap(),
            "--out",
            "never",
        ],
    );
    assert!(!refused.status.success());
    assert!(text(&refused).contains("SHA-256"), "{}", text(&refused));
}

/// Three classes of Chinese sentences, each built from its own characters (with a few
/// shared ones), one document per file: `root/<class>/N.txt`.
fn chinese_corpus(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("中文语料");
    let classes = [
        ("体育", "球赛跑跳冠军队员场射门比分"),
        ("科技", "电脑芯片软件网络数据算法程序"),
        ("美食", "米饭面条饺子汤菜甜辣香煎炒"),
    ];
    let shared: Vec<char> = "的了是在我有和".chars().collect();
    let mut state = 12345u64;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    };
    for (name, chars) in classes {
        let chars: Vec<char> = chars.chars().collect();
        let folder = root.join(name);
        std::fs::create_dir_all(&folder).unwrap();
        for doc in 0..80 {
            let len = 6 + next(10);
            let sentence: String = (0..len)
                .map(|_| {
                    if next(3) == 0 {
                        shared[next(shared.len())]
                    } else {
                        chars[next(chars.len())]
                    }
                })
                .collect();
            std::fs::write(folder.join(format!("{doc}.txt")), sentence).unwrap();
        }
    }
    root
}

#[test]
fn lstm_learns_chinese_text_and_predicts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = chinese_corpus(tmp.path());
    let run = tmp.path().join("运行");
    let dataset = format!("folder:{}", root.display());
    let out = xtask(
        tmp.path(),
        &[
            "train",
            "lstm",
            "--dataset",
            &dataset,
            "--epochs",
            "8",
            "--hidden",
            "32",
            "--embed",
            "16",
            "--min-freq",
            "1",
            "--batch-size",
            "16",
            "--backend",
            "flex",
            "--valid-fraction",
            "0.1",
            "--no-checkpoints",
            "--out",
            run.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let test: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("test.json")).unwrap()).unwrap();
    let accuracy = test["accuracy"].as_f64().unwrap();
    assert!(accuracy >= 95.0, "test accuracy {accuracy}%");
    let vocab = std::fs::read_to_string(run.join("vocab.json")).unwrap();
    assert!(vocab.contains("芯"), "{vocab}");

    let out = xtask(
        tmp.path(),
        &[
            "predict",
            run.to_str().unwrap(),
            "--text",
            "电脑程序和网络数据算法",
            "--top",
            "1",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("科技"), "{shown}");

    let lines = tmp.path().join("docs.txt");
    std::fs::write(&lines, "饺子汤面条很香\n\n冠军队员射门\n").unwrap();
    let out = xtask(
        tmp.path(),
        &[
            "predict",
            run.to_str().unwrap(),
            "--file",
            lines.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let json = String::from_utf8_lossy(&out.stdout);
    let rows: serde_json::Value = serde_json::from_str(&json[json.find('[').unwrap()..]).unwrap();
    let best: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["top"][0]["class"].as_str().unwrap())
        .collect();
    assert_eq!(best, ["美食", "体育"]);
}

#[test]
fn lstm_starts_from_frozen_word_vectors_in_length_buckets() {
    let tmp = tempfile::tempdir().unwrap();
    let root = chinese_corpus(tmp.path());
    let dataset = format!("folder:{}", root.display());
    // 8-wide vectors for the sports and food characters (the technology ones have none),
    // GloVe's text format: `word v1 … v8`.
    let vectors = tmp.path().join("vectors.txt");
    let mut lines = String::new();
    for (i, c) in "球赛跑跳冠军队员场射门比分米饭面条饺子汤菜甜辣香煎炒"
        .chars()
        .enumerate()
    {
        let row: Vec<String> = (0..8)
            .map(|j| format!("{:.3}", (i * 8 + j) as f32 / 100.0))
            .collect();
        lines.push_str(&format!("{c} {}\n", row.join(" ")));
    }
    std::fs::write(&vectors, lines).unwrap();
    let train = |extra: &[&str], out: &Path| {
        let mut args = vec![
            "train",
            "lstm",
            "--dataset",
            &dataset,
            "--epochs",
            "1",
            "--hidden",
            "16",
            "--min-freq",
            "1",
            "--batch-size",
            "16",
            "--backend",
            "flex",
            "--no-checkpoints",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        xtask(tmp.path(), &args)
    };

    let run = tmp.path().join("vectors-run");
    let out = train(
        &[
            "--word-vectors",
            vectors.to_str().unwrap(),
            "--freeze",
            "embedding",
            "--bucket",
        ],
        &run,
    );
    assert!(out.status.success(), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains("word vectors: 26 of 47 vocabulary tokens"),
        "{shown}"
    );
    assert!(shown.contains("bucketed by length"), "{shown}");

    // After training, the frozen embedding still holds the file's rows.
    let record: ember::train::RunRecord = ember::train::RunDir::open(&run)
        .unwrap()
        .read_json("config.json")
        .unwrap();
    let config: ember::models::LstmClassifierConfig =
        serde_json::from_value(record.model["config"].clone()).unwrap();
    assert_eq!(config.embed_dim, 8);
    let device = ember::burn::prelude::Device::flex();
    let model = ember::train::RunDir::open(&run)
        .unwrap()
        .load_model(config.init(&device).unwrap())
        .unwrap();
    let vocab: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("vocab.json")).unwrap()).unwrap();
    let id = vocab["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t == "球")
        .unwrap();
    let rows = model
        .embedding
        .weight
        .val()
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    let expected: Vec<f32> = (0..8).map(|j| j as f32 / 100.0).collect();
    assert_eq!(&rows[id * 8..id * 8 + 8], expected.as_slice());

    // Flags that contradict each other stop before training, saying which.
    let out = train(&["--freeze", "embedding"], &tmp.path().join("no-vectors"));
    assert!(!out.status.success());
    assert!(text(&out).contains("--word-vectors FILE"), "{}", text(&out));
    let out = train(
        &["--word-vectors", vectors.to_str().unwrap(), "--embed", "16"],
        &tmp.path().join("wrong-width"),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("width 8"), "{}", text(&out));
}

/// Starts `xtask train …` in `dir` as a child process (output to files in `dir`).
fn spawn_train(dir: &Path, args: &[&str], log: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env("EMBER_CACHE_DIR", dir.join("cache"))
        .env_remove("EMBER_DATA_DIR")
        .stdout(std::fs::File::create(dir.join(format!("{log}.out"))).unwrap())
        .stderr(std::fs::File::create(dir.join(format!("{log}.err"))).unwrap())
        .spawn()
        .expect("start xtask")
}

/// Waits (polling every millisecond, 10 minutes at most) until `ready` holds or `child`
/// has ended; true when it was `ready`.
fn wait_for(child: &mut std::process::Child, ready: impl Fn() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(600) {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    panic!("the run neither reached the point nor ended in 10 minutes");
}

/// Files in `dir` whose names start with `prefix`.
fn named(dir: &Path, prefix: &str) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
            .count()
    })
}

/// Every weight of a module, in visiting order, as bits.
#[derive(Default)]
struct Weights(Vec<u32>);

impl ember::burn::module::ModuleVisitor for Weights {
    fn visit_float<const D: usize>(
        &mut self,
        param: &ember::burn::module::Param<ember::burn::prelude::Tensor<D>>,
    ) {
        let values = param.val().into_data().try_to_vec::<f32>().unwrap();
        self.0.extend(values.into_iter().map(f32::to_bits));
    }
}

/// metrics.csv without its seconds column, test.json and the bits of the weights in
/// model.bpk (the file's bytes differ between processes: burnpack keeps the parameters'
/// random ids).
fn outcome(run: &Path) -> (Vec<String>, String, Vec<u32>) {
    use ember::burn::module::Module;
    let metrics = std::fs::read_to_string(run.join("metrics.csv")).unwrap();
    let rows = metrics
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string())
        .collect();
    let test = std::fs::read_to_string(run.join("test.json")).unwrap();
    let device = ember::burn::prelude::Device::flex();
    let fresh = ember::models::LeNet5Config::new()
        .with_dropout(Some(0.3))
        .init(&device);
    let model = ember::train::RunDir::open(run)
        .unwrap()
        .load_model(fresh)
        .unwrap();
    let mut weights = Weights::default();
    model.visit(&mut weights);
    (rows, test, weights.0)
}

/// Where a resumed `train` said it carried on from: "after epoch 2 of 4" or "after batch
/// 3 of epoch 2 of 4".
fn resumed_from(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("resuming "))
        .and_then(|l| l.strip_suffix(", from its checkpoint"))
        .unwrap_or("from the start")
        .to_string()
}

#[test]
fn a_run_killed_anywhere_and_resumed_ends_as_the_uninterrupted_run_bit_for_bit() {
    for backend in ["flex", "ndarray"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let data = tiny_dataset(dir);
        let train = |out: &str| -> Vec<String> {
            [
                "train",
                "lenet",
                "--backend",
                backend,
                "--epochs",
                "4",
                "--batch-size",
                "32",
                "--augment",
                "mnist",
                "--dropout",
                "0.3",
                "--seed",
                "4",
                "--data-dir",
                data.to_str().unwrap(),
                "--out",
                out,
            ]
            .map(String::from)
            .to_vec()
        };
        fn args(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let whole = xtask(dir, &args(&train("whole")));
        assert!(whole.status.success(), "{}", text(&whole));

        let cut = dir.join("cut");
        let checkpoints = cut.join("burn/checkpoint");
        let resume = ["train", "--resume", "cut"];
        // 1: SIGKILL as soon as epoch 1's checkpoint is complete.
        let mut child = spawn_train(dir, &args(&train("cut")), "kill1");
        let epoch_1 = || {
            [
                "state-1.json",
                "model-1.bpk",
                "optim-1.bpk",
                "scheduler-1.bpk",
            ]
            .iter()
            .all(|f| checkpoints.join(f).is_file())
        };
        assert!(wait_for(&mut child, epoch_1));
        child.kill().unwrap();
        child.wait().unwrap();
        // 2: SIGKILL while a checkpoint is being written (a scratch file exists), or, if
        // no write was caught, as soon as the next epoch's state is there.
        let mut child = spawn_train(dir, &resume, "kill2");
        assert!(wait_for(&mut child, || named(&checkpoints, ".partial-")
            > 0
            || named(&checkpoints, "state-3") > 0));
        child.kill().unwrap();
        child.wait().unwrap();
        // 3: Ctrl-C in the middle of an epoch: stops cleanly and says how to resume.
        let mut child = spawn_train(dir, &resume, "sigint");
        let training = || {
            std::fs::read_to_string(dir.join("sigint.out")).is_ok_and(|o| {
                o.split_once("resuming")
                    .is_some_and(|(_, rest)| rest.contains(" train "))
            })
        };
        if wait_for(&mut child, training) {
            let pid = child.id().to_string();
            // The shell's own `kill`: no separate program needed.
            let sent = std::process::Command::new("sh")
                .args(["-c", &format!("kill -INT {pid}")])
                .status();
            assert!(sent.unwrap().success());
        }
        let status = child.wait().unwrap();
        let err = std::fs::read_to_string(dir.join("sigint.err")).unwrap();
        if status.code() == Some(130) {
            assert!(
                err.contains("resume with: cargo xtask train --resume cut"),
                "{err}"
            );
            // Stopped inside an epoch: the state after its last batch is kept, and the
            // resume carries on from that batch.
            assert!(err.contains("the state after batch "), "{err}");
            assert!(checkpoints.join("partial").is_dir());
            assert!(cut.join("failed.txt").is_file());
        } else {
            // The run was quicker than the signal and finished.
            assert!(status.success(), "{err}");
        }
        let mut last_out = String::new();
        if !cut.join("test.json").exists() {
            let last = xtask(dir, &resume);
            assert!(last.status.success(), "{}", text(&last));
            last_out = String::from_utf8_lossy(&last.stdout).into_owned();
            if status.code() == Some(130) {
                assert!(
                    last_out.contains("resuming after batch "),
                    "{}",
                    text(&last)
                );
            }
        }
        // Where each attempt started from (printed for the record: the kill points are
        // timing's; whatever they were, the outcome must be the same).
        let mut resumed_after = Vec::new();
        for log in ["kill2", "sigint"] {
            let out = std::fs::read_to_string(dir.join(format!("{log}.out"))).unwrap();
            resumed_after.push(resumed_from(&out));
        }
        resumed_after.push(resumed_from(&last_out));
        println!("{backend}: {resumed_after:?}, Ctrl-C exit {status:?}");
        assert!(
            resumed_after.iter().any(|r| r != "from the start"),
            "no attempt resumed from a checkpoint: {resumed_after:?}"
        );
        let (resumed, whole) = (outcome(&cut), outcome(&dir.join("whole")));
        let differs = format!("{backend}: the resumed run differs from the uninterrupted one");
        assert_eq!(resumed.0, whole.0, "{differs}: metrics.csv");
        assert_eq!(resumed.1, whole.1, "{differs}: test.json");
        assert!(
            !whole.2.is_empty() && resumed.2 == whole.2,
            "{differs}: model.bpk"
        );
        assert_eq!(
            named(&cut, ".partial-") + named(&checkpoints, ".partial-"),
            0
        );
        assert!(!cut.join("failed.txt").exists());
        // Other flags with --resume are refused: the run keeps its settings.
        let mixed = xtask(dir, &["train", "--resume", "cut", "--lr", "1"]);
        assert!(!mixed.status.success());
        assert!(text(&mixed).contains("leave out --lr"), "{}", text(&mixed));
    }
}

#[test]
fn offline_opens_no_network_socket_for_any_dataset() {
    let traced = std::process::Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .output();
    if !traced.is_ok_and(|o| o.status.success()) {
        println!("SKIPPED: strace is missing or may not trace here, so sockets cannot be watched");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let commands: [&[&str]; 4] = [
        &["--offline", "data", "mnist"],
        &[
            "train",
            "alexnet",
            "--offline",
            "--dataset",
            "cifar10",
            "--epochs",
            "1",
        ],
        &[
            "train",
            "lstm",
            "--dataset",
            "spam-assassin",
            "--epochs",
            "1",
        ],
        &["train", "lstm", "--dataset", "ag-news", "--epochs", "1"],
    ];
    for (i, args) in commands.into_iter().enumerate() {
        let trace = tmp.path().join(format!("trace-{i}.txt"));
        let out = std::process::Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=socket,connect", "-o"])
            .arg(&trace)
            .arg(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .current_dir(tmp.path())
            // The last two ask through the variable instead of the flag; the cache is empty.
            .env("EMBER_OFFLINE", if i >= 2 { "1" } else { "" })
            .env("EMBER_CACHE_DIR", tmp.path().join("cache"))
            .env_remove("EMBER_DATA_DIR")
            .output()
            .unwrap();
        let log = text(&out);
        assert!(
            !out.status.success(),
            "{args:?} found no data yet succeeded: {log}"
        );
        assert!(
            log.contains("EMBER_OFFLINE") || log.contains("downloads disabled"),
            "{log}"
        );
        let calls = std::fs::read_to_string(&trace).unwrap();
        let network: Vec<&str> = calls
            .lines()
            .filter(|l| l.contains("AF_INET") || l.contains("AF_INET6"))
            .collect();
        assert!(
            network.is_empty(),
            "{args:?} opened network sockets: {network:#?}\n{log}"
        );
    }
}
