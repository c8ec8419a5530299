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
use crate::app::{App, HistoryState, ReadingState, Target};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::access::Author;
use crate::app::home::latest_by;
use crate::content::Visibility;
use crate::domain::{Answer, Entry, StepAnswer};
use crate::text::sanitize;

/// Long on purpose: the history screen's lines, top to bottom, in one place.
pub fn history(
    app: &App,
    state: HistoryState,
    frame: &mut Frame,
    area: Rect,
    targets: &mut Vec<Target>,
) {
    let Some(session) = &app.session() else {
        return;
    };
    let col = reading_column(area);
    let listed = crate::app::home::history(app.workbooks(), session, app.people());
    // A partner's earlier shared entries are sealed to a new partner's key only when
    // that partner next unlocks: say so, rather than let them seem to be missing.
    let waiting = app
        .partner()
        .filter(|_| !session.reader(app.people()).any_from_partner(&session.entries))
        .map(|p| {
            let name = sanitize(&p.name);
            format!(
                "If {name} shared entries before you joined, they appear here after {name} next unlocks mend."
            )
        });
    let col = if let Some(note) = &waiting {
        let [body, foot] = col.layout(&ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Fill(1),
            ratatui::layout::Constraint::Length(2),
        ]));
        frame.render_widget(
            Paragraph::new(Line::from(dim(note.clone()))).wrap(Wrap { trim: false }),
            foot,
        );
        body
    } else {
        col
    };
    if listed.is_empty() {
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
    let title = Line::from(bold(format!(
        " History: {} {}, newest first",
        listed.len(),
        if listed.len() == 1 {
            "entry"
        } else {
            "entries"
        }
    )));
    let block = ratatui::widgets::Block::default().title(title);
    // Only the rows on screen are made: a list drawn from a fresh state shows the selected
    // row last once it is past the first page, so that page is known from the cursor alone
    // (every row is one line). Ten years of entries cost what one screen does.
    let rows = usize::from(block.inner(col).height.max(1));
    let first = state.cursor.saturating_sub(rows - 1);
    let items: Vec<ListItem> = listed
        .iter()
        .skip(first)
        .take(rows)
        .map(|&i| &session.entries[i])
        .map(|e| {
            let date = when(e.updated, app.offset());
            let tag = format!("{}{}", e.visibility.label(), author_note(e, app));
            // One line per entry, whatever the title holds.
            let title = sanitize(&e.exercise.exercise_title).replace('\n', " ");
            let room = width.saturating_sub(date.len() + tag.len() + 6);
            ListItem::new(format!(
                " {date:<12}  {:<room$}  {tag}",
                truncate(&title, room)
            ))
        })
        .collect();
    let mut list_state = ListState::default().with_selected(Some(state.cursor - first));
    let inner = block.inner(col);
    let shown = listed.len().saturating_sub(first).min(rows);
    for (y, pick) in (inner.y..).zip(first..first + shown) {
        targets.push(Target {
            x: inner.x,
            y,
            width: inner.width,
            pick,
        });
    }
    let list = List::new(items)
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .block(block);
    frame.render_stateful_widget(list, col, &mut list_state);
}

/// Where an entry's text scrolls, and the text.
pub fn entry_region(app: &App, state: &ReadingState, area: Rect) -> Option<(Rect, Text<'static>)> {
    let session = app.session()?;
    let entry = session.entries.get(state.entry)?;
    let rect = reading_column(area);
    let text = match revealed_pair(app, entry) {
        Some((mine, theirs, name)) => side_by_side(mine, theirs, &name, app, rect.width),
        None => entry_text(entry, app),
    };
    Some((rect, text))
}

pub fn entry(app: &App, state: &ReadingState, frame: &mut Frame, area: Rect) {
    if let Some((rect, text)) = entry_region(app, state, area) {
        render_scrolling(frame, rect, text, state.scroll);
    }
}

