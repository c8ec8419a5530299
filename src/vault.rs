//! The vault: everything mend keeps on disk, and the only module that touches `age`
//! or `std::fs` for user data. (stub: API fixed, bodies being written)
//!
//! ```text
//! <data dir>/
//!   vault.toml                 plaintext: format version, people (display name, shared recipient)
//!   app.lock                   advisory lock held while mend runs; never renamed or replaced
//!   keys/<person>.age          scrypt(passphrase) -> that person's identities
//!   keys/<person>.age.bak      previous generation
//!   entries/<uuid>.age         one entry per file, X25519-encrypted
//!   drafts/<person>/<uuid>.age in-progress answers, encrypted to the author only
//!   quarantine/                damaged files moved aside, never deleted
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;

use crate::entry::{Draft, Entry, EntryId, PersonId};

/// The vault format this build writes and reads.
pub const VAULT_FORMAT: u32 = 1;

/// Where the vault lives. Built once from `directories` plus overrides and passed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    pub data_dir: PathBuf,
}

impl Paths {
    /// `override_dir` (from `--data-dir` or `MEND_DATA_DIR`) or the platform's local
    /// data dir (`data_local_dir`, never a roaming one that would sync secrets).
    pub fn resolve(override_dir: Option<PathBuf>) -> Result<Self, VaultError> {
        let _ = override_dir;
        todo!()
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

    pub const fn release() -> Self {
        Self {
            log_n: Self::RELEASE_LOG_N,
        }
    }

    /// A cheap cost for tests.
    pub const fn for_tests(log_n: u8) -> Self {
        Self { log_n }
    }

    /// The release cost, or `MEND_KDF_LOG_N` where set; release builds refuse values
    /// below [`Self::RELEASE_LOG_N`].
    pub fn from_env() -> Result<Self, VaultError> {
        todo!()
    }

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
    pub problems: Vec<FileProblem>,
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("stub")]
    Stub,
}

/// An open vault: holds `app.lock` for as long as it lives.
#[derive(Debug)]
pub struct Vault {
    paths: Paths,
}

impl Vault {
    pub fn open(paths: &Paths, kdf: KdfCost) -> Result<Self, VaultError> {
        let _ = (paths, kdf);
        todo!()
    }

    pub fn data_dir(&self) -> &Path {
        &self.paths.data_dir
    }

    pub fn people(&self) -> &[Person] {
        todo!()
    }

    pub fn create_person(
        &mut self,
        name: &str,
        passphrase: &SecretString,
    ) -> Result<Unlocked, VaultError> {
        let _ = (name, passphrase);
        todo!()
    }

    pub fn unlock(
        &self,
        person: &PersonId,
        passphrase: &SecretString,
    ) -> Result<Unlocked, VaultError> {
        let _ = (person, passphrase);
        todo!()
    }

    pub fn load(&self, keys: &Unlocked) -> Loaded {
        let _ = keys;
        todo!()
    }

    pub fn save_entry(&self, keys: &Unlocked, entry: &Entry) -> Result<(), VaultError> {
        let _ = (keys, entry);
        todo!()
    }

    pub fn save_draft(&self, keys: &Unlocked, draft: &Draft) -> Result<(), VaultError> {
        let _ = (keys, draft);
        todo!()
    }

    pub fn delete_draft(&self, keys: &Unlocked, id: EntryId) -> Result<(), VaultError> {
        let _ = (keys, id);
        todo!()
    }
}
