//! The vault: everything mend keeps on disk, and the only module that touches `age`
//! or `std::fs` for user data.
//!
//! ```text
//! <data dir>/
//!   vault.toml                 plaintext: format version, people (display name, shared recipient)
//!   app.lock                   advisory lock held while mend runs; never renamed or replaced
//!   keys/<person>.age          scrypt(passphrase) -> that person's identities
//!   keys/<person>.age.bak      previous generation
//!   entries/<uuid>.age         one entry per file, X25519-encrypted
//!   drafts/<person>/<uuid>.age in-progress answers, encrypted to the author only
//!   profiles/<person>.age      private settings (the role chosen), to the owner only
//!   quarantine/                damaged files moved aside, never deleted
//! ```
//!
//! [`Vault`] is the open vault (it holds the lock); [`Unlocked`] is one person's keys.
//! The pieces: `fsutil` (atomic private writes, the lock, the temp sweep), `config`
//! (`vault.toml`), `keys` (key files), `crypt` (age, and which key opened a file),
//! `entries` (entry and draft files) and `error` (every message a person can see).
//!
//! Every load decrypts every entry file (about 80 µs each). That is simple and always
//! correct; an encrypted index that avoids it for very large vaults is a later step
//! (see DESIGN.md, "Opening at scale") and would sit beside `entries`, not replace it.

mod config;
mod crypt;
mod entries;
mod error;
mod fsutil;
mod keys;
mod profile;

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};

use crate::content::Visibility;
use crate::entry::{Draft, Entry, EntryId, PersonId, Profile};

use config::Config;
pub use error::VaultError;
use keys::PersonKeys;

/// The vault format this build writes and reads.
pub const VAULT_FORMAT: u32 = 1;

/// The plaintext list of people, relative to the data dir.
pub const CONFIG_FILE: &str = "vault.toml";
/// The advisory lock, relative to the data dir.
pub const LOCK_FILE: &str = "app.lock";
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

/// The scrypt work factor for key files: fixed and documented, never calibrated per
/// machine (a vault made on a fast machine must open on a slow one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfCost {
    log_n: u8,
}

impl KdfCost {
    /// log2 of scrypt's N for every key file a release build writes.
    pub const RELEASE_LOG_N: u8 = 18;
    /// The most work an unlock will attempt: a key file asking for more was not made by
    /// mend (or was changed), and would take minutes and gigabytes to try.
    pub const MAX_LOG_N: u8 = 22;

    #[must_use]
    pub const fn release() -> Self {
        Self {
            log_n: Self::RELEASE_LOG_N,
        }
    }

    /// A cheap cost for tests.
    #[must_use]
    pub const fn for_tests(log_n: u8) -> Self {
        Self { log_n }
    }

    /// The release cost, or `MEND_KDF_LOG_N` where set; release builds refuse values
    /// below [`Self::RELEASE_LOG_N`].
    pub fn from_env() -> Result<Self, VaultError> {
        match std::env::var("MEND_KDF_LOG_N") {
            Err(std::env::VarError::NotPresent) => Ok(Self::release()),
            Err(std::env::VarError::NotUnicode(value)) => Err(VaultError::BadKdfCost {
                value: value.to_string_lossy().into_owned(),
                problem: "which is not a number",
                min: Self::min_log_n(!cfg!(debug_assertions)),
            }),
            Ok(value) => Self::parse(&value, !cfg!(debug_assertions)),
        }
    }

    /// Parses a `MEND_KDF_LOG_N` value; `release_build` applies the safe floor.
    fn parse(value: &str, release_build: bool) -> Result<Self, VaultError> {
        let min = Self::min_log_n(release_build);
        let bad = |problem| VaultError::BadKdfCost {
            value: value.to_owned(),
            problem,
            min,
        };
        let log_n: u8 = value
            .trim()
            .parse()
            .map_err(|_| bad("which is not a whole number"))?;
        if log_n > Self::MAX_LOG_N {
            Err(bad(
                "which is more work than mend will ever attempt to unlock",
            ))
        } else if log_n < min && release_build {
            Err(bad(
                "which is below the safe floor for release builds (only test builds accept it)",
            ))
        } else if log_n < min {
            Err(bad("which is too small (scrypt needs at least 1)"))
        } else {
            Ok(Self { log_n })
        }
    }

