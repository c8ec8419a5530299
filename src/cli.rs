//! The command line: `mend` runs the workbook; subcommands do one thing each.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "mend",
    version,
    about = "A private, offline workbook for rebuilding trust. Everything you write is encrypted on this computer.",
    after_help = crate::command_error::EXIT_CODES_HELP
)]
pub struct Cli {
    /// Where the vault lives (default: your platform's local data folder).
    #[arg(long, env = "MEND_DATA_DIR", global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Lock after this many minutes without a keypress.
    #[arg(
        long,
        env = "MEND_LOCK_AFTER",
        default_value_t = 5,
        value_name = "MINUTES",
        value_parser = clap::value_parser!(u16).range(1..=1440)
    )]
    pub lock_after: u16,

    /// Also offer the workbooks in this file or folder (can be given more than once).
    /// Workbooks in mend's `workbooks` config folder are always offered.
    #[arg(long, value_name = "DIR", global = true)]
    pub content: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check workbook files and report every problem with `file:line:column`.
    Check {
        /// Workbook files (TOML).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List the people who have a profile in this vault.
    People,
    /// Write a summary of your answers to a file, for a counselling session.
    Export(ExportArgs),
    /// Change your passphrase, replace a forgotten one with your recovery code, or make
    /// a new recovery code.
    Passwd(PasswdArgs),
    /// Try a workbook file as its readers would see it, in memory: nothing is written
    /// anywhere, and `v` on home switches between the roles' views.
    Try {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Write a commented starter workbook to PATH, to copy and edit.
    NewWorkbook {
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
}

/// `mend passwd`: whose passphrase, and what to do with it.
#[derive(Debug, clap::Args)]
pub struct PasswdArgs {
    /// Whose passphrase (a name from `mend people`); needed when two people share the vault.
    #[arg(long)]
    pub person: Option<String>,
    /// I forgot my passphrase: use my recovery code to set a new one.
    #[arg(long, conflicts_with = "new_recovery_code")]
    pub recover: bool,
    /// Make a new recovery code (shown once; it replaces any earlier one).
    #[arg(long)]
    pub new_recovery_code: bool,
}

/// `mend export`: what goes in, where it goes, and how it is protected.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The document's format.
    #[arg(long, value_enum, default_value_t = FormatArg::Markdown)]
    pub format: FormatArg,
    /// The file to write. It is not encrypted unless you give --recipient.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Whose answers (a name from `mend people`); needed when two people share the vault.
    #[arg(long, value_name = "NAME")]
    pub person: Option<String>,
    /// Only entries on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<chrono::NaiveDate>,
    /// Only entries on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<chrono::NaiveDate>,
    /// Only this workbook (its id).
    #[arg(long, value_name = "ID")]
    pub workbook: Option<String>,
    /// Only these modules (ids; can be given more than once).
    #[arg(long, value_name = "ID")]
    pub module: Vec<String>,
    /// Only these exercises (ids; can be given more than once).
    #[arg(long, value_name = "ID")]
    pub exercise: Vec<String>,
    /// Include your private answers too (otherwise only what you shared).
    #[arg(long)]
    pub include_private: bool,
    /// Leave out the check-in trends.
    #[arg(long)]
    pub no_trends: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Write the summary even if some files could not be read (they are named, and
    /// left out); without it, nothing is written and mend exits with an error.
    #[arg(long)]
    pub keep_going: bool,
    /// Read the passphrase from the first line of this file (for scripts); otherwise it
    /// is asked for on the terminal, never taken from the command line.
    #[arg(long, value_name = "PATH")]
    pub passphrase_file: Option<PathBuf>,
    /// Who the summary is for, e.g. your counsellor's name: a line in its header.
    #[arg(long = "for", value_name = "NAME")]
    pub prepared_for: Option<String>,
    /// Encrypt the export to this age public key (age1...), e.g. your counsellor's;
    /// can be given more than once.
    #[arg(long, value_name = "AGE_KEY")]
    pub recipient: Vec<String>,
}

/// `--format`: the formats an export is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    #[value(alias = "md")]
    Markdown,
    Html,
    #[value(alias = "txt")]
    Text,
}

impl From<FormatArg> for crate::export::Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Markdown => Self::Markdown,
            FormatArg::Html => Self::Html,
            FormatArg::Text => Self::Text,
        }
    }
}
