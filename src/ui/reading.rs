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
use crate::app::{App, HistoryState, Mark, ReadingState, Target};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::access::Author;
use crate::content::{StepId, Visibility};
use crate::domain::{Answer, Entry, StepAnswer};
use crate::search::highlights;
use crate::text::sanitize;
use std::ops::Range;

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
        .filter(|_| !session.any_from_partner(app.people()))
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

/// An entry as drawn: where its text scrolls, the text (matches of a search marked),
/// where the matches fell, and the scroll that shows the current one; opened from a
/// search, a line above the text that stays put says how many matches there are and
/// how to move between them.
pub struct Page {
    pub rect: Rect,
    pub text: Text<'static>,
    pub marks: Vec<Mark>,
    pub scroll: u16,
    /// The current match, when opened from a search.
    pub at: Option<usize>,
    note: Option<(Rect, Line<'static>)>,
}

pub fn page(app: &App, state: &ReadingState, area: Rect) -> Option<Page> {
    let session = app.session()?;
    let entry = session.entries.get(state.entry)?;
    let column = reading_column(area);
    let lines = match revealed_pair(app, entry) {
        Some((mine, theirs, name)) => side_by_side(mine, theirs, &name, app, column.width),
        None => entry_text(entry, app),
    };
    let Some(found) = &state.found else {
        return Some(Page {
            rect: column,
            text: Text::from(lines.into_iter().map(|(l, _)| l).collect::<Vec<_>>()),
            marks: Vec::new(),
            scroll: state.scroll,
            at: None,
            note: None,
        });
    };
    let [top, _, rect] = column.layout(&ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Fill(1),
    ]));
    let ranges: Vec<Vec<Range<usize>>> = lines
        .iter()
        .map(|(line, _)| highlights(&joined(line), &found.words))
        .collect();
    let marks = marks_of(&lines, &ranges, rect.width);
    let plain = Text::from(lines.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>());
    let (max, rows) = super::scroll_limit(&plain, rect);
    let (at, scroll) = found.place(&marks, state.scroll, max, rows);
    let note = match marks.len() {
        0 => "Found by your search's filters. Esc: back to the results.".to_owned(),
        1 => "1 match of your search, marked. Esc: back to the results.".to_owned(),
        n => format!(
            "Match {} of {n}, marked. n: the next, N: the one before. Esc: the results.",
            at + 1
        ),
    };
    let mut n = 0;
    let text = Text::from(
        lines
            .into_iter()
            .zip(&ranges)
            .map(|((line, _), ranges)| {
                let first = n;
                n += ranges.len();
                mark_line(line, ranges, at.checked_sub(first))
            })
            .collect::<Vec<_>>(),
    );
    Some(Page {
        rect,
        text,
        marks,
        scroll,
        at: Some(at),
        note: Some((top, Line::from(dim(note)))),
    })
}

