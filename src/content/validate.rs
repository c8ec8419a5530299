//! Raw workbook -> validated workbook, reporting every problem at once.
//!
//! The stages, each adding to one `Report` so a single run lists everything:
//! 1. [`check_file`] refuses files over [`MAX_FILE_BYTES`] and invalid UTF-8.
//! 2. The TOML is parsed into a spanned document (a syntax error stops here).
//! 3. `shape` walks it against `schema`: unknown keys, wrong value types, keys a
//!    step's kind does not use, missing keys; it removes what it reports.
//! 4. serde reads what is left into the [`raw`](super::raw) mirror.
//! 5. `build`, `roles` and `steps` check the values (ids, duplicates, empty text,
//!    ranges, roles named by `for_role`) and build the validated types, sanitizing
//!    every piece of text on the way (with a warning where that changed it).
//!
//! [`check_str`] and [`check_file`] return warnings with the errors, for `mend check`;
//! [`parse_str`] and [`load_file`] drop the warnings, for loading a workbook to use.

mod build;
mod quotes;
mod report;
mod roles;
mod schema;
mod shape;
mod steps;
mod values;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use toml::de::{DeTable, Deserializer};

use self::report::Report;
use super::raw::RawFile;
use super::{Diagnostic, MAX_FILE_BYTES, Severity, Workbook};

/// Parses and validates workbook source text; `name` is how diagnostics name the file.
/// Warnings are dropped: `Err` holds the errors, and comes only when there are some.
pub fn parse_str(name: &str, source: &str) -> Result<Workbook, Vec<Diagnostic>> {
    errors_only(check_str(name, source))
}

/// Reads, parses and validates a workbook file, like [`check_file`], dropping warnings.
pub fn load_file(path: &Path) -> Result<Workbook, Vec<Diagnostic>> {
    errors_only(check_file(path))
}

/// Parses and validates workbook source text, returning the workbook when it has no
/// errors, and every error and warning in file order either way.
pub fn check_str(name: &str, source: &str) -> (Option<Workbook>, Vec<Diagnostic>) {
    if source.len() as u64 > MAX_FILE_BYTES {
        return (None, vec![too_large(name)]);
    }
    let mut report = Report::new(name, source);
    let mut document = match DeTable::parse(source) {
        Ok(document) => document,
        Err(error) => {
            syntax_error(&error, source, &mut report);
            return (None, report.into_diagnostics());
        }
    };
    shape::check(&mut document, &mut report);
    let raw = match RawFile::deserialize(Deserializer::from(document)) {
        Ok(raw) => raw,
        Err(error) => {
            // The shape check removes everything serde could refuse, so this is only
            // reached if the schema and the raw mirror disagree.
            let span = error.span().unwrap_or(0..0);
            report.at(
                &span,
                format!("cannot read this part of the workbook: {}", error.message()),
                "check the spelling and the type of this value against the content format",
            );
            return (None, report.into_diagnostics());
        }
    };
    let workbook = build::workbook(raw, &mut report);
    if workbook.is_none() && !report.has_errors() {
        report.at(
            &(0..0),
            "the workbook could not be read, for a reason mend failed to name",
            "please report this as a bug in mend, with the file attached",
        );
    }
    let workbook = workbook.filter(|_| !report.has_errors());
    (workbook, report.into_diagnostics())
}

/// Reads, parses and validates a workbook file, refusing files over
/// [`super::MAX_FILE_BYTES`] and invalid UTF-8 with a diagnostic. Returns the workbook
/// when it has no errors, and every error and warning either way.
pub fn check_file(path: &Path) -> (Option<Workbook>, Vec<Diagnostic>) {
    // Sanitized: a file name is printed back to the terminal with every problem.
    let name = crate::text::sanitize(&path.display().to_string()).into_owned();
    // A pipe or a device would block the read (or never end): refused before opening.
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            let what = if meta.is_dir() {
                "this is a folder, and no workbook (.toml) file is in it"
            } else {
                "this is not a regular file (a pipe, a socket or a device), not a workbook file"
            };
            let problem = at_start(
                &name,
                what.to_owned(),
                "give the path of a workbook's .toml file, or of a folder that holds some",
            );
            return (None, vec![problem]);
        }
        _ => {}
    }
    let bytes = match read_at_most(path, MAX_FILE_BYTES + 1) {
        Ok(bytes) => bytes,
        Err(error) => {
            let problem = at_start(
                &name,
                format!("cannot read the file: {error}"),
                "check that the path is right and that you are allowed to read the file",
            );
            return (None, vec![problem]);
        }
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return (None, vec![too_large(&name)]);
    }
    match std::str::from_utf8(&bytes) {
        Ok(source) => refuse_builtin_id(&name, source, check_str(&name, source)),
        Err(error) => (None, vec![invalid_utf8(&name, &bytes, error.valid_up_to())]),
    }
}

