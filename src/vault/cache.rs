//! `cache/<person>.age`: what a person's entry files held when last opened, so an unlock
//! decrypts only the files that changed since, not all ten years of them.
//!
//! The cache is one age file sealed to the person's *private* recipient (never on disk
//! in plaintext, so only they could have written it, and only they can read it; stock
//! `age` opens it like any of their files). Inside is JSON: for every file in
//! `entries/`, its name, a stamp (inode, length, modification time) and what it held:
//! an entry this person may read (as a load returns it, with its authorship verdict)
//! or "not theirs" (a partner's private entry). A file whose stamp differs from the
//! cached one is opened afresh: every save writes a new file and renames it into
//! place, which changes the inode and the time, so a changed file is never served from
//! the cache. Files that fail to open are never cached, so damage is reported at every
//! load until it is dealt with.
//!
//! The cache is only ever a copy. A missing, damaged, foreign or older-format cache is
//! ignored and rebuilt; deleting the folder loses nothing. Writing it (O(vault)) happens
//! on a background thread after a load that found changes, so neither unlocking nor
//! saving waits for it.

use std::collections::HashMap;
use std::fs;
use std::iter;
use std::path::{Path, PathBuf};

use age::secrecy::zeroize::Zeroizing;
use age::x25519;
use serde::{Deserialize, Serialize};

use super::crypt::{self, Opened};
use super::{VaultError, fsutil};
use crate::entry::{Entry, PersonId};

pub(crate) const CACHE: &str = "cache";
/// Bumped whenever what is cached changes shape or meaning; an older cache is rebuilt.
const CACHE_FORMAT: u32 = 1;

pub(crate) fn path(data_dir: &Path, person: &PersonId) -> PathBuf {
    data_dir.join(CACHE).join(format!("{person}.age"))
}

/// What identifies one version of a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    ino: u64,
    len: u64,
    mtime: i64,
    mtime_nsec: i64,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Self {
            ino: meta.ino(),
            len: meta.len(),
            mtime: meta.mtime(),
            mtime_nsec: meta.mtime_nsec(),
        }
    }
}

/// What one entry file held for this person.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) enum Held {
    /// Addressed to someone else: skipped, as a load skips it.
    NotMine,
    /// An entry as a load returns it (MAC cleared, visibility from the key that opened
    /// it), and whether it claims this person as author without their MAC.
    Entry { entry: Box<Entry>, suspect: bool },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Cached {
    pub name: String,
    pub stamp: Stamp,
    pub held: Held,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    files: Vec<Cached>,
}

/// The cached files by name; empty when there is no usable cache.
pub(crate) fn read(
    data_dir: &Path,
    person: &PersonId,
    private: &x25519::Identity,
) -> HashMap<String, Cached> {
    let Ok(bytes) = fs::read(path(data_dir, person)) else {
        return HashMap::new();
    };
    let Opened::Plain { bytes, .. } = crypt::decrypt(&bytes, None, private) else {
        return HashMap::new();
    };
    match serde_json::from_slice::<CacheFile>(&bytes) {
        Ok(file) if file.format == CACHE_FORMAT => file
            .files
            .into_iter()
            .map(|cached| (cached.name.clone(), cached))
            .collect(),
        _ => HashMap::new(),
    }
}

/// One file as the cache records it, borrowing the loaded entry (no copy is made).
#[derive(Serialize)]
pub(crate) struct CachedRef<'a> {
    pub name: &'a str,
    pub stamp: Stamp,
    pub held: HeldRef<'a>,
}

/// [`Held`], borrowed; serialises to the same JSON.
#[derive(Serialize)]
pub(crate) enum HeldRef<'a> {
    NotMine,
    Entry { entry: &'a Entry, suspect: bool },
}

/// The cache's plaintext for `files` (JSON), wiped when dropped.
pub(crate) fn to_json(files: &[CachedRef<'_>]) -> Result<Zeroizing<Vec<u8>>, String> {
    #[derive(Serialize)]
    struct Out<'a> {
        format: u32,
        files: &'a [CachedRef<'a>],
    }
    serde_json::to_vec(&Out {
        format: CACHE_FORMAT,
        files,
    })
    .map(Zeroizing::new)
    .map_err(|e| e.to_string())
}

/// `plain` sealed for the cache file.
pub(crate) fn seal(plain: &[u8], to: &x25519::Recipient) -> Result<Vec<u8>, String> {
    crypt::encrypt(iter::once(to as &dyn age::Recipient), plain)
}

/// Writes the cache atomically (its folder made private first).
pub(crate) fn write(data_dir: &Path, person: &PersonId, sealed: &[u8]) -> Result<(), VaultError> {
    fsutil::ensure_private_dir(&data_dir.join(CACHE))?;
    fsutil::write_atomic(&path(data_dir, person), sealed)
}
