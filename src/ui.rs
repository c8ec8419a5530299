//! Drawing: the whole screen from a shared reference to the app.
//!
//! Rendering never changes state. Every screen has a header (where you are, who is
//! unlocked), a body, a status line and a hint bar generated from the key table.
//! Nothing depends on colour alone: marks, words and reverse video carry meaning, so
//! it reads the same on a monochrome terminal.

mod export;
mod forms;
mod home;
mod reading;
mod search;
mod step;
mod trends;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Wrap};

use crate::app::{App, KeyContext, Overlay, Screen, Target};
use crate::keymap;

/// The smallest window mend draws in; below it, it says so instead.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The widest a column of reading text gets, for comfortable lines.
const READING_WIDTH: u16 = 76;

/// The four bands of every screen (the header's two rows, the body, the status row and
/// the two rows of keys), or `None` when the window is too small to draw.
///
/// Here and in [`reading_column`] and the header, the rectangles of every frame are
/// worked out directly, not by ratatui's layout solver: its first answer for a size
/// costs more than the rest of a frame, and the first frame comes before any is kept.
fn bands(area: Rect) -> Option<[Rect; 4]> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let rows = |from: u16, height: u16| Rect {
        y: area.y + from,
        height,
        ..area
    };
    let body = area.height - 5;
    Some([
        rows(0, 2),
        rows(2, body),
        rows(2 + body, 1),
        rows(3 + body, 2),
    ])
}

pub use export::{format_name, private_words};
pub use reading::author_note;

/// The support window's lines, as text: for plain mode.
pub fn support_lines(app: &App) -> Vec<String> {
    support_text(app, usize::from(READING_WIDTH))
        .lines
        .iter()
        .map(ToString::to_string)
        .collect()
}

pub fn render(app: &App, frame: &mut Frame) {
    let _ = draw(app, frame);
}

/// Draws the app, and returns where the rows a mouse click can choose were drawn (for
/// [`crate::app::Layout::targets`]).
pub fn draw(app: &App, frame: &mut Frame) -> Vec<Target> {
    let mut targets = Vec::new();
    let area = frame.area();
    if matches!(app.screen(), Screen::Hidden) {
        render_hidden(frame, area);
        return targets;
    }
    let Some([header, body, status, hints]) = bands(area) else {
        render_too_small(frame, area);
        return targets;
    };
    render_header(app, frame, header);
    match &app.screen() {
        Screen::Welcome => forms::welcome(frame, body),
        Screen::CreateProfile(state) => forms::create_profile(state, frame, body),
        Screen::ChooseRole(state) => forms::choose_role(app, state, frame, body, &mut targets),
        Screen::Unlock(state) => forms::unlock(app, state, frame, body),
        Screen::Busy(state) => forms::busy(state, frame, body),
        Screen::PartnerNote(note) => forms::partner_note(app, *note, frame, body),
        Screen::Curtain(state) => forms::curtain(state, frame, body),
        Screen::Home(state) => home::render(app, state, frame, body, &mut targets),
        Screen::Step(state) => {
            let partner = app.partner().map(|p| p.name.as_str());
            let whom = for_whom(app, state);
            step::render(state, (partner, whom.as_deref()), frame, body, &mut targets);
        }
        Screen::History(state) => reading::history(app, *state, frame, body, &mut targets),
        Screen::Search(state) => search::render(app, state, frame, body, &mut targets),
        Screen::Reading(state) => reading::entry(app, state, frame, body),
        Screen::Trends(range) => trends::render(app, *range, frame, body),
        Screen::Export(state) => export::render(app, state, frame, body),
        Screen::Passphrase(state) => forms::passphrase(state, frame, body),
        Screen::Recovery(screen) => forms::recovery(screen, frame, body),
        Screen::Hidden => {}
    }
    if let Some(message) = &app.status() {
        frame.render_widget(
            Paragraph::new(format!(" {message}")).style(Style::new().add_modifier(Modifier::BOLD)),
            status,
        );
    }
    render_hints(app.key_context(), frame, hints);
    if let Some(overlay) = &app.overlay() {
        render_overlay(app, overlay, frame, body);
    }
    targets
}

