//! Private, crash-safe file operations: the only place the vault creates files or
//! folders, so permissions and atomicity are decided once.
//!
//! Every folder is made 0700 and every file 0600 *and then* set explicitly, because
//! the mode passed at creation is filtered by the umask and a permissive umask (`000`)
//! must not leave a vault readable by others. Writes go to a `.tmp-<uuid>` file in the
//! same folder, are synced, renamed over the target and the folder is synced, so a
//! crash leaves either the old file or the new one, never half of one. Leftover temp
//! files (from a crash mid-write) are swept when the vault opens.

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::platform;

use uuid::Uuid;

use super::VaultError;

/// Prefix of in-flight files; never a valid entry or key file name.
pub(crate) const TEMP_PREFIX: &str = ".tmp-";

/// Creates `dir` (and missing parents) as 0700, and sets 0700 on it even if it existed.
pub(crate) fn ensure_private_dir(dir: &Path) -> Result<(), VaultError> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    platform::private_dir(&mut builder);
    builder
        .create(dir)
        .map_err(VaultError::io("create the folder", dir))?;
    platform::make_path_private(dir, true)
        .map_err(VaultError::io("set 0700 permissions on the folder", dir))
}

/// A new temp file name beside `path` (what the sweeps recognise).
pub(crate) fn temp_beside(path: &Path) -> PathBuf {
    parent(path).join(format!("{TEMP_PREFIX}{}", Uuid::new_v4().simple()))
}

/// Whether `name` is one of mend's temp file names (`.tmp-` and 32 hex digits).
pub(crate) fn is_temp_name(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .is_some_and(|rest| rest.len() == 32 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Replaces `path` with `bytes` atomically: temp file, write, sync, rename, sync folder.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    write_atomic_via(&temp_beside(path), path, bytes)
}

/// [`write_atomic`] through the temp file `temp` (beside `path`), named by the caller.
pub(crate) fn write_atomic_via(temp: &Path, path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    let dir = parent(path);
    let written = write_new_private(temp, path, bytes)
        .and_then(|()| fs::rename(temp, path).map_err(VaultError::io("replace the file", path)));
    if written.is_err() {
        // Best effort: the sweep at the next open removes it if this fails too.
        let _ = fs::remove_file(temp);
    }
    written?;
    sync_dir(dir)
}

/// Creates a new 0600 file at `path` holding `bytes`, synced to disk, through the temp
/// file `temp` (beside `path`). Like [`write_atomic`], but never replaces anything: the
/// complete file appears under `path` only if nothing is there (a hard link fails if the
/// name exists, where a rename would silently replace a file that appeared after a check).
pub(crate) fn write_new_atomic_via(
    temp: &Path,
    path: &Path,
    bytes: &[u8],
) -> Result<(), VaultError> {
    let dir = parent(path);
    let linked = write_new_private(temp, path, bytes).and_then(|()| {
        fs::hard_link(temp, path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                VaultError::ExportExists {
                    path: path.to_owned(),
                }
            } else {
                VaultError::io("create the file", path)(e)
            }
        })
    });
    let _ = fs::remove_file(temp);
    linked?;
    sync_dir(dir)
}

/// Creates the temp file `temp` for `target`; errors name `target`, the file the person
/// knows of (the temp file is gone by the time they read the message).
fn write_new_private(temp: &Path, target: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    platform::private_file(&mut options);
    let mut file = options
        .open(temp)
        .map_err(VaultError::io("create the file", target))?;
    platform::make_file_private(&file)
        .map_err(VaultError::io("set 0600 permissions on the file", target))?;
    file.write_all(bytes)
        .and_then(|()| sync(&file))
        .map_err(VaultError::io("write the file", target))
}

/// Makes a rename or removal in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), VaultError> {
    platform::sync_dir(dir).map_err(VaultError::io("save changes to the folder", dir))
}

/// `sync_all`, the step of a save that waits for the disk. Debug builds only: with
/// `MEND_DEBUG_SLOW_SYNC_MS` set, each one first waits that long, so tests can end mend
/// (a signal, a closed window) in the middle of a save as a busy or network disk would
/// let them. Release builds compile the wait out.
fn sync(file: &File) -> std::io::Result<()> {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("MEND_DEBUG_SLOW_SYNC_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    file.sync_all()
}

/// Removes `path`, and is content if it is already gone.
pub(crate) fn remove_if_present(path: &Path) -> Result<(), VaultError> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(parent(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(VaultError::io("delete the file", path)(e)),
    }
}

/// Opens (creating 0600 if needed) and exclusively locks `path`. The lock lasts as long
/// as the returned file is open; the file itself is never renamed or replaced.
pub(crate) fn lock(path: &Path) -> Result<File, VaultError> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    platform::private_file(&mut options);
    let file = options
        .open(path)
        .map_err(VaultError::io("open the lock file", path))?;
    platform::make_file_private(&file)
        .map_err(VaultError::io("set 0600 permissions on the file", path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(VaultError::AlreadyOpen {
            path: path.to_owned(),
        }),
        Err(fs::TryLockError::Error(e)) => Err(VaultError::io("lock", path)(e)),
    }
}

/// Locks the folder `dir` itself, as [`lock`] locks a file: a folder cannot be deleted
/// or swapped for another while it is open and holds files.
/// `None` where a folder cannot be opened as a file (Windows): the lock file is enough.
pub(crate) fn lock_folder(dir: &Path) -> Result<Option<File>, VaultError> {
    let Some(folder) =
        platform::open_folder(dir).map_err(VaultError::io("open the folder", dir))?
    else {
        return Ok(None);
    };
    match folder.try_lock() {
        Ok(()) => Ok(Some(folder)),
        Err(fs::TryLockError::WouldBlock) => Err(VaultError::AlreadyOpen {
            path: dir.to_owned(),
        }),
        Err(fs::TryLockError::Error(e)) => Err(VaultError::io("lock", dir)(e)),
    }
}

/// Deletes leftover `.tmp-*` files directly inside `dir` (a missing `dir` is fine).
/// Only call while holding the vault lock, or another mend's write could be swept.
pub(crate) fn sweep_temp_files(dir: &Path) -> Result<(), VaultError> {
    for path in list(dir)? {
        let is_temp = file_name(&path).starts_with(TEMP_PREFIX);
        if is_temp && path.is_file() {
            fs::remove_file(&path).map_err(VaultError::io("remove the leftover file", &path))?;
        }
    }
    Ok(())
}

/// Every path directly inside `dir`; a missing `dir` is empty.
pub(crate) fn list(dir: &Path) -> Result<Vec<PathBuf>, VaultError> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(VaultError::io("list the folder", dir)(e)),
    };
    read.map(|item| item.map(|item| item.path()))
        .collect::<io::Result<Vec<_>>>()
        .map_err(VaultError::io("list the folder", dir))
}

