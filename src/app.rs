//! The state machine: every screen, every flow, and no IO.
//!
//! `App::update(now, action)` changes state and returns the [`Effect`]s the driver
//! must carry out (derive a key, save a draft, lock). Results come back as actions.
//! Time comes in as an argument; nothing here reads a clock, touches the disk, or
//! imports the terminal, so every flow is testable as a script of actions.

pub mod export_screen;
pub mod fields;
pub mod home;
pub mod passphrase;
pub mod step;

mod flows;

pub use flows::export_document;

use age::secrecy::SecretString;
use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

use crate::access::Reader;
use crate::content::{Broken, Workbook};
use crate::domain::{Draft, Entry, FileProblem, Person, PersonId, Profile};
use crate::editor::EditInput;

pub use fields::{LineField, SecretField};
pub use home::{HomeRow, HomeState, Progress};
pub use passphrase::{PassField, PassphraseMode, PassphraseState, RecoveryScreen};
pub use step::StepState;

/// How long without a keypress before mend locks itself, unless configured.
pub const DEFAULT_IDLE_LOCK: TimeDelta = TimeDelta::minutes(5);

/// Everything a person can ask for, named. The keymap turns keys into these.
#[derive(Clone)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Left,
    Right,
    /// Enter: choose, confirm, go on.
    Select,
    /// Space in a list: tick or untick.
    Toggle,
    Digit(u8),
    /// Tab: the next step or field.
    Next,
    /// Shift-Tab: the previous step or field.
    Back,
    /// Esc: leave this screen or close the overlay.
    Cancel,
    Skip,
    NotReady,
    ToggleVisibility,
    Continue,
    History,
    /// The check-in trends screen.
    Trends,
    /// The export screen.
    Export,
    /// Invite a partner to make their own profile in this vault.
    AddPartner,
    /// Save, lock, and pass the keyboard to the other partner.
    HandOver,
    /// Change the passphrase (home).
    ChangePassphrase,
    /// Make a new recovery code (home).
    NewRecoveryCode,
    /// "I forgot my passphrase": use the recovery code (unlock screen).
    Forgot,
    Help,
    Support,
    /// Blank the screen to a neutral view and lock at once.
    Hide,
    Quit,
    /// A typed character in a one-line field.
    Char(char),
    Backspace,
    /// A key for the answer editor.
    Edit(EditInput),
    Paste(String),
    /// Time passing with no input (for the idle lock).
    Tick,
    /// SIGTERM or SIGHUP: save drafts, lock, leave.
    Terminate,
    /// The driver's reports.
    ProfileCreated(Result<Opened, String>),
    Unlocked(Result<Opened, String>),
    EntrySaved(Result<Entry, String>),
    VisibilityChanged(Result<Entry, String>),
    ExportWritten(Result<std::path::PathBuf, String>),
    DraftSaveFailed(String),
    PassphraseChanged(Result<(), String>),
    RecoveryCodeMade(Result<SecretString, String>),
    /// A draft could not be written, so quitting would lose it.
    QuitBlocked(String),
}

/// What the app needs the driver to do.
pub enum Effect {
    CreateProfile {
        name: String,
        passphrase: SecretString,
        /// Private settings to keep from the start (the role chosen, if any).
        profile: Profile,
    },
    Unlock {
        person: PersonId,
        passphrase: SecretString,
    },
    /// Unlock whoever of the people missing from the list `passphrase` opens, and put
    /// them back on it.
    UnlockMissing {
        passphrase: SecretString,
    },
    /// Change the unlocked person's passphrase, after checking `current`.
    ChangePassphrase {
        current: SecretString,
        new: SecretString,
    },
    /// Make (or replace) the unlocked person's recovery code.
    MakeRecoveryCode,
    /// Replace a forgotten passphrase using the recovery code, then unlock.
    Recover {
        person: PersonId,
        code: SecretString,
        new: SecretString,
    },
    SaveDraft(Draft),
    /// Save the entry, then delete the draft with the same id.
    SaveEntry(Entry),
    /// Write an export the person asked for, never over an existing file.
    WriteExport {
        path: std::path::PathBuf,
        contents: String,
    },
    /// Re-encrypt one of the person's own entries as private or shared.
    SetVisibility {
        entry: Entry,
        visibility: crate::content::Visibility,
    },
    /// Forget the unlocked person's keys.
    Lock,
    /// Leave; unless `force`, the driver first writes any draft still pending and
    /// reports `QuitBlocked` if it cannot.
    Quit {
        force: bool,
    },
}

