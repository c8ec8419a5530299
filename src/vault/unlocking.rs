//! Getting in: unlocking with a passphrase (checking the keys against `vault.toml` and
//! pinning a partner seen for the first time), changing it, and a recovery code.

use age::secrecy::{ExposeSecret, SecretString};

use super::keys::{self, PersonKeys, Pin};
use super::{CONFIG_FILE, Person, Unlocked, Vault, VaultError, fsutil};
use crate::domain::PersonId;

impl Vault {
    /// Opens `person`'s key file with `passphrase` (about a second at the release cost)
    /// and checks it against `vault.toml`: their own shared recipient, and every
    /// partner's against the one pinned in the key file ([`VaultError::RecipientMismatch`]
    /// if any differs; nothing is shown or saved).
    ///
    /// A partner not yet pinned (they joined since, or the key file predates pinning) is
    /// pinned here, trust on first use: first this person's own shared entries are
    /// re-sealed to every person's shared recipient, so a partner who joined later can
    /// read what was shared before, then the key file is re-sealed with the same
    /// passphrase (the previous one kept as `keys/<person>.age.bak`). In that order a
    /// crash in between only means the re-sealing is repeated at the next unlock. This
    /// is the one unlock that writes, and costs one more scrypt.
    pub fn unlock(
        &self,
        person: &PersonId,
        passphrase: &SecretString,
    ) -> Result<Unlocked, VaultError> {
        let config_path = self.data_dir().join(CONFIG_FILE);
        let index = self
            .config
            .position(person)
            .ok_or_else(|| VaultError::UnknownPerson {
                id: person.clone(),
                path: config_path.clone(),
            })?;
        let person = self.config.people[index].clone();
        let key_path = self.key_file(&person.id);
        let opened = keys::read(&key_path, &person, passphrase, &self.quarantine_dir())
            .map_err(|e| self.name_holder(e))?;
        self.admit(person, index, opened, passphrase)
    }

    /// The rest of an unlock, once `person`'s key file (listed at `index`) opened.
    pub(super) fn admit(
        &self,
        person: Person,
        index: usize,
        opened: keys::Opened,
        passphrase: &SecretString,
    ) -> Result<Unlocked, VaultError> {
        let config_path = self.data_dir().join(CONFIG_FILE);
        let key_path = self.key_file(&person.id);
        let keys::Opened { mut keys, restored } = opened;
        keys::merge_pins(&key_path, &mut keys);
        // vault.toml is plaintext: if someone swapped this person's shared recipient,
        // shared answers would be sealed to a stranger. Refuse before anything is saved.
        if keys.shared.to_public().to_string() != self.config.shared[index].to_string() {
            return Err(VaultError::RecipientMismatch {
                name: person.name,
                path: config_path,
            });
        }
        let new_pins = self.check_pins(&person.id, &keys)?;
        if !new_pins.is_empty() {
            let kdf = self.checked_kdf()?;
            self.reshare(&person.id, &keys)?;
            keys.pinned.extend(new_pins);
            keys::reseal(&key_path, &person.id, &keys, passphrase, kdf)?;
            keys::write_pins(&key_path, &keys)?;
        }
        // It opened: from now on the backup is this generation (a backup that still
        // opened with a passphrase just changed would undo the change).
        keys::settle(&key_path)?;
        Ok(Unlocked {
            person,
            keys,
            restored,
            people_notes: Vec::new(),
        })
    }

    /// Changes `keys`' passphrase to `new`, after checking `current` opens their key
    /// file. The key file is re-sealed atomically with the previous generation kept
    /// until the new one is in place, so a crash at any moment leaves one that opens
    /// with `current` or with `new` (see `keys::reseal`); then the backup becomes a
    /// copy of the new one, so `current` no longer opens anything.
    pub fn change_passphrase(
        &self,
        keys: &Unlocked,
        current: &SecretString,
        new: &SecretString,
    ) -> Result<(), VaultError> {
        if new.expose_secret().is_empty() {
            return Err(VaultError::NoPassphrase);
        }
        let kdf = self.checked_kdf()?;
        let key_path = self.key_file(&keys.person.id);
        keys::read(&key_path, &keys.person, current, &self.quarantine_dir())
            .map_err(|e| self.name_holder(e))?;
        keys::reseal(&key_path, &keys.person.id, &keys.keys, new, kdf)?;
        // Read back before the backup stops holding the old generation.
        keys::verify(&key_path, &keys.person, new)?;
        keys::settle(&key_path)
    }

