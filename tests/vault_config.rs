//! `vault.toml` survives damage and deletion: it is put back from its copy and the
//! person is told; a flipped bit in a name is caught by its checksum, never shown; and
//! a vault that lost both the file and its copy is refused, never shown as a first run
//! over people's keys and entries.

use std::fs;

use mend::vault::{Paths, Vault, VaultError};

#[allow(dead_code)]
#[path = "support/fixtures.rs"]
mod fixtures;
use fixtures::*;

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
}

#[test]
fn a_vault_with_keys_but_no_list_of_people_is_refused_not_started_afresh() {
    let dir = tempfile::tempdir().unwrap();
    two_people(dir.path());
    fs::remove_file(dir.path().join("vault.toml")).unwrap();
    fs::remove_file(dir.path().join("vault.toml.bak")).unwrap();
    let err = reopen(dir.path()).expect_err("refused");
    assert!(matches!(err, VaultError::ConfigLost { .. }), "{err:?}");
    assert!(err.to_string().contains("backup"), "{err}");
    // A brand-new folder is still simply a new vault.
    let fresh = tempfile::tempdir().unwrap();
    assert!(reopen(fresh.path()).unwrap().people().is_empty());
}