/// A person unlocked, and what the vault held for them.
#[derive(Clone)]
pub struct Opened {
    pub person: Person,
    pub people: Vec<Person>,
    /// People with a key file who are still not on the list (see [`App::missing`]).
    pub missing: usize,
    pub entries: Vec<Entry>,
    pub drafts: Vec<Draft>,
    pub profile: Profile,
    pub problems: Vec<FileProblem>,
}

/// The unlocked person's words, in memory only while they are unlocked.
pub struct Session {
    pub person: Person,
    /// Newest first.
    pub entries: Vec<Entry>,
    pub drafts: Vec<Draft>,
    /// Private settings: the role chosen in each workbook.
    pub profile: Profile,
}

impl Session {
    /// This person reading, with `people` the vault's people (see `access`).
    pub fn reader<'a>(&'a self, people: &'a [Person]) -> Reader<'a> {
        Reader::new(&self.person.id, people)
    }

    /// Whether `entry` is one this person wrote.
    pub fn is_mine(&self, entry: &Entry) -> bool {
        self.reader(&[]).is_mine(entry)
    }
}

/// Who a partner note is for: the person inviting, or the person joining.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteFor {
    Inviter,
    Joiner,
}

/// What follows the curtain when the next person presses Enter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterCurtain {
    /// A new partner makes their profile.
    NewPartner,
    /// This person unlocks.
    Unlock { selected: usize },
}

/// The neutral screen between two people's turns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurtainState {
    /// Who should take the keyboard, by name; `None` for a partner not yet in the vault.
    pub next_name: Option<String>,
    pub after: AfterCurtain,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateField {
    Name,
    Passphrase,
    Repeat,
}

#[derive(Debug)]
pub struct CreateState {
    pub name: LineField,
    pub passphrase: SecretField,
    pub repeat: SecretField,
    pub focus: CreateField,
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct UnlockState {
    pub selected: usize,
    pub passphrase: SecretField,
    pub error: Option<String>,
}

/// The optional last step of a new profile: which role describes this person.
#[derive(Debug)]
pub struct RoleState {
    pub name: String,
    pub passphrase: SecretString,
    /// The workbook whose roles are offered.
    pub workbook: usize,
    /// Index into that workbook's roles; one past the end is "prefer not to say".
    pub selected: usize,
}

/// Where a slow operation returns to if it fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BusyReturn {
    Unlock {
        selected: usize,
    },
    Create {
        name: String,
    },
    /// The passphrase change form (its driver report says where to go).
    Passphrase,
    /// The recovery form at the unlock screen.
    Recover {
        selected: usize,
    },
    /// Home (its driver report says where to go).
    Home,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusyState {
    pub message: String,
    pub back: BusyReturn,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryState {
    pub cursor: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadingState {
    /// Index into the session's entries (newest first).
    pub entry: usize,
    pub scroll: u16,
    pub back: HistoryState,
}

/// Each screen owns its state.
pub enum Screen {
    Welcome,
    CreateProfile(CreateState),
    ChooseRole(RoleState),
    Unlock(UnlockState),
    Busy(BusyState),
    Home(HomeState),
    Step(Box<StepState>),
    History(HistoryState),
    Reading(ReadingState),
    /// Check-in numbers over time.
    Trends(crate::trends::Range),
    /// Choosing, previewing and writing a counselling summary.
    Export(Box<export_screen::ExportState>),
    /// A private note before couple exercises (see the safety notes in DESIGN.md).
    PartnerNote(NoteFor),
    /// Between turns: nothing of the last person's is on it.
    Curtain(CurtainState),
    /// The quick-hide curtain: nothing on it says what mend is or who was here.
    Hidden,
    /// Changing a passphrase, or replacing a forgotten one with the recovery code.
    Passphrase(PassphraseState),
    /// Offering, and then showing once, a recovery code.
    Recovery(RecoveryScreen),
}

/// At most one overlay sits above the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Support {
        scroll: u16,
    },
    Notice {
        title: String,
        lines: Vec<String>,
    },
    /// "Sam will be able to read this entry. Share it?": sharing is always asked once.
    ConfirmShare {
        lines: Vec<String>,
        what: ShareWhat,
    },
}

/// What a share confirmation would share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareWhat {
    /// The exercise being answered, once it is saved.
    OnScreen,
    /// A saved entry of this person's.
    Saved(crate::domain::EntryId),
}

