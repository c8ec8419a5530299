//! What age alone cannot promise, in temp dirs: partners' keys pinned in each key file
//! (a swapped `vault.toml` is refused), authorship MACs (an entry merely claiming to be
//! yours is flagged), a partner who joins later, changing an entry's visibility, and
//! key files from before pinning.

use std::fs;

use mend::content::Visibility;
use mend::entry::{Entry, PersonId};
use mend::vault::{Unlocked, Vault, VaultError};

use crate::fixtures::*;

/// Writes `claim` into entries/ sealed to `recipients`, as a partner (or anyone with
/// the folder) could.
fn plant(vault: &Vault, claim: &Entry, recipients: &[String]) {
    let sealed = seal_to_all(recipients, &toml::to_string(claim).unwrap());
    let path = vault.data_dir().join(format!("entries/{}.age", claim.id));
    write_private(path, sealed);
}

fn both_shared(vault: &Vault) -> Vec<String> {
    (0..2)
        .map(|i| shared_recipient_in_config(vault.data_dir(), i))
        .collect()
}

/// `entry` exactly as stored, read with `who`'s shared key taken from their key file
/// (what a partner can do with their own passphrase and the stock tool).
fn read_as(vault: &Vault, who: &Unlocked, passphrase: &str, entry: &Entry) -> Entry {
    let keys = key_file_text(&key_file(vault, who), passphrase);
    let shared: age::x25519::Identity = keys
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap()
        .parse()
        .unwrap();
    let bytes = fs::read(vault.data_dir().join(format!("entries/{}.age", entry.id))).unwrap();
    let decryptor = age::Decryptor::new_buffered(&bytes[..]).unwrap();
    let mut reader = decryptor
        .decrypt(std::iter::once(&shared as &dyn age::Identity))
        .unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut reader, &mut text).unwrap();
    toml::from_str(&text).unwrap()
}

fn ids(entries: &[Entry]) -> Vec<String> {
    entries.iter().map(|e| e.id.to_string()).collect()
}

#[test]
fn a_swapped_partner_recipient_is_refused_after_both_unlocked() {
    let dir = tempfile::tempdir().unwrap();
    let (alex_id, blair_id) = {
        let (vault, alex, blair) = vault_with_two(dir.path());
        // Alex has not seen Blair yet: this unlock pins Blair's key.
        vault.unlock(&alex.person.id, &pass("alex pass")).unwrap();
        vault.unlock(&blair.person.id, &pass("blair pass")).unwrap();
        let text = key_file_text(&key_file(&vault, &alex), "alex pass");
        let blairs = shared_recipient_in_config(dir.path(), 1);
        assert!(
            text.contains(&format!("# partner: {} {blairs}\n", blair.person.id)),
            "{}",
            text.lines()
                .filter(|l| l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        );
        (alex.person.id, blair.person.id)
    };
    let blairs = shared_recipient_in_config(dir.path(), 1);
    let stranger = age::x25519::Identity::generate().to_public().to_string();
    tamper_with_config(dir.path(), |text| text.replace(&blairs, &stranger));
    let key_path = dir.path().join(format!("keys/{alex_id}.age"));
    let key_before = fs::read(&key_path).unwrap();

    let vault = open(dir.path());
    let err = vault.unlock(&alex_id, &pass("alex pass")).unwrap_err();
    assert!(
        matches!(&err, VaultError::RecipientMismatch { name, .. } if name == "Blair"),
        "{err:?}"
    );
    let message = err.to_string();
    for phrase in [
        "Blair",
        "vault.toml",
        "nothing was shown or saved",
        "Restore",
    ] {
        assert!(message.contains(phrase), "{phrase}: {message}");
    }
    assert!(!message.contains(&stranger) && !message.contains(&blairs));
    assert_eq!(
        fs::read(&key_path).unwrap(),
        key_before,
        "nothing rewritten"
    );
    // Blair's own check catches it too.
    let err = vault.unlock(&blair_id, &pass("blair pass")).unwrap_err();
    assert!(
        matches!(err, VaultError::RecipientMismatch { .. }),
        "{err:?}"
    );
}

#[test]
fn a_shared_entry_forged_in_my_name_is_suspect() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, blair) = vault_with_two(dir.path());
    let alex_id = &alex.person.id;
    let genuine = [
        entry(alex_id, Visibility::Private, "mine, private", 1),
        entry(alex_id, Visibility::Shared, "mine, shared", 2),
    ];
    for e in &genuine {
        vault.save_entry(&alex, e).unwrap();
    }
    // A MAC copied from a genuine entry onto other content, a made-up MAC, and none.
    let mut stolen = entry(alex_id, Visibility::Shared, "I never wrote this", 3);
    stolen.mac = read_as(&vault, &blair, "blair pass", &genuine[1]).mac;
    assert!(stolen.mac.is_some(), "Blair can read Alex's MAC");
    let mut made_up = entry(alex_id, Visibility::Shared, "nor this", 4);
    made_up.mac = Some("00".repeat(32));
    let missing = entry(alex_id, Visibility::Shared, "nor this either", 5);
    let forged = [stolen, made_up, missing];
    for claim in &forged {
        plant(&vault, claim, &both_shared(&vault));
    }

    let loaded = vault.load(&alex);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let mut expected: Vec<_> = forged.iter().map(|e| e.id).collect();
    expected.sort();
    assert_eq!(unconfirmed(&loaded), expected);
    assert_eq!(
        loaded.entries.len(),
        2,
        "only the genuine ones are anyone's words"
    );
    // Blair confirms Alex's shared entry by its witness, and sets the forged ones apart
    // too; her own are fine.
    vault
        .save_entry(&blair, &entry(&blair.person.id, Visibility::Shared, "b", 6))
        .unwrap();
    let seen = vault.load(&blair);
    assert_eq!(
        unconfirmed(&seen),
        expected,
        "Blair cannot be fooled either"
    );
    assert_eq!(seen.entries.len(), 2, "Alex's shared entry and her own");
}

