//! Text that reaches a screen or an export.
//!
//! Workbook files, pasted answers and entries written by another version of mend can all
//! carry characters that act on the terminal or on the reader instead of being read:
//! escape sequences that move the cursor or recolour the screen, carriage returns that
//! overwrite a line, and bidirectional overrides that make text display in a different
//! order than it is stored. [`sanitize`] removes them; everything else, including CJK,
//! emoji and their zero-width joiners, passes through untouched. `content` runs every
//! workbook text through it while validating; the screen and export code run answers
//! through it before showing them.

use std::borrow::Cow;

/// What a tab becomes: four spaces, so indented text keeps a visible indent while the
/// width of every character stays known to the wrapping code.
const TAB_AS_SPACES: &str = "    ";

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
/// The C1 forms of "control sequence introducer" and "string terminator".
const C1_CSI: char = '\u{9b}';
const C1_ST: char = '\u{9c}';

/// Removes characters that could act on the terminal or disguise what text says.
///
/// - Control characters (C0, DEL and C1) are removed, except newline. A tab becomes four
///   spaces. A carriage return is removed, so Windows line endings read as plain newlines.
/// - A whole terminal escape sequence (`ESC [ ... m`, `ESC ] ... BEL`, `ESC c`, ...) is
///   removed, not only its `ESC`, so no `[31m` debris is left behind.
/// - Bidirectional embeddings, overrides and isolates (U+202A..=U+202E, U+2066..=U+2069),
///   the directional marks U+200E, U+200F and U+061C, and the byte order mark U+FEFF
///   are removed: they can make stored text display in a different order.
/// - The Unicode line and paragraph separators (U+2028, U+2029) become newlines.
///
/// Returns the input unchanged (borrowed) when there is nothing to remove.
#[must_use]
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !has_unsafe_chars(text) {
        return Cow::Borrowed(text);
    }
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\u{2028}' | '\u{2029}' => clean.push('\n'),
            '\t' => clean.push_str(TAB_AS_SPACES),
            ESC => skip_escape_sequence(&mut chars),
            C1_CSI => skip_control_sequence(&mut chars),
            c if is_removed(c) => {}
            c => clean.push(c),
        }
    }
    Cow::Owned(clean)
}

/// True when [`sanitize`] would change `text`.
#[must_use]
pub fn has_unsafe_chars(text: &str) -> bool {
    // Most text is ASCII, where only the control bytes are unsafe: checked a byte at a
    // time, which an export of ten years of answers notices, up to the first byte
    // beyond ASCII, where a character at a time takes over.
    let first = text
        .bytes()
        .position(|b| (b < 0x20 && b != b'\n') || b >= 0x7f);
    match first {
        None => false,
        Some(at) if text.as_bytes()[at] < 0x80 => true,
        Some(at) => text[at..]
            .chars()
            .any(|c| c != '\n' && (is_removed(c) || c == '\u{2028}' || c == '\u{2029}')),
    }
}

/// Characters dropped outright (a tab counts: it is replaced).
fn is_removed(c: char) -> bool {
    c.is_control() || is_direction_control(c) || c == '\u{feff}'
}

fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// Skips what follows an `ESC`, following ECMA-48: a control sequence (`ESC [`), a
/// control string (`ESC ]`, `ESC P`, `ESC X`, `ESC ^`, `ESC _`) up to its terminator, or
/// a short escape (intermediate bytes, then one final character).
fn skip_escape_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_control_sequence(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_control_string(chars);
        }
        _ => {
            while chars.next_if(|c| matches!(c, ' '..='/')).is_some() {}
            chars.next_if(|c| matches!(c, '0'..='~'));
        }
    }
}

/// Skips the parameters, intermediates and final character of a control sequence.
fn skip_control_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| matches!(c, ' '..='?')).is_some() {}
    chars.next_if(|c| matches!(c, '@'..='~'));
}

