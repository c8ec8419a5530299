//! age encryption for entries and drafts, and decryption that knows *which* of a
//! person's two identities opened a file.
//!
//! Visibility is never taken from a file's plaintext: a file is private exactly when
//! the person's private identity unwrapped it. To learn that in one pass, each identity
//! is wrapped in [`Recording`], which notes when it unwrapped the file key. Failures
//! are classified so the caller can tell "not addressed to you" (skip silently: it may
//! be a partner's private entry) from damage (report and set aside).

use std::cell::Cell;
use std::collections::HashSet;
use std::io::{Read, Write};

use age::secrecy::zeroize::Zeroizing;
use age::{DecryptError, Decryptor, EncryptError, Encryptor, x25519};
use age_core::format::{FileKey, Stanza};

use sha2::{Digest, Sha256};

use super::authorship;

/// The type of the header stanza that marks a file as its owner's (see [`OwnerMark`]).
const OWNER_STANZA: &str = "mend-owner";
/// The type of the header stanza that marks a file as shared with everyone in the vault.
const SHARED_STANZA: &str = "mend-shared";

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
    /// Marked as this person's (or as shared with everyone), but no key of theirs
    /// unwraps it: the part of the header that holds their key was changed.
    KeyStanza,
}

/// What came of trying to open one file.
pub(crate) enum Opened {
    /// Addressed to someone else (or to nobody this person has a key for).
    NotForMe,
    /// The whole file decrypted and authenticated.
    Plain {
        bytes: Zeroizing<Vec<u8>>,
        with: OpenedWith,
        /// The header carries this person's own owner mark: they wrote it.
        mine: bool,
    },
    /// `mine`: the header, as far as it could be read, carries this person's own owner
    /// mark, so the file is theirs; otherwise it cannot be attributed to them.
    Damaged { damage: Damage, mine: bool },
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
///
/// Long on purpose: every way an age file can fail is classified here in order, so damage is never mistaken for "not yours".
pub(crate) fn decrypt(
    bytes: &[u8],
    shared: Option<&x25519::Identity>,
    private: &x25519::Identity,
) -> Opened {
    if bytes.is_empty() {
        return Opened::Damaged {
            damage: Damage::Empty,
            mine: false,
        };
    }
    let Ok(decryptor) = Decryptor::new_buffered(bytes) else {
        return Opened::Damaged {
            damage: Damage::Header,
            mine: false,
        };
    };
    // Shared is tried first: if a file opens with the shared key, a partner can read it,
    // so it must never be presented as private.
    let owner = private;
    let shared = shared.map(|s| Recording::new(s, Role::Shared, owner));
    let private = Recording::new(private, Role::Private, owner);
    // Whichever identity saw the header can tell whether it carries this person's owner
    // mark (the shared one is tried first and may be the only one asked).
    let mine = || private.owned.get() || shared.as_ref().is_some_and(|s| s.owned.get());
    let identities = shared
        .iter()
        .map(|s| s as &dyn age::Identity)
        .chain([&private as &dyn age::Identity]);
    let mut reader = match decryptor.decrypt(identities) {
        Ok(reader) => reader,
        // Nothing of theirs opened it: a partner's private file, unless the header says
        // it is this person's own or was shared with everyone (then a key was damaged).
        Err(DecryptError::NoMatchingKeys)
            if private.marked.get() || shared.as_ref().is_some_and(|s| s.marked.get()) =>
        {
            return Opened::Damaged {
                damage: Damage::KeyStanza,
                mine: mine(),
            };
        }
        Err(DecryptError::NoMatchingKeys) => return Opened::NotForMe,
        Err(_) => {
            return Opened::Damaged {
                damage: Damage::Header,
                mine: mine(),
            };
        }
    };
    // Sized once from the file (the plaintext is never longer), so a large file is
    // never copied while it grows, leaving copies of it behind in freed memory.
    let mut plain = Zeroizing::new(Vec::with_capacity(bytes.len()));
    if reader.read_to_end(&mut plain).is_err() {
        return Opened::Damaged {
            damage: Damage::Payload,
            mine: mine(),
        };
    }
    let with = if shared.as_ref().is_some_and(|s| s.unwrapped.get()) {
        OpenedWith::Shared
    } else {
        OpenedWith::Private
    };
    let mine = mine();
    Opened::Plain {
        bytes: plain,
        with,
        mine,
    }
}

/// Header stanzas that wrap nothing and say who should be able to open the file.
///
/// The owner mark tells the owner of `owner`, and nobody else, "this file is yours": a
/// random nonce and a MAC of it keyed from their private identity (see
/// [`authorship::owner_tag`]); the nonce makes every mark different, so marks never
/// link two files to one author for anyone else. The shared mark lists a short hash of
/// each shared recipient the file is sealed to (the same public keys `vault.toml`
/// lists, so it tells an outsider nothing new), so each reader can see the file was
/// meant for them too. Without the marks, a flipped bit inside a reader's own X25519
/// stanza would make the file look exactly like a partner's private one, and it would
/// be skipped without a word. Stock age ignores stanzas of a type it does not know, so
/// files still open with `age -d`.
pub(crate) struct Marks<'a> {
    owner: &'a x25519::Identity,
    shared_with: &'a [x25519::Recipient],
}

