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
//! The one thing read without the lock is the list of names ([`read_people`]), which
//! writes nothing.
//! Its methods live where they belong: `unlocking` (getting in, passphrases, recovery
//! codes), `people` (the list of people checked against each person's own record, and
//! rebuilt from it), `saving` (loading and saving entries, drafts and profiles).
//! The pieces under them: `fsutil` (atomic private writes, the lock, the temp sweep), `kdf` (the
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
mod people;
mod profile;
mod saving;
mod unlocking;

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};
use age::x25519;

use crate::domain::{Draft, Entry, EntryId, PersonId, Profile};
pub use crate::domain::{FileProblem, Person};

use config::Config;
pub use entries::Listing;
pub use error::VaultError;
pub use export_file::{parse_recipients, write_export};
pub use kdf::KdfCost;
use keys::{PersonKeys, Pin};
pub use people::{PeopleList, read_people};

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
    _folder_lock: Option<File>,
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
        let with_keys = people::with_key_files(dir)?;
        let (config, config_recovered) = Config::read_or_recover(
            &dir.join(CONFIG_FILE),
            !with_keys.is_empty(),
            &dir.join(entries::QUARANTINE),
        )?;
        let missing = people::unlisted(&config, with_keys);
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

    fn quarantine_dir(&self) -> PathBuf {
        self.data_dir().join(entries::QUARANTINE)
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
