//! Everything that can go wrong in the vault, as sentences a person can act on.
//!
//! Each message says what happened, then what to do, with the file path in quotes.
//! No message ever carries a passphrase, a key, or anything a person wrote: the only
//! user data that may appear is a profile's display name (already sanitised) and paths.
//! Problems with single entry files are not errors: they become
//! [`FileProblem`](super::FileProblem)s so one damaged file never stops the others.

use std::io;
use std::path::PathBuf;

use crate::domain::{EntryId, PersonId};

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(
        "mend cannot find a home folder to keep its data in. Choose a folder with \
         --data-dir PATH (or set MEND_DATA_DIR) and try again."
    )]
    NoDataDir,

    #[error(
        "MEND_KDF_LOG_N is set to '{value}', {problem}. Unset it to use the standard \
         cost ({}), or set a value from {min} to {}.",
        super::KdfCost::RELEASE_LOG_N,
        super::KdfCost::MAX_LOG_N
    )]
    BadKdfCost {
        value: String,
        problem: &'static str,
        min: u8,
    },

    #[error("could not {doing} '{}': {source}. {}", .path.display(), io_hint(.source))]
    Io {
        doing: &'static str,
        path: PathBuf,
        source: io::Error,
    },

    /// ENOSPC or EDQUOT, from any write: said first and plainly, since the person can
    /// fix it, rather than as one more "could not write" with an OS error number.
    #[error(
        "The disk is full, so mend could not save '{}'. Free some space on this disk, \
         then try again; nothing already saved was changed.",
        .path.display()
    )]
    DiskFull { path: PathBuf },

    #[error(
        "another mend is already open on this vault ('{}' is locked). Close the other \
         mend first, then try again.",
        .path.display()
    )]
    AlreadyOpen { path: PathBuf },

    #[error(
        "'{}' was made by a newer version of mend (format {found}; this mend reads up \
         to {supported}). Update mend to open it; nothing was changed.",
        .path.display()
    )]
    NewerFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error(
        "'{}' is damaged and cannot be read: {reason}. Nothing was changed. Restore it \
         from a backup, or fix the place named above; entries and key files are untouched.",
        .path.display()
    )]
    DamagedConfig { path: PathBuf, reason: String },

    #[error(
        "'{}', the list of who has a profile here, is missing, and so is its copy, but \
         this folder still holds people's key files and entries. Nothing was changed. Run \
         `mend` and unlock with your passphrase: it puts the list back from the record \
         your key keeps of it.",
        .path.display()
    )]
    ConfigLost { path: PathBuf },

    #[error(
        "That passphrase did not open any of the profiles missing from the list. Check \
         Caps Lock and try again."
    )]
    NotAMissingProfile,

    #[error(
        "mend could not get random numbers from the operating system ({reason}), so no \
         recovery code was made. Try again; if it keeps happening, your system's random \
         source needs attention."
    )]
    NoRandomness { reason: String },

    #[error(
        "mend was locked before this could be saved. Nothing already saved was changed; \
         unlock and try again."
    )]
    Locked,

    #[error(
        "{what} is not part of trying a workbook: while you try one, nothing is written \
         anywhere, and the answers are gone when you quit."
    )]
    Trying { what: &'static str },

    #[error("A profile needs a name. Type the name you want to be shown as, then try again.")]
    NoName,

    #[error("A profile needs a passphrase. Type one you will remember, then try again.")]
    NoPassphrase,

    #[error(
        "There is no profile '{id}' in '{}'. Choose a profile from the list, or create one.",
        .path.display()
    )]
    UnknownPerson { id: PersonId, path: PathBuf },

    #[error(
        "The key file for {name}'s profile is missing: '{}'. Without it the profile \
         cannot be opened. Restore the file from a backup and try again.",
        .path.display()
    )]
    KeyFileMissing { name: String, path: PathBuf },

    #[error(
        "The key file for {name}'s profile is empty: '{}' (it was probably cut short by a \
         crash or a full disk). {}",
        .path.display(),
        restore_hint(.backup.as_ref())
    )]
    EmptyKeyFile {
        name: String,
        path: PathBuf,
        backup: Option<PathBuf>,
    },

    #[error(
        "The key file for {name}'s profile is damaged: '{}' ({reason}). {}",
        .path.display(),
        restore_hint(.backup.as_ref())
    )]
    DamagedKeyFile {
        name: String,
        path: PathBuf,
        reason: &'static str,
        backup: Option<PathBuf>,
    },

    #[error("That passphrase did not open {name}'s profile. Check Caps Lock and try again.")]
    WrongPassphrase { name: String },

    #[error(
        "That recovery code did not open {name}'s profile. Check it against the copy you \
         wrote down (letters and digits; dashes and spaces do not matter) and try again."
    )]
    WrongRecoveryCode { name: String },

    #[error(
        "{name}'s profile has no recovery code, so a forgotten passphrase cannot be \
         replaced. If you remember it, unlock with it; you can make a recovery code from \
         the home screen once you are in."
    )]
    NoRecoveryCode { name: String },

    #[error(
        "The key file for {name}'s profile ('{}') asks for far more work to open (scrypt \
         log_n {required}; mend allows up to {}) than mend ever uses, so mend did not try. \
         It was not made by mend or was changed; restore it from a backup.",
        .path.display(),
        super::KdfCost::MAX_LOG_N
    )]
    ExcessiveWork {
        name: String,
        path: PathBuf,
        required: u8,
    },

    #[error(
        "The key file '{}' belongs to a different profile than {name}'s. Key files were \
         moved or renamed outside mend; put each back under its own name and try again.",
        .path.display()
    )]
    KeyFileOfOtherPerson { name: String, path: PathBuf },

    #[error(
        "The key file under {name}'s name ('{}') is {holder}'s, not {name}'s: key files were \
         swapped or copied over one another outside mend. Nothing was changed. {}",
        .path.display(),
        match .yours {
            Some(yours) => format!(
                "{name}'s own key file is at '{}'; put each back under its own name (with \
                 its .sums file) and try again.",
                yours.display()
            ),
            None => "Put each key file back under its own name (with its .sums file), or \
                     restore the keys folder from a backup, and try again."
                .to_owned(),
        }
    )]
    KeyFileSwapped {
        name: String,
        /// The other person: their id from the key file module, their name once the
        /// vault has put it in.
        holder: String,
        path: PathBuf,
        yours: Option<PathBuf>,
    },

    #[error(
        "The shared key listed for {name} in '{}' is not the one mend recorded for \
         {name}: vault.toml was changed outside mend, which could let someone else read \
         shared answers. mend refused to unlock; nothing was shown or saved. Restore \
         vault.toml from a backup, or ask someone you trust for help if you did not \
         change it.",
        .path.display()
    )]
    RecipientMismatch { name: String, path: PathBuf },

    #[error(
        "Entry '{entry}' was written by another profile, so {name} cannot save it. \
         Nothing was saved; this is a bug in mend, please report it."
    )]
    WrongAuthor { name: String, entry: EntryId },

    #[error(
        "could not encrypt '{}': {reason}. Nothing was saved; try again, and report this \
         if it keeps happening.",
        .path.display()
    )]
    Encrypt { path: PathBuf, reason: String },
    #[error(
        "'{value}' is not an age public key. A counsellor makes one with `age-keygen`; it starts with 'age1'."
    )]
    BadRecipient { value: String },
    #[error(
        "'{}' already exists, so nothing was written. Choose another file name, or add --force to replace it.",
        path.display()
    )]
    ExportExists { path: PathBuf },
}

