//! The real binary in a pseudo-terminal, read through a terminal emulator the way a
//! person sees it: create a profile, type an answer, quit, come back, unlock, find
//! it in history, and find its words in no file on disk.

use rustix::process::Signal;

use crate::children::{self, Start};
use crate::pty;
use crate::support::{
    self, COLS, CTRL_C, ENTER, ESC, Mend, PASS, ROWS, TAB, create_profile, files_containing,
    open_a_text_step, start, start_with, tab_to_the_end_and_save, unlock_with,
};

#[test]
fn answer_quit_restart_unlock_find_it_and_no_plaintext_on_disk() {
    let dir = tempfile::TempDir::new().unwrap();
    let canary = "Canary-for-the-e2e-test-9f41c";

    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Robin");
    mend.wait_for("Robin · unlocked");
    open_a_text_step(&mut mend);
    mend.send(canary);
    tab_to_the_end_and_save(&mut mend);
    mend.send("q");
    assert!(mend.wait_exit(), "mend exits cleanly on q");
    assert!(
        !mend.alternate_screen(),
        "the terminal is restored after quitting"
    );

    let mut mend = start(dir.path());
    mend.wait_for("Who is here?");
    mend.send(PASS);
    mend.send(ENTER);
    mend.wait_for("Robin · unlocked");
    mend.send("h");
    mend.wait_for("newest first");
    mend.send(ENTER);
    mend.wait_for(canary);
    mend.send(CTRL_C);
    assert!(mend.wait_exit(), "mend exits cleanly on Ctrl-C");

    let leaks = files_containing(dir.path(), canary.as_bytes());
    assert!(
        leaks.is_empty(),
        "the answer's plaintext is on disk in {leaks:?}"
    );
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_draft() {
    signal_restores_the_terminal_and_keeps_the_draft(Signal::TERM, "SIGTERM");
}

#[test]
fn sighup_restores_the_terminal_and_keeps_the_draft() {
    signal_restores_the_terminal_and_keeps_the_draft(Signal::HUP, "SIGHUP");
}

#[test]
fn every_other_catchable_signal_restores_the_terminal_and_keeps_the_draft() {
    for (signal, name) in [
        (Signal::INT, "SIGINT"),
        (Signal::QUIT, "SIGQUIT"),
        (Signal::USR1, "SIGUSR1"),
        (Signal::USR2, "SIGUSR2"),
        (Signal::ALARM, "SIGALRM"),
        (Signal::PIPE, "SIGPIPE"),
    ] {
        signal_restores_the_terminal_and_keeps_the_draft(signal, name);
    }
}

fn signal_restores_the_terminal_and_keeps_the_draft(signal: Signal, name: &str) {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Ari");
    mend.wait_for("Ari · unlocked");
    open_a_text_step(&mut mend);
    mend.send("unfinished words");
    // What is on screen is what mend has read; only that can be kept.
    mend.wait_for("unfinished words");
    support::signal(&mend, signal);
    assert!(mend.wait_exit(), "mend exits cleanly on {name}");
    assert!(
        !mend.alternate_screen(),
        "the terminal is restored after {name}"
    );
    comes_back_to(dir.path(), "unfinished words", name);
}

/// Unlocks the vault in `dir` again and finds `words` in the draft that Continue opens.
fn comes_back_to(dir: &std::path::Path, words: &str, ending: &str) {
    comes_back_to_after(dir, "", words, ending);
}

/// Like [`comes_back_to`], typing `keys` once the draft is open.
fn comes_back_to_after(dir: &std::path::Path, keys: &str, words: &str, ending: &str) {
    let mut mend = start(dir);
    mend.wait_for("Who is here?");
    mend.send(PASS);
    mend.send(ENTER);
    mend.wait_for("Continue:");
    mend.send("c");
    mend.send(keys);
    mend.wait_for(words);
    mend.send(CTRL_C);
    assert!(mend.wait_exit(), "mend exits cleanly after {ending}");
}

#[test]
fn closing_the_window_saves_the_draft_and_frees_the_vault() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Kai");
    mend.wait_for("Kai · unlocked");
    open_a_text_step(&mut mend);
    mend.send("words before the window closed");
    mend.wait_for("words before the window closed");
    mend.hang_up();
    assert!(
        mend.wait_exit(),
        "mend exits cleanly when its window is closed"
    );
    comes_back_to(
        dir.path(),
        "words before the window closed",
        "a closed window",
    );
}

const SHIFT_TAB: &str = "\x1b[Z";