    const fn min_log_n(release_build: bool) -> u8 {
        if release_build {
            Self::RELEASE_LOG_N
        } else {
            1
        }
    }

    #[must_use]
    pub fn log_n(self) -> u8 {
        self.log_n
    }
}

/// Someone with a profile in this vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
}

/// A person's keys, held only while they are unlocked. Dropping it forgets them.
pub struct Unlocked {
    pub person: Person,
    keys: PersonKeys,
}

impl fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unlocked")
            .field("person", &self.person)
            .finish_non_exhaustive()
    }
}

/// A file that could not be read, reported to the person and set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    /// Path relative to the data dir, e.g. `entries/3f2c....age`.
    pub file: PathBuf,
    /// A plain sentence: what happened and what was done about it.
    pub message: String,
}

/// What a person's unlock found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub drafts: Vec<Draft>,
    pub profile: Profile,
    /// Entries that claim to be this person's but were not written with their keys.
    pub suspect: Vec<EntryId>,
    pub problems: Vec<FileProblem>,
}

/// An open vault: holds `app.lock` for as long as it lives.
#[derive(Debug)]
pub struct Vault {
    paths: Paths,
    kdf: KdfCost,
    config: Config,
    /// Held, never read: the advisory lock lasts exactly as long as this file is open.
    _lock: File,
}

impl Vault {
    /// Opens (creating if needed) the vault in `paths`, taking its lock and sweeping
    /// temp files left by a crash. `kdf` is the cost of key files this vault writes.
    pub fn open(paths: &Paths, kdf: KdfCost) -> Result<Self, VaultError> {
        let dir = &paths.data_dir;
        fsutil::ensure_private_dir(dir)?;
        let lock = fsutil::lock(&dir.join(LOCK_FILE))?;
        for sub in [KEYS, entries::ENTRIES, entries::DRAFTS, profile::PROFILES] {
            fsutil::ensure_private_dir(&dir.join(sub))?;
        }
        let drafts = dir.join(entries::DRAFTS);
        let person_draft_dirs = fsutil::list(&drafts)?.into_iter().filter(|p| p.is_dir());
        let sweep: Vec<PathBuf> = [
            dir.clone(),
            dir.join(KEYS),
            dir.join(entries::ENTRIES),
            dir.join(profile::PROFILES),
            drafts.clone(),
        ]
        .into_iter()
        .chain(person_draft_dirs)
        .collect();
        for folder in &sweep {
            fsutil::sweep_temp_files(folder)?;
        }
        let config = Config::read(&dir.join(CONFIG_FILE))?;
        Ok(Self {
            paths: paths.clone(),
            kdf,
            config,
            _lock: lock,
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
        let kdf = self.kdf.log_n();
        if kdf == 0 || kdf > KdfCost::MAX_LOG_N {
            return Err(VaultError::BadKdfCost {
                value: kdf.to_string(),
                problem: "which mend cannot use",
                min: 1,
            });
        }
        let mut id = PersonId::random();
        while self.config.position(&id).is_some() {
            id = PersonId::random();
        }
        let keys = PersonKeys::generate();
        keys::write(&self.key_file(&id), &id, &keys, passphrase, self.kdf)?;

        let person = Person { id, name };
        let mut people = self.config.people.clone();
        let mut shared = self.config.shared.clone();
        people.push(person.clone());
        shared.push(keys.shared.to_public());
        let config = Config { people, shared };
        config.write(&self.data_dir().join(CONFIG_FILE))?;
        self.config = config;
        Ok(Unlocked { person, keys })
    }

    /// Opens `person`'s key file with `passphrase` (about a second at the release cost)
    /// and checks it against `vault.toml`.
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
        let keys = keys::read(&self.key_file(&person.id), &person, passphrase)?;
        // vault.toml is plaintext: if someone swapped this person's shared recipient,
        // shared answers would be sealed to a stranger. Refuse before anything is saved.
        if keys.shared.to_public().to_string() != self.config.shared[index].to_string() {
            return Err(VaultError::RecipientMismatch {
                name: person.name,
                path: config_path,
            });
        }
        Ok(Unlocked { person, keys })
    }

    /// Every entry and draft `keys` can open. Never fails as a whole: each file that
    /// cannot be read becomes a [`FileProblem`]; files addressed only to someone else
    /// are skipped without a trace.
    #[must_use]
    pub fn load(&self, keys: &Unlocked) -> Loaded {
        let (entries, mut problems) = entries::load_entries(self.data_dir(), &keys.keys);
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
            suspect: Vec::new(),
            problems,
        }
    }

