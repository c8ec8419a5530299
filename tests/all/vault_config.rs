//! `vault.toml` survives damage and deletion: it is put back from its copy and the
//! person is told; a flipped bit in a name is caught by its checksum, never shown; a
//! name edited with care is caught by each person's own record at their unlock; and a
//! vault that lost both the file and its copy is rebuilt from that record, never shown
//! as a first run over people's keys and entries.

use std::fs;

use mend::vault::{Paths, Vault, VaultError};

use crate::fixtures::*;

fn reopen(dir: &std::path::Path) -> Result<Vault, VaultError> {
    Vault::open(&Paths::at(dir), COST)
}

/// Alex and Blair in a vault, closed again; returns vault.toml's text.
fn two_people(dir: &std::path::Path) -> String {
    let (vault, _alex, _blair) = vault_with_two(dir);
    drop(vault);
    fs::read_to_string(dir.join("vault.toml")).unwrap()
}

fn names(vault: &Vault) -> Vec<String> {
    vault.people().iter().map(|p| p.name.clone()).collect()
}

/// Damage done to vault.toml, given its path and its text.
type Damage = Box<dyn Fn(&std::path::Path, &str)>;

#[test]
fn a_deleted_truncated_or_bit_flipped_vault_toml_is_put_back_and_said() {
    let cases: Vec<(&str, Damage)> = vec![
        ("deleted", Box::new(|p, _| fs::remove_file(p).unwrap())),
        (
            "truncated",
            Box::new(|p, text| fs::write(p, &text[..text.len() / 2]).unwrap()),
        ),
        (
            "a bit flipped in a name",
            Box::new(|p, text| {
                let at = text.find("Alex").unwrap();
                let mut bytes = text.as_bytes().to_vec();
                bytes[at] ^= 0x01; // "Alex" -> "@lex"
                fs::write(p, bytes).unwrap();
            }),
        ),
    ];
    let total = cases.len();
    for (case, damage) in cases {
        let dir = tempfile::tempdir().unwrap();
        let text = two_people(dir.path());
        damage(&dir.path().join("vault.toml"), &text);
        let vault = reopen(dir.path()).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(names(&vault), ["Alex", "Blair"], "{case}");
        let notice = vault
            .config_notice()
            .unwrap_or_else(|| panic!("{case}: not said"));
        assert!(notice.contains("vault.toml.bak"), "{case}: {notice}");
        assert_eq!(
            fs::read_to_string(dir.path().join("vault.toml")).unwrap(),
            text,
            "{case}: put back as it was"
        );
        drop(vault);
        assert!(
            reopen(dir.path()).unwrap().config_notice().is_none(),
            "{case}: said once"
        );
    }
    println!("vault.toml deleted, truncated, a bit flipped: {total} of {total} put back and said");
}

#[test]
fn a_list_lost_with_its_copy_is_rebuilt_from_the_first_unlock_never_started_afresh() {
    // Deleted, and damaged (set aside, not deleted): either way the vault opens with
    // its key files counted as missing people, not as a first run, and whoever unlocks
    // first puts everyone they recorded back, names and keys as they were.
    for damaged in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let text = two_people(dir.path());
        let file = dir.path().join("vault.toml");
        if damaged {
            fs::write(&file, &text[..text.len() / 3]).unwrap();
            fs::write(dir.path().join("vault.toml.bak"), "format = ").unwrap();
        } else {
            fs::remove_file(&file).unwrap();
            fs::remove_file(dir.path().join("vault.toml.bak")).unwrap();
        }
        let mut vault = reopen(dir.path()).unwrap();
        assert!(vault.people().is_empty());
        assert_eq!(vault.missing(), 2, "damaged {damaged}");
        assert!(
            vault.config_notice().is_none(),
            "the unlock screen explains it; the rebuild reports it"
        );
        assert_eq!(
            dir.path().join("quarantine/vault.toml").exists(),
            damaged,
            "a damaged list is set aside, never deleted"
        );
        let err = vault.unlock_missing(&pass("not it")).unwrap_err();
        assert!(matches!(err, VaultError::NotAMissingProfile), "{err:?}");
        let blair = vault.unlock_missing(&pass("blair pass")).unwrap();
        assert_eq!(blair.person.name, "Blair");
        assert_eq!(names(&vault), ["Alex", "Blair"], "in the vault's order");
        assert_eq!(vault.missing(), 0);
        let said = blair.people_notes().join(" ");
        assert!(said.contains("Alex and Blair"), "{said}");
        let why = if damaged {
            "was damaged"
        } else {
            "was missing"
        };
        assert!(said.contains(why) && said.contains("rebuilt it"), "{said}");
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            text,
            "as it was written"
        );
        drop(blair);
        drop(vault);
        let vault = reopen(dir.path()).unwrap();
        assert!(vault.config_notice().is_none(), "said once");
        let alex = vault.people()[0].id.clone();
        vault.unlock(&alex, &pass("alex pass")).unwrap();
    }
    println!(
        "vault.toml lost with its copy, deleted and damaged: 2 of 2 opened to an unlock, not a \
         first run, and rebuilt with both people at the first unlock"
    );
    // A brand-new folder is still simply a new vault.
    let fresh = tempfile::tempdir().unwrap();
    let vault = reopen(fresh.path()).unwrap();
    assert!(vault.people().is_empty() && vault.missing() == 0);
}