#[test]
fn a_file_sealed_to_my_shared_key_claiming_private_loads_as_shared() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, _blair) = vault_with_two(dir.path());
    let claim = entry(&alex.person.id, Visibility::Private, "planted", 1);
    plant(&vault, &claim, &[shared_recipient_in_config(dir.path(), 0)]);
    let loaded = vault.load(&alex);
    assert!(loaded.entries.is_empty());
    assert_eq!(loaded.unconfirmed[0].visibility, Visibility::Shared);
    assert_eq!(unconfirmed(&loaded), vec![claim.id]);
}

#[test]
fn a_partner_who_joins_later_reads_what_was_shared_before() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, alex) = vault_with_alex(dir.path());
    let shared = entry(&alex.person.id, Visibility::Shared, "for us 🌱", 1);
    let private = entry(&alex.person.id, Visibility::Private, "for me", 2);
    vault.save_entry(&alex, &shared).unwrap();
    vault.save_entry(&alex, &private).unwrap();
    // A planted entry in Alex's name must not be passed on to Blair.
    let planted = entry(&alex.person.id, Visibility::Shared, "planted", 3);
    plant(
        &vault,
        &planted,
        &[shared_recipient_in_config(dir.path(), 0)],
    );
    let blair = vault.create_person("Blair", &pass("blair pass")).unwrap();
    assert!(vault.load(&blair).entries.is_empty(), "not yet re-sealed");

    let key_path = key_file(&vault, &alex);
    let before = fs::read(&key_path).unwrap();
    let alex = vault.unlock(&alex.person.id, &pass("alex pass")).unwrap();
    let seen = vault.load(&blair);
    assert_eq!(seen.entries, vec![shared.clone()]);
    assert!(seen.problems.is_empty(), "{:?}", seen.problems);
    let mine = vault.load(&alex);
    assert_eq!(ids(&mine.entries).len(), 2);
    assert_eq!(unconfirmed(&mine), vec![planted.id]);
    let bak = dir.path().join(format!("keys/{}.age.bak", alex.person.id));
    // Re-sealed for the new pin; once it opened, the backup is a copy of it.
    assert_ne!(
        fs::read(&key_path).unwrap(),
        before,
        "re-sealed with the pin"
    );
    assert_eq!(fs::read(bak).unwrap(), fs::read(&key_path).unwrap());
    // The next unlock has nothing new to pin and writes nothing.
    let pinned = fs::read(&key_path).unwrap();
    vault.unlock(&alex.person.id, &pass("alex pass")).unwrap();
    assert_eq!(fs::read(&key_path).unwrap(), pinned);
}

