//! `cargo xtask search` and `cargo xtask cross-validate`: plans from ember-train's search
//! module, each trial run as `search run-trial` in its own process, then the report.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use ember::train::{SearchPlan, SearchReport, SearchSpace, TrialResult};

use crate::cli::{
    Command, CrossValidateArgs, SearchArgs, SearchCommon, SearchSpecArgs, SearchStep,
};
use crate::config;

/// Runs the `search` command.
pub fn run(args: SearchArgs) -> crate::Result<()> {
    match (args.step, args.spec) {
        (Some(SearchStep::Plan(spec)), _) => {
            let (plan, dir) = plan(&spec)?;
            check(&plan, &dir)?;
            let path = plan.save(&dir)?;
            println!("plan: {} trials in {}", plan.trials.len(), path.display());
            println!(
                "run each with `cargo xtask search run-trial {} K` (K = 0 to {}), then \
                 `cargo xtask search report {}`",
                path.display(),
                plan.trials.len() - 1,
                dir.display()
            );
            Ok(())
        }
        (Some(SearchStep::RunTrial { plan, trial }), _) => run_trial(&plan, trial),
        (Some(SearchStep::Report { dir }), _) => report(&dir),
        (None, spec) if spec.model.is_some() => {
            let (plan, dir) = plan(&spec)?;
            search(plan, dir, &spec.common)
        }
        (None, _) => Err(
            "name the model and the search, e.g. `cargo xtask search lenet \
                             --grid 'lr=1e-3,3e-3'`; see `cargo xtask search --help`"
                .into(),
        ),
    }
}

/// Runs the `cross-validate` command: a search of one trial over K folds.
pub fn cross_validate(args: CrossValidateArgs) -> crate::Result<()> {
    let common = SearchCommon {
        metric: ember::train::Metric::ValidAccuracy,
        parallel: 1,
        folds: Some(args.folds),
        epochs: args.epochs,
        budget: None,
        seed: args.seed,
        out: args.out,
        train: args.train,
    };
    let model = clap::ValueEnum::to_possible_value(&args.model).expect("models have names");
    let base = base(&common)?;
    let plan =
        SearchPlan::cross_validation(model.get_name(), base, common.metric, args.folds, args.seed);
    let dir = common.out.clone().unwrap_or_else(|| plan.default_dir());
    search(plan, dir.clone(), &common)?;
    let result = TrialResult::load(&dir, 0)?.ok_or("the cross-validation did not finish")?;
    if let Some(why) = &result.failed {
        return Err(format!("the cross-validation failed: {why}").into());
    }
    println!("\n| fold | valid accuracy (%) | test accuracy (%) |\n|---|---|---|");
    // The trial's scores are the folds' validation accuracies (its metric), in fold order.
    for (fold, (run, valid)) in result.runs.iter().zip(&result.scores).enumerate() {
        let test = ember::train::RunDir::open(dir.join(run))?.test_accuracy()?;
        println!("| {fold} | {valid:.2} | {:.2} |", test.unwrap_or(f64::NAN));
    }
    println!(
        "\n{}-fold cross-validation: held-out-fold accuracy {:.2} ± {:.2}% (mean ± sample std)",
        args.folds, result.score, result.score_std
    );
    Ok(())
}

/// The plan `spec` describes, and its folder.
fn plan(spec: &SearchSpecArgs) -> crate::Result<(SearchPlan, PathBuf)> {
    let model = spec.model.ok_or(
        "name the model the trials train, e.g. `cargo xtask search plan lenet --grid 'lr=1e-3,3e-3'`",
    )?;
    let model = clap::ValueEnum::to_possible_value(&model).expect("models have names");
    let common = &spec.common;
    let base = base(common)?;
    let plan = match (&spec.grid, spec.random, &spec.space) {
        (Some(grid), _, _) => SearchPlan::grid(
            model.get_name(),
            SearchSpace::parse_grid(grid)?,
            base,
            common.metric,
            common.folds,
            common.seed,
        ),
        (None, Some(n), Some(space)) => SearchPlan::random(
            model.get_name(),
            SearchSpace::parse(space)?,
            n,
            base,
            common.metric,
            common.folds,
            common.seed,
        ),
        _ => return Err("give --grid SPEC, or --random N with --space SPEC".into()),
    };
    let dir = common.out.clone().unwrap_or_else(|| plan.default_dir());
    Ok((plan, dir))
}