/// Which key table applies right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyContext {
    Welcome,
    CreateProfile,
    ChooseRole,
    Unlock,
    Busy,
    Home,
    /// Home when two people share the vault.
    HomeCouple,
    History,
    Reading,
    PartnerNote,
    Curtain,
    Trends,
    Export,
    /// The export screen with the file name field focused: keys type.
    ExportPath,
    StepText,
    StepChoice,
    StepScale,
    StepReflect,
    StepClosing,
    Hidden,
    Overlay,
    /// A question before an entry is shared.
    ConfirmShare,
    /// The passphrase change or recovery form: keys type.
    Passphrase,
    RecoveryOffer,
    RecoveryShow,
}

pub struct App {
    pub workbooks: Vec<Workbook>,
    /// Workbook files that could not be loaded; home names them.
    pub broken: Vec<Broken>,
    /// People whose key file is here but whose name is not on the list (`vault.toml`
    /// was lost with its copy, or a profile was being made when mend stopped): the
    /// unlock screen offers them a way back in.
    pub missing: usize,
    pub people: Vec<Person>,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub session: Option<Session>,
    /// One line of feedback under the screen, cleared by the next keypress.
    pub status: Option<String>,
    pub last_activity: DateTime<Utc>,
    pub idle_lock: TimeDelta,
    /// The person was told quitting now would lose a draft; the next quit goes anyway.
    pub quit_warned: bool,
    /// Where an export goes unless the person types another path (their home folder).
    pub export_folder: std::path::PathBuf,
    /// The local UTC offset dates are shown in, read once by the driver.
    pub offset: FixedOffset,
    /// How far the text scrolling on screen can go, measured by the shell at each draw
    /// (it knows the window and the wrapping), so scrolling stops at the end.
    pub scroll_max: u16,
    pub should_quit: bool,
}

/// Where someone arrives: the welcome in a new vault, otherwise the unlock screen
/// (also when everyone's name was lost but their key files are here).
fn start_screen(people: &[Person], missing: usize) -> Screen {
    if people.is_empty() && missing == 0 {
        Screen::Welcome
    } else {
        Screen::Unlock(UnlockState::default())
    }
}

impl App {
    /// Where someone arrives now: see [`start_screen`].
    pub fn start_screen(&self) -> Screen {
        start_screen(&self.people, self.missing)
    }

    /// Tells a fresh app that `missing` people have key files but are not on the list.
    pub fn note_missing(&mut self, missing: usize) {
        self.missing = missing;
        if matches!(self.screen, Screen::Welcome) {
            self.screen = self.start_screen();
        }
    }

    /// A fresh app: the welcome on first run, otherwise the unlock screen.
    pub fn new(workbooks: Vec<Workbook>, people: Vec<Person>, now: DateTime<Utc>) -> Self {
        let screen = start_screen(&people, 0);
        Self {
            workbooks,
            broken: Vec::new(),
            people,
            missing: 0,
            screen,
            overlay: None,
            session: None,
            status: None,
            last_activity: now,
            idle_lock: DEFAULT_IDLE_LOCK,
            quit_warned: false,
            offset: FixedOffset::east_opt(0).expect("zero is a valid offset"),
            scroll_max: u16::MAX,
            export_folder: std::path::PathBuf::from("."),
            should_quit: false,
        }
    }

