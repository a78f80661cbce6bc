//! `cargo xtask` experiments end to end on a tiny generated dataset: `train --config`,
//! `search` (local, resumed, and in the steps a cluster scheduler runs) and
//! `cross-validate`.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{text, tiny_dataset, xtask, xtask_with};

/// `train` flags every run here shares: one quick epoch on 200 of the tiny images.
fn quick(data: &Path) -> Vec<String> {
    [
        "--data-dir",
        data.to_str().unwrap(),
        "--train-size",
        "200",
        "--backend",
        "flex",
        "--no-checkpoints",
    ]
    .map(String::from)
    .to_vec()
}

fn run_ok(dir: &Path, args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = xtask(dir, &args);
    assert!(
        out.status.success(),
        "xtask {args:?} failed:\n{}",
        text(&out)
    );
    text(&out)
}

fn args(fixed: &[&str], rest: &[String]) -> Vec<String> {
    fixed
        .iter()
        .map(|s| s.to_string())
        .chain(rest.iter().cloned())
        .collect()
}

/// A metrics.csv without its last column (seconds: the one thing two equal runs differ in).
fn metrics_without_time(run: &Path) -> Vec<String> {
    let csv = std::fs::read_to_string(run.join("metrics.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",seconds"), "{header}");
    csv.lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string())
        .collect()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_runs_config_json_reproduces_it_and_toml_configs_yield_to_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let a_str = a.to_str().unwrap();
    let first = args(
        &[
            "train",
            "lenet",
            "--epochs",
            "2",
            "--batch-size",
            "32",
            "--lr",
            "3e-3",
        ],
        &quick(&data),
    );
    run_ok(
        tmp.path(),
        &[first, args(&["--seed", "7", "--out", a_str], &[])].concat(),
    );

    // The run folder's config.json alone (no model, no flags) trains the same run again.
    let config = a.join("config.json");
    run_ok(
        tmp.path(),
        &args(
            &[
                "train",
                "--config",
                config.to_str().unwrap(),
                "--out",
                b.to_str().unwrap(),
            ],
            &[],
        ),
    );
    let metrics = metrics_without_time(&a);
    assert_eq!(metrics.len(), 3, "{metrics:?}");
    assert_eq!(metrics, metrics_without_time(&b));
    assert_eq!(json(&a.join("test.json")), json(&b.join("test.json")));
    let settings = |run: &Path| json(&run.join("config.json"))["settings"].clone();
    assert_eq!(settings(&a), settings(&b));
    assert_eq!(settings(&a)["seed"], "7");

    // A TOML file of flags; a flag on the command line wins over the file.
    let toml = tmp.path().join("quick.toml");
    std::fs::write(
        &toml,
        format!(
            "# a quick run\nmodel = \"lenet\"\nbackend = \"flex\"\nepochs = 1\nlr = 0.003\n\
             batch-size = 32\ntrain-size = 100\nno-checkpoints = true\ndata-dir = {:?}\n",
            data.to_str().unwrap()
        ),
    )
    .unwrap();
    let toml_str = toml.to_str().unwrap();
    run_ok(
        tmp.path(),
        &args(
            &[
                "train",
                "--config",
                toml_str,
                "--epochs",
                "2",
                "--out",
                c.to_str().unwrap(),
            ],
            &[],
        ),
    );
    let recorded = settings(&c);
    assert_eq!(recorded["epochs"], "2");
    assert_eq!(recorded["lr"], "0.003");
    assert_eq!(recorded["train-size"], "100");
    assert_eq!(metrics_without_time(&c).len(), 3);
    assert!(!c.join("checkpoints").exists());

    // Mistakes in a config name the file, the setting and the fix.
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "model = \"lenet\"\nlearning-rate = 0.1\n").unwrap();
    let out = xtask(tmp.path(), &["train", "--config", bad.to_str().unwrap()]);
    let said = text(&out);
    assert!(!out.status.success());
    assert!(
        said.contains("bad.toml") && said.contains("`learning-rate` is not a setting"),
        "{said}"
    );
    let out = xtask(tmp.path(), &["train", "alexnet", "--config", toml_str]);
    assert!(!out.status.success());
    assert!(text(&out).contains("the file trains `lenet` but the command line names `alexnet`"));
    std::fs::write(&bad, "model = \"lenet\"\nlr = [0.1, 0.2]\n").unwrap();
    let out = xtask(tmp.path(), &["train", "--config", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("a setting is a string, a number or true/false"),
        "{}",
        text(&out)
    );
}

/// trials.csv without its seconds column: two equal searches agree on everything else.
fn trials_without_time(dir: &Path) -> Vec<String> {
    let csv = std::fs::read_to_string(dir.join("trials.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let seconds = header.iter().position(|&c| c == "seconds").unwrap();
    csv.lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(seconds);
            cells.join(",")
        })
        .collect()
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn a_grid_search_resumes_and_equals_its_trials_run_one_by_one_as_a_scheduler_would() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let local = tmp.path().join("local");
    let spec = [
        "lenet",
        "--grid",
        "lr=1e-3,1e-2;batch-size=32,64",
        "--epochs",
        "1",
    ];
    let shared = args(&["--"], &quick(&data));
    let search = [
        args(&["search"], &spec.map(String::from)),
        args(&["--out", local.to_str().unwrap()], &shared),
    ]
    .concat();
    let said = run_ok(tmp.path(), &search);
    assert!(said.contains("4 grid trials of lenet"), "{said}");
    assert!(said.contains("best: trial"), "{said}");
    for name in ["plan.json", "trials.csv", "results.md", "best.toml"] {
        assert!(local.join(name).is_file(), "no {name}");
    }
    for plot in [
        "valid-accuracy-vs-lr.png",
        "valid-accuracy-vs-batch-size.png",
    ] {
        let (w, h) = image::image_dimensions(local.join(plot)).unwrap();
        assert_eq!((w, h), (640, 420), "{plot}");
    }
    let trials = trials_without_time(&local);
    assert_eq!(trials.len(), 5, "{trials:?}");
    assert!(
        trials[0].starts_with("trial,lr,batch-size,seed,valid-accuracy"),
        "{}",
        trials[0]
    );
    // Every trial trained its own combination with its own seed, in its own folder.
    let record = json(&local.join("trial-003").join("config.json"));
    assert_eq!(record["settings"]["lr"], "1e-2");
    assert_eq!(record["settings"]["batch-size"], "64");
    assert_eq!(record["settings"]["seed"], "45");
    let md = std::fs::read_to_string(local.join("results.md")).unwrap();
    assert!(
        md.contains("4 of 4 trials finished") && md.contains("| rank |"),
        "{md}"
    );

    // Two trials side by side: the table and the legend name what differs between them.
    let picture = tmp.path().join("compare.png");
    let said = run_ok(
        tmp.path(),
        &[
            "compare-runs".to_string(),
            local.join("trial-000").to_string_lossy().into(),
            local.join("trial-003").to_string_lossy().into(),
            "--out".into(),
            picture.to_string_lossy().into(),
        ],
    );
    assert!(
        said.contains("| run | batch-size | lr | seed | epochs |"),
        "{said}"
    );
    assert!(
        said.contains("| trial-003 | 64 | 1e-2 | 45 | 1 |"),
        "{said}"
    );
    assert_eq!(image::image_dimensions(&picture).unwrap(), (1200, 500));

    // best.toml trains the best trial again.
    let best = local.join("best.toml");
    let again = tmp.path().join("again");
    run_ok(
        tmp.path(),
        &args(
            &[
                "train",
                "--config",
                best.to_str().unwrap(),
                "--out",
                again.to_str().unwrap(),
            ],
            &[],
        ),
    );
    assert_eq!(metrics_without_time(&again).len(), 2);

    // Run again with the same --out: nothing is trained twice.
    let result = local.join("trial-002").join("result.json");
    let before = modified(&result);
    let said = run_ok(tmp.path(), &search);
    assert!(said.contains("(4 finished already)"), "{said}");
    assert_eq!(modified(&result), before);

    // The same search as a scheduler runs it: plan, each trial alone (through the cluster
    // example's script, as a Slurm array task and as an Indexed Job pod), then report.
    let split = tmp.path().join("split");
    let plan = [
        args(&["search", "plan"], &spec.map(String::from)),
        args(&["--out", split.to_str().unwrap()], &shared),
    ]
    .concat();
    let said = run_ok(tmp.path(), &plan);
    assert!(said.contains("plan: 4 trials"), "{said}");
    assert!(!split.join("trial-000").exists(), "plan must train nothing");
    let plan_file = split.join("plan.json");
    run_ok(
        tmp.path(),
        &args(
            &["search", "run-trial", plan_file.to_str().unwrap(), "0"],
            &[],
        ),
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/cluster/run-trial.sh");
    for (k, var) in [
        (1, "SLURM_ARRAY_TASK_ID"),
        (2, "JOB_COMPLETION_INDEX"),
        (3, "SLURM_ARRAY_TASK_ID"),
    ] {
        let out = Command::new("bash")
            .arg(&script)
            .arg(&split)
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("JOB_COMPLETION_INDEX")
            .env(var, k.to_string())
            .env("EMBER_XTASK", env!("CARGO_BIN_EXE_xtask"))
            .env("EMBER_CACHE_DIR", tmp.path().join("cache"))
            .output()
            .unwrap();
        assert!(out.status.success(), "trial {k}: {}", text(&out));
    }
    let out = Command::new("bash")
        .arg(&script)
        .arg(&split)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX"));
    run_ok(
        tmp.path(),
        &args(&["search", "report", split.to_str().unwrap()], &[]),
    );
    assert_eq!(trials_without_time(&split), trials);
    assert_eq!(
        std::fs::read_to_string(split.join("best.toml")).unwrap(),
        std::fs::read_to_string(local.join("best.toml")).unwrap()
    );

    // A trial number outside the plan names the range.
    let out = xtask(
        tmp.path(),
        &["search", "run-trial", plan_file.to_str().unwrap(), "4"],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("0 to 3"), "{}", text(&out));
}

#[test]
fn the_cluster_examples_run_the_trial_script_for_every_index() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/cluster");
    let job = std::fs::read_to_string(dir.join("search-job.yaml")).unwrap();
    for needed in [
        "kind: Job",
        "completionMode: Indexed",
        "run-trial.sh",
        "EMBER_XTASK",
    ] {
        assert!(job.contains(needed), "search-job.yaml lacks {needed}");
    }
    let sbatch = std::fs::read_to_string(dir.join("search.sbatch")).unwrap();
    assert!(sbatch.contains("#SBATCH") && sbatch.contains("run-trial.sh"));
    let docker = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    assert!(docker.contains("/usr/local/bin/xtask") && docker.contains("run-trial.sh"));
    for script in ["run-trial.sh", "search.sbatch"] {
        let out = Command::new("bash")
            .arg("-n")
            .arg(dir.join(script))
            .output()
            .unwrap();
        assert!(out.status.success(), "{script}: {}", text(&out));
    }
}

fn fold_dirs(trial: &Path) -> Vec<PathBuf> {
    let mut folds: Vec<PathBuf> = std::fs::read_dir(trial)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("fold-")
        })
        .collect();
    folds.sort();
    folds
}

