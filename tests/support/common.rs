//! Helpers shared by the flow, screen and end-to-end tests.
#![allow(dead_code)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use mend::app::{Action, App, Moment};
use mend::content::{
    ChoiceOption, Exercise, ExerciseId, Mode, Module, ModuleId, OptionId, Resource, Step, StepId,
    StepKind, Visibility, Workbook, WorkbookId,
};
use mend::driver::Shell;
use mend::editor::{EditInput, EditKey};
use mend::vault::{KdfCost, Paths, Vault};
use tempfile::TempDir;

/// A fixed moment, so screens and entries are the same on every run.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 19, 30, 0).unwrap()
}

/// When an action happens in a test: the time, and a fresh id as the shell gives one.
pub fn at(now: DateTime<Utc>) -> Moment {
    Moment::new(now, mend::domain::EntryId::random())
}

/// Presses a key that does nothing on home, so the status line clears as it does at
/// any keypress.
pub fn clear_status(app: &mut App) {
    app.update(at(t0()), Action::Left);
}

fn option(id: &str, label: &str) -> ChoiceOption {
    ChoiceOption {
        id: OptionId::new(id),
        label: label.into(),
    }
}

fn step(id: &str, prompt: &str, kind: StepKind) -> Step {
    Step {
        id: StepId::new(id),
        prompt: prompt.into(),
        kind,
        for_role: None,
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
                min_label: "not at all".into(),
                max_label: "completely".into(),
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
        title: "Preparing to talk".into(),
        intro: Some("A short exercise to get ready for a hard conversation.".to_owned()),
        mode: Mode::Either,
        default_visibility: Visibility::Private,
        estimated_minutes: Some(10),
        for_role: None,
        for_session: false,
        steps,
    };
    let second = Exercise {
        id: ExerciseId::new("second"),
        title: "What I hope for".into(),
        intro: None,
        mode: Mode::Solo,
        default_visibility: Visibility::Private,
        estimated_minutes: Some(5),
        for_role: None,
        for_session: false,
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
        version: "1".into(),
        description: "A test workbook.".to_owned(),
        resources: vec![Resource {
            name: "Samaritans".to_owned(),
            country: "UK & Ireland".to_owned(),
            contact: "116 123".to_owned(),
            note: Some("Any time, day or night.".to_owned()),
        }],
        roles: Vec::new(),
        checkin: None,
        modules: vec![Module {
            id: ModuleId::new("begin"),
            title: "Before you begin".into(),
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
/// `text` with Windows' path separators written as `/`, so one expectation holds on
/// every platform (elsewhere a backslash is left as it is).
pub fn slashes(text: &str) -> String {
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.to_owned()
    }
}

/// A screen's words as one line: borders dropped and every run of spaces and line
/// breaks made one space, so a sentence wrapped across lines can be found whole.
pub fn flowing(screen: &str) -> String {
    screen
        .replace(['│', '┌', '┐', '└', '┘', '─'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

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

pub const PASS: &str = "correct horse battery staple";

pub struct Run {
    pub app: App,
    pub shell: Shell,
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Run {
    pub fn start(dir: &TempDir) -> Self {
        Self::start_with(dir, vec![workbook()])
    }

    /// A fresh vault with Sam's profile made and Sam unlocked at home.
    pub fn with_profile(dir: &TempDir) -> Self {
        let mut run = Self::start(dir);
        run.create_profile();
        run
    }

    pub fn start_with(dir: &TempDir, workbooks: Vec<Workbook>) -> Self {
        Self::start_exporting_to(dir, workbooks, std::path::Path::new("."))
    }

    /// As [`Run::start_with`], with exports going to `folder` by default.
    pub fn start_exporting_to(
        dir: &TempDir,
        workbooks: Vec<Workbook>,
        folder: &std::path::Path,
    ) -> Self {
        let vault = Vault::open(&Paths::at(dir.path()), KdfCost::for_tests(10)).unwrap();
        let app = App::new(workbooks, vault.people().to_vec(), t0()).with_export_folder(folder);
        Self {
            app,
            shell: Shell::new(vault),
            now: t0(),
        }
    }

    pub fn act(&mut self, action: Action) {
        self.now += TimeDelta::seconds(1);
        self.shell
            .dispatch(&mut self.app, self.now, action, &mut |_| Ok(()))
            .unwrap();
        // As the driver does while no key is waiting: the work under way, finished.
        while self.app.working() {
            self.shell
                .dispatch(&mut self.app, self.now, Action::Work, &mut |_| Ok(()))
                .unwrap();
        }
        // As the driver does after each draw: what was drawn, and where its rows went.
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let mut targets = Vec::new();
        terminal
            .draw(|f| targets = mend::ui::draw(&self.app, f))
            .unwrap();
        let mut layout = mend::ui::layout(&self.app, ratatui::layout::Rect::new(0, 0, 80, 24));
        layout.targets = targets;
        self.app.laid_out(layout);
    }

    pub fn all(&mut self, actions: impl IntoIterator<Item = Action>) {
        for a in actions {
            self.act(a);
        }
    }

    pub fn screen(&self) -> String {
        screen(&self.app, 80, 24)
    }

    pub fn create_profile(&mut self) {
        self.create_profile_to_the_offer();
        self.decline_recovery_code();
    }

    /// From the welcome, makes Sam's profile, up to the recovery code offered after.
    pub fn create_profile_to_the_offer(&mut self) {
        self.act(Action::Select);
        self.all(chars("Sam"));
        self.act(Action::Select);
        self.all(chars(PASS));
        self.act(Action::Select);
        self.all(chars(PASS));
        self.act(Action::Select);
    }

    /// Says "not now" to the recovery code offered after a profile is made.
    pub fn decline_recovery_code(&mut self) {
        if matches!(
            self.app.screen(),
            mend::app::Screen::Recovery(mend::app::RecoveryScreen::Offer { .. })
        ) {
            self.act(Action::Cancel);
        }
    }

    /// From home, opens the first exercise and goes to its text step.
    pub fn open_text_step(&mut self) {
        self.act(Action::Select);
        self.act(Action::Next);
    }

    pub fn unlock(&mut self, passphrase: &str) {
        self.all(chars(passphrase));
        self.act(Action::Select);
    }
}
