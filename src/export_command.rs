//! `mend export` on the command line: unlock one person, choose what goes in, render,
//! and write the file (0600, atomically; sealed to a counsellor's age key if given).
//! Shell code: it reads the terminal for the passphrase and touches the disk through
//! the vault.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use age::secrecy::SecretString;
use age::secrecy::zeroize::Zeroizing;
use chrono::{Local, Offset, Utc};
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use crate::cli::ExportArgs;
use crate::command_error::CommandError;
use crate::content::{ExerciseId, ModuleId, Workbook, WorkbookId};
use crate::export::{self, Format, Selection};
use crate::vault::{self, Vault};

/// Runs the export; what it did, as a sentence for the person.
pub fn run(
    vault: &mut Vault,
    workbooks: &[Workbook],
    args: &ExportArgs,
) -> Result<String, CommandError> {
    let format = Format::from(args.format);
    check_ids(workbooks, args)?;
    let recipients = vault::parse_recipients(&args.recipient)?;
    if args.out.exists() && !args.force {
        return Err(vault::VaultError::ExportExists {
            path: args.out.clone(),
        }
        .into());
    }
    let person = choose_person(vault, args.person.as_deref())?;
    let passphrase = match &args.passphrase_file {
        Some(path) => secret_from_file(path, "passphrase")?,
        None => prompt_hidden(
            &format!("Passphrase for {}: ", person.name),
            &["--passphrase-file"],
        )?,
    };
    // The entry folder is listed on the other core while the key is derived.
    let shared: &Vault = vault;
    let (keys, listing) = std::thread::scope(|scope| {
        let listing = scope.spawn(|| shared.list_entries(&person.id));
        let keys = shared.unlock(&person.id, &passphrase);
        (keys, listing.join().ok())
    });
    let keys = confirm_names(vault, keys?)?;
    let listing = listing.unwrap_or_else(|| vault.list_entries(&keys.person.id));
    let loaded = vault.load_listed(&keys, listing);
    say_unreadable(&loaded, args.keep_going)?;
    let selection = Selection {
        since: args.since,
        until: args.until,
        workbook: args.workbook.as_deref().map(WorkbookId::new),
        modules: args
            .module
            .iter()
            .map(|m| ModuleId::new(m.as_str()))
            .collect(),
        exercises: args
            .exercise
            .iter()
            .map(|e| ExerciseId::new(e.as_str()))
            .collect(),
        entries: None,
        include_private: args.include_private,
        include_trends: !args.no_trends,
        prepared_for: args.prepared_for.clone(),
    };
    // The pipeline the export screen uses too.
    let text = export::summary(
        &export::Request {
            workbooks,
            me: &person,
            people: vault.people(),
            entries: &loaded.entries,
            selection: &selection,
            generated: Utc::now(),
            offset: Local::now().offset().fix(),
        },
        format,
    );
    vault::write_export(vault.data_dir(), &args.out, &text, &recipients, args.force)?;
    Ok(wrote(&args.out, recipients.len()))
}

/// Refuses a `--workbook`, `--module` or `--exercise` id no loaded workbook has, naming
/// the ones there are, before anything is asked or opened: an unknown id would otherwise
/// quietly make a summary of check-ins only.
fn check_ids(workbooks: &[Workbook], args: &ExportArgs) -> Result<(), CommandError> {
    let chosen: Vec<&Workbook> = workbooks
        .iter()
        .filter(|w| {
            args.workbook
                .as_deref()
                .is_none_or(|id| w.id.as_str() == id)
        })
        .collect();
    let unknown = |what: &'static str, given: &[String], valid: Vec<String>| match given
        .iter()
        .find(|id| !valid.contains(id))
    {
        Some(id) => Err(CommandError::UnknownId {
            what,
            id: id.clone(),
            valid,
        }),
        None => Ok(()),
    };
    let workbook_ids = workbooks.iter().map(|w| w.id.as_str().to_owned()).collect();
    unknown("workbook", args.workbook.as_slice(), workbook_ids)?;
    let modules = chosen.iter().flat_map(|w| &w.modules);
    let module_ids = modules.clone().map(|m| m.id.as_str().to_owned()).collect();
    unknown("module", &args.module, module_ids)?;
    let exercise_ids = modules
        .filter(|m| args.module.is_empty() || args.module.iter().any(|id| id == m.id.as_str()))
        .flat_map(|m| &m.exercises)
        .map(|e| e.id.as_str().to_owned())
        .collect();
    unknown("exercise", &args.exercise, exercise_ids)
}

/// Whatever the load could not read (and set aside or left in place) would be missing
/// from the summary without a word: says what, and refuses unless told to go on.
fn say_unreadable(loaded: &vault::Loaded, keep_going: bool) -> Result<(), CommandError> {
    for notice in &loaded.notices {
        let _ = writeln!(
            io::stderr(),
            "mend: {}: {}",
            notice.file.display(),
            notice.message
        );
    }
    if loaded.problems.is_empty() {
        return Ok(());
    }
    let files: Vec<String> = loaded
        .problems
        .iter()
        .map(|p| format!("  {}: {}", p.file.display(), p.message))
        .collect();
    if !keep_going {
        return Err(CommandError::Unreadable { files });
    }
    let _ = writeln!(
        io::stderr(),
        "mend: left out {} file(s) that could not be read:\n{}",
        files.len(),
        files.join("\n")
    );
    Ok(())
}

