//! The command line as a person or a script uses it: exit codes and output.

use std::ffi::OsStr;
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
    // Listing reads; it makes no vault (it once did, taking the lock to do so).
    assert!(
        fixtures::files_under(dir.path()).is_empty() && !dir.path().join("keys").exists(),
        "mend people wrote something"
    );
    couple_vault(dir.path());
    let out = mend()
        .arg("people")
        .env("MEND_DATA_DIR", dir.path())
        .run()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && listed.contains("Alex") && listed.contains("Blair"),
        "the vault where MEND_DATA_DIR says: {listed}"
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
    fixtures::write_private(&pass_file, format!("{pass}\n"));
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
    fixtures::write_private(&pass_file, "alex pass\n");
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

/// The commands `mend --help` lists.
const COMMANDS: [&str; 7] = [
    "check",
    "people",
    "export",
    "passwd",
    "try",
    "new-workbook",
    "help",
];

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The real mend with no terminal at all, as in a script or a service: a session of
/// its own (util-linux `setsid`, as `pty.rs` uses) with no controlling terminal.
fn mend_without_terminal() -> Command {
    let mut cmd = Command::new("setsid");
    cmd.arg("--wait")
        .arg(env!("CARGO_BIN_EXE_mend"))
        .env("MEND_KDF_LOG_N", "10");
    cmd
}

/// `--data-dir` and `--content` are shown once, in `mend --help`, never repeated in a
/// command's help; `mend help COMMAND` prints what `mend COMMAND --help` does, and
/// `mend help --help` (once an error) is help too.
#[test]
fn options_every_command_takes_are_shown_once_in_mend_help() {
    let top = mend().arg("--help").run().unwrap();
    let top_text = text(&top.stdout);
    assert!(
        top_text.contains("--data-dir") && top_text.contains("--content"),
        "{top_text}"
    );
    let mut wrong = Vec::new();
    for command in COMMANDS {
        let help = mend().args([command, "--help"]).run().unwrap();
        let shown = text(&help.stdout);
        if help.status.code() != Some(0) || !shown.contains(&format!("Usage: mend {command}")) {
            wrong.push(format!(
                "{command} --help: {:?}\n{shown}{}",
                help.status,
                text(&help.stderr)
            ));
        }
        for option in ["--data-dir", "--content", "--lock-after"] {
            if shown.contains(option) {
                wrong.push(format!("mend {command} --help repeats {option}"));
            }
        }
        let via_help = mend().args(["help", command]).run().unwrap();
        if via_help.status.code() != Some(0) || text(&via_help.stdout) != shown {
            wrong.push(format!(
                "mend help {command} differs from mend {command} --help:\n{}{}",
                text(&via_help.stdout),
                text(&via_help.stderr)
            ));
        }
    }
    let help_help = mend().args(["help", "--help"]).run().unwrap();
    if help_help.status.code() != Some(0) || !text(&help_help.stdout).contains("Usage: mend help") {
        wrong.push(format!(
            "mend help --help: {:?} {}",
            help_help.status,
            text(&help_help.stderr)
        ));
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    let unknown = mend().args(["help", "nosuch"]).run().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("'nosuch'"));
}

/// Shown once, but taken before or after the command's name, as scripts have them.
#[test]
fn options_every_command_takes_work_before_or_after_the_command() {
    let dir = tempfile::tempdir().unwrap();
    couple_vault(dir.path());
    let path = dir.path().to_str().unwrap();
    for args in [
        ["--data-dir", path, "people"],
        ["people", "--data-dir", path],
    ] {
        let out = mend().args(args).run().unwrap();
        let listed = text(&out.stdout);
        assert!(
            out.status.success() && listed.contains("Alex") && listed.contains("Blair"),
            "{args:?}: {listed}{}",
            text(&out.stderr)
        );
    }
}

/// `mend people` reads the list of names without the vault's lock, so it works while
/// mend is open in another window; every command that writes is still refused then.
#[test]
fn people_lists_names_while_mend_has_the_vault_open_and_writers_are_still_refused() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    couple_vault(&vault);
    let pass_file = dir.path().join("pass.txt");
    fixtures::write_private(&pass_file, "alex pass\n");
    let before: Vec<_> = fixtures::names_in(&vault);

    let mut open = crate::support::start(&vault);
    open.wait_for("Who is here?");
    let people = mend()
        .arg("people")
        .arg("--data-dir")
        .arg(&vault)
        .run()
        .unwrap();
    let listed = text(&people.stdout);
    assert_eq!(
        people.status.code(),
        Some(0),
        "{listed}{}",
        text(&people.stderr)
    );
    assert!(
        listed.contains("Alex") && listed.contains("Blair"),
        "{listed}"
    );
    let out = dir.path().join("summary.md");
    let writers: [(&str, Vec<&OsStr>); 2] = [
        (
            "export",
            vec![
                "export".as_ref(),
                "--person".as_ref(),
                "Alex".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
                "--passphrase-file".as_ref(),
                pass_file.as_os_str(),
            ],
        ),
        (
            "passwd",
            vec![
                "passwd".as_ref(),
                "--person".as_ref(),
                "Alex".as_ref(),
                "--new-recovery-code".as_ref(),
                "--passphrase-file".as_ref(),
                pass_file.as_os_str(),
            ],
        ),
    ];
    for (writer, args) in writers {
        let run = mend_without_terminal()
            .arg("--data-dir")
            .arg(&vault)
            .args(args)
            .run()
            .unwrap();
        let said = text(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{writer}: {said}");
        assert!(said.contains("already open"), "{writer}: {said}");
    }
    assert!(!out.exists());
    open.send(crate::support::CTRL_C);
    assert!(open.wait_exit());
    assert_eq!(
        fixtures::names_in(&vault),
        before,
        "listing added or removed a file"
    );
}