    pub fn key_context(&self) -> KeyContext {
        match self.overlay {
            Some(Overlay::ConfirmShare { .. }) => return KeyContext::ConfirmShare,
            Some(_) => return KeyContext::Overlay,
            None => {}
        }
        self.key_context_of_screen()
    }

    /// The key context of the screen itself, ignoring any overlay above it.
    pub fn key_context_of_screen(&self) -> KeyContext {
        match &self.screen {
            Screen::Welcome => KeyContext::Welcome,
            Screen::CreateProfile(_) => KeyContext::CreateProfile,
            Screen::ChooseRole(_) => KeyContext::ChooseRole,
            Screen::Unlock(_) => KeyContext::Unlock,
            Screen::Busy(_) => KeyContext::Busy,
            Screen::Home(_) if self.people.len() > 1 => KeyContext::HomeCouple,
            Screen::Home(_) => KeyContext::Home,
            Screen::PartnerNote(_) => KeyContext::PartnerNote,
            Screen::Trends(_) => KeyContext::Trends,
            Screen::Export(state)
                if matches!(state.rows.get(state.cursor), Some(export_screen::Row::Path))
                    && !state.confirming =>
            {
                KeyContext::ExportPath
            }
            Screen::Export(_) => KeyContext::Export,
            Screen::Curtain(_) => KeyContext::Curtain,
            Screen::History(_) => KeyContext::History,
            Screen::Reading(_) => KeyContext::Reading,
            Screen::Hidden => KeyContext::Hidden,
            Screen::Passphrase(_) => KeyContext::Passphrase,
            Screen::Recovery(RecoveryScreen::Offer { .. }) => KeyContext::RecoveryOffer,
            Screen::Recovery(RecoveryScreen::Show { .. }) => KeyContext::RecoveryShow,
            Screen::Step(s) => match s.step().map(|s| &s.kind) {
                None => KeyContext::StepClosing,
                Some(crate::content::StepKind::Text { .. }) => KeyContext::StepText,
                Some(crate::content::StepKind::Scale { .. }) => KeyContext::StepScale,
                Some(crate::content::StepKind::Reflect) => KeyContext::StepReflect,
                Some(_) => KeyContext::StepChoice,
            },
        }
    }

    /// Says, before anyone unlocks, that the vault's permissions had been loosened (and
    /// were tightened again): someone or something let other accounts open its files.
    pub fn warn_loosened(
        &mut self,
        loosened: &[std::path::PathBuf],
        still_open: &[std::path::PathBuf],
    ) {
        if loosened.is_empty() {
            return;
        }
        let done = if still_open.is_empty() {
            "mend has set them back to owner-only.".to_owned()
        } else {
            format!(
                "mend could not set {} of them back (the first is {}): make them owner-only yourself (chmod 700 for folders, 600 for files).",
                still_open.len(),
                still_open[0].display()
            )
        };
        let mut lines = vec![
            "Some of mend's folders or files could be opened by other accounts on this computer: their permissions had been loosened, perhaps by a copy, a backup or a sync tool.".to_owned(),
            format!("{done} Your answers are encrypted, so those files alone do not reveal them. If you did not expect this, it may be worth checking who else can use this computer."),
        ];
        lines.extend(
            loosened
                .iter()
                .take(3)
                .map(|p| format!("  {}", p.display())),
        );
        if loosened.len() > 3 {
            lines.push(format!("  and {} more", loosened.len() - 3));
        }
        self.overlay = Some(Overlay::Notice {
            title: "mend's files were open to others".to_owned(),
            lines,
        });
    }

    /// Says, before anyone unlocks, what opening the vault had to repair (`vault.toml`
    /// put back from its copy), after any other notice already up.
    pub fn warn_repaired(&mut self, message: String) {
        match &mut self.overlay {
            Some(Overlay::Notice { lines, .. }) => lines.push(message),
            _ => {
                self.overlay = Some(Overlay::Notice {
                    title: "mend repaired its list of people".to_owned(),
                    lines: vec![message],
                });
            }
        }
    }

    /// The person unlocked now, if any.
    pub fn person(&self) -> Option<&Person> {
        self.session.as_ref().map(|s| &s.person)
    }

