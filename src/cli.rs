//! The command line: `mend` runs the workbook; subcommands do one thing each.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "mend",
    version,
    about = "A private, offline workbook for rebuilding trust. Everything you write is encrypted on this computer."
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
    /// Write a commented starter workbook to PATH, to copy and edit.
    NewWorkbook {
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
}
