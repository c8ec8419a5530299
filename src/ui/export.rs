//! The export screen: choices on the left, a preview of the document on the right,
//! and, before anything is written, a plain warning that the file is not encrypted.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use super::home::truncate;
use super::{bold, dim, paragraphs};
use crate::app::export_screen::{ExportState, Row};
use crate::app::{App, LineField};
use crate::export::Format;
use crate::text::sanitize;

pub fn render(app: &App, state: &ExportState, frame: &mut Frame, area: Rect) {
    if app.session().is_none() {
        return;
    }
    let [left, right] = area.layout(&Layout::horizontal([
        Constraint::Percentage(50),
        Constraint::Percentage(50),
    ]));
    let width = usize::from(left.width.saturating_sub(2));
    // Only the rows that fit are made (ten years is a row per entry), scrolled as a
    // list scrolls: the cursor's row at the bottom once it has gone past it.
    let height = usize::from(left.height.saturating_sub(1)).max(1);
    let first = state.cursor.saturating_sub(height - 1);
    let items: Vec<ListItem> = state
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, row)| ListItem::new(row_line(state, i, row, width)))
        .collect();
    let mut list_state = ListState::default().with_selected(Some(state.cursor - first));
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::RIGHT)
                .title(Line::from(bold(" What goes in"))),
        )
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    frame.render_stateful_widget(list, left, &mut list_state);
    if state.typing_in_a_field() {
        // The cursor where typing goes, in the field's row (below the title line).
        let row = state.cursor - first;
        let (field, label, _) = field_of(state, &state.rows[state.cursor]);
        let column = label.chars().count() + window(field, field.cursor(), width, label).1;
        if let (Ok(row), Ok(column)) = (u16::try_from(row), u16::try_from(column)) {
            frame.set_cursor_position((left.x + column, left.y + 1 + row));
        }
    }
    render_right(state, frame, right);
}

