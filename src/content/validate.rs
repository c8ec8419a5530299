//! Raw workbook -> validated workbook. (stub: being written)

use std::path::Path;

use super::{Diagnostic, Workbook};

/// Parses and validates workbook source text; `name` is how diagnostics name the file.
pub fn parse_str(name: &str, source: &str) -> Result<Workbook, Vec<Diagnostic>> {
    let _ = (name, source);
    todo!()
}

/// Reads, parses and validates a workbook file, refusing files over
/// [`super::MAX_FILE_BYTES`] and invalid UTF-8 with a diagnostic.
pub fn load_file(path: &Path) -> Result<Workbook, Vec<Diagnostic>> {
    let _ = path;
    todo!()
}