/// With `vault.toml` gone but its copy there, `mend people` lists from the copy and
/// says the next open puts the file back; it puts nothing back itself.
#[test]
fn people_reads_the_copy_of_a_missing_list_and_leaves_the_repair_to_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    couple_vault(dir.path());
    std::fs::remove_file(dir.path().join("vault.toml")).unwrap();
    let out = mend()
        .arg("people")
        .arg("--data-dir")
        .arg(dir.path())
        .run()
        .unwrap();
    let (listed, said) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        listed.contains("Alex") && listed.contains("Blair"),
        "{listed}"
    );
    assert!(
        said.contains("vault.toml.bak") && said.contains("the next time it opens"),
        "{said}"
    );
    assert!(
        !dir.path().join("vault.toml").exists(),
        "mend people wrote vault.toml"
    );
}

/// Every secret a script gives comes from a file: without a terminal, `mend export`
/// says exactly which option to pass.
#[test]
fn export_without_a_terminal_says_to_pass_a_passphrase_file() {
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    let out = dir.path().join("summary.md");
    let run = mend_without_terminal()
        .arg("export")
        .arg("--data-dir")
        .arg(dir.path().join("vault"))
        .args(["--person", "Alex", "--out"])
        .arg(&out)
        .run()
        .unwrap();
    let said = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(said.contains("give --passphrase-file PATH"), "{said}");
    assert!(!out.exists());
}

/// A passphrase file other accounts can read (the group, or everyone) is refused, as
/// ssh refuses such a key, saying how to make it private; nothing is written.
#[test]
fn export_refuses_a_passphrase_file_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    couple_vault(&dir.path().join("vault"));
    let out = dir.path().join("summary.md");
    let pass_file = dir.path().join("pass.txt");
    for mode in [0o644, 0o640, 0o604, 0o660] {
        fixtures::write_private(&pass_file, "alex pass\n");
        std::fs::set_permissions(&pass_file, std::fs::Permissions::from_mode(mode)).unwrap();
        let run = mend()
            .arg("export")
            .arg("--data-dir")
            .arg(dir.path().join("vault"))
            .arg("--passphrase-file")
            .arg(&pass_file)
            .args(["--person", "Alex", "--out", out.to_str().unwrap()])
            .run()
            .unwrap();
        let said = text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{mode:o}: {said}");
        assert!(
            said.contains(&format!("{mode:04o}")) && said.contains("chmod 600"),
            "{mode:o}: {said}"
        );
        assert!(!said.contains("alex pass"), "the secret was shown: {said}");
        assert!(!out.exists(), "{mode:o}");
    }
    // Doing what the message says is enough.
    std::fs::set_permissions(&pass_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = export(
        dir.path(),
        "alex pass",
        &["--person", "Alex", "--out", out.to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
}

/// Completion scripts for bash, zsh and fish, from the same definitions as `--help`:
/// each names every command; the bash one, loaded into bash, completes them.
#[test]
fn completions_for_bash_zsh_and_fish_name_every_command() {
    let mut wrong = Vec::new();
    for (shell, form) in [("bash", "mend,{}"), ("zsh", "'{}:"), ("fish", "-a \"{}\"")] {
        let run = mend().args(["completions", shell]).run().unwrap();
        let script = text(&run.stdout);
        if run.status.code() != Some(0) {
            wrong.push(format!("{shell}: {:?} {}", run.status, text(&run.stderr)));
        }
        for command in COMMANDS {
            if !script.contains(&form.replace("{}", command)) {
                wrong.push(format!("{shell} completions lack '{command}'"));
            }
        }
        if !script.contains("new-passphrase-file") {
            wrong.push(format!("{shell} completions lack passwd's options"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("mend.bash");
    let bash = mend().args(["completions", "bash"]).run().unwrap();
    std::fs::write(&script, &bash.stdout).unwrap();
    for (line, expected) in [
        ("mend ex", "export"),
        ("mend new-", "new-workbook"),
        ("mend passwd --new-p", "--new-passphrase-file"),
    ] {
        let words: Vec<&str> = line.split(' ').collect();
        let complete = format!(
            "source '{}'; COMP_WORDS=({line}); COMP_CWORD={}; _mend mend '{}' '{}'; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let run = Command::new("bash")
            .args(["--norc", "-c", &complete])
            .run()
            .unwrap();
        let offered = text(&run.stdout);
        assert_eq!(
            offered.lines().collect::<Vec<_>>(),
            [expected],
            "{line}: {}",
            text(&run.stderr)
        );
    }
}

/// `mend man` prints one roff page: every command with its options, and the options
/// every command takes once, at the top.
#[test]
fn the_man_page_is_roff_with_every_command() {
    let run = mend().arg("man").run().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let page = text(&run.stdout);
    assert!(page.contains(".TH mend 1"), "{page}");
    let (top, commands) = page.split_once(".SH COMMANDS").expect("a COMMANDS section");
    let missing: Vec<&str> = COMMANDS
        .into_iter()
        .filter(|command| !commands.contains(&format!(".SS \"mend {command}\"")))
        .collect();
    assert!(missing.is_empty(), "no section for {missing:?}:\n{page}");
    assert!(commands.contains(r"\-\-new\-passphrase\-file"), "{page}");
    assert!(
        top.contains(r"\-\-data\-dir") && top.contains("MEND_DATA_DIR"),
        "{page}"
    );
    assert!(
        !commands.contains(r"\-\-data\-dir"),
        "--data-dir is repeated under the commands:\n{page}"
    );
}
