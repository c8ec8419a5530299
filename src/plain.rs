//! Plain mode's words: each screen as lines of text, and each line a person types as
//! actions for the same [`App::update`] the full-screen app uses.
//!
//! Nothing here does IO (the loop is `driver::plain`). A screen is said once, as a
//! page: where you are, then what is there, then what to type. Lists are numbered and
//! picked by number; every other command is a word from the same key table the
//! full-screen app draws its hints from ([`keymap::BINDINGS`]'s `words`), so the two
//! front ends cannot drift apart.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::export_screen::Row;
use crate::app::home::{self, HomeRow};
use crate::app::step::{SlotInput, options_of};
use crate::app::{
    Action, App, CreateField, KeyContext, Overlay, PassField, PassphraseMode, Screen, StepState,
};
use crate::content::{StepKind, Visibility};
use crate::domain::{Answer, Entry};
use crate::keymap;
use crate::search::highlights;
use crate::text::sanitize;

/// How many rows of a long list (history, search results) one page shows.
pub const LIST_PAGE: usize = 20;

/// What the page waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    /// A command or a number, on a line.
    Command,
    /// A line for a field (a name, a search, a file name).
    Field(String),
    /// A passphrase or a recovery code, read without showing it.
    Secret(String),
    /// A written answer, line by line, ended by a line holding only a full stop.
    Answer,
    /// Nothing: mend is working, and says when it is done.
    Wait,
}

/// One screen, as plain lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub lines: Vec<String>,
    pub ask: Ask,
}

impl Page {
    fn new(lines: Vec<String>, ask: Ask) -> Self {
        Self { lines, ask }
    }
}

/// The screen (or the window above it) as plain lines, and what it waits for.
pub fn page(app: &App) -> Page {
    if let Some(overlay) = app.overlay() {
        return overlay_page(app, overlay);
    }
    match app.screen() {
        Screen::CreateProfile(_)
        | Screen::ChooseRole(_)
        | Screen::Unlock(_)
        | Screen::Passphrase(_) => form_page(app),
        Screen::Home(_) => home_page(app),
        Screen::Step(state) => step_page(app, state),
        Screen::History(state) => history_page(app, state.cursor),
        Screen::Search(state) => search_page(app, state),
        Screen::Reading(state) => reading_page(app, state),
        Screen::Trends(range) => trends_page(app, *range),
        Screen::Export(state) => export_page(state),
        Screen::Busy(what) => Page::new(vec![what.clone()], Ask::Wait),
        _ => prose_page(app),
    }
}

/// A new profile's form: a name, a passphrase, the passphrase again.
fn create_page(state: &crate::app::CreateState) -> Page {
    // The form is introduced once, at its first field.
    let mut lines = if state.focus == CreateField::Name {
        vec![
                    "Create your profile.".to_owned(),
                    "Your name is only shown on this computer. Your passphrase encrypts everything you write; you type it each time you open mend.".to_owned(),
                ]
    } else {
        Vec::new()
    };
    lines.extend(state.error.clone());
    if let Some(generated) = &state.generated {
        use age::secrecy::ExposeSecret;
        lines.push(format!(
            "mend made this passphrase; write it down: {}",
            generated.expose_secret()
        ));
    }
    if let (CreateField::Repeat, Some(strength)) = (state.focus, &state.strength) {
        lines.push(strength.hint());
    }
    let ask = match state.focus {
        CreateField::Name => Ask::Field("Your name (or back)".to_owned()),
        CreateField::Passphrase => Ask::Secret(
            "A passphrase (not shown as you type; or type: make one; Esc goes back)".to_owned(),
        ),
        CreateField::Repeat if state.generated.is_some() => {
            Ask::Secret("The passphrase again, or Enter to use the one made".to_owned())
        }
        CreateField::Repeat => Ask::Secret("The passphrase again".to_owned()),
    };
    Page::new(lines, ask)
}

