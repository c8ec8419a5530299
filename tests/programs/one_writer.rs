//! Promise 6: one writer. Several real `mend`s are started on one vault at the same
//! instant, each in its own pseudo-terminal: exactly one may open it (it shows who is
//! here, or the welcome on a new vault); every other says plainly that mend is already
//! open and exits without taking the screen. The one that opened then saves a check-in;
//! at the end every round's check-in is in the vault and decrypts.
//!
//! Starting together: each terminal first runs a tiny shell that prints "ready" and
//! waits for a line; once all are ready the test types Enter into every terminal
//! back to back, and each shell replaces itself with mend. A line typed before its
//! shell reads is kept by the terminal, so no start is ever missed.

use std::ffi::OsStr;
use std::path::Path;
use std::time::Instant;

use age::secrecy::SecretString;
use mend::entry::Answer;
use mend::vault::{KdfCost, Paths, Vault};

use crate::children;
use crate::pty::PATIENCE;
use crate::support::{COLS, ENTER, Mend, PASS, ROWS, TAB, unlock_with};

/// Waits for one line on the terminal, then becomes mend on the vault.
const GATE: &str = "printf 'ready\\n'; read _; exec \"$0\" --data-dir \"$1\"";
/// The alternate screen being taken: a full-screen mend.
const TAKES_THE_SCREEN: &[u8] = b"\x1b[?1049h";

/// What one round saw.
struct Round {
    instances: usize,
    opened: usize,
    /// Instances that neither opened nor said plainly that mend is already open.
    unclear: Vec<String>,
}

fn gated(data_dir: &Path) -> Mend {
    Mend::spawn(
        OsStr::new("sh"),
        [
            OsStr::new("-c"),
            OsStr::new(GATE),
            OsStr::new(env!("CARGO_BIN_EXE_mend")),
            data_dir.as_os_str(),
        ],
        &[("MEND_KDF_LOG_N", "10")],
        (ROWS, COLS),
    )
}

