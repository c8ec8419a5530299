//! Who wrote an entry. age proves who can *read* a file, never who wrote it: anyone
//! with `vault.toml` can seal a file to a partner's shared recipient, and a partner
//! can put any `author` in it. So every saved entry carries a MAC that only its author
//! can make, and a load checks the MAC of every entry that claims to be the reader's.
//!
//! The MAC is HMAC-SHA256 over the entry's TOML with `mac` unset. Its key is SHA-256 of
//! a fixed domain string followed by the author's *private* identity string: no new key
//! material, so key files from before authorship existed still work, and nobody but
//! the author (not even a partner holding the shared key) can compute it. It is written
//! as lowercase hex in the entry's `mac` field.
//!
//! A partner cannot check that MAC (its key is the author's alone), so a shared entry
//! also carries a *witness* for each partner: HMAC-SHA256 over the entry's TOML with
//! `mac` and `witness` unset, keyed from the X25519 agreement of the author's shared
//! identity with that partner's shared recipient. Only the two of them can compute
//! it, so a partner's mend confirms "this was written by the person it names", and a
//! file sealed by anyone else with the public keys from `vault.toml` is not taken as
//! anyone's words.

use age::secrecy::ExposeSecret;
use age::secrecy::zeroize::Zeroizing;
use age::x25519;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::domain::Entry;

/// Separates this key from any other use of the private identity.
const DOMAIN: &[u8] = b"mend authorship v1";

type EntryMac = Hmac<Sha256>;

/// The MAC (hex) that `entry` should carry when written by the owner of `private`.
pub(crate) fn sign(entry: &Entry, private: &x25519::Identity) -> Result<String, toml::ser::Error> {
    let tag = keyed(private).chain_update(unsigned_toml(entry)?.as_bytes());
    Ok(to_hex(&tag.finalize().into_bytes()))
}

/// Whether `entry` carries a MAC made with `private` over exactly this content. A
/// missing or malformed MAC is simply not verified. Compared in constant time.
pub(crate) fn verify(entry: &Entry, private: &x25519::Identity) -> bool {
    let Some(tag) = entry.mac.as_deref().and_then(from_hex) else {
        return false;
    };
    let Ok(text) = unsigned_toml(entry) else {
        return false;
    };
    keyed(private)
        .chain_update(text.as_bytes())
        .verify_slice(&tag)
        .is_ok()
}

/// The witnesses (hex) a shared `entry` by the owner of `shared` carries, one for each
/// of `partners` (their shared recipients). A recipient that cannot be agreed with (not
/// a valid X25519 key) gets none.
pub(crate) fn witnesses(
    entry: &Entry,
    shared: &x25519::Identity,
    partners: &[x25519::Recipient],
) -> Result<Vec<String>, toml::ser::Error> {
    let text = unwitnessed_toml(entry)?;
    Ok(partners
        .iter()
        .filter_map(|partner| pair_keyed(shared, partner))
        .map(|key| to_hex(&key.chain_update(text.as_bytes()).finalize().into_bytes()))
        .collect())
}

/// Whether `entry` carries a witness that the owner of `author` (their shared
/// recipient) made for the owner of `shared` (the reader's shared identity).
pub(crate) fn witnessed(
    entry: &Entry,
    shared: &x25519::Identity,
    author: &x25519::Recipient,
) -> bool {
    let (Some(key), Ok(text)) = (pair_keyed(shared, author), unwitnessed_toml(entry)) else {
        return false;
    };
    let key = key.chain_update(text.as_bytes());
    entry
        .witness
        .iter()
        .filter_map(|w| from_hex(w))
        .any(|tag| key.clone().verify_slice(&tag).is_ok())
}

/// The text a witness covers: the entry as TOML with `mac` and `witness` unset.
fn unwitnessed_toml(entry: &Entry) -> Result<Zeroizing<String>, toml::ser::Error> {
    let mut bare = entry.clone();
    bare.mac = None;
    bare.witness = Vec::new();
    toml::to_string(&bare).map(Zeroizing::new)
}

/// Separates the witness key from every other key.
const PAIR_DOMAIN: &[u8] = b"mend pair witness v1";

/// HMAC keyed from the X25519 agreement of `mine` with `theirs`; the same for both
/// sides of a pair. `None` for a key that does not decode or a non-contributory
/// agreement (a low-order point, which anyone could predict).
fn pair_keyed(mine: &x25519::Identity, theirs: &x25519::Recipient) -> Option<EntryMac> {
    let secret = Zeroizing::new(key_bytes(mine.to_string().expose_secret())?);
    let public = key_bytes(&theirs.to_string())?;
    let agreed = x25519_dalek::StaticSecret::from(*secret)
        .diffie_hellman(&x25519_dalek::PublicKey::from(public));
    if !agreed.was_contributory() {
        return None;
    }
    let key = Zeroizing::new(
        Sha256::new()
            .chain_update(PAIR_DOMAIN)
            .chain_update(agreed.as_bytes())
            .finalize(),
    );
    Some(<EntryMac as Mac>::new_from_slice(&key).expect("HMAC accepts a key of any length"))
}

