//! Who is in the vault, checked against each person's own record of it: the list
//! rebuilt from that record when `vault.toml` was lost with its copy, someone whose
//! name is missing put back on it, and a name changed on disk caught at unlock. And
//! the list read as it is, without the lock ([`read_people`]), for `mend people`.

use std::path::Path;

use age::secrecy::{ExposeSecret, SecretString};
use age::x25519;

use super::config::{self, Config};
use super::{CONFIG_FILE, KEYS, Paths, Person, Unlocked, Vault, VaultError, fsutil, keys};
use crate::domain::PersonId;

/// Who has a profile in a vault, as [`read_people`] found it.
#[derive(Debug)]
pub struct PeopleList {
    pub people: Vec<Person>,
    /// How many have a key file here but are not on the list (see [`Vault::missing`]):
    /// everyone, when `vault.toml` was lost with its copy.
    pub missing: usize,
    /// What is wrong with `vault.toml` that the next open of the vault puts right.
    pub notice: Option<String>,
}

/// Who has a profile in the vault at `paths`, read without taking its lock and
/// without writing anything, so it works while another mend has the vault open. Only
/// `vault.toml` (or its copy) is read and the key files' names listed; nothing is
/// created, repaired or swept, and a folder with no vault in it is an empty list.
/// Everything that changes the vault opens it with [`Vault::open`], which takes the
/// lock.
pub fn read_people(paths: &Paths) -> Result<PeopleList, VaultError> {
    let dir = &paths.data_dir;
    let with_keys = with_key_files(dir)?;
    let (config, recovered) = Config::read_only(&dir.join(CONFIG_FILE), !with_keys.is_empty())?;
    let missing = unlisted(&config, with_keys).len();
    Ok(PeopleList {
        people: config.people,
        missing,
        notice: recovered
            .as_ref()
            .and_then(config::Recovered::left_for_next_open),
    })
}

/// Everyone with a key file in the vault at `dir`.
pub(super) fn with_key_files(dir: &Path) -> Result<Vec<PersonId>, VaultError> {
    Ok(fsutil::list(&dir.join(KEYS))?
        .iter()
        .filter_map(|p| keys::owner_by_name(p))
        .collect())
}

/// Those of `with_keys` whom `config` does not list.
pub(super) fn unlisted(config: &Config, with_keys: Vec<PersonId>) -> Vec<PersonId> {
    with_keys
        .into_iter()
        .filter(|id| config.position(id).is_none())
        .collect()
}

impl Vault {
    /// The other person in the vault, if any (`None` too when `me` is not in it). Vaults
    /// hold one or two people today; with more, this is the first other one added.
    #[must_use]
    pub fn partner(&self, me: &PersonId) -> Option<&Person> {
        self.config.position(me)?;
        self.others(me).next().map(|(person, _)| person)
    }

