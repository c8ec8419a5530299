//! Key files: `keys/<person>.age`, one person's two X25519 identities sealed with their
//! passphrase (age's scrypt recipient at a fixed work factor).
//!
//! The *shared* identity opens answers shared between partners; its public recipient is
//! listed in `vault.toml`. The *private* identity opens answers only its owner may read;
//! its recipient is never written anywhere in plaintext, so nobody else can plant a file
//! that opens as "your private entry". Unlocking classifies every way this can fail
//! (missing, empty, damaged, wrong passphrase, excessive work, newer format) so the
//! person is told the one thing that helps.
//!
//! A key file also *pins* each partner's shared recipient (`# partner:` lines), because
//! `vault.toml` is plaintext and anyone with the folder could swap a partner's key for
//! their own. Pinning is trust on first use: a partner who is in `vault.toml` but not yet
//! pinned (they joined since this person last unlocked, or the key file predates
//! pinning) is pinned at the next unlock, by re-sealing this file with the same
//! passphrase; after that, a different key for them is refused (see `Vault::unlock`).
//! Trust on first use cannot tell a partner who really joined from a person entry
//! someone added to `vault.toml` by hand: the first unlock after either pins it.

use std::fs;
use std::io::{self, Read};
use std::iter;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::zeroize::{Zeroize, Zeroizing};
use age::secrecy::{ExposeSecret, SecretString};
use age::{DecryptError, Decryptor, scrypt, x25519};

use super::{KdfCost, Person, VaultError, crypt, fsutil};
use crate::domain::PersonId;

mod recovery;
mod sums;

pub(crate) use recovery::{new_recovery_code, normalise_code, open_recovery, recovery_path};
pub(crate) use sums::owner_by_name;
use sums::{digest, intact, listed, read_sums, swapped, write_sums};

/// The plaintext format inside a key file.
pub(crate) const KEY_FORMAT: u32 = 1;

/// One person's identities. Deliberately neither `Debug` nor `Clone`: it is secret, and
/// exists once, inside [`Unlocked`](super::Unlocked).
pub(crate) struct PersonKeys {
    pub shared: x25519::Identity,
    pub private: x25519::Identity,
    /// The partners' shared recipients as this person first saw them.
    pub pinned: Vec<Pin>,
    /// Everyone's name as this person first saw it (their own as they chose it), in
    /// the vault's order: kept in the pins file, so a name edited in `vault.toml` is
    /// caught at the next unlock and the list can be rebuilt if `vault.toml` is lost.
    pub names: Vec<(PersonId, String)>,
}

/// A partner's shared recipient, recorded in this person's own key file.
#[derive(Clone)]
pub(crate) struct Pin {
    pub person: PersonId,
    pub shared: x25519::Recipient,
}

impl PersonKeys {
    pub fn generate() -> Self {
        Self {
            shared: x25519::Identity::generate(),
            private: x25519::Identity::generate(),
            pinned: Vec::new(),
            names: Vec::new(),
        }
    }

    /// The name recorded for `person`, if any.
    pub fn name_of(&self, person: &PersonId) -> Option<&str> {
        self.names
            .iter()
            .find(|(id, _)| id == person)
            .map(|(_, name)| name.as_str())
    }

    /// The recipient pinned for `person`, if any.
    pub fn pinned_for(&self, person: &PersonId) -> Option<&x25519::Recipient> {
        self.pinned
            .iter()
            .find(|pin| &pin.person == person)
            .map(|pin| &pin.shared)
    }
}

/// What is sealed inside a key file. Wiped from memory when dropped.
///
/// The plaintext is an age identity file, so the stock tool can use a key file as it
/// is: `age -d -i keys/<person>.age entries/<id>.age` asks for the passphrase and
/// opens the entry. mend's own facts ride in `# name: value` comment lines, which age
/// ignores:
///
/// ```text
/// # mend key file. The first key opens entries shared with a partner; the second opens private ones.
/// # format: 1
/// # person: 3f2c9a1b7d4e
/// # partner: 9b1e2d3c4a5f age1...
/// AGE-SECRET-KEY-1...
/// AGE-SECRET-KEY-1...
/// ```
struct KeyFilePayload {
    format: u32,
    person: PersonId,
    /// `(person id, shared recipient)` text of each pinned partner; absent in key files
    /// written before pinning existed, which still open.
    partners: Vec<(String, String)>,
    shared_identity: String,
    private_identity: String,
}