/// The ids of the entries a load set apart, sorted.
fn unconfirmed(loaded: &mend::vault::Loaded) -> Vec<mend::entry::EntryId> {
    let mut ids: Vec<_> = loaded.unconfirmed.iter().map(|e| e.id).collect();
    ids.sort();
    ids
}

fn visible_to(vault: &Vault, who: &Unlocked) -> Vec<(String, Visibility)> {
    let loaded = vault.load(who);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert!(loaded.unconfirmed.is_empty(), "{:?}", unconfirmed(&loaded));
    loaded
        .entries
        .iter()
        .map(|e| (e.id.to_string(), e.visibility))
        .collect()
}

#[test]
fn set_visibility_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, blair) = vault_with_two(dir.path());
    let original = entry(&alex.person.id, Visibility::Private, HARD_TEXT, 1);
    vault.save_entry(&alex, &original).unwrap();
    let id = original.id.to_string();
    assert!(visible_to(&vault, &blair).is_empty());

    let shared = vault
        .set_visibility(&alex, &original, Visibility::Shared)
        .unwrap();
    assert_eq!(
        shared,
        Entry {
            visibility: Visibility::Shared,
            ..original.clone()
        }
    );
    assert_eq!(vault.load(&blair).entries, vec![shared.clone()]);
    assert_eq!(
        visible_to(&vault, &alex),
        vec![(id.clone(), Visibility::Shared)]
    );

    let private = vault
        .set_visibility(&alex, &shared, Visibility::Private)
        .unwrap();
    assert_eq!(private, original);
    assert!(visible_to(&vault, &blair).is_empty());
    assert_eq!(visible_to(&vault, &alex), vec![(id, Visibility::Private)]);
    assert_eq!(names_in(&dir.path().join("entries")).len(), 1);

    let err = vault
        .set_visibility(&blair, &original, Visibility::Shared)
        .unwrap_err();
    assert!(matches!(err, VaultError::WrongAuthor { .. }), "{err:?}");
}

#[test]
fn set_visibility_refuses_an_entry_that_only_claims_to_be_mine() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, _blair) = vault_with_two(dir.path());
    let forged = entry(&alex.person.id, Visibility::Shared, "not Alex's", 1);
    plant(&vault, &forged, &both_shared(&vault));
    let path = dir.path().join(format!("entries/{}.age", forged.id));
    let before = fs::read(&path).unwrap();
    let err = vault
        .set_visibility(&alex, &forged, Visibility::Private)
        .unwrap_err();
    assert!(matches!(err, VaultError::WrongAuthor { .. }), "{err:?}");
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn an_old_key_file_without_partner_lines_still_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let alex_id = add_old_style_person(dir.path(), "Alex", "alex pass");
    let key_path = dir.path().join(format!("keys/{alex_id}.age"));
    let before = fs::read(&key_path).unwrap();
    {
        // Alone in the vault: nothing to pin, nothing rewritten.
        let vault = open(dir.path());
        let alex = vault.unlock(&alex_id, &pass("alex pass")).unwrap();
        vault
            .save_entry(&alex, &entry(&alex_id, Visibility::Shared, "old", 1))
            .unwrap();
        assert_eq!(fs::read(&key_path).unwrap(), before);
    }
    let blair_id = add_old_style_person(dir.path(), "Blair", "blair pass");
    let vault = open(dir.path());
    let alex = vault.unlock(&alex_id, &pass("alex pass")).unwrap();
    let text = key_file_text(&key_path, "alex pass");
    assert!(
        text.contains(&format!("# partner: {blair_id} age1")),
        "pinned"
    );
    assert_eq!(text.matches("AGE-SECRET-KEY-").count(), 2);
    assert!(vault.load(&alex).unconfirmed.is_empty());
    let blair = vault.unlock(&blair_id, &pass("blair pass")).unwrap();
    assert_eq!(vault.load(&blair).entries.len(), 1, "re-shared on pinning");
}

#[test]
fn partner_is_the_other_person() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, alex) = vault_with_alex(dir.path());
    assert_eq!(vault.partner(&alex.person.id), None);
    let blair = vault.create_person("Blair", &pass("blair pass")).unwrap();
    assert_eq!(vault.partner(&alex.person.id), Some(&blair.person));
    assert_eq!(vault.partner(&blair.person.id), Some(&alex.person));
    assert_eq!(vault.partner(&PersonId("nobody".into())), None);
}