    /// Everyone in `vault.toml` but `me`, with their shared recipient.
    pub(super) fn others<'a>(
        &'a self,
        me: &PersonId,
    ) -> impl Iterator<Item = (&'a Person, &'a x25519::Recipient)> {
        let me = me.clone();
        self.config
            .people
            .iter()
            .zip(&self.config.shared)
            .filter(move |(person, _)| person.id != me)
    }

    /// The shared recipients of everyone in the vault but `me`.
    pub(super) fn partner_recipients(&self, me: &PersonId) -> Vec<x25519::Recipient> {
        self.others(me).map(|(_, r)| r.clone()).collect()
    }

    /// How many people have a key file here but are not in `vault.toml`: everyone, when
    /// it was lost with its copy. Each of them can unlock with
    /// [`Vault::unlock_missing`], which puts them back on the list.
    #[must_use]
    pub fn missing(&self) -> usize {
        self.missing.len()
    }

    /// Unlocks whichever unlisted person `passphrase` opens (trying each key file; a
    /// second each), and lists them again in `vault.toml`: themselves, and every
    /// partner their own record lists who is not listed already, with the names and
    /// keys they recorded. Nobody already listed is changed: their own unlock checks
    /// them. Then it is an ordinary unlock.
    pub fn unlock_missing(&mut self, passphrase: &SecretString) -> Result<Unlocked, VaultError> {
        if passphrase.expose_secret().is_empty() {
            return Err(VaultError::NoPassphrase);
        }
        let mut other_failure = None;
        for id in self.missing.clone() {
            let unnamed = Person {
                id: id.clone(),
                name: "the missing profile".to_owned(),
            };
            match keys::read(
                &self.key_file(&id),
                &unnamed,
                passphrase,
                &self.quarantine_dir(),
            ) {
                Ok(opened) => return self.relist(&id, opened, passphrase),
                Err(VaultError::WrongPassphrase { .. }) => {}
                Err(error) => other_failure = Some(self.name_holder(error)),
            }
        }
        Err(other_failure.unwrap_or(VaultError::NotAMissingProfile))
    }

    /// Puts `id` (whose key file opened) and the partners they recorded back on the list.
    fn relist(
        &mut self,
        id: &PersonId,
        mut opened: keys::Opened,
        passphrase: &SecretString,
    ) -> Result<Unlocked, VaultError> {
        let key_path = self.key_file(id);
        keys::merge_pins(&key_path, &mut opened.keys);
        let (config, listed, unnamed) = self.config_with(id, &opened.keys);
        config.write(&self.data_dir().join(CONFIG_FILE))?;
        self.config = config;
        self.missing.retain(|m| self.config.position(m).is_none());
        let index = self
            .config
            .position(id)
            .expect("the person who unlocked was just listed");
        let person = self.config.people[index].clone();
        let mut unlocked = self.admit(person, index, opened, passphrase)?;
        let mut note = match self.config_recovered.take() {
            Some(lost @ config::Recovered::Lost(_)) => lost.what_happened(),
            _ => String::new(),
        };
        if !note.is_empty() {
            note.push(' ');
        }
        note.push_str("Back on the list, from the record kept with your key: ");
        note.push_str(&listed.join(" and "));
        note.push('.');
        if unnamed > 0 {
            note.push_str(
                " A name that record did not hold (it was made by an older mend) is shown \
                 as 'Unnamed profile'.",
            );
        }
        unlocked.people_notes.push(note);
        Ok(unlocked)
    }

    /// The list as it is, with `id` and every partner their `record` names (and has a
    /// key for) added in the record's order; also the names added, and how many of
    /// them the record did not hold.
    fn config_with(
        &self,
        id: &PersonId,
        record: &keys::PersonKeys,
    ) -> (Config, Vec<String>, usize) {
        let order = record
            .names
            .iter()
            .map(|(person, _)| person.clone())
            .chain([id.clone()])
            .chain(record.pinned.iter().map(|pin| pin.person.clone()));
        let mut people = self.config.people.clone();
        let mut shared = self.config.shared.clone();
        let mut listed = Vec::new();
        let mut unnamed = 0;
        for person in order {
            if people.iter().any(|p| p.id == person) {
                continue;
            }
            let recipient = if person == *id {
                record.shared.to_public()
            } else if let Some(pinned) = record.pinned_for(&person) {
                pinned.clone()
            } else {
                continue;
            };
            let name = record.name_of(&person).map_or_else(
                || {
                    unnamed += 1;
                    format!("Unnamed profile {}", people.len() + 1)
                },
                str::to_owned,
            );
            listed.push(name.clone());
            people.push(Person { id: person, name });
            shared.push(recipient);
        }
        (Config::new(people, shared), listed, unnamed)
    }

    /// Checks the names in `vault.toml` against the record kept with `keys` (everyone's
    /// name as this person first saw it, their own as they chose it). A name changed on
    /// disk is said and never shown: this person's own is put back in `vault.toml`; a
    /// partner's is shown as recorded, and put back in the file by the partner's own
    /// unlock (each person's record is the authority on their own name, so two records
    /// never take turns rewriting it). Someone not yet recorded is recorded now, trust
    /// on first use as with pins. The notes go in [`Unlocked::people_notes`].
    pub fn confirm_people(&mut self, keys: &mut Unlocked) -> Result<(), VaultError> {
        // What the file holds: a partner's name shown as recorded is not written.
        let mut on_disk = self.config.clone();
        let mut config_changed = false;
        let mut record_changed = false;
        for (i, person) in self.config.people.iter_mut().enumerate() {
            let mine = person.id == keys.person.id;
            match keys.keys.name_of(&person.id) {
                Some(recorded) if recorded != person.name => {
                    let (whose, done) = if mine {
                        ("your name".to_owned(), "mend put back")
                    } else {
                        (
                            format!("the name of the person you know as {recorded}"),
                            "mend shows you",
                        )
                    };
                    keys.people_notes.push(format!(
                        "vault.toml, the list of who has a profile here, showed {whose} as \
                         '{}', which is not what your key's record holds: it was changed \
                         outside mend. {done} '{recorded}'.",
                        person.name
                    ));
                    recorded.clone_into(&mut person.name);
                    if mine {
                        recorded.clone_into(&mut on_disk.people[i].name);
                        config_changed = true;
                    }
                }
                Some(_) => {}
                None => {
                    keys.keys
                        .names
                        .push((person.id.clone(), person.name.clone()));
                    record_changed = true;
                }
            }
            if mine {
                keys.person.name.clone_from(&person.name);
            }
        }
        if config_changed {
            on_disk.write(&self.data_dir().join(CONFIG_FILE))?;
        }
        if record_changed {
            keys::write_pins(&self.key_file(&keys.person.id), &keys.keys)?;
        }
        Ok(())
    }

    /// A swapped key file names its holder by id; people are told their name.
    pub(super) fn name_holder(&self, error: VaultError) -> VaultError {
        match error {
            VaultError::KeyFileSwapped {
                name,
                holder,
                path,
                yours,
            } => {
                let holder = self
                    .config
                    .people
                    .iter()
                    .find(|p| *p.id.0 == *holder)
                    .map_or_else(|| "another profile".to_owned(), |p| p.name.clone());
                VaultError::KeyFileSwapped {
                    name,
                    holder,
                    path,
                    yours,
                }
            }
            other => other,
        }
    }
}