impl Drop for KeyFilePayload {
    fn drop(&mut self) {
        self.shared_identity.zeroize();
        self.private_identity.zeroize();
    }
}

impl KeyFilePayload {
    fn to_text(&self) -> Zeroizing<String> {
        let mut partners = String::new();
        for (person, recipient) in &self.partners {
            for part in ["# partner: ", person, " ", recipient, "\n"] {
                partners.push_str(part);
            }
        }
        Zeroizing::new(format!(
            "# mend key file. The first key opens entries shared with a partner; the second opens private ones.\n# format: {}\n# person: {}\n{partners}{}\n{}\n",
            self.format, self.person, self.shared_identity, self.private_identity
        ))
    }

    /// Reads the text back; `None` when it is not a key file's shape.
    fn parse(text: &str) -> Option<Self> {
        let mut format = None;
        let mut person = None;
        let mut partners = Vec::new();
        let mut identities = Vec::new();
        for line in text.lines().map(str::trim) {
            if let Some(value) = line.strip_prefix("# format:") {
                format = value.trim().parse().ok();
            } else if let Some(value) = line.strip_prefix("# person:") {
                person = Some(PersonId(value.trim().into()));
            } else if let Some(value) = line.strip_prefix("# partner:") {
                let (id, recipient) = value.trim().split_once(' ')?;
                partners.push((id.to_owned(), recipient.trim().to_owned()));
            } else if line.starts_with("AGE-SECRET-KEY-") {
                identities.push(line.to_owned());
            }
        }
        let [shared_identity, private_identity]: [String; 2] = identities.try_into().ok()?;
        Some(Self {
            format: format?,
            person: person?,
            partners,
            shared_identity,
            private_identity,
        })
    }
}

/// Where a key file's previous generation is kept.
pub(crate) fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    PathBuf::from(name)
}

/// Seals `keys` with `passphrase` at `kdf`: the bytes of a key file.
pub(crate) fn seal(
    path: &Path,
    person: &PersonId,
    keys: &PersonKeys,
    passphrase: &SecretString,
    kdf: KdfCost,
) -> Result<Vec<u8>, VaultError> {
    let payload = KeyFilePayload {
        format: KEY_FORMAT,
        person: person.clone(),
        partners: keys
            .pinned
            .iter()
            .map(|pin| (pin.person.0.to_string(), pin.shared.to_string()))
            .collect(),
        shared_identity: keys.shared.to_string().expose_secret().to_owned(),
        private_identity: keys.private.to_string().expose_secret().to_owned(),
    };
    let plain = payload.to_text();
    let mut recipient = scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(kdf.log_n());
    crypt::encrypt(
        iter::once(&recipient as &dyn age::Recipient),
        plain.as_bytes(),
    )
    .map_err(|reason| VaultError::Encrypt {
        path: path.to_owned(),
        reason,
    })
}

/// Writes a new person's first key file, and a copy of it as the backup.
pub(crate) fn create(
    path: &Path,
    person: &PersonId,
    keys: &PersonKeys,
    passphrase: &SecretString,
    kdf: KdfCost,
) -> Result<(), VaultError> {
    let sealed = seal(path, person, keys, passphrase, kdf)?;
    commit(path, &sealed)?;
    settle(path)
}

/// Re-seals an existing key file (a new pin, or a new passphrase), keeping the current
/// generation as `<path>.bak` until the new one has opened. Every write is atomic and
/// the checksums list both generations while both may be in use, so a crash at any
/// point leaves a key file that opens with the old passphrase or the new one.
pub(crate) fn reseal(
    path: &Path,
    person: &PersonId,
    keys: &PersonKeys,
    passphrase: &SecretString,
    kdf: KdfCost,
) -> Result<(), VaultError> {
    let sealed = seal(path, person, keys, passphrase, kdf)?;
    let current = fs::read(path).map_err(VaultError::io("read the key file", path))?;
    let mut known = listed(path).unwrap_or_default();
    known.push(digest(&current));
    known.push(digest(&sealed));
    write_sums(path, &known)?;
    fsutil::write_atomic(&backup_path(path), &current)?;
    commit(path, &sealed)
}

