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
    let write = |bytes: &[u8]| {
        if force {
            fsutil::write_atomic(path, bytes)
        } else {
            fsutil::write_new_atomic(path, bytes)
        }
    };
    if recipients.is_empty() {
        return write(contents.as_bytes());
    }
    let sealed = crypt::encrypt(
        recipients.iter().map(|r| r as &dyn age::Recipient),
        contents.as_bytes(),
    )
    .map_err(|reason| VaultError::Encrypt {
        path: path.to_owned(),
        reason,
    })?;
    write(&sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_never_replaces_a_file_unless_forced_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        write_export(&path, "first", &[], false).unwrap();
        let again = write_export(&path, "second", &[], false);
        assert!(
            matches!(again, Err(VaultError::ExportExists { .. })),
            "{again:?}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        write_export(&path, "third", &[], true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "third");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["summary.md"], "no temp file is left beside it");
    }
}