/// The forms: a new profile, the role question, unlocking, a passphrase change.
fn form_page(app: &App) -> Page {
    match app.screen() {
        Screen::CreateProfile(state) => create_page(state),
        Screen::ChooseRole(state) => {
            let wb = &app.workbooks()[state.workbook];
            let mut lines = vec![
                "One more question, and it is optional: which of these describes you? It only decides which prompts you see, and stays private.".to_owned(),
            ];
            for (i, role) in wb.roles.iter().enumerate() {
                lines.push(format!("{}. {}", i + 1, sanitize(&role.label)));
            }
            lines.push(format!("{}. Prefer not to say", wb.roles.len() + 1));
            lines.push("Type a number.".to_owned());
            Page::new(lines, Ask::Command)
        }
        Screen::Unlock(state) => {
            let mut lines = Vec::new();
            let people = app.people();
            if people.len() > 1 {
                lines.push("Who is here?".to_owned());
                for (i, p) in people.iter().enumerate() {
                    let chosen = if i == state.selected { " (chosen)" } else { "" };
                    lines.push(format!("{}. {}{chosen}", i + 1, sanitize(&p.name)));
                }
                lines.push("Type a number to choose someone else, or type the passphrase of the one chosen.".to_owned());
            }
            lines.extend(state.error.clone());
            lines.extend(app.status().map(str::to_owned));
            let whose = people
                .get(state.selected)
                .map_or_else(String::new, |p| format!(" for {}", sanitize(&p.name)));
            Page::new(
                lines,
                Ask::Secret(format!(
                    "Passphrase{whose} (not shown as you type; forgot it? type: forgot)"
                )),
            )
        }
        Screen::Passphrase(state) => {
            // The form is introduced once, at its first field.
            let mut lines = match (state.focus, state.mode) {
                (PassField::First, PassphraseMode::Change) => {
                    vec!["Change your passphrase.".to_owned()]
                }
                (PassField::First, PassphraseMode::Recover { .. }) => {
                    vec!["Set a new passphrase with your recovery code.".to_owned()]
                }
                _ => Vec::new(),
            };
            lines.extend(state.error.clone());
            if let Some(generated) = &state.generated {
                use age::secrecy::ExposeSecret;
                lines.push(format!(
                    "mend made this passphrase; write it down: {}",
                    generated.expose_secret()
                ));
            }
            let ask = match (state.focus, state.mode) {
                (PassField::First, PassphraseMode::Change) => "Your passphrase now",
                (PassField::First, PassphraseMode::Recover { .. }) => "Your recovery code",
                (PassField::New, _) => "The new passphrase (or type: make one)",
                (PassField::Repeat, _) if state.generated.is_some() => {
                    "The new passphrase again, or Enter to use the one made"
                }
                (PassField::Repeat, _) => "The new passphrase again",
            };
            Page::new(
                lines,
                Ask::Secret(format!("{ask} (not shown as you type; Esc goes back)")),
            )
        }
        _ => Page::new(Vec::new(), Ask::Command),
    }
}

fn search_page(app: &App, state: &crate::app::SearchState) -> Page {
    let mut lines = Vec::new();
    if !state.asks() {
        return Page::new(
                    vec![
                        "Search. Words in any order; capitals and accents do not matter. Filters: by:me or by:NAME, is:private, is:shared, is:checkin, in:WORD, last:30, a month as 2026-03, since:2026-01-10.".to_owned(),
                    ],
                    Ask::Field("Search for (or back)".to_owned()),
                );
    }
    let session = app.session();
    lines.push(format!(
        "Search for \"{}\": {}.",
        state.query.value(),
        match state.hits.len() {
            0 => "nothing found; try fewer words".to_owned(),
            1 => "1 entry found".to_owned(),
            n => format!("{n} entries found, best first"),
        }
    ));
    let first = state.cursor / LIST_PAGE * LIST_PAGE;
    for (i, hit) in state.hits.iter().enumerate().skip(first).take(LIST_PAGE) {
        if let Some(e) = session.and_then(|s| s.entries.get(hit.entry)) {
            lines.push(format!("{}. {}", i + 1, entry_label(app, e)));
        }
    }
    if state.hits.len() > first + LIST_PAGE {
        lines.push("More: type more.".to_owned());
    }
    lines.push("Type a number to read one, search to search again, or back.".to_owned());
    Page::new(lines, Ask::Command)
}

fn reading_page(app: &App, state: &crate::app::ReadingState) -> Page {
    let Some(entry) = app.session().and_then(|s| s.entries.get(state.entry)) else {
        return Page::new(Vec::new(), Ask::Command);
    };
    let words = state.found.as_ref().map_or(&[][..], |f| &f.words[..]);
    let mut lines = entry_lines(app, entry, words);
    let mine = app.session().is_some_and(|s| s.is_mine(entry));
    lines.push(
        if mine {
            match entry.visibility {
                Visibility::Private => "Type share to share it, or back.",
                Visibility::Shared => "Type private to make it private again, or back.",
            }
        } else {
            "Type back to go back."
        }
        .to_owned(),
    );
    Page::new(lines, Ask::Command)
}

