//! The exercise runner: one step at a time, with the right input for its kind.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{bold, dim, paragraphs, reading_column, render_scrolling};
use crate::app::Target;
use crate::app::step::{Mark, SlotInput, StepState, options_of};
use crate::content::{Step, StepKind, Visibility};
use crate::text::sanitize;

/// The step's header rows and the rows below them.
fn split(area: Rect) -> [Rect; 2] {
    reading_column(area).layout(&Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(1),
    ]))
}

/// `partner` names the other person in the vault, if there is one; `for_whom` says
/// which role the step is written for, to someone who sees every role's steps. A
/// step's options are added to `targets` where they are drawn.
pub fn render(
    state: &StepState,
    (partner, for_whom): (Option<&str>, Option<&str>),
    frame: &mut Frame,
    area: Rect,
    targets: &mut Vec<Target>,
) {
    let [top, body] = split(area);
    render_top(state, partner, for_whom, frame, top);
    match state.step() {
        Some(step) => render_step(state, step, frame, body, targets),
        None => render_closing(state, partner, frame, body),
    }
}

/// Where a reflect step's text scrolls, and the text.
pub fn reflect_region(state: &StepState, area: Rect) -> Option<(Rect, Text<'static>)> {
    let step = state
        .step()
        .filter(|s| matches!(s.kind, StepKind::Reflect))?;
    Some((split(area)[1], paragraphs([&*step.prompt])))
}

fn visibility_words(v: Visibility, partner: Option<&str>) -> (&'static str, String) {
    match (v, partner) {
        (Visibility::Private, _) => ("Private:", " only you can ever read this entry.".to_owned()),
        (Visibility::Shared, Some(name)) => (
            "Shared:",
            format!(" {} can read this entry too.", sanitize(name)),
        ),
        (Visibility::Shared, None) => (
            "Shared:",
            " a partner you invite to this vault will be able to read it.".to_owned(),
        ),
    }
}