/// The right half: the question about a file already there, the last warning, or the
/// preview.
fn render_right(state: &ExportState, frame: &mut Frame, right: Rect) {
    let inner = Rect {
        x: right.x + 1,
        width: right.width.saturating_sub(1),
        ..right
    };
    if state.replacing {
        let question = format!(
            "'{}' is there already. Replace it? Enter replaces it; Esc goes back, so you can choose another name.",
            sanitize(state.path.value())
        );
        let text = paragraphs(["A file with that name exists", &question]);
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    let private = private_words(state.private_ticked());
    if state.confirming {
        let encrypted = matches!(state.counsellor(), Ok(Some(_)));
        let text = if encrypted {
            paragraphs([
                "Before you write it",
                "This file will be encrypted to your counsellor's key: only their key opens it, and mend cannot open it again.",
                &private,
                "Press Enter to write it. Esc goes back.",
            ])
        } else {
            paragraphs([
                "Before you write it",
                "This file will NOT be encrypted. Anyone who can open it can read everything in it.",
                &private,
                "If the folder is synced (Dropbox, iCloud, OneDrive, Google Drive, Syncthing), copies go to those services and other devices too. A folder that is not synced is safer; delete the file when you no longer need it.",
                "Press Enter to write it. Esc goes back.",
            ])
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    // Only the lines that can be on screen are wrapped and drawn: scrolling moves by
    // the preview's own lines, so a summary of any length draws in the same time.
    let mut text = Text::from(Line::from(bold("Preview (as plain text)")));
    match state.counsellor() {
        Err(what) if state.rows.get(state.cursor) == Some(&Row::Recipient) => {
            text.push_line(Line::from(bold(what)));
        }
        Ok(Some(_)) => text.push_line(Line::from(dim(
            "Encrypted to your counsellor's key: only their key opens the file.",
        ))),
        _ => {}
    }
    text.push_line(Line::from(dim(private)));
    text.extend(
        state
            .preview
            .lines()
            .skip(usize::from(state.preview_scroll))
            .take(usize::from(inner.height))
            .map(|l| Line::raw(sanitize(l).into_owned())),
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}

fn tick(on: bool) -> &'static str {
    if on { "[x]" } else { "[ ]" }
}

fn row_line(state: &ExportState, index: usize, row: &Row, width: usize) -> Line<'static> {
    let text = match row {
        Row::Format => format!(" Format: {} ‹›", format_name(state.format)),
        Row::Period => format!(" Period: {} ‹›", state.period.label()),
        Row::Trends => format!(" {} Check-in trends", tick(state.include_trends)),
        Row::Module { title, .. } => {
            format!(" {} {}", tick(state.included(index)), sanitize(title))
        }
        Row::Exercise { title, .. } => {
            format!("   {} {}", tick(state.included(index)), sanitize(title))
        }
        Row::Entry { label, .. } => format!("     {} {label}", tick(state.included(index))),
        Row::PreparedFor | Row::Recipient | Row::Path => {
            let (field, label, empty) = field_of(state, row);
            let focused = state.rows.get(state.cursor) == Some(row);
            match empty {
                Some(empty) if field.value().is_empty() && !focused => empty.to_owned(),
                _ => {
                    let cursor = if focused { field.cursor() } else { usize::MAX };
                    format!("{label}{}", window(field, cursor, width, label).0)
                }
            }
        }
        Row::Write => return Line::from(bold(" ▶ Write the file…")),
    };
    let line = truncate(&text, width);
    match row {
        Row::Module { .. } => Line::from(bold(line)),
        Row::Entry { .. } => Line::from(dim(line)),
        _ => Line::raw(line),
    }
}

pub fn format_name(format: Format) -> &'static str {
    match format {
        Format::Markdown => "Markdown",
        Format::Html => "HTML (prints well)",
        Format::Text => "plain text",
    }
}

/// What the file will hold of the person's private answers, said before it is written.
pub fn private_words(count: usize) -> String {
    match count {
        0 => "It holds none of your private answers.".to_owned(),
        1 => {
            "It holds 1 of your private answers: anyone who opens the file can read it.".to_owned()
        }
        n => format!(
            "It holds {n} of your private answers: anyone who opens the file can read them."
        ),
    }
}

const FILE_LABEL: &str = " File: ";
const KEY_LABEL: &str = " Counsellor's key: ";
const FOR_LABEL: &str = " Prepared for: ";

/// The one-line field a row shows, its label, and what the row says while it is empty
/// and the cursor elsewhere (the file name is never empty).
fn field_of<'a>(
    state: &'a ExportState,
    row: &Row,
) -> (&'a LineField, &'static str, Option<&'static str>) {
    match row {
        Row::PreparedFor => (
            &state.prepared_for,
            FOR_LABEL,
            Some(" Prepared for: (optional)"),
        ),
        Row::Recipient => (
            &state.recipient,
            KEY_LABEL,
            Some(" Counsellor's key: none (optional)"),
        ),
        _ => (&state.path, FILE_LABEL, None),
    }
}

/// The part of `field` that fits in a row `width` wide after `label`, around `cursor`
/// (past the end for a row the cursor is not on: then its end shows, the part of a file
/// name that matters most), and the cursor's column in it.
fn window(field: &LineField, cursor: usize, width: usize, label: &str) -> (String, usize) {
    let chars: Vec<char> = field.value().chars().collect();
    let cursor = cursor.min(chars.len());
    let room = width.saturating_sub(label.chars().count() + 1).max(2);
    if chars.len() < room {
        return (chars.iter().collect(), cursor);
    }
    // One column for "…" when the start is cut off; the row keeps one spare column for
    // the cursor just past the last character.
    let shown = room - 1;
    let start = cursor.saturating_sub(shown);
    let end = (start + shown).min(chars.len());
    let text: String = chars[start..end].iter().collect();
    if start == 0 {
        (text, cursor)
    } else {
        (format!("…{text}"), cursor - start + 1)
    }
}