fn export_page(state: &crate::app::export_screen::ExportState) -> Page {
    match state {
        state if state.typing_in_a_field() => {
            let row = state.rows.get(state.cursor);
            let label = match row {
                Some(Row::PreparedFor) => "Who it is prepared for (optional)",
                Some(Row::Recipient) => "Your counsellor's age key, age1... (optional)",
                _ => "The file's name",
            };
            let lines = row
                .map(|r| vec![format!("Now: {}", export_row(state, state.cursor, r))])
                .unwrap_or_default();
            Page::new(lines, Ask::Field(label.to_owned()))
        }
        state => {
            let mut lines = vec!["Make a summary for counselling. What goes in:".to_owned()];
            if state.confirming {
                lines = vec![
                    "Before you write it: the file is not encrypted unless you gave a counsellor's key, and anyone who can open it can read everything in it. A synced folder copies it to other devices.".to_owned(),
                    crate::ui::private_words(state.private_ticked()),
                    format!("It goes to {}.", state.target().display()),
                    "Type yes to write it, or no to go back.".to_owned(),
                ];
                return Page::new(lines, Ask::Command);
            }
            for (i, row) in state.rows.iter().enumerate() {
                lines.push(format!("{}. {}", i + 1, export_row(state, i, row)));
            }
            lines.push("Type a number to tick or untick a line, or to change it; write to write the file; back to leave without writing.".to_owned());
            Page::new(lines, Ask::Command)
        }
    }
}

fn overlay_page(app: &App, overlay: &Overlay) -> Page {
    match overlay {
        Overlay::Help { .. } => {
            let context = app.key_context_of_screen();
            let mut lines = vec!["Help. What you can type here:".to_owned()];
            lines.extend(commands(context));
            lines.push("Press Enter to go on.".to_owned());
            Page::new(lines, Ask::Command)
        }
        Overlay::Support { .. } => {
            let mut lines = vec!["Support and safety.".to_owned()];
            lines.extend(crate::ui::support_lines(app).iter().map(|l| in_words(l)));
            lines.push("Press Enter to go on.".to_owned());
            Page::new(lines, Ask::Command)
        }
        Overlay::Notice { title, lines } => {
            let mut out = vec![format!("{title}.")];
            out.extend(lines.iter().cloned());
            out.push("Press Enter to go on.".to_owned());
            Page::new(out, Ask::Command)
        }
        Overlay::ConfirmShare { lines } => {
            let mut out = vec!["Share this entry?".to_owned()];
            // Its keys are said below as words.
            out.extend(
                lines
                    .iter()
                    .filter(|l| !l.starts_with("Enter shares"))
                    .cloned(),
            );
            out.push("Type yes to share it, or no to keep it private.".to_owned());
            Page::new(out, Ask::Command)
        }
    }
}

/// Each command of `context`, with its shorter forms, and what it does.
pub fn commands(context: KeyContext) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    keymap::bindings_for(context)
        .filter(|b| !b.words.is_empty() && !b.long.is_empty())
        .filter_map(|b| {
            let word = b.words[0];
            if seen.contains(&word) {
                return None;
            }
            seen.push(word);
            let named = if word.is_empty() {
                "Enter (an empty line)".to_owned()
            } else {
                b.words.join(" or ")
            };
            Some(format!("  {named}: {}", b.long))
        })
        .collect()
}

fn home_page(app: &App) -> Page {
    let Some(session) = app.session() else {
        return Page::new(Vec::new(), Ask::Command);
    };
    let mut lines = vec!["Home.".to_owned()];
    let mut n = 0;
    for row in session.home_rows(app.workbooks()).iter().cloned() {
        let label = match row {
            HomeRow::Continue { draft } => session
                .drafts
                .get(draft)
                .map(|d| format!("Continue: {}", sanitize(&d.entry.exercise.exercise_title))),
            HomeRow::CheckIn { workbook } => {
                let wb = &app.workbooks()[workbook];
                let title = wb.checkin.as_ref().map_or("Quick check-in", |c| &*c.title);
                // With several workbooks, whose check-in each one is.
                Some(if app.workbooks().len() > 1 {
                    format!("{title}, {}", wb.title)
                } else {
                    title.to_owned()
                })
            }
            HomeRow::Workbook { workbook } => {
                lines.push(format!("Workbook: {}", app.workbooks()[workbook].title));
                None
            }
            HomeRow::Module { workbook, module } => {
                lines.push(format!(
                    "Module: {}",
                    app.workbooks()[workbook].modules[module].title
                ));
                None
            }
            HomeRow::Exercise {
                workbook,
                module,
                exercise,
                progress,
            } => {
                let e = &app.workbooks()[workbook].modules[module].exercises[exercise];
                let minutes = e
                    .estimated_minutes
                    .map_or_else(String::new, |m| format!(", {m} minutes"));
                let progress = progress.label();
                Some(format!("{} ({progress}{minutes})", e.title))
            }
        };
        if let Some(label) = label {
            n += 1;
            lines.push(format!("{n}. {label}"));
        }
    }
    lines.push(
        "Type a number to open it. Other commands: history, search, trends, export, help (for all of them), quit.".to_owned(),
    );
    Page::new(lines, Ask::Command)
}

