//! Home: modules and exercises with progress on the left; on the right, the
//! highlighted exercise and recent activity.

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use super::{bold, dim};
use crate::app::home::{HomeRow, Together};
use crate::app::{App, HomeState, Progress, Target};
use crate::content::{Exercise, Mode, Workbook};

/// The widest home gets.
const HOME_WIDTH: u16 = 120;

/// How many recent entries the side panel lists.
const RECENT: usize = 5;

pub fn render(
    app: &App,
    state: &HomeState,
    frame: &mut Frame,
    area: Rect,
    targets: &mut Vec<Target>,
) {
    let Some(session) = &app.session() else {
        return;
    };
    let rows = session.home_rows(app.workbooks());
    // On a wide window the list and the details stay together, not at opposite edges.
    let area = area.centered_horizontally(Constraint::Max(HOME_WIDTH));
    let area = render_broken(app, frame, area);
    let [left, right] = area.layout(&Layout::horizontal([
        Constraint::Percentage(60),
        Constraint::Percentage(40),
    ]));
    let mut selectable = 0;
    let mut selected_row = None;
    let width = left.width.saturating_sub(2) as usize;
    let items: Vec<ListItem> = rows
        .iter()
        .map(|row| {
            let chosen = row.selectable() && selectable == state.cursor;
            if row.selectable() {
                if chosen {
                    selected_row = Some(row.clone());
                }
                selectable += 1;
            }
            ListItem::new(row_line(app, row, width, chosen))
        })
        .collect();
    let index = rows.iter().position(|r| Some(r) == selected_row.as_ref());
    let mut list_state = ListState::default().with_selected(index);
    let [list_area, legend] = left.layout(&Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
    ]));
    let list = List::new(items).block(Block::default().borders(Borders::RIGHT));
    frame.render_stateful_widget(list, list_area, &mut list_state);
    // Each selectable row on screen, by its place among the selectable rows.
    let mut pick = rows[..list_state.offset()]
        .iter()
        .filter(|r| r.selectable())
        .count();
    let visible = rows
        .iter()
        .skip(list_state.offset())
        .take(usize::from(list_area.height));
    for (y, row) in (list_area.y..).zip(visible) {
        if row.selectable() {
            targets.push(Target {
                x: list_area.x,
                y,
                width: list_area.width,
                pick,
            });
            pick += 1;
        }
    }
    frame.render_widget(
        Paragraph::new(Line::from(dim(" ○ not started  ◐ in progress  ● done")))
            .block(Block::default().borders(Borders::RIGHT)),
        legend,
    );
    render_side(app, selected_row.as_ref(), frame, right);
}

/// Names each workbook file that could not be loaded, above the list, and says how to
/// find out why; returns the area left for the list.
fn render_broken(app: &App, frame: &mut Frame, area: Rect) -> Rect {
    if app.broken().is_empty() {
        return area;
    }
    let shown = app.broken().len().min(3);
    let mut lines: Vec<Line> = Vec::new();
    for b in &app.broken()[..shown] {
        let file = crate::text::sanitize(&b.file.display().to_string()).into_owned();
        let name = b.file.file_name().map_or_else(
            || file.clone(),
            |n| crate::text::sanitize(&n.to_string_lossy()).into_owned(),
        );
        lines.push(Line::from(bold(format!(
            " ⚠ The workbook '{name}' was not loaded: {}.",
            crate::text::sanitize(&b.what)
        ))));
        lines.push(Line::from(dim(format!("   To see why: mend check {file}"))));
    }
    if app.broken().len() > shown {
        lines.push(Line::from(dim(format!(
            "   And {} more; mend check shows what is wrong in each.",
            app.broken().len() - shown
        ))));
    }
    let notice = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = u16::try_from(notice.line_count(area.width)).unwrap_or(u16::MAX) + 1;
    let [top, rest] = area.layout(&Layout::vertical([
        Constraint::Length(rows.min(area.height / 3)),
        Constraint::Min(1),
    ]));
    frame.render_widget(notice, top);
    rest
}