impl VaultError {
    /// A closure for `map_err` that wraps an IO error with what was being done and where
    /// ([`VaultError::DiskFull`] when the disk or the person's quota is full).
    pub(crate) fn io(
        doing: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> Self {
        let path = path.into();
        move |source| match source.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Self::DiskFull { path },
            _ => Self::Io {
                doing,
                path,
                source,
            },
        }
    }
}

/// What to do about an IO error, in the person's terms.
fn io_hint(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            "Check that this folder belongs to you and is writable, then try again."
        }
        io::ErrorKind::NotFound => {
            "Check that the folder exists (and the drive is connected), then try again."
        }
        _ => {
            "Check the disk and the folder's permissions, then try again; nothing already saved was changed."
        }
    }
}

fn restore_hint(backup: Option<&PathBuf>) -> String {
    match backup {
        Some(bak) => format!(
            "Nothing was changed. Its backup copy '{}' did not open with this passphrase \
             either: if you changed your passphrase, type the one you had before; or use \
             your recovery code (Ctrl-R on the unlock screen, or `mend passwd --recover`); \
             or restore the key file from a backup of your own.",
            bak.display()
        ),
        None => "Nothing was changed. If you have a recovery code, use it (Ctrl-R on the \
                 unlock screen, or `mend passwd --recover`); otherwise restore the file from \
                 a backup and try again."
            .to_owned(),
    }
}