    /// Applies one action and returns what the driver must do.
    pub fn update(&mut self, now: DateTime<Utc>, action: Action) -> Vec<Effect> {
        match action {
            Action::Tick => return self.on_tick(now),
            Action::Terminate => return self.quit(now),
            Action::ProfileCreated(result) | Action::Unlocked(result) => {
                return self.on_opened(result);
            }
            Action::EntrySaved(result) => return self.on_entry_saved(result),
            Action::ExportWritten(result) => {
                self.on_export_written(result);
                return Vec::new();
            }
            Action::VisibilityChanged(result) => {
                self.on_visibility_changed(result);
                return Vec::new();
            }
            Action::DraftSaveFailed(message) => {
                self.on_draft_save_failed(message);
                return Vec::new();
            }
            Action::PassphraseChanged(result) => {
                passphrase::on_changed(self, result);
                return Vec::new();
            }
            Action::RecoveryCodeMade(result) => {
                passphrase::on_code_made(self, result);
                return Vec::new();
            }
            Action::QuitBlocked(message) => {
                self.should_quit = false;
                self.quit_warned = true;
                // The keys are already gone: the next step is to unlock again.
                self.screen = Screen::Unlock(UnlockState::default());
                self.overlay = Some(Overlay::Notice {
                    title: "A draft could not be written yet".to_owned(),
                    lines: vec![
                        message,
                        "It is kept in memory, encrypted, and nothing is lost while mend stays open. Free some space (or fix the folder), then quit again to write it.".to_owned(),
                        "To leave anyway and lose that draft, quit once more.".to_owned(),
                    ],
                });
                return Vec::new();
            }
            _ => {}
        }
        self.last_activity = now;
        self.status = None;
        match action {
            Action::Hide => return self.hide(now),
            Action::Quit => return self.quit(now),
            Action::Help => {
                self.toggle_overlay(Overlay::Help { scroll: 0 });
                return Vec::new();
            }
            Action::Support => {
                self.toggle_overlay(Overlay::Support { scroll: 0 });
                return Vec::new();
            }
            _ => {}
        }
        if let Some(Overlay::ConfirmShare { what, .. }) = &self.overlay {
            let what = *what;
            return match action {
                Action::Select => {
                    self.overlay = None;
                    flows::share(self, what)
                }
                Action::Cancel => {
                    self.overlay = None;
                    self.status = Some("Nothing was shared: it stays private.".to_owned());
                    Vec::new()
                }
                _ => Vec::new(),
            };
        }
        if let Some(overlay) = &mut self.overlay {
            if flows::overlay(overlay, &action, self.scroll_max) {
                self.overlay = None;
            }
            return Vec::new();
        }
        flows::screen(self, now, action)
    }

    fn toggle_overlay(&mut self, overlay: Overlay) {
        let same = matches!(
            (&self.overlay, &overlay),
            (Some(Overlay::Help { .. }), Overlay::Help { .. })
                | (Some(Overlay::Support { .. }), Overlay::Support { .. })
        );
        self.overlay = if same { None } else { Some(overlay) };
    }

    /// The draft of the exercise on screen, to save before leaving it.
    fn draft_on_screen(&mut self, now: DateTime<Utc>) -> Option<Effect> {
        let Screen::Step(step) = &self.screen else {
            return None;
        };
        let session = self.session.as_mut()?;
        let draft = step.to_draft(&session.person.id, now);
        remember_draft(session, &draft);
        Some(Effect::SaveDraft(draft))
    }

    fn lock(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let mut effects: Vec<Effect> = self.draft_on_screen(now).into_iter().collect();
        if self.session.take().is_some() {
            effects.push(Effect::Lock);
        }
        self.overlay = None;
        effects
    }

    fn hide(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let effects = self.lock(now);
        self.screen = Screen::Hidden;
        self.status = None;
        effects
    }

    fn quit(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let mut effects = self.lock(now);
        effects.push(Effect::Quit {
            force: self.quit_warned,
        });
        self.should_quit = true;
        effects
    }

