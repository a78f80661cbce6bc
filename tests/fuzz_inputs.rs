//! The fuzzers' inputs, replayed: every seed in `fuzz/seeds/<target>/` parses, and every
//! input that ever crashed or hung a parser (`fuzz/regressions/<target>/`) now gives an
//! answer — the value or a typed error — without a panic. See FUZZING.md.

use std::path::{Path, PathBuf};

/// `fuzz/<kind>/<target>/*` of the repository, sorted.
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_seed_parses_and_every_input_that_ever_crashed_is_refused_cleanly() {
    type Run = fn(&str, &[u8]) -> Option<bool>;
    let crates: [(&[&str], Run); 4] = [
        (&ember::data::fuzzing::TARGETS, ember::data::fuzzing::run),
        (
            &ember::augment::fuzzing::TARGETS,
            ember::augment::fuzzing::run,
        ),
        (&ember::train::fuzzing::TARGETS, ember::train::fuzzing::run),
        (
            &ember::models::fuzzing::TARGETS,
            ember::models::fuzzing::run,
        ),
    ];
    let mut replayed = 0;
    for (targets, run) in crates {
        for &target in targets {
            let seeds = inputs("seeds", target);
            assert!(!seeds.is_empty(), "fuzz/seeds/{target} holds no seed");
            for seed in seeds {
                let bytes = std::fs::read(&seed).unwrap();
                assert_eq!(
                    run(target, &bytes),
                    Some(true),
                    "{} must parse",
                    seed.display()
                );
            }
            for case in inputs("regressions", target) {
                let bytes = std::fs::read(&case).unwrap();
                assert!(run(target, &bytes).is_some(), "{}", case.display());
                replayed += 1;
            }
        }
    }
    println!("replayed {replayed} regression inputs");
}
