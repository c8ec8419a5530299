//! The search screen: the query line, what filters there are, and what was found, each
//! entry with a line of its words around the match.
//!
//! Only the results on screen are drawn, so a search that finds ten thousand entries
//! costs what one that finds ten does.

use std::ops::Range;

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
fn marked(text: &str, marks: &[Range<usize>], base: Style) -> Vec<Span<'static>> {
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
    let room = width.saturating_sub(6);
    let (text, ranges) = as_far_as_shown(&sanitize(&text), words, room);
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
    let shown = fitting(&text[start..], width.saturating_sub(5));
    let ranges: Vec<_> = ranges
        .iter()
        .filter(|r| r.start >= start && r.start < start + shown.len())
        .map(|r| r.start - start..(r.end - start).min(shown.len()))
        .collect();
    let mut spans = vec![Span::raw(if start > 0 { "    …" } else { "     " })];
    spans.extend(marked(
        shown,
        &ranges,
        Style::new().add_modifier(Modifier::DIM),
    ));
    Line::from(spans)
}

/// `text` with each run of whitespace made one space, and where `words` are in it: made
/// only as far as a line of `room` columns past the first match (all of it when there is
/// none). A row shows no more, and an answer can be pages long.
fn as_far_as_shown(text: &str, words: &[String], room: usize) -> (String, Vec<Range<usize>>) {
    let mut made = String::new();
    let mut rest = text.split_whitespace();
    // Whole words at a time, so no match is cut in two: a query's words hold no space.
    let mut want = 4 * room;
    loop {
        let mut ended = true;
        for word in rest.by_ref() {
            if !made.is_empty() {
                made.push(' ');
            }
            made.push_str(word);
            if made.len() >= want {
                ended = false;
                break;
            }
        }
        let ranges = highlights(&made, words);
        let enough = ranges
            .first()
            .is_some_and(|first| made[first.start..].width() > room);
        if enough || ended {
            return (made, ranges);
        }
        want *= 2;
    }
}

/// The start of `text` that fits in `columns`: what a row can show of it.
fn fitting(text: &str, columns: usize) -> &str {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += c.width().unwrap_or(0);
        if used > columns {
            return &text[..i];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a row is made from is the start of the whole answer made one line, with
    /// the same matches, and reaches a line past the first match (or is all of it).
    #[test]
    fn a_long_answer_is_made_only_as_far_as_its_row_shows() {
        let filler = "Some   days the quiet\n\nbetween us feels like a wall. ".repeat(60);
        let texts = [
            format!("The walk this evening was calm. {filler}"),
            format!("{filler} We walked in the evening, café lights on. {filler}"),
            format!("{filler} ends with an evening walk"),
            format!("{filler} 夕方の散歩 walk 🌙 evening {filler}"),
            filler.clone(),
            "walk".to_owned(),
            String::new(),
        ];
        let words = vec!["walk".to_owned(), "evening".to_owned()];
        let room = 74;
        for text in &texts {
            let whole = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let all = highlights(&whole, &words);
            let (made, ranges) = as_far_as_shown(text, &words, room);
            assert!(whole.starts_with(&made), "a start of the whole: {made:?}");
            let within: Vec<_> = all
                .iter()
                .filter(|r| r.end <= made.len())
                .cloned()
                .collect();
            assert_eq!(ranges, within, "the same matches in {made:?}");
            match all.first() {
                Some(first) if made.len() < whole.len() => {
                    let past = made.get(first.start..).map_or(0, UnicodeWidthStr::width);
                    assert!(past > room, "a line past {first:?} in {made:?}");
                }
                _ => assert_eq!(made, whole, "all of it, when nothing cuts it short"),
            }
        }
        // A long answer is cut short when its match comes early.
        let (made, _) = as_far_as_shown(&texts[0], &words, room);
        assert!(made.len() < texts[0].len() / 4, "{} bytes made", made.len());
    }
}
