//! The command line: `mend` runs the workbook; subcommands do one thing each.
//!
//! [`command`] is the definition every use reads: parsing ([`parse`]), `--help`, the
//! shell completions and the man page, so none of them can describe an option mend
//! does not have. The options every command takes (`--data-dir`, `--content`) are
//! accepted before or after the command's name, and shown once, in `mend --help`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Arg, CommandFactory, FromArgMatches, Parser, Subcommand, ValueHint};

/// Where `mend --help` points to the generated extras, which are left out of its list
/// of commands: they are for installing mend, not for using it.
const MORE_HELP: &str = "Shell completions and a man page: `mend completions bash|zsh|fish` and \
     `mend man` print them (the README says where to put them).";

#[derive(Debug, Parser)]
#[command(
    name = "mend",
    version,
    about = "A private, offline workbook for rebuilding trust. Everything you write is encrypted on this computer.",
    after_help = format!("{}\n\n{MORE_HELP}", crate::command_error::EXIT_CODES_HELP),
    // Replaced by `Command::Help`: clap's own takes no `--help`, so `mend help --help`
    // was an error.
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Where the vault lives (default: your platform's local data folder).
    #[arg(
        long,
        env = "MEND_DATA_DIR",
        global = true,
        value_name = "DIR",
        value_hint = ValueHint::DirPath
    )]
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

    /// Plain mode, for screen readers: every screen said as lines of text, with no
    /// cursor movement, colour or redraws; commands are words and lists are numbered.
    /// Also chosen when TERM is dumb or the output is not a terminal.
    #[arg(long)]
    pub plain: bool,

    /// Also offer the workbooks in this file or folder (can be given more than once).
    /// Workbooks in mend's `workbooks` config folder are always offered.
    #[arg(long, value_name = "DIR", global = true, value_hint = ValueHint::AnyPath)]
    pub content: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check workbook files and report every problem with `file:line:column`.
    Check {
        /// Workbook files (TOML), or folders of them.
        #[arg(required = true, value_name = "FILE", value_hint = ValueHint::AnyPath)]
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
        /// The workbook file (TOML).
        #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
        file: PathBuf,
    },
    /// Write a commented starter workbook to PATH, to copy and edit.
    NewWorkbook {
        /// The file to write; it must not exist yet.
        #[arg(value_name = "PATH", value_hint = ValueHint::FilePath)]
        path: PathBuf,
    },
    /// Print a completion script for SHELL on standard output, e.g.
    /// `mend completions bash > ~/.local/share/bash-completion/completions/mend`.
    #[command(hide = true)]
    Completions {
        /// The shell the script is for.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print mend's man page (roff) on standard output, e.g.
    /// `mend man > ~/.local/share/man/man1/mend.1`.
    #[command(hide = true)]
    Man,
    /// Print this help, or the help of COMMAND (the same as `mend COMMAND --help`).
    Help {
        /// A command's name, e.g. `export`.
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
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
    /// For scripts: read the current passphrase from this file (one line, in a file
    /// only you can read) instead of asking on the terminal.
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "recover",
        value_parser = private_file,
        value_hint = ValueHint::FilePath
    )]
    pub passphrase_file: Option<PathBuf>,
    /// For scripts: read the new passphrase from this file (one line, in a file only you
    /// can read) instead of asking for it twice on the terminal.
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "new_recovery_code",
        value_parser = private_file,
        value_hint = ValueHint::FilePath
    )]
    pub new_passphrase_file: Option<PathBuf>,
    /// For scripts, with --recover: read the recovery code from this file (one line, in
    /// a file only you can read) instead of asking on the terminal.
    #[arg(
        long,
        value_name = "PATH",
        requires = "recover",
        value_parser = private_file,
        value_hint = ValueHint::FilePath
    )]
    pub recovery_code_file: Option<PathBuf>,
}

/// `mend export`: what goes in, where it goes, and how it is protected.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The document's format.
    #[arg(long, value_enum, default_value_t = FormatArg::Markdown)]
    pub format: FormatArg,
    /// The file to write. It is not encrypted unless you give --recipient.
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
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
    /// For scripts: read the passphrase from this file (one line, in a file only you can
    /// read); otherwise it is asked for on the terminal, never taken from the command line.
    #[arg(
        long,
        value_name = "PATH",
        value_parser = private_file,
        value_hint = ValueHint::FilePath
    )]
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