/// The 32 key bytes of an age X25519 identity or recipient in its bech32 text form.
fn key_bytes(text: &str) -> Option<[u8; 32]> {
    let (_, data) = bech32::decode(text).ok()?;
    data.try_into().ok()
}

/// The text the MAC covers: the entry as TOML with `mac` unset (the field is skipped
/// when `None`, so this is exactly what an entry without a MAC serialises to).
fn unsigned_toml(entry: &Entry) -> Result<Zeroizing<String>, toml::ser::Error> {
    let mut unsigned = entry.clone();
    unsigned.mac = None;
    toml::to_string(&unsigned).map(Zeroizing::new)
}

fn keyed(private: &x25519::Identity) -> EntryMac {
    keyed_with(DOMAIN, private)
}

fn keyed_with(domain: &[u8], private: &x25519::Identity) -> EntryMac {
    let identity = private.to_string();
    let key = Zeroizing::new(
        Sha256::new()
            .chain_update(domain)
            .chain_update(identity.expose_secret().as_bytes())
            .finalize(),
    );
    <EntryMac as Mac>::new_from_slice(&key).expect("HMAC accepts a key of any length")
}

/// Separates the owner-mark key from the authorship key and any other use.
const OWNER_DOMAIN: &[u8] = b"mend owner mark v1";

/// The tag of an owner mark (see `crypt::OwnerMark`): HMAC-SHA256 of `nonce`, keyed
/// from the owner's private identity, cut to 16 bytes.
pub(crate) fn owner_tag(private: &x25519::Identity, nonce: &[u8]) -> [u8; 16] {
    let full = owner_keyed(private)
        .chain_update(nonce)
        .finalize()
        .into_bytes();
    let mut tag = [0; 16];
    tag.copy_from_slice(&full[..16]);
    tag
}

/// Whether `tag` is the owner mark of `nonce` for the owner of `private` (constant time).
pub(crate) fn owner_tag_matches(private: &x25519::Identity, nonce: &[u8], tag: &[u8]) -> bool {
    tag.len() == 16
        && owner_keyed(private)
            .chain_update(nonce)
            .verify_truncated_left(tag)
            .is_ok()
}

fn owner_keyed(private: &x25519::Identity) -> EntryMac {
    keyed_with(OWNER_DOMAIN, private)
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

pub(crate) fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        toml::from_str(
            "format = 1\nid = \"6f1c6b0e-8a55-4d2b-9a43-5b1f0f2e7a10\"\nauthor = \"a\"\n\
             created = \"2025-01-01T00:00:00Z\"\nupdated = \"2025-01-01T00:00:00Z\"\n\
             visibility = \"shared\"\nanswers = []\n[exercise]\nworkbook = \"w\"\n\
             workbook_version = \"1\"\nmodule = \"m\"\nexercise = \"e\"\n\
             module_title = \"M\"\nexercise_title = \"E\"\n",
        )
        .unwrap()
    }

    #[test]
    fn a_mac_verifies_only_for_its_author_and_its_content() {
        let (author, other) = (x25519::Identity::generate(), x25519::Identity::generate());
        let mut signed = entry();
        signed.mac = Some(sign(&signed, &author).unwrap());
        assert!(verify(&signed, &author));
        assert!(!verify(&signed, &other), "another key");
        let mut changed = signed.clone();
        std::sync::Arc::make_mut(&mut changed.exercise).exercise_title = "E2".into();
        assert!(!verify(&changed, &author), "changed content");
        for bad in [
            None,
            Some(String::new()),
            Some("zz".to_owned()),
            Some("é".to_owned()),
        ] {
            let mut unsigned = signed.clone();
            unsigned.mac.clone_from(&bad);
            assert!(!verify(&unsigned, &author), "mac {bad:?}");
        }
    }

    #[test]
    fn a_witness_verifies_only_between_its_pair_and_for_its_content() {
        let (alex, sam, eve) = (
            x25519::Identity::generate(),
            x25519::Identity::generate(),
            x25519::Identity::generate(),
        );
        let mut entry = entry();
        entry.witness = witnesses(&entry, &alex, &[sam.to_public()]).unwrap();
        assert_eq!(entry.witness.len(), 1);
        assert!(
            witnessed(&entry, &sam, &alex.to_public()),
            "Sam checks Alex's"
        );
        assert!(
            !witnessed(&entry, &eve, &alex.to_public()),
            "another reader"
        );
        assert!(!witnessed(&entry, &sam, &eve.to_public()), "another author");
        let mut forged = entry.clone();
        forged.witness = witnesses(&forged, &eve, &[sam.to_public()]).unwrap();
        assert!(
            !witnessed(&forged, &sam, &alex.to_public()),
            "made by someone else"
        );
        let mut changed = entry.clone();
        std::sync::Arc::make_mut(&mut changed.exercise).exercise_title = "E2".into();
        assert!(!witnessed(&changed, &sam, &alex.to_public()), "changed");
        entry.mac = Some(sign(&entry, &alex).unwrap());
        assert!(
            witnessed(&entry, &sam, &alex.to_public()),
            "the MAC, added after, is not covered"
        );
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(to_hex(&[0, 15, 255]), "000fff");
        assert_eq!(from_hex("000fff"), Some(vec![0, 15, 255]));
        assert_eq!(from_hex("0"), None);
    }
}