/// A workbook file may not take the built-in workbook's id: mend would refuse to open
/// it, so `mend check` says so too, at the id's line.
fn refuse_builtin_id(
    name: &str,
    source: &str,
    (workbook, mut diagnostics): (Option<Workbook>, Vec<Diagnostic>),
) -> (Option<Workbook>, Vec<Diagnostic>) {
    let builtin = super::BUILTIN_ID;
    // The built-in workbook's own source (checked by whoever edits it) is itself.
    if source == super::BUILTIN_SOURCE || workbook.as_ref().is_none_or(|w| w.id.as_str() != builtin)
    {
        return (workbook, diagnostics);
    }
    let line = source
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix("id")
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1);
    diagnostics.push(Diagnostic {
        file: name.to_owned(),
        line,
        column: 1,
        severity: Severity::Error,
        message: format!("the id '{builtin}' is the built-in workbook's own"),
        hint: "give this workbook an id of its own; entries refer to it, so choose it once \
               and keep it"
            .to_owned(),
    });
    (None, diagnostics)
}

/// The workbook, or only the errors when there is none.
fn errors_only(
    (workbook, diagnostics): (Option<Workbook>, Vec<Diagnostic>),
) -> Result<Workbook, Vec<Diagnostic>> {
    workbook.ok_or_else(|| {
        diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect()
    })
}

/// Reads up to `limit` bytes, so a huge file is never read whole.
fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path)?.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn at_start(file: &str, message: String, hint: &str) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message,
        hint: hint.to_owned(),
    }
}

fn too_large(file: &str) -> Diagnostic {
    at_start(
        file,
        format!(
            "the file is larger than {} MiB, the most a workbook may be",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
        "a workbook is text only; split it into smaller workbooks, or check that this is \
         the right file",
    )
}

fn invalid_utf8(file: &str, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let valid = std::str::from_utf8(&bytes[..valid_up_to]).expect("from_utf8 said so");
    let (line, column) = Report::new(file, valid).position(valid_up_to);
    Diagnostic {
        file: file.to_owned(),
        line,
        column,
        severity: Severity::Error,
        message: "the file is not valid UTF-8 text".to_owned(),
        hint: "save the file as UTF-8 in your editor (often \"Save with encoding\"); \
               this character was written in another encoding"
            .to_owned(),
    }
}

fn syntax_error(error: &toml::de::Error, source: &str, report: &mut Report<'_>) {
    let span = error.span().unwrap_or(0..0);
    // The parser stops where a mistake starts to matter, which for these two can be
    // far from the mistake itself: name the cause instead.
    if let Some(opened) = quotes::unclosed_multiline(source) {
        let delimiter = &source[opened.clone()];
        report.at(
            &opened,
            format!("the text opened with {delimiter} here is never closed"),
            format!(
                "put {delimiter} on a line of its own where this text ends; until then \
                 everything after it is read as part of the text"
            ),
        );
        return;
    }
    if let Some(curly) = quotes::curly_quote_on_line(source, span.start) {
        let quote = &source[curly.clone()];
        report.at(
            &curly,
            format!("this line has a curly quote ({quote}), as a word processor types it"),
            "TOML needs straight quotes: retype the quotes around this text as \", like \
             title = \"Before you begin\", and write workbooks in a plain-text editor",
        );
        return;
    }
    if error.message() == "duplicate key" {
        let key = source.get(span.clone()).unwrap_or_default();
        report.at(
            &span,
            format!("`{key}` is written twice in the same table"),
            "keep one of them; if this is a second module, exercise or step, start it \
             with its own [[...]] line",
        );
        return;
    }
    report.at(
        &span,
        format!("this is not valid TOML: {}", error.message()),
        "look for a missing quote, bracket or `=` here or at the end of the line \
         before; text goes in double quotes, like title = \"Before you begin\"",
    );
}