/// What the app needs to know of how it was drawn in a window of `area`: how far the
/// text that scrolls on this screen can scroll, so it stops at the end instead of
/// scrolling into blank space.
pub fn layout(app: &App, area: Rect) -> crate::app::Layout {
    let (marks, placed) = marks(app, area);
    crate::app::Layout {
        scroll_max: scroll_max(app, area),
        too_small: bands(area).is_none(),
        targets: Vec::new(),
        marks,
        placed,
    }
}

/// Where a search's matches fell in the entry being read, and which match shows at
/// which scroll.
fn marks(app: &App, area: Rect) -> (Vec<crate::app::Mark>, Option<(usize, u16)>) {
    let page = match (bands(area), app.overlay(), app.screen()) {
        (Some([_, body, _, _]), None, Screen::Reading(state)) => reading::page(app, state, body),
        _ => None,
    };
    page.map_or_else(Default::default, |p| {
        let placed = p.at.map(|at| (at, p.scroll));
        (p.marks, placed)
    })
}

fn scroll_max(app: &App, area: Rect) -> u16 {
    let Some([_, body, _, _]) = bands(area) else {
        return 0;
    };
    let region = match (&app.overlay(), &app.screen()) {
        (Some(overlay), _) => Some(overlay_region(app, overlay, body)),
        (None, Screen::Step(state)) => step::reflect_region(state, body),
        (None, Screen::Reading(state)) => reading::page(app, state, body).map(|p| (p.rect, p.text)),
        _ => None,
    };
    region.map_or(0, |(rect, text)| scroll_limit(&text, rect).0)
}

/// (furthest scroll, rows for text) for `text` in `rect`, keeping the last row for a
/// "more below" line when the text does not fit.
fn scroll_limit(text: &Text<'_>, rect: Rect) -> (u16, u16) {
    let total = Paragraph::new(text.clone())
        .wrap(Wrap { trim: false })
        .line_count(rect.width);
    let total = u16::try_from(total).unwrap_or(u16::MAX);
    if total <= rect.height {
        (0, rect.height)
    } else {
        let rows = rect.height.saturating_sub(1);
        (total - rows, rows)
    }
}

/// Draws wrapped text scrolled by `scroll`; when it runs past the bottom, the last row
/// says so, so a long passage is never silently cut off.
fn render_scrolling(frame: &mut Frame, rect: Rect, text: Text<'static>, scroll: u16) {
    let (max, rows) = scroll_limit(&text, rect);
    let scroll = scroll.min(max);
    let [body, more] = rect.layout(&Layout::vertical([
        Constraint::Length(rows),
        Constraint::Min(0),
    ]));
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        body,
    );
    if max > 0 {
        // Where the reader is, in lines: the last line on screen of all there are.
        let total = u32::from(max) + u32::from(rows);
        let seen = u32::from(scroll) + u32::from(rows);
        let note = if scroll < max {
            format!("▼ more below (line {seen} of {total}): ↓ to read on, End for the end")
        } else {
            format!("▲ that is the end (all {total} lines): ↑ or Home goes back up")
        };
        frame.render_widget(Paragraph::new(Line::from(dim(note))), more);
    }
}

/// Whom the step on screen was written for, said to a person who chose no role (who
/// sees every role's steps): "for the partner who was hurt". `None` for a step written
/// for everyone, or for a person who chose a role (they see only their own).
fn for_whom(app: &App, state: &crate::app::StepState) -> Option<String> {
    let only = state.step()?.for_role.as_ref()?;
    let wb = app.workbooks().iter().find(|w| w.id == state.workbook)?;
    if app.session()?.profile.role_in(&wb.id).is_some() {
        return None;
    }
    let label = &wb.roles.iter().find(|r| &r.id == only)?.label;
    let mut chars = label.chars();
    let first = chars.next()?;
    Some(format!("for {}{}", first.to_lowercase(), chars.as_str()))
}