/// Long on purpose: one home row of each kind, drawn side by side so they stay aligned.
fn row_line(app: &App, row: &HomeRow, width: usize, chosen: bool) -> Line<'static> {
    let style = if chosen {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new()
    };
    match *row {
        HomeRow::Continue { draft } => {
            let Some(draft) = app.session().and_then(|s| s.drafts.get(draft)) else {
                return Line::raw("");
            };
            let title = &draft.entry.exercise.exercise_title;
            Line::styled(
                pad(&format!(" ▶ Continue: {title}"), width),
                style.add_modifier(Modifier::BOLD),
            )
        }
        HomeRow::CheckIn { workbook } => {
            let wb = &app.workbooks()[workbook];
            let title = wb.checkin.as_ref().map_or("Quick check-in", |c| &*c.title);
            // With several workbooks, say whose check-in each one is.
            let several = app
                .workbooks()
                .iter()
                .filter(|w| w.checkin.is_some())
                .count()
                > 1;
            let label = if several {
                format!(" ✚ {title} · {}", wb.title)
            } else {
                format!(" ✚ {title}")
            };
            Line::styled(pad(&truncate(&label, width), width), style)
        }
        HomeRow::Workbook { workbook } => Line::styled(
            format!(" {}", app.workbooks()[workbook].title),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        ),
        HomeRow::Module { workbook, module } => {
            let m = &app.workbooks()[workbook].modules[module];
            Line::from(vec![Span::raw(""), bold(format!(" {}", m.title))])
        }
        HomeRow::Exercise {
            workbook,
            module,
            exercise,
            progress,
        } => {
            let e = &app.workbooks()[workbook].modules[module].exercises[exercise];
            let mark = match progress {
                Progress::NotStarted => "○",
                Progress::InProgress => "◐",
                Progress::Done => "●",
            };
            let wb = &app.workbooks()[workbook];
            let minutes = match together_status(app, wb, module, e) {
                Some(Together::WaitingOnMe) => "your turn".to_owned(),
                Some(Together::WaitingOnPartner) => "waiting".to_owned(),
                Some(Together::BothRevealed) => "revealed".to_owned(),
                _ => e
                    .estimated_minutes
                    .map_or_else(String::new, |m| format!("{m} min")),
            };
            let title_width = width.saturating_sub(5 + minutes.len() + 1);
            let title = truncate(&e.title, title_width);
            let line = format!("   {mark} {title:<title_width$} {minutes}");
            Line::styled(pad(&line, width), style)
        }
    }
}

fn pad(s: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(used)))
}

/// Cuts `s` to `width` columns, with an ellipsis when cut.
pub fn truncate(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(s) <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

fn mode_words(mode: Mode) -> &'static str {
    match mode {
        Mode::Solo => "on your own",
        Mode::Together => "together, each on your own turn",
        Mode::Either => "on your own or together",
    }
}

/// Where a together exercise stands, when there is a partner to do it with.
fn together_status(app: &App, wb: &Workbook, module: usize, e: &Exercise) -> Option<Together> {
    let session = app.session()?;
    let partner = app.partner()?;
    (e.mode == Mode::Together).then(|| {
        session
            .togethers(&partner.id)
            .get(&wb.id, &wb.modules[module].id, &e.id)
    })
}

fn together_words(status: Together, partner: &str) -> String {
    match status {
        Together::NotStarted => format!(
            "Together with {partner}: each of you answers on your own turn, privately, and each chooses when to reveal."
        ),
        Together::AnsweredPrivately => {
            "You answered; it stays private until you reveal it (open it in History and press r)."
                .to_owned()
        }
        Together::WaitingOnPartner => format!("You revealed your answer. Waiting for {partner}."),
        Together::WaitingOnMe => {
            format!("{partner} revealed their answer. When you are ready, answer and reveal yours.")
        }
        Together::BothRevealed => {
            "You both revealed: open your entry in History to see both side by side.".to_owned()
        }
    }
}

