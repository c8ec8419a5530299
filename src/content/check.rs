//! `mend check FILE...`: every problem in every workbook file, as text for a terminal.
//!
//! The binary calls [`check_files`] and exits non-zero when it reports problems; the
//! validation itself lives in [`super::validate`].

use std::io::{self, Write};
use std::path::PathBuf;

use super::Workbook;
use super::validate::load_file;

/// Checks each file, writing each problem as `file:line:column: message` with a hint
/// below it, or `file: ok (...)` for a file with none. Returns how many problems it found.
pub fn check_files(paths: &[PathBuf], out: &mut impl Write) -> io::Result<usize> {
    let mut problems = 0;
    for path in paths {
        match load_file(path) {
            Ok(workbook) => writeln!(out, "{}: ok ({})", path.display(), summary(&workbook))?,
            Err(diagnostics) => {
                for diagnostic in &diagnostics {
                    writeln!(out, "{diagnostic}")?;
                }
                problems += diagnostics.len();
            }
        }
    }
    Ok(problems)
}

/// "2 modules, 5 exercises, 18 steps".
fn summary(workbook: &Workbook) -> String {
    let exercises = workbook.modules.iter().flat_map(|module| &module.exercises);
    let steps: usize = exercises.clone().map(|exercise| exercise.steps.len()).sum();
    [
        count(workbook.modules.len(), "module"),
        count(exercises.count(), "exercise"),
        count(steps, "step"),
    ]
    .join(", ")
}

fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
