//! The vault: everything mend keeps on disk, and the only module that touches `age`
//! or `std::fs` for user data.
//!
//! ```text
//! <data dir>/
//!   vault.toml                 plaintext: format version, people (display name, shared recipient)
//!   app.lock                   advisory lock held while mend runs; never renamed or replaced
//!   keys/<person>.age          scrypt(passphrase) -> that person's identities
//!   keys/<person>.age.bak      the last generation that opened (the previous during a change)
//!   keys/<person>.age.sums     SHA-256 of each intact generation (damage vs wrong passphrase)
//!   keys/<person>.recovery.age scrypt(recovery code) -> the same identities, if made
//!   keys/<person>.pins.age     their record of who is here (partners' keys, everyone's names), to the owner only
//!   entries/<uuid>.age         one entry per file, X25519-encrypted
//!   drafts/<person>/<uuid>.age in-progress answers, encrypted to the author only
//!   profiles/<person>.age      private settings (the role chosen), to the owner only
//!   cache/<person>.age         what the entry files held at the last load, to the owner only
//!   quarantine/                damaged files moved aside, never deleted
//! ```
//!
//! [`Vault`] is the open vault (it holds the lock); [`Unlocked`] is one person's keys.
//! The pieces: `fsutil` (atomic private writes, the lock, the temp sweep), `kdf` (the
//! key files' work factor), `config` (`vault.toml`), `keys` (key files and pins),
//! `crypt` (age, and which key opened a file), `entries` (entry and draft files),
//! `authorship` (who wrote an entry), `pad` (size buckets, so a file's size says
//! nothing of what it holds) and `error` (every message a person can see).
//!
//! Two checks cover what age alone cannot. *Pinning*: each key file records the
//! partners' shared recipients, trusted on first use, so a `vault.toml` edited to swap
//! in a stranger's key is refused at unlock instead of sealing shared answers to them.
//! *Authorship*: every entry carries a MAC only its author can make, and a shared one a
//! witness for each partner that only the two of them can make, so an entry that
//! merely claims to be yours or your partner's is set apart in [`Loaded::unconfirmed`]. And every file's header
//! carries marks saying whom it is for (`crypt::Marks`), so a damaged file of yours is
//! reported, never mistaken for a partner's private one.
//!
//! A load opens only the entry files that changed since the person's last load: the
//! rest come from their encrypted cache (`cache/<person>.age`, see `cache`), a copy
//! that sits beside `entries/` and never replaces it.

mod authorship;
mod cache;
mod config;
#[doc(hidden)]
pub mod conformance;
mod crypt;
mod entries;
mod error;
mod export_file;
mod fsutil;
mod kdf;
mod keys;
mod pad;
mod profile;

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};
use age::x25519;

use crate::content::Visibility;
use crate::domain::{Draft, Entry, EntryId, PersonId, Profile};
pub use crate::domain::{FileProblem, Person};

use config::Config;
pub use error::VaultError;
pub use export_file::{parse_recipients, write_export};
pub use kdf::KdfCost;
use keys::{PersonKeys, Pin};

/// The vault format this build writes and reads.
pub const VAULT_FORMAT: u32 = 1;

/// The plaintext list of people, relative to the data dir.
pub const CONFIG_FILE: &str = "vault.toml";
/// The advisory lock, relative to the data dir.
pub const LOCK_FILE: &str = "app.lock";
/// The folder of entry files, inside the data folder.
pub const ENTRIES_FOLDER: &str = entries::ENTRIES;
const KEYS: &str = "keys";

/// Where the vault lives. Built once from `directories` plus overrides and passed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    pub data_dir: PathBuf,
}

impl Paths {
    /// `override_dir` (from `--data-dir` or `MEND_DATA_DIR`) or the platform's local
    /// data dir (`data_local_dir`, never a roaming one that would sync secrets).
    pub fn resolve(override_dir: Option<PathBuf>) -> Result<Self, VaultError> {
        if let Some(dir) = override_dir {
            return Ok(Self::at(dir));
        }
        directories::ProjectDirs::from("", "", "mend")
            .map(|dirs| Self::at(dirs.data_local_dir()))
            .ok_or(VaultError::NoDataDir)
    }

    pub fn at(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
        }
    }
}

