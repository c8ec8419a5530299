//! How each screen answers each action. Split from `app.rs` so that file holds the
//! types and the global rules (hide, quit, idle lock), and this one the screen flows.

use chrono::{DateTime, Utc};

use super::export_screen::{ExportState, Row};
use super::home::{self, HomeRow};
use super::step::{self, Mark, StepState};
use age::secrecy::SecretString;

use super::{
    Action, AfterCurtain, App, BusyReturn, BusyState, CreateField, CreateState, CurtainState,
    Effect, HistoryState, NoteFor, Overlay, ReadingState, RoleState, Screen, ShareWhat,
    UnlockState, remember_draft,
};
use crate::content::Visibility;
use crate::domain::Profile;
use crate::text::sanitize;

/// Scroll step for Page Up / Page Down, in lines.
const PAGE: u16 = 10;

/// Handles an action while an overlay is open; returns true when it should close.
pub(super) fn overlay(overlay: &mut Overlay, action: &Action, max: u16) -> bool {
    let scroll = match overlay {
        Overlay::Help { scroll } | Overlay::Support { scroll } => Some(scroll),
        Overlay::Notice { .. } | Overlay::ConfirmShare { .. } => None,
    };
    if let Some(scroll) = scroll {
        scroll_by(scroll, action, max);
    }
    matches!(action, Action::Cancel | Action::Select)
}

pub(super) fn screen(app: &mut App, now: DateTime<Utc>, action: Action) -> Vec<Effect> {
    match &mut app.screen {
        Screen::Welcome => {
            if matches!(action, Action::Select) {
                app.screen = Screen::CreateProfile(new_create_state());
            }
            Vec::new()
        }
        Screen::CreateProfile(_) => create_profile(app, action),
        Screen::ChooseRole(_) => choose_role(app, &action),
        Screen::Unlock(_) => unlock(app, action),
        Screen::Passphrase(_) => super::passphrase::form(app, action),
        Screen::Recovery(_) => super::passphrase::recovery(app, &action),
        Screen::Busy(_) => Vec::new(),
        Screen::Home(_) => home(app, now, &action),
        Screen::Step(_) => step(app, now, action),
        Screen::History(_) | Screen::Reading(_) => history(app, &action),

        Screen::Export(_) => export(app, now, action),
        Screen::Trends(range) => {
            match action {
                Action::Right | Action::Next => *range = range.next(),
                Action::Left | Action::Back => *range = range.previous(),
                Action::Cancel | Action::Trends => app.screen = Screen::Home(HomeState::default()),
                _ => {}
            }
            Vec::new()
        }
        Screen::PartnerNote(NoteFor::Inviter) => {
            match action {
                Action::Select => {
                    return app.hand_over(
                        now,
                        CurtainState {
                            next_name: None,
                            after: AfterCurtain::NewPartner,
                        },
                    );
                }
                Action::Cancel => app.screen = Screen::Home(HomeState::default()),
                _ => {}
            }
            Vec::new()
        }
        Screen::PartnerNote(NoteFor::Joiner) => {
            match action {
                Action::Select => app.screen = Screen::CreateProfile(new_create_state()),
                Action::Cancel => app.screen = Screen::Unlock(UnlockState::default()),
                _ => {}
            }
            Vec::new()
        }
        Screen::Curtain(curtain) => {
            if matches!(action, Action::Select) {
                app.screen = match curtain.after {
                    AfterCurtain::NewPartner => Screen::PartnerNote(NoteFor::Joiner),
                    AfterCurtain::Unlock { selected } => Screen::Unlock(UnlockState {
                        selected,
                        ..UnlockState::default()
                    }),
                };
            }
            Vec::new()
        }
        Screen::Hidden => {
            app.screen = app.start_screen();
            Vec::new()
        }
    }
}

fn new_create_state() -> CreateState {
    CreateState {
        name: super::LineField::default(),
        passphrase: super::SecretField::default(),
        repeat: super::SecretField::default(),
        focus: CreateField::Name,
        error: None,
    }
}