    /// Makes a new recovery code for `keys`: a copy of their keys sealed with the code
    /// in `keys/<person>.recovery.age` (replacing any earlier code). The code is
    /// returned once, to be shown once; mend keeps no other copy of it.
    pub fn create_recovery_code(&self, keys: &Unlocked) -> Result<SecretString, VaultError> {
        let kdf = self.checked_kdf()?;
        let code = keys::new_recovery_code()?;
        let path = keys::recovery_path(&self.key_file(&keys.person.id));
        let sealed = keys::seal(
            &path,
            &keys.person.id,
            &keys.keys,
            &keys::normalise_code(code.expose_secret()),
            kdf,
        )?;
        fsutil::write_atomic(&path, &sealed)?;
        Ok(code)
    }

    /// Whether `person` has a recovery code.
    #[must_use]
    pub fn has_recovery_code(&self, person: &PersonId) -> bool {
        keys::recovery_path(&self.key_file(person)).exists()
    }

    /// Opens `person`'s keys with their recovery code and seals them with `new` as the
    /// passphrase (the old passphrase stops working), then unlocks with it.
    pub fn recover(
        &self,
        person: &PersonId,
        code: &SecretString,
        new: &SecretString,
    ) -> Result<Unlocked, VaultError> {
        if new.expose_secret().is_empty() {
            return Err(VaultError::NoPassphrase);
        }
        let kdf = self.checked_kdf()?;
        let who = self
            .config
            .people
            .iter()
            .find(|p| &p.id == person)
            .cloned()
            .ok_or_else(|| VaultError::UnknownPerson {
                id: person.clone(),
                path: self.data_dir().join(CONFIG_FILE),
            })?;
        let key_path = self.key_file(person);
        let mut keys = keys::open_recovery(
            &keys::recovery_path(&key_path),
            &who,
            &keys::normalise_code(code.expose_secret()),
        )?;
        // The recovery file's pins are as old as its code; partners pinned since are
        // checked against their pins, never trusted anew from vault.toml.
        keys::merge_pins(&key_path, &mut keys);
        if key_path.exists() {
            keys::reseal(&key_path, person, &keys, new, kdf)?;
        } else {
            keys::create(&key_path, person, &keys, new, kdf)?;
        }
        keys::verify(&key_path, &who, new)?;
        keys::settle(&key_path)?;
        self.unlock(person, new)
    }

    /// Checks every partner in `vault.toml` against `keys`' pins; returns the partners
    /// not pinned yet. Nothing is written, so a mismatch leaves everything as it was.
    fn check_pins(&self, me: &PersonId, keys: &PersonKeys) -> Result<Vec<Pin>, VaultError> {
        let mut new_pins = Vec::new();
        for (other, listed) in self.others(me) {
            match keys.pinned_for(&other.id) {
                Some(pinned) if pinned.to_string() != listed.to_string() => {
                    return Err(VaultError::RecipientMismatch {
                        name: other.name.clone(),
                        path: self.data_dir().join(CONFIG_FILE),
                    });
                }
                Some(_) => {}
                None => new_pins.push(Pin {
                    person: other.id.clone(),
                    shared: listed.clone(),
                }),
            }
        }
        Ok(new_pins)
    }

    /// Re-seals `me`'s own genuine shared entries, unchanged, to every person's shared
    /// recipient (entries that merely claim `me` as author are left alone).
    fn reshare(&self, me: &PersonId, keys: &PersonKeys) -> Result<(), VaultError> {
        self.reseal_shared(me, keys, None)
    }
}
