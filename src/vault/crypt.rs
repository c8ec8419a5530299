//! age encryption for entries and drafts, and decryption that knows *which* of a
//! person's two identities opened a file.
//!
//! Visibility is never taken from a file's plaintext: a file is private exactly when
//! the person's private identity unwrapped it. To learn that in one pass, each identity
//! is wrapped in [`Recording`], which notes when it unwrapped the file key. Failures
//! are classified so the caller can tell "not addressed to you" (skip silently: it may
//! be a partner's private entry) from damage (report and set aside).

use std::cell::Cell;
use std::io::{Read, Write};

use age::secrecy::zeroize::Zeroizing;
use age::{DecryptError, Decryptor, Encryptor, x25519};
use age_core::format::{FileKey, Stanza};

/// Which of a person's identities opened a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OpenedWith {
    Shared,
    Private,
}

/// How a file that should be readable turned out not to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Damage {
    /// Zero bytes: a crash or a full disk cut it short before anything was written.
    Empty,
    /// Not an age file, or its header is malformed or was changed.
    Header,
    /// Addressed to this person, but the encrypted contents fail the integrity check.
    Payload,
}

/// What came of trying to open one file.
pub(crate) enum Opened {
    /// Addressed to someone else (or to nobody this person has a key for).
    NotForMe,
    /// The whole file decrypted and authenticated.
    Plain {
        bytes: Zeroizing<Vec<u8>>,
        with: OpenedWith,
    },
    Damaged(Damage),
}

/// Encrypts `plain` to every recipient, returning the complete age file.
pub(crate) fn encrypt<'a>(
    recipients: impl Iterator<Item = &'a dyn age::Recipient>,
    plain: &[u8],
) -> Result<Vec<u8>, String> {
    let encryptor = Encryptor::with_recipients(recipients).map_err(|e| e.to_string())?;
    let mut sealed = Vec::with_capacity(plain.len() + 512);
    let mut writer = encryptor
        .wrap_output(&mut sealed)
        .map_err(|e| e.to_string())?;
    writer.write_all(plain).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(sealed)
}

/// Decrypts `bytes` with both identities in one pass (`shared: None` for files only
/// ever sealed to the private key, like drafts). The plaintext is returned only once
/// every chunk of the file has been read and authenticated.
pub(crate) fn decrypt(
    bytes: &[u8],
    shared: Option<&x25519::Identity>,
    private: &x25519::Identity,
) -> Opened {
    if bytes.is_empty() {
        return Opened::Damaged(Damage::Empty);
    }
    let Ok(decryptor) = Decryptor::new_buffered(bytes) else {
        return Opened::Damaged(Damage::Header);
    };
    // Shared is tried first: if a file opens with the shared key, a partner can read it,
    // so it must never be presented as private.
    let shared = shared.map(Recording::new);
    let private = Recording::new(private);
    let identities = shared
        .iter()
        .map(|s| s as &dyn age::Identity)
        .chain([&private as &dyn age::Identity]);
    let mut reader = match decryptor.decrypt(identities) {
        Ok(reader) => reader,
        Err(DecryptError::NoMatchingKeys) => return Opened::NotForMe,
        Err(_) => return Opened::Damaged(Damage::Header),
    };
    let mut plain = Zeroizing::new(Vec::new());
    if reader.read_to_end(&mut plain).is_err() {
        return Opened::Damaged(Damage::Payload);
    }
    let with = if shared.is_some_and(|s| s.unwrapped.get()) {
        OpenedWith::Shared
    } else {
        OpenedWith::Private
    };
    Opened::Plain { bytes: plain, with }
}

/// An identity that remembers whether it unwrapped the file key.
struct Recording<'a> {
    identity: &'a x25519::Identity,
    unwrapped: Cell<bool>,
}

impl<'a> Recording<'a> {
    fn new(identity: &'a x25519::Identity) -> Self {
        Self {
            identity,
            unwrapped: Cell::new(false),
        }
    }
}

impl age::Identity for Recording<'_> {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<Result<FileKey, DecryptError>> {
        let result = self.identity.unwrap_stanza(stanza);
        if matches!(result, Some(Ok(_))) {
            self.unwrapped.set(true);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal(to: &x25519::Identity, plain: &[u8]) -> Vec<u8> {
        let recipient = to.to_public();
        encrypt(std::iter::once(&recipient as &dyn age::Recipient), plain).unwrap()
    }

    #[test]
    fn reports_which_identity_opened_the_file() {
        let (shared, private) = (x25519::Identity::generate(), x25519::Identity::generate());
        for (to, expected) in [
            (&shared, OpenedWith::Shared),
            (&private, OpenedWith::Private),
        ] {
            match decrypt(&seal(to, b"hello"), Some(&shared), &private) {
                Opened::Plain { bytes, with } => {
                    assert_eq!(&bytes[..], b"hello");
                    assert_eq!(with, expected);
                }
                _ => panic!("{expected:?}: did not open"),
            }
        }
    }

    #[test]
    fn classifies_foreign_and_damaged_files() {
        let (shared, private) = (x25519::Identity::generate(), x25519::Identity::generate());
        let stranger = x25519::Identity::generate();
        let mut flipped = seal(&private, b"hello world");
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        let cases: [(&str, Vec<u8>, Option<Damage>); 4] = [
            ("foreign", seal(&stranger, b"x"), None),
            ("empty", Vec::new(), Some(Damage::Empty)),
            ("garbage", b"not an age file".to_vec(), Some(Damage::Header)),
            ("flipped payload", flipped, Some(Damage::Payload)),
        ];
        for (case, bytes, expected) in cases {
            let got = match decrypt(&bytes, Some(&shared), &private) {
                Opened::NotForMe => None,
                Opened::Damaged(damage) => Some(damage),
                Opened::Plain { .. } => panic!("{case}: opened"),
            };
            assert_eq!(got, expected, "{case}");
        }
    }
}
