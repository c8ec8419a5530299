//! The search screen: the query line, what filters there are, and what was found, each
//! entry with a line of its words around the match.
//!
//! Only the results on screen are drawn, so a search that finds ten thousand entries
//! costs what one that finds ten does.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::home::truncate;
use super::reading::author_note;
use super::{bold, dim, reading_column};
use crate::app::{App, SearchState, Target};
use crate::domain::Entry;
use crate::search::{Hit, answer_words, highlights};
use crate::text::sanitize;

const LABEL: &str = "Search: ";

/// Long on purpose: the search screen's bands, top to bottom, in one place.
pub fn render(
    app: &App,
    state: &SearchState,
    frame: &mut Frame,
    area: Rect,
    targets: &mut Vec<Target>,
) {
    let Some(session) = app.session() else {
        return;
    };
    let col = reading_column(area);
    let said = Paragraph::new(Line::from(bold(said(app, state)))).wrap(Wrap { trim: false });
    let said_rows = u16::try_from(said.line_count(col.width)).unwrap_or(1);
    let [line, legend, count, list] = col.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(said_rows + 1),
        Constraint::Fill(1),
    ]));
    let width = usize::from(col.width);
    let (shown, cursor) = query_window(state, width.saturating_sub(LABEL.len() + 1));
    frame.render_widget(
        Paragraph::new(Line::from(vec![bold(LABEL), Span::raw(shown)])),
        line,
    );
    if let (Ok(x), true) = (u16::try_from(LABEL.len() + cursor), line.width > 0) {
        frame.set_cursor_position((line.x + x.min(line.width - 1), line.y));
    }
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(dim(
                "Words in any order; capitals and accents do not matter. Filters:",
            )),
            Line::from(dim(
                "  by:me by:NAME · is:private is:shared is:checkin · in:WORD",
            )),
            Line::from(dim(
                "  last:30 (days) · 2026-03 (a month) · since:2026-01-10",
            )),
        ]),
        legend,
    );
    frame.render_widget(said, count);
    if state.hits.is_empty() {
        return;
    }
    // Two rows per result; only the page the cursor is on is made.
    let per_page = usize::from(list.height / 2).max(1);
    let first = state.cursor.saturating_sub(per_page - 1);
    let items: Vec<ListItem> = state
        .hits
        .iter()
        .skip(first)
        .take(per_page)
        .filter_map(|hit| {
            let entry = session.entries.get(hit.entry)?;
            Some(ListItem::new(Text::from(vec![
                title_line(app, entry, &state.parsed.words, width),
                context_line(entry, hit, &state.parsed.words, width),
            ])))
        })
        .collect();
    let shown = items.len();
    for (i, pick) in (first..first + shown).enumerate() {
        for dy in 0..2 {
            if let Ok(y) = u16::try_from(2 * i + dy) {
                targets.push(Target {
                    x: list.x,
                    y: list.y + y,
                    width: list.width,
                    pick,
                });
            }
        }
    }
    let mut list_state = ListState::default().with_selected(Some(state.cursor - first));
    frame.render_stateful_widget(
        List::new(items).highlight_style(Style::new().add_modifier(Modifier::REVERSED)),
        list,
        &mut list_state,
    );
}

/// What the search found, in a sentence; before anything is typed, whose words it
/// looks through.
fn said(app: &App, state: &SearchState) -> String {
    if !state.asks() {
        let whose = match app.partner() {
            Some(p) => format!(
                "Your entries and what {name} shared are searched, never {name}'s private ones.",
                name = sanitize(&p.name)
            ),
            None => "Everything you wrote is searched.".to_owned(),
        };
        format!("{whose} Nothing you type here is saved.")
    } else if state.searching() {
        "Searching…".to_owned()
    } else if state.hits.is_empty() {
        "Nothing found. Try fewer words, or the start of a word.".to_owned()
    } else {
        match state.hits.len() {
            1 => "1 entry found, best matches first.".to_owned(),
            n => format!("{n} entries found, best matches first."),
        }
    }
}

/// The part of the query that fits in `room` columns around the cursor, and the
/// cursor's column in it.
fn query_window(state: &SearchState, room: usize) -> (String, usize) {
    let chars: Vec<char> = state.query.value().chars().collect();
    let cursor = state.query.cursor().min(chars.len());
    let start = cursor.saturating_sub(room.max(1));
    let text: String = chars[start..].iter().take(room.max(1)).collect();
    let column = chars[start..cursor].iter().collect::<String>().width();
    (text, column)
}

/// " 12 Mar 2026  The anniversary            shared · by Sam"
fn title_line(app: &App, entry: &Entry, words: &[String], width: usize) -> Line<'static> {
    let date = entry
        .updated
        .with_timezone(&app.offset())
        .format("%-d %b %Y")
        .to_string();
    let tag = format!("{}{}", entry.visibility.label(), author_note(entry, app));
    let title = sanitize(&entry.exercise.exercise_title).replace('\n', " ");
    // " " date (11) "  " title "  " tag
    let room = width.saturating_sub(16 + tag.width());
    let title = format!("{:<room$}", truncate(&title, room));
    let mut spans = vec![Span::raw(format!(" {date:<11}  "))];
    spans.extend(marked(&title, &highlights(&title, words), Style::new()));
    spans.push(Span::raw(format!("  {tag}")));
    Line::from(spans)
}

/// `text` as spans in `base` style, the byte ranges `marks` of it marked.
fn marked(text: &str, marks: &[std::ops::Range<usize>], base: Style) -> Vec<Span<'static>> {
    let mark = base.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let mut spans = Vec::new();
    let mut at = 0;
    for r in marks {
        spans.push(Span::styled(text[at..r.start].to_owned(), base));
        spans.push(Span::styled(text[r.clone()].to_owned(), mark));
        at = r.end;
    }
    spans.push(Span::styled(text[at..].to_owned(), base));
    spans
}

/// "    …the café where we met, on our anniversary night": the words around the first
/// match, the matches marked.
fn context_line(entry: &Entry, hit: &Hit, words: &[String], width: usize) -> Line<'static> {
    let text = hit
        .step
        .and_then(|i| entry.answers.get(i))
        .and_then(|a| answer_words(&a.answer))
        .unwrap_or_else(|| {
            format!(
                "{} › {}",
                entry.exercise.module_title, entry.exercise.exercise_title
            )
        });
    let text: String = sanitize(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let ranges = highlights(&text, words);
    let room = width.saturating_sub(6);
    // Start a little before the first match, at a word's start, so it is in view.
    let first = ranges.first().map_or(0, |r| r.start);
    let lead = room / 3;
    let start = if text[..first].width() <= room / 2 {
        0
    } else {
        let mut start = first;
        for (i, _) in text[..first].char_indices().rev() {
            if text[i..first].width() > lead {
                break;
            }
            start = i;
        }
        text[start..first]
            .find(' ')
            .map_or(start, |space| start + space + 1)
            .min(first)
    };
    let shown = &text[start..];
    let ranges: Vec<_> = ranges
        .iter()
        .filter(|r| r.start >= start)
        .map(|r| r.start - start..r.end - start)
        .collect();
    let mut spans = vec![Span::raw(if start > 0 { "    …" } else { "     " })];
    spans.extend(marked(
        shown,
        &ranges,
        Style::new().add_modifier(Modifier::DIM),
    ));
    Line::from(spans)
}
