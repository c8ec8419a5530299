//! Conformance (issue 6, promise 3): age test vectors, run through the very functions
//! the vault opens files with, are classified the way the age spec expects: valid files
//! open to exactly their plaintext, damaged ones are refused as damaged, and files for
//! someone else are "not for me" (skipped silently, as a partner's private entry is).
//!
//! The vectors in tests/vectors/ were made with the stock `age` tool by
//! tests/vectors/generate.sh (which documents why they are not the public CCTV set);
//! manifest.txt says, per file, what must happen. Entry vectors go through
//! `crypt::decrypt` (every entry, draft and profile file), key-file vectors through
//! `keys::read` (every unlock), both reached via the hidden `mend::vault::conformance`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::SecretString;
use age::x25519;
use mend::entry::PersonId;
use mend::vault::conformance::{Classified, open_entry_file, open_key_file};
use mend::vault::{Person, VaultError};
use sha2::{Digest, Sha256};

const PASSPHRASE: &str = "correct horse conformance staple";
const PERSON: &str = "7e5700c0ffee";

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn identity(who: &str) -> x25519::Identity {
    let text = std::fs::read_to_string(vectors().join("keys").join(format!("{who}.txt"))).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap();
    x25519::Identity::from_str(line).unwrap()
}

/// One manifest line, its options applied: the bytes to open and how.
struct Vector {
    name: String,
    path: String,
    expected: String,
    bytes: Vec<u8>,
    passphrase: String,
}

fn read_manifest() -> Vec<Vector> {
    let manifest = std::fs::read_to_string(vectors().join("manifest.txt")).unwrap();
    let mut out = Vec::new();
    for line in manifest.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, path, expected, options, _why] = fields[..] else {
            panic!("manifest line has not five fields: {line}");
        };
        let mut file = name.to_owned();
        let mut edits = Vec::new();
        let mut passphrase = PASSPHRASE.to_owned();
        for option in options.split(' ').filter(|o| *o != "-" && !o.is_empty()) {
            let (kind, value) = option.split_once(':').unwrap();
            match kind {
                "from" => value.clone_into(&mut file),
                "pass" => value.clone_into(&mut passphrase),
                _ => edits.push((kind, value)),
            }
        }
        let mut bytes = std::fs::read(vectors().join(&file)).unwrap();
        for (kind, value) in edits {
            edit(&mut bytes, kind, value);
        }
        out.push(Vector {
            name: name.to_owned(),
            path: path.to_owned(),
            expected: expected.to_owned(),
            bytes,
            passphrase,
        });
    }
    out
}

/// The damage a manifest option describes (kept out of the files so the one large
/// vector is committed once).
fn edit(bytes: &mut Vec<u8>, kind: &str, value: &str) {
    let number = |text: &str| text.parse::<usize>().unwrap();
    match kind {
        "cut" => bytes.truncate(number(value)),
        "flip" => bytes[number(value)] ^= 1,
        "append" => {
            for pair in value.as_bytes().chunks(2) {
                let hex = std::str::from_utf8(pair).unwrap();
                bytes.push(u8::from_str_radix(hex, 16).unwrap());
            }
        }
        "swap" => {
            let (start, len) = value.split_once(':').unwrap();
            let (start, len) = (number(start), number(len));
            let (first, second) = bytes[start..start + 2 * len].split_at_mut(len);
            first.swap_with_slice(second);
        }
        _ => panic!("unknown manifest option {kind}"),
    }
}

fn sha256(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut hex, b| {
            write!(hex, "{b:02x}").unwrap();
            hex
        })
}

fn classify_entry(bytes: &[u8]) -> String {
    let (shared, private) = (identity("ours-shared"), identity("ours-private"));
    match open_entry_file(bytes, Some(&shared), &private) {
        Classified::Opened { plain, shared } => {
            let key = if shared { "shared" } else { "private" };
            format!("opens-{key}:{}", sha256(&plain))
        }
        Classified::NotForMe => "not-ours".into(),
        Classified::DamagedEmpty => "damaged-empty".into(),
        Classified::DamagedHeader => "damaged-header".into(),
        Classified::DamagedPayload => "damaged-payload".into(),
        Classified::DamagedKeyStanza => "damaged-key-stanza".into(),
    }
}

fn classify_key_file(bytes: &[u8], passphrase: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{PERSON}.age"));
    std::fs::write(&path, bytes).unwrap();
    let person = Person {
        id: PersonId(PERSON.into()),
        name: "Conformance".into(),
    };
    match open_key_file(&path, &person, &SecretString::from(passphrase.to_owned())) {
        Ok(shared) => {
            assert_eq!(
                shared,
                identity("ours-shared").to_public().to_string(),
                "a key file opened, but not to the keys sealed in it"
            );
            "unlocks".into()
        }
        Err(VaultError::WrongPassphrase { .. }) => "wrong-passphrase".into(),
        Err(VaultError::DamagedKeyFile { .. }) => "damaged-key-file".into(),
        Err(VaultError::EmptyKeyFile { .. }) => "empty-key-file".into(),
        Err(VaultError::ExcessiveWork { .. }) => "excessive-work".into(),
        Err(other) => format!("unexpected error: {other}"),
    }
}

#[test]
fn age_vectors_are_classified_the_way_the_spec_expects() {
    let vectors = read_manifest();
    assert!(vectors.len() >= 40, "the manifest lost vectors");
    let mut wrong = Vec::new();
    let (mut valid, mut damaged, mut not_ours, mut refused) = (0, 0, 0, 0);
    for vector in &vectors {
        let got = match vector.path.as_str() {
            "entry" => classify_entry(&vector.bytes),
            "key" => classify_key_file(&vector.bytes, &vector.passphrase),
            other => panic!("{}: unknown path {other}", vector.name),
        };
        if got != vector.expected {
            wrong.push(format!(
                "{}: expected {}, got {got}",
                vector.name, vector.expected
            ));
            continue;
        }
        match got.split(':').next().unwrap() {
            "opens-private" | "opens-shared" | "unlocks" => valid += 1,
            "not-ours" => not_ours += 1,
            "wrong-passphrase" | "excessive-work" => refused += 1,
            _ => damaged += 1,
        }
    }
    let total = vectors.len();
    let right = total - wrong.len();
    println!(
        "conformance: {right} of {total} age vectors classified as expected ({valid} valid, \
         {damaged} damaged, {not_ours} not ours, {refused} wrong passphrase or too costly)"
    );
    assert!(wrong.is_empty(), "misclassified:\n{}", wrong.join("\n"));
}
