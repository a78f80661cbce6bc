//! One AFL++ harness for every input format Ember parses: `EMBER_FUZZ_TARGET` names the
//! format (one of the `TARGETS` of `ember_data::fuzzing`, `ember_augment::fuzzing`,
//! `ember_train::fuzzing` and `ember_models::fuzzing`), and every input AFL generates goes through that crate's
//! `fuzzing::run`, as a user's file would. A panic, an abort (allocation failure included)
//! or a hang is what AFL reports as a crash or a hang.

/// Which crate's `fuzzing::run` parses `target`.
fn entry(target: &str) -> Option<fn(&str, &[u8]) -> Option<bool>> {
    let crates: [(&[&str], fn(&str, &[u8]) -> Option<bool>); 4] = [
        (&ember_data::fuzzing::TARGETS, ember_data::fuzzing::run),
        (
            &ember_augment::fuzzing::TARGETS,
            ember_augment::fuzzing::run,
        ),
        (&ember_train::fuzzing::TARGETS, ember_train::fuzzing::run),
        (&ember_models::fuzzing::TARGETS, ember_models::fuzzing::run),
    ];
    crates
        .into_iter()
        .find(|(targets, _)| targets.contains(&target))
        .map(|(_, run)| run)
}

fn main() {
    let target = std::env::var("EMBER_FUZZ_TARGET").unwrap_or_default();
    let Some(run) = entry(&target) else {
        eprintln!("set EMBER_FUZZ_TARGET to one of the fuzzing::TARGETS of ember-data, ember-augment, ember-train or ember-models");
        std::process::exit(2);
    };
    afl::fuzz!(|data: &[u8]| {
        run(&target, data);
    });
}
