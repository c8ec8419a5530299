//! Permissions under a permissive umask. The umask is process-wide, so this lives in
//! its own test binary with a single test: nothing else runs while it is set to 000.

// Unix only: the umask is Unix. Windows builds compile and lint the rest (see .ci/run).
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use mend::content::Visibility;
use mend::entry::Draft;
use mend::vault::{Paths, Vault};
use rustix::fs::Mode;

// This binary uses only some of the shared fixtures.
#[allow(dead_code)]
#[path = "support/fixtures.rs"]
mod fixtures;
use fixtures::{COST, entry, pass};

/// Every path under `dir` (and `dir` itself) with its permission bits.
fn modes(dir: &Path, out: &mut Vec<(String, bool, u32)>) {
    let meta = fs::metadata(dir).unwrap();
    out.push((
        dir.display().to_string(),
        true,
        meta.permissions().mode() & 0o777,
    ));
    for item in fs::read_dir(dir).unwrap() {
        let path = item.unwrap().path();
        if path.is_dir() {
            modes(&path, out);
        } else {
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            out.push((path.display().to_string(), false, mode));
        }
    }
}

#[test]
fn every_file_is_0600_and_every_folder_0700_under_umask_000() {
    rustix::process::umask(Mode::empty());
    let root = tempfile::tempdir().unwrap();
    // A data dir whose parents do not exist yet, as on a first run.
    let data = root.path().join("share").join("mend");
    let mut vault = Vault::open(&Paths::at(&data), COST).unwrap();
    let alex = vault.create_person("Alex", &pass("pass")).unwrap();
    let id = alex.person.id.clone();
    vault
        .save_entry(&alex, &entry(&id, Visibility::Private, "a", 1))
        .unwrap();
    vault
        .save_entry(&alex, &entry(&id, Visibility::Shared, "b", 2))
        .unwrap();
    let draft = Draft {
        at_step: 0,
        at_step_id: None,
        entry: entry(&id, Visibility::Private, "c", 3),
    };
    vault.save_draft(&alex, &draft).unwrap();
    // The key files' companions: a recovery file, and a passphrase change (backup and
    // checksums rewritten).
    vault.create_recovery_code(&alex).unwrap();
    vault
        .change_passphrase(&alex, &pass("pass"), &pass("new pass"))
        .unwrap();
    // A damaged file, so quarantine/ is created too.
    fs::write(data.join("entries/broken.age"), b"").unwrap();
    // Written by this test (not mend) under umask 000, then made private as mend would,
    // so the load reports only the damage.
    fs::set_permissions(
        data.join("entries/broken.age"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    assert_eq!(vault.load(&alex).problems.len(), 1);
    assert!(data.join("quarantine/broken.age").exists());

    let mut found = Vec::new();
    modes(&data, &mut found);
    assert!(found.len() >= 11, "{found:?}");
    let (mut files, mut folders) = (0, 0);
    for (path, is_dir, mode) in found {
        // The damaged file was written by this test, not by mend, under umask 000.
        if path.ends_with("broken.age") {
            continue;
        }
        let expected = if is_dir { 0o700 } else { 0o600 };
        assert_eq!(mode, expected, "{path}: {mode:o}");
        if is_dir {
            folders += 1;
        } else {
            files += 1;
        }
    }
    println!(
        "permissions under umask 000: {files} of {files} files mend wrote are 0600, \
         {folders} of {folders} folders 0700"
    );
    let parent = root.path().join("share");
    let mode = fs::metadata(&parent).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "created parent {}: {mode:o}", parent.display());
}
