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
