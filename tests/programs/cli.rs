//! The command line as a person or a script uses it: exit codes and output.

use std::process::Command;

use crate::children::{self, Start};
use crate::fixtures;

fn mend() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mend"));
    cmd.env("MEND_KDF_LOG_N", "10");
    cmd
}

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/content");

#[test]
fn check_passes_a_good_workbook_and_fails_a_bad_one_with_located_problems() {
    let good = mend()
        .args(["check", &format!("{FIXTURES}/good.toml")])
        .run()
        .unwrap();
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
    assert!(String::from_utf8_lossy(&good.stdout).contains("ok ("));

    let bad_file = format!("{FIXTURES}/several-problems.toml");
    let bad = mend().args(["check", &bad_file]).run().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let out = String::from_utf8_lossy(&bad.stdout);
    let located = out
        .lines()
        .filter(|l| {
            l.strip_prefix(&format!("{bad_file}:")).is_some_and(|rest| {
                let mut parts = rest.splitn(3, ':');
                let line = parts.next().and_then(|n| n.parse::<usize>().ok());
                let column = parts.next().and_then(|n| n.parse::<usize>().ok());
                line.is_some() && column.is_some()
            })
        })
        .count();
    assert!(located >= 2, "every problem is file:line:column:\n{out}");
    assert!(out.contains("hint:"), "{out}");
}

#[test]
fn check_checks_the_built_in_workbook_clean() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/content/rebuilding-trust.toml");
    let out = mend().args(["check", file]).run().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn people_lists_nobody_in_a_new_vault_and_data_dir_comes_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = mend()
        .arg("people")
        .env("MEND_DATA_DIR", dir.path())
        .run()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("No one has a profile"));
    assert!(
        dir.path().join("keys").is_dir(),
        "the vault was made where MEND_DATA_DIR says"
    );
}

#[test]
fn a_vault_from_a_newer_mend_is_refused_with_a_plain_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vault.toml"), "format = 99\npeople = []\n").unwrap();
    let out = mend()
        .args(["people", "--data-dir"])
        .arg(dir.path())
        .run()
        .unwrap();
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.starts_with("mend: ") && message.contains("newer"),
        "{message}"
    );
}

#[test]
fn new_workbook_writes_a_starter_that_passes_check_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-workbook.toml");
    let out = mend().arg("new-workbook").arg(&path).run().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = mend().arg("check").arg(&path).run().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    std::fs::write(&path, "mine").unwrap();
    let again = mend().arg("new-workbook").arg(&path).run().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "mine",
        "nothing was overwritten"
    );
}

#[test]
fn check_warns_about_hidden_characters_without_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.toml");
    let source = content_with_title("A title with a \u{202e}hidden reversal");
    std::fs::write(&path, source).unwrap();
    let out = mend().arg("check").arg(&path).run().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("warning:"), "{text}");
}

fn content_with_title(title: &str) -> String {
    let good = std::fs::read_to_string(format!("{FIXTURES}/good.toml")).unwrap();
    let start = good.find("title = ").unwrap();
    let end = start + good[start..].find('\n').unwrap();
    format!("{}title = \"{title}\"{}", &good[..start], &good[end..])
}

/// A vault with Alex and Blair, each with a private and a shared entry.
fn couple_vault(dir: &std::path::Path) {
    use mend::content::Visibility;
    // No child starts while this process has the vault open (see children.rs).
    let _no_starts = children::hold_starts();
    let (vault, alex, blair) = fixtures::vault_with_two(dir);
    for (who, words, visibility) in [
        (&alex, "ALEX-PRIVATE words", Visibility::Private),
        (&alex, "ALEX-SHARED words", Visibility::Shared),
        (&blair, "BLAIR-PRIVATE words", Visibility::Private),
        (&blair, "BLAIR-SHARED words", Visibility::Shared),
    ] {
        vault
            .save_entry(who, &fixtures::entry(&who.person.id, visibility, words, 1))
            .unwrap();
    }
}

fn export(dir: &std::path::Path, pass: &str, extra: &[&str]) -> std::process::Output {
    let pass_file = dir.join("pass.txt");
    std::fs::write(&pass_file, format!("{pass}\n")).unwrap();
    mend()
        .arg("export")
        .arg("--data-dir")
        .arg(dir.join("vault"))
        .arg("--passphrase-file")
        .arg(&pass_file)
        .args(extra)
        .run()
        .unwrap()
}

