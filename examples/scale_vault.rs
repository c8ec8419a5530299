//! Builds a vault of N synthetic entries and check-ins, to see how mend does with ten
//! years of writing. Every file is written through the real vault API, encrypted and
//! fsynced, so the vault opens in mend like any other.
//!
//! ```sh
//! cargo run --release --example scale_vault -- --data-dir /tmp/mend-10k --entries 10000 --couple
//! cargo run --release -- --data-dir /tmp/mend-10k     # then open it (passphrase below)
//! ```
//!
//! Options: `--entries N` (entry files in all, check-ins included; a couple's are split
//! evenly), `--couple` (Alex and Blair; otherwise Alex alone), `--passphrase-file F`
//! (first line: the passphrase for everyone; otherwise the fixed test passphrases
//! "scale fixture alex" and "scale fixture blair"), `--jobs J` (saves in flight at once,
//! default 8). Key files use the release work factor unless `MEND_KDF_LOG_N` is set
//! (a cheaper vault, for quick experiments only). See `benches/support/scale.rs` for
//! what the entries hold.
//!
//! Time on the 2-core development machine, a couple, 8 saves at once, each key
//! derivation included: 1,000 entries in about 4 s, 10,000 in about 7 s, 100,000 in
//! about 32 s (measured before entries were padded to size buckets; the bench's builder
//! now makes 10,000 entries, 86 MB of them, in 12.6 s). One save at a time (`--jobs 1`) is about three times
//! slower (0.65 ms an entry against 0.22 ms with 8, on an idle disk), as each save waits
//! for its own fsync.

#![allow(clippy::cast_precision_loss)] // sizes and times, printed as decimals

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../benches/support/scale.rs"]
mod scale;

fn usage() -> ExitCode {
    eprintln!(
        "usage: scale_vault --data-dir DIR --entries N [--couple] [--passphrase-file F] [--jobs J]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut dir: Option<PathBuf> = None;
    let mut entries: Option<usize> = None;
    let mut couple = false;
    let mut passphrase_file: Option<PathBuf> = None;
    let mut jobs = 8;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data-dir" => dir = args.next().map(PathBuf::from),
            "--entries" => {
                entries = args
                    .next()
                    .and_then(|n| n.replace([',', '_'], "").parse().ok());
            }
            "--couple" => couple = true,
            "--passphrase-file" => passphrase_file = args.next().map(PathBuf::from),
            "--jobs" => match args.next().and_then(|j| j.parse().ok()) {
                Some(j) => jobs = j,
                None => return usage(),
            },
            _ => return usage(),
        }
    }
    let (Some(dir), Some(entries)) = (dir, entries) else {
        return usage();
    };
    let mut spec = scale::Spec::new(entries, couple);
    spec.jobs = jobs;
    if let Some(file) = passphrase_file {
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("scale_vault: cannot read '{}': {e}", file.display());
                return ExitCode::FAILURE;
            }
        };
        let line = text.lines().next().unwrap_or("").to_owned();
        if line.is_empty() {
            eprintln!(
                "scale_vault: '{}' has no passphrase on its first line",
                file.display()
            );
            return ExitCode::FAILURE;
        }
        spec.passphrases = [line.clone(), line];
    }
    eprintln!(
        "Building {entries} entries for {} in '{}' (key work factor 2^{}, {jobs} saves at once)...",
        if couple { "Alex and Blair" } else { "Alex" },
        dir.display(),
        spec.kdf.log_n()
    );
    let progress = |n: usize| eprint!("\r  {n} of {entries} entries saved");
    match scale::build(&dir, &spec, &progress) {
        Ok(built) => {
            eprintln!();
            println!(
                "scale fixture: {} entries ({} check-ins) for {} person(s), {:.1} MB in entries/, built in {:.1} s ({:.2} ms per entry)",
                built.entries,
                built.checkins,
                built.people.len(),
                built.bytes as f64 / 1e6,
                built.elapsed.as_secs_f64(),
                built.elapsed.as_secs_f64() * 1e3 / built.entries.max(1) as f64
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("\nscale_vault: {message}");
            ExitCode::FAILURE
        }
    }
}