    /// Encrypts and writes `entry` (replacing any earlier save of the same id).
    /// Private: sealed to the author alone. Shared: to every person in the vault.
    pub fn save_entry(&self, keys: &Unlocked, entry: &Entry) -> Result<(), VaultError> {
        check_author(keys, entry)?;
        let path = entries::entry_path(self.data_dir(), entry.id);
        let plain = entries::to_toml(entry, &path)?;
        match entry.visibility {
            Visibility::Private => {
                entries::seal_to(&path, &[keys.keys.private.to_public()], &plain)
            }
            Visibility::Shared => entries::seal_to(&path, &self.config.shared, &plain),
        }
    }

    /// Encrypts and writes `draft` to its author alone.
    pub fn save_draft(&self, keys: &Unlocked, draft: &Draft) -> Result<(), VaultError> {
        check_author(keys, &draft.entry)?;
        fsutil::ensure_private_dir(&entries::draft_dir(self.data_dir(), &keys.person.id))?;
        let path = entries::draft_path(self.data_dir(), &keys.person.id, draft.entry.id);
        let plain = entries::to_toml(draft, &path)?;
        entries::seal_to(&path, &[keys.keys.private.to_public()], &plain)
    }

    /// Encrypts and writes `profile` (the person's private settings) to its owner alone.
    pub fn save_profile(&self, keys: &Unlocked, profile: &Profile) -> Result<(), VaultError> {
        profile::save(self.data_dir(), &keys.person.id, &keys.keys, profile)
    }

    /// The other person in the vault, if any.
    pub fn partner(&self, me: &PersonId) -> Option<&Person> {
        self.config.people.iter().find(|p| &p.id != me)
    }

    /// Re-encrypts the author's own entry to the recipients of `visibility`.
    pub fn set_visibility(
        &self,
        keys: &Unlocked,
        entry: &Entry,
        visibility: Visibility,
    ) -> Result<Entry, VaultError> {
        let mut entry = entry.clone();
        entry.visibility = visibility;
        self.save_entry(keys, &entry)?;
        Ok(entry)
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
        Err(VaultError::WrongAuthor {
            name: keys.person.name.clone(),
            entry: entry.id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kdf_cost_parsing_applies_the_release_floor() {
        let cases = [
            ("18", true, Some(18)),
            ("22", true, Some(22)),
            ("17", true, None),
            ("10", false, Some(10)),
            ("1", false, Some(1)),
            ("0", false, None),
            ("23", false, None),
            ("ten", false, None),
            ("", true, None),
        ];
        for (value, release, expected) in cases {
            let got = KdfCost::parse(value, release).ok().map(KdfCost::log_n);
            assert_eq!(got, expected, "MEND_KDF_LOG_N={value:?} release={release}");
        }
    }

    #[test]
    fn release_floor_message_says_what_to_do() {
        let err = KdfCost::parse("12", true).unwrap_err().to_string();
        assert!(err.contains("'12'") && err.contains("Unset it"), "{err}");
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
