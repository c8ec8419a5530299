//! Writing an export the person asked for: the one time mend puts their words on disk
//! in a file they chose, plaintext unless sealed to a counsellor's age key. Written
//! atomically and 0600, never over an existing file unless asked.

use std::path::Path;
use std::str::FromStr;

use super::{VaultError, crypt, fsutil};

/// Who an export is sealed to: age X25519 public keys (`age1...`), e.g. a counsellor's.
pub fn parse_recipients(keys: &[String]) -> Result<Vec<age::x25519::Recipient>, VaultError> {
    keys.iter()
        .map(|key| {
            age::x25519::Recipient::from_str(key.trim())
                .map_err(|_| VaultError::BadRecipient { value: key.clone() })
        })
        .collect()
}

/// Writes `contents` to `path`: sealed to `recipients` when there are any, plaintext
/// otherwise. Refuses to replace an existing file unless `force`.
pub fn write_export(
    path: &Path,
    contents: &str,
    recipients: &[age::x25519::Recipient],
    force: bool,
) -> Result<(), VaultError> {
    if path.exists() && !force {
        return Err(VaultError::ExportExists {
            path: path.to_owned(),
        });
    }
    if recipients.is_empty() {
        return fsutil::write_atomic(path, contents.as_bytes());
    }
    let sealed = crypt::encrypt(
        recipients.iter().map(|r| r as &dyn age::Recipient),
        contents.as_bytes(),
    )
    .map_err(|reason| VaultError::Encrypt {
        path: path.to_owned(),
        reason,
    })?;
    fsutil::write_atomic(path, &sealed)
}
