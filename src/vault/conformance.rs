//! The two functions the vault opens age files with, reachable from tests/all/conformance.rs
//! so that age test vectors run through exactly mend's code. Not part of mend's API:
//! hidden from the docs, and nothing in mend calls it.

use std::path::Path;

use age::secrecy::SecretString;
use age::x25519;

use super::{Person, VaultError, crypt, keys};

/// How mend classified one file, as the vault sees it when loading entries, drafts and
/// profiles.
#[derive(Debug, PartialEq, Eq)]
pub enum Classified {
    /// Decrypted and authenticated; `shared` when the shared identity opened it.
    Opened {
        plain: Vec<u8>,
        shared: bool,
    },
    /// Addressed to nobody this person has a key for: skipped silently.
    NotForMe,
    DamagedEmpty,
    DamagedHeader,
    DamagedPayload,
    /// Marked for this person, but no key of theirs unwraps it.
    DamagedKeyStanza,
}

/// Opens `bytes` the way every entry file is opened ([`crypt::decrypt`]).
pub fn open_entry_file(
    bytes: &[u8],
    shared: Option<&x25519::Identity>,
    private: &x25519::Identity,
) -> Classified {
    match crypt::decrypt(bytes, shared, private) {
        crypt::Opened::NotForMe => Classified::NotForMe,
        crypt::Opened::Plain { bytes, with, .. } => Classified::Opened {
            plain: bytes.to_vec(),
            shared: with == crypt::OpenedWith::Shared,
        },
        crypt::Opened::Damaged { damage, .. } => match damage {
            crypt::Damage::Empty => Classified::DamagedEmpty,
            crypt::Damage::Header => Classified::DamagedHeader,
            crypt::Damage::Payload => Classified::DamagedPayload,
            crypt::Damage::KeyStanza => Classified::DamagedKeyStanza,
        },
    }
}

/// Opens the key file at `path` the way [`Vault::unlock`](super::Vault::unlock) does
/// ([`keys::read`]), returning the shared identity's public recipient.
pub fn open_key_file(
    path: &Path,
    person: &Person,
    passphrase: &SecretString,
) -> Result<String, VaultError> {
    // A damaged key file would be put back from a backup beside it; vectors have none.
    let quarantine = path.with_file_name("quarantine");
    keys::read(path, person, passphrase, &quarantine)
        .map(|opened| opened.keys.shared.to_public().to_string())
}
