//! Profiles and the vault as a whole, in temp dirs: creating and unlocking, every way a
//! key file can fail, vault.toml, the lock, the temp-file sweep, and what never reaches
//! the disk in plaintext. Key files use a cheap scrypt cost, except one test at the
//! real cost.

use std::fs;

use mend::content::Visibility;
use mend::entry::Draft;
use mend::entry::PersonId;
use mend::vault::{KdfCost, Paths, Vault, VaultError};

use crate::fixtures::*;

#[test]
fn create_then_unlock_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let (vault, alex) = vault_with_alex(dir.path());
        assert_eq!(vault.people(), std::slice::from_ref(&alex.person));
        alex.person.id
    };
    let vault = open(dir.path());
    assert_eq!(vault.people().len(), 1);
    assert_eq!(vault.people()[0].name, "Alex");
    let alex = vault.unlock(&id, &pass("alex pass")).unwrap();
    assert_eq!(alex.person.name, "Alex");
    let shown = format!("{alex:?}");
    assert!(
        !shown.contains("AGE-SECRET-KEY") && !shown.contains("age1"),
        "{shown}"
    );
}

#[test]
fn release_cost_create_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = Vault::open(&Paths::at(dir.path()), KdfCost::release()).unwrap();
    let sam = vault.create_person("Sam", &pass("correct horse")).unwrap();
    let again = vault
        .unlock(&sam.person.id, &pass("correct horse"))
        .unwrap();
    assert_eq!(again.person, sam.person);
    // The scrypt stanza line in the key file's header carries its work factor.
    let bytes = fs::read(key_file(&vault, &sam)).unwrap();
    let header = String::from_utf8_lossy(&bytes[..120]);
    assert!(header.contains(" 18\n"), "work factor not 18: {header}");
}

