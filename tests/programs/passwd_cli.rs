//! `mend passwd` at a real terminal: every secret asked for without echo, the change
//! takes effect, a recovery code is printed once and replaces a forgotten passphrase.

use std::ffi::OsStr;
use std::path::Path;

use age::secrecy::SecretString;
use mend::vault::{KdfCost, Paths, Vault};

use crate::children;
use crate::pty;

const ENTER: &str = "\r";

fn passwd(dir: &Path, extra: &[&str]) -> pty::Terminal {
    let mut args = vec![
        OsStr::new("--data-dir"),
        dir.as_os_str(),
        OsStr::new("passwd"),
    ];
    args.extend(extra.iter().map(OsStr::new));
    pty::Terminal::spawn(
        env!("CARGO_BIN_EXE_mend").as_ref(),
        args,
        &[("MEND_KDF_LOG_N", "10")],
        (30, 100),
    )
}

fn answer(term: &mut pty::Terminal, prompt: &str, secret: &str) {
    term.wait_for(prompt);
    term.send(secret);
    term.send(ENTER);
}

/// A vault with Alex, whose passphrase is `passphrase`, and no mend running on it.
fn vault_with_alex(passphrase: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // No child starts while this process has the vault open (see children.rs).
    let _no_starts = children::hold_starts();
    let mut vault = Vault::open(&Paths::at(dir.path()), KdfCost::for_tests(10)).unwrap();
    vault
        .create_person("Alex", &SecretString::from(passphrase.to_owned()))
        .unwrap();
    dir
}

fn opens(dir: &Path, passphrase: &str) -> bool {
    // No child starts while this process has the vault open (see children.rs).
    let _no_starts = children::hold_starts();
    let vault = Vault::open(&Paths::at(dir), KdfCost::for_tests(10)).unwrap();
    let id = vault.people()[0].id.clone();
    vault
        .unlock(&id, &SecretString::from(passphrase.to_owned()))
        .is_ok()
}

#[test]
fn passwd_changes_the_passphrase_and_a_printed_recovery_code_replaces_it() {
    let dir = vault_with_alex("first one");

    let mut term = passwd(dir.path(), &[]);
    answer(&mut term, "Current passphrase for Alex:", "first one");
    answer(&mut term, "New passphrase:", "second one");
    answer(&mut term, "The new passphrase again:", "second one");
    term.wait_for("passphrase was changed");
    assert!(term.wait_exit());
    assert!(
        !term.contents().contains("second one") && !term.contents().contains("first one"),
        "a passphrase was echoed:\n{}",
        term.contents()
    );
    assert!(opens(dir.path(), "second one"));
    assert!(!opens(dir.path(), "first one"));

    let mut term = passwd(dir.path(), &["--new-recovery-code"]);
    answer(&mut term, "Current passphrase for Alex:", "second one");
    term.wait_for("mend will not show it again");
    let screen = term.contents();
    let code = screen
        .split_whitespace()
        .find(|w| w.len() == 24 && w.matches('-').count() == 4)
        .unwrap_or_else(|| panic!("no code printed:\n{screen}"))
        .to_owned();
    assert!(term.wait_exit());

    let mut term = passwd(dir.path(), &["--recover"]);
    answer(&mut term, "Recovery code for Alex:", &code.to_lowercase());
    answer(&mut term, "New passphrase:", "third one");
    answer(&mut term, "The new passphrase again:", "third one");
    term.wait_for("passphrase was replaced");
    assert!(term.wait_exit());
    assert!(opens(dir.path(), "third one"));
    assert!(!opens(dir.path(), "second one"));
}

#[test]
fn passwd_refuses_two_different_new_passphrases_and_changes_nothing() {
    let dir = vault_with_alex("first one");
    let mut term = passwd(dir.path(), &[]);
    answer(&mut term, "Current passphrase for Alex:", "first one");
    answer(&mut term, "New passphrase:", "second one");
    answer(&mut term, "The new passphrase again:", "second two");
    term.wait_for("differ; nothing was changed");
    term.wait_exit();
    assert!(opens(dir.path(), "first one"));
}
