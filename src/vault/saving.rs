//! A person's words in and out of the vault: loading everything they can open, saving
//! entries and drafts (sealed first, so a refused write keeps only ciphertext in
//! memory), changing who can read an entry, and the witnesses a partner checks.

use std::collections::HashSet;

use super::keys::PersonKeys;
use super::{
    CacheUpdate, Loaded, Sealed, Unlocked, Vault, VaultError, crypt, entries, fsutil, profile,
};
use crate::content::Visibility;
use crate::domain::{Draft, Entry, EntryId, PersonId, Profile};

impl Vault {
    /// Seals your own shared entries in `ids` again with a witness for each partner, so
    /// your partner's mend can confirm you wrote them (entries from before witnesses).
    pub fn witness(&self, keys: &Unlocked, ids: &[EntryId]) -> Result<(), VaultError> {
        let ids: HashSet<EntryId> = ids.iter().copied().collect();
        self.reseal_shared(&keys.person.id, &keys.keys, Some(&ids))
    }

    pub(super) fn reseal_shared(
        &self,
        me: &PersonId,
        keys: &PersonKeys,
        only: Option<&HashSet<EntryId>>,
    ) -> Result<(), VaultError> {
        let partners = self.partner_recipients(me);
        for entry in entries::own_shared(self.data_dir(), me, keys, only)? {
            let path = entries::entry_path(self.data_dir(), entry.id);
            let entry = entries::signed(&entry, keys, &partners, &path)?;
            let plain = entries::to_toml(&entry, &path)?;
            entries::seal_to(
                &path,
                &self.config.shared,
                &crypt::Marks::shared(&keys.private, &self.config.shared),
                &plain,
            )?;
        }
        Ok(())
    }

    /// Every entry and draft `keys` can open. Never fails as a whole: each file that
    /// cannot be read becomes a [`FileProblem`]; files addressed only to someone else
    /// are skipped without a trace.
    #[must_use]
    pub fn load(&self, keys: &Unlocked) -> Loaded {
        self.load_listed(keys, self.list_entries(&keys.person.id))
    }

    /// The entry folder listed and stamped, which needs no key: an unlock lists it on
    /// one core while the key derivation runs on the other, so ten years of entries
    /// are listed in time that was being spent waiting anyway. The listing is only as
    /// fresh as the moment it was taken, so it is taken while nothing else writes
    /// entries: this process holds the vault lock, and the one write an unlock makes
    /// (re-sealing shared entries for a newly pinned partner) changes no entry's words.
    /// `person`'s sealed entry cache is read too (still sealed: only their key opens it).
    #[must_use]
    pub fn list_entries(&self, person: &PersonId) -> entries::Listing {
        entries::Listing::of(self.data_dir(), person)
    }

    /// [`Vault::load`] with the entry folder already listed.
    #[must_use]
    pub fn load_listed(&self, keys: &Unlocked, listed: entries::Listing) -> Loaded {
        let (
            entries::LoadedEntries {
                entries,
                unconfirmed,
                unwitnessed,
                mut problems,
                notices,
                opened: files_opened,
            },
            new_cache,
        ) = entries::load_entries(
            self.data_dir(),
            &keys.person.id,
            &keys.keys,
            &self
                .others(&keys.person.id)
                .map(|(p, r)| (p.id.clone(), r.clone()))
                .collect::<Vec<_>>(),
            listed,
        );
        let cache = new_cache.map(|plain| CacheUpdate {
            person: keys.person.id.clone(),
            to: keys.keys.private.to_public(),
            plain,
        });
        let finished: crate::domain::EntryIds = entries.iter().map(|e| e.id).collect();
        let (drafts, draft_problems) =
            entries::load_drafts(self.data_dir(), &keys.person.id, &keys.keys, &finished);
        problems.extend(draft_problems);
        let (profile, profile_problem) =
            profile::load(self.data_dir(), &keys.person.id, &keys.keys);
        problems.extend(profile_problem);
        Loaded {
            entries,
            drafts,
            profile,
            problems,
            notices,
            unconfirmed,
            unwitnessed,
            files_opened,
            cache,
        }
    }