/// Makes the backup a copy of the key file as it is now, once it has opened: after a
/// passphrase change the backup must not go on opening with the old passphrase.
pub(crate) fn settle(path: &Path) -> Result<(), VaultError> {
    let current = fs::read(path).map_err(VaultError::io("read the key file", path))?;
    let backup = backup_path(path);
    if fs::read(&backup).ok().as_deref() != Some(&current[..]) {
        fsutil::write_atomic(&backup, &current)?;
    }
    let hash = digest(&current);
    let up_to_date = read_sums(path)
        .is_some_and(|sums| sums.hashes == [hash.clone()] && sums.person == owner_by_name(path));
    if !up_to_date {
        write_sums(path, &[hash])?;
    }
    Ok(())
}

/// Writes `sealed` as the key file, its checksum listed first (beside any still listed).
fn commit(path: &Path, sealed: &[u8]) -> Result<(), VaultError> {
    let mut known = listed(path).unwrap_or_default();
    known.push(digest(sealed));
    write_sums(path, &known)?;
    fsutil::write_atomic(path, sealed)
}

/// Where a person's pins are kept apart from the key file: `keys/<person>.pins.age`,
/// sealed to their private recipient (never on disk in plaintext, so only they could
/// have written it). A recovery file holds the pins of the day its code was made; a
/// recovery adds these, so a partner pinned since is still checked, never re-pinned
/// from a `vault.toml` someone may have changed.
///
/// The same file records everyone's names (`# name <id> <name>` lines, which a mend
/// from before them skips): this person's own record of who is in the vault.
pub(crate) fn pins_path(key_file: &Path) -> PathBuf {
    key_file.with_extension("pins.age")
}

/// Writes `keys`' pins to the pins file.
pub(crate) fn write_pins(key_file: &Path, keys: &PersonKeys) -> Result<(), VaultError> {
    let path = pins_path(key_file);
    let mut text = String::new();
    for pin in &keys.pinned {
        for part in [&*pin.person.0, " ", &pin.shared.to_string(), "\n"] {
            text.push_str(part);
        }
    }
    for (person, name) in &keys.names {
        for part in [NAME_LINE, &*person.0, " ", name, "\n"] {
            text.push_str(part);
        }
    }
    let to = keys.private.to_public();
    let sealed = crypt::encrypt(iter::once(&to as &dyn age::Recipient), text.as_bytes()).map_err(
        |reason| VaultError::Encrypt {
            path: path.clone(),
            reason,
        },
    )?;
    fsutil::write_atomic(&path, &sealed)
}

const NAME_LINE: &str = "# name ";

/// Adds the pins and names in the pins file to `keys` (one there wins over an older
/// one). A missing or unreadable pins file adds nothing.
pub(crate) fn merge_pins(key_file: &Path, keys: &mut PersonKeys) {
    let Ok(bytes) = fs::read(pins_path(key_file)) else {
        return;
    };
    let crypt::Opened::Plain { bytes, .. } = crypt::decrypt(&bytes, None, &keys.private) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return;
    };
    for line in text.lines() {
        if let Some(record) = line.strip_prefix(NAME_LINE) {
            if let Some((id, name)) = record.split_once(' ')
                && let Some(name) = super::config::clean_name(name)
            {
                let person = PersonId(id.into());
                match keys.names.iter_mut().find(|(id, _)| *id == person) {
                    Some(known) => known.1 = name,
                    None => keys.names.push((person, name)),
                }
            }
            continue;
        }
        let Some((id, recipient)) = line.split_once(' ') else {
            continue;
        };
        let Ok(shared) = x25519::Recipient::from_str(recipient) else {
            continue;
        };
        let person = PersonId(id.into());
        keys.pinned.retain(|pin| pin.person != person);
        keys.pinned.push(Pin { person, shared });
    }
}

/// Whether the key file at `path` opens with `passphrase` as `person`'s, read back from
/// disk: a new generation is checked before the backup stops being the old one.
pub(crate) fn verify(
    path: &Path,
    person: &Person,
    passphrase: &SecretString,
) -> Result<(), VaultError> {
    let bytes = fs::read(path).map_err(VaultError::io("read the key file", path))?;
    open(&bytes, &person.id, passphrase)
        .map(drop)
        // The backup was not tried here; it still holds the previous generation.
        .map_err(|failure| phrase(failure, person, path, None))
}