fn step_page(app: &App, state: &StepState) -> Page {
    let total = state.exercise.steps.len();
    let place = format!("{} › {}", state.module_title, state.exercise.title);
    let Some(step) = state.step() else {
        let (answered, skipped, not_ready) = state.tally();
        return Page::new(
            vec![
                format!("{place}, the last page."),
                format!(
                    "{answered} answered, {skipped} skipped, {not_ready} not ready yet. {}",
                    crate::app::step::visibility_note(
                        state.visibility,
                        app.partner().map(|p| p.name.as_str())
                    )
                ),
                "Type save (or press Enter) to save it, encrypted; back to look again; home to keep it as a draft.".to_owned(),
            ],
            Ask::Command,
        );
    };
    let mut lines = vec![format!("{place}, step {} of {total}.", state.at + 1)];
    lines.extend(step.prompt.lines().map(str::to_owned));
    let slot = state.slot();
    match (&step.kind, slot.map(|s| &s.input)) {
        (StepKind::Text { placeholder, .. }, Some(SlotInput::Text(editor))) => {
            lines.extend(
                placeholder
                    .iter()
                    .flat_map(|p| p.lines().map(str::to_owned)),
            );
            let now = editor.lines().join("\n");
            if !now.trim().is_empty() {
                lines.push("Your answer so far:".to_owned());
                lines.extend(now.lines().map(|l| format!("  {l}")));
                lines.push(
                    "Type a new answer to replace it, or just a full stop to keep it.".to_owned(),
                );
            }
            lines.push("Write your answer; end it with a line holding only a full stop. Or type skip, not ready, back, or home.".to_owned());
            return Page::new(lines, Ask::Answer);
        }
        (
            StepKind::Scale {
                min,
                max,
                min_label,
                max_label,
            },
            Some(SlotInput::Scale { value }),
        ) => {
            if let Some(v) = value {
                lines.push(format!("Your answer so far: {v}."));
            }
            lines.push(format!(
                "Type a number from {min} ({min_label}) to {max} ({max_label}). Or skip, not ready, back, home."
            ));
        }
        (_, Some(SlotInput::Choice { picked, .. })) => {
            let multiple = matches!(
                step.kind,
                StepKind::Checklist { .. } | StepKind::Choice { multiple: true, .. }
            );
            for (i, o) in options_of(step).iter().enumerate() {
                let mark = if picked.get(i).copied().unwrap_or(false) {
                    " (chosen)"
                } else {
                    ""
                };
                lines.push(format!("{}. {}{mark}", i + 1, o.label));
            }
            lines.push(if multiple {
                "Type the numbers of all that fit, with spaces between. Or skip, not ready, back, home.".to_owned()
            } else {
                "Type one number. Or skip, not ready, back, home.".to_owned()
            });
        }
        _ => lines.push("Press Enter to go on, or type back or home.".to_owned()),
    }
    Page::new(lines, Ask::Command)
}

/// "12 Mar 2026, The anniversary, private, by Sam".
fn entry_label(app: &App, e: &Entry) -> String {
    let date = e
        .updated
        .with_timezone(&app.offset())
        .format("%-d %b %Y")
        .to_string();
    format!(
        "{date}, {}, {}{}",
        sanitize(&e.exercise.exercise_title),
        e.visibility.label(),
        crate::ui::author_note(e, app).replace(" · ", ", ")
    )
}

fn history_page(app: &App, cursor: usize) -> Page {
    let Some(session) = app.session() else {
        return Page::new(Vec::new(), Ask::Command);
    };
    let listed = home::history(app.workbooks(), session, app.people());
    if listed.is_empty() {
        return Page::new(
            vec!["History: nothing saved yet. Type back to go home.".to_owned()],
            Ask::Command,
        );
    }
    let first = cursor / LIST_PAGE * LIST_PAGE;
    let mut lines = vec![format!(
        "History: {} {}, newest first.",
        listed.len(),
        if listed.len() == 1 {
            "entry"
        } else {
            "entries"
        }
    )];
    for (i, &at) in listed.iter().enumerate().skip(first).take(LIST_PAGE) {
        lines.push(format!(
            "{}. {}",
            i + 1,
            entry_label(app, &session.entries[at])
        ));
    }
    if listed.len() > first + LIST_PAGE {
        lines.push(format!(
            "Showing {} to {}. Type more for older ones.",
            first + 1,
            first + LIST_PAGE
        ));
    }
    lines.push("Type a number to read one, search to find one, or back.".to_owned());
    Page::new(lines, Ask::Command)
}