#[test]
fn someone_whose_profile_is_not_listed_can_put_themselves_back() {
    // Alex rebuilt the list before Blair joined... or Blair's line was taken out:
    // Blair's key file is here but vault.toml lists only Alex. Blair gets back in,
    // and Alex's listing is left exactly as it was.
    let dir = tempfile::tempdir().unwrap();
    two_people(dir.path());
    tamper_with_config(dir.path(), |text| {
        let at = text.rfind("[[people]]").unwrap();
        text[..at].to_owned()
    });
    let _ = fs::remove_file(dir.path().join("vault.toml.bak"));
    let mut vault = reopen(dir.path()).unwrap();
    assert_eq!(names(&vault), ["Alex"]);
    assert_eq!(vault.missing(), 1);
    let err = vault.unlock_missing(&pass("alex pass")).unwrap_err();
    assert!(matches!(err, VaultError::NotAMissingProfile), "{err:?}");
    let blair = vault.unlock_missing(&pass("blair pass")).unwrap();
    assert_eq!(blair.person.name, "Blair");
    assert_eq!(names(&vault), ["Alex", "Blair"]);
}

#[test]
fn a_name_edited_on_disk_is_caught_at_unlock_and_never_shown() {
    // Edited with care: the checksum removed with the copy's, so nothing at open can
    // tell. Each person's own record of names catches it at their unlock: their own
    // name is put back in the file; a partner's is shown as recorded, and the partner's
    // own unlock puts it back.
    let dir = tempfile::tempdir().unwrap();
    two_people(dir.path());
    let ids = {
        let (mut vault, ids) = (reopen(dir.path()).unwrap(), Vec::new());
        let mut ids = ids;
        for (i, passphrase) in ["alex pass", "blair pass"].into_iter().enumerate() {
            let id = vault.people()[i].id.clone();
            let mut keys = vault.unlock(&id, &pass(passphrase)).unwrap();
            vault.confirm_people(&mut keys).unwrap();
            assert!(keys.people_notes().is_empty(), "{:?}", keys.people_notes());
            ids.push(id);
        }
        ids
    };
    let mallory = |p: &std::path::Path| {
        tamper_with_config(p, |text| {
            text.replace("Alex", "Mallory").replace("Blair", "Eve")
        });
    };
    let unlock = |vault: &mut Vault, i: usize, passphrase: &str| {
        let mut keys = vault.unlock(&ids[i], &pass(passphrase)).unwrap();
        vault.confirm_people(&mut keys).unwrap();
        (keys.people_notes().join(" "), names(vault))
    };
    mallory(dir.path());
    let mut vault = reopen(dir.path()).unwrap();
    assert_eq!(
        names(&vault),
        ["Mallory", "Eve"],
        "not caught before an unlock"
    );
    let (said, shown) = unlock(&mut vault, 0, "alex pass");
    assert_eq!(shown, ["Alex", "Blair"]);
    assert!(said.contains("your name as 'Mallory'"), "{said}");
    assert!(said.contains("as Blair as 'Eve'"), "{said}");
    drop(vault);
    let text = fs::read_to_string(dir.path().join("vault.toml")).unwrap();
    assert!(text.contains("Alex") && text.contains("Eve"), "{text}");
    // Blair's unlock puts her own name back; after that nobody is told anything.
    let mut vault = reopen(dir.path()).unwrap();
    let (said, shown) = unlock(&mut vault, 1, "blair pass");
    assert_eq!(shown, ["Alex", "Blair"]);
    assert!(said.contains("your name as 'Eve'"), "{said}");
    drop(vault);
    let mut vault = reopen(dir.path()).unwrap();
    assert_eq!(names(&vault), ["Alex", "Blair"]);
    for (i, passphrase) in [(0, "alex pass"), (1, "blair pass")] {
        let (said, _) = unlock(&mut vault, i, passphrase);
        assert!(said.is_empty(), "said once: {said}");
    }
}

#[test]
fn a_checksum_taken_out_to_edit_a_name_is_damage_put_back_from_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let text = two_people(dir.path());
    let mut edited = String::new();
    for line in text.lines().filter(|l| !l.starts_with("checksum")) {
        edited.push_str(&line.replace("Alex", "Mallory"));
        edited.push('\n');
    }
    fs::write(dir.path().join("vault.toml"), edited).unwrap();
    let vault = reopen(dir.path()).unwrap();
    assert_eq!(names(&vault), ["Alex", "Blair"]);
    let notice = vault.config_notice().unwrap();
    assert!(notice.contains("checksum was removed"), "{notice}");
}
