//! The screens before anyone is unlocked: welcome, new profile, unlock, and the
//! frame shown while a key is derived.

use age::secrecy::{ExposeSecret, SecretString};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::{bold, dim, paragraphs, reading_column};
use crate::app::fields::Strength;
use crate::app::{
    App, CreateField, CreateState, CurtainState, NoteFor, PassField, PassphraseMode,
    PassphraseState, RecoveryScreen, RoleState, SecretField, Target, UnlockState,
};

const WELCOME: [&str; 3] = [
    "mend is a private workbook for the time after infidelity, for one person alone or two partners taking turns at this keyboard. It is not therapy; it can help you think, talk, and prepare for a counsellor.",
    "What you write stays on this computer, encrypted with your passphrase; nothing is sent anywhere. Each answer is private (only you can read it) or shared (your partner can read it too). Without your passphrase or recovery code, no one, including us, can open it.",
    "If you are afraid of your partner, press F2 for support lines. If you have frightened, threatened or hurt your partner since this came out, or fear you might, press F2 too: there are lines for that, and getting help with it comes before any couple exercise.",
];

pub fn welcome(frame: &mut Frame, area: Rect) {
    let col = reading_column(area);
    let mut text = Text::from(vec![Line::from(bold("Welcome")), Line::raw("")]);
    text.extend(paragraphs(WELCOME));
    text.extend([
        Line::raw(""),
        Line::from(dim("Press Enter to create your private profile.")),
    ]);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inset(col));
}

fn inset(area: Rect) -> Rect {
    Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(1),
    }
}

fn mask(field: &SecretField) -> String {
    "•".repeat(field.len_chars().min(40))
}

fn field_line(label: &str, value: &str, focused: bool) -> Line<'static> {
    let marker = if focused { "›" } else { " " };
    let style = if focused {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    Line::from(vec![
        Span::styled(format!("{marker} {label:<20}"), style),
        Span::styled(format!("[{value:<42}]"), style),
    ])
}

pub fn create_profile(state: &CreateState, frame: &mut Frame, area: Rect) {
    let col = inset(reading_column(area));
    let [intro, fields, notes] = col.layout(&Layout::vertical([
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Min(1),
    ]));
    let intro_text = paragraphs([
        "Create your profile",
        "Your name is only shown on this computer. Your passphrase encrypts everything you write; you will type it each time you open mend.",
    ]);
    frame.render_widget(Paragraph::new(intro_text).wrap(Wrap { trim: false }), intro);
    let focus = state.focus;
    let lines = vec![
        field_line("Your name", state.name.value(), focus == CreateField::Name),
        Line::raw(""),
        field_line(
            "Passphrase",
            &mask(&state.passphrase),
            focus == CreateField::Passphrase,
        ),
        Line::raw(""),
        field_line(
            "Passphrase again",
            &mask(&state.repeat),
            focus == CreateField::Repeat,
        ),
    ];
    frame.render_widget(Paragraph::new(lines), fields);
    let (row, len) = match focus {
        CreateField::Name => (0, unicode_width::UnicodeWidthStr::width(state.name.value())),
        CreateField::Passphrase => (2, state.passphrase.len_chars().min(40)),
        CreateField::Repeat => (4, state.repeat.len_chars().min(40)),
    };
    frame.set_cursor_position(Position::new(fields.x + 23 + len as u16, fields.y + row));
    let mut note = Vec::new();
    if let Some(error) = &state.error {
        note.push(Line::from(bold(error.clone())));
        note.push(Line::raw(""));
    }
    new_passphrase_notes(
        state.error.as_deref(),
        state.strength,
        state.generated.as_ref(),
        &mut note,
    );
    note.push(Line::from(dim(
        "Next, mend offers a recovery code. Without one, a forgotten passphrase cannot be recovered, by anyone.",
    )));
    frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: false }), notes);
}