fn create_profile(app: &mut App, action: Action) -> Vec<Effect> {
    let Screen::CreateProfile(state) = &mut app.screen else {
        return Vec::new();
    };
    match action {
        Action::Char(c) => push_create(state, &c.to_string()),
        Action::Paste(text) => push_create(state, &text),
        Action::Backspace => match state.focus {
            CreateField::Name => state.name.backspace(),
            CreateField::Passphrase => state.passphrase.backspace(),
            CreateField::Repeat => state.repeat.backspace(),
        },
        Action::Next | Action::Down => state.focus = next_field(state.focus),
        Action::Back | Action::Up => state.focus = previous_field(state.focus),
        Action::Cancel => {
            app.screen = app.start_screen();
        }
        Action::Select => return submit_create(app),
        _ => {}
    }
    Vec::new()
}

fn push_create(state: &mut CreateState, text: &str) {
    state.error = None;
    match state.focus {
        CreateField::Name => state.name.push_str(text),
        CreateField::Passphrase => state.passphrase.push_str(text),
        CreateField::Repeat => state.repeat.push_str(text),
    }
}

fn next_field(field: CreateField) -> CreateField {
    match field {
        CreateField::Name => CreateField::Passphrase,
        CreateField::Passphrase | CreateField::Repeat => CreateField::Repeat,
    }
}

fn previous_field(field: CreateField) -> CreateField {
    match field {
        CreateField::Name | CreateField::Passphrase => CreateField::Name,
        CreateField::Repeat => CreateField::Passphrase,
    }
}

fn submit_create(app: &mut App) -> Vec<Effect> {
    let Screen::CreateProfile(state) = &mut app.screen else {
        return Vec::new();
    };
    let name = state.name.value().trim().to_owned();
    if name.is_empty() {
        state.focus = CreateField::Name;
        state.error = Some(
            "Type a name first. Any name will do: it is only shown on this computer.".to_owned(),
        );
        return Vec::new();
    }
    match state.focus {
        CreateField::Name => state.focus = CreateField::Passphrase,
        CreateField::Passphrase if state.passphrase.is_empty() => {
            state.error =
                Some("Choose a passphrase: it is what keeps your answers yours.".to_owned());
        }
        CreateField::Passphrase => state.focus = CreateField::Repeat,
        CreateField::Repeat if !state.passphrase.matches(&state.repeat) => {
            state.passphrase.clear();
            state.repeat.clear();
            state.focus = CreateField::Passphrase;
            state.error =
                Some("The two passphrases were different. Please type it twice again.".to_owned());
        }
        CreateField::Repeat => {
            let passphrase = state.passphrase.take();
            state.repeat.clear();
            if let Some(workbook) = app.workbooks.iter().position(|w| !w.roles.is_empty()) {
                let selected = app.workbooks[workbook].roles.len();
                app.screen = Screen::ChooseRole(RoleState {
                    name,
                    passphrase,
                    workbook,
                    selected,
                });
                return Vec::new();
            }
            return create(app, name, passphrase, Profile::default());
        }
    }
    Vec::new()
}

fn create(app: &mut App, name: String, passphrase: SecretString, profile: Profile) -> Vec<Effect> {
    app.screen = Screen::Busy(BusyState {
        message: "Creating your profile and its keys…".to_owned(),
        back: BusyReturn::Create { name: name.clone() },
    });
    vec![Effect::CreateProfile {
        name,
        passphrase,
        profile,
    }]
}

/// The optional role question at the end of a new profile.
fn choose_role(app: &mut App, action: &Action) -> Vec<Effect> {
    let Screen::ChooseRole(state) = &mut app.screen else {
        return Vec::new();
    };
    let roles = &app.workbooks[state.workbook].roles;
    match action {
        Action::Up | Action::Back => state.selected = state.selected.saturating_sub(1),
        Action::Down | Action::Next => state.selected = (state.selected + 1).min(roles.len()),
        Action::Cancel => {
            let mut name = super::LineField::default();
            name.push_str(&state.name);
            app.screen = Screen::CreateProfile(CreateState {
                name,
                focus: CreateField::Passphrase,
                error: Some("Type your passphrase twice again, please.".to_owned()),
                ..new_create_state()
            });
        }
        Action::Select => {
            let mut profile = Profile::default();
            if let Some(role) = roles.get(state.selected) {
                profile
                    .roles
                    .insert(app.workbooks[state.workbook].id.clone(), role.id.clone());
            }
            let name = std::mem::take(&mut state.name);
            let passphrase = std::mem::replace(&mut state.passphrase, SecretString::from(""));
            return create(app, name, passphrase, profile);
        }
        _ => {}
    }
    Vec::new()
}