/// An entry read in full: the heading, then each question and answer; a search's
/// words in it marked with « ».
fn entry_lines(app: &App, entry: &Entry, words: &[String]) -> Vec<String> {
    let mark = |line: String| -> String {
        let ranges = highlights(&line, words);
        if ranges.is_empty() {
            return line;
        }
        let mut out = String::new();
        let mut at = 0;
        for r in ranges {
            out.push_str(&line[at..r.start]);
            out.push('«');
            out.push_str(&line[r.clone()]);
            out.push('»');
            at = r.end;
        }
        out.push_str(&line[at..]);
        out
    };
    let mut lines = vec![
        format!(
            "{} › {}",
            sanitize(&entry.exercise.module_title),
            sanitize(&entry.exercise.exercise_title)
        ),
        format!(
            "Written {}, {}{}.",
            entry
                .updated
                .with_timezone(&app.offset())
                .format("%-d %b %Y %H:%M"),
            entry.visibility.label(),
            crate::ui::author_note(entry, app).replace(" · ", ", ")
        ),
    ];
    let partner = app.partner();
    let theirs = partner.and_then(|p| {
        let s = app.session()?;
        (entry.visibility == Visibility::Shared && s.is_mine(entry))
            .then(|| s.togethers(&p.id).shared_pair(&entry.exercise).1)
            .flatten()
            .and_then(|i| s.entries.get(i))
    });
    for a in &entry.answers {
        if matches!(a.answer, Answer::Read) {
            continue;
        }
        lines.push(String::new());
        lines.extend(sanitize(&a.prompt).lines().map(str::to_owned));
        let label = if theirs.is_some() { "You: " } else { "" };
        lines.extend(
            answer_text(&a.answer)
                .into_iter()
                .map(|l| format!("  {label}{l}")),
        );
        if let (Some(t), Some(p)) = (theirs, partner)
            && let Some(other) = t.answers.iter().find(|o| o.step == a.step)
        {
            let name = sanitize(&p.name);
            lines.extend(
                answer_text(&other.answer)
                    .into_iter()
                    .map(|l| format!("  {name}: {l}")),
            );
        }
    }
    lines.into_iter().map(mark).collect()
}

fn answer_text(answer: &Answer) -> Vec<String> {
    match answer {
        Answer::Text { text } => sanitize(text).lines().map(str::to_owned).collect(),
        Answer::Scale {
            value,
            min,
            max,
            min_label,
            max_label,
        } => vec![format!(
            "{value} on a scale from {min} ({}) to {max} ({})",
            sanitize(min_label),
            sanitize(max_label)
        )],
        Answer::Choice { options } => {
            let picked: Vec<String> = options
                .iter()
                .filter(|o| o.picked)
                .map(|o| sanitize(&o.label).into_owned())
                .collect();
            vec![if picked.is_empty() {
                "(nothing chosen)".to_owned()
            } else {
                picked.join("; ")
            }]
        }
        Answer::Skipped => vec!["(skipped)".to_owned()],
        Answer::NotReady => vec!["(not ready yet)".to_owned()],
        Answer::Read => Vec::new(),
    }
}

/// The check-ins, newest first, each with its numbers and line: what the trends' charts
/// show, as sentences.
fn trends_page(app: &App, range: crate::trends::Range) -> Page {
    let Some(session) = app.session() else {
        return Page::new(Vec::new(), Ask::Command);
    };
    let since = range.since(app.last_activity());
    let mut lines = vec![format!("Check-ins, {}, newest first.", range.label())];
    let listed = home::history(app.workbooks(), session, app.people());
    let checkins: Vec<&Entry> = listed
        .iter()
        .map(|&i| &session.entries[i])
        .filter(|e| crate::trends::is_checkin(e) && since.is_none_or(|s| e.created >= s))
        .take(100)
        .collect();
    if checkins.is_empty() {
        lines.push(
            "None in this period. The quick check-in on home takes under a minute.".to_owned(),
        );
    }
    for e in checkins {
        let parts: Vec<String> = e
            .answers
            .iter()
            .filter_map(|a| match &a.answer {
                Answer::Scale { value, max, .. } => {
                    Some(format!("{}: {value} of {max}", sanitize(&a.prompt)))
                }
                Answer::Text { text } if !text.trim().is_empty() => {
                    Some(format!("\"{}\"", sanitize(text).replace('\n', " ")))
                }
                _ => None,
            })
            .collect();
        lines.push(format!("{}. {}", entry_label(app, e), parts.join("; ")));
    }
    lines.push("Type period for a longer or shorter period, or back to go home.".to_owned());
    Page::new(lines, Ask::Command)
}

