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
use crate::entry::PersonId;

/// The plaintext format inside a key file.
pub(crate) const KEY_FORMAT: u32 = 1;

/// One person's identities. Deliberately neither `Debug` nor `Clone`: it is secret, and
/// exists once, inside [`Unlocked`](super::Unlocked).
pub(crate) struct PersonKeys {
    pub shared: x25519::Identity,
    pub private: x25519::Identity,
    /// The partners' shared recipients as this person first saw them.
    pub pinned: Vec<Pin>,
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
        }
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
                person = Some(PersonId(value.trim().to_owned()));
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

/// Seals `keys` with `passphrase` at `kdf` and writes `path` atomically.
pub(crate) fn write(
    path: &Path,
    person: &PersonId,
    keys: &PersonKeys,
    passphrase: &SecretString,
    kdf: KdfCost,
) -> Result<(), VaultError> {
    let payload = KeyFilePayload {
        format: KEY_FORMAT,
        person: person.clone(),
        partners: keys
            .pinned
            .iter()
            .map(|pin| (pin.person.0.clone(), pin.shared.to_string()))
            .collect(),
        shared_identity: keys.shared.to_string().expose_secret().to_owned(),
        private_identity: keys.private.to_string().expose_secret().to_owned(),
    };
    let plain = payload.to_text();
    let mut recipient = scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(kdf.log_n());
    let sealed = crypt::encrypt(
        iter::once(&recipient as &dyn age::Recipient),
        plain.as_bytes(),
    )
    .map_err(|reason| VaultError::Encrypt {
        path: path.to_owned(),
        reason,
    })?;
    fsutil::write_atomic(path, &sealed)
}

/// Re-seals an existing key file (same passphrase, new contents such as a new pin),
/// keeping the current generation as `<path>.bak`. Both writes are atomic, and the
/// backup is written first, so a crash leaves the old key file or the new one, and a
/// readable previous generation either way.
pub(crate) fn reseal(
    path: &Path,
    person: &PersonId,
    keys: &PersonKeys,
    passphrase: &SecretString,
    kdf: KdfCost,
) -> Result<(), VaultError> {
    let current = fs::read(path).map_err(VaultError::io("read the key file", path))?;
    fsutil::write_atomic(&backup_path(path), &current)?;
    write(path, person, keys, passphrase, kdf)
}

/// Why a key file did not open, before it is phrased for `person`.
enum Failure {
    Damaged(&'static str),
    WrongPassphrase,
    ExcessiveWork(u8),
    Newer(u32),
    OtherPerson,
}

/// Opens `path` with `passphrase`, checking it is `person`'s.
pub(crate) fn read(
    path: &Path,
    person: &Person,
    passphrase: &SecretString,
) -> Result<PersonKeys, VaultError> {
    let name = person.name.clone();
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(VaultError::KeyFileMissing {
                name,
                path: path.to_owned(),
            });
        }
        Err(e) => return Err(VaultError::io("read the key file", path)(e)),
    };
    let backup = Some(backup_path(path)).filter(|bak| bak.exists());
    if bytes.is_empty() {
        return Err(VaultError::EmptyKeyFile {
            name,
            path: path.to_owned(),
            backup,
        });
    }
    open(&bytes, &person.id, passphrase).map_err(|failure| {
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
    })
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
                person: PersonId(id.clone()),
                shared,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    match (shared, private) {
        (Ok(shared), Ok(private)) => Ok(PersonKeys {
            shared,
            private,
            pinned,
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