fn unlock(app: &mut App, action: Action) -> Vec<Effect> {
    // One more row when someone's name is missing from the list.
    let rows = app.people.len() + usize::from(app.missing > 0);
    let Screen::Unlock(state) = &mut app.screen else {
        return Vec::new();
    };
    match action {
        Action::Char(c) => {
            state.error = None;
            state.passphrase.push_str(&c.to_string());
        }
        Action::Paste(text) => state.passphrase.push_str(&text),
        Action::Backspace => state.passphrase.backspace(),
        Action::Forgot if state.selected >= app.people.len() => {
            state.error = Some(
                "A recovery code needs your name on the list. Unlock with your passphrase to put it back; then the code works again if you need it.".to_owned(),
            );
        }
        Action::Forgot => {
            let selected = state.selected;
            super::passphrase::open_recover(app, selected);
        }
        Action::Up | Action::Back => state.selected = state.selected.saturating_sub(1),
        Action::Down | Action::Next => {
            state.selected = (state.selected + 1).min(rows.saturating_sub(1));
        }
        Action::Select => {
            if state.passphrase.is_empty() {
                state.error = Some("Type your passphrase, then press Enter.".to_owned());
                return Vec::new();
            }
            let Some(person) = app.people.get(state.selected) else {
                if app.missing == 0 {
                    return Vec::new();
                }
                let passphrase = state.passphrase.take();
                app.screen = Screen::Busy(BusyState {
                    message: "Looking for your profile…".to_owned(),
                    back: BusyReturn::Unlock {
                        selected: state.selected,
                    },
                });
                return vec![Effect::UnlockMissing { passphrase }];
            };
            let passphrase = state.passphrase.take();
            let effect = Effect::Unlock {
                person: person.id.clone(),
                passphrase,
            };
            app.screen = Screen::Busy(BusyState {
                message: format!("Unlocking {}…", person.name),
                back: BusyReturn::Unlock {
                    selected: state.selected,
                },
            });
            return vec![effect];
        }
        _ => {}
    }
    Vec::new()
}