/// A person's keys, held only while they are unlocked. Dropping it forgets them.
pub struct Unlocked {
    pub person: Person,
    keys: PersonKeys,
    /// Set when unlocking had to put the key file back from its backup: what happened,
    /// for the person to be told.
    restored: Option<&'static str>,
    /// What unlocking found and repaired in `vault.toml` (a name edited, the list
    /// rebuilt), for the person to be told.
    people_notes: Vec<String>,
}

impl Unlocked {
    /// What unlocking repaired, if anything (the key file put back from its backup).
    #[must_use]
    pub fn restored(&self) -> Option<&'static str> {
        self.restored
    }

    /// What unlocking found wrong in `vault.toml` and put right (see
    /// [`Vault::confirm_people`]).
    #[must_use]
    pub fn people_notes(&self) -> &[String] {
        &self.people_notes
    }
}

impl fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unlocked")
            .field("person", &self.person)
            .finish_non_exhaustive()
    }
}

/// An encrypted file ready to be written: ciphertext only, safe to hold in memory.
#[derive(Clone, Debug)]
pub struct Sealed {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// A new entry cache for one person, in memory until written (its plaintext is wiped
/// when dropped, and never shown by `Debug`).
pub struct CacheUpdate {
    person: PersonId,
    to: x25519::Recipient,
    plain: age::secrecy::zeroize::Zeroizing<Vec<u8>>,
}

impl fmt::Debug for CacheUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CacheUpdate").finish_non_exhaustive()
    }
}

impl CacheUpdate {
    fn write(self, data_dir: &Path) -> Result<(), VaultError> {
        let path = cache::path(data_dir, &self.person);
        let sealed = cache::seal(&self.plain, &self.to)
            .map_err(|reason| VaultError::Encrypt { path, reason })?;
        drop(self.plain);
        cache::write(data_dir, &self.person, &sealed)
    }
}

/// What a person's unlock found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub drafts: Vec<Draft>,
    pub profile: Profile,
    /// Files that could not be read, or that are gone: something is missing.
    pub problems: Vec<FileProblem>,
    /// What the load set right without losing anything (loosened permissions set back).
    pub notices: Vec<FileProblem>,
    /// Entries whose author could not be confirmed: one that claims to be yours without
    /// your MAC, or to be a partner's without their witness for you. Never in
    /// `entries`: they are no one's words, and never go into a summary.
    pub unconfirmed: Vec<Entry>,
    /// Your own shared entries that a partner cannot confirm yet (written before
    /// witnesses existed): pass them to [`Vault::witness`].
    pub unwitnessed: Vec<EntryId>,
    /// How many entry files this load opened; the rest came from the cache.
    pub files_opened: usize,
    /// A new entry cache to write, when the files differed from the last one: pass it
    /// to [`Vault::write_cache_later`] (or drop it, and the next load works it out again).
    pub cache: Option<CacheUpdate>,
}

/// An open vault: holds `app.lock` for as long as it lives.
#[derive(Debug)]
pub struct Vault {
    paths: Paths,
    kdf: KdfCost,
    config: Config,
    /// The background write of an entry cache, if one is running.
    cache_writer: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Held, never read: the advisory lock lasts exactly as long as this file is open.
    _lock: File,
    /// The data folder, held open and locked for the same time (see [`Vault::open`]).
    _folder_lock: File,
    /// Set when `vault.toml` had to be put back from its copy at open.
    config_recovered: Option<config::Recovered>,
    /// People with a key file here whom `vault.toml` does not list: all of them when
    /// it was lost, or someone whose profile was being made when mend stopped.
    missing: Vec<PersonId>,
    /// Folders and files that other accounts could open when the vault was opened
    /// (they have been tightened since).
    loosened: Vec<PathBuf>,
    /// Those of them that could not be set back.
    still_open: Vec<PathBuf>,
}

impl Drop for Vault {
    fn drop(&mut self) {
        // A cache half written is harmless (a temp file, swept), but finishing it spares
        // the next unlock the work.
        self.wait_for_cache();
    }
}