pub fn passphrase(state: &PassphraseState, frame: &mut Frame, area: Rect) {
    let col = inset(reading_column(area));
    let first_len = state.first.len_chars().min(40);
    let (title, intro, first_label) = match state.mode {
        PassphraseMode::Change => (
            "Change your passphrase",
            "Type the passphrase you use now, then the new one twice. Your answers stay as they are; only the lock changes.",
            "Current passphrase",
        ),
        PassphraseMode::Recover { .. } => (
            "Forgot your passphrase?",
            "Type the recovery code you wrote down (dashes and spaces do not matter), then choose a new passphrase.",
            "Recovery code",
        ),
    };
    let [head, fields, notes] = col.layout(&Layout::vertical([
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Min(1),
    ]));
    frame.render_widget(
        Paragraph::new(paragraphs([title, intro])).wrap(Wrap { trim: false }),
        head,
    );
    let focus = state.focus;
    let lines = vec![
        field_line(first_label, &mask(&state.first), focus == PassField::First),
        Line::raw(""),
        field_line("New passphrase", &mask(&state.new), focus == PassField::New),
        Line::raw(""),
        field_line(
            "New one again",
            &mask(&state.repeat),
            focus == PassField::Repeat,
        ),
    ];
    frame.render_widget(Paragraph::new(lines), fields);
    let (row, len) = match focus {
        PassField::First => (0, first_len),
        PassField::New => (2, state.new.len_chars().min(40)),
        PassField::Repeat => (4, state.repeat.len_chars().min(40)),
    };
    frame.set_cursor_position(Position::new(fields.x + 23 + len as u16, fields.y + row));
    let mut note = Vec::new();
    if let Some(error) = &state.error {
        note.push(Line::from(bold(error.clone())));
        note.push(Line::raw(""));
    }
    if focus != PassField::First || state.generated.is_some() {
        new_passphrase_notes(
            state.error.as_deref(),
            state.strength,
            state.generated.as_ref(),
            &mut note,
        );
    }
    note.push(Line::from(dim(
        "Esc goes back; nothing changes until the last Enter.",
    )));
    frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: false }), notes);
}

/// Under a new passphrase: the one mend made, in full, with the word to write it down;
/// otherwise how strong the one typed is (unless an error above already says).
fn new_passphrase_notes(
    error: Option<&str>,
    strength: Option<Strength>,
    generated: Option<&SecretString>,
    note: &mut Vec<Line<'static>>,
) {
    if let Some(phrase) = generated {
        note.push(Line::raw(
            "Your new passphrase, six words chosen at random:",
        ));
        note.push(Line::from(bold(format!("    {}", phrase.expose_secret()))));
        note.push(Line::raw(
            "Write it down now, or keep it somewhere safe: mend will not show it again, \
             and without it (or a recovery code) no one can open your answers.",
        ));
        note.push(Line::raw(""));
    } else if let Some(strength) = strength
        && error.is_none()
    {
        note.push(Line::raw(strength.hint()));
        note.push(Line::raw(""));
    }
}

const RECOVERY_OFFER: [&str; 3] = [
    "If you ever forget your passphrase, a recovery code is the only way to set a new one. mend shows it once: write it on paper and keep it somewhere safe, away from this computer.",
    "Anyone who has the code and this computer could open your profile, so treat it like a key. Without a code, a forgotten passphrase is final: no one, including us, can open what you wrote.",
    "You can make one later from home (R). Making a new one replaces the old one.",
];

pub fn recovery(screen: &RecoveryScreen, frame: &mut Frame, area: Rect) {
    let col = inset(reading_column(area));
    let mut text = Text::default();
    match screen {
        RecoveryScreen::Offer { first_time } => {
            text.push_line(Line::from(bold("A recovery code: a second way in")));
            text.push_line(Line::raw(""));
            text.extend(paragraphs(RECOVERY_OFFER));
            text.push_line(Line::raw(""));
            let later = if *first_time {
                "Esc: not now"
            } else {
                "Esc: back"
            };
            text.push_line(Line::from(dim(format!(
                "Enter: make a recovery code    {later}"
            ))));
        }
        RecoveryScreen::Show { code } => {
            use age::secrecy::ExposeSecret;
            text.push_line(Line::from(bold("Your recovery code")));
            text.push_line(Line::raw(""));
            text.push_line(Line::from(bold(format!("    {}", code.expose_secret()))));
            text.push_line(Line::raw(""));
            text.extend(paragraphs([
                "Write it down now, exactly as shown, and keep the paper somewhere safe. mend will not show it again and keeps no copy of it.",
                "To use it: on the unlock screen press Ctrl-R, or run `mend passwd --recover`.",
            ]));
            text.push_line(Line::raw(""));
            text.push_line(Line::from(dim(
                "Press Enter when you have written it down.",
            )));
        }
    }
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), col);
}