fn home(app: &mut App, now: DateTime<Utc>, action: &Action) -> Vec<Effect> {
    let Some(session) = &app.session else {
        return Vec::new();
    };
    let rows: Vec<HomeRow> = home::rows(&app.workbooks, session)
        .into_iter()
        .filter(HomeRow::selectable)
        .collect();
    let Screen::Home(state) = &mut app.screen else {
        return Vec::new();
    };
    let last = rows.len().saturating_sub(1);
    match action {
        Action::Up => state.cursor = state.cursor.saturating_sub(1),
        Action::Down => state.cursor = (state.cursor + 1).min(last),
        Action::PageUp => state.cursor = state.cursor.saturating_sub(PAGE.into()),
        Action::PageDown => state.cursor = (state.cursor + usize::from(PAGE)).min(last),
        Action::Select => {
            if let Some(row) = rows.get(state.cursor) {
                open_row(app, row, now);
            }
        }
        Action::Continue => {
            if let Some(row @ HomeRow::Continue { .. }) = rows.first() {
                open_row(app, row, now);
            }
        }
        Action::History => app.screen = Screen::History(HistoryState::default()),
        Action::ChangePassphrase => super::passphrase::open_change(app),
        Action::NewRecoveryCode => super::passphrase::open_offer(app),
        Action::AddPartner if app.people.len() == 1 => {
            app.screen = Screen::PartnerNote(NoteFor::Inviter);
        }
        Action::HandOver => return hand_over(app, now),
        Action::Trends => app.screen = Screen::Trends(crate::trends::Range::default()),
        Action::Export => {
            if let Some(session) = &app.session {
                let today = now.with_timezone(&app.offset).date_naive();
                let state = ExportState::new(
                    session,
                    &app.people,
                    &app.workbooks,
                    today,
                    &app.export_folder,
                );
                app.screen = Screen::Export(Box::new(state));
                refresh_preview(app, now);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Locks and asks the other partner to take the keyboard.
fn hand_over(app: &mut App, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(partner) = app.partner().cloned() else {
        return Vec::new();
    };
    let selected = app
        .people
        .iter()
        .position(|p| p.id == partner.id)
        .unwrap_or(0);
    app.hand_over(
        now,
        CurtainState {
            next_name: Some(partner.name),
            after: AfterCurtain::Unlock { selected },
        },
    )
}

fn open_row(app: &mut App, row: &HomeRow, now: DateTime<Utc>) {
    let Some(session) = &app.session else { return };
    let (wb, place, exercise, draft) = match *row {
        HomeRow::Continue { draft } => {
            let Some(draft) = session.drafts.get(draft) else {
                return;
            };
            let r = &draft.entry.exercise;
            let Some(wb) = app.workbooks.iter().find(|w| w.id == r.workbook) else {
                app.status =
                    Some("That draft belongs to a workbook that is not loaded now.".to_owned());
                return;
            };
            let Some((place, exercise)) = home::locate(wb, &r.module, &r.exercise) else {
                app.status = Some(
                    "That exercise is no longer in its workbook; its draft is kept.".to_owned(),
                );
                return;
            };
            (wb, place, exercise, Some(draft))
        }
        HomeRow::CheckIn { workbook } => {
            let wb = &app.workbooks[workbook];
            let Some(checkin) = wb.checkin.as_ref() else {
                return;
            };
            let place = home::checkin_place();
            let draft = home::draft_for(&session.drafts, &wb.id, &place.module, &checkin.id);
            (wb, place, checkin, draft)
        }
        HomeRow::Exercise {
            workbook,
            module,
            exercise,
            ..
        } => {
            let wb = &app.workbooks[workbook];
            let module = &wb.modules[module];
            let exercise = &module.exercises[exercise];
            let draft = home::draft_for(&session.drafts, &wb.id, &module.id, &exercise.id);
            let place = step::Place {
                module: module.id.clone(),
                module_title: module.title.clone(),
            };
            (wb, place, exercise, draft)
        }
        _ => return,
    };
    let role = session.profile.role_in(&wb.id);
    let state = match draft {
        Some(draft) => StepState::resume(wb, place, exercise, role, draft),
        None => StepState::start(wb, place, exercise, role, now),
    };
    app.screen = Screen::Step(Box::new(state));
}

fn step(app: &mut App, now: DateTime<Utc>, action: Action) -> Vec<Effect> {
    let Screen::Step(state) = &mut app.screen else {
        return Vec::new();
    };
    if !matches!(action, Action::Digit(_)) {
        state.typed_digit = None;
    }
    let mut save = true;
    let mut ask = false;
    match action {
        Action::Next => state.go_next(),
        Action::Back => state.go_back(),
        Action::Select if state.is_closing_page() => {
            let Some(session) = &app.session else {
                return Vec::new();
            };
            return vec![Effect::SaveEntry(state.to_entry(&session.person.id, now))];
        }
        Action::Select => {
            state.pick_highlighted_if_single();
            state.go_next();
        }
        Action::Skip => {
            state.set_mark(Mark::Skipped);
            state.go_next();
        }
        Action::NotReady => {
            state.set_mark(Mark::NotReady);
            state.go_next();
            app.status = Some(
                "That's okay. It is marked \"not ready yet\"; come back whenever you want."
                    .to_owned(),
            );
        }
        Action::ToggleVisibility => match state.visibility {
            Visibility::Private => {
                save = false;
                ask = true;
            }
            Visibility::Shared => {
                state.visibility = Visibility::Private;
                app.status = Some(visibility_note(Visibility::Private, None));
            }
        },
        Action::Cancel => {
            let effects = app.draft_on_screen(now).into_iter().collect();
            app.screen = Screen::Home(HomeState::default());
            app.status = Some("Saved as a draft. Pick it up any time with Continue.".to_owned());
            return effects;
        }
        other => {
            save = false;
            step_input(state, other, app.scroll_max);
        }
    }
    if ask {
        ask_to_share(app, ShareWhat::OnScreen);
        return Vec::new();
    }
    if !save {
        return Vec::new();
    }
    let Some(session) = app.session.as_mut() else {
        return Vec::new();
    };
    let draft = state.to_draft(&session.person.id, now);
    remember_draft(session, &draft);
    vec![Effect::SaveDraft(draft)]
}

use super::HomeState;

/// Keys that change the answer on screen without leaving the step.
fn step_input(state: &mut StepState, action: Action, max: u16) {
    match action {
        Action::Edit(input) => state.edit(input),
        Action::Paste(text) => state.paste(&text),
        Action::Left => state.nudge_scale(-1),
        Action::Right => state.nudge_scale(1),
        Action::Digit(d) => state.set_scale(i32::from(d)),
        Action::Toggle => state.toggle_option(),
        Action::Up if state.on_options() => state.move_cursor(false),
        Action::Down if state.on_options() => state.move_cursor(true),
        other => {
            scroll_by(&mut state.scroll, &other, max);
        }
    }
}

/// Moves a scroll offset for Up, Down, Page Up and Page Down, never past `max`.
fn scroll_by(scroll: &mut u16, action: &Action, max: u16) {
    *scroll = match action {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => scroll.saturating_add(1).min(max),
        Action::PageUp => scroll.saturating_sub(PAGE),
        Action::PageDown | Action::Toggle => scroll.saturating_add(PAGE).min(max),
        _ => *scroll,
    };
}

/// Asks, naming who could read it, before anything is shared. Nothing changes until
/// the person says yes ([`share`]).
fn ask_to_share(app: &mut App, what: ShareWhat) {
    let (who, after) = match app.partner() {
        Some(partner) => (
            format!(
                "{} will be able to read this entry.",
                sanitize(&partner.name)
            ),
            "You can make it private again later, but what was shared may already have been read.",
        ),
        None => (
            "Only you are in this vault now. If you invite a partner, they will be able to \
             read this entry."
                .to_owned(),
            "You can make it private again at any time before then.",
        ),
    };
    app.overlay = Some(Overlay::ConfirmShare {
        lines: vec![
            format!("{who} Share it?"),
            after.to_owned(),
            "Enter shares it. Esc keeps it private.".to_owned(),
        ],
        what,
    });
}

/// Shares what the person agreed to share.
pub(super) fn share(app: &mut App, what: ShareWhat) -> Vec<Effect> {
    let partner = app.partner().map(|p| p.name.clone());
    match (what, &mut app.screen) {
        (ShareWhat::OnScreen, Screen::Step(state)) => {
            state.visibility = Visibility::Shared;
            app.status = Some(visibility_note(Visibility::Shared, partner.as_deref()));
            Vec::new()
        }
        (ShareWhat::Saved(id), _) => app
            .session
            .as_ref()
            .and_then(|s| s.entries.iter().find(|e| e.id == id && s.is_mine(e)))
            .map(|entry| Effect::SetVisibility {
                entry: entry.clone(),
                visibility: Visibility::Shared,
            })
            .into_iter()
            .collect(),
        (ShareWhat::OnScreen, _) => Vec::new(),
    }
}

/// What the status line says after the person changed who can read the entry on
/// screen; `partner` names the other person in the vault, if there is one.
pub fn visibility_note(visibility: Visibility, partner: Option<&str>) -> String {
    match (visibility, partner) {
        (Visibility::Private, _) => "Now private: only you can ever read this entry.".to_owned(),
        (Visibility::Shared, Some(name)) => {
            format!("Now shared: {} can read this entry too.", sanitize(name))
        }
        (Visibility::Shared, None) => {
            "Now shared: a partner you invite to this vault will be able to read it.".to_owned()
        }
    }
}

fn history(app: &mut App, action: &Action) -> Vec<Effect> {
    let listed = app
        .session
        .as_ref()
        .map_or_else(Vec::new, |s| home::history(&app.workbooks, s, &app.people));
    let count = listed.len();
    let last = count.saturating_sub(1);
    let max = app.scroll_max;
    match &mut app.screen {
        Screen::History(state) => match action {
            Action::Up => state.cursor = state.cursor.saturating_sub(1),
            Action::Down => state.cursor = (state.cursor + 1).min(last),
            Action::PageUp => state.cursor = state.cursor.saturating_sub(PAGE.into()),
            Action::PageDown => state.cursor = (state.cursor + usize::from(PAGE)).min(last),
            Action::Select if count > 0 => {
                app.screen = Screen::Reading(ReadingState {
                    entry: listed[state.cursor.min(last)],
                    scroll: 0,
                    back: *state,
                });
            }
            Action::Cancel | Action::History => app.screen = Screen::Home(HomeState::default()),
            _ => {}
        },
        Screen::Reading(state) if matches!(action, Action::ToggleVisibility) => {
            let Some(session) = &app.session else {
                return Vec::new();
            };
            let Some(entry) = session.entries.get(state.entry) else {
                return Vec::new();
            };
            if !session.is_mine(entry) {
                app.status = Some("Only its author can change who can read an entry.".to_owned());
                return Vec::new();
            }
            if entry.visibility == Visibility::Private {
                let id = entry.id;
                ask_to_share(app, ShareWhat::Saved(id));
                return Vec::new();
            }
            return vec![Effect::SetVisibility {
                entry: entry.clone(),
                visibility: Visibility::Private,
            }];
        }
        Screen::Reading(state) => match action {
            Action::Cancel | Action::Select | Action::History => {
                app.screen = Screen::History(state.back);
            }
            other => scroll_by(&mut state.scroll, other, max),
        },
        _ => {}
    }
    Vec::new()
}

/// The export screen: move, tick, cycle, type the file name, confirm, write.
fn export(app: &mut App, now: DateTime<Utc>, action: Action) -> Vec<Effect> {
    let Screen::Export(state) = &mut app.screen else {
        return Vec::new();
    };
    let last = state.rows.len().saturating_sub(1);
    let on = state.rows.get(state.cursor).cloned();
    match action {
        Action::Cancel if state.confirming => state.confirming = false,
        Action::Cancel => app.screen = Screen::Home(HomeState::default()),
        Action::Select if state.confirming => return write_export(app, now),
        Action::Up | Action::Back => state.cursor = state.cursor.saturating_sub(1),
        Action::Down | Action::Next => state.cursor = (state.cursor + 1).min(last),
        Action::PageDown => state.preview_scroll = state.preview_scroll.saturating_add(PAGE),
        Action::PageUp => state.preview_scroll = state.preview_scroll.saturating_sub(PAGE),
        Action::Char(c) if on == Some(Row::Path) => state.path.push_str(&c.to_string()),
        Action::Paste(text) if on == Some(Row::Path) => state.path.push_str(&text),
        Action::Backspace if on == Some(Row::Path) => state.path.backspace(),
        Action::Select if on == Some(Row::Path) => state.cursor = last,
        Action::Select if on == Some(Row::Write) => state.confirming = true,
        // The preview is plain text whatever the format, so only what goes in remakes it.
        Action::Left | Action::Right if on == Some(Row::Format) => state.cycle_format(),
        Action::Left | Action::Right if on == Some(Row::Period) => {
            state.toggle();
            refresh_preview(app, now);
        }
        Action::Toggle | Action::Select => {
            state.toggle();
            refresh_preview(app, now);
        }
        _ => {}
    }
    Vec::new()
}

/// Remakes the export screen's preview from its choices.
fn refresh_preview(app: &mut App, now: DateTime<Utc>) {
    let (Screen::Export(state), Some(session)) = (&app.screen, &app.session) else {
        return;
    };
    let preview = export_document(app, session, state, now, crate::export::Format::Text);
    if let Screen::Export(state) = &mut app.screen {
        state.preview = preview;
    }
}

fn write_export(app: &mut App, now: DateTime<Utc>) -> Vec<Effect> {
    let (Screen::Export(state), Some(session)) = (&app.screen, &app.session) else {
        return Vec::new();
    };
    let contents = export_document(app, session, state, now, state.format);
    vec![Effect::WriteExport {
        path: state.path(),
        contents,
    }]
}

/// The document the export screen describes, in `format`.
pub fn export_document(
    app: &App,
    session: &super::Session,
    state: &ExportState,
    now: DateTime<Utc>,
    format: crate::export::Format,
) -> String {
    let selection = state.selection(session, None, now, app.offset);
    let entries: Vec<crate::domain::Entry> = home::history(&app.workbooks, session, &app.people)
        .into_iter()
        .map(|i| session.entries[i].clone())
        .collect();
    let doc = crate::export::Document {
        me: session.person.clone(),
        partner: app.partner().cloned(),
        generated: now,
        offset: app.offset,
        entries: &entries,
        selection: &selection,
    };
    crate::export::render(&doc, format)
}