fn render_top(
    state: &StepState,
    partner: Option<&str>,
    for_whom: Option<&str>,
    frame: &mut Frame,
    area: Rect,
) {
    let total = state.exercise.steps.len();
    let position = match (state.is_closing_page(), for_whom) {
        (true, _) => "last page".to_owned(),
        (false, None) => format!("step {} of {total}", state.at + 1),
        (false, Some(whom)) => format!("step {} of {total} · {whom}", state.at + 1),
    };
    let where_ = format!("{} › {}", state.module_title, state.exercise.title);
    let room = (area.width as usize).saturating_sub(position.len() + 2);
    let lines = vec![
        Line::from(vec![
            bold(format!("{:<room$}", super::home::truncate(&where_, room))),
            Span::raw(format!("  {position}")),
        ]),
        {
            let (word, rest) = visibility_words(state.visibility, partner);
            Line::from(vec![bold(word), dim(rest)])
        },
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

fn mark_line(mark: Mark) -> Option<Line<'static>> {
    match mark {
        Mark::None => None,
        Mark::Skipped => Some(Line::from(dim(
            "Skipped. Answer it after all by typing or choosing.",
        ))),
        Mark::NotReady => Some(Line::from(dim(
            "Marked \"not ready yet\". That is a fine place to be.",
        ))),
    }
}

/// Long on purpose: one step's screen, top to bottom, in one place.
fn render_step(
    state: &StepState,
    step: &Step,
    frame: &mut Frame,
    area: Rect,
    targets: &mut Vec<Target>,
) {
    let Some(slot) = state.slot() else { return };
    if matches!(step.kind, StepKind::Reflect) {
        render_scrolling(frame, area, paragraphs([&*step.prompt]), state.scroll);
        return;
    }
    let mut question: Vec<Line> = step
        .prompt
        .split('\n')
        .map(|l| Line::from(bold(l.to_owned())))
        .collect();
    if let StepKind::Text {
        placeholder: Some(hint),
        ..
    } = &step.kind
    {
        question.extend(hint.split('\n').map(|l| Line::from(dim(l.to_owned()))));
    }
    let question = Paragraph::new(question).wrap(Wrap { trim: false });
    let prompt_rows = u16::try_from(question.line_count(area.width))
        .unwrap_or(u16::MAX)
        .min(area.height / 2);
    let [prompt, mark, input] = area.layout(&Layout::vertical([
        Constraint::Length(prompt_rows),
        Constraint::Length(1),
        Constraint::Min(3),
    ]));
    frame.render_widget(question, prompt);
    if let Some(line) = mark_line(slot.mark) {
        frame.render_widget(Paragraph::new(line), mark);
    }
    match (&slot.input, &step.kind) {
        (SlotInput::Text(editor), _) => {
            let block = Block::bordered().title(" Your answer ");
            let inner = block.inner(input);
            frame.render_widget(block, input);
            frame.render_widget(editor.as_ref(), inner);
        }
        (
            SlotInput::Scale { value },
            StepKind::Scale {
                min,
                max,
                min_label,
                max_label,
            },
        ) => render_scale(*value, (*min, *max), (min_label, max_label), frame, input),
        (SlotInput::Choice { cursor, picked }, kind) => {
            let multiple = !matches!(
                kind,
                StepKind::Choice {
                    multiple: false,
                    ..
                }
            );
            let scroll = render_choice(step, (*cursor, picked), multiple, frame, input);
            let visible = usize::from(input.height);
            for (y, pick) in (input.y..).zip(scroll..picked.len()).take(visible) {
                targets.push(Target {
                    x: input.x,
                    y,
                    width: input.width,
                    pick,
                });
            }
        }
        _ => {}
    }
}

fn render_scale(
    value: Option<i32>,
    (min, max): (i32, i32),
    (min_label, max_label): (&str, &str),
    frame: &mut Frame,
    area: Rect,
) {
    let points = usize::try_from(max - min + 1).unwrap_or(1);
    let cell = if points * 4 <= area.width as usize {
        4
    } else {
        3
    };
    let mut cells = Vec::new();
    for n in min..=max {
        let text = format!("{n:^cell$}");
        let style = if Some(n) == value {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        cells.push(Span::styled(text, style));
    }
    let span_width = points * cell;
    let gap = span_width.saturating_sub(min_label.width() + max_label.width());
    let chosen = match value {
        Some(v) => format!("You chose {v}."),
        None => "Nothing chosen yet: use ← and → (or type a number).".to_owned(),
    };
    let lines = vec![
        Line::raw(""),
        Line::from(cells),
        Line::from(dim(format!(
            "{min_label}{}{max_label}",
            " ".repeat(gap.max(1))
        ))),
        Line::raw(""),
        Line::raw(chosen),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// Draws a step's options; returns how many rows they are scrolled by (one option a
/// row), so a click can be matched to the option drawn there.
fn render_choice(
    step: &Step,
    (cursor, picked): (usize, &[bool]),
    multiple: bool,
    frame: &mut Frame,
    area: Rect,
) -> usize {
    let mut lines = Vec::new();
    let mut cursor_row = 0;
    for (i, (option, on)) in options_of(step).iter().zip(picked).enumerate() {
        let boxed = match (multiple, *on) {
            (true, true) => "[x]",
            (true, false) => "[ ]",
            (false, true) => "(•)",
            (false, false) => "( )",
        };
        let style = if i == cursor {
            cursor_row = lines.len();
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(format!(" {boxed} {}", option.label), style));
    }
    let hint = if multiple {
        "Pick as many as fit (Space), then Enter."
    } else {
        "Pick one (Space or Enter)."
    };
    lines.push(Line::raw(""));
    lines.push(Line::from(dim(hint)));
    let visible = area.height.saturating_sub(1) as usize;
    let scroll = cursor_row.saturating_sub(visible.saturating_sub(3));
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        area,
    );
    scroll
}

fn render_closing(state: &StepState, partner: Option<&str>, frame: &mut Frame, area: Rect) {
    let (answered, skipped, not_ready) = state.tally();
    let mut lines = vec![
        Line::from(bold(format!(
            "You reached the end of \"{}\".",
            state.exercise.title
        ))),
        Line::raw(""),
        Line::raw(format!(
            "{answered} answered · {skipped} skipped · {not_ready} not ready yet"
        )),
        Line::raw(""),
    ];
    let who = match (state.visibility, partner) {
        (Visibility::Private, _) => {
            "It will be saved as private: only you can ever read it.".to_owned()
        }
        (Visibility::Shared, Some(name)) => {
            format!("It will be saved as shared: {} can read it too.", sanitize(name))
        }
        (Visibility::Shared, None) => {
            "It will be saved as shared: a partner you invite to this vault will be able to read it."
                .to_owned()
        }
    };
    lines.push(Line::raw(who));
    lines.push(Line::raw(""));
    lines.push(Line::from(bold("Press Enter to save it, encrypted.")));
    lines.push(Line::from(dim(
        "Shift-Tab goes back to change anything. Whatever you saved, you can come back to this exercise another day.",
    )));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