#[test]
fn wrong_passphrase_is_told_apart_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let err = vault
        .unlock(&alex.person.id, &pass("ALEX PASS"))
        .unwrap_err();
    assert!(matches!(err, VaultError::WrongPassphrase { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("Alex's profile") && message.contains("Caps Lock"),
        "{message}"
    );
    assert!(!message.contains("ALEX PASS") && !format!("{err:?}").contains("ALEX PASS"));
}

/// Removes the backup and checksums a vault keeps beside `key`, leaving a key file as
/// a vault from before them had it.
fn without_backup(key: &std::path::Path) {
    for suffix in [".bak", ".sums"] {
        let mut other = key.as_os_str().to_owned();
        other.push(suffix);
        fs::remove_file(other).unwrap();
    }
}

fn backup_of(key: &std::path::Path) -> std::path::PathBuf {
    let mut bak = key.as_os_str().to_owned();
    bak.push(".bak");
    bak.into()
}

type Damage = fn(&mut Vec<u8>);
const DAMAGE: [(&str, Damage); 5] = [
    ("header MAC changed", |b| {
        let at = b.windows(4).position(|w| w == b"--- ").unwrap() + 4;
        b[at] = if b[at] == b'A' { b'B' } else { b'A' };
    }),
    ("salt changed", |b| {
        let at = b.windows(10).position(|w| w == b"-> scrypt ").unwrap() + 10;
        b[at] = if b[at] == b'A' { b'B' } else { b'A' };
    }),
    ("last byte flipped", |b| *b.last_mut().unwrap() ^= 0x01),
    ("last byte cut", |b| {
        b.pop();
    }),
    ("cut in half", |b| b.truncate(b.len() / 2)),
];

#[test]
fn a_damaged_key_file_is_put_back_from_its_backup() {
    for (case, damage) in DAMAGE {
        let dir = tempfile::tempdir().unwrap();
        let (vault, alex) = vault_with_alex(dir.path());
        let path = key_file(&vault, &alex);
        let good = fs::read(&path).unwrap();
        let mut bytes = good.clone();
        damage(&mut bytes);
        fs::write(&path, &bytes).unwrap();
        let unlocked = vault
            .unlock(&alex.person.id, &pass("alex pass"))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert!(
            unlocked.restored().is_some_and(|m| m.contains("damaged")),
            "{case}: the person is told"
        );
        assert_eq!(fs::read(&path).unwrap(), good, "{case}: put back");
        let kept = names_in(&dir.path().join("quarantine"));
        assert_eq!(kept.len(), 1, "{case}: the damaged file is kept aside");
        // The next unlock is an ordinary one.
        let again = vault.unlock(&alex.person.id, &pass("alex pass")).unwrap();
        assert!(again.restored().is_none());
    }
}

#[test]
fn a_damaged_key_file_is_never_called_a_wrong_passphrase() {
    for (case, damage) in DAMAGE {
        let dir = tempfile::tempdir().unwrap();
        let (vault, alex) = vault_with_alex(dir.path());
        let path = key_file(&vault, &alex);
        fs::remove_file(backup_of(&path)).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        damage(&mut bytes);
        fs::write(&path, &bytes).unwrap();
        // Even with the wrong passphrase: the checksum says the file changed.
        for typed in ["alex pass", "not it"] {
            let err = vault.unlock(&alex.person.id, &pass(typed)).unwrap_err();
            assert!(
                matches!(err, VaultError::DamagedKeyFile { .. }),
                "{case}, {typed}: {err:?}"
            );
            assert!(
                err.to_string().contains(&*path.to_string_lossy()),
                "{case}: {err}"
            );
            assert!(
                !err.to_string().contains(".bak"),
                "{case}: no backup: {err}"
            );
        }
    }
}

#[test]
fn a_damaged_key_file_whose_backup_does_not_open_says_what_to_try() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let path = key_file(&vault, &alex);
    let mut bytes = fs::read(&path).unwrap();
    *bytes.last_mut().unwrap() ^= 0x01;
    fs::write(&path, &bytes).unwrap();
    let err = vault
        .unlock(&alex.person.id, &pass("an older passphrase"))
        .unwrap_err();
    assert!(matches!(err, VaultError::DamagedKeyFile { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(".age.bak"), "{message}");
    assert!(message.contains("recovery code"), "{message}");
}

#[test]
fn without_checksums_a_damaged_key_file_is_still_told_apart_where_age_can() {
    // A vault from before checksums: age's own checks are all there is.
    for (case, damage) in DAMAGE {
        if case == "salt changed" {
            continue; // indistinguishable from a wrong passphrase without a checksum
        }
        let dir = tempfile::tempdir().unwrap();
        let (vault, alex) = vault_with_alex(dir.path());
        let path = key_file(&vault, &alex);
        without_backup(&path);
        let mut bytes = fs::read(&path).unwrap();
        damage(&mut bytes);
        fs::write(&path, &bytes).unwrap();
        let err = vault
            .unlock(&alex.person.id, &pass("alex pass"))
            .unwrap_err();
        assert!(
            matches!(err, VaultError::DamagedKeyFile { .. }),
            "{case}: {err:?}"
        );
    }
}

#[test]
fn empty_and_missing_key_files_are_distinct() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let path = key_file(&vault, &alex);
    let good = fs::read(&path).unwrap();
    // With the backup: both are put back.
    fs::write(&path, b"").unwrap();
    let unlocked = vault.unlock(&alex.person.id, &pass("alex pass")).unwrap();
    assert!(unlocked.restored().is_some());
    fs::remove_file(&path).unwrap();
    let unlocked = vault.unlock(&alex.person.id, &pass("alex pass")).unwrap();
    assert!(unlocked.restored().is_some_and(|m| m.contains("missing")));
    assert_eq!(fs::read(&path).unwrap(), good);
    // Without it: each is named for what it is.
    fs::remove_file(backup_of(&path)).unwrap();
    fs::write(&path, b"").unwrap();
    let err = vault
        .unlock(&alex.person.id, &pass("alex pass"))
        .unwrap_err();
    assert!(matches!(err, VaultError::EmptyKeyFile { .. }), "{err:?}");
    assert!(err.to_string().contains("empty"), "{err}");
    fs::remove_file(&path).unwrap();
    let err = vault
        .unlock(&alex.person.id, &pass("alex pass"))
        .unwrap_err();
    assert!(matches!(err, VaultError::KeyFileMissing { .. }), "{err:?}");
}

#[test]
fn a_key_file_asking_for_excessive_work_is_not_tried() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let path = key_file(&vault, &alex);
    // Without checksums, or the changed file would simply be reported as damaged.
    without_backup(&path);
    let bytes = fs::read(&path).unwrap();
    // The stanza line is "-> scrypt <salt> 10"; raise 10 to 30 (the header MAC is
    // checked only after the work factor, so this reaches the work-factor check).
    let at = bytes.windows(4).position(|w| w == b" 10\n").unwrap();
    let mut changed = bytes[..at].to_vec();
    changed.extend_from_slice(b" 30\n");
    changed.extend_from_slice(&bytes[at + 4..]);
    fs::write(&path, changed).unwrap();
    let err = vault
        .unlock(&alex.person.id, &pass("alex pass"))
        .unwrap_err();
    assert!(
        matches!(err, VaultError::ExcessiveWork { required: 30, .. }),
        "{err:?}"
    );
}