#[test]
fn a_random_search_with_folds_scores_each_trial_by_its_mean_and_std() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let out_dir = tmp.path().join("random");
    let said = run_ok(
        tmp.path(),
        &args(
            &[
                "search",
                "lenet",
                "--random",
                "2",
                "--space",
                "lr=log(1e-4,1e-2);batch-size=choice(16,32)",
                "--folds",
                "2",
                "--epochs",
                "1",
                "--parallel",
                "2",
                "--metric",
                "valid-loss",
                "--out",
                out_dir.to_str().unwrap(),
                "--",
            ],
            &quick(&data),
        ),
    );
    assert!(said.contains("2 random trials"), "{said}");
    for k in 0..2 {
        let trial = out_dir.join(format!("trial-00{k}"));
        let folds = fold_dirs(&trial);
        assert_eq!(folds.len(), 2, "{folds:?}");
        let result = json(&trial.join("result.json"));
        let scores: Vec<f64> = result["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_f64().unwrap())
            .collect();
        assert_eq!(scores.len(), 2);
        let mean = (scores[0] + scores[1]) / 2.0;
        assert!((result["score"].as_f64().unwrap() - mean).abs() < 1e-9);
        let std = (scores[0] - scores[1]).abs() / 2f64.sqrt();
        assert!((result["score_std"].as_f64().unwrap() - std).abs() < 1e-9);
        // The folds split the training set: each validates on the other half.
        let split = |f: &Path| json(&f.join("config.json"))["split"].clone();
        assert_eq!(split(&folds[0])["folds"], 2);
        assert_eq!(split(&folds[1])["fold"], 1);
        let lr = |f: &Path| json(&f.join("config.json"))["settings"]["lr"].clone();
        assert_eq!(lr(&folds[0]), lr(&folds[1]));
        assert!(fold_dirs(&trial)
            .iter()
            .all(|f| f.join("test.json").is_file()));
    }
    let csv = std::fs::read_to_string(out_dir.join("trials.csv")).unwrap();
    assert!(
        csv.starts_with("trial,lr,batch-size,seed,valid-loss,valid-loss_std"),
        "{csv}"
    );
    assert!(out_dir.join("valid-loss-vs-lr.png").is_file());
}