/// An entry as a person reads it: each prompt as it was asked, then the answer.
/// The heading of an entry: what, when, who can read it, and who wrote it.
fn heading(entry: &Entry, app: &App) -> Vec<Line<'static>> {
    let lines = vec![
        Line::from(bold(format!(
            "{} › {}",
            sanitize(&entry.exercise.module_title),
            sanitize(&entry.exercise.exercise_title)
        ))),
        Line::from(dim(format!(
            "Written {} · {}{}",
            when(entry.updated, app.offset()),
            entry.visibility.label(),
            author_note(entry, app)
        ))),
    ];
    lines
}

/// " · by Sam" for a partner's entry; nothing for one's own.
pub fn author_note(entry: &Entry, app: &App) -> String {
    match app
        .session()
        .as_ref()
        .map(|s| s.reader(app.people()).author(entry))
    {
        Some(Author::Partner(name)) => format!(" · by {}", sanitize(name)),
        Some(Author::Me) | None => String::new(),
    }
}

/// An entry as a person reads it: each prompt as it was asked, then the answer.
pub fn entry_text(entry: &Entry, app: &App) -> Text<'static> {
    let mut lines = heading(entry, app);
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

/// When `entry` is one half of a together exercise both partners revealed, the pair
/// (mine, theirs) and the partner's name.
fn revealed_pair<'a>(app: &'a App, entry: &'a Entry) -> Option<(&'a Entry, &'a Entry, String)> {
    let session = app.session()?;
    let partner = app.partner()?;
    if entry.visibility != Visibility::Shared {
        return None;
    }
    let r = &entry.exercise;
    let (mine, theirs) = if session.is_mine(entry) {
        (entry, latest_by(&session.entries, &partner.id, r, true)?)
    } else if entry.author == partner.id {
        (
            latest_by(&session.entries, &session.person.id, r, true)?,
            entry,
        )
    } else {
        return None;
    };
    Some((mine, theirs, partner.name.clone()))
}

/// Both partners' revealed answers, step by step: the question across the page, then
/// "You" and the partner in two columns.
fn side_by_side(mine: &Entry, theirs: &Entry, name: &str, app: &App, width: u16) -> Text<'static> {
    let mut lines = heading(mine, app);
    lines.push(Line::from(dim(format!(
        "Side by side: you both revealed your answers. {} wrote theirs {}.",
        sanitize(name),
        when(theirs.updated, app.offset())
    ))));
    let column = usize::from(width.saturating_sub(3)) / 2;
    let mut steps: Vec<&StepAnswer> = mine.answers.iter().collect();
    steps.extend(
        theirs
            .answers
            .iter()
            .filter(|t| !mine.answers.iter().any(|m| m.step == t.step)),
    );
    for step in steps {
        if matches!(step.answer, Answer::Read) {
            continue;
        }
        lines.push(Line::raw(""));
        lines.push(Line::from(bold(sanitize(&step.prompt).into_owned())));
        let left = column_lines(mine, step, column);
        let right = column_lines(theirs, step, column);
        lines.push(Line::from(vec![
            dim(format!("{:<column$}", "You")),
            Span::raw(" │ "),
            dim(sanitize(name).into_owned()),
        ]));
        for i in 0..left.len().max(right.len()) {
            let l = left.get(i).map_or("", String::as_str);
            let r = right.get(i).map_or("", String::as_str);
            let pad = column.saturating_sub(l.width());
            lines.push(Line::raw(format!("{l}{} │ {r}", " ".repeat(pad))));
        }
    }
    Text::from(lines)
}

/// One partner's answer to `step`, wrapped to `width`.
fn column_lines(entry: &Entry, step: &StepAnswer, width: usize) -> Vec<String> {
    let answer = entry.answers.iter().find(|a| a.step == step.step);
    let text = match answer.map(|a| &a.answer) {
        None => "(not in this answer)".to_owned(),
        Some(answer) => answer_lines(answer)
            .iter()
            .map(|l| l.to_string().trim_start().to_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    sanitize(&text)
        .split('\n')
        .flat_map(|l| wrap(l, width))
        .collect()
}

/// Greedy word wrap by display width; a word wider than the line is cut.
pub(super) fn wrap(line: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let needed = if current.is_empty() {
            word.width()
        } else {
            current.width() + 1 + word.width()
        };
        if needed <= width {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        for c in word.chars() {
            if current.width() + c.width().unwrap_or(0) > width {
                out.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
    }
    out.push(current);
    out
}
