//! The real binary in a pseudo-terminal, read through a terminal emulator the way a
//! person sees it: create a profile, type an answer, quit, come back, unlock, find
//! it in history, and find its words in no file on disk.

#[allow(dead_code)]
#[path = "support/pty.rs"]
mod pty;

#[allow(dead_code)]
#[path = "support/mend.rs"]
mod support;

use support::{
    COLS, CTRL_C, ENTER, ESC, Mend, PASS, ROWS, create_profile, files_containing, open_a_text_step,
    start, tab_to_the_end_and_save,
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
    signal_restores_the_terminal_and_keeps_the_draft("-TERM");
}

#[test]
fn sighup_restores_the_terminal_and_keeps_the_draft() {
    signal_restores_the_terminal_and_keeps_the_draft("-HUP");
}

fn signal_restores_the_terminal_and_keeps_the_draft(signal: &str) {
    let dir = tempfile::TempDir::new().unwrap();
    let mut mend = start(dir.path());
    mend.wait_for("Welcome");
    create_profile(&mut mend, "Ari");
    mend.wait_for("Ari · unlocked");
    open_a_text_step(&mut mend);
    mend.send("unfinished words");
    // What is on screen is what mend has read; only that can be kept.
    mend.wait_for("unfinished words");
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
    mend.send(CTRL_C);
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
    mend.wait_for("words before the window closed");
    mend.hang_up();
    mend.wait_exit();

    let mut mend = start(dir.path());
    mend.wait_for("Who is here?");
    mend.send(PASS);
    mend.send(ENTER);
    mend.wait_for("Continue:");
    mend.send("c");
    mend.wait_for("words before the window closed");
    mend.send(CTRL_C);
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