#[test]
fn cross_validate_prints_every_fold_and_the_mean_with_its_std() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let out_dir = tmp.path().join("cv");
    let out = xtask_with(
        tmp.path(),
        &args(
            &[
                "cross-validate",
                "lenet",
                "--folds",
                "3",
                "--epochs",
                "1",
                "--out",
                out_dir.to_str().unwrap(),
                "--",
            ],
            &quick(&data),
        )
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>(),
        &[],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let folds = fold_dirs(&out_dir.join("trial-000"));
    assert_eq!(folds.len(), 3);
    assert!(
        said.contains("| fold | valid accuracy (%) | test accuracy (%) |"),
        "{said}"
    );
    for i in 0..3 {
        assert!(
            said.lines().any(|l| l.starts_with(&format!("| {i} | "))),
            "{said}"
        );
    }
    assert!(
        said.contains("3-fold cross-validation: held-out-fold accuracy") && said.contains('±'),
        "{said}"
    );
    // Each fold validated on a different third of the 200 training images.
    let sizes: Vec<serde_json::Value> = folds
        .iter()
        .map(|f| json(&f.join("config.json"))["split_sizes"].clone())
        .collect();
    for s in &sizes {
        let (train, valid) = (s[0].as_u64().unwrap(), s[1].as_u64().unwrap());
        assert_eq!(train + valid, 200, "{sizes:?}");
        assert!((66..=67).contains(&valid), "{sizes:?}");
    }
}