/// Moves `path` into `quarantine_dir` under an unused name; returns where it went.
pub(crate) fn quarantine(path: &Path, quarantine_dir: &Path) -> Result<PathBuf, VaultError> {
    ensure_private_dir(quarantine_dir)?;
    let name = file_name(path);
    let mut target = quarantine_dir.join(&name);
    let mut n = 1;
    while target.exists() {
        target = quarantine_dir.join(format!("{name}.{n}"));
        n += 1;
    }
    fs::rename(path, &target).map_err(VaultError::io("quarantine the file", path))?;
    sync_dir(parent(path))?;
    sync_dir(quarantine_dir)?;
    Ok(target)
}

/// The file name as text (lossy: vault file names are always ASCII).
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The folder `path` is in: `.` for a bare file name, whose parent is the empty path
/// (which cannot be opened to flush it).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Every folder and file under `dir` that another account could read or change (any
/// group or other permission bit), each tightened to 0700/0600 on the way. Missing is
/// fine; what cannot be inspected is skipped. The files directly in `shallow` (the
/// folder that grows with the vault) are left to the load, which reads their metadata
/// anyway (see [`tighten_file`]), so starting up never walks ten years of entries.
///
/// Returns what was found open, and of those what could not be set back (the person is
/// told to do it themselves, never that it was done).
pub(crate) fn tighten_loosened(dir: &Path, shallow: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut loosened = Vec::new();
    let mut still_open = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(path) = pending.pop() {
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            continue;
        }
        if platform::open_to_others(&meta) {
            if platform::make_path_private(&path, meta.is_dir()).is_err() {
                still_open.push(path.clone());
            }
            loosened.push(path.clone());
        }
        if meta.is_dir()
            && path != shallow
            && let Ok(listing) = fs::read_dir(&path)
        {
            pending.extend(listing.filter_map(Result::ok).map(|e| e.path()));
        }
    }
    loosened.sort();
    still_open.sort();
    (loosened, still_open)
}

/// What [`tighten_file`] found.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tightened {
    /// Private already.
    No,
    /// Open to other accounts, and set back to 0600.
    Yes,
    /// Open to other accounts, and setting it back failed.
    Failed,
}

/// Sets a file another account could open back to 0600.
pub(crate) fn tighten_file(path: &Path, meta: &fs::Metadata) -> Tightened {
    if !platform::open_to_others(meta) {
        return Tightened::No;
    }
    match platform::make_path_private(path, false) {
        Ok(()) => Tightened::Yes,
        Err(_) => Tightened::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_file_name_is_in_the_current_folder() {
        // `Path::parent` of "summary.html" is "", which cannot be opened to flush.
        assert_eq!(parent(Path::new("summary.html")), Path::new("."));
        assert_eq!(parent(Path::new("./summary.html")), Path::new("."));
        assert_eq!(parent(Path::new("a/b/summary.html")), Path::new("a/b"));
        assert_eq!(parent(Path::new("/summary.html")), Path::new("/"));
    }

    fn private(path: &Path) -> bool {
        !platform::open_to_others(&fs::metadata(path).unwrap())
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.age");
        write_atomic(&target, b"one").unwrap();
        write_atomic(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert!(private(&target));
        assert_eq!(list(dir.path()).unwrap(), vec![target]);
    }

    #[test]
    fn private_dir_is_tightened_when_it_already_existed() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("x");
        fs::create_dir(&sub).unwrap();
        platform::loosen(&sub).unwrap();
        ensure_private_dir(&sub).unwrap();
        assert!(private(&sub));
    }

    #[test]
    fn sweep_removes_only_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".tmp-abc"), b"x").unwrap();
        fs::write(dir.path().join("keep.age"), b"x").unwrap();
        sweep_temp_files(dir.path()).unwrap();
        assert_eq!(list(dir.path()).unwrap(), vec![dir.path().join("keep.age")]);
    }

    #[test]
    fn quarantine_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let q = dir.path().join("quarantine");
        for body in [b"1", b"2"] {
            let file = dir.path().join("e.age");
            fs::write(&file, body).unwrap();
            quarantine(&file, &q).unwrap();
        }
        assert_eq!(fs::read(q.join("e.age")).unwrap(), b"1");
        assert_eq!(fs::read(q.join("e.age.1")).unwrap(), b"2");
        assert!(private(&q));
    }
}