/// `steps`: how many of its steps this person sees (their role's, and everyone's).
fn exercise_about(e: &Exercise, progress: Progress, steps: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(bold(e.title.to_string()))];
    let mut facts = vec![progress.label().to_owned(), mode_words(e.mode).to_owned()];
    if let Some(m) = e.estimated_minutes {
        facts.push(format!("about {m} min"));
    }
    facts.push(if steps == 1 {
        "1 step".to_owned()
    } else {
        format!("{steps} steps")
    });
    lines.push(Line::from(dim(facts.join(" · "))));
    if let Some(intro) = &e.intro {
        lines.push(Line::raw(""));
        lines.extend(intro.split('\n').map(|l| Line::raw(l.to_owned())));
    }
    lines
}

/// Long on purpose: the side panel for each kind of row, top to bottom, in one place.
fn render_side(app: &App, selected: Option<&HomeRow>, frame: &mut Frame, area: Rect) {
    let Some(session) = &app.session() else {
        return;
    };
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(1),
        ..area
    };
    // Only the few shown: the first of what history lists, found without listing it all.
    let listed: Vec<usize> = session
        .reader(app.people())
        .may_see_iter(app.workbooks(), &session.entries)
        .take(RECENT)
        .collect();
    let recent_len = listed.len() as u16;
    let [about, recent] = inner.layout(&Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(recent_len.max(1) + 2),
    ]));
    let about_lines = match selected {
        Some(HomeRow::Exercise {
            workbook,
            module,
            exercise,
            progress,
        }) => {
            let wb = &app.workbooks()[*workbook];
            let e = &wb.modules[*module].exercises[*exercise];
            let role = app.session().and_then(|s| s.profile.role_in(&wb.id));
            let mut lines = exercise_about(e, *progress, e.steps_for(role));
            if let (Some(status), Some(partner)) =
                (together_status(app, wb, *module, e), app.partner())
            {
                lines.insert(2, Line::from(bold(together_words(status, &partner.name))));
            }
            lines
        }
        Some(HomeRow::CheckIn { workbook }) => app.workbooks()[*workbook]
            .checkin
            .as_ref()
            .map_or_else(Vec::new, |c| {
                let mut lines = vec![
                    Line::from(bold(c.title.to_string())),
                    Line::from(dim("any time · under a minute · private")),
                ];
                if let Some(intro) = &c.intro {
                    lines.push(Line::raw(""));
                    lines.extend(intro.split('\n').map(|l| Line::raw(l.to_owned())));
                }
                lines
            }),
        Some(HomeRow::Continue { draft }) => {
            session.drafts.get(*draft).map_or_else(Vec::new, |d| {
                vec![
                    Line::from(bold(d.entry.exercise.exercise_title.to_string())),
                    Line::from(dim(format!(
                        "Your draft, last touched {}",
                        when(d.entry.updated, app.offset())
                    ))),
                ]
            })
        }
        _ => Vec::new(),
    };
    frame.render_widget(
        Paragraph::new(Text::from(about_lines)).wrap(Wrap { trim: false }),
        about,
    );
    let mut lines = vec![Line::from(bold("Recent"))];
    if listed.is_empty() {
        lines.push(Line::from(dim("Nothing saved yet.")));
    }
    let couple = app.people().len() > 1;
    for e in listed.iter().map(|&i| &session.entries[i]) {
        let date = when(e.updated, app.offset());
        let room = inner.width as usize;
        let title = crate::text::sanitize(&e.exercise.exercise_title).replace('\n', " ");
        // Whose it is, kept whole at the end: a long title gives way, never the name.
        let by = match super::reading::author_note(e, app) {
            note if !note.is_empty() => note,
            _ if couple => " · you".to_owned(),
            _ => String::new(),
        };
        let head = truncate(
            &format!("{date}  {title}"),
            room.saturating_sub(by.chars().count()),
        );
        lines.push(Line::raw(truncate(&format!("{head}{by}"), room)));
    }
    frame.render_widget(Paragraph::new(lines), recent);
}

/// A short local date, e.g. "12 Nov 14:05".
pub fn when(at: DateTime<Utc>, offset: FixedOffset) -> String {
    at.with_timezone(&offset).format("%-d %b %H:%M").to_string()
}