/// Whose view of a tried workbook is shown, in a word or two for the header.
fn seen_as(app: &App) -> String {
    let role = app.workbooks().iter().find_map(|wb| {
        let chosen = app.session()?.profile.role_in(&wb.id)?;
        wb.roles.iter().find(|r| &r.id == chosen)
    });
    match role {
        Some(role) => format!("as {}", role.id),
        None => "every role".to_owned(),
    }
}

fn render_header(app: &App, frame: &mut Frame, area: Rect) {
    // The workbook in use: the one on screen, or the only one there is.
    let title = match &app.screen() {
        Screen::Step(step) => app
            .workbooks()
            .iter()
            .find(|w| w.id == step.workbook)
            .map_or("", |w| w.title.as_str()),
        _ if app.workbooks().len() == 1 => app.workbooks()[0].title.as_str(),
        _ => "",
    };
    let who = match (app.trying(), app.person()) {
        (Some(_), _) => format!("trying · {} ", seen_as(app)),
        (None, Some(p)) => format!("{} · unlocked ", p.name),
        (None, None) => "locked ".to_owned(),
    };
    let [left, right] = split_right(area, who.chars().count() as u16 + 1);
    let heading = Line::from(vec![
        Span::styled(" mend", Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(if title.is_empty() {
            String::new()
        } else {
            format!(" · {title}")
        }),
    ]);
    frame.render_widget(
        Paragraph::new(heading).block(Block::default().borders(ratatui::widgets::Borders::BOTTOM)),
        left,
    );
    frame.render_widget(
        Paragraph::new(who)
            .right_aligned()
            .block(Block::default().borders(ratatui::widgets::Borders::BOTTOM)),
        right,
    );
}

/// Two lines of hints: this screen's keys flow over both, and the keys that work
/// everywhere (help, support, hide, quit) always end the second line. What does not
/// fit is one F1 away.
fn render_hints(context: KeyContext, frame: &mut Frame, area: Rect) {
    let (screen, global) = keymap::hints(context);
    let width = usize::from(area.width);
    let cost = |(keys, what): &(&str, &str)| keys.chars().count() + what.chars().count() + 3;
    let global_width: usize = global.iter().map(cost).sum();
    let mut lines = [vec![Span::raw(" ")], vec![Span::raw(" ")]];
    let mut used = [1, 1];
    let mut row = 0;
    for hint in &screen {
        if row == 0 && used[0] + cost(hint) > width {
            row = 1;
        }
        let limit = if row == 0 {
            width
        } else {
            width.saturating_sub(global_width)
        };
        if used[row] + cost(hint) > limit {
            break;
        }
        used[row] += cost(hint);
        push_hint(&mut lines[row], hint);
    }
    for hint in &global {
        push_hint(&mut lines[1], hint);
    }
    let [first, second] = lines;
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

fn push_hint(spans: &mut Vec<Span<'static>>, (keys, what): &(&'static str, &'static str)) {
    spans.push(Span::styled(
        *keys,
        Style::new().add_modifier(Modifier::REVERSED),
    ));
    spans.push(Span::raw(format!(" {what}  ")));
}

fn render_hidden(frame: &mut Frame, area: Rect) {
    // Deliberately plain: nothing here names the app, a person or a topic.
    let line = Paragraph::new("Press any key.")
        .centered()
        .style(Style::new().add_modifier(Modifier::DIM));
    let [_, middle, _] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    frame.render_widget(line, middle);
}

fn render_too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "This window is {}×{}. mend needs at least {MIN_WIDTH}×{MIN_HEIGHT} to show a step properly.\n\nMake the window larger or the text smaller; nothing is lost meanwhile, and keys wait until you can see what they do.\n\nCtrl-L hides and locks. Ctrl-C quits.",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// A centred column for reading text, at most [`READING_WIDTH`] wide.
fn reading_column(area: Rect) -> Rect {
    let width = area.width.min(READING_WIDTH);
    Rect {
        x: area.x + (area.width - width).div_ceil(2),
        width,
        ..area
    }
}

/// `area` split into what is left and `width` columns on its right, the left keeping
/// at least one column.
fn split_right(area: Rect, width: u16) -> [Rect; 2] {
    let right = width.min(area.width.saturating_sub(1));
    let left = area.width - right;
    [
        Rect {
            width: left,
            ..area
        },
        Rect {
            x: area.x + left,
            width: right,
            ..area
        },
    ]
}

/// Plain paragraphs, one blank line between them.
fn paragraphs<'a>(parts: impl IntoIterator<Item = &'a str>) -> Text<'static> {
    let mut lines = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        lines.extend(part.split('\n').map(|l| Line::raw(l.to_owned())));
    }
    Text::from(lines)
}