/// A newer list is refused whether or not its shape is one this mend knows.
#[test]
fn a_newer_vault_toml_is_refused_untouched() {
    for text in [
        "format = 2\n[[people]]\nid = \"abc\"\nname = \"Future\"\nfancy = true\n",
        "format = 2\n",
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("vault.toml"), text).unwrap();
        let err = Vault::open(&Paths::at(dir.path()), COST).unwrap_err();
        assert!(
            matches!(err, VaultError::NewerFormat { found: 2, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("vault.toml")).unwrap(),
            text
        );
    }
}

#[test]
fn an_unparsable_vault_toml_is_damaged_config() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("vault.toml"), "format = 1\n[[people]\n").unwrap();
    let err = Vault::open(&Paths::at(dir.path()), COST).unwrap_err();
    assert!(matches!(err, VaultError::DamagedConfig { .. }), "{err:?}");
    assert!(err.to_string().contains("vault.toml"), "{err}");
}

#[test]
fn a_second_open_is_refused_while_the_first_lives() {
    let dir = tempfile::tempdir().unwrap();
    let first = open(dir.path());
    let err = Vault::open(&Paths::at(dir.path()), COST).unwrap_err();
    assert!(matches!(err, VaultError::AlreadyOpen { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("another mend is already open"),
        "{message}"
    );
    assert!(message.contains("app.lock"), "{message}");
    drop(first);
    open(dir.path());
}

#[test]
fn leftover_temp_files_are_swept_on_open_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let draft = Draft {
        at_step: 0,
        at_step_id: None,
        entry: entry(&alex.person.id, Visibility::Private, "x", 1),
    };
    vault.save_draft(&alex, &draft).unwrap();
    let person_drafts = format!("drafts/{}", alex.person.id);
    drop(vault);
    let folders = [".", "keys", "entries", "drafts", person_drafts.as_str()];
    for folder in folders {
        fs::write(dir.path().join(folder).join(".tmp-leftover"), b"half").unwrap();
    }
    let before = files_under(dir.path()).len();
    let vault = open(dir.path());
    // Opening sweeps every folder but entries/, which the first load sweeps as it
    // lists it (so starting up never lists ten years of entries).
    for folder in folders {
        let swept = !dir.path().join(folder).join(".tmp-leftover").exists();
        assert_eq!(swept, folder != "entries", "{folder}");
    }
    let alex = vault.unlock(&alex.person.id, &pass("alex pass")).unwrap();
    let loaded = vault.load(&alex);
    assert_eq!(loaded.drafts, vec![draft]);
    assert!(!dir.path().join("entries/.tmp-leftover").exists());
    assert_eq!(files_under(dir.path()).len(), before - folders.len());
}

#[test]
fn no_answer_or_passphrase_is_ever_on_disk_in_plaintext() {
    let canary = "CANARY-7f3a9c-the-thing-I-never-said";
    let passphrase = "PASSPHRASE-CANARY-41d2";
    let dir = tempfile::tempdir().unwrap();
    let mut vault = open(dir.path());
    let alex = vault.create_person("Alex", &pass(passphrase)).unwrap();
    let id = &alex.person.id;
    vault
        .save_entry(&alex, &entry(id, Visibility::Private, canary, 1))
        .unwrap();
    vault
        .save_entry(&alex, &entry(id, Visibility::Shared, canary, 2))
        .unwrap();
    let draft = Draft {
        at_step: 0,
        at_step_id: None,
        entry: entry(id, Visibility::Private, canary, 3),
    };
    vault.save_draft(&alex, &draft).unwrap();
    let files = files_under(dir.path());
    assert!(files.len() >= 5, "{files:?}");
    for file in files {
        let bytes = fs::read(&file).unwrap();
        for needle in [canary, passphrase, "AGE-SECRET-KEY"] {
            let found = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
            assert!(!found, "{needle} found in {}", file.display());
        }
    }
}

#[test]
fn a_swapped_shared_recipient_in_vault_toml_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let (_vault, alex) = vault_with_alex(dir.path());
        alex.person.id
    };
    let theirs = age::x25519::Identity::generate().to_public().to_string();
    let ours = shared_recipient_in_config(dir.path(), 0);
    tamper_with_config(dir.path(), |text| text.replace(&ours, &theirs));
    let vault = open(dir.path());
    let err = vault.unlock(&id, &pass("alex pass")).unwrap_err();
    assert!(
        matches!(err, VaultError::RecipientMismatch { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("vault.toml"), "{err}");
}

#[test]
fn bad_names_unknown_people_and_foreign_entries_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, alex) = vault_with_alex(dir.path());
    let err = vault.create_person(" \n\t", &pass("p")).unwrap_err();
    assert!(matches!(err, VaultError::NoName), "{err:?}");
    let err = vault.create_person("Kim", &pass("")).unwrap_err();
    assert!(matches!(err, VaultError::NoPassphrase), "{err:?}");
    let err = vault
        .unlock(&PersonId("nobody".into()), &pass("p"))
        .unwrap_err();
    assert!(matches!(err, VaultError::UnknownPerson { .. }), "{err:?}");
    let someone_else = entry(&PersonId("other".into()), Visibility::Private, "x", 1);
    let err = vault.save_entry(&alex, &someone_else).unwrap_err();
    assert!(matches!(err, VaultError::WrongAuthor { .. }), "{err:?}");
    assert_eq!(vault.people().len(), 1);
}

