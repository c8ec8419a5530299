//! Recovery codes: `keys/<person>.recovery.age`, the same keys sealed with a code the
//! person wrote down, the one way to set a new passphrase when theirs is forgotten.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use age::secrecy::zeroize::Zeroizing;

use super::super::{Person, VaultError};
use super::{Failure, PersonKeys, open, phrase};

/// Where a person's recovery file is kept: `keys/<person>.recovery.age`.
pub(crate) fn recovery_path(key_file: &Path) -> PathBuf {
    key_file.with_extension("recovery.age")
}

/// The letters of a recovery code: Crockford's base32 (no I, L, O or U, so nothing
/// reads as another letter).
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 20 letters of 5 bits: 100 random bits, shown as five groups of four.
const CODE_LETTERS: usize = 20;

/// A new random recovery code, as it is shown: `XXXX-XXXX-XXXX-XXXX-XXXX`.
///
/// Each letter is five bits from the operating system's random source (one byte,
/// its low five bits: uniform, since 32 divides 256).
pub(crate) fn new_recovery_code() -> Result<SecretString, VaultError> {
    let mut random = Zeroizing::new([0_u8; CODE_LETTERS]);
    getrandom::fill(&mut *random).map_err(|e| VaultError::NoRandomness {
        reason: e.to_string(),
    })?;
    let mut code = String::with_capacity(CODE_LETTERS + 4);
    for (i, byte) in random.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(CODE_ALPHABET[usize::from(byte & 31)]));
    }
    Ok(SecretString::from(code))
}

/// A typed recovery code as the passphrase it seals with: case, spaces and dashes do
/// not matter, and O, I and L are read as 0, 1 and 1.
pub(crate) fn normalise_code(typed: &str) -> SecretString {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    SecretString::from(code)
}

/// Opens a recovery file with a (normalised) code.
pub(crate) fn open_recovery(
    path: &Path,
    person: &Person,
    code: &SecretString,
) -> Result<PersonKeys, VaultError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(VaultError::NoRecoveryCode {
                name: person.name.clone(),
            });
        }
        Err(e) => return Err(VaultError::io("read the recovery file", path)(e)),
    };
    open(&bytes, &person.id, code).map_err(|failure| match failure {
        Failure::WrongPassphrase => VaultError::WrongRecoveryCode {
            name: person.name.clone(),
        },
        other => phrase(other, person, path, None),
    })
}