#[test]
fn optimizer_and_schedule_settings_reach_the_run_and_are_refused_where_they_do_not_apply() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let run = tmp.path().join("knobs");
    let flags = [
        "train",
        "lenet",
        "--epochs",
        "2",
        "--optimizer",
        "nesterov",
        "--momentum",
        "0.5",
        "--schedule",
        "step",
        "--gamma",
        "0.1",
        "--step-size",
        "1",
    ];
    run_ok(
        tmp.path(),
        &[
            args(&flags, &quick(&data)),
            args(&["--out", run.to_str().unwrap()], &[]),
        ]
        .concat(),
    );
    let fit = json(&run.join("config.json"))["fit"].clone();
    assert_eq!(
        fit["optimizer"],
        serde_json::json!({"name": "nesterov", "momentum": 0.5})
    );
    assert_eq!(
        fit["schedule"],
        serde_json::json!({"name": "step", "every_epochs": 1, "gamma": 0.1})
    );

    let refused = |extra: &[&str], says: &str| {
        let line = args(&["train", "lenet", "--epochs", "1"], &quick(&data));
        let line = [line, args(extra, &[])].concat();
        let line: Vec<&str> = line.iter().map(String::as_str).collect();
        let out = xtask(tmp.path(), &line);
        assert!(!out.status.success(), "{extra:?} was accepted");
        assert!(text(&out).contains(says), "{extra:?}: {}", text(&out));
    };
    refused(&["--momentum", "0.9"], "the adam optimizer has no momentum");
    refused(
        &["--optimizer", "sgd", "--eps", "1e-6"],
        "the sgd optimizer has no epsilon",
    );
    refused(&["--betas", "0.9,1.5"], "beta 2 1.5 must be in [0, 1)");
    refused(&["--betas", "0.9"], "give two");
    refused(&["--gamma", "0.5"], "the cosine schedule has no gamma");
    refused(
        &["--schedule", "exponential", "--gamma", "2"],
        "Gamma must be greater than 0 and at most 1",
    );
}

/// The test accuracy a run folder recorded, percent.
fn test_accuracy(run: &Path) -> f64 {
    json(&run.join("test.json"))["accuracy"].as_f64().unwrap()
}

