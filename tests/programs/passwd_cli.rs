//! `mend passwd` at a real terminal: every secret asked for without echo, the change
//! takes effect, a recovery code is printed once and replaces a forgotten passphrase.

use std::ffi::OsStr;
use std::path::Path;

use age::secrecy::SecretString;
use mend::vault::{KdfCost, Paths, Vault};

use crate::children::{self, Start};
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

/// `mend passwd ARGS` as a script runs it: no terminal at all (a session of its own,
/// through util-linux `setsid` as `pty.rs` uses), stdin empty, output captured.
fn passwd_script(dir: &Path, args: &[&OsStr]) -> std::process::Output {
    std::process::Command::new("setsid")
        .arg("--wait")
        .arg(env!("CARGO_BIN_EXE_mend"))
        .arg("--data-dir")
        .arg(dir)
        .arg("passwd")
        .args(args)
        .env("MEND_KDF_LOG_N", "10")
        .run()
        .unwrap()
}

/// A file holding `secret`, readable by its owner only, in a folder of its own.
fn secret_file(dir: &Path, name: &str, secret: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    crate::fixtures::write_private(&path, secret);
    path
}

fn said(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Without a terminal, each way of running passwd says exactly which file options it
/// needs (only those not given), exits 2, and changes nothing.
#[test]
fn passwd_without_a_terminal_names_the_file_options_to_pass() {
    let dir = vault_with_alex("first one");
    let files = tempfile::tempdir().unwrap();
    let current = secret_file(files.path(), "current", "first one\n");
    let cases: [(&[&OsStr], &str, &[&str]); 4] = [
        (
            &[],
            "give --passphrase-file PATH and --new-passphrase-file PATH,",
            &[],
        ),
        (
            &["--new-recovery-code".as_ref()],
            "give --passphrase-file PATH,",
            &["--new-passphrase-file"],
        ),
        (
            &["--recover".as_ref()],
            "give --recovery-code-file PATH and --new-passphrase-file PATH,",
            &["--passphrase-file PATH"],
        ),
        (
            &["--passphrase-file".as_ref(), current.as_os_str()],
            "give --new-passphrase-file PATH,",
            &["--passphrase-file PATH"],
        ),
    ];
    let mut wrong = Vec::new();
    for (args, expected, not_named) in cases {
        let out = passwd_script(dir.path(), args);
        let said = said(&out);
        if out.status.code() != Some(2)
            || !said.contains(expected)
            || not_named.iter().any(|option| said.contains(option))
        {
            wrong.push(format!("{args:?}: {:?}\n{said}", out.status.code()));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(opens(dir.path(), "first one"), "something was changed");
}

/// A script changes the passphrase, makes a recovery code and replaces a forgotten
/// passphrase with it, every secret from a private file, none of them ever printed.
#[test]
fn passwd_takes_every_secret_from_files_in_a_script() {
    let dir = vault_with_alex("first one");
    let files = tempfile::tempdir().unwrap();
    let first = secret_file(files.path(), "first", "first one\n");
    let second = secret_file(files.path(), "second", "second one\n");
    let third = secret_file(files.path(), "third", "third one\n");

    let out = passwd_script(
        dir.path(),
        &[
            "--passphrase-file".as_ref(),
            first.as_os_str(),
            "--new-passphrase-file".as_ref(),
            second.as_os_str(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert!(said(&out).contains("passphrase was changed"));
    assert!(opens(dir.path(), "second one"));
    assert!(!opens(dir.path(), "first one"));

    let out = passwd_script(
        dir.path(),
        &[
            "--new-recovery-code".as_ref(),
            "--passphrase-file".as_ref(),
            second.as_os_str(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = printed
        .split_whitespace()
        .find(|w| w.len() == 24 && w.matches('-').count() == 4)
        .unwrap_or_else(|| panic!("no code printed:\n{printed}"))
        .to_owned();
    // Written as a person would paste it: lower case, a Windows line ending.
    let code_file = secret_file(
        files.path(),
        "code",
        &format!("{}\r\n", code.to_lowercase()),
    );

    let out = passwd_script(
        dir.path(),
        &[
            "--recover".as_ref(),
            "--recovery-code-file".as_ref(),
            code_file.as_os_str(),
            "--new-passphrase-file".as_ref(),
            third.as_os_str(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert!(said(&out).contains("passphrase was replaced"));
    assert!(opens(dir.path(), "third one"));
    assert!(!opens(dir.path(), "second one"));
}

/// The file's one line is the secret: one line ending is taken off, nothing else (a
/// space is part of a passphrase); more than one line, or nothing, is refused before
/// anything is unlocked, and the secret is never in what mend says.
#[test]
fn a_secret_file_is_its_one_line() {
    let dir = vault_with_alex("first one");
    let files = tempfile::tempdir().unwrap();
    let cases = [
        ("first one\n", Some(0), "recovery code"),
        ("first one", Some(0), "recovery code"),
        ("first one\r\n", Some(0), "recovery code"),
        ("first one \n", Some(1), "passphrase"),
        ("first one\n\n", Some(1), "holds more than one line"),
        (
            "first one\nsecond line\n",
            Some(1),
            "holds more than one line",
        ),
        ("", Some(1), "is empty"),
        ("\n", Some(1), "is empty"),
    ];
    let mut wrong = Vec::new();
    for (i, (contents, code, expected)) in cases.into_iter().enumerate() {
        let file = secret_file(files.path(), &format!("case{i}"), contents);
        let out = passwd_script(
            dir.path(),
            &[
                "--new-recovery-code".as_ref(),
                "--passphrase-file".as_ref(),
                file.as_os_str(),
            ],
        );
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if out.status.code() != code
            || !format!("{stdout}{said}").contains(expected)
            || said.contains("first one")
        {
            wrong.push(format!(
                "{contents:?}: {:?}\n{stdout}{said}",
                out.status.code()
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(opens(dir.path(), "first one"));
}

/// A secret file other accounts could read is refused, as ssh refuses such a key,
/// with the command that makes it private; nothing is changed.
#[test]
fn passwd_refuses_a_secret_file_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = vault_with_alex("first one");
    let files = tempfile::tempdir().unwrap();
    let current = secret_file(files.path(), "current", "first one\n");
    let new = secret_file(files.path(), "new", "second one\n");
    for (open, mode) in [(&current, 0o644), (&new, 0o640), (&current, 0o604)] {
        std::fs::set_permissions(open, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = passwd_script(
            dir.path(),
            &[
                "--passphrase-file".as_ref(),
                current.as_os_str(),
                "--new-passphrase-file".as_ref(),
                new.as_os_str(),
            ],
        );
        let said = said(&out);
        assert_eq!(out.status.code(), Some(2), "{mode:o}: {said}");
        assert!(
            said.contains(&format!("{mode:04o}"))
                && said.contains(&format!("chmod 600 '{}'", open.display())),
            "{mode:o}: {said}"
        );
        assert!(!said.contains("first one") && !said.contains("second one"));
        std::fs::set_permissions(open, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    assert!(opens(dir.path(), "first one"), "something was changed");
}

#[test]
fn passwd_asks_again_for_a_new_passphrase_too_easy_to_guess() {
    let dir = vault_with_alex("first one");
    let mut term = passwd(dir.path(), &[]);
    answer(&mut term, "Current passphrase for Alex:", "first one");
    answer(&mut term, "New passphrase:", "mend2024");
    term.wait_for("too easy to guess");
    // Typed only once the question is asked again: before it, echo may still be on.
    let start = std::time::Instant::now();
    while term.contents().matches("New passphrase:").count() < 2 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "not asked again:\n{}",
            term.contents()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    term.send("a long walk by the river");
    term.send(ENTER);
    answer(
        &mut term,
        "The new passphrase again:",
        "a long walk by the river",
    );
    term.wait_for("passphrase was changed");
    assert!(term.wait_exit());
    let screen = term.contents();
    assert!(
        !screen.contains("mend2024") && !screen.contains("walk by"),
        "a passphrase was echoed:\n{screen}"
    );
    assert!(opens(dir.path(), "a long walk by the river"));
    assert!(!opens(dir.path(), "mend2024"));
}

/// A script cannot be asked again, so a weak new passphrase from a file is refused with
/// the same sentence a person typing it would see, and nothing changes.
#[test]
fn passwd_refuses_a_weak_new_passphrase_from_a_file() {
    let dir = vault_with_alex("first one");
    let files = tempfile::tempdir().unwrap();
    let current = secret_file(files.path(), "current", "first one\n");
    let weak = secret_file(files.path(), "weak", "password1\n");
    let out = passwd_script(
        dir.path(),
        &[
            "--passphrase-file".as_ref(),
            current.as_os_str(),
            "--new-passphrase-file".as_ref(),
            weak.as_os_str(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(said(&out).contains("too easy to guess"), "{}", said(&out));
    assert!(opens(dir.path(), "first one"), "nothing was changed");
}
