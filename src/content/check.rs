//! `mend check FILE...`: every problem in every workbook file, as text for a terminal.
//! A folder stands for the `.toml` files in it, as it does for `mend --content`.
//!
//! The binary calls [`check_files`] and exits non-zero when it reports errors; warnings
//! are printed but do not fail the check, since the workbook still loads. The
//! validation itself lives in [`super::validate`].

use std::io::{self, Write};
use std::path::PathBuf;

use super::validate::check_file;
use super::{Diagnostic, Workbook};

/// Checks each file, writing each problem as `file:line:column: error: message` (or
/// `warning:`) with a hint below it, then `file: ok (...)` for a file that loads, or
/// `file: ok with N warnings (...)` when it had warnings. Returns how many errors it
/// found.
pub fn check_files(paths: &[PathBuf], out: &mut impl Write) -> io::Result<usize> {
    let mut errors = 0;
    // A folder with no workbook in it stays itself, to be reported as such.
    let expanded = paths
        .iter()
        .flat_map(|path| match super::workbook_files(path) {
            files if path.is_dir() && !files.is_empty() => files,
            _ => vec![path.clone()],
        });
    for path in &expanded.collect::<Vec<_>>() {
        let (workbook, diagnostics) = check_file(path);
        for diagnostic in &diagnostics {
            writeln!(out, "{diagnostic}")?;
        }
        errors += diagnostics.iter().filter(|d| d.is_error()).count();
        if let Some(workbook) = workbook {
            let warnings = diagnostics.iter().filter(|d| !Diagnostic::is_error(d));
            let status = match warnings.count() {
                0 => "ok".to_owned(),
                n => format!("ok with {}", count(n, "warning")),
            };
            writeln!(
                out,
                "{}: {status} ({})",
                // Sanitized like the diagnostics' file names: it goes to a terminal.
                crate::text::sanitize(&path.display().to_string()),
                summary(&workbook)
            )?;
        }
    }
    Ok(errors)
}

/// "2 modules, 5 exercises, 18 steps", then the roles and the check-in if any.
fn summary(workbook: &Workbook) -> String {
    let exercises = workbook.modules.iter().flat_map(|module| &module.exercises);
    let steps: usize = exercises.clone().map(|exercise| exercise.steps.len()).sum();
    let mut parts = vec![
        count(workbook.modules.len(), "module"),
        count(exercises.count(), "exercise"),
        count(steps, "step"),
    ];
    if !workbook.roles.is_empty() {
        parts.push(count(workbook.roles.len(), "role"));
    }
    if let Some(checkin) = &workbook.checkin {
        parts.push(format!(
            "a check-in of {}",
            count(checkin.steps.len(), "step")
        ));
    }
    parts.join(", ")
}

fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