fn bold(s: impl Into<String>) -> Span<'static> {
    Span::styled(s.into(), Style::new().add_modifier(Modifier::BOLD))
}

fn dim(s: impl Into<String>) -> Span<'static> {
    Span::styled(s.into(), Style::new().add_modifier(Modifier::DIM))
}

fn overlay_region(app: &App, overlay: &Overlay, body: Rect) -> (Rect, Text<'static>) {
    let area = reading_column(body);
    let inner = Block::bordered()
        .padding(Padding::horizontal(1))
        .inner(area);
    let text = match overlay {
        Overlay::Help { .. } => help_text(app, usize::from(inner.width)),
        Overlay::Support { .. } => support_text(app, usize::from(inner.width)),
        Overlay::Notice { lines, .. } | Overlay::ConfirmShare { lines, .. } => {
            let mut text = Text::default();
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    text.push_line(Line::raw(""));
                }
                text.extend(line.split('\n').map(|l| Line::raw(l.to_owned())));
            }
            text
        }
    };
    (inner, text)
}

fn render_overlay(app: &App, overlay: &Overlay, frame: &mut Frame, body: Rect) {
    frame.render_widget(Clear, body);
    let area = reading_column(body);
    let (title, scroll) = match overlay {
        Overlay::Help { scroll } => ("Help: keys here", *scroll),
        Overlay::Support { scroll } => ("Support and safety", *scroll),
        Overlay::Notice { title, .. } => (title.as_str(), 0),
        Overlay::ConfirmShare { .. } => ("Share this entry?", 0),
    };
    let keys = if matches!(overlay, Overlay::ConfirmShare { .. }) {
        " Enter share · Esc keep private "
    } else {
        " Esc close "
    };
    let block = Block::bordered()
        .padding(Padding::horizontal(1))
        .title(Line::from(format!(" {title} ")).centered())
        .title_bottom(Line::from(keys).centered());
    frame.render_widget(block, area);
    let (inner, text) = overlay_region(app, overlay, body);
    render_scrolling(frame, inner, text, scroll);
}

/// The keys of the screen under the help window, each explanation wrapped to `width`
/// with its continuation lines under the explanation, not under the key.
fn help_text(app: &App, width: usize) -> Text<'static> {
    const KEY_COLUMN: usize = 15;
    // The help describes the screen under the overlay, not the overlay itself.
    let mut under = App::key_context_of_screen(app);
    if under == KeyContext::Overlay {
        under = KeyContext::Home;
    }
    let mut lines = Vec::new();
    for b in keymap::bindings_for(under).filter(|b| !b.long.is_empty()) {
        let wrapped = reading::wrap(b.long, width.saturating_sub(KEY_COLUMN));
        for (i, part) in wrapped.into_iter().enumerate() {
            let key = if i == 0 {
                format!("{:>13}  ", b.label)
            } else {
                " ".repeat(KEY_COLUMN)
            };
            lines.push(Line::from(vec![
                Span::styled(key, Style::new().add_modifier(Modifier::BOLD)),
                Span::raw(part),
            ]));
        }
    }
    Text::from(lines)
}

