//! The README promises that anyone can read their own data with the stock `age` tool:
//! `age -d -i keys/<person>.age entries/<id>.age` asks for the passphrase and prints
//! the entry. This runs exactly that, typing the passphrase at age's own prompt in a
//! pseudo-terminal. `.ci/run` installs `age`; elsewhere the test says it was skipped.

use std::ffi::OsStr;
use std::path::Path;

use mend::content::Visibility;

use crate::children::{self, Start};
use crate::fixtures::*;
use crate::pty;

fn stock_age_present() -> bool {
    let found = std::process::Command::new("age")
        .arg("--version")
        .run()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have the stock age tool (.ci/run installs it)"
        );
        eprintln!("SKIPPED: the stock `age` tool is not installed (apt install age)");
    }
    found
}

/// Runs `age -d -i KEY -o OUT FILE`, typing `passphrase` at its prompt.
fn age_decrypt(key: &Path, file: &Path, out: &Path, passphrase: &str) -> bool {
    let args = [
        OsStr::new("-d"),
        OsStr::new("-i"),
        key.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
        file.as_os_str(),
    ];
    let mut age = pty::Terminal::spawn(OsStr::new("age"), args, &[], (24, 80));
    age.wait_for("passphrase");
    age.send(&format!("{passphrase}\r"));
    age.wait_exit()
}

#[test]
fn the_stock_age_tool_opens_private_and_shared_entries_with_the_key_file() {
    if !stock_age_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Both entries saved, and the vault closed, before age starts: no child starts
    // while this process has a vault open (see children.rs).
    let (key, saved) = {
        let _no_starts = children::hold_starts();
        let (vault, alex) = vault_with_alex(dir.path());
        let saved: Vec<_> = [
            (Visibility::Private, "private words for the stock tool"),
            (Visibility::Shared, "shared words for the stock tool"),
        ]
        .into_iter()
        .map(|(visibility, words)| {
            let entry = entry(&alex.person.id, visibility, words, 1);
            vault.save_entry(&alex, &entry).unwrap();
            let file = dir.path().join("entries").join(format!("{}.age", entry.id));
            (visibility, words, file)
        })
        .collect();
        (key_file(&vault, &alex), saved)
    };
    for (visibility, words, file) in saved {
        let out = dir.path().join("plain.toml");
        let _ = std::fs::remove_file(&out);
        assert!(
            age_decrypt(&key, &file, &out, "alex pass"),
            "age -d failed for the {visibility:?} entry"
        );
        let plain = std::fs::read_to_string(&out).unwrap();
        assert!(plain.contains(words), "{visibility:?}: {plain}");
    }
}
