//! Two quoting mistakes a TOML parser reports far from their cause, found again so a
//! workbook author is pointed at the cause: curly quotes pasted from a word processor,
//! and a `"""` (or `'''`) text that was opened and never closed.

use std::ops::Range;

/// The quotes a word processor types instead of `"` and `'`.
const CURLY: [char; 4] = ['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}'];

/// The first curly quote on the line holding byte `offset`, as a span: TOML refuses
/// one where a value's quote should be, and the parser calls it an unquoted value.
pub fn curly_quote_on_line(source: &str, offset: usize) -> Option<Range<usize>> {
    let offset = offset.min(source.len());
    let start = source[..offset].rfind('\n').map_or(0, |at| at + 1);
    let end = source[start..]
        .find('\n')
        .map_or(source.len(), |at| start + at);
    source[start..end]
        .char_indices()
        .find(|(_, c)| CURLY.contains(c))
        .map(|(at, c)| start + at..start + at + c.len_utf8())
}

/// Where a multi-line text was opened if it looks never closed: either the file ends
/// inside it, or it "closes" on a line that opens the next one (`text = """`) after
/// running over a table header, which only happens when its own closing `"""` is
/// missing and the parser took the next text's opening quotes for it.
pub fn unclosed_multiline(source: &str) -> Option<Range<usize>> {
    let mut scanner = Scanner { source, at: 0 };
    while let Some(opened) = scanner.next_multiline() {
        let delimiter = &source[opened.clone()];
        let body_start = opened.end;
        let Some(close) = scanner.close_multiline(delimiter) else {
            return Some(opened);
        };
        let body = &source[body_start..close.start];
        let close_line_start = source[..close.start].rfind('\n').map_or(0, |at| at + 1);
        let opens_next = source[close_line_start..close.start]
            .trim_end()
            .ends_with('=');
        if opens_next && body.lines().any(is_table_header) {
            return Some(opened);
        }
    }
    None
}

/// `[workbook]`, `[[modules.exercises.steps]]` and the like, alone on a line.
fn is_table_header(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('[')
        && line.ends_with(']')
        && line
            .trim_matches(|c| c == '[' || c == ']')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && line.len() > 2
}

/// Walks TOML just well enough to skip comments and one-line strings.
struct Scanner<'a> {
    source: &'a str,
    at: usize,
}

impl Scanner<'_> {
    /// The next `"""` or `'''` that opens a text, outside comments and other strings.
    fn next_multiline(&mut self) -> Option<Range<usize>> {
        let bytes = self.source.as_bytes();
        while self.at < bytes.len() {
            let rest = &bytes[self.at..];
            if rest.starts_with(b"\"\"\"") || rest.starts_with(b"'''") {
                let opened = self.at..self.at + 3;
                self.at += 3;
                return Some(opened);
            }
            match bytes[self.at] {
                b'#' => self.skip_line(),
                quote @ (b'"' | b'\'') => self.skip_string(quote),
                _ => self.at += 1,
            }
        }
        None
    }

    /// The span of the quotes that close a text opened with `delimiter`, honouring
    /// backslash escapes in `"""` text; `None` when the file ends first.
    fn close_multiline(&mut self, delimiter: &str) -> Option<Range<usize>> {
        let bytes = self.source.as_bytes();
        let escapes = delimiter == "\"\"\"";
        while self.at < bytes.len() {
            if escapes && bytes[self.at] == b'\\' {
                self.at += 2;
                continue;
            }
            if bytes[self.at..].starts_with(delimiter.as_bytes()) {
                // Up to two more quote marks may end the text itself: `""""` closes
                // after one quote in the text.
                let mut end = self.at + 3;
                while end < bytes.len() && bytes[end] == delimiter.as_bytes()[0] {
                    end += 1;
                }
                let close = end - 3..end;
                self.at = end;
                return Some(close);
            }
            self.at += 1;
        }
        None
    }

    fn skip_line(&mut self) {
        let bytes = self.source.as_bytes();
        while self.at < bytes.len() && bytes[self.at] != b'\n' {
            self.at += 1;
        }
    }

    /// Past a one-line string (its end, or the end of the line if it has none).
    fn skip_string(&mut self, quote: u8) {
        let bytes = self.source.as_bytes();
        self.at += 1;
        while self.at < bytes.len() && bytes[self.at] != b'\n' {
            match bytes[self.at] {
                b'\\' if quote == b'"' => self.at += 2,
                b if b == quote => {
                    self.at += 1;
                    return;
                }
                _ => self.at += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_closed_properly_is_not_reported() {
        let source = "a = \"\"\"\nfirst\n\"\"\"\n[t]\nb = \"\"\"\nsecond \\\"\"\" still\n\"\"\"\n";
        assert_eq!(unclosed_multiline(source), None);
    }

    #[test]
    fn quotes_in_comments_and_one_line_strings_open_nothing() {
        let source = "# \"\"\" in a comment\na = \"say \\\"\\\"\\\" here\"\nb = '\"\"\"'\n";
        assert_eq!(unclosed_multiline(source), None);
    }

    #[test]
    fn a_text_still_open_at_the_end_is_reported_where_it_opened() {
        let source = "a = 1\nb = '''\nnever closed\n";
        assert_eq!(unclosed_multiline(source), Some(10..13));
    }

    #[test]
    fn a_text_swallowing_a_table_up_to_the_next_opening_is_reported() {
        let source = "a = \"\"\"\nleft open\n\n[[t]]\nb = \"\"\"\nread\n\"\"\"\n";
        assert_eq!(unclosed_multiline(source), Some(4..7));
    }

    #[test]
    fn text_in_any_script_is_walked_without_splitting_a_character() {
        let source =
            "a = \"\u{201C}\u{00E9}\\\u{00E9}\"\n# \u{2019}\nb = \"\"\"\n\u{00E9}\\\u{00E9}\n";
        let opened = source.find("\"\"\"").unwrap();
        assert_eq!(unclosed_multiline(source), Some(opened..opened + 3));
    }

    #[test]
    fn the_first_curly_quote_on_the_line_is_found() {
        let source = "a = 1\nb = \u{201C}hi\u{201D}\n";
        assert_eq!(curly_quote_on_line(source, 8), Some(10..13));
        assert_eq!(curly_quote_on_line(source, 2), None);
    }
}