/// Safety for the reader who may be the danger: discovery is a flashpoint from either side.
pub const SELF_SAFETY: &str = "If you have frightened, threatened or hurt your partner since this came out, or fear you might, stop the couple exercises and get help with that first. The lines below for people worried about their own behaviour are confidential, and asking them is a step towards safety, not a confession.";

/// What mend cannot protect against, said plainly.
pub const CANNOT_PROTECT: &str = "What mend cannot protect against: someone who controls this computer or your account while you are unlocked; a keylogger or screen recorder; someone who learns your passphrase; and metadata: that mend is installed, how many files it keeps and when they changed. A forgotten passphrase can be replaced only with the recovery code, if you made one (Ctrl-R on the unlock screen); without it, no one can recover it. Ctrl-L, from anywhere, hides the screen and locks at once.";

/// The support screen: safety both ways, then every workbook's lines under the country
/// they serve, each wrapped to `width` with its contact and note indented beneath its
/// name, so a person in distress can find their country's lines by scanning the left.
fn support_text(app: &App, width: usize) -> Text<'static> {
    let mut lines = vec![
        Line::from(bold(
            "If you are in danger right now, call your local emergency number.",
        )),
        Line::raw(""),
        Line::raw(
            "If you are afraid of your partner, the couple exercises are not the right tool. Please talk to one of the services below, or someone you trust.",
        ),
        Line::raw(""),
        Line::raw(SELF_SAFETY),
        Line::raw(""),
    ];
    let indented = |text: &str, indent: usize, style: fn(String) -> Span<'static>| {
        let pad = " ".repeat(indent);
        reading::wrap(text, width.saturating_sub(indent))
            .into_iter()
            .map(move |l| Line::from(style(format!("{pad}{l}"))))
    };
    let mut country: Option<&str> = None;
    for wb in app.workbooks() {
        for r in &wb.resources {
            if country != Some(r.country.as_str()) {
                if country.is_some() {
                    lines.push(Line::raw(""));
                }
                lines.extend(indented(&r.country, 0, bold));
                country = Some(r.country.as_str());
            }
            lines.extend(indented(&r.name, 2, bold));
            lines.extend(indented(&r.contact, 4, Span::raw));
            if let Some(note) = &r.note {
                lines.extend(indented(note, 4, dim));
            }
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(CANNOT_PROTECT));
    Text::from(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rectangles worked out directly are the ones ratatui's layout solver gives,
    /// at every size mend draws in.
    #[test]
    fn bands_columns_and_the_header_match_the_layout_solver() {
        for (width, height) in [(80, 24), (81, 25), (100, 30), (157, 49), (300, 90)] {
            for (x, y) in [(0, 0), (3, 2)] {
                let area = Rect::new(x, y, width, height);
                let solved: [Rect; 4] = area.layout(&Layout::vertical([
                    Constraint::Length(2),
                    Constraint::Min(1),
                    Constraint::Length(1),
                    Constraint::Length(2),
                ]));
                assert_eq!(bands(area), Some(solved), "{area:?}");
                for inner in [area, Rect::new(x + 1, y, width - 7, height)] {
                    assert_eq!(
                        reading_column(inner),
                        inner.centered_horizontally(Constraint::Max(READING_WIDTH)),
                        "{inner:?}"
                    );
                }
                for who in [1, 9, 30, width - 1, width, width + 5] {
                    let solved: [Rect; 2] = area.layout(&Layout::horizontal([
                        Constraint::Min(1),
                        Constraint::Length(who),
                    ]));
                    assert_eq!(
                        split_right(area, who),
                        solved,
                        "{area:?}, {who} on the right"
                    );
                }
            }
        }
        assert_eq!(bands(Rect::new(0, 0, 79, 24)), None);
        assert_eq!(bands(Rect::new(0, 0, 80, 23)), None);
    }
}
