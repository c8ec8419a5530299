//! The `mend` binary: parse the command line, run, map errors to exit codes.

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::TimeDelta;

use mend::cli::{self, Cli, Command};
use mend::command_error::{self, CommandError};
use mend::vault::{KdfCost, Paths, Vault, VaultError};
use mend::{content, driver};

fn main() -> ExitCode {
    no_core_dumps();
    let cli = cli::parse();
    let result = match cli.command {
        Some(Command::Check { ref files }) => check(files),
        Some(Command::People) => people(&cli),
        Some(Command::Help { ref command }) => cli::help(command.as_deref()).exit(),
        Some(Command::Completions { shell }) => {
            let mut out = io::stdout().lock();
            cli::write_completions(shell, &mut out);
            out.flush().map_err(CommandError::Output)
        }
        Some(Command::Man) => {
            let mut out = io::stdout().lock();
            cli::write_man_page(&mut out)
                .and_then(|()| out.flush())
                .map_err(CommandError::Output)
        }
        Some(Command::NewWorkbook { ref path }) => new_workbook(path),
        Some(Command::Try { ref file }) => try_workbook(file),
        Some(Command::Export(ref args)) => open_vault(&cli).and_then(|mut vault| {
            mend::export_command::run(&mut vault, &workbooks(&cli).0, args).map(|done| say(&done))
        }),
        Some(Command::Passwd(ref args)) => open_vault(&cli)
            .and_then(|vault| mend::passwd_command::run(&vault, args).map(|done| say(&done))),
        None => run(&cli),
    };
    match result {
        Ok(()) => ExitCode::from(command_error::OK),
        Err(error) => {
            if error.says_something() {
                // Never a panic here: after a closed window, stderr is a terminal that
                // is gone.
                let _ = writeln!(io::stderr(), "mend: {error}");
            }
            ExitCode::from(error.exit_code())
        }
    }
}

fn check(files: &[std::path::PathBuf]) -> Result<(), CommandError> {
    let mut out = io::stdout().lock();
    let problems = content::check::check_files(files, &mut out).map_err(CommandError::Output)?;
    out.flush().map_err(CommandError::Output)?;
    match problems {
        0 => Ok(()),
        n => Err(CommandError::ContentProblems(n)),
    }
}

/// `mend try FILE`: the file's problems, as `mend check` prints them, or the workbook
/// opened in memory.
fn try_workbook(file: &std::path::Path) -> Result<(), CommandError> {
    let (workbook, _) = content::validate::check_file(file);
    let Some(workbook) = workbook else {
        return check(&[file.to_path_buf()]);
    };
    let name = mend::text::sanitize(&file.display().to_string()).into_owned();
    Ok(driver::try_workbook(workbook, &name)?)
}

fn open_vault(cli: &Cli) -> Result<Vault, CommandError> {
    let paths = Paths::resolve(cli.data_dir.clone())?;
    let vault = Vault::open(&paths, KdfCost::from_env()?)?;
    // The workbook says it on screen; a command says it here.
    if let (Some(notice), Some(_)) = (vault.config_notice(), &cli.command) {
        let _ = writeln!(io::stderr(), "mend: {notice}");
    }
    Ok(vault)
}

/// `mend people`: the names, read without the vault's lock, so it works while mend is
/// open in another window (see `vault::read_people`); it writes nothing.
fn people(cli: &Cli) -> Result<(), CommandError> {
    let paths = Paths::resolve(cli.data_dir.clone())?;
    let list = mend::vault::read_people(&paths)?;
    if let Some(notice) = &list.notice {
        let _ = writeln!(io::stderr(), "mend: {notice}");
    }
    if list.people.is_empty() && list.missing > 0 {
        return Err(VaultError::ConfigLost {
            path: paths.data_dir.join(mend::vault::CONFIG_FILE),
        }
        .into());
    }
    if list.people.is_empty() {
        say("No one has a profile in this vault yet. Run `mend` to create one.");
    }
    for person in &list.people {
        let mend::domain::PersonId(id) = &person.id;
        say(&format!("{}  (id {id})", person.name));
    }
    Ok(())
}

fn run(cli: &Cli) -> Result<(), CommandError> {
    // The workbooks are read on the other core while the vault is opened: both come
    // before the first frame.
    let sources = workbook_sources(cli);
    let reading = std::thread::spawn(move || content::library(&sources));
    let vault = open_vault(cli)?;
    let (workbooks, broken) = reading
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let idle = TimeDelta::minutes(i64::from(cli.lock_after));
    driver::run(vault, workbooks, broken, idle, front(cli))?;
    Ok(())
}

/// Plain lines when asked for, or when the terminal cannot draw a full screen (`TERM`
/// is `dumb`, or the output is not a terminal).
fn front(cli: &Cli) -> driver::Front {
    use std::io::IsTerminal;
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    if cli.plain || dumb || !io::stdout().is_terminal() {
        driver::Front::Plain
    } else {
        driver::Front::FullScreen
    }
}

/// The built-in workbook, `--content` ones, and those in the config workbooks folder.
fn workbooks(cli: &Cli) -> (Vec<content::Workbook>, Vec<content::Broken>) {
    content::library(&workbook_sources(cli))
}

/// Where workbooks other than the built-in one are looked for: `--content`, and the
/// config workbooks folder.
fn workbook_sources(cli: &Cli) -> Vec<std::path::PathBuf> {
    let mut sources = cli.content.clone();
    if let Some(dirs) = directories::ProjectDirs::from("", "", "mend") {
        sources.push(dirs.config_dir().join("workbooks"));
    }
    sources
}

/// Writes the starter workbook, never over an existing file.
fn new_workbook(path: &std::path::Path) -> Result<(), CommandError> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    let mut file = match file {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(CommandError::WorkbookExists(path.to_owned()));
        }
        Err(source) => {
            return Err(CommandError::CreateWorkbook {
                path: path.to_owned(),
                source,
            });
        }
    };
    file.write_all(content::STARTER_SOURCE.as_bytes())
        .map_err(|source| CommandError::CreateWorkbook {
            path: path.to_owned(),
            source,
        })?;
    say(&format!(
        "Wrote a starter workbook to '{}'. Edit it, check it with `mend check {}`, then open it with `mend --content {}`.",
        path.display(),
        path.display(),
        path.display()
    ));
    Ok(())
}

/// One line on standard output. A reader that went away (`mend people | head -0`)
/// loses the line; it is not a reason to panic.
fn say(line: &str) {
    let _ = writeln!(io::stdout(), "{line}");
}

/// A core dump of a running mend would hold decrypted answers and keys in a plaintext
/// file, so mend turns them off for itself before anything is decrypted.
fn no_core_dumps() {
    if mend::platform::no_core_dumps().is_err() {
        eprintln!("mend: warning: could not turn off core dumps for this process.");
    }
}
