//! Single-line input fields for names and passphrases, and how strong a new passphrase
//! is.
//!
//! A passphrase lives in a buffer allocated once at a fixed capacity and zeroized on
//! drop, so typing never leaves reallocated copies behind; a paste is wiped as soon as
//! it is copied in. It leaves the field only as a [`SecretString`] for the key
//! derivation.
//!
//! [`Strength`] is what a new passphrase is worth against someone who copies the
//! vault, in plain words, and whether mend accepts it.

use std::fmt;

use age::secrecy::{SecretString, zeroize::Zeroize};
use zxcvbn::Score;

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

    /// Overwrites what was typed, then empties the field.
    pub fn wipe(&mut self) {
        self.value.zeroize();
        self.cursor = 0;
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
    /// Adds typed text; control characters and newlines are dropped, and anything past
    /// [`MAX_PASSPHRASE_BYTES`] is ignored rather than reallocating.
    pub fn push_str(&mut self, s: &str) {
        for c in s.chars().filter(|c| !c.is_control()) {
            if self.buf.len() + c.len_utf8() > MAX_PASSPHRASE_BYTES {
                break;
            }
            self.buf.push(c);
        }
    }

    /// Adds pasted text, then wipes it. A paste reaches the app as an ordinary
    /// `String` (`Action::Paste`), so the field takes it over: once copied in, its
    /// bytes are zeroed before it is freed, as a typed key leaves nothing behind.
    pub fn paste(&mut self, text: String) {
        self.push_and_wipe(&mut text.into_bytes());
    }

    /// See [`SecretField::paste`]: afterwards every byte `bytes` had room for is zero.
    fn push_and_wipe(&mut self, bytes: &mut Vec<u8>) {
        if let Ok(text) = std::str::from_utf8(bytes) {
            self.push_str(text);
        }
        // Over the spare capacity too: a string that shrank keeps old bytes there.
        bytes.resize(bytes.capacity(), 0);
        bytes.as_mut_slice().zeroize();
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

    /// How strong the passphrase typed is, or nothing while the field is empty.
    /// `context` is words an attacker would try first (the person's name).
    pub fn strength(&self, context: &[&str]) -> Option<Strength> {
        (!self.is_empty()).then(|| Strength::of(&self.buf, context))
    }
}

/// How long someone with a copy of the vault would need to guess a passphrase, as the
/// zxcvbn estimator sees it (it knows common passwords, names, words, dates and
/// keyboard patterns, and counts the guesses a careful attacker would make).
///
/// A key file is an age scrypt file: a copy can be attacked offline, as fast as the
/// attacker's hardware allows, and the only brake is scrypt's cost (log2 N = 18, about
/// a second a guess on a laptop). The times said assume 10,000 guesses a second, a
/// determined attacker with a few graphics cards (zxcvbn's "offline, slow hash"), so
/// they are never kinder than the truth.
///
/// The floor: below zxcvbn's score 2 (fewer than a million guesses, under two minutes
/// at that rate: common passwords, a single word, a name and a year) a new passphrase
/// is refused, with what to do instead. Score 2 (two common words, say) is accepted with
/// its time said plainly, "in minutes" or "in hours", and a nudge: refusing it too
/// would refuse phrases many people already remember, and a forgotten passphrase loses
/// everything, so past the floor the choice is the person's, made with the facts in
/// front of them. From score 3 the times run from hours to centuries, and the hint asks
/// for another word until they reach years.
///
/// A cost, taken knowingly: zxcvbn copies the text it rates (its matches keep pieces of
/// it) and frees the copies unwiped, so rating as the person types leaves fragments of
/// a new passphrase in freed memory, as the terminal library's input buffers already
/// do. Only the new passphrase is rated, never the one used to unlock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Strength {
    score: Score,
    guesses: u64,
}

/// Guesses a second assumed for someone attacking a copy of the vault.
const GUESSES_PER_SECOND: u64 = 10_000;

impl Strength {
    /// The lowest zxcvbn score mend accepts for a new passphrase.
    pub const FLOOR: Score = Score::Two;