/// What the person is told once the summary is written to `out`.
fn wrote(out: &Path, recipients: usize) -> String {
    if recipients == 0 {
        format!(
            "Wrote '{}'. It is NOT encrypted: anyone who can open it can read it, and a synced folder copies it elsewhere.",
            out.display()
        )
    } else {
        format!(
            "Wrote '{}', encrypted to {recipients} age key(s). Open it with: age -d -i KEY_FILE {}",
            out.display(),
            out.display()
        )
    }
}

/// The names checked against the unlocked person's own record (the summary shows
/// names), saying on stderr anything that was put right.
fn confirm_names(
    vault: &mut Vault,
    mut keys: vault::Unlocked,
) -> Result<vault::Unlocked, CommandError> {
    let confirmed = vault.confirm_people(&mut keys);
    for note in keys.people_notes() {
        let _ = writeln!(io::stderr(), "mend: {note}");
    }
    confirmed?;
    Ok(keys)
}

pub(crate) fn choose_person(
    vault: &Vault,
    name: Option<&str>,
) -> Result<vault::Person, CommandError> {
    let people = vault.people();
    match (name, people) {
        (_, []) if vault.missing() > 0 => Err(vault::VaultError::ConfigLost {
            path: vault.data_dir().join(vault::CONFIG_FILE),
        }
        .into()),
        (_, []) => Err(CommandError::NoProfiles),
        (None, [only]) => Ok(only.clone()),
        (None, _) => Err(CommandError::WhichPerson),
        (Some(name), people) => people
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .ok_or_else(|| CommandError::NoSuchPerson(name.to_owned())),
    }
}

/// The longest secret mend takes, in bytes: the terminal prompt stops there too, so a
/// passphrase set from a file can always be typed.
const MAX_SECRET: usize = 1024;

/// The secret in `path` (`what` it is, for messages), a script's way to give one: the
/// file's one line, without its line ending. The command line has refused a file that
/// other accounts could read (`cli::private_file`). The bytes go into one buffer that
/// never grows, so no stray copy is left in memory, and that is wiped when dropped; the
/// secret is never shown, nor put in an error.
pub(crate) fn secret_from_file(
    path: &Path,
    what: &'static str,
) -> Result<SecretString, CommandError> {
    let unreadable = |source| CommandError::SecretFile {
        what,
        path: path.to_owned(),
        source,
    };
    let shape = |problem| CommandError::SecretFileShape {
        what,
        path: path.to_owned(),
        problem,
    };
    let file = File::open(path).map_err(unreadable)?;
    // Room for the longest secret, its line ending and one byte more, to tell a file
    // that holds more.
    let room = MAX_SECRET + 3;
    let mut bytes = Zeroizing::new(Vec::with_capacity(room));
    file.take(room as u64)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    let line = match bytes.strip_suffix(b"\n") {
        Some(line) => line.strip_suffix(b"\r").unwrap_or(line),
        None => &bytes[..],
    };
    if line.is_empty() {
        return Err(shape("is empty"));
    }
    if line.contains(&b'\n') || line.contains(&b'\r') {
        return Err(shape("holds more than one line"));
    }
    if line.len() > MAX_SECRET {
        return Err(shape("is longer than mend takes (1024 bytes)"));
    }
    let text = std::str::from_utf8(line).map_err(|_| shape("is not text (UTF-8)"))?;
    Ok(SecretString::from(text.to_owned()))
}

/// Asks for a secret on the terminal (stderr) without echoing it. Without a terminal,
/// says to give `script_options` instead: the options that would have given, in files,
/// every secret this command still needs.
pub(crate) fn prompt_hidden(
    label: &str,
    script_options: &[&'static str],
) -> Result<SecretString, CommandError> {
    let mut err = io::stderr();
    // Echo goes off before the question is asked: a secret typed (or pasted) the moment
    // the prompt shows must never be echoed, nor read with the line editing's rules.
    crossterm::terminal::enable_raw_mode().map_err(|_| CommandError::NoTerminal {
        options: script_options.to_vec(),
    })?;
    let _ = write!(err, "{label}");
    let _ = err.flush();
    let typed = read_hidden();
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = writeln!(err);
    typed
}

fn read_hidden() -> Result<SecretString, CommandError> {
    // Wiped when dropped, on every return path.
    let mut typed = Zeroizing::new(String::with_capacity(1024));
    loop {
        let key = match event::read() {
            Ok(Event::Key(key)) => key,
            Ok(_) => continue,
            // The terminal went away: stop, rather than spin on an error.
            Err(_) => return Err(CommandError::TerminalClosed),
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        match key.code {
            // Copied out (SecretString wipes its copy); the buffer itself is wiped here.
            KeyCode::Enter => return Ok(SecretString::from(typed.as_str())),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return Err(CommandError::Cancelled);
            }
            KeyCode::Backspace => {
                typed.pop();
            }
            // Never past the capacity, so the buffer is never reallocated and copied.
            KeyCode::Char(c) if typed.len() + c.len_utf8() <= 1024 => typed.push(c),
            _ => {}
        }
    }
}