/// Why a key file did not open, before it is phrased for `person`.
#[derive(Clone, Copy)]
enum Failure {
    Damaged(&'static str),
    WrongPassphrase,
    ExcessiveWork(u8),
    Newer(u32),
    OtherPerson,
}

/// A key file that opened, and what it took.
pub(crate) struct Opened {
    pub keys: PersonKeys,
    /// Set when the key file had to be restored from its backup; says what happened.
    pub restored: Option<&'static str>,
}

/// Opens `path` with `passphrase`, checking it is `person`'s.
///
/// A key file whose checksum is not among those mend recorded was changed after mend
/// wrote it: it is reported as damaged without spending a second on the passphrase, so
/// "wrong passphrase" is only ever said of a key file known to be intact. A damaged
/// or missing key file, or a passphrase that opens only the backup (a passphrase
/// change that did not finish), is restored from `<path>.bak` when the backup opens
/// with this passphrase; the damaged file is moved to `quarantine/`.
///
/// Long on purpose: every way a key file can fail is decided here, in the one order that keeps "wrong passphrase" honest (checksums, backup, swap, then the passphrase).
pub(crate) fn read(
    path: &Path,
    person: &Person,
    passphrase: &SecretString,
    quarantine: &Path,
) -> Result<Opened, VaultError> {
    let name = person.name.clone();
    let backup = Some(backup_path(path)).filter(|bak| bak.exists());
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return restore(path, person, passphrase, quarantine, RESTORED_MISSING).ok_or(
                VaultError::KeyFileMissing {
                    name,
                    path: path.to_owned(),
                },
            )?;
        }
        Err(e) => return Err(VaultError::io("read the key file", path)(e)),
    };
    let damage = |reason: &'static str| {
        Err(if reason == EMPTY {
            VaultError::EmptyKeyFile {
                name: name.clone(),
                path: path.to_owned(),
                backup: backup.clone(),
            }
        } else {
            phrase(Failure::Damaged(reason), person, path, backup.clone())
        })
    };
    // Damage is met by trying the backup at once.
    let damaged = |reason: &'static str| {
        restore(path, person, passphrase, quarantine, RESTORED_DAMAGED)
            .unwrap_or_else(|| damage(reason))
    };
    if bytes.is_empty() {
        return damaged(EMPTY);
    }
    // Someone else's key file under this person's name is said as such, and nothing is
    // moved: a backup put back here would set the other person's file aside.
    let swap = |bytes: &[u8]| {
        swapped(path, &person.id, bytes).map(|found| VaultError::KeyFileSwapped {
            name: name.clone(),
            holder: found.holder.0.to_string(),
            path: path.to_owned(),
            yours: found.yours,
        })
    };
    if intact(path, &bytes) == Some(false) {
        if let Some(error) = swap(&bytes) {
            return Err(error);
        }
        // Changed since mend wrote it: the backup first; then the file itself, since a
        // copy restored without its checksums may still be whole (age's own MAC says).
        // Whatever fails here is damage, never "wrong passphrase".
        if let Some(restored) = restore(path, person, passphrase, quarantine, RESTORED_DAMAGED) {
            return restored;
        }
        return match open(&bytes, &person.id, passphrase) {
            Ok(keys) => Ok(Opened {
                keys,
                restored: None,
            }),
            Err(Failure::Damaged(reason)) => damage(reason),
            Err(_) => damage(CHANGED),
        };
    }
    match open(&bytes, &person.id, passphrase) {
        Ok(keys) => Ok(Opened {
            keys,
            restored: None,
        }),
        Err(Failure::WrongPassphrase) => {
            if let Some(error) = swap(&bytes) {
                return Err(error);
            }
            // An unfinished change leaves both generations listed in the checksums; a
            // backup that is not listed (or no checksums at all) is never put back for a
            // passphrase the key file refused, so a planted old copy cannot undo a change.
            let unfinished = backup
                .as_ref()
                .and_then(|bak| fs::read(bak).ok())
                .is_some_and(|old| old != bytes && intact(path, &old) == Some(true));
            if unfinished
                && let Some(Ok(opened)) =
                    restore(path, person, passphrase, quarantine, RESTORED_UNFINISHED)
            {
                return Ok(opened);
            }
            Err(VaultError::WrongPassphrase { name })
        }
        Err(Failure::Damaged(reason)) => damaged(reason),
        Err(failure) => Err(phrase(failure, person, path, backup)),
    }
}

const EMPTY: &str = "it is empty";
const CHANGED: &str = "it is not the file mend wrote: its checksum no longer matches";

const RESTORED_MISSING: &str = "Your key file was missing, so mend put back its backup copy.";
const RESTORED_DAMAGED: &str = "Your key file was damaged, so mend put back its backup copy \
     (the damaged one is in 'quarantine/'). Nothing else was affected.";