/// How a test ends mend in the middle of a save.
#[derive(Clone, Copy)]
enum Ending {
    Signal(Signal, &'static str),
    ClosedWindow,
}

#[test]
fn sigterm_in_the_middle_of_a_slow_save_keeps_the_draft() {
    an_ending_in_the_middle_of_a_slow_save_keeps_the_draft(Ending::Signal(Signal::TERM, "SIGTERM"));
}

#[test]
fn sighup_in_the_middle_of_a_slow_save_keeps_the_draft() {
    an_ending_in_the_middle_of_a_slow_save_keeps_the_draft(Ending::Signal(Signal::HUP, "SIGHUP"));
}

#[test]
fn closing_the_window_in_the_middle_of_a_slow_save_keeps_the_draft() {
    an_ending_in_the_middle_of_a_slow_save_keeps_the_draft(Ending::ClosedWindow);
}

/// A busy or network disk, made reproducible: every fsync waits (a debug-build hook),
/// and mend is ended while the draft it is saving sits in a temp file, unsynced.
fn an_ending_in_the_middle_of_a_slow_save_keeps_the_draft(ending: Ending) {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Ari");
    mend.wait_for("Ari · unlocked");
    open_a_text_step(&mut mend);
    // Something to keep: an untouched step leaves no draft.
    mend.send("a start ");
    mend.wait_for("a start");
    mend.send(ESC);
    mend.wait_for("Continue:");
    mend.send("q");
    assert!(mend.wait_exit(), "mend exits cleanly on q");

    let mut mend = start_with(dir.path(), &[("MEND_DEBUG_SLOW_SYNC_MS", "1500")]);
    unlock_with(&mut mend, PASS);
    mend.wait_for("Continue:");
    mend.send("c");
    mend.wait_for("Your answer");
    mend.send("words saved on a slow disk");
    mend.wait_for("words saved on a slow disk");
    // Tab moves on, which saves the draft.
    mend.type_now(TAB);
    wait_for_a_save_in_progress(&dir.path().join("drafts"));
    let name = match ending {
        Ending::Signal(signal, name) => {
            support::signal(&mend, signal);
            name
        }
        Ending::ClosedWindow => {
            mend.hang_up();
            "a closed window"
        }
    };
    assert!(
        mend.wait_exit(),
        "mend exits cleanly on {name} in the middle of a save"
    );
    if let Ending::Signal(..) = ending {
        assert!(
            !mend.alternate_screen(),
            "the terminal is restored after {name} in the middle of a save"
        );
    }
    // The draft was saved on the step after the words: one step back shows them.
    comes_back_to_after(dir.path(), SHIFT_TAB, "words saved on a slow disk", name);
}

/// Waits until a temp file is under `drafts`: a draft is being written and not yet
/// renamed into place.
fn wait_for_a_save_in_progress(drafts: &std::path::Path) {
    let start = std::time::Instant::now();
    loop {
        let saving = drafts.exists()
            && support::files_under(drafts).iter().any(|path| {
                path.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".tmp-"))
            });
        if saving {
            return;
        }
        assert!(
            start.elapsed() < pty::PATIENCE,
            "no draft save began in {}",
            drafts.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn content_workbooks_appear_on_home_and_a_broken_one_is_named() {
    let dir = tempfile::TempDir::new().unwrap();
    let books = tempfile::TempDir::new().unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/content");
    std::fs::copy(
        format!("{fixtures}/good.toml"),
        books.path().join("good.toml"),
    )
    .unwrap();
    std::fs::write(books.path().join("broken.toml"), "[workbook\n").unwrap();
    let mut mend = Mend::spawn(
        env!("CARGO_BIN_EXE_mend").as_ref(),
        [
            std::ffi::OsStr::new("--data-dir"),
            dir.path().as_os_str(),
            std::ffi::OsStr::new("--content"),
            books.path().as_os_str(),
        ],
        &[("MEND_KDF_LOG_N", "10")],
        (ROWS, COLS),
    );
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Noor");
    mend.wait_for("Noor · unlocked");
    mend.wait_for("'broken.toml' was not loaded");
    mend.wait_for("mend check");
    let good = mend::content::validate::load_file(&books.path().join("good.toml")).unwrap();
    mend.wait_for(&good.title);
    mend.send("q");
    assert!(mend.wait_exit());
}

#[test]
fn a_hand_over_between_two_partners() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Sam");
    mend.wait_for("Sam · unlocked");
    mend.send("a");
    mend.wait_for("Before you invite your partner");
    mend.send(ENTER);
    mend.wait_for("Pass the keyboard to your partner");
    assert!(
        !mend.contents().contains("Sam · unlocked"),
        "the curtain shows nothing of Sam's"
    );
    mend.send(ENTER);
    mend.wait_for("If you are afraid of your partner");
    mend.send(ENTER);
    mend.wait_for("Create your profile");
    mend.send("Alex");
    mend.send(ENTER);
    mend.send("alex's own passphrase");
    mend.send(ENTER);
    mend.send("alex's own passphrase");
    mend.send(ENTER);
    mend.wait_for("Prefer not to say");
    mend.send(ENTER);
    mend.wait_for("A recovery code");
    mend.send(ESC);
    mend.wait_for("Alex · unlocked");
    mend.send("t");
    mend.wait_for("Pass the keyboard to Sam");
    assert!(!mend.contents().contains("Alex · unlocked"));
    mend.send(ENTER);
    mend.wait_for("Who is here?");
    mend.send(PASS);
    mend.send(ENTER);
    mend.wait_for("Sam · unlocked");
    mend.send("q");
    assert!(mend.wait_exit());

    let people = std::process::Command::new(env!("CARGO_BIN_EXE_mend"))
        .args(["people", "--data-dir"])
        .arg(dir.path())
        .run()
        .unwrap();
    let listed = String::from_utf8_lossy(&people.stdout);
    assert!(
        listed.contains("Sam") && listed.contains("Alex"),
        "{listed}"
    );
}

#[test]
fn a_sentence_typed_on_a_scale_or_choice_step_never_shares_anything() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Rue");
    mend.wait_for("Rue · unlocked");
    // The quick check-in, first on home: four scales, then a line.
    mend.send(ENTER);
    mend.wait_for("step 1 of");
    // Words meant for somewhere else; its letters include s, n and p.
    mend.send("sorry not sure, pass");
    mend.send(ENTER);
    tab_to_the_end_and_save(&mut mend);
    mend.send("q");
    assert!(mend.wait_exit(), "mend exits cleanly on q");