impl Vault {
    /// Opens (creating if needed) the vault in `paths`, taking its lock and sweeping
    /// temp files left by a crash. `kdf` is the cost of key files this vault writes.
    pub fn open(paths: &Paths, kdf: KdfCost) -> Result<Self, VaultError> {
        let dir = &paths.data_dir;
        // Before anything is created: what someone loosened since mend last ran. A folder
        // with no vault in it yet has exposed nothing, so it is simply made private.
        let (loosened, still_open) = if dir.join(CONFIG_FILE).exists() {
            fsutil::tighten_loosened(dir, &dir.join(entries::ENTRIES))
        } else {
            (Vec::new(), Vec::new())
        };
        fsutil::ensure_private_dir(dir)?;
        // The folder itself is locked as well as app.lock: a file can be deleted or
        // replaced while it is held, which let a second mend in; the folder cannot be
        // while mend has it open. app.lock stays, so an older mend still sees the vault
        // as taken.
        let lock = fsutil::lock(&dir.join(LOCK_FILE))?;
        let folder_lock = fsutil::lock_folder(dir)?;
        for sub in [KEYS, entries::ENTRIES, entries::DRAFTS, profile::PROFILES] {
            fsutil::ensure_private_dir(&dir.join(sub))?;
        }
        let drafts = dir.join(entries::DRAFTS);
        let person_draft_dirs = fsutil::list(&drafts)?.into_iter().filter(|p| p.is_dir());
        let sweep: Vec<PathBuf> = [
            dir.clone(),
            dir.join(KEYS),
            // entries/ is swept by each load, which lists it anyway: starting up never
            // lists ten years of entries.
            dir.join(profile::PROFILES),
            dir.join(cache::CACHE),
            drafts.clone(),
        ]
        .into_iter()
        .chain(person_draft_dirs)
        .collect();
        for folder in &sweep {
            fsutil::sweep_temp_files(folder)?;
        }
        export_file::sweep_pending(dir);
        let with_keys: Vec<PersonId> = fsutil::list(&dir.join(KEYS))?
            .iter()
            .filter_map(|p| keys::owner_by_name(p))
            .collect();
        let (config, config_recovered) = Config::read_or_recover(
            &dir.join(CONFIG_FILE),
            !with_keys.is_empty(),
            &dir.join(entries::QUARANTINE),
        )?;
        let missing = with_keys
            .into_iter()
            .filter(|id| config.position(id).is_none())
            .collect();
        Ok(Self {
            paths: paths.clone(),
            kdf,
            config,
            cache_writer: std::sync::Mutex::new(None),
            _lock: lock,
            _folder_lock: folder_lock,
            loosened,
            still_open,
            config_recovered,
            missing,
        })
    }

    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.paths.data_dir
    }

    #[must_use]
    pub fn people(&self) -> &[Person] {
        &self.config.people
    }

    /// Where `person`'s key file is.
    #[must_use]
    /// An entry's file, relative to the data folder (as problems name files).
    pub fn entry_file(&self, id: EntryId) -> PathBuf {
        Path::new(ENTRIES_FOLDER).join(format!("{id}.age"))
    }

    pub fn key_file(&self, person: &PersonId) -> PathBuf {
        self.data_dir().join(KEYS).join(format!("{person}.age"))
    }

    /// Adds a profile: new keys sealed with `passphrase`, then the name in `vault.toml`.
    /// The key file is written first, so a crash never lists a person with no keys.
    pub fn create_person(
        &mut self,
        name: &str,
        passphrase: &SecretString,
    ) -> Result<Unlocked, VaultError> {
        let name = config::clean_name(name).ok_or(VaultError::NoName)?;
        if passphrase.expose_secret().is_empty() {
            return Err(VaultError::NoPassphrase);
        }
        let kdf = self.checked_kdf()?;
        let mut id = PersonId::random();
        while self.config.position(&id).is_some() {
            id = PersonId::random();
        }
        let mut keys = PersonKeys::generate();
        // Whoever is already here is pinned now, as this person first sees them.
        keys.pinned = self
            .others(&id)
            .map(|(person, shared)| Pin {
                person: person.id.clone(),
                shared: shared.clone(),
            })
            .collect();
        keys.names = self
            .config
            .people
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .chain([(id.clone(), name.clone())])
            .collect();
        keys::create(&self.key_file(&id), &id, &keys, passphrase, kdf)?;
        keys::write_pins(&self.key_file(&id), &keys)?;

        let person = Person { id, name };
        let mut people = self.config.people.clone();
        let mut shared = self.config.shared.clone();
        people.push(person.clone());
        shared.push(keys.shared.to_public());
        let config = Config::new(people, shared);
        config.write(&self.data_dir().join(CONFIG_FILE))?;
        self.config = config;
        Ok(Unlocked {
            person,
            keys,
            restored: None,
            people_notes: Vec::new(),
        })
    }

    /// Folders and files that other accounts on this computer could open when mend
    /// started; mend tightened them, and says so.
    pub fn loosened(&self) -> &[PathBuf] {
        &self.loosened
    }

    /// Those of [`Vault::loosened`] that mend could not set back.
    #[must_use]
    pub fn still_open(&self) -> &[PathBuf] {
        &self.still_open
    }

    /// What the person should be told about `vault.toml`, when opening had to put it
    /// back from its copy.
    #[must_use]
    pub fn config_notice(&self) -> Option<String> {
        self.config_recovered
            .as_ref()
            .and_then(config::Recovered::message)
    }

    /// The other person in the vault, if any (`None` too when `me` is not in it). Vaults
    /// hold one or two people today; with more, this is the first other one added.
    #[must_use]
    pub fn partner(&self, me: &PersonId) -> Option<&Person> {
        self.config.position(me)?;
        self.others(me).next().map(|(person, _)| person)
    }

    /// Everyone in `vault.toml` but `me`, with their shared recipient.
    fn others<'a>(
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
    fn partner_recipients(&self, me: &PersonId) -> Vec<x25519::Recipient> {
        self.others(me).map(|(_, r)| r.clone()).collect()
    }

    /// The cost of key files this vault writes, refused if mend cannot use it.
    fn checked_kdf(&self) -> Result<KdfCost, VaultError> {
        let log_n = self.kdf.log_n();
        if log_n == 0 || log_n > KdfCost::MAX_LOG_N {
            return Err(VaultError::BadKdfCost {
                value: log_n.to_string(),
                problem: "which mend cannot use",
                min: 1,
            });
        }
        Ok(self.kdf)
    }

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
    fn admit(
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
        let record = &opened.keys;
        let order: Vec<PersonId> = record
            .names
            .iter()
            .map(|(person, _)| person.clone())
            .chain([id.clone()])
            .chain(record.pinned.iter().map(|pin| pin.person.clone()))
            .collect();
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
        let config = Config::new(people, shared);
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

    /// Seals and writes the entry cache a load asked for (see `vault/cache.rs`), now.
    pub fn write_cache(&self, update: CacheUpdate) -> Result<(), VaultError> {
        update.write(self.data_dir())
    }

    /// Seals and writes the entry cache a load asked for on a background thread, after
    /// any earlier one has finished (so two never race on one file), so nobody waits
    /// for it. Best effort: without a cache the next unlock opens every file again.
    pub fn write_cache_later(&self, update: CacheUpdate) {
        let mut writer = self
            .cache_writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(earlier) = writer.take() {
            let _ = earlier.join();
        }
        let data_dir = self.data_dir().to_owned();
        *writer = Some(std::thread::spawn(move || {
            let _ = update.write(&data_dir);
        }));
    }

    /// Waits for a cache write still in progress (done before the vault closes, too).
    pub fn wait_for_cache(&self) {
        let handle = self
            .cache_writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }

    /// A swapped key file names its holder by id; people are told their name.
    fn name_holder(&self, error: VaultError) -> VaultError {
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
                    .find(|p| p.id.0 == holder)
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

    fn quarantine_dir(&self) -> PathBuf {
        self.data_dir().join(entries::QUARANTINE)
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

    /// Seals your own shared entries in `ids` again with a witness for each partner, so
    /// your partner's mend can confirm you wrote them (entries from before witnesses).
    pub fn witness(&self, keys: &Unlocked, ids: &[EntryId]) -> Result<(), VaultError> {
        let ids: HashSet<EntryId> = ids.iter().copied().collect();
        self.reseal_shared(&keys.person.id, &keys.keys, Some(&ids))
    }

    fn reseal_shared(
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
        );
        let cache = new_cache.map(|plain| CacheUpdate {
            person: keys.person.id.clone(),
            to: keys.keys.private.to_public(),
            plain,
        });
        let finished: HashSet<EntryId> = entries.iter().map(|e| e.id).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry as vaults before witnesses saved it: shared, with the author's MAC but
    /// no witness for the partner. The partner cannot confirm it until the author's next
    /// load finds it unwitnessed and `witness` seals it again.
    #[test]
    fn a_shared_entry_from_before_witnesses_is_confirmed_once_its_author_reseals_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = Vault::open(&Paths::at(dir.path()), KdfCost::for_tests(10)).unwrap();
        let alex = vault
            .create_person("Alex", &SecretString::from("a"))
            .unwrap();
        let blair = vault
            .create_person("Blair", &SecretString::from("b"))
            .unwrap();
        let entry = toml::from_str::<Entry>(&format!(
            "format = 1\nid = \"{}\"\nauthor = \"{}\"\ncreated = \"2025-01-01T00:00:00Z\"\n\
             updated = \"2025-01-01T00:00:00Z\"\nvisibility = \"shared\"\nanswers = []\n\
             [exercise]\nworkbook = \"w\"\nworkbook_version = \"1\"\nmodule = \"m\"\n\
             exercise = \"e\"\nmodule_title = \"M\"\nexercise_title = \"E\"\n",
            EntryId::random(),
            alex.person.id
        ))
        .unwrap();
        let path = entries::entry_path(vault.data_dir(), entry.id);
        let mut old = entry.clone();
        old.mac = Some(authorship::sign(&old, &alex.keys.private).unwrap());
        entries::seal_to(
            &path,
            &vault.config.shared,
            &crypt::Marks::shared(&alex.keys.private, &vault.config.shared),
            &entries::to_toml(&old, &path).unwrap(),
        )
        .unwrap();

        assert_eq!(vault.load(&blair).unconfirmed.len(), 1, "no witness yet");
        let mine = vault.load(&alex);
        assert_eq!(mine.entries, vec![entry.clone()], "Alex's own, by its MAC");
        assert_eq!(mine.unwitnessed, vec![entry.id]);
        vault.witness(&alex, &mine.unwitnessed).unwrap();
        let seen = vault.load(&blair);
        assert!(seen.unconfirmed.is_empty());
        assert_eq!(seen.entries, vec![entry]);
        assert!(vault.load(&alex).unwitnessed.is_empty(), "sealed once");
    }

    #[test]
    fn the_private_recipient_is_never_written_in_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = Vault::open(&Paths::at(dir.path()), KdfCost::for_tests(10)).unwrap();
        let alex = vault
            .create_person("Alex", &SecretString::from("p"))
            .unwrap();
        let entry = toml::from_str::<Entry>(&format!(
            "format = 1\nid = \"{}\"\nauthor = \"{}\"\ncreated = \"2025-01-01T00:00:00Z\"\n\
             updated = \"2025-01-01T00:00:00Z\"\nvisibility = \"private\"\nanswers = []\n\
             [exercise]\nworkbook = \"w\"\nworkbook_version = \"1\"\nmodule = \"m\"\n\
             exercise = \"e\"\nmodule_title = \"M\"\nexercise_title = \"E\"\n",
            EntryId::random(),
            alex.person.id
        ))
        .unwrap();
        vault.save_entry(&alex, &entry).unwrap();
        let private = alex.keys.private.to_public().to_string();
        let shared = alex.keys.shared.to_public().to_string();
        let config = std::fs::read_to_string(dir.path().join(CONFIG_FILE)).unwrap();
        assert!(
            config.contains(&shared),
            "the check below must be able to see a key"
        );
        for folder in [".", KEYS, entries::ENTRIES] {
            for path in fsutil::list(&dir.path().join(folder)).unwrap() {
                if path.is_file() {
                    let bytes = std::fs::read(&path).unwrap();
                    let found = bytes
                        .windows(private.len())
                        .any(|w| w == private.as_bytes());
                    assert!(!found, "private recipient in {}", path.display());
                }
            }
        }
    }

    #[test]
    fn an_override_dir_is_used_as_is() {
        let paths = Paths::resolve(Some(PathBuf::from("/tmp/x"))).unwrap();
        assert_eq!(paths.data_dir, PathBuf::from("/tmp/x"));
    }
}