pub fn unlock(app: &App, state: &UnlockState, frame: &mut Frame, area: Rect) {
    let col = inset(reading_column(area));
    let mut lines = vec![Line::from(bold("Who is here?")), Line::raw("")];
    if app.people().is_empty() {
        lines.extend(paragraphs([
            "The list of who has a profile here (vault.toml) is missing, and so is its copy. Every key file and answer is still here.",
            "Type your passphrase and press Enter: mend finds your profile and puts the list back from the record your key keeps.",
        ]));
        lines.push(Line::raw(""));
    }
    // Someone whose name is missing from the list gets a row of their own.
    let missing = (app.missing() > 0).then_some(if app.people().is_empty() {
        "My profile"
    } else {
        "Someone whose name is not on this list"
    });
    let names = app.people().iter().map(|p| p.name.as_str()).chain(missing);
    for (i, name) in names.enumerate() {
        let chosen = i == state.selected;
        let text = format!("{} {name}", if chosen { "›" } else { " " });
        let style = if chosen {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    lines.push(Line::raw(""));
    // The rows above the field as drawn: the explanation wraps.
    let field_row = u16::try_from(
        Paragraph::new(lines.clone())
            .wrap(Wrap { trim: false })
            .line_count(col.width),
    )
    .unwrap_or(u16::MAX);
    lines.push(field_line("Passphrase", &mask(&state.passphrase), true));
    lines.push(Line::raw(""));
    if let Some(error) = &state.error {
        lines.push(Line::from(bold(error.clone())));
        lines.push(Line::raw(""));
    }
    lines.push(Line::from(dim(
        "Type your passphrase and press Enter. Only the person it belongs to can unlock their answers. Forgot it? Ctrl-R uses your recovery code.",
    )));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), col);
    let len = state.passphrase.len_chars().min(40) as u16;
    frame.set_cursor_position(Position::new(col.x + 23 + len, col.y + field_row));
}

pub fn busy(message: &str, frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from(bold(message.to_owned())),
        Line::raw(""),
        Line::from(dim(
            "This takes about a second on purpose: it makes guessing a passphrase very slow.",
        )),
    ];
    let [_, middle, _] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Fill(1),
    ]));
    frame.render_widget(
        Paragraph::new(text).centered().wrap(Wrap { trim: false }),
        middle,
    );
}

pub fn choose_role(
    app: &App,
    state: &RoleState,
    frame: &mut Frame,
    area: Rect,
    targets: &mut Vec<Target>,
) {
    let col = inset(reading_column(area));
    let roles = &app.workbooks()[state.workbook].roles;
    let mut text = paragraphs([
        "One more question, and it is optional: which of these describes you?",
        "It only decides which prompts you see; some are written for one partner or the other. It stays private, encrypted with your passphrase, and you can skip it.",
    ]);
    text.push_line(Line::raw(""));
    let prefer_not = (
        "Prefer not to say".to_owned(),
        Some("You will see the prompts written for both.".to_owned()),
    );
    let choices = roles
        .iter()
        .map(|r| (r.label.clone(), r.description.clone()))
        .chain(std::iter::once(prefer_not));
    for (i, (label, description)) in choices.enumerate() {
        let chosen = i == state.selected;
        let style = if chosen {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        let mark = if chosen { "(•)" } else { "( )" };
        // The rows above this one, as they wrap on screen.
        let above = Paragraph::new(text.clone())
            .wrap(Wrap { trim: false })
            .line_count(col.width);
        if let Ok(y) = u16::try_from(above) {
            targets.push(Target {
                x: col.x,
                y: col.y.saturating_add(y),
                width: col.width,
                pick: i,
            });
        }
        text.push_line(Line::styled(format!(" {mark} {label}"), style));
        if let Some(description) = description {
            // Wrapped under the label, not back at the margin.
            let width = usize::from(col.width).saturating_sub(5);
            for part in super::reading::wrap(&description, width) {
                text.push_line(Line::from(dim(format!("     {part}"))));
            }
        }
    }
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), col);
}

