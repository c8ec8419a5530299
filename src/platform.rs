//! What differs between operating systems, fenced here: one interface, a `unix` half
//! and a `windows` half, and no `std::os::unix` or `std::os::windows` anywhere else.
//!
//! - **Privacy of files and folders.** On Unix every folder is made 0700 and every file
//!   0600, then set so explicitly (a permissive umask must not leave a vault open), and
//!   a file or folder open to group or others is found and set back. On Windows the
//!   per-user local app-data folder is readable only by its account by default and new
//!   files inherit that; nothing here changes access lists (see the README).
//! - **Durability.** On Unix a rename is made durable by syncing its folder; Windows
//!   cannot open a folder as a file, and its file system journals renames itself.
//! - **A file's identity**, for the entry cache: on Unix the device, inode, size, and the
//!   modification and change times (the change time no program can set back); on
//!   Windows the size and the creation and last-write times.
//! - **Ways mend is asked to end** (signals on Unix, console events on Windows), and
//!   whether the terminal has hung up (asked before each wait for a key, so a closed
//!   window ends mend at once).
//! - **Core dumps**, turned off on Unix before anything is decrypted.
//! - **Memory given back** after an unlock (glibc keeps freed pages otherwise).

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::*;

/// What identifies one version of a file without reading it: two numbers that place the
/// file (device and inode on Unix), its length, and two times (seconds and nanoseconds)
/// that change when it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    pub place: (u64, u64),
    pub len: u64,
    pub written: (i64, i64),
    pub changed: (i64, i64),
}

/// What a wait for the terminal came to (see `wait_for_input`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waited {
    /// Something to read, or a signal: look.
    Input,
    /// Nothing happened before the timeout.
    Quiet,
    /// The terminal hung up (its window closed).
    HungUp,
    /// There is no terminal to wait on here: the terminal library must wait.
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_file_is_not_open_to_others_and_its_identity_follows_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        private_file(&mut options);
        let file = options.open(&path).unwrap();
        make_file_private(&file).unwrap();
        drop(file);
        let before = identity(&path, &std::fs::metadata(&path).unwrap());
        assert!(!open_to_others(&std::fs::metadata(&path).unwrap()));
        std::fs::write(&path, b"longer than before").unwrap();
        let after = identity(&path, &std::fs::metadata(&path).unwrap());
        assert_ne!(before, after, "a rewritten file is a new version");
    }

    #[test]
    fn a_private_folder_is_made_and_its_renames_can_be_made_durable() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("x").join("y");
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        private_dir(&mut builder);
        builder.create(&sub).unwrap();
        make_path_private(&sub, true).unwrap();
        assert!(!open_to_others(&std::fs::metadata(&sub).unwrap()));
        sync_dir(&sub).unwrap();
    }
}