    /// Encrypts and writes `entry` (replacing any earlier save of the same id), with its
    /// authorship MAC computed afresh (whatever `entry.mac` held is ignored).
    /// Private: sealed to the author alone. Shared: to every person in the vault.
    pub fn save_entry(&self, keys: &Unlocked, entry: &Entry) -> Result<(), VaultError> {
        check_author(keys, entry)?;
        let path = entries::entry_path(self.data_dir(), entry.id);
        let partners = self.partner_recipients(&keys.person.id);
        let entry = entries::signed(entry, &keys.keys, &partners, &path)?;
        let plain = entries::to_toml(&entry, &path)?;
        match entry.visibility {
            Visibility::Private => entries::seal_to(
                &path,
                &[keys.keys.private.to_public()],
                &crypt::Marks::private(&keys.keys.private),
                &plain,
            ),
            Visibility::Shared => entries::seal_to(
                &path,
                &self.config.shared,
                &crypt::Marks::shared(&keys.keys.private, &self.config.shared),
                &plain,
            ),
        }
    }

    /// Encrypts and writes `draft` to its author alone, its entry's MAC computed afresh.
    pub fn save_draft(&self, keys: &Unlocked, draft: &Draft) -> Result<(), VaultError> {
        let sealed = self.seal_draft(keys, draft)?;
        self.write_sealed(&sealed)
    }

    /// Encrypts `draft` to its author without writing it, so a write that fails (a full
    /// disk) can be retried later from memory, still encrypted, after the keys are gone.
    pub fn seal_draft(&self, keys: &Unlocked, draft: &Draft) -> Result<Sealed, VaultError> {
        check_author(keys, &draft.entry)?;
        let path = entries::draft_path(self.data_dir(), &keys.person.id, draft.entry.id);
        let draft = Draft {
            entry: entries::signed(&draft.entry, &keys.keys, &[], &path)?,
            ..draft.clone()
        };
        let plain = entries::to_toml(&draft, &path)?;
        let bytes = entries::seal(
            &path,
            &[keys.keys.private.to_public()],
            &crypt::Marks::private(&keys.keys.private),
            &plain,
        )?;
        Ok(Sealed { path, bytes })
    }

    /// Writes an already encrypted file atomically (creating its folder if needed).
    pub fn write_sealed(&self, sealed: &Sealed) -> Result<(), VaultError> {
        if let Some(dir) = sealed.path.parent() {
            fsutil::ensure_private_dir(dir)?;
        }
        fsutil::write_atomic(&sealed.path, &sealed.bytes)
    }

    /// Re-encrypts the author's own saved entry in place (atomically) for `visibility`:
    /// private seals it to the author alone, shared to every person's shared recipient.
    /// The entry is re-sealed as stored on disk (only its visibility changes) and
    /// returned as a load would return it. Refused with [`VaultError::WrongAuthor`] for
    /// an entry by someone else, including one that only claims to be the author's
    /// (re-sealing it would lend it the author's MAC).
    pub fn set_visibility(
        &self,
        keys: &Unlocked,
        entry: &Entry,
        visibility: Visibility,
    ) -> Result<Entry, VaultError> {
        check_author(keys, entry)?;
        let path = entries::entry_path(self.data_dir(), entry.id);
        if !path.exists() {
            return Err(VaultError::io("find the saved entry", &path)(
                std::io::ErrorKind::NotFound.into(),
            ));
        }
        let (mut stored, _) = entries::open_entry(&path, &keys.keys)
            .filter(|(stored, with)| {
                stored.author == keys.person.id && entries::is_genuine(stored, *with, &keys.keys)
            })
            .ok_or_else(|| wrong_author(keys, entry))?;
        stored.visibility = visibility;
        self.save_entry(keys, &stored)?;
        stored.mac = None;
        stored.witness = Vec::new();
        Ok(stored)
    }

    /// Encrypts and writes `profile` (the person's private settings) to its owner alone.
    pub fn save_profile(&self, keys: &Unlocked, profile: &Profile) -> Result<(), VaultError> {
        profile::save(self.data_dir(), &keys.person.id, &keys.keys, profile)
    }

    /// Deletes a draft; a draft that is already gone is fine.
    pub fn delete_draft(&self, keys: &Unlocked, id: EntryId) -> Result<(), VaultError> {
        fsutil::remove_if_present(&entries::draft_path(self.data_dir(), &keys.person.id, id))
    }
}

fn check_author(keys: &Unlocked, entry: &Entry) -> Result<(), VaultError> {
    if entry.author == keys.person.id {
        Ok(())
    } else {
        Err(wrong_author(keys, entry))
    }
}

fn wrong_author(keys: &Unlocked, entry: &Entry) -> VaultError {
    VaultError::WrongAuthor {
        name: keys.person.name.clone(),
        entry: entry.id,
    }
}