    fn on_tick(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if now - self.last_activity < self.idle_lock {
            return Vec::new();
        }
        if self.session.is_none() {
            self.forget_typed_secrets();
            return Vec::new();
        }
        let effects = self.lock(now);
        let selected = self.selected_person_index();
        self.screen = Screen::Unlock(UnlockState {
            selected,
            ..UnlockState::default()
        });
        self.status = Some(format!(
            "Locked after {} minutes idle. Anything unfinished was kept as a draft.",
            self.idle_lock.num_minutes()
        ));
        effects
    }

    /// Left alone with a passphrase typed but not used (or a new profile waiting on its
    /// role question), the screen goes back to the start and the passphrase is wiped.
    fn forget_typed_secrets(&mut self) {
        let holding = match &self.screen {
            Screen::Unlock(state) => !state.passphrase.is_empty(),
            Screen::CreateProfile(state) => {
                !state.passphrase.is_empty() || !state.repeat.is_empty()
            }
            Screen::ChooseRole(_) => true,
            _ => false,
        };
        if holding {
            self.screen = self.start_screen();
        }
    }

    fn selected_person_index(&self) -> usize {
        self.person()
            .and_then(|p| self.people.iter().position(|q| q.id == p.id))
            .unwrap_or(0)
    }

    fn on_opened(&mut self, result: Result<Opened, String>) -> Vec<Effect> {
        let created = matches!(
            self.screen,
            Screen::Busy(BusyState {
                back: BusyReturn::Create { .. },
                ..
            })
        );
        match result {
            Ok(opened) => {
                let problems = opened.problems;
                self.people = opened.people;
                self.missing = opened.missing;
                let mut entries = opened.entries;
                entries.sort_by_key(|e| std::cmp::Reverse(e.updated));

                self.status = Some(format!(
                    "Welcome, {}. Everything here is encrypted on this computer.",
                    opened.person.name
                ));
                self.session = Some(Session {
                    person: opened.person,
                    entries,
                    drafts: opened.drafts,
                    profile: opened.profile,
                });
                self.screen = if created {
                    // A new profile's first screen: the one chance to make a second way in.
                    Screen::Recovery(RecoveryScreen::Offer { first_time: true })
                } else {
                    Screen::Home(HomeState::default())
                };
                if !problems.is_empty() {
                    self.overlay = Some(Overlay::Notice {
                        title: "Some files needed attention".to_owned(),
                        lines: problems
                            .iter()
                            .map(|p| format!("{}: {}", p.file.display(), p.message))
                            .collect(),
                    });
                }
            }
            Err(message) => {
                self.screen = match &self.screen {
                    Screen::Busy(BusyState {
                        back: BusyReturn::Create { name },
                        ..
                    }) => {
                        let mut field = LineField::default();
                        field.push_str(name);
                        Screen::CreateProfile(CreateState {
                            name: field,
                            passphrase: SecretField::default(),
                            repeat: SecretField::default(),
                            focus: CreateField::Passphrase,
                            error: Some(message),
                        })
                    }
                    Screen::Busy(BusyState {
                        back: BusyReturn::Unlock { selected },
                        ..
                    }) => Screen::Unlock(UnlockState {
                        selected: *selected,
                        passphrase: SecretField::default(),
                        error: Some(message),
                    }),
                    Screen::Busy(BusyState {
                        back: BusyReturn::Recover { selected },
                        ..
                    }) => {
                        let mut state = PassphraseState::new(PassphraseMode::Recover {
                            selected: *selected,
                        });
                        state.error = Some(message);
                        Screen::Passphrase(state)
                    }
                    _ => Screen::Unlock(UnlockState {
                        error: Some(message),
                        ..UnlockState::default()
                    }),
                };
            }
        }
        Vec::new()
    }

    fn on_draft_save_failed(&mut self, message: String) {
        if self.session.is_none() {
            // Locked or curtained: say nothing of anyone's drafts to whoever is here now.
            self.status =
                Some("A file could not be written yet; mend keeps it and tries again.".to_owned());
            return;
        }
        self.overlay = Some(Overlay::Notice {
            title: "Your draft could not be saved yet".to_owned(),
            lines: vec![
                message,
                "It is kept, encrypted, in memory, and mend tries again at every save. Nothing you typed is lost while mend stays open.".to_owned(),
            ],
        });
    }