impl<'a> Marks<'a> {
    /// For a file only `owner` may read.
    pub fn private(owner: &'a x25519::Identity) -> Self {
        Self {
            owner,
            shared_with: &[],
        }
    }

    /// For a file `owner` shares with the holders of `shared_with`.
    pub fn shared(owner: &'a x25519::Identity, shared_with: &'a [x25519::Recipient]) -> Self {
        Self { owner, shared_with }
    }
}

/// How a shared mark names a recipient: 8 bytes of SHA-256 of its public key text.
fn reader_hash(recipient: &x25519::Recipient) -> String {
    let digest = Sha256::digest(recipient.to_string().as_bytes());
    authorship::to_hex(&digest[..8])
}

impl age::Recipient for Marks<'_> {
    fn wrap_file_key(
        &self,
        _file_key: &FileKey,
    ) -> Result<(Vec<Stanza>, HashSet<String>), EncryptError> {
        let nonce = *uuid::Uuid::new_v4().as_bytes();
        let mut stanzas = vec![Stanza {
            tag: OWNER_STANZA.to_owned(),
            args: vec![
                authorship::to_hex(&nonce),
                authorship::to_hex(&authorship::owner_tag(self.owner, &nonce)),
            ],
            body: Vec::new(),
        }];
        if !self.shared_with.is_empty() {
            stanzas.push(Stanza {
                tag: SHARED_STANZA.to_owned(),
                args: self.shared_with.iter().map(reader_hash).collect(),
                body: Vec::new(),
            });
        }
        // No labels: marks sit beside any X25519 recipients.
        Ok((stanzas, HashSet::new()))
    }
}

/// Which of a person's identities a [`Recording`] wraps, and so which mark is theirs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Shared,
    Private,
}

/// An identity that remembers whether it unwrapped the file key and, while looking,
/// whether the header marks the file as meant for it.
struct Recording<'a> {
    identity: &'a x25519::Identity,
    role: Role,
    unwrapped: Cell<bool>,
    /// The header carries this identity's mark: the owner mark for a private identity,
    /// a shared mark listing it for a shared one.
    marked: Cell<bool>,
    /// The person's private identity, whose owner mark says "this file is yours".
    owner: &'a x25519::Identity,
    /// The header carries the owner mark of `owner`.
    owned: Cell<bool>,
}

impl<'a> Recording<'a> {
    fn new(identity: &'a x25519::Identity, role: Role, owner: &'a x25519::Identity) -> Self {
        Self {
            identity,
            role,
            unwrapped: Cell::new(false),
            marked: Cell::new(false),
            owner,
            owned: Cell::new(false),
        }
    }

    fn is_my_mark(&self, stanza: &Stanza) -> bool {
        match (self.role, stanza.tag.as_str()) {
            (Role::Private, OWNER_STANZA) => self.is_owner_mark(stanza),
            (Role::Shared, SHARED_STANZA) => {
                let me = reader_hash(&self.identity.to_public());
                stanza.args.contains(&me)
            }
            _ => false,
        }
    }
}

impl Recording<'_> {
    /// Whether `stanza` is the owner mark of this person's private identity.
    fn is_owner_mark(&self, stanza: &Stanza) -> bool {
        let [nonce, tag] = stanza.args.as_slice() else {
            return false;
        };
        match (authorship::from_hex(nonce), authorship::from_hex(tag)) {
            (Some(nonce), Some(tag)) => authorship::owner_tag_matches(self.owner, &nonce, &tag),
            _ => false,
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

    fn unwrap_stanzas(&self, stanzas: &[Stanza]) -> Option<Result<FileKey, DecryptError>> {
        self.marked
            .set(stanzas.iter().any(|stanza| self.is_my_mark(stanza)));
        self.owned.set(
            stanzas
                .iter()
                .any(|stanza| stanza.tag == OWNER_STANZA && self.is_owner_mark(stanza)),
        );
        stanzas.iter().find_map(|stanza| self.unwrap_stanza(stanza))
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
                Opened::Plain { bytes, with, .. } => {
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
                Opened::Damaged { damage, .. } => Some(damage),
                Opened::Plain { .. } => panic!("{case}: opened"),
            };
            assert_eq!(got, expected, "{case}");
        }
    }
}
