//! Helpers shared by the facade's integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/data` beside the checkout (or `EMBER_SHARED_DATA`), when it exists.
/// Tests that need the real datasets call this and skip, saying why, when it is `None`.
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("EMBER_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} not found (the real datasets live there in CI; set EMBER_SHARED_DATA)",
            dir.display()
        );
        None
    }
}