    /// The other person in the vault, from the unlocked person's side.
    pub fn partner(&self) -> Option<&Person> {
        let me = self.person()?;
        self.people.iter().find(|p| p.id != me.id)
    }

    fn on_visibility_changed(&mut self, result: Result<Entry, String>) {
        let partner = self.partner().map(|p| crate::text::sanitize(&p.name));
        match result {
            Ok(entry) => {
                self.status = Some(match (entry.visibility, partner) {
                    (crate::content::Visibility::Shared, Some(partner)) => {
                        format!("Shared: {partner} can now read this entry.")
                    }
                    (crate::content::Visibility::Shared, None) => {
                        "Shared: a partner you invite to this vault will be able to read it."
                            .to_owned()
                    }
                    (crate::content::Visibility::Private, Some(partner)) => format!(
                        "Private again. {partner} can no longer open it, but may already have read it."
                    ),
                    (crate::content::Visibility::Private, None) => {
                        "Private again: only you can read it.".to_owned()
                    }
                });
                if let Some(session) = self.session.as_mut()
                    && let Some(slot) = session.entries.iter_mut().find(|e| e.id == entry.id)
                {
                    *slot = entry;
                }
            }
            Err(message) => {
                self.overlay = Some(Overlay::Notice {
                    title: "That change could not be saved".to_owned(),
                    lines: vec![message, "The entry is as it was.".to_owned()],
                });
            }
        }
    }

    fn on_export_written(&mut self, result: Result<std::path::PathBuf, String>) {
        match result {
            Ok(path) => {
                self.screen = Screen::Home(HomeState::default());
                self.status = Some(format!("Wrote '{}' (not encrypted).", path.display()));
            }
            Err(message) => {
                if let Screen::Export(state) = &mut self.screen {
                    state.confirming = false;
                }
                self.overlay = Some(Overlay::Notice {
                    title: "The summary was not written".to_owned(),
                    lines: vec![message],
                });
            }
        }
    }

    /// Locks and shows the curtain for the next person.
    fn hand_over(&mut self, now: DateTime<Utc>, curtain: CurtainState) -> Vec<Effect> {
        let effects = self.lock(now);
        self.screen = Screen::Curtain(curtain);
        self.status = None;
        effects
    }

    fn on_entry_saved(&mut self, result: Result<Entry, String>) -> Vec<Effect> {
        let partner = self
            .partner()
            .map(|p| crate::text::sanitize(&p.name).into_owned());
        match result {
            Ok(entry) => {
                let Some(session) = self.session.as_mut() else {
                    return Vec::new();
                };
                session.drafts.retain(|d| d.entry.id != entry.id);
                session.entries.retain(|e| e.id != entry.id);
                self.status = Some(match entry.visibility {
                    crate::content::Visibility::Private => {
                        "Saved and encrypted. Only you can ever read it.".to_owned()
                    }
                    crate::content::Visibility::Shared => match partner {
                        Some(name) => {
                            format!("Saved and encrypted, marked shared: {name} can read it too.")
                        }
                        None => "Saved and encrypted, marked shared: a partner you invite to \
                                 this vault will be able to read it."
                            .to_owned(),
                    },
                });
                let cursor = home::cursor_after(
                    &self.workbooks,
                    &home::rows(&self.workbooks, session),
                    &entry,
                );
                session.entries.insert(0, entry);
                self.screen = Screen::Home(HomeState { cursor });
            }
            Err(message) => {
                self.overlay = Some(Overlay::Notice {
                    title: "Your answers could not be saved".to_owned(),
                    lines: vec![
                        message,
                        "Nothing is lost: your answers are still here. Press Enter on the last page to try again.".to_owned(),
                    ],
                });
            }
        }
        Vec::new()
    }
}

/// Keeps the in-memory drafts in step with what was just sent to the vault.
fn remember_draft(session: &mut Session, draft: &Draft) {
    session.drafts.retain(|d| d.entry.id != draft.entry.id);
    session.drafts.push(draft.clone());
}
