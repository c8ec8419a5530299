//! The multi-line answer editor.
//!
//! mend uses `ratatui-textarea`'s `TextArea` as its editor: an in-memory text buffer
//! with cursor, soft wrap, undo and a widget that draws it. The core holds it as plain
//! data inside a step's state (it does no IO and reads no clock); this module is the
//! one place that configures it, so the look of the editor is decided here, beside the
//! rest of the shell's styling, and never in `app`. Never an external `$EDITOR`: it
//! would write plaintext to a temp file.

use ratatui::style::{Modifier, Style};
use ratatui_textarea::{TextArea, WrapMode};
use unicode_segmentation::UnicodeSegmentation;

pub use ratatui_textarea::{Input as EditInput, Key as EditKey};

/// The editor type a text step holds.
pub type Editor = TextArea<'static>;

/// A fresh editor holding `text`. A step's own placeholder is drawn above the box,
/// wrapped, since the editor's placeholder is one line that a long hint would overrun.
pub fn new(text: &str) -> Editor {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.split('\n').map(str::to_owned).collect()
    };
    let mut editor = TextArea::new(lines);
    editor.set_wrap_mode(WrapMode::WordOrGlyph);
    editor.set_cursor_line_style(Style::default());
    editor.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
    editor.set_placeholder_text("Type here. Enter starts a new line; Tab goes on.");
    editor.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
    editor.set_max_histories(200);
    editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
    editor.move_cursor(ratatui_textarea::CursorMove::End);
    editor
}

/// Pasted text as the editor should take it: terminals send a paste's line breaks as
/// carriage returns, which become newlines here, before anything unsafe is removed.
pub fn clean_paste(pasted: &str) -> String {
    let unified = pasted.replace("\r\n", "\n").replace('\r', "\n");
    crate::text::sanitize(&unified).into_owned()
}

/// The editor's text as one string.
pub fn text(editor: &Editor) -> String {
    editor.lines().join("\n")
}

/// Feeds a key to the editor, moving and deleting by grapheme cluster rather than by
/// `char`: a family emoji, a skin tone or an accent typed as two code points is one
/// thing on screen, and the cursor never lands inside it (where the editor would draw
/// its parts apart). Returns whether the text changed.
pub fn input(editor: &mut Editor, input: EditInput) -> bool {
    let plain = !input.ctrl && !input.alt;
    let ratatui_textarea::DataCursor(row, col) = editor.cursor();
    let line = editor.lines().get(row).map_or("", String::as_str);
    match input.key {
        EditKey::Left if plain && col > 0 => {
            for _ in 0..chars_in_grapheme_before(line, col) {
                editor.move_cursor(ratatui_textarea::CursorMove::Back);
            }
            false
        }
        EditKey::Right if plain && col < line.chars().count() => {
            for _ in 0..chars_in_grapheme_after(line, col) {
                editor.move_cursor(ratatui_textarea::CursorMove::Forward);
            }
            false
        }
        EditKey::Backspace if plain && col > 0 => {
            let n = chars_in_grapheme_before(line, col);
            (0..n).fold(false, |changed, _| editor.delete_char() || changed)
        }
        EditKey::Delete if plain && col < line.chars().count() => {
            let n = chars_in_grapheme_after(line, col);
            (0..n).fold(false, |changed, _| editor.delete_next_char() || changed)
        }
        _ => editor.input(input),
    }
}

/// How many `char`s the grapheme cluster ending at char column `col` of `line` holds.
fn chars_in_grapheme_before(line: &str, col: usize) -> usize {
    let at = byte_of(line, col);
    line[..at]
        .graphemes(true)
        .next_back()
        .map_or(1, |g| g.chars().count())
}

/// How many `char`s the grapheme cluster starting at char column `col` of `line` holds.
fn chars_in_grapheme_after(line: &str, col: usize) -> usize {
    let at = byte_of(line, col);
    line[at..]
        .graphemes(true)
        .next()
        .map_or(1, |g| g.chars().count())
}

fn byte_of(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col)
        .map_or(line.len(), |(at, _)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: EditKey) -> EditInput {
        EditInput {
            key,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    const FAMILY: &str = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
    const WAVE: &str = "\u{1F44B}\u{1F3FD}";

    #[test]
    fn backspace_removes_a_joined_emoji_whole() {
        let mut ed = new(&format!("we {FAMILY}"));
        assert!(input(&mut ed, key(EditKey::Backspace)));
        assert_eq!(text(&ed), "we ");
        let mut ed = new(&format!("hi {WAVE}"));
        input(&mut ed, key(EditKey::Backspace));
        assert_eq!(text(&ed), "hi ", "the skin tone goes with its hand");
    }

    #[test]
    fn the_cursor_steps_over_a_cluster_and_delete_takes_it_whole() {
        let mut ed = new(&format!("a{FAMILY}b"));
        input(&mut ed, key(EditKey::Left)); // before b
        input(&mut ed, key(EditKey::Left)); // before the family
        assert_eq!(ed.cursor(), (0, 1));
        input(&mut ed, key(EditKey::Delete));
        assert_eq!(text(&ed), "ab");
        input(&mut ed, key(EditKey::Right));
        assert_eq!(ed.cursor(), (0, 2));
        let accented = "e\u{301}";
        let mut ed = new(accented);
        input(&mut ed, key(EditKey::Left));
        assert_eq!(ed.cursor(), (0, 0), "a combining accent is one step");
    }

    #[test]
    fn backspace_at_the_start_of_a_line_still_joins_it_to_the_last() {
        let mut ed = new("one\ntwo");
        ed.move_cursor(ratatui_textarea::CursorMove::Head);
        assert!(input(&mut ed, key(EditKey::Backspace)));
        assert_eq!(text(&ed), "onetwo");
    }
}