fn export_row(state: &crate::app::export_screen::ExportState, i: usize, row: &Row) -> String {
    let tick = |on: bool| if on { "included" } else { "left out" };
    match row {
        Row::Format => format!(
            "Format: {} (a number changes it)",
            crate::ui::format_name(state.format)
        ),
        Row::Period => format!("Period: {} (a number changes it)", state.period.label()),
        Row::Trends => format!("Check-in trends: {}", tick(state.include_trends)),
        Row::Module { title, .. } => {
            format!("Module {}: {}", sanitize(title), tick(state.included(i)))
        }
        Row::Exercise { title, .. } => {
            format!(
                "  Exercise {}: {}",
                sanitize(title),
                tick(state.included(i))
            )
        }
        Row::Entry { label, .. } => format!("    Entry {label}: {}", tick(state.included(i))),
        Row::PreparedFor => format!("Prepared for: {}", or_none(state.prepared_for.value())),
        Row::Recipient => format!("Counsellor's key: {}", or_none(state.recipient.value())),
        Row::Path => format!("File: {}", state.path.value()),
        Row::Write => "Write the file".to_owned(),
    }
}

fn or_none(value: &str) -> &str {
    if value.is_empty() { "none" } else { value }
}

/// A screen of prose (the welcome, the notes before inviting or joining, the curtain
/// between turns, the recovery code), said in the full-screen app's own words: drawn,
/// then read back as lines, with what the keys are turned into words.
fn prose_page(app: &App) -> Page {
    let Ok(mut terminal) = Terminal::new(TestBackend::new(crate::ui::MIN_WIDTH, 80));
    if terminal.draw(|f| crate::ui::render(app, f)).is_err() {
        return Page::new(Vec::new(), Ask::Command);
    }
    let buffer = terminal.backend().buffer();
    let mut lines: Vec<String> = Vec::new();
    // The body only: past the header, before the status and hint rows.
    for y in 2..buffer.area.height.saturating_sub(3) {
        let row: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect::<String>()
            .chars()
            .filter(|c| !('\u{2500}'..='\u{257f}').contains(c))
            .collect();
        let row = row.trim().to_owned();
        // The screen's own line of keys: said below in the words typed here.
        if row.starts_with("Enter: ") {
            continue;
        }
        if row.is_empty() && lines.last().is_none_or(String::is_empty) {
            continue;
        }
        lines.push(row);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let context = app.key_context();
    let here: Vec<String> = keymap::bindings_for(context)
        .filter(|b| !b.words.is_empty() && !b.short.is_empty())
        .map(|b| match b.words[0] {
            "" => format!("Enter ({})", b.short),
            word if word == b.short => word.to_owned(),
            word => format!("{word} ({})", b.short),
        })
        .collect();
    if !here.is_empty() {
        lines.push(format!("Type: {}.", here.join("; ")));
    }
    for line in &mut lines {
        *line = in_words(line);
    }
    Page::new(lines, Ask::Command)
}

/// A line written for the full screen, with its key names as the words typed here.
fn in_words(line: &str) -> String {
    line.replace("press F2", "type support")
        .replace("Press F2", "Type support")
        .replace("F2 lists", "support lists")
        .replace("press Esc", "type back")
        .replace(" (R)", " (recovery code)")
        .replace("press Ctrl-R", "type forgot")
        .replace(
            "Ctrl-R on the unlock screen",
            "type forgot on the unlock screen",
        )
}

/// What a typed line means where the person is: the actions to take, or a sentence
/// saying what was not understood and what to type instead.
pub fn read(app: &App, typed: &str) -> Result<Vec<Action>, String> {
    let line = typed.trim();
    let lower = line.to_lowercase();
    let context = app.key_context();
    // Help, support, hide and quit are words everywhere but where a passphrase is typed
    // (what is typed there is never taken for anything else).
    let secret = matches!(page(app).ask, Ask::Secret(_));
    if !secret
        && let Some(b) = keymap::GLOBAL
            .iter()
            .find(|b| b.contexts.contains(&context) && b.words.contains(&lower.as_str()))
    {
        return Ok(vec![b.action.clone()]);
    }
    if app.overlay().is_some() {
        return match (context, lower.as_str()) {
            (KeyContext::ConfirmShare, "yes" | "y") => Ok(vec![Action::Select]),
            (KeyContext::ConfirmShare, "no" | "n") => Ok(vec![Action::Cancel]),
            (KeyContext::ConfirmShare, _) => Err("Type yes to share it, or no.".to_owned()),
            _ => Ok(vec![Action::Cancel]),
        };
    }
    // Fields take what is typed as it is.
    if let Some(actions) = into_field(app, typed, line, &lower) {
        return Ok(actions);
    }
    if let Some(actions) = special(app, &lower) {
        if actions.is_empty() {
            let already = if lower == "share" {
                "shared"
            } else {
                "private"
            };
            return Err(format!("It is {already} already."));
        }
        return Ok(actions);
    }
    if lower.is_empty()
        && matches!(
            app.screen(),
            Screen::Home(_) | Screen::History(_) | Screen::Search(_) | Screen::ChooseRole(_)
        )
    {
        return Err("Type a number from the list, or help.".to_owned());
    }
    if let Some(b) = keymap::bindings_for(context).find(|b| b.words.contains(&lower.as_str())) {
        return Ok(vec![b.action.clone()]);
    }
    let numbers: Option<Vec<usize>> = line
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().ok())
        .collect();
    if let Some(numbers) = numbers.filter(|n| !n.is_empty())
        && let Some(actions) = by_number(app, &numbers)
    {
        return Ok(actions);
    }
    Err(format!(
        "\"{}\" is not something to type here. Type help for what is.",
        sanitize(line)
    ))
}

