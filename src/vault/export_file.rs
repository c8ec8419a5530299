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

/// Where an export in progress names its temp file, in the data dir: a crash while
/// writing would otherwise leave a plaintext `.tmp-*` file in the folder the person
/// chose, where no sweep looks. It holds a path (as UTF-8 text; an export to a folder
/// whose name is not valid text is not remembered, see below), never content, and is
/// gone once the write ends; the next open removes the named temp file if it is still
/// there.
pub(crate) const EXPORT_PENDING: &str = "export.pending";

/// Writes `contents` to `path`: sealed to `recipients` when there are any, plaintext
/// otherwise. Refuses to replace an existing file unless `force`. The temp file it
/// writes through is named in `<data_dir>/export.pending` for as long as it may exist.
pub fn write_export(
    data_dir: &Path,
    path: &Path,
    contents: &str,
    recipients: &[age::x25519::Recipient],
    force: bool,
) -> Result<(), VaultError> {
    let bytes = if recipients.is_empty() {
        contents.as_bytes().to_vec()
    } else {
        crypt::encrypt(
            recipients.iter().map(|r| r as &dyn age::Recipient),
            contents.as_bytes(),
        )
        .map_err(|reason| VaultError::Encrypt {
            path: path.to_owned(),
            reason,
        })?
    };
    let temp = fsutil::temp_beside(path);
    let marker = data_dir.join(EXPORT_PENDING);
    // A folder whose name is not valid UTF-8 cannot be written down portably: the export
    // goes ahead unremembered, as before this record existed, rather than refused.
    let remembered = temp
        .to_str()
        .map(|named| fsutil::write_atomic(&marker, named.as_bytes()));
    if let Some(Err(error)) = remembered {
        return Err(error);
    }
    let written = if force {
        fsutil::write_atomic_via(&temp, path, &bytes)
    } else {
        fsutil::write_new_atomic_via(&temp, path, &bytes)
    };
    // The temp file is gone either way (each write removes it); so is the reason to
    // remember it. If this removal fails, the next open finds nothing to sweep.
    let _ = fsutil::remove_if_present(&marker);
    written
}

/// Removes the temp file a crashed export left, if `export.pending` names one (only a
/// file with a temp file's name is ever removed), then the record itself.
pub(crate) fn sweep_pending(data_dir: &Path) {
    let marker = data_dir.join(EXPORT_PENDING);
    let Ok(named) = std::fs::read(&marker) else {
        return;
    };
    let Ok(named) = String::from_utf8(named) else {
        let _ = fsutil::remove_if_present(&marker);
        return;
    };
    let temp = Path::new(&named);
    let is_temp = temp
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(fsutil::is_temp_name);
    if is_temp && temp.is_file() {
        let _ = std::fs::remove_file(temp);
    }
    let _ = fsutil::remove_if_present(&marker);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_never_replaces_a_file_unless_forced_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        let data = tempfile::tempdir().unwrap();
        let data = data.path();
        write_export(data, &path, "first", &[], false).unwrap();
        let again = write_export(data, &path, "second", &[], false);
        assert!(
            matches!(again, Err(VaultError::ExportExists { .. })),
            "{again:?}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        write_export(data, &path, "third", &[], true).unwrap();
        assert!(!data.join(EXPORT_PENDING).exists(), "nothing left to sweep");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "third");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["summary.md"], "no temp file is left beside it");
    }
}
