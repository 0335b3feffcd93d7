//! Renders the sample decision, long decision and receipt used by the tests, to look at them:
//! `cargo run -p documents --example render_samples -- /tmp` writes sample-decision.pdf,
//! sample-decision-long.pdf and sample-receipt.pdf there (default: the system temp directory).

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).map_or_else(std::env::temp_dir, PathBuf::from);
    let outputs = [
        ("sample-decision.pdf", documents::render_decision(&fixtures::decision())?),
        ("sample-decision-long.pdf", documents::render_decision(&fixtures::long_decision())?),
        ("sample-receipt.pdf", documents::render_receipt(&fixtures::receipt())?),
    ];
    for (name, bytes) in outputs {
        let path = dir.join(name);
        std::fs::write(&path, &bytes)?;
        println!("{} {} bytes sha256 {}", path.display(), bytes.len(), documents::sha256_hex(&bytes));
    }
    Ok(())
}
