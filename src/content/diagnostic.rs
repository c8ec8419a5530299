//! A problem found in a workbook file, located and explained.

use std::fmt;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The workbook cannot be used until this is fixed.
    Error,
    /// The workbook loads, but something in it was changed or is probably a mistake.
    Warning,
}

impl Severity {
    /// The word printed after the location: "error" or "warning".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// One problem in a workbook file: where it is, what is wrong, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    pub hint: String,
}

impl Diagnostic {
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `file:line:column: error: message`, then the hint indented on the next line.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}\n  hint: {}",
            self.file,
            self.line,
            self.column,
            self.severity.label(),
            self.message,
            self.hint
        )
    }
}
