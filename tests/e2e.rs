//! The real binary in a pseudo-terminal, read through a terminal emulator the way a
//! person sees it: create a profile, type an answer, quit, come back, unlock, find
//! it in history, and find its words in no file on disk.

use std::path::Path;

#[allow(dead_code)]
#[path = "support/pty.rs"]
mod pty;

const ROWS: u16 = 30;
const COLS: u16 = 100;

type Mend = pty::Terminal;

/// The real mend on `data_dir`, at a low key-derivation cost, in a fresh terminal.
fn start(data_dir: &Path) -> Mend {
    start_with(data_dir, &[])
}

fn start_with(data_dir: &Path, env: &[(&str, &str)]) -> Mend {
    let mut all = vec![("MEND_KDF_LOG_N", "10")];
    all.extend_from_slice(env);
    Mend::spawn(
        env!("CARGO_BIN_EXE_mend").as_ref(),
        [std::ffi::OsStr::new("--data-dir"), data_dir.as_os_str()],
        &all,
        (ROWS, COLS),
    )
}

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const TAB: &str = "\t";
const PASS: &str = "a long walk by the river";

fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.windows(needle.len()).any(|w| w == needle) {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

/// From the welcome, creates a profile called `name`, preferring not to say a role.
fn create_profile(mend: &mut Mend, name: &str) {
    mend.send(ENTER);
    mend.wait_for("Create your profile");
    mend.send(name);
    mend.send(ENTER);
    mend.send(PASS);
    mend.send(ENTER);
    mend.send(PASS);
    mend.send(ENTER);
    mend.wait_for("Prefer not to say");
    mend.send(ENTER);
    mend.wait_for("A recovery code");
    mend.send(ESC);
}

/// Opens exercises in order, finishing any without a text step (home then moves to
/// the next one), until a step asks for typed text: whatever the content says.
fn open_a_text_step(mend: &mut Mend) {
    for _ in 0..40 {
        mend.send(ENTER);
        if mend.contents().contains("Your answer") {
            return;
        }
        if mend.contents().contains("Press Enter to save it") {
            mend.send(ENTER);
            mend.wait_for("Saved and encrypted");
        }
    }
    panic!("no text step found; the screen shows:\n{}", mend.contents());
}

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
    mend.send(TAB);
    for _ in 0..12 {
        if mend.contents().contains("Press Enter to save it") {
            break;
        }
        mend.send(TAB);
    }
    mend.wait_for("Press Enter to save it");
    mend.send(ENTER);
    mend.wait_for("Saved and encrypted");
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
    mend.send("\x03");
    assert!(mend.wait_exit(), "mend exits cleanly on Ctrl-C");

    let leaks = files_containing(dir.path(), canary.as_bytes());
    assert!(
        leaks.is_empty(),
        "the answer's plaintext is on disk in {leaks:?}"
    );
}

#[test]
fn a_second_mend_on_the_same_vault_says_so_and_exits() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut first = start(dir.path());
    first.wait_for("Welcome");
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_mend"))
        .arg("--data-dir")
        .arg(dir.path())
        .env("MEND_KDF_LOG_N", "10")
        .output()
        .unwrap();
    assert!(!second.status.success());
    let message = String::from_utf8_lossy(&second.stderr);
    assert!(message.contains("already open"), "{message}");
    first.send("q");
    assert!(first.wait_exit());
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_draft() {
    signal_restores_the_terminal_and_keeps_the_draft("-TERM");
}

#[test]
fn sighup_restores_the_terminal_and_keeps_the_draft() {
    signal_restores_the_terminal_and_keeps_the_draft("-HUP");
}

#[test]
fn a_panic_restores_the_terminal() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start_with(dir.path(), &[("MEND_DEBUG_PANIC", "1")]);
    mend.wait_for("Welcome");
    assert!(mend.alternate_screen());
    mend.send("\x1b[24~"); // F12
    assert!(!mend.wait_exit(), "a panic exits with failure");
    assert!(
        !mend.alternate_screen(),
        "the terminal is restored after a panic"
    );
}

fn signal_restores_the_terminal_and_keeps_the_draft(signal: &str) {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Ari");
    mend.wait_for("Ari · unlocked");
    open_a_text_step(&mut mend);
    mend.send("unfinished words");
    let pid = mend.pid();
    let status = std::process::Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(mend.wait_exit(), "mend exits cleanly on SIGTERM");
    assert!(
        !mend.alternate_screen(),
        "the terminal is restored after SIGTERM"
    );

    let mut mend = start(dir.path());
    mend.wait_for("Who is here?");
    mend.send(PASS);
    mend.send(ENTER);
    mend.wait_for("Continue:");
    mend.send("c");
    mend.wait_for("unfinished words");
    mend.send("\x03");
    assert!(mend.wait_exit());
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
    mend.hang_up();
    mend.wait_exit();

    let mut mend = start(dir.path());
    mend.wait_for("Who is here?");
    mend.send(PASS);
    mend.send(ENTER);
    mend.wait_for("Continue:");
    mend.send("c");
    mend.wait_for("words before the window closed");
    mend.send("\x03");
    assert!(mend.wait_exit());
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
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&people.stdout);
    assert!(
        listed.contains("Sam") && listed.contains("Alex"),
        "{listed}"
    );
}

#[test]
fn core_dumps_are_off_while_mend_runs() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    // setsid execs mend in place, so the child's pid is mend's.
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", mend.pid())).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("the kernel lists the core limit");
    let numbers: Vec<&str> = core.split_whitespace().skip(4).take(2).collect();
    assert_eq!(numbers, ["0", "0"], "{core}");
    mend.send("q");
    assert!(mend.wait_exit());
}