#[cfg(unix)]
#[test]
fn loosened_permissions_are_reported_and_tightened_on_open() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (vault, _alex) = vault_with_alex(dir.path());
    drop(vault);
    let config = dir.path().join("vault.toml");
    let keys = dir.path().join("keys");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o755)).unwrap();
    let vault = open(dir.path());
    assert_eq!(vault.loosened(), [keys.clone(), config.clone()]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!((mode(&config), mode(&keys)), (0o600, 0o700));
    drop(vault);
    assert!(
        open(dir.path()).loosened().is_empty(),
        "nothing to report the next time"
    );
}

#[cfg(unix)]
#[test]
fn a_loosened_entry_file_is_reported_at_unlock_and_tightened() {
    // Starting up never walks every entry file (a vault grows for years); the load,
    // which reads each one's metadata anyway, checks them.
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let e = entry(&alex.person.id, Visibility::Private, "mine", 1);
    vault.save_entry(&alex, &e).unwrap();
    let file = dir.path().join(format!("entries/{}.age", e.id));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let loaded = vault.load(&alex);
    assert_eq!(loaded.entries.len(), 1);
    // A repair is a notice, not a problem: nothing was lost, so an export goes ahead.
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.notices.len(), 1, "{:?}", loaded.notices);
    assert!(loaded.notices[0].message.contains("other accounts"));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(vault.load(&alex).notices.is_empty(), "said once");
}