#[test]
fn each_loss_trains_lenet_above_chance() {
    // Ten classes: chance is 10%. Six epochs on 200 tiny images (binary cross-entropy, with
    // nine of ten targets at 0, is the slowest to leave chance).
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let losses = [
        "cross-entropy",
        "nll",
        "mse",
        "mae",
        "huber",
        "binary-cross-entropy",
        "hinge",
        "squared-hinge",
        "exponential",
        "multiclass-hinge",
    ];
    let mut scores = Vec::new();
    for loss in losses {
        let run = tmp.path().join(loss);
        let flags = ["train", "lenet", "--epochs", "6", "--loss", loss, "--out"];
        run_ok(
            tmp.path(),
            &args(
                &flags,
                &[vec![run.to_str().unwrap().to_string()], quick(&data)].concat(),
            ),
        );
        let record = json(&run.join("config.json"));
        assert_eq!(record["fit"]["loss"], loss);
        scores.push((loss, test_accuracy(&run)));
    }
    for (loss, accuracy) in &scores {
        assert!(*accuracy > 25.0, "{loss}: {accuracy}% (all: {scores:?})");
    }
}

#[test]
fn the_curriculums_knobs_reach_the_model_and_the_record() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let run = tmp.path().join("knobs");
    let knobs = [
        "train",
        "lenet",
        "--epochs",
        "2",
        "--init",
        "he",
        "--activation",
        "prelu",
        "--batch-norm",
        "--dropout",
        "0.2",
        "--l1",
        "1e-5",
        "--clip-norm",
        "1",
        "--out",
        run.to_str().unwrap(),
    ];
    run_ok(tmp.path(), &args(&knobs, &quick(&data)));
    let record = json(&run.join("config.json"));
    let model = &record["model"]["config"];
    assert_eq!(
        (
            &model["init"],
            &model["activation"],
            &model["batch_norm"],
            &model["dropout"]
        ),
        (
            &serde_json::json!("he"),
            &serde_json::json!("prelu"),
            &serde_json::json!(true),
            &serde_json::json!(0.2)
        )
    );
    assert!((record["fit"]["l1"].as_f64().unwrap() - 1e-5).abs() < 1e-12);
    assert_eq!(record["fit"]["clip_norm"], 1.0);
    let summary = std::fs::read_to_string(run.join("summary.txt")).unwrap();
    assert!(
        summary.contains("LeNet-5 (modern: prelu, batch norm, max-pooling)"),
        "{summary}"
    );
    assert!(summary.contains("BN6"), "{summary}");
    assert!(test_accuracy(&run) > 25.0);
    // `eval` rebuilds the same network from the record and loads its weights.
    let eval = run_ok(tmp.path(), &args(&["eval", run.to_str().unwrap()], &[]));
    assert!(eval.contains("accuracy"), "{eval}");

    // All-zero weights: nothing breaks the symmetry, only the output biases learn, and every
    // image gets the same class.
    let zeros = tmp.path().join("zeros");
    let flags = [
        "train", "lenet", "--epochs", "2", "--init", "zeros", "--out",
    ];
    run_ok(
        tmp.path(),
        &args(
            &flags,
            &[vec![zeros.to_str().unwrap().to_string()], quick(&data)].concat(),
        ),
    );
    let confusion = std::fs::read_to_string(zeros.join("confusion.csv")).unwrap();
    let predicted: Vec<usize> = confusion
        .lines()
        .skip(1)
        .map(|row| {
            row.split(',')
                .skip(1)
                .map(|n| n.parse::<usize>().unwrap())
                .collect::<Vec<_>>()
        })
        .fold(vec![0; 10], |sum, row| {
            sum.iter().zip(&row).map(|(a, b)| a + b).collect()
        });
    let used = predicted.iter().filter(|&&n| n > 0).count();
    assert_eq!(used, 1, "zero init predicts one class only: {predicted:?}");
}

#[test]
fn knobs_that_do_not_apply_are_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "train",
                "lenet",
                "--variant",
                "classic",
                "--activation",
                "relu",
            ],
            "the classic LeNet-5 is the 1998 paper's network",
        ),
        (
            &["train", "lstm", "--batch-norm"],
            "--activation and --batch-norm are for lenet and alexnet",
        ),
        (
            &["train", "lstm", "--train-size", "100"],
            "--train-size subsets an image dataset's training split",
        ),
        (
            &["train", "lenet", "--loss", "l2"],
            "unknown loss `l2`; choose one of",
        ),
        (
            &["train", "lenet", "--init", "ones"],
            "unknown --init `ones`",
        ),
    ];
    for (flags, message) in cases {
        let out = xtask(tmp.path(), flags);
        assert!(!out.status.success(), "{flags:?}");
        assert!(text(&out).contains(message), "{flags:?}: {}", text(&out));
    }
}