/// The settings every trial shares: --epochs, the split seed and the flags after `--`.
fn base(common: &SearchCommon) -> crate::Result<config::Settings> {
    let given = config::from_flags(&common.train)?;
    if let Some((name, _)) = given
        .iter()
        .find(|(k, _)| ["out", "fold", "folds", "config"].contains(&k.as_str()))
    {
        return Err(
            format!("`--{name}` is the search's to set for each run; drop it after `--`").into(),
        );
    }
    let mut base = vec![("epochs".to_string(), common.epochs.to_string())];
    if !given.iter().any(|(k, _)| k == "split-seed") {
        base.push(("split-seed".into(), common.seed.to_string()));
    }
    base.extend(given.into_iter().filter(|(k, _)| k != "epochs"));
    Ok(base)
}

/// The `train` command line of trial `k`'s run number `run` (a fold, or 0).
fn train_line(plan: &SearchPlan, dir: &Path, k: usize, run: usize) -> crate::Result<Vec<OsString>> {
    let mut line: Vec<OsString> = vec!["xtask".into(), "train".into(), plan.model.clone().into()];
    line.extend(config::to_flags(&plan.settings(k)?)?);
    line.push("--out".into());
    line.push(plan.run_dirs(dir, k)[run].clone().into());
    if let Some(folds) = plan.folds {
        line.extend([
            "--folds".into(),
            folds.to_string().into(),
            "--fold".into(),
            run.to_string().into(),
        ]);
    }
    Ok(line)
}

/// Every trial's command line parses, before any trial runs.
fn check(plan: &SearchPlan, dir: &Path) -> crate::Result<()> {
    for trial in &plan.trials {
        config::parse(train_line(plan, dir, trial.index, 0)?).map_err(|e| {
            format!(
                "trial {} ({:?}) would not start: {}",
                trial.index,
                trial.params,
                e.render()
            )
        })?;
    }
    Ok(())
}

/// Trial `k` of the plan at `plan_path`: its runs in this process, then `result.json`.
fn run_trial(plan_path: &Path, k: usize) -> crate::Result<()> {
    let plan = SearchPlan::load(plan_path)?;
    let dir = if plan_path.is_dir() {
        plan_path.to_path_buf()
    } else {
        plan_path.parent().unwrap_or(Path::new(".")).to_path_buf()
    };
    if let Some(done) = TrialResult::load(&dir, k)? {
        println!(
            "trial {k} has finished already: {} = {:.4}",
            done.metric, done.score
        );
        return Ok(());
    }
    let trial_dir = SearchPlan::trial_dir(&dir, k);
    let mut failure = None;
    for (run, out) in plan.run_dirs(&dir, k).iter().enumerate() {
        // A trial stopped before its result.json: each of its runs that finished is kept,
        // and one that had begun carries on from its checkpoint.
        if out.join(ember::train::files::TEST).is_file() {
            println!("trial {k}, run {run}: finished already");
            continue;
        }
        let line = if out.join(ember::train::files::CONFIG).is_file() {
            vec![
                "xtask".into(),
                "train".into(),
                "--resume".into(),
                out.into(),
            ]
        } else {
            if out.exists() {
                // Stopped before it recorded its configuration: nothing to carry on from.
                std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
            }
            train_line(&plan, &dir, k, run)?
        };
        println!(
            "trial {k}, run {run}: {}",
            line[1..]
                .iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" ")
        );
        let Command::Train(args) = config::parse(line)
            .map_err(|e| e.render().to_string())?
            .command
        else {
            unreachable!("a train line parses as train")
        };
        if let Err(e) = crate::train::run(args) {
            if matches!(
                e.downcast_ref::<ember::train::TrainError>(),
                Some(ember::train::TrainError::Interrupted { .. })
            ) {
                // Ctrl-C or SIGTERM is not the trial's failure: no result.json, so the
                // search carries on with the trial when it is resumed.
                return Err(e);
            }
            failure = Some(e.to_string());
            break;
        }
    }
    std::fs::create_dir_all(&trial_dir).map_err(|e| format!("{}: {e}", trial_dir.display()))?;
    let result = match failure {
        Some(why) => TrialResult::failed(&plan, k, why)?,
        None => TrialResult::gather(&plan, &dir, k)?,
    };
    result.save(&dir)?;
    println!("trial {k}: {}", outcome(&result));
    Ok(())
}