/// A line typed where a field or a passphrase is asked for, taken as it is (but for
/// "make one", "forgot" and a person's number), as actions; `None` elsewhere.
fn into_field(app: &App, typed: &str, line: &str, lower: &str) -> Option<Vec<Action>> {
    Some(match app.screen() {
        Screen::Hidden => vec![Action::Select],
        Screen::CreateProfile(state) if lower == "make one" && state.focus != CreateField::Name => {
            vec![Action::GeneratePassphrase]
        }
        Screen::CreateProfile(state) if state.focus == CreateField::Name && lower == "back" => {
            vec![Action::Cancel]
        }
        Screen::CreateProfile(state) => {
            let had = match state.focus {
                CreateField::Name => state.name.value().chars().count(),
                CreateField::Passphrase => state.passphrase.len_chars(),
                CreateField::Repeat => state.repeat.len_chars(),
            };
            field(typed, had)
        }
        Screen::Unlock(_) if lower == "forgot" => vec![Action::Forgot],
        Screen::Unlock(state) => match line.parse::<usize>() {
            Ok(n) if (1..=app.people().len()).contains(&n) && app.people().len() > 1 => {
                let step = if n - 1 > state.selected {
                    Action::Next
                } else {
                    Action::Back
                };
                std::iter::repeat_n(step, (n - 1).abs_diff(state.selected)).collect()
            }
            _ => field(typed, state.passphrase.len_chars()),
        },
        Screen::Passphrase(state) if lower == "make one" && state.focus != PassField::First => {
            vec![Action::GeneratePassphrase]
        }
        Screen::Passphrase(state) => {
            let had = match state.focus {
                PassField::First => state.first.len_chars(),
                PassField::New => state.new.len_chars(),
                PassField::Repeat => state.repeat.len_chars(),
            };
            field(typed, had)
        }
        // Nothing typed, or "back": back to where the search began.
        Screen::Search(state) if !state.asks() && matches!(lower, "" | "back" | "b") => {
            vec![Action::Cancel]
        }
        Screen::Search(state) if !state.asks() => vec![Action::Paste(line.to_owned())],
        Screen::Export(state) if state.typing_in_a_field() => {
            let now = match state.rows.get(state.cursor) {
                Some(Row::PreparedFor) => &state.prepared_for,
                Some(Row::Recipient) => &state.recipient,
                _ => &state.path,
            };
            let mut actions = field(line, now.value().chars().count());
            // Back to the top of the list, off the fields, where numbers count from.
            actions.extend(std::iter::repeat_n(Action::Up, state.rows.len()));
            actions
        }
        _ => return None,
    })
}

/// A field's new value: what was there taken away, the line typed put in, and on to
/// the next field. An empty line keeps what is there (a passphrase mend made).
fn field(line: &str, had: usize) -> Vec<Action> {
    if line.is_empty() && had > 0 {
        return vec![Action::Select];
    }
    let mut actions = vec![Action::End];
    actions.extend(std::iter::repeat_n(Action::Backspace, had));
    actions.push(Action::Paste(line.to_owned()));
    actions.push(Action::Select);
    actions
}