#[test]
fn lr_find_writes_the_curve_and_prints_a_suggested_lr() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let out = tmp.path().join("lr");
    // 200 images, 16 a batch: 13 batches a pass, so 40 steps take four passes.
    let line = args(
        &["lr-find", "lenet", "--batch-size", "16", "--steps", "40"],
        &quick(&data),
    );
    let said = run_ok(
        tmp.path(),
        &[line, args(&["--out", out.to_str().unwrap()], &[])].concat(),
    );
    let png = std::fs::read(out.join("lr-find.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let csv = std::fs::read_to_string(out.join("lr-find.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("step,lr,loss,smoothed_loss"));
    let lrs: Vec<f64> = lines
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!((2..=40).contains(&lrs.len()), "{csv}");
    assert_eq!(lrs[0], 1e-7);
    assert!(lrs.windows(2).all(|w| w[1] > w[0]), "{lrs:?}");
    let suggested = said
        .lines()
        .find_map(|l| l.strip_prefix("suggested lr: "))
        .unwrap_or_else(|| panic!("no suggestion in:\n{said}"));
    let lr: f64 = suggested.split(' ').next().unwrap().parse().unwrap();
    assert!(lr > 0.0 && lr < 10.0, "{said}");

    // The learning rate's course is the test's; a backwards range is refused before the
    // data is read.
    let refused = |extra: &[&str], says: &str| {
        let line = args(&["lr-find", "lenet"], &quick(&data));
        let line = [line, args(extra, &[])].concat();
        let line: Vec<&str> = line.iter().map(String::as_str).collect();
        let out = xtask(tmp.path(), &line);
        assert!(!out.status.success(), "{extra:?} was accepted");
        assert!(text(&out).contains(says), "{extra:?}: {}", text(&out));
    };
    refused(
        &["--lr", "0.1", "--epochs", "3"],
        "--lr, --epochs not for lr-find",
    );
    refused(
        &["--start-lr", "1", "--end-lr", "0.01"],
        "give an end above the start",
    );
}

/// The pixel size of a PNG.
fn png_size(path: &Path) -> (u32, u32) {
    let image = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (image.width(), image.height())
}