/// Starts `n` mends on `data_dir` together; returns them once each has either opened
/// the vault (showing `opened_shows`) or ended.
fn start_together(data_dir: &Path, n: usize, opened_shows: &str) -> Vec<Mend> {
    let mut all: Vec<Mend> = (0..n).map(|_| gated(data_dir)).collect();
    for mend in &all {
        mend.wait_for("ready");
    }
    for mend in &mut all {
        mend.type_now(ENTER);
    }
    let start = Instant::now();
    loop {
        let mut decided = 0;
        for mend in &mut all {
            if mend.contents().contains(opened_shows) || mend.exited().is_some() {
                decided += 1;
            }
        }
        if decided == n {
            return all;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "{} of {n} mends neither opened nor ended",
            n - decided
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Sorts the instances into the one that opened and the rest, checking each of the rest
/// ended, said "already open", and never took the screen.
fn sort_out(all: Vec<Mend>, opened_shows: &str) -> (Vec<Mend>, Round) {
    let instances = all.len();
    let mut opened = Vec::new();
    let mut unclear = Vec::new();
    for mut mend in all {
        if mend.contents().contains(opened_shows) {
            opened.push(mend);
            continue;
        }
        let success = mend.wait_exit();
        mend.finish_reading();
        let said = mend.contents();
        let took_screen = mend
            .output()
            .windows(TAKES_THE_SCREEN.len())
            .any(|w| w == TAKES_THE_SCREEN);
        if success || !said.contains("already open") || took_screen {
            unclear.push(format!(
                "exit success {success}, took the screen {took_screen}, said:\n{said}"
            ));
        }
    }
    let round = Round {
        instances,
        opened: opened.len(),
        unclear,
    };
    (opened, round)
}

/// The one that opened saves a quick check-in whose line is `words`, then quits.
fn save_a_checkin(mend: &mut Mend, words: &str) {
    unlock_with(mend, PASS);
    mend.wait_for("Robin · unlocked");
    mend.send(ENTER);
    // Robin chose no role, so both trust questions are asked: five numbers, then the line.
    mend.wait_for("step 1 of 6");
    mend.send(&format!("{}{words}{TAB}", TAB.repeat(5)));
    mend.wait_for("Press Enter to save it");
    mend.send(ENTER);
    mend.wait_for("Saved and encrypted");
    mend.send("q");
    assert!(mend.wait_exit(), "mend quits cleanly after saving");
}

/// A vault with Robin in it, made through the library before any mend starts (a
/// program started while this process held the lock would inherit it for an instant).
fn vault_with_robin() -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    // No child starts while this process has the vault open (see children.rs).
    let _no_starts = children::hold_starts();
    let mut vault = Vault::open(&Paths::at(dir.path()), KdfCost::for_tests(10)).unwrap();
    vault
        .create_person("Robin", &SecretString::from(PASS.to_owned()))
        .unwrap();
    dir
}

/// The check-in lines in the vault, as Robin reads them; fails on any damaged file.
fn checkin_lines(dir: &Path) -> Vec<String> {
    // No child starts while this process has the vault open (see children.rs).
    let _no_starts = children::hold_starts();
    let vault = Vault::open(&Paths::at(dir), KdfCost::for_tests(10)).unwrap();
    let robin = vault.people()[0].id.clone();
    let keys = vault
        .unlock(&robin, &SecretString::from(PASS.to_owned()))
        .unwrap();
    let loaded = vault.load(&keys);
    assert!(
        loaded.problems.is_empty(),
        "files could not be read: {:?}",
        loaded.problems
    );
    loaded
        .entries
        .iter()
        .flat_map(|e| &e.answers)
        .filter_map(|a| match &a.answer {
            Answer::Text { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// `rounds` rounds of 2 to 8 mends on one vault (every count in turn); every fourth
/// round races on a new, empty folder instead, where the one that opens shows the
/// welcome and quits.
fn one_writer(rounds: usize) {
    let vault = vault_with_robin();
    let mut seen = Vec::new();
    let mut written = Vec::new();
    for round in 0..rounds {
        let n = 2 + round % 7;
        let fresh = round % 4 == 3;
        let empty = tempfile::TempDir::new().unwrap();
        let (dir, opened_shows) = if fresh {
            (empty.path(), "Welcome")
        } else {
            (vault.path(), "Who is here?")
        };
        let all = start_together(dir, n, opened_shows);
        let (mut opened, result) = sort_out(all, opened_shows);
        if let [winner] = opened.as_mut_slice() {
            if fresh {
                winner.send("q");
                assert!(winner.wait_exit());
            } else {
                let words = format!("round {round} of the one-writer test");
                save_a_checkin(winner, &words);
                written.push(words);
            }
        }
        seen.push(result);
    }

    let exactly_one = seen
        .iter()
        .filter(|r| r.opened == 1 && r.unclear.is_empty())
        .count();
    let found = checkin_lines(vault.path());
    let lost: Vec<&String> = written.iter().filter(|w| !found.contains(w)).collect();
    let most = seen.iter().map(|r| r.instances).max().unwrap_or(0);
    let fewest = seen.iter().map(|r| r.instances).min().unwrap_or(0);
    println!(
        "one writer: {rounds} rounds of {fewest}-{most} instances, exactly one opened in {exactly_one} of {rounds}, {} entries saved, {} lost",
        written.len(),
        lost.len()
    );
    for (i, r) in seen.iter().enumerate() {
        assert!(
            r.opened == 1 && r.unclear.is_empty(),
            "round {i}: {} of {} opened; the others: {:#?}",
            r.opened,
            r.instances,
            r.unclear
        );
    }
    assert!(lost.is_empty(), "entries lost: {lost:?}");
    assert_eq!(
        found.len(),
        written.len(),
        "no entry appeared twice or from nowhere"
    );
}

#[test]
fn of_many_mends_started_at_once_exactly_one_opens_and_no_entry_is_lost() {
    one_writer(20);
}

/// The long run: `cargo test --test programs -- --ignored --nocapture one_writer::`.
#[test]
#[ignore = "about 90 s; run it before a release"]
fn two_hundred_rounds_of_many_mends_at_once() {
    one_writer(200);
}

/// Deleting `app.lock` (or replacing it) while mend runs must not let a second mend in:
/// the data folder itself is locked too.
#[test]
fn deleting_the_lock_file_does_not_let_a_second_mend_in() {
    let dir = tempfile::tempdir().unwrap();
    let paths = mend::vault::Paths::at(dir.path());
    let cost = mend::vault::KdfCost::for_tests(10);
    // No child starts while this process has the vault open (see children.rs).
    let _no_starts = children::hold_starts();
    let first = mend::vault::Vault::open(&paths, cost).unwrap();
    std::fs::remove_file(dir.path().join("app.lock")).unwrap();
    let second = mend::vault::Vault::open(&paths, cost);
    assert!(
        matches!(second, Err(mend::vault::VaultError::AlreadyOpen { .. })),
        "a second mend opened the vault: {:?}",
        second.err()
    );
    drop(first);
    assert!(
        mend::vault::Vault::open(&paths, cost).is_ok(),
        "free again once the first is closed"
    );
}