#[test]
fn export_writes_a_private_file_that_says_it_is_not_encrypted_and_never_overwrites() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    let out = dir.path().join("summary.md");
    let args = [
        "--person",
        "Alex",
        "--format",
        "markdown",
        "--out",
        out.to_str().unwrap(),
    ];
    let run = export(dir.path(), "alex pass", &args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.lines().next().unwrap().contains("not encrypted"),
        "{text}"
    );
    assert!(
        text.contains("ALEX-SHARED") && text.contains("BLAIR-SHARED"),
        "{text}"
    );
    assert!(
        !text.contains("ALEX-PRIVATE"),
        "private answers only when asked for:\n{text}"
    );
    assert!(!text.contains("BLAIR-PRIVATE"), "{text}");
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let again = export(dir.path(), "alex pass", &args);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let mut forced: Vec<&str> = args.to_vec();
    forced.extend(["--force", "--include-private"]);
    let run = export(dir.path(), "alex pass", &forced);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("ALEX-PRIVATE"), "{text}");
    assert!(
        !text.contains("BLAIR-PRIVATE"),
        "a partner's private answer can never be exported"
    );
}

#[test]
fn export_to_a_recipient_opens_with_that_identity_only() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    let counsellor = age::x25519::Identity::generate();
    let key = counsellor.to_public().to_string();
    let out = dir.path().join("summary.html.age");
    let args = [
        "--person",
        "Blair",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
        "--recipient",
        &key,
    ];
    let run = export(dir.path(), "blair pass", &args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let sealed = std::fs::read(&out).unwrap();
    assert!(
        !sealed.windows(12).any(|w| w == b"BLAIR-SHARED"),
        "the file is encrypted"
    );
    let decryptor = age::Decryptor::new(&sealed[..]).unwrap();
    let mut reader = decryptor
        .decrypt(std::iter::once(&counsellor as &dyn age::Identity))
        .unwrap();
    let mut html = String::new();
    reader.read_to_string(&mut html).unwrap();
    assert!(html.contains("BLAIR-SHARED words"), "{html}");
    let stranger = age::x25519::Identity::generate();
    let decryptor = age::Decryptor::new(&sealed[..]).unwrap();
    assert!(
        decryptor
            .decrypt(std::iter::once(&stranger as &dyn age::Identity))
            .is_err()
    );
}

