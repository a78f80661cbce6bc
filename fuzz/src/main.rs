//! One AFL++ harness for every input format Ember parses: `EMBER_FUZZ_TARGET` names the
//! format (one of `ember_data::fuzzing::TARGETS`), and every input AFL generates goes through
//! `ember_data::fuzzing::run`, as a user's file would. A panic, an abort (allocation failure
//! included) or a hang is what AFL reports as a crash or a hang.

fn main() {
    let target = std::env::var("EMBER_FUZZ_TARGET").unwrap_or_default();
    if !ember_data::fuzzing::TARGETS.contains(&target.as_str()) {
        eprintln!(
            "set EMBER_FUZZ_TARGET to one of {:?}",
            ember_data::fuzzing::TARGETS
        );
        std::process::exit(2);
    }
    afl::fuzz!(|data: &[u8]| {
        ember_data::fuzzing::run(&target, data);
    });
}