/// Where each match falls in the wrapped text, `width` wide, in order.
fn marks_of(
    lines: &[(Line<'static>, Owner)],
    ranges: &[Vec<Range<usize>>],
    width: u16,
) -> Vec<Mark> {
    let rows_of = |line: Line<'static>| {
        let n = Paragraph::new(line)
            .wrap(Wrap { trim: false })
            .line_count(width);
        u16::try_from(n).unwrap_or(u16::MAX)
    };
    let mut marks = Vec::new();
    let mut row: u16 = 0;
    for ((line, owner), ranges) in lines.iter().zip(ranges) {
        let text = joined(line);
        for r in ranges {
            // The row the match is on: the rows its line takes up to the end of its word.
            let end = text[r.end..]
                .find(|c: char| c.is_whitespace())
                .map_or(text.len(), |i| r.end + i);
            let within = rows_of(Line::raw(text[..end].to_owned())).saturating_sub(1);
            marks.push(Mark {
                row: row.saturating_add(within),
                step: owner.clone(),
            });
        }
        row = row.saturating_add(rows_of(line.clone()));
    }
    marks
}

/// A line's spans' text, end to end, exactly as `mark_line` slices it (ratatui's own
/// `to_string` drops line breaks).
fn joined(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// `line` with the byte ranges `ranges` of its text marked; the `current`-th of them
/// (if it is one of these) stands out from the rest.
fn mark_line(
    line: Line<'static>,
    ranges: &[Range<usize>],
    current: Option<usize>,
) -> Line<'static> {
    if ranges.is_empty() {
        return line;
    }
    let marked = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let here = Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let mut spans = Vec::new();
    let mut start = 0;
    for span in line.spans {
        let end = start + span.content.len();
        let mut at = start;
        for (i, r) in ranges.iter().enumerate() {
            let (from, to) = (r.start.max(at), r.end.min(end));
            if from >= to {
                continue;
            }
            if from > at {
                spans.push(Span::styled(
                    span.content[at - start..from - start].to_owned(),
                    span.style,
                ));
            }
            let style = if current == Some(i) { here } else { marked };
            spans.push(Span::styled(
                span.content[from - start..to - start].to_owned(),
                span.style.patch(style),
            ));
            at = to;
        }
        if at < end {
            spans.push(Span::styled(
                span.content[at - start..].to_owned(),
                span.style,
            ));
        }
        start = end;
    }
    Line::from(spans).style(line.style)
}

pub fn entry(app: &App, state: &ReadingState, frame: &mut Frame, area: Rect) {
    if let Some(page) = page(app, state, area) {
        if let Some((rect, note)) = page.note {
            frame.render_widget(Paragraph::new(note), rect);
        }
        render_scrolling(frame, page.rect, page.text, page.scroll);
    }
}

/// The step a line of an entry belongs to (none for its heading).
type Owner = Option<StepId>;

/// The heading of an entry: what, when, who can read it, and who wrote it.
fn heading(entry: &Entry, app: &App) -> Vec<(Line<'static>, Owner)> {
    vec![
        (
            Line::from(bold(format!(
                "{} › {}",
                sanitize(&entry.exercise.module_title),
                sanitize(&entry.exercise.exercise_title)
            ))),
            None,
        ),
        (
            Line::from(dim(format!(
                "Written {} · {}{}",
                when(entry.updated, app.offset()),
                entry.visibility.label(),
                author_note(entry, app)
            ))),
            None,
        ),
    ]
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

/// An entry as a person reads it: each prompt as it was asked, then the answer; each
/// line with the step it belongs to.
fn entry_text(entry: &Entry, app: &App) -> Vec<(Line<'static>, Owner)> {
    let mut lines = heading(entry, app);
    for a in &entry.answers {
        if matches!(a.answer, Answer::Read) {
            continue;
        }
        let owner = Some(a.step.clone());
        lines.push((Line::raw(""), owner.clone()));
        let prompt = sanitize(&a.prompt);
        let step = prompt
            .split('\n')
            .map(|l| Line::from(bold(l.to_owned())))
            .chain(answer_lines(&a.answer));
        lines.extend(step.map(|l| (l, owner.clone())));
    }
    lines
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
    // Looked up in what was derived when the entries last changed, not found per frame.
    let (my_shared, their_shared) = session.togethers(&partner.id).shared_pair(&entry.exercise);
    let (mine, theirs) = if session.is_mine(entry) {
        (entry, session.entries.get(their_shared?)?)
    } else if entry.author == partner.id {
        (session.entries.get(my_shared?)?, entry)
    } else {
        return None;
    };
    Some((mine, theirs, partner.name.clone()))
}

/// Both partners' revealed answers, step by step: the question across the page, then
/// "You" and the partner in two columns.
fn side_by_side(
    mine: &Entry,
    theirs: &Entry,
    name: &str,
    app: &App,
    width: u16,
) -> Vec<(Line<'static>, Owner)> {
    let mut lines = heading(mine, app);
    lines.push((
        Line::from(dim(format!(
            "Side by side: you both revealed your answers. {} wrote theirs {}.",
            sanitize(name),
            when(theirs.updated, app.offset())
        ))),
        None,
    ));
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
        let owner = Some(step.step.clone());
        let mut here = vec![Line::raw("")];
        here.extend(
            sanitize(&step.prompt)
                .split('\n')
                .map(|l| Line::from(bold(l.to_owned()))),
        );
        let left = column_lines(mine, step, column);
        let right = column_lines(theirs, step, column);
        here.push(Line::from(vec![
            dim(format!("{:<column$}", "You")),
            Span::raw(" │ "),
            dim(sanitize(name).into_owned()),
        ]));
        for i in 0..left.len().max(right.len()) {
            let l = left.get(i).map_or("", String::as_str);
            let r = right.get(i).map_or("", String::as_str);
            let pad = column.saturating_sub(l.width());
            here.push(Line::raw(format!("{l}{} │ {r}", " ".repeat(pad))));
        }
        lines.extend(here.into_iter().map(|l| (l, owner.clone())));
    }
    lines
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
