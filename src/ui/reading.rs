//! History: past entries newest first, and one entry in full with its prompts.
//!
//! Entries come from disk and could hold anything, so every piece of their text is
//! sanitized before it reaches the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use super::home::{truncate, when};
use super::{bold, dim, reading_column, render_scrolling};
use crate::app::{App, HistoryState, ReadingState};
use crate::entry::{Answer, Entry};
use crate::text::sanitize;

pub fn history(app: &App, state: HistoryState, frame: &mut Frame, area: Rect) {
    let Some(session) = &app.session else { return };
    let col = reading_column(area);
    if session.entries.is_empty() {
        let text = vec![
            Line::from(bold("History")),
            Line::raw(""),
            Line::raw(
                "Nothing saved yet. When you finish an exercise, it appears here, newest first.",
            ),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), col);
        return;
    }
    let width = col.width as usize;
    let items: Vec<ListItem> = session
        .entries
        .iter()
        .map(|e| {
            let date = when(e.updated, app.offset);
            let tag = e.visibility.label();
            let title = sanitize(&e.exercise.exercise_title).into_owned();
            let room = width.saturating_sub(date.len() + tag.len() + 6);
            ListItem::new(format!(
                " {date:<12}  {:<room$}  {tag}",
                truncate(&title, room)
            ))
        })
        .collect();
    let mut list_state = ListState::default().with_selected(Some(state.cursor));
    let list = List::new(items)
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .block(
            ratatui::widgets::Block::default().title(Line::from(bold(format!(
                " History: {} {}, newest first",
                session.entries.len(),
                if session.entries.len() == 1 {
                    "entry"
                } else {
                    "entries"
                }
            )))),
        );
    frame.render_stateful_widget(list, col, &mut list_state);
}

/// Where an entry's text scrolls, and the text.
pub fn entry_region(app: &App, state: &ReadingState, area: Rect) -> Option<(Rect, Text<'static>)> {
    let entry = app.session.as_ref()?.entries.get(state.entry)?;
    Some((reading_column(area), entry_text(entry, app)))
}

pub fn entry(app: &App, state: &ReadingState, frame: &mut Frame, area: Rect) {
    if let Some((rect, text)) = entry_region(app, state, area) {
        render_scrolling(frame, rect, text, state.scroll);
    }
}

/// An entry as a person reads it: each prompt as it was asked, then the answer.
pub fn entry_text(entry: &Entry, app: &App) -> Text<'static> {
    let mut lines = vec![
        Line::from(bold(format!(
            "{} › {}",
            sanitize(&entry.exercise.module_title),
            sanitize(&entry.exercise.exercise_title)
        ))),
        Line::from(dim(format!(
            "Written {} · {}",
            when(entry.updated, app.offset),
            entry.visibility.label()
        ))),
    ];
    for a in &entry.answers {
        if matches!(a.answer, Answer::Read) {
            continue;
        }
        lines.push(Line::raw(""));
        lines.extend(
            sanitize(&a.prompt)
                .split('\n')
                .map(|l| Line::from(bold(l.to_owned()))),
        );
        lines.extend(answer_lines(&a.answer));
    }
    Text::from(lines)
}

fn answer_lines(answer: &Answer) -> Vec<Line<'static>> {
    match answer {
        Answer::Text { text } => sanitize(text)
            .split('\n')
            .map(|l| Line::raw(format!("  {l}")))
            .collect(),
        Answer::Scale {
            value,
            min,
            max,
            min_label,
            max_label,
        } => vec![Line::raw(format!(
            "  {value} on a scale from {min} ({}) to {max} ({})",
            sanitize(min_label),
            sanitize(max_label)
        ))],
        Answer::Choice { options } => options
            .iter()
            .map(|o| {
                let mark = if o.picked { "[x]" } else { "[ ]" };
                let style = if o.picked {
                    Style::new()
                } else {
                    Style::new().add_modifier(Modifier::DIM)
                };
                Line::from(Span::styled(
                    format!("  {mark} {}", sanitize(&o.label)),
                    style,
                ))
            })
            .collect(),
        Answer::Skipped => vec![Line::from(dim("  (skipped)"))],
        Answer::NotReady => vec![Line::from(dim("  (not ready yet)"))],
        Answer::Read => Vec::new(),
    }
}