#[test]
fn export_refuses_a_bad_format_or_key_before_asking_anything() {
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    let out = dir.path().join("x");
    let bad = export(
        dir.path(),
        "alex pass",
        &[
            "--person",
            "Alex",
            "--format",
            "pdf",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        said.contains("'pdf'") && said.contains("markdown, html, text"),
        "names the formats there are: {said}"
    );
    let bad = export(
        dir.path(),
        "alex pass",
        &[
            "--person",
            "Alex",
            "--out",
            out.to_str().unwrap(),
            "--recipient",
            "age1nope",
        ],
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not an age public key"));
    assert!(!out.exists());
}

#[test]
fn export_that_meets_a_damaged_entry_names_it_and_writes_only_when_told_to_go_on() {
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    // Damage one of Alex's entries: cut its encrypted contents short.
    let entries = dir.path().join("vault/entries");
    let damaged = fixtures::files_under(&entries)
        .into_iter()
        .find(|p| {
            // No child starts while this process has the vault open (see children.rs).
            let _no_starts = children::hold_starts();
            let vault = fixtures::open(&dir.path().join("vault"));
            let alex = vault.people()[0].id.clone();
            let keys = vault.unlock(&alex, &fixtures::pass("alex pass")).unwrap();
            let loaded = vault.load(&keys);
            loaded
                .entries
                .iter()
                .any(|e| e.author == alex && p.file_stem() == Some(e.id.to_string().as_ref()))
        })
        .expect("an entry of Alex's");
    let bytes = std::fs::read(&damaged).unwrap();
    fixtures::write_private(&damaged, &bytes[..bytes.len() - 40]);
    let name = damaged.file_name().unwrap().to_string_lossy().into_owned();
    let out = dir.path().join("summary.md");
    let args = [
        "--person",
        "Alex",
        "--format",
        "markdown",
        "--out",
        out.to_str().unwrap(),
    ];

    let refused = export(dir.path(), "alex pass", &args);
    let said = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert!(
        !refused.status.success(),
        "exit 0 although an entry was left out"
    );
    assert!(
        said.contains(&name) && said.contains("--keep-going"),
        "{said}"
    );
    assert!(!out.exists(), "nothing is written without --keep-going");

    // It was yours, so it was set aside where it can be recovered; damage it again.
    assert!(said.contains("quarantine"), "{said}");
    fixtures::write_private(&damaged, &bytes[..bytes.len() - 40]);
    let mut going: Vec<&str> = args.to_vec();
    going.push("--keep-going");
    let written = export(dir.path(), "alex pass", &going);
    let said = String::from_utf8_lossy(&written.stderr).into_owned();
    assert!(written.status.success(), "{said}");
    assert!(out.exists());
    assert!(said.contains("left out 1 file"), "{said}");
}

#[test]
fn export_with_an_entry_file_whose_permissions_were_loosened_writes_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    // Every file was readable; they had been opened up to other accounts (a copy or a
    // sync tool). That is repaired and said, never a reason to leave anything out.
    // All of them: Alex's unlock re-seals Alex's shared entry for Blair (whom Alex has
    // not seen join yet), which writes that one file afresh.
    let files = fixtures::files_under(&dir.path().join("vault/entries"));
    for file in &files {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let out = dir.path().join("summary.md");
    let run = export(
        dir.path(),
        "alex pass",
        &[
            "--person",
            "Alex",
            "--format",
            "markdown",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let said = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{:?} {said}", run.status);
    assert!(out.exists());
    assert!(said.contains("set them back to private"), "{said}");
    for file in &files {
        assert_eq!(
            std::fs::metadata(file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

/// Every command's exit code, one case per way it ends: 0 done, 1 refused or problems
/// found, 2 not understood, 3 reading, writing or the vault failed. A script can tell
/// "mend check found problems" from "mend check could not run".
#[test]
fn exit_codes_tell_done_refused_not_understood_and_failed_apart() {
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    let out = dir.path().join("summary.md");
    let out_arg = out.to_str().unwrap();
    let good = format!("{FIXTURES}/good.toml");
    let bad = format!("{FIXTURES}/several-problems.toml");
    let code = |o: std::process::Output| o.status.code();
    let run = |args: &[&str]| code(mend().args(args).run().unwrap());
    let to_full = |args: &[&str]| {
        let full = std::fs::File::create("/dev/full").unwrap();
        let quiet = std::process::Stdio::null();
        let mut child = mend()
            .args(args)
            .stdout(full)
            .stderr(quiet)
            .start()
            .unwrap();
        child.wait().unwrap().code()
    };
    let alex = ["--person", "Alex", "--out", out_arg];
    let cases: Vec<(&str, Option<i32>, Option<i32>)> = vec![
        ("check, clean", run(&["check", &good]), Some(0)),
        ("check, problems found", run(&["check", &bad]), Some(1)),
        (
            "check, report not written",
            to_full(&["check", &good]),
            Some(3),
        ),
        ("an unknown option", run(&["--no-such-option"]), Some(2)),
        ("check with no file", run(&["check"]), Some(2)),
        (
            "export, done",
            code(export(dir.path(), "alex pass", &alex)),
            Some(0),
        ),
        (
            "export, file exists",
            code(export(dir.path(), "alex pass", &alex)),
            Some(1),
        ),
        (
            "export, wrong passphrase",
            code(export(
                dir.path(),
                "nope",
                &[&alex[..], &["--force"]].concat(),
            )),
            Some(1),
        ),
        (
            "export, unknown format",
            code(export(
                dir.path(),
                "alex pass",
                &[&alex[..], &["--format", "pdf"]].concat(),
            )),
            Some(2),
        ),
        (
            "export, no such person",
            code(export(
                dir.path(),
                "alex pass",
                &["--person", "Sam", "--out", out_arg],
            )),
            Some(1),
        ),
        (
            "export, passphrase file unreadable",
            code(
                mend()
                    .arg("export")
                    .arg("--data-dir")
                    .arg(dir.path().join("vault"))
                    .args(["--passphrase-file", "/no/such/file", "--person", "Alex"])
                    .args(["--out", out_arg, "--force"])
                    .run()
                    .unwrap(),
            ),
            Some(3),
        ),
        (
            "new-workbook over a file",
            run(&["new-workbook", &good]),
            Some(1),
        ),
    ];
    let mut wrong = Vec::new();
    for (case, found, expected) in cases {
        if found != expected {
            wrong.push(format!("{case}: {found:?}, expected {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_list_of_people_lost_with_its_copy_is_a_failure_exit_code() {
    // vault.toml gone and its copy damaged, while people's keys are here: the list
    // can only be rebuilt by someone unlocking, so a command cannot go on.
    let damaged = tempfile::tempdir().unwrap();
    couple_vault(damaged.path());
    for name in ["vault.toml", "vault.toml.bak"] {
        std::fs::write(damaged.path().join(name), "format = 1\npeople = 3\n").unwrap();
    }
    std::fs::remove_file(damaged.path().join("vault.toml")).unwrap();
    let people = mend()
        .arg("people")
        .arg("--data-dir")
        .arg(damaged.path())
        .run()
        .unwrap();
    let said = String::from_utf8_lossy(&people.stderr);
    assert_eq!(people.status.code(), Some(3), "{said}");
    assert!(said.contains("unlock with your passphrase"), "{said}");
}

#[test]
fn help_documents_the_exit_codes() {
    let help = mend().arg("--help").run().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("Exit codes: 0 done; 1 refused") && text.contains("3 reading or writing"),
        "{text}"
    );
}

/// `mend export --out` as people type it: a bare file name, `./name` and a path with
/// folders all write the file and exit 0 (the README's first example is a bare name).
#[test]
fn export_writes_to_a_bare_name_a_dot_name_and_a_nested_path() {
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    let pass_file = dir.path().join("pass.txt");
    std::fs::write(&pass_file, "alex pass\n").unwrap();
    std::fs::create_dir_all(dir.path().join("sessions/march")).unwrap();
    for out in [
        "summary.html",
        "./dotted.html",
        "sessions/march/nested.html",
    ] {
        let run = mend()
            .current_dir(dir.path())
            .arg("export")
            .arg("--data-dir")
            .arg(dir.path().join("vault"))
            .arg("--passphrase-file")
            .arg(&pass_file)
            .args(["--person", "Alex", "--format", "html", "--out", out])
            .args(["--for", "Dr Lee"])
            .run()
            .unwrap();
        let said = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "{out}: {said}");
        let written = std::fs::read_to_string(dir.path().join(out)).unwrap();
        assert!(written.contains("ALEX-SHARED"), "{out}");
        assert!(written.contains("<li>Prepared for: Dr Lee</li>"), "{out}");
    }
    let leftovers: Vec<_> = fixtures::files_under(dir.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A folder mend cannot write in: a plain error, exit 3, and nothing written.
#[test]
fn export_to_a_folder_it_cannot_write_in_says_so_and_writes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
    // Root writes through folder permissions; /proc refuses new files to anyone.
    let root = rustix::process::geteuid().is_root();
    let out = if root {
        std::path::PathBuf::from("/proc/mend-summary.md")
    } else {
        locked.join("summary.md")
    };
    let run = export(
        dir.path(),
        "alex pass",
        &["--person", "Alex", "--out", out.to_str().unwrap()],
    );
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{said}");
    assert!(
        said.starts_with("mend: ") && said.contains("summary.md"),
        "{said}"
    );
    assert!(!said.contains("panicked"), "{said}");
    assert!(!out.exists());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(
        std::fs::read_dir(&locked).unwrap().next().is_none(),
        "nothing left behind"
    );
}

/// An unknown `--module` or `--exercise` id is a usage error that lists the ids there
/// are, before any passphrase is asked for, never a summary of check-ins only.
#[test]
fn export_names_the_valid_ids_when_given_an_unknown_one() {
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    let out = dir.path().join("summary.md");
    for (flag, id, expect) in [
        ("--module", "nonexistent", "talking-openly"),
        ("--exercise", "nope", "preparing-for-a-session"),
    ] {
        let run = mend()
            .arg("export")
            .arg("--data-dir")
            .arg(dir.path().join("vault"))
            .args(["--person", "Alex", "--out", out.to_str().unwrap(), flag, id])
            .run()
            .unwrap();
        let said = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{flag}: {said}");
        assert!(said.contains(id) && said.contains(expect), "{flag}: {said}");
        assert!(!out.exists());
    }
    let run = mend()
        .args(["export", "--format", "pdf", "--out", out.to_str().unwrap()])
        .run()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(said.contains("markdown") && said.contains("html"), "{said}");
}
