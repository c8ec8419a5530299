//! Collecting diagnostics while validating: errors and warnings, turning byte spans
//! into the line and column a person sees in their editor, and phrasing "did you mean"
//! suggestions.

use std::ops::Range;

use crate::content::{Diagnostic, Severity};
use crate::text::sanitize;

/// Every problem found so far in one file, located against its source text.
pub struct Report<'a> {
    file: &'a str,
    source: &'a str,
    /// Byte offset where each line starts; line 1 starts at 0.
    line_starts: Vec<usize>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub fn new(file: &'a str, source: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Self {
            file,
            source,
            line_starts,
            diagnostics: Vec::new(),
        }
    }

    /// Records an error (the workbook cannot be used) at the start of `span`.
    pub fn at(&mut self, span: &Range<usize>, message: impl AsRef<str>, hint: impl AsRef<str>) {
        self.push(Severity::Error, span, message.as_ref(), hint.as_ref());
    }

    /// Records a warning (the workbook still loads) at the start of `span`.
    pub fn warn_at(
        &mut self,
        span: &Range<usize>,
        message: impl AsRef<str>,
        hint: impl AsRef<str>,
    ) {
        self.push(Severity::Warning, span, message.as_ref(), hint.as_ref());
    }

    /// The message and hint are sanitized here, once, because they quote the file (ids,
    /// keys, values) back to a terminal.
    fn push(&mut self, severity: Severity, span: &Range<usize>, message: &str, hint: &str) {
        let (line, column) = self.position(span.start);
        self.diagnostics.push(Diagnostic {
            file: sanitize(self.file).into_owned(),
            line,
            column,
            severity,
            message: sanitize(message).into_owned(),
            hint: sanitize(hint).into_owned(),
        });
    }

    /// The 1-based line `span` starts on.
    pub fn line(&self, span: &Range<usize>) -> usize {
        self.position(span.start).0
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = self.source[line_start..offset].chars().count() + 1;
        (line, column)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics in the order they appear in the file.
    pub fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        self.diagnostics
    }
}

/// " Did you mean `x`?" when `word` is a likely typo of one of `choices`, else "".
pub fn did_you_mean<'c>(word: &str, choices: impl IntoIterator<Item = &'c str>) -> String {
    let word = word.to_lowercase();
    let nearest = choices
        .into_iter()
        .map(|choice| (edit_distance(&word, choice), choice))
        .filter(|&(distance, choice)| distance <= choice.chars().count().div_ceil(3))
        .min_by_key(|&(distance, _)| distance);
    match nearest {
        Some((_, choice)) => format!(" Did you mean `{choice}`?"),
        None => String::new(),
    }
}

/// The number of single-character insertions, deletions and substitutions that turn
/// `a` into `b` (Levenshtein distance).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != b_char);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let source = "ab\n信頼 = 1\n\nlast";
        let report = Report::new("f.toml", source);
        let cases = [
            ("start", 0, (1, 1)),
            ("end of first line", 2, (1, 3)),
            ("start of second line", 3, (2, 1)),
            ("after two cjk chars", 3 + "信頼".len(), (2, 3)),
            ("empty line", source.find("\n\n").unwrap() + 1, (3, 1)),
            ("last line", source.find("last").unwrap() + 2, (4, 3)),
            ("past the end", 999, (4, 5)),
            ("inside a character", 4, (2, 1)),
        ];
        for (name, offset, expected) in cases {
            assert_eq!(report.position(offset), expected, "case: {name}");
        }
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let keys = ["id", "title", "intro", "exercises"];
        let cases = [
            ("titel", " Did you mean `title`?"),
            ("Title", " Did you mean `title`?"),
            ("exercise", " Did you mean `exercises`?"),
            ("colour", ""),
            ("x", ""),
        ];
        for (word, expected) in cases {
            assert_eq!(did_you_mean(word, keys), expected, "case: {word}");
        }
    }
}
