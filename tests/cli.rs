//! The command line as a person or a script uses it: exit codes and output.

use std::process::Command;

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
        .output()
        .unwrap();
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
    assert!(String::from_utf8_lossy(&good.stdout).contains("ok ("));

    let bad_file = format!("{FIXTURES}/several-problems.toml");
    let bad = mend().args(["check", &bad_file]).output().unwrap();
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
    let out = mend().args(["check", file]).output().unwrap();
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
        .output()
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
        .output()
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
    let out = mend().arg("new-workbook").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = mend().arg("check").arg(&path).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    std::fs::write(&path, "mine").unwrap();
    let again = mend().arg("new-workbook").arg(&path).output().unwrap();
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
    let out = mend().arg("check").arg(&path).output().unwrap();
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