    /// Estimates `passphrase`; `context` is words an attacker would try first, such as
    /// the person's name ("mend" is always among them).
    pub fn of(passphrase: &str, context: &[&str]) -> Self {
        let mut inputs = vec!["mend"];
        inputs.extend(context.iter().filter(|w| !w.is_empty()));
        let estimate = zxcvbn::zxcvbn(passphrase, &inputs);
        Self {
            score: estimate.score(),
            guesses: estimate.guesses(),
        }
    }

    /// zxcvbn's score, 0 (guessed at once) to 4 (very hard to guess).
    pub fn score(&self) -> u8 {
        u8::from(self.score)
    }

    /// Whether mend accepts it as a new passphrase (see [`Strength::FLOOR`]).
    pub fn is_enough(&self) -> bool {
        self.score >= Self::FLOOR
    }

    /// The time it would take, in plain words.
    fn time(&self) -> Time {
        const DAY: u64 = 24 * 60 * 60;
        match self.guesses / GUESSES_PER_SECOND {
            0..60 => Time::Seconds,
            60..3_600 => Time::Minutes,
            3_600..DAY => Time::Hours,
            DAY..2_592_000 => Time::Days,
            2_592_000..31_536_000 => Time::Months,
            31_536_000..3_153_600_000 => Time::Years,
            _ => Time::Centuries,
        }
    }

    /// One sentence: what this passphrase means for someone who copies the vault.
    pub fn said(&self) -> String {
        let copy = "Someone with a copy of your files";
        match self.time() {
            Time::Years => format!("{copy} would need years to guess this."),
            Time::Centuries => format!("{copy} would need centuries to guess this."),
            fast => format!("{copy} could guess this {}.", fast.within()),
        }
    }

    /// The line shown under a new passphrase while it is typed.
    pub fn hint(&self) -> String {
        let said = self.said();
        if !self.is_enough() {
            format!("{said} That is too easy: add two or three unrelated words to it.")
        } else if matches!(self.time(), Time::Years | Time::Centuries) {
            format!("Strong. {said}")
        } else {
            format!("{said} Another word or two would make it much stronger.")
        }
    }

    /// Why a new passphrase is refused, and what to do instead.
    pub fn refusal(&self) -> String {
        format!(
            "This passphrase is too easy to guess: someone with a copy of your files could \
             find it {}. Add two or three unrelated words to it.",
            self.time().within()
        )
    }
}

/// Plain-word spans of time, from the guesses an attack needs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Time {
    Seconds,
    Minutes,
    Hours,
    Days,
    Months,
    Years,
    Centuries,
}

impl Time {
    fn within(self) -> &'static str {
        match self {
            Self::Seconds => "in seconds",
            Self::Minutes => "in minutes",
            Self::Hours => "in hours",
            Self::Days => "in days",
            Self::Months => "in months",
            Self::Years => "in years",
            Self::Centuries => "in centuries",
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
    fn a_paste_is_copied_in_then_every_byte_of_it_is_zeroed() {
        let mut pasted = String::with_capacity(64);
        pasted.push_str("a long walk by the river, and then some");
        // What a shorter string leaves past its end is still there to be wiped.
        pasted.truncate(24);
        let mut bytes = pasted.into_bytes();
        let room = bytes.capacity();
        let mut f = SecretField::default();
        f.push_and_wipe(&mut bytes);
        assert_eq!(f.take().expose_secret(), "a long walk by the river");
        assert_eq!(bytes.len(), room, "the whole buffer, spare room included");
        assert!(
            bytes.iter().all(|b| *b == 0),
            "pasted bytes left: {bytes:?}"
        );
    }

    #[test]
    fn a_paste_goes_in_like_typing() {
        let mut typed = SecretField::default();
        typed.push_str("美咲 🌱\nwalk");
        let mut pasted = SecretField::default();
        pasted.paste("美咲 🌱\nwalk".to_owned());
        assert!(pasted.matches(&typed));
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