#[test]
fn visualize_draws_filters_feature_maps_and_the_gradient_norms_of_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let run = tmp.path().join("lenet");
    let line = args(&["train", "lenet", "--epochs", "2"], &quick(&data));
    run_ok(
        tmp.path(),
        &[line, args(&["--out", run.to_str().unwrap()], &[])].concat(),
    );
    // A 28×28 digit-like stroke: read and padded to 32×32 as the run's test images are.
    let digit = tmp.path().join("digit.png");
    image::GrayImage::from_fn(28, 28, |x, y| image::Luma([if x == y { 255 } else { 0 }]))
        .save(&digit)
        .unwrap();
    let said = run_ok(
        tmp.path(),
        &args(
            &[
                "visualize",
                run.to_str().unwrap(),
                "--filters",
                "--feature-maps",
                "--image",
                digit.to_str().unwrap(),
                "--gradients",
                "--steps",
                "5",
            ],
            &[],
        ),
    );
    let out = run.join("visualize");
    // c1: 6 kernels of 5×5 at 9× (45 px), 3 × 2 tiles with 1 px gaps: 3·45 + 4, 2·45 + 3.
    // c3: 16 rows (outputs) × 6 columns (inputs) of 45 px: 6·45 + 7, 16·45 + 17.
    // Feature maps: c1 6 maps of 28×28 at 2× (56 px), 3 × 2: 3·56 + 4, 2·56 + 3; c3 16 maps
    // of 10×10 at 6× (60 px), 4 × 4: 4·60 + 5.
    let expected = [
        ("filters-c1.png", (139, 93)),
        ("filters-c3.png", (277, 737)),
        ("feature-maps-c1.png", (172, 115)),
        ("feature-maps-c3.png", (245, 245)),
        ("gradients.png", (1000, 500)),
    ];
    for (file, size) in expected {
        assert_eq!(png_size(&out.join(file)), size, "{file}");
    }
    assert!(
        said.contains("c1.weight [6, 1, 5, 5]: 6 filters of 5x5 (grey)"),
        "{said}"
    );

    // gradients.csv: a line per step, a column per weight.
    let csv = std::fs::read_to_string(out.join("gradients.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "step,loss,c1.weight,c3.weight,f5.weight,f6.weight,output.weight"
    );
    assert_eq!(lines.len(), 6, "{csv}");
    let rows: Vec<Vec<f64>> = lines[1..]
        .iter()
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert!(
        rows.iter().flatten().all(|v| v.is_finite() && *v > 0.0),
        "{csv}"
    );
    // The replay is the run's own first epoch: 200 images in 4 batches (64, 64, 64, 8),
    // whose losses average to the epoch's recorded training loss (burn-train's mean of
    // the batches' losses).
    let loss = rows[..4].iter().map(|row| row[1]).sum::<f64>() / 4.0;
    let metrics = std::fs::read_to_string(run.join("metrics.csv")).unwrap();
    let recorded: f64 = metrics
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (loss - recorded).abs() < 1e-4,
        "replayed {loss}, recorded {recorded}"
    );

    // What cannot be drawn is refused, naming the fix.
    let refused = |extra: &[&str], says: &str| {
        let line = args(&["visualize", run.to_str().unwrap()], &args(extra, &[]));
        let line: Vec<&str> = line.iter().map(String::as_str).collect();
        let out = xtask(tmp.path(), &line);
        assert!(!out.status.success(), "{extra:?} was accepted");
        assert!(text(&out).contains(says), "{extra:?}: {}", text(&out));
    };
    refused(&[], "say what to draw");
    let folder = tmp.path().to_str().unwrap();
    refused(
        &["--feature-maps", "--image", folder],
        "give one PNG or JPEG file",
    );
    let not_png = tmp.path().join("notes.png");
    std::fs::write(&not_png, "not an image").unwrap();
    refused(
        &["--feature-maps", "--image", not_png.to_str().unwrap()],
        "notes.png",
    );
    refused(&["--feature-maps"], "--image");
}

#[test]
fn a_trial_stopped_by_ctrl_c_is_not_recorded_as_failed_and_resumes_its_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tiny_dataset(tmp.path());
    let dir = tmp.path().join("stopped");
    let plan = [
        args(
            &[
                "search", "plan", "lenet", "--grid", "lr=1e-3", "--epochs", "30",
            ],
            &[],
        ),
        // With checkpoints, so that the stopped run has something to carry on from.
        args(
            &["--out", dir.to_str().unwrap(), "--"],
            &quick(&data)
                .into_iter()
                .filter(|a| a != "--no-checkpoints")
                .collect::<Vec<_>>(),
        ),
    ]
    .concat();
    run_ok(tmp.path(), &plan);
    let plan_file = dir.join("plan.json");
    let trial = ["search", "run-trial", plan_file.to_str().unwrap(), "0"];
    let log = tmp.path().join("trial.out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(trial)
        .current_dir(tmp.path())
        .env("EMBER_CACHE_DIR", tmp.path().join("cache"))
        .env_remove("EMBER_DATA_DIR")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(tmp.path().join("trial.err")).unwrap())
        .spawn()
        .unwrap();
    let training = || std::fs::read_to_string(&log).is_ok_and(|o| o.contains("epoch 2/30 train"));
    let start = std::time::Instant::now();
    while !training() && child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed().as_secs() < 600,
            "the trial never reached epoch 2"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let sent = Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    let result = dir.join("trial-000").join("result.json");
    if status.code() == Some(130) {
        assert!(!result.exists(), "an interrupted trial wrote a result");
    } else {
        // The trial was quicker than the signal and finished.
        assert!(status.success());
    }
    // Run again: it carries on from its run's checkpoint, and its result is a score, not a
    // failure.
    let again = run_ok(tmp.path(), &trial.map(String::from));
    if status.code() == Some(130) {
        assert!(again.contains("train --resume "), "{again}");
        assert!(again.contains("resuming after "), "{again}");
    }
    let recorded = json(&result);
    assert!(recorded["failed"].is_null(), "{recorded}");
    assert!(
        recorded["score"].as_f64().is_some_and(|s| s > 0.0),
        "{recorded}"
    );
}