/// mend's command line: [`Cli`]'s definitions, with the options every command takes
/// shown once, in `mend --help`, rather than repeated in each command's help.
///
/// clap shows a `global` option in every command's help. A command that already has
/// an option with the same id does not get the global one (so this copy, hidden, is
/// the one it has), and clap still hands a value given after the command's name up to
/// [`Cli`], by id: `mend people --data-dir DIR` works as it always has.
#[must_use]
pub fn command() -> clap::Command {
    let command = Cli::command();
    let global: Vec<Arg> = command
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .cloned()
        .collect();
    command.mut_subcommands(|sub| {
        global
            .iter()
            .fold(sub, |sub, arg| sub.arg(arg.clone().hide(true)))
    })
}

/// The command line this process was started with. Help, the version and a command
/// line that was not understood are printed here, and the process ends (0 or 2).
#[must_use]
pub fn parse() -> Cli {
    let mut matches = command().get_matches();
    Cli::from_arg_matches_mut(&mut matches)
        .unwrap_or_else(|error| error.format(&mut command()).exit())
}

/// `mend help [COMMAND]`: what `mend [COMMAND] --help` prints (or the error for a
/// command there is not), as a clap "error" to print and exit with.
#[must_use]
pub fn help(name: Option<&str>) -> clap::Error {
    let args = ["mend"].into_iter().chain(name).chain(["--help"]);
    match command().try_get_matches_from(args) {
        Err(shown) => shown,
        // `--help` always ends parsing with the help to show.
        Ok(_) => clap::Error::new(clap::error::ErrorKind::DisplayHelp),
    }
}

/// `mend completions SHELL`: the completion script, from the same definitions.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut command(), "mend", out);
}

/// `mend man`: the man page, in roff. One page holds every command, each with its
/// synopsis, description and options: `clap_mangen` alone would list the commands as
/// pages of their own (`mend-check(1)`), which one printed page cannot install.
pub fn write_man_page(out: &mut dyn Write) -> io::Result<()> {
    use clap_mangen::Man;
    let command = command();
    let top = Man::new(command.clone());
    // The title brings roff's preamble; every later part comes without it.
    top.render_title(out)?;
    for render in [
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ] {
        out.write_all(roff_part(|w| render(&top, w))?.as_bytes())?;
    }
    out.write_all(b".SH COMMANDS\n")?;
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = format!("mend {}", sub.get_name());
        let man = Man::new(sub.clone().bin_name(&name));
        let heading = clap_mangen::roff::Roff::new()
            .control("SS", [name.as_str()])
            .to_roff();
        out.write_all(heading.as_bytes())?;
        for render in [
            Man::render_synopsis_section,
            Man::render_description_section,
            Man::render_options_section,
        ] {
            // Inside COMMANDS, one command's sections are paragraphs under its heading.
            let part = roff_part(|w| render(&man, w))?;
            for line in part.lines() {
                let line = if line.starts_with(".SH ") {
                    ".PP"
                } else {
                    line
                };
                writeln!(out, "{line}")?;
            }
        }
    }
    for render in [Man::render_extra_section, Man::render_version_section] {
        out.write_all(roff_part(|w| render(&top, w))?.as_bytes())?;
    }
    Ok(())
}

/// What `render` writes, without the preamble roff puts before every part.
fn roff_part(render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> io::Result<String> {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let mut part = Vec::new();
    render(&mut part)?;
    let text = String::from_utf8(part).map_err(io::Error::other)?;
    Ok(text.strip_prefix(PREAMBLE).unwrap_or(&text).to_owned())
}

/// The value of a `--*-file` option that holds a secret: refused when other accounts
/// on this computer could read or change the file, as ssh refuses such a private key,
/// since a secret there is no longer yours alone. Only ordinary files are judged: a
/// pipe (`<(pass show mend)`, `/dev/stdin`) is private to the two programs it joins.
/// A file that cannot be looked at is passed on, for the read to say why.
fn private_file(value: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(value);
    if let Some(mode) = open_to_others(&path) {
        return Err(format!(
            "other accounts on this computer can read or change '{value}' (permissions \
             {mode:04o}), so mend will not take a secret from it. Make it yours alone with \
             `chmod 600 '{value}'` and run this again."
        ));
    }
    Ok(path)
}

/// The file's permission bits, when an ordinary file's let others in.
fn open_to_others(path: &Path) -> Option<u32> {
    crate::platform::file_mode_open_to_others(path)
}