/// Words whose meaning depends on more than the key table: which way sharing goes,
/// paging through a long list, searching again, writing the summary.
fn special(app: &App, lower: &str) -> Option<Vec<Action>> {
    let shared = match app.screen() {
        Screen::Step(s) => Some(s.visibility == Visibility::Shared),
        Screen::Reading(r) => app
            .session()
            .and_then(|s| s.entries.get(r.entry))
            .map(|e| e.visibility == Visibility::Shared),
        _ => None,
    };
    match (lower, shared) {
        ("share", Some(true)) | ("private", Some(false)) => return Some(Vec::new()),
        _ => {}
    }
    match (app.screen(), lower) {
        (Screen::History(_) | Screen::Search(_), "more") => {
            Some(vec![Action::PageDown, Action::PageDown])
        }
        (Screen::Search(s), "search" | "/") => {
            let mut actions = vec![Action::End];
            actions.extend(std::iter::repeat_n(
                Action::Backspace,
                s.query.value().chars().count(),
            ));
            Some(actions)
        }
        (Screen::Export(state), "write") if !state.confirming => {
            let last = state.rows.len().saturating_sub(1);
            let mut actions: Vec<Action> =
                std::iter::repeat_n(Action::Down, last - state.cursor.min(last)).collect();
            actions.push(Action::Select);
            Some(actions)
        }
        (Screen::Export(state), "yes" | "y") if state.confirming => Some(vec![Action::Select]),
        (Screen::Export(state), "no" | "n") if state.confirming => Some(vec![Action::Cancel]),
        (Screen::Step(s), "")
            if matches!(s.step().map(|s| &s.kind), Some(StepKind::Text { .. })) =>
        {
            Some(vec![Action::Next])
        }
        _ => None,
    }
}

/// Numbers typed on a step: a scale's value, or the options chosen.
fn step_numbers(state: &StepState, numbers: &[usize]) -> Option<Vec<Action>> {
    match (&state.step()?.kind, state.slot().map(|s| &s.input)) {
        (StepKind::Scale { min, max, .. }, _) => {
            let value = i32::try_from(numbers[0]).ok()?;
            if numbers.len() != 1 || !(*min..=*max).contains(&value) {
                return None;
            }
            let mut actions: Vec<Action> = value
                .to_string()
                .chars()
                .filter_map(|c| c.to_digit(10))
                .map(|d| Action::Digit(d as u8))
                .collect();
            actions.push(Action::Next);
            Some(actions)
        }
        (kind, Some(SlotInput::Choice { picked, .. })) => {
            if numbers.iter().any(|&n| n == 0 || n > picked.len()) {
                return None;
            }
            let single = matches!(
                kind,
                StepKind::Choice {
                    multiple: false,
                    ..
                }
            );
            if single && numbers.len() != 1 {
                return None;
            }
            // The options typed are the ones chosen, the others not; on a single
            // choice, picking one unpicks the rest, so only the one typed is picked.
            let mut actions = Vec::new();
            for (i, was) in picked.iter().enumerate() {
                let wanted = numbers.contains(&(i + 1));
                if *was != wanted && (!single || wanted) {
                    actions.push(Action::Pick(i));
                }
            }
            actions.push(Action::Next);
            Some(actions)
        }
        _ => None,
    }
}

/// Numbers typed where a list is: open, choose, tick or set. A number past the end of
/// the list, or a scale's value out of its range, is no action.
fn by_number(app: &App, numbers: &[usize]) -> Option<Vec<Action>> {
    if let Screen::Step(state) = app.screen() {
        return step_numbers(state, numbers);
    }
    let first = numbers[0].checked_sub(1)?;
    let len = match app.screen() {
        Screen::Home(_) => app
            .session()?
            .home_rows(app.workbooks())
            .iter()
            .filter(|r| r.selectable())
            .count(),
        Screen::History(_) => home::history(app.workbooks(), app.session()?, app.people()).len(),
        Screen::Search(state) => state.hits.len(),
        Screen::ChooseRole(state) => app.workbooks()[state.workbook].roles.len() + 1,
        Screen::Export(state) => state.rows.len(),
        _ => return None,
    };
    if first >= len {
        return None;
    }
    match app.screen() {
        Screen::Home(_) | Screen::History(_) | Screen::Search(_) | Screen::ChooseRole(_) => {
            Some(vec![Action::Choose(first)])
        }
        Screen::Export(state) => {
            let row = state.rows.get(first)?;
            let mut actions: Vec<Action> = if first >= state.cursor {
                std::iter::repeat_n(Action::Down, first - state.cursor).collect()
            } else {
                std::iter::repeat_n(Action::Up, state.cursor - first).collect()
            };
            actions.push(match row {
                Row::Format | Row::Period => Action::Right,
                Row::Write => Action::Select,
                Row::PreparedFor | Row::Recipient | Row::Path => return Some(actions),
                _ => Action::Toggle,
            });
            Some(actions)
        }
        _ => None,
    }
}