const RESTORED_UNFINISHED: &str = "Your last passphrase change did not finish (mend was \
     closed in the middle of it), so your previous passphrase still works and is in use \
     again. Change it again from the home screen if you meant to.";

/// Tries the backup with `passphrase`; when it opens, it becomes the key file again
/// (the current one moved to `quarantine/`, if any). `None` when there is no usable
/// backup; `Some(Err)` when putting it back failed.
fn restore(
    path: &Path,
    person: &Person,
    passphrase: &SecretString,
    quarantine: &Path,
    what: &'static str,
) -> Option<Result<Opened, VaultError>> {
    let backup = backup_path(path);
    let bytes = fs::read(&backup).ok().filter(|b| !b.is_empty())?;
    if intact(path, &bytes) == Some(false) {
        return None;
    }
    let keys = open(&bytes, &person.id, passphrase).ok()?;
    let put_back = (|| {
        if path.exists() {
            fsutil::quarantine(path, quarantine)?;
        }
        commit(path, &bytes)?;
        settle(path)
    })();
    Some(put_back.map(|()| Opened {
        keys,
        restored: Some(what),
    }))
}

fn phrase(failure: Failure, person: &Person, path: &Path, backup: Option<PathBuf>) -> VaultError {
    let name = person.name.clone();
    let path = path.to_owned();
    match failure {
        Failure::Damaged(reason) => VaultError::DamagedKeyFile {
            name,
            path,
            reason,
            backup,
        },
        Failure::WrongPassphrase => VaultError::WrongPassphrase { name },
        Failure::ExcessiveWork(required) => VaultError::ExcessiveWork {
            name,
            path,
            required,
        },
        Failure::Newer(found) => VaultError::NewerFormat {
            path,
            found,
            supported: KEY_FORMAT,
        },
        Failure::OtherPerson => VaultError::KeyFileOfOtherPerson { name, path },
    }
}

fn open(bytes: &[u8], person: &PersonId, passphrase: &SecretString) -> Result<PersonKeys, Failure> {
    let plain = unseal(bytes, passphrase)?;
    // From here on the passphrase was right: every failure is damage, never "wrong".
    let text = std::str::from_utf8(&plain)
        .map_err(|_| Failure::Damaged("the passphrase was right, but the contents are not text"))?;
    let payload = KeyFilePayload::parse(text).ok_or_else(unreadable_reason)?;
    if payload.format > KEY_FORMAT {
        return Err(Failure::Newer(payload.format));
    }
    if &payload.person != person {
        return Err(Failure::OtherPerson);
    }
    let shared = x25519::Identity::from_str(&payload.shared_identity);
    let private = x25519::Identity::from_str(&payload.private_identity);
    let pinned = payload
        .partners
        .iter()
        .map(|(id, recipient)| {
            let shared = x25519::Recipient::from_str(recipient).map_err(|_| {
                Failure::Damaged(
                    "the passphrase was right, but a partner's key inside cannot be read",
                )
            })?;
            Ok(Pin {
                person: PersonId(id.as_str().into()),
                shared,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    match (shared, private) {
        (Ok(shared), Ok(private)) => Ok(PersonKeys {
            shared,
            private,
            pinned,
            names: Vec::new(),
        }),
        _ => Err(unreadable_reason()),
    }
}

fn unreadable_reason() -> Failure {
    Failure::Damaged("the passphrase was right, but the keys inside cannot be read")
}

/// Decrypts the whole key file; nothing is returned unless every byte checked out.
fn unseal(bytes: &[u8], passphrase: &SecretString) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let decryptor = Decryptor::new_buffered(bytes)
        .map_err(|_| Failure::Damaged("its header cannot be read"))?;
    if !decryptor.is_scrypt() {
        return Err(Failure::Damaged("it is not sealed with a passphrase"));
    }
    let mut identity = scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(KdfCost::MAX_LOG_N);
    let mut reader = decryptor
        .decrypt(iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            DecryptError::DecryptionFailed
            | DecryptError::NoMatchingKeys
            | DecryptError::KeyDecryptionFailed => Failure::WrongPassphrase,
            DecryptError::ExcessiveWork { required, .. } => Failure::ExcessiveWork(required),
            DecryptError::InvalidMac => Failure::Damaged("its header was changed"),
            _ => Failure::Damaged("its header cannot be read"),
        })?;
    let mut plain = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut plain)
        .map_err(|_| Failure::Damaged("the passphrase was right, but the contents failed the integrity check: the file was cut short or changed"))?;
    Ok(plain)
}
