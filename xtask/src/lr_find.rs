//! `cargo xtask lr-find MODEL`: the model and data `train` would assemble, handed to
//! ember-train's learning-rate range test instead of a training run.

use std::path::PathBuf;
use std::time::Instant;

use ember::burn::data::dataloader::batcher::Batcher;
use ember::train::{Classifier, Labelled, LrFindConfig, RunDir, Training};

use crate::cli::{Command, LrFindArgs, TrainArgs};
use crate::job::{Assembled, Job};

/// Runs the range test and writes its folder.
pub fn run(args: LrFindArgs) -> crate::Result<()> {
    refuse_course_flags(&args.train)?;
    let config = LrFindConfig::new()
        .with_start_lr(args.start_lr)
        .with_end_lr(args.end_lr)
        .with_steps(args.steps);
    // The range is checked before the data is fetched, which may take minutes.
    config.steps_for(1)?;
    let out = args.train.out.clone();
    crate::train::assemble(&args.train, LrFind { config, out })
}

/// The learning rate's course is the test's to set: `train`'s flags for it are refused
/// (by value, as parsed: one equal to `train`'s default passes unnoticed, and changes
/// nothing).
fn refuse_course_flags(args: &TrainArgs) -> crate::Result<()> {
    let Command::Train(plain) = crate::config::parse(vec!["xtask".into(), "train".into()])
        .map_err(|e| e.to_string())?
        .command
    else {
        unreachable!("a train line parses as train")
    };
    let given = [
        ("--lr", args.lr != plain.lr),
        ("--schedule", args.schedule != plain.schedule),
        ("--gamma", args.gamma.is_some()),
        ("--step-size", args.step_size.is_some()),
        ("--warmup", args.warmup.is_some()),
        ("--epochs", args.epochs != plain.epochs),
        ("--early-stopping", args.early_stopping.is_some()),
        ("--config", args.config.is_some()),
    ];
    let given: Vec<&str> = given.iter().filter(|g| g.1).map(|g| g.0).collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} not for lr-find: it sets the learning rate of every step itself, from \
         --start-lr to --end-lr over --steps (and reads no --config: give the flags); drop \
         {}",
        given.join(", "),
        if given.len() == 1 { "it" } else { "them" }
    )
    .into())
}

/// `lr-find`'s job: the range test, its files in `out` (default
/// `runs/lr-find-NAME-UTC_TIME`), and the suggestion printed.
struct LrFind {
    config: LrFindConfig,
    out: Option<PathBuf>,
}

impl Job for LrFind {
    fn doing(&self) -> &'static str {
        "finding a learning rate for"
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
            .unwrap_or_else(|| RunDir::default_path(&format!("lr-find-{}", parts.name)));
        let config = &self.config;
        println!(
            "lr-find: lr from {:.0e} to {:.0e}, growing exponentially over {}; optimizer {}, \
             batch size {}",
            config.start_lr,
            config.end_lr,
            config.steps.map_or_else(
                || format!("one pass (at most {} steps)", LrFindConfig::DEFAULT_STEPS),
                |n| format!("{n} steps"),
            ),
            parts.fit.optimizer,
            parts.fit.batch_size
        );
        let started = Instant::now();
        let finding = Training::new(parts.fit).lr_find(parts.model, &parts.data, config)?;
        println!(
            "{} of {} steps in {:.1} s: {}",
            finding.points.len(),
            finding.planned_steps,
            started.elapsed().as_secs_f64(),
            finding.stop
        );
        if finding.points.is_empty() {
            return Err(format!(
                "{}: nothing to draw; look for extreme values in the data, or lower --start-lr",
                finding.stop
            )
            .into());
        }
        let [csv, png] = finding.save(&out)?;
        if let Some(min) = finding.minimum() {
            println!(
                "minimum: smoothed loss {:.4} at lr {:.2e} (step {}); minimum / 10: lr {:.2e}",
                min.smoothed_loss,
                min.lr,
                min.step,
                min.lr / 10.0
            );
        }
        match finding.steepest() {
            Some(p) => println!(
                "steepest descent of the smoothed loss: lr {:.2e} (step {}, smoothed loss {:.4})",
                p.lr, p.step, p.smoothed_loss
            ),
            None => println!("steepest descent: none (the smoothed loss never falls)"),
        }
        match finding.suggestion() {
            Some(lr) => println!(
                "suggested lr: {lr:.2e} (the lower of the steepest descent and the minimum / 10)"
            ),
            None => println!(
                "no suggestion: the smoothed loss never fell {:.0}% below its first value, too \
                 few steps for the model to learn; give more --steps (several passes) or a \
                 larger --batch-size, and see the plot",
                100.0 * ember::train::LrFinding::MIN_FALL
            ),
        }
        println!("wrote {}\nwrote {}", csv.display(), png.display());
        Ok(())
    }
}