#[test]
fn a_crashed_exports_plaintext_temp_file_is_removed_at_the_next_open() {
    // An export is the one plaintext mend writes, in a folder of the person's choosing
    // that no sweep looks at; a crash mid-write leaves its temp file there. The data
    // dir records it for the length of the write, and the next open removes it.
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (vault, _alex) = vault_with_alex(dir.path());
    drop(vault);
    let leftover = out
        .path()
        .join(format!(".tmp-{}", "0123456789abcdef0123456789abcdef"));
    fs::write(&leftover, b"Dear counsellor, the words I wrote").unwrap();
    let bystander = out.path().join("notes.txt");
    fs::write(&bystander, b"not mend's").unwrap();
    write_private(
        dir.path().join("export.pending"),
        leftover.as_os_str().as_encoded_bytes(),
    );
    drop(open(dir.path()));
    assert!(!leftover.exists(), "the plaintext temp file is gone");
    assert!(!dir.path().join("export.pending").exists());

    // The record names only temp files: pointed at anything else, it removes nothing.
    write_private(
        dir.path().join("export.pending"),
        bystander.as_os_str().as_encoded_bytes(),
    );
    drop(open(dir.path()));
    assert!(bystander.exists());
}

#[test]
fn an_export_leaves_neither_temp_file_nor_record() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (vault, _alex) = vault_with_alex(dir.path());
    let path = out.path().join("summary.md");
    mend::vault::write_export(vault.data_dir(), &path, "words", &[], false).unwrap();
    assert_eq!(names_in(out.path()), vec!["summary.md"]);
    assert!(!dir.path().join("export.pending").exists());
}

/// Swaps two files' contents in place.
fn swap_files(a: &std::path::Path, b: &std::path::Path) {
    let (x, y) = (fs::read(a).unwrap(), fs::read(b).unwrap());
    fs::write(a, y).unwrap();
    fs::write(b, x).unwrap();
}

#[test]
fn key_files_swapped_between_people_are_named_as_such_and_left_alone() {
    // With and without their checksums files: either way the person is told the file
    // under their name is their partner's and where theirs is, never "wrong
    // passphrase" or "damaged", and neither file is moved.
    for with_sums in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let (alex_key, blair_key, alex_id, blair_id) = {
            let (vault, alex, blair) = vault_with_two(dir.path());
            (
                key_file(&vault, &alex),
                key_file(&vault, &blair),
                alex.person.id,
                blair.person.id,
            )
        };
        swap_files(&alex_key, &blair_key);
        let sums = |p: &std::path::Path| {
            let mut s = p.as_os_str().to_owned();
            s.push(".sums");
            std::path::PathBuf::from(s)
        };
        if with_sums {
            swap_files(&sums(&alex_key), &sums(&blair_key));
        }
        let before = files_under(dir.path());
        let vault = open(dir.path());
        for (id, passphrase, other, theirs) in [
            (&alex_id, "alex pass", "Blair", &blair_key),
            (&blair_id, "blair pass", "Alex", &alex_key),
        ] {
            let err = vault.unlock(id, &pass(passphrase)).unwrap_err();
            let VaultError::KeyFileSwapped { holder, yours, .. } = &err else {
                panic!("with_sums {with_sums}: {err:?}");
            };
            assert_eq!(holder, other);
            assert_eq!(yours.as_ref(), Some(theirs));
            let message = err.to_string();
            assert!(message.contains(&format!("is {other}'s")), "{message}");
        }
        drop(vault);
        assert_eq!(files_under(dir.path()), before, "nothing moved");
        // Put back, both open as before.
        swap_files(&alex_key, &blair_key);
        if with_sums {
            swap_files(&sums(&alex_key), &sums(&blair_key));
        }
        let vault = open(dir.path());
        vault.unlock(&alex_id, &pass("alex pass")).unwrap();
        vault.unlock(&blair_id, &pass("blair pass")).unwrap();
    }
}