/// Skips a control string (such as a window title) up to `BEL`, `ESC \` or `ST`.
/// An unterminated string runs to a newline, so one stray `ESC ]` cannot swallow a file.
fn skip_control_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        match c {
            BEL | C1_ST => {
                chars.next();
                return;
            }
            ESC => {
                chars.next();
                chars.next_if_eq(&'\\');
                return;
            }
            '\n' => return,
            _ => {
                chars.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What needs cleaning is found wherever it sits: before, among or after text
    /// beyond ASCII, and nothing is flagged in clean text of any script.
    #[test]
    fn unsafe_characters_are_found_anywhere_in_any_script() {
        for clean in [
            "plain words",
            "two\nlines",
            "日本語\nと English",
            "café 🌿",
            "",
        ] {
            assert!(!has_unsafe_chars(clean), "{clean:?}");
        }
        for unsafe_text in [
            "a\tb",
            "\u{7}é",
            "é\u{7}",
            "日本\u{1b}[31m",
            "é\u{202e}x",
            "x\u{2028}",
            "é\u{7f}",
            "\u{feff}é",
        ] {
            assert!(has_unsafe_chars(unsafe_text), "{unsafe_text:?}");
        }
    }

    #[test]
    fn sanitize_keeps_safe_text_and_removes_the_rest() {
        let cases = [
            ("plain ascii", "Hello, world", "Hello, world"),
            ("newlines kept", "one\ntwo\n", "one\ntwo\n"),
            ("cjk kept", "信頼を取り戻す", "信頼を取り戻す"),
            ("emoji with zwj kept", "👩‍❤️‍👨 ok", "👩‍❤️‍👨 ok"),
            ("accents kept", "café naïve", "café naïve"),
            ("arabic text kept", "مرحبا", "مرحبا"),
            ("tab to four spaces", "a\tb", "a    b"),
            ("crlf to lf", "one\r\ntwo", "one\ntwo"),
            ("lone cr removed", "secret\rshown", "secretshown"),
            ("nul and bell removed", "a\0b\u{7}c", "abc"),
            ("del removed", "a\u{7f}b", "ab"),
            ("c1 removed", "a\u{85}b", "ab"),
            ("sgr colour removed", "\u{1b}[31mred\u{1b}[0m", "red"),
            ("cursor move removed", "a\u{1b}[2;5Hb", "ab"),
            ("clear screen removed", "\u{1b}[2J\u{1b}[Hhi", "hi"),
            ("title osc removed", "\u{1b}]0;owned\u{7}after", "after"),
            (
                "osc with st removed",
                "\u{1b}]8;;http://x\u{1b}\\link",
                "link",
            ),
            ("short escape removed", "a\u{1b}cb", "ab"),
            ("charset escape removed", "a\u{1b}(Bb", "ab"),
            ("c1 csi removed", "a\u{9b}31mb", "ab"),
            ("escape at end", "a\u{1b}", "a"),
            (
                "unterminated osc stops at newline",
                "\u{1b}]0;x\nkept",
                "\nkept",
            ),
            ("rlo override removed", "abc\u{202e}fed", "abcfed"),
            ("isolates removed", "\u{2066}x\u{2069}", "x"),
            ("marks removed", "\u{200e}a\u{200f}b\u{61c}", "ab"),
            ("bom removed", "\u{feff}start", "start"),
            ("line separator to newline", "a\u{2028}b", "a\nb"),
            ("cjk around escape", "信\u{1b}[1m頼", "信頼"),
        ];
        for (name, input, expected) in cases {
            assert_eq!(sanitize(input), expected, "case: {name}");
            assert_eq!(
                has_unsafe_chars(input),
                input != expected,
                "has_unsafe_chars, case: {name}"
            );
        }
    }

    #[test]
    fn sanitize_borrows_when_nothing_changes() {
        for text in ["", "plain", "信頼 👍\nline two"] {
            assert!(
                matches!(sanitize(text), Cow::Borrowed(_)),
                "should borrow {text:?}"
            );
        }
        assert!(matches!(sanitize("a\tb"), Cow::Owned(_)));
    }
}
