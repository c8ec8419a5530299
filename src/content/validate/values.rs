//! Checks on single values shared by every table: ids, text, numbers, named choices,
//! and ids that must be unique among their siblings.
//!
//! Each check returns `None` when the value is unusable and has then already been
//! reported (here, or by the shape check when the key was missing or mistyped), so
//! callers can gather all their fields first and combine them with `?` afterwards.

use std::collections::HashMap;
use std::ops::{Range, RangeInclusive};

use toml::Spanned;

use super::report::{Report, did_you_mean};
use crate::text::{has_unsafe_chars, sanitize};

/// A problem with an optional value was reported; the value cannot be used. Used as
/// `Result<Option<T>, Reported>`, where `Ok(None)` means the value was not given.
#[derive(Clone, Copy, Debug)]
pub struct Reported;

/// The longest id a workbook may use.
pub const MAX_ID_CHARS: usize = 64;

/// A required id, checked for its format and wrapped in its newtype.
pub fn id<T>(
    value: Option<&Spanned<String>>,
    make: impl FnOnce(String) -> T,
    report: &mut Report<'_>,
) -> Option<T> {
    let value = value?;
    let id = value.get_ref();
    let problem = if id.is_empty() {
        Some("an id cannot be empty".to_owned())
    } else if id.chars().count() > MAX_ID_CHARS {
        Some(format!(
            "the id \"{}...\" is longer than {MAX_ID_CHARS} characters",
            id.chars().take(20).collect::<String>()
        ))
    } else if !id.chars().all(is_id_char) {
        Some(format!(
            "the id \"{id}\" can only use lowercase letters a-z, digits, `-` and `_`"
        ))
    } else {
        None
    };
    if let Some(message) = problem {
        report.at(
            &value.span(),
            message,
            format!(
                "saved answers find their question by id, so ids are short and plain, \
                 like \"{}\". Once people have answered, keep an id unchanged.",
                suggested_id(id)
            ),
        );
        return None;
    }
    Some(make(id.clone()))
}

fn is_id_char(c: char) -> bool {
    matches!(c, 'a'..='z' | '0'..='9' | '-' | '_')
}

/// An id in the allowed format that reads like `text`, for hints.
fn suggested_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if is_id_char(c) {
            id.push(c);
        } else if !id.ends_with('-') && (c.is_whitespace() || c == '.') {
            id.push('-');
        }
    }
    let id: String = id.trim_matches('-').chars().take(MAX_ID_CHARS).collect();
    if id.is_empty() {
        "my-step".to_owned()
    } else {
        id
    }
}

/// Text as mend will show it: sanitized and without surrounding blank space. Warns
/// when sanitizing changed text that is then shown, since the author sees one thing in
/// their editor and people another; text left empty is an error or not shown at all.
fn clean(value: &Spanned<String>, key: &str, report: &mut Report<'_>) -> String {
    let text = value.get_ref();
    let clean = sanitize(text).trim().to_owned();
    if let Some(c) = first_unsafe_char(text).filter(|_| !clean.is_empty()) {
        report.warn_at(
            &value.span(),
            format!("`{key}` contains {}", describe_unsafe(c)),
            "mend changes or removes such characters before showing text, because they \
             can change how the screen looks or hide what the text says. To keep the text \
             as written, retype it without the character (it may be invisible in your \
             editor, and often comes with text pasted from another program).",
        );
    }
    clean
}

/// The first character [`sanitize`] would change, except the carriage return of a
/// Windows line ending: a multi-line string keeps the file's line endings, and an
/// author on Windows has nothing to fix.
fn first_unsafe_char(text: &str) -> Option<char> {
    let mut buffer = [0; 4];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_ending = c == '\r' && chars.peek() == Some(&'\n');
        if !line_ending && has_unsafe_chars(c.encode_utf8(&mut buffer)) {
            return Some(c);
        }
    }
    None
}

/// A character [`sanitize`] changes, and what it does with it, in plain words.
fn describe_unsafe(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    match c {
        '\t' => "a tab, which mend shows as four spaces".to_owned(),
        '\r' => "a carriage return, which mend removes".to_owned(),
        '\u{2028}' | '\u{2029}' => {
            format!("a line or paragraph separator ({code}), which mend shows as a new line")
        }
        '\u{feff}' => format!("an invisible byte order mark ({code}), which mend removes"),
        '\u{1b}' => format!("a terminal escape character ({code}), which mend removes"),
        c if c.is_control() => {
            format!("an invisible control character ({code}), which mend removes")
        }
        _ => format!(
            "an invisible character that changes the direction or order of text ({code}), \
             which mend removes"
        ),
    }
}