    // No child starts while this process has the vault open (see children.rs).
    let _no_starts = children::hold_starts();
    let vault = mend::vault::Vault::open(
        &mend::vault::Paths::at(dir.path()),
        mend::vault::KdfCost::for_tests(10),
    )
    .unwrap();
    let rue = vault.people()[0].id.clone();
    let keys = vault
        .unlock(&rue, &age::secrecy::SecretString::from(PASS.to_owned()))
        .unwrap();
    let saved = vault.load(&keys).entries;
    assert_eq!(saved.len(), 1, "the check-in was saved");
    assert_eq!(
        saved[0].visibility,
        mend::content::Visibility::Private,
        "a stray letter shared it"
    );
}

#[test]
fn a_vault_that_lost_its_list_of_people_is_unlocked_and_rebuilt_not_started_afresh() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Robin");
    mend.wait_for("Robin · unlocked");
    mend.send("q");
    assert!(mend.wait_exit());
    for name in ["vault.toml", "vault.toml.bak"] {
        std::fs::remove_file(dir.path().join(name)).unwrap();
    }

    let mut mend = start(dir.path());
    mend.wait_for("› My profile");
    assert!(mend.contents().contains("is missing"));
    assert!(!mend.contents().contains("Create your profile"));
    unlock_with(&mut mend, PASS);
    mend.wait_for("Robin · unlocked");
    mend.wait_for("Back on the list");
    mend.send(ESC);
    mend.send("q");
    assert!(mend.wait_exit());

    // Put back for good: the next start is an ordinary unlock.
    let mut mend = start(dir.path());
    mend.wait_for("Who is here?");
    mend.wait_for("Robin");
    assert!(!mend.contents().contains("is missing"));
    mend.send(CTRL_C);
    assert!(mend.wait_exit());
}

/// A long answer, then a pause, then kill -9 (no chance to save anything on the way
/// out): the answer is in the draft at the next unlock, because a pause in typing keeps
/// it. The wait for the draft file is patience for a loaded machine, not the promise:
/// no draft exists before the pause (moving onto an empty text step keeps none).
#[test]
fn kill_9_three_seconds_after_the_last_keystroke_loses_nothing_typed() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Ari");
    mend.wait_for("Ari · unlocked");
    open_a_text_step(&mut mend);
    let drafts = dir.path().join("drafts");
    let count = |dir: &std::path::Path| std::fs::read_dir(dir).map_or(0, Iterator::count);
    assert_eq!(count(&drafts), 0, "no draft before anything is typed");
    let answer = "a long answer about the week, written slowly, with the end of it here";
    mend.send(answer);
    mend.wait_for("with the end of it here");
    std::thread::sleep(std::time::Duration::from_secs(3));
    let waited = std::time::Instant::now();
    while count(&drafts) == 0 && waited.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    support::signal(&mend, Signal::KILL);
    mend.wait_exit();
    comes_back_to(dir.path(), "with the end of it here", "kill -9");
}

/// The mouse in the real binary, as a terminal sends it (SGR reports, 1-based cells):
/// the wheel moves home's cursor, a click chooses a row and a second click opens it.
#[test]
fn the_wheel_and_a_click_work_in_a_real_terminal() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Ari");
    mend.wait_for("Ari · unlocked");
    // Home opens on the check-in; the wheel moves down to the first exercise.
    mend.send("\x1b[<65;10;6M");
    mend.wait_for("about 5 min · 4 steps");
    let line = mend
        .contents()
        .lines()
        .position(|l| l.contains("○ Going gently"))
        .expect("Going gently is on home");
    let row = line + 1;
    let click = format!("\x1b[<0;10;{row}M\x1b[<0;10;{row}m");
    mend.send(&click);
    mend.wait_for("Hard conversations go better");
    mend.send(&click);
    mend.wait_for("step 1 of");
    mend.send(CTRL_C);
    assert!(mend.wait_exit());
}
