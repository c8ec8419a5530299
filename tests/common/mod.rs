//! Helpers shared by the flow, screen and end-to-end tests.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use mend::app::{Action, App};
use mend::content::{
    ChoiceOption, Exercise, ExerciseId, Mode, Module, ModuleId, OptionId, Resource, Step, StepId,
    StepKind, Visibility, Workbook, WorkbookId,
};
use mend::editor::{EditInput, EditKey};

/// A fixed moment, so screens and entries are the same on every run.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 19, 30, 0).unwrap()
}

fn option(id: &str, label: &str) -> ChoiceOption {
    ChoiceOption {
        id: OptionId::new(id),
        label: label.to_owned(),
    }
}

fn step(id: &str, prompt: &str, kind: StepKind) -> Step {
    Step {
        id: StepId::new(id),
        prompt: prompt.to_owned(),
        kind,
    }
}

fn every_kind_of_step() -> Vec<Step> {
    vec![
        step(
            "pause",
            "Take a breath. Nothing here has to be finished today.",
            StepKind::Reflect,
        ),
        step(
            "hope",
            "What do you hope for, in a sentence or two?",
            StepKind::Text {
                placeholder: None,
                min_length: None,
                max_length: None,
            },
        ),
        step(
            "ready",
            "How ready do you feel to talk?",
            StepKind::Scale {
                min: 0,
                max: 10,
                min_label: "not at all".to_owned(),
                max_label: "completely".to_owned(),
            },
        ),
        step(
            "when",
            "When is a good time to talk?",
            StepKind::Choice {
                options: vec![
                    option("morning", "In the morning"),
                    option("evening", "In the evening"),
                ],
                multiple: false,
            },
        ),
        step(
            "helps",
            "What helps you stay calm?",
            StepKind::Choice {
                options: vec![
                    option("walk", "A walk"),
                    option("music", "Music"),
                    option("tea", "A cup of tea"),
                ],
                multiple: true,
            },
        ),
        step(
            "rules",
            "Which ground rules do you want?",
            StepKind::Checklist {
                items: vec![
                    option("pause", "Either of us can pause"),
                    option("time", "Keep it under 30 minutes"),
                ],
            },
        ),
    ]
}

/// A small workbook with one step of every kind, built in code so these tests do not
/// depend on the built-in content's wording.
pub fn workbook() -> Workbook {
    let steps = every_kind_of_step();
    let exercise = Exercise {
        id: ExerciseId::new("first-talk"),
        title: "Preparing to talk".to_owned(),
        intro: Some("A short exercise to get ready for a hard conversation.".to_owned()),
        mode: Mode::Either,
        default_visibility: Visibility::Private,
        estimated_minutes: Some(10),
        steps,
    };
    let second = Exercise {
        id: ExerciseId::new("second"),
        title: "What I hope for".to_owned(),
        intro: None,
        mode: Mode::Solo,
        default_visibility: Visibility::Private,
        estimated_minutes: Some(5),
        steps: vec![step(
            "least",
            "What is the least you need?",
            StepKind::Text {
                placeholder: Some("Take your time.".to_owned()),
                min_length: None,
                max_length: None,
            },
        )],
    };
    Workbook {
        id: WorkbookId::new("test-book"),
        title: "Rebuilding trust (test)".to_owned(),
        version: "1".to_owned(),
        description: "A test workbook.".to_owned(),
        resources: vec![Resource {
            name: "Samaritans".to_owned(),
            country: "UK & Ireland".to_owned(),
            contact: "116 123".to_owned(),
            note: Some("Any time, day or night.".to_owned()),
        }],
        modules: vec![Module {
            id: ModuleId::new("begin"),
            title: "Before you begin".to_owned(),
            intro: None,
            exercises: vec![exercise, second],
        }],
    }
}

/// Typing a string into the answer editor, one key at a time.
pub fn edit_keys(text: &str) -> Vec<Action> {
    text.chars()
        .map(|c| {
            let key = if c == '\n' {
                EditKey::Enter
            } else {
                EditKey::Char(c)
            };
            Action::Edit(EditInput {
                key,
                ..EditInput::default()
            })
        })
        .collect()
}

/// Typing into a one-line field (a name or a passphrase).
pub fn chars(text: &str) -> Vec<Action> {
    text.chars().map(Action::Char).collect()
}

/// The screen as text, one line per row.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| mend::ui::render(app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