/// `valid-accuracy 97.5100 ± 0.2000 (41 s)` or `failed: …`.
fn outcome(r: &TrialResult) -> String {
    match &r.failed {
        Some(why) => format!("failed: {}", why.lines().next().unwrap_or_default()),
        None if r.scores.len() > 1 => format!(
            "{} {:.4} ± {:.4} ({:.0} s)",
            r.metric, r.score, r.score_std, r.seconds
        ),
        None => format!("{} {:.4} ({:.0} s)", r.metric, r.score, r.seconds),
    }
}

/// A whole search here: the plan saved (or resumed), pending trials run `--parallel` at a
/// time as `search run-trial` processes, then the report.
fn search(plan: SearchPlan, dir: PathBuf, common: &SearchCommon) -> crate::Result<()> {
    check(&plan, &dir)?;
    if dir.join(ember::train::PLAN_FILE).is_file() {
        let existing = SearchPlan::load(&dir)?;
        if existing != plan {
            return Err(format!(
                "{} holds another search's plan: give another --out, or repeat that search's \
                 command to resume it",
                dir.display()
            )
            .into());
        }
    }
    let plan_path = plan.save(&dir)?;
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let mut pending = Vec::new();
    for t in &plan.trials {
        if TrialResult::load(&dir, t.index)?.is_none() {
            pending.push(t.index);
        }
    }
    let total = plan.trials.len();
    println!(
        "search: {} {} trials of {} in {} ({} finished already), {} at a time; resume with the same command and --out {}",
        total, plan.strategy, plan.model, dir.display(), total - pending.len(), common.parallel, dir.display()
    );
    let started = Instant::now();
    let budget = common
        .budget
        .map(|m| Duration::from_secs_f64(m.max(0.0) * 60.0));
    let threads =
        (std::thread::available_parallelism().map_or(1, |n| n.get()) / common.parallel).max(1);
    let mut queue = pending.into_iter();
    let mut running: Vec<(usize, Child)> = Vec::new();
    let mut out_of_time = Vec::new();
    loop {
        while running.len() < common.parallel {
            let Some(k) = queue.next() else { break };
            if budget.is_some_and(|b| started.elapsed() >= b) {
                out_of_time.push(k);
                continue;
            }
            running.push((
                k,
                spawn_trial(&plan_path, k, &logs, threads, common.parallel > 1)?,
            ));
        }
        if running.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        let mut i = 0;
        while i < running.len() {
            if let Some(status) = running[i].1.try_wait()? {
                let (k, _) = running.remove(i);
                let log = logs.join(format!("trial-{k:03}.log"));
                match TrialResult::load(&dir, k)? {
                    Some(r) => println!(
                        "trial {}/{total} ({}): {}",
                        k + 1,
                        r.describe(),
                        outcome(&r)
                    ),
                    None => println!(
                        "trial {}/{total}: stopped without a result ({status}); see {}",
                        k + 1,
                        log.display()
                    ),
                }
            } else {
                i += 1;
            }
        }
    }
    if !out_of_time.is_empty() {
        println!(
            "budget spent: {} trials not started; rerun the same command to run them",
            out_of_time.len()
        );
    }
    println!("search took {:.0} s", started.elapsed().as_secs_f64());
    report(&dir)
}

/// `search run-trial PLAN K` as a child process, its output in `logs/trial-K.log`.
fn spawn_trial(
    plan: &Path,
    k: usize,
    logs: &Path,
    threads: usize,
    share: bool,
) -> crate::Result<Child> {
    let log_path = logs.join(format!("trial-{k:03}.log"));
    let log =
        std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let mut child = Process::new(std::env::current_exe()?);
    child
        .args(["search", "run-trial"])
        .arg(plan)
        .arg(k.to_string())
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    if share && std::env::var_os("RAYON_NUM_THREADS").is_none() {
        child.env("RAYON_NUM_THREADS", threads.to_string());
    }
    Ok(child.spawn()?)
}

/// `search report DIR`: writes and prints the report.
fn report(dir: &Path) -> crate::Result<()> {
    let report = SearchReport::collect(dir)?;
    let written = report.write(dir)?;
    println!("\n{}", report.markdown());
    if !report.missing.is_empty() {
        println!("not finished: trials {:?}", report.missing);
    }
    if let Some(best) = report.best() {
        println!(
            "best: trial {} ({}), {}",
            best.index,
            best.describe(),
            outcome(best)
        );
    }
    for path in written {
        println!("wrote {}", path.display());
    }
    Ok(())
}