/// A required piece of text, which must not be empty or only spaces.
pub fn required_text(
    value: Option<&Spanned<String>>,
    key: &str,
    report: &mut Report<'_>,
) -> Option<String> {
    let value = value?;
    let text = clean(value, key, report);
    if text.is_empty() {
        report.at(
            &value.span(),
            format!("`{key}` is empty"),
            format!("write the {key} between the quotes; it is what people will read"),
        );
        return None;
    }
    Some(text)
}

/// An optional piece of text; empty text counts as not given.
pub fn optional_text(
    value: Option<&Spanned<String>>,
    key: &str,
    report: &mut Report<'_>,
) -> Option<String> {
    value
        .map(|value| clean(value, key, report))
        .filter(|text| !text.is_empty())
}

/// A whole number that must lie in `allowed`; `why` is the hint's reason.
pub fn number_in(
    value: &Spanned<i64>,
    key: &str,
    allowed: RangeInclusive<i64>,
    why: &str,
    report: &mut Report<'_>,
) -> Option<i64> {
    let number = *value.get_ref();
    if allowed.contains(&number) {
        return Some(number);
    }
    report.at(
        &value.span(),
        format!(
            "`{key}` is {number}, but it must be from {} to {}",
            allowed.start(),
            allowed.end()
        ),
        why,
    );
    None
}

/// One of a few named values, such as `mode = "solo"`; `default` when not given.
pub fn named<T: Copy>(
    value: Option<&Spanned<String>>,
    key: &str,
    choices: &[(&str, T)],
    default: T,
    report: &mut Report<'_>,
) -> Option<T> {
    let Some(value) = value else {
        return Some(default);
    };
    let name = value.get_ref();
    if let Some(&(_, chosen)) = choices.iter().find(|(choice, _)| choice == name) {
        return Some(chosen);
    }
    let names = || choices.iter().map(|&(name, _)| name);
    report.at(
        &value.span(),
        format!("unknown {key} \"{name}\""),
        format!(
            "use one of: {}.{}",
            names().collect::<Vec<_>>().join(", "),
            did_you_mean(name, names())
        ),
    );
    None
}

/// Ids already used among siblings (modules of a workbook, steps of an exercise, ...),
/// with where each was first used and whose child it was. The siblings usually share
/// one parent; exercise ids are unique in the whole workbook, across modules.
#[derive(Default)]
pub struct SiblingIds {
    first_use: HashMap<String, (Range<usize>, String)>,
}

impl SiblingIds {
    /// Records `value`, reporting it when a sibling already used the same id.
    /// `what` names the thing, e.g. "step"; `parent` says whose child it is, e.g.
    /// "in exercise \"talk\"".
    pub fn record(
        &mut self,
        value: Option<&Spanned<String>>,
        what: &str,
        parent: &str,
        report: &mut Report<'_>,
    ) {
        let Some(value) = value else {
            return;
        };
        let id = value.get_ref();
        let Some((first, first_parent)) = self.first_use.get(id) else {
            self.first_use
                .insert(id.clone(), (value.span(), parent.to_owned()));
            return;
        };
        let line = report.line(first);
        let (message, hint) = if first_parent == parent {
            (
                format!("duplicate {what} id \"{id}\" {parent}: it is already used on line {line}"),
                format!("give each {what} its own id; saved answers are stored under it."),
            )
        } else {
            (
                format!(
                    "duplicate {what} id \"{id}\" {parent}: it is already used {first_parent}, \
                     on line {line}"
                ),
                format!(
                    "answers and exports find each {what} by its id alone, so no two {what}s \
                     may share an id anywhere in the workbook, even in different modules."
                ),
            )
        };
        report.at(
            &value.span(),
            message,
            format!("{hint} If people have already answered the first one, rename this one."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_ids_are_valid_ids() {
        let cases = [
            ("Hope Step", "hope-step"),
            ("  What's next?  ", "whats-next"),
            ("信頼", "my-step"),
            ("v1.2", "v1-2"),
        ];
        for (text, expected) in cases {
            let id = suggested_id(text);
            assert_eq!(id, expected, "case: {text}");
            assert!(id.chars().all(is_id_char), "case: {text}");
        }
    }
}
