//! Single-line input fields for names and passphrases.
//!
//! A passphrase lives in a buffer allocated once at a fixed capacity and zeroized on
//! drop, so typing never leaves reallocated copies behind; it leaves the field only as
//! a [`SecretString`] for the key derivation.

use std::fmt;

use age::secrecy::{SecretString, zeroize::Zeroize};
use unicode_width::UnicodeWidthStr;

use crate::text;

/// Longest passphrase accepted, in bytes; the buffer never grows past it.
pub const MAX_PASSPHRASE_BYTES: usize = 1024;
/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// A visible one-line field (a display name, a file path), with a cursor that starts at
/// the end and moves with the usual keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineField {
    value: String,
    /// The most characters it takes; 0 means the default for a name.
    max: usize,
    /// Where typing goes, in characters from the start.
    cursor: usize,
}

impl LineField {
    pub fn value(&self) -> &str {
        &self.value
    }

    /// A field for something longer than a name, such as a file path.
    pub fn with_max(max: usize) -> Self {
        Self {
            max,
            ..Self::default()
        }
    }

    fn limit(&self) -> usize {
        if self.max == 0 {
            MAX_NAME_CHARS
        } else {
            self.max
        }
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The byte offset of character `at`.
    fn byte(&self, at: usize) -> usize {
        self.value
            .char_indices()
            .nth(at)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Types `s` at the cursor (sanitised, one line, never past the limit).
    pub fn push_str(&mut self, s: &str) {
        let limit = self.limit();
        for c in text::sanitize(s).chars().filter(|c| *c != '\n') {
            if self.value.chars().count() >= limit {
                break;
            }
            let at = self.byte(self.cursor);
            self.value.insert(at, c);
            self.cursor += 1;
        }
    }

    /// Deletes the character before the cursor.
    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte(self.cursor);
            self.value.remove(at);
        }
    }

    /// Deletes the character under the cursor.
    pub fn delete(&mut self) {
        if self.cursor < self.value.chars().count() {
            let at = self.byte(self.cursor);
            self.value.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.value.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.value.chars().count();
    }
}

/// A masked field for a passphrase.
pub struct SecretField {
    buf: String,
}

impl Default for SecretField {
    fn default() -> Self {
        Self {
            buf: String::with_capacity(MAX_PASSPHRASE_BYTES),
        }
    }
}

impl fmt::Debug for SecretField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretField([hidden])")
    }
}

impl Drop for SecretField {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

impl SecretField {
    /// Adds typed or pasted text; control characters and newlines are dropped, and
    /// anything past [`MAX_PASSPHRASE_BYTES`] is ignored rather than reallocating.
    pub fn push_str(&mut self, s: &str) {
        for c in s.chars().filter(|c| !c.is_control()) {
            if self.buf.len() + c.len_utf8() > MAX_PASSPHRASE_BYTES {
                break;
            }
            self.buf.push(c);
        }
    }

    pub fn backspace(&mut self) {
        self.buf.pop();
    }

    pub fn clear(&mut self) {
        self.buf.zeroize();
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// How many characters were typed, for the mask.
    pub fn len_chars(&self) -> usize {
        self.buf.chars().count()
    }

    /// Display width of the typed text, so the strength hint is fair to CJK input.
    pub fn width(&self) -> usize {
        self.buf.width()
    }

    /// Compares two fields without exposing either.
    pub fn matches(&self, other: &Self) -> bool {
        self.buf == other.buf
    }

    /// Hands the passphrase over for the key derivation and clears the field.
    pub fn take(&mut self) -> SecretString {
        let secret = SecretString::from(self.buf.as_str());
        self.clear();
        secret
    }

    /// A gentle word on how strong the passphrase looks; never a rule.
    pub fn strength_hint(&self) -> Option<&'static str> {
        let n = self.len_chars();
        let words = self.buf.split_whitespace().count();
        match n {
            0 => None,
            _ if n < 8 => Some(
                "Short. A few unrelated words strung together are easier to remember and much harder to guess.",
            ),
            _ if n < 14 && words < 3 => {
                Some("Okay. Adding another word or two would make it much stronger.")
            }
            _ => Some("Strong: a passphrase like this is very hard to guess."),
        }
    }
}

#[cfg(test)]
mod tests {
    use age::secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn a_line_field_edits_where_its_cursor_is() {
        let mut field = LineField::with_max(100);
        field.push_str("summary.md");
        field.home();
        field.push_str("my-");
        field.end();
        for _ in 0..3 {
            field.left();
        }
        field.delete();
        field.delete();
        field.delete();
        field.push_str(".html");
        assert_eq!(field.value(), "my-summary.html");
        field.home();
        field.backspace();
        field.right();
        field.backspace();
        assert_eq!((field.value(), field.cursor()), ("y-summary.html", 0));
    }

    #[test]
    fn secret_field_never_shows_its_text_in_debug() {
        let mut f = SecretField::default();
        f.push_str("correct horse");
        assert!(!format!("{f:?}").contains("horse"));
    }

    #[test]
    fn secret_field_drops_control_characters_and_caps_length() {
        let mut f = SecretField::default();
        f.push_str("a\u{1b}[2Jb\nc");
        assert_eq!(f.take().expose_secret(), "a[2Jbc");
        let mut f = SecretField::default();
        f.push_str(&"x".repeat(MAX_PASSPHRASE_BYTES + 10));
        assert_eq!(f.len_chars(), MAX_PASSPHRASE_BYTES);
    }

    #[test]
    fn take_clears_the_field() {
        let mut f = SecretField::default();
        f.push_str("s3cret");
        assert_eq!(f.take().expose_secret(), "s3cret");
        assert!(f.is_empty());
    }

    #[test]
    fn line_field_keeps_wide_text_and_caps_at_the_limit() {
        let mut f = LineField::default();
        f.push_str("美咲 🌱");
        assert_eq!(f.value(), "美咲 🌱");
        f.push_str(&"y".repeat(100));
        assert_eq!(f.value().chars().count(), MAX_NAME_CHARS);
    }
}