const NOTE_INVITER: [&str; 5] = [
    "Your partner is about to make their own profile, with their own passphrase, on this computer.",
    "", // what they will be able to read: see `inviter_sharing`
    "If you are afraid of your partner, couple exercises are not the right tool, and that is not your failing. Press F2 for people who can help; you can keep using mend on your own.",
    "If you have frightened, threatened or hurt your partner, or fear you might, stop here: the couple exercises can wait, and F2 lists lines that help people with their own behaviour.",
    "When you press Enter, mend saves your work and locks, so your partner never sees your screen.",
];

const NOTE_JOINER: [&str; 5] = [
    "Your partner has asked you to join them in mend. You will make your own profile with your own passphrase; they will not know it.",
    "Each answer you write is private (only you can ever read it) or shared (your partner can read it too). Private is the default. In together exercises, each of you answers alone, and each chooses when to reveal.",
    "If you are afraid of your partner, couple exercises are not the right tool, and that is not your failing. Press F2 for people who can help, or press Esc to leave this screen.",
    "If you have frightened, threatened or hurt your partner, or fear you might, the same is true: F2 lists lines that help people with their own behaviour.",
    "Press Enter to make your profile.",
];

/// What the person inviting is told their partner will be able to read, given how
/// many of their entries are shared.
fn inviter_sharing(shared: usize) -> String {
    let private = "Your private entries stay yours: they are encrypted to a key only you hold.";
    match shared {
        0 => format!(
            "None of your entries is shared, so nothing you have written becomes visible to them. {private} Only what you mark shared, or reveal in a together exercise, can be read by them."
        ),
        n => {
            let (count, verb) = if n == 1 {
                ("1 of your entries is".to_owned(), "it")
            } else {
                (format!("{n} of your entries are"), "them")
            };
            format!(
                "{count} shared. Your partner will be able to read {verb}, from the next time you unlock mend after they join (that is when mend seals {verb} to their key). {private} Whatever you mark shared from now on, they can read too."
            )
        }
    }
}

/// A private note before couple work, for the person inviting or the one joining.
pub fn partner_note(app: &App, note: NoteFor, frame: &mut Frame, area: Rect) {
    let (title, mut body) = match note {
        NoteFor::Inviter => (
            "Before you invite your partner",
            NOTE_INVITER.map(str::to_owned),
        ),
        NoteFor::Joiner => ("Welcome", NOTE_JOINER.map(str::to_owned)),
    };
    if note == NoteFor::Inviter {
        body[1] = inviter_sharing(
            app.session()
                .as_ref()
                .map_or(0, |s| s.shared_by_me(app.people())),
        );
    }
    let mut text = Text::from(vec![Line::from(bold(title)), Line::raw("")]);
    text.extend(paragraphs(body.iter().map(String::as_str)));
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: false }),
        inset(reading_column(area)),
    );
}

/// Between turns: a plain message, nothing of the last person's.
pub fn curtain(state: &CurtainState, frame: &mut Frame, area: Rect) {
    let text = match &state.next_name {
        Some(name) => vec![
            Line::from(bold(format!("Pass the keyboard to {name}."))),
            Line::raw(""),
            Line::raw(format!("{name}, press Enter when you are ready.")),
        ],
        None => vec![
            Line::from(bold("Pass the keyboard to your partner.")),
            Line::raw(""),
            Line::raw("When you are ready, press Enter."),
        ],
    };
    let [_, middle, _] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Fill(1),
    ]));
    frame.render_widget(Paragraph::new(text).centered(), middle);
}
