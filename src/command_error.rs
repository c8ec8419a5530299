//! How a command ends when it does not succeed: one variant per thing a person can be
//! told, each a sentence that says what to do, and the exit code it ends with.
//!
//! The exit codes (also in the README and `mend --help`):
//! - 0: done;
//! - 1: refused, or problems found (`mend check`), with a sentence on what to do;
//! - 2: the command line was not understood (clap's own code, kept for ours);
//! - 3: reading or writing failed, or the vault is damaged: nothing mend was asked to do
//!   was done, and the sentence says what to check.

use std::io;
use std::path::PathBuf;

use crate::driver::DriverError;
use crate::vault::VaultError;

/// Exit code: done.
pub const OK: u8 = 0;
/// Exit code: refused, or problems found.
pub const REFUSED: u8 = 1;
/// Exit code: the command line was not understood.
pub const USAGE: u8 = 2;
/// Exit code: reading or writing failed, or the vault is damaged.
pub const FAILED: u8 = 3;

/// The exit codes, as `--help` shows them.
pub const EXIT_CODES_HELP: &str = "Exit codes: 0 done; 1 refused, or problems found (mend check); \
     2 the command line was not understood; 3 reading or writing failed, or the vault is \
     damaged.";

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Vault(#[from] VaultError),

    #[error(transparent)]
    Driver(#[from] DriverError),

    #[error(
        "There is no {what} '{id}' in the workbooks mend has. The {what}s are: {}.",
        .valid.join(", ")
    )]
    UnknownId {
        what: &'static str,
        id: String,
        valid: Vec<String>,
    },

    #[error("No one has a profile in this vault yet. Run `mend` to make one.")]
    NoProfiles,

    #[error("Two people share this vault: say whose with --person NAME (see `mend people`).")]
    WhichPerson,

    #[error("No one called '{0}' has a profile here; `mend people` lists who does.")]
    NoSuchPerson(String),

    /// `what` is the secret, in the person's words: "passphrase", "recovery code".
    #[error("cannot read the {what} file '{}': {source}", .path.display())]
    SecretFile {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },

    /// A secret file that holds something other than one secret on one line.
    #[error(
        "the {what} file '{}' {problem}. It must hold only the {what}, on one line; \
         nothing was changed.",
        .path.display()
    )]
    SecretFileShape {
        what: &'static str,
        path: PathBuf,
        problem: &'static str,
    },

    /// There is no terminal to ask on; `options` would have given each secret in a file.
    #[error(
        "there is no terminal to ask for secrets on, so nothing was changed. In a script, \
         give {}, {} a file only you can read (chmod 600) that holds just that secret, on \
         one line.",
        .options.iter().map(|option| format!("{option} PATH")).collect::<Vec<_>>().join(" and "),
        if .options.len() > 1 { "with each PATH" } else { "with PATH" }
    )]
    NoTerminal { options: Vec<&'static str> },

    #[error("the terminal closed; nothing was changed")]
    TerminalClosed,

    #[error("cancelled; nothing was changed")]
    Cancelled,

    #[error("A passphrase cannot be empty; nothing was changed.")]
    EmptyPassphrase,

    /// A new passphrase from a file that is too easy to guess: the sentence says why
    /// and what to do. Nothing was changed.
    #[error("{0} Nothing was changed.")]
    WeakPassphrase(String),

    #[error("The two new passphrases differ; nothing was changed. Try again.")]
    PassphrasesDiffer,

    #[error(
        "{} file(s) could not be read, so the summary would leave them out. Nothing was \
         written. Add --keep-going to write it without them.\n{}",
        .files.len(),
        .files.join("\n")
    )]
    Unreadable { files: Vec<String> },

    /// `mend check` found problems; they were printed on standard output.
    #[error("{0} problem(s) found")]
    ContentProblems(usize),

    #[error("could not write the report: {0}")]
    Output(io::Error),

    #[error("'{}' already exists; nothing was written. Choose a new file name.", .0.display())]
    WorkbookExists(PathBuf),

    #[error("cannot create '{}': {source}", .path.display())]
    CreateWorkbook { path: PathBuf, source: io::Error },
}

impl CommandError {
    /// The code the process exits with.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Vault(error) | Self::Driver(DriverError::Vault(error)) => vault_code(error),
            Self::Driver(_)
            | Self::SecretFile { .. }
            | Self::TerminalClosed
            | Self::Output(_)
            | Self::CreateWorkbook { .. } => FAILED,
            Self::UnknownId { .. } | Self::NoTerminal { .. } => USAGE,
            Self::NoProfiles
            | Self::WhichPerson
            | Self::NoSuchPerson(_)
            | Self::Cancelled
            | Self::EmptyPassphrase
            | Self::WeakPassphrase(_)
            | Self::PassphrasesDiffer
            | Self::Unreadable { .. }
            | Self::ContentProblems(_)
            | Self::WorkbookExists(_)
            | Self::SecretFileShape { .. } => REFUSED,
        }
    }

    /// Whether the sentence is worth printing: `mend check` has printed its problems.
    #[must_use]
    pub fn says_something(&self) -> bool {
        !matches!(self, Self::ContentProblems(_))
    }
}

/// A vault error is a refusal when the person can put it right by asking differently
/// (another passphrase, name or file); otherwise reading, writing or the vault failed.
fn vault_code(error: &VaultError) -> u8 {
    use VaultError as E;
    match error {
        E::WrongPassphrase { .. }
        | E::NoName
        | E::WrongRecoveryCode { .. }
        | E::NoRecoveryCode { .. }
        | E::NotAMissingProfile
        | E::NoPassphrase
        | E::UnknownPerson { .. }
        | E::AlreadyOpen { .. }
        | E::ExportExists { .. }
        | E::BadRecipient { .. }
        | E::Locked
        | E::Trying { .. } => REFUSED,
        E::BadKdfCost { .. } => USAGE,
        E::NoDataDir
        | E::Io { .. }
        | E::DiskFull { .. }
        | E::NewerFormat { .. }
        | E::DamagedConfig { .. }
        | E::ConfigLost { .. }
        | E::KeyFileMissing { .. }
        | E::EmptyKeyFile { .. }
        | E::DamagedKeyFile { .. }
        | E::ExcessiveWork { .. }
        | E::KeyFileOfOtherPerson { .. }
        | E::KeyFileSwapped { .. }
        | E::RecipientMismatch { .. }
        | E::WrongAuthor { .. }
        | E::Encrypt { .. }
        | E::NoRandomness { .. } => FAILED,
    }
}
