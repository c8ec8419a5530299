//! The state machine: every screen, every flow, and no IO.
//!
//! [`App::update`] takes one [`Action`] at a [`Moment`] (the time, and a fresh id should
//! the action start an entry: nothing here reads a clock or draws randomness) and
//! returns the [`Effect`]s the driver must carry out (derive a key, save a draft,
//! lock). Results come back as actions, errors typed, each carrying where to go next.
//!
//! `update` applies the rules that hold everywhere (hide, quit, help, the idle lock,
//! overlays) and otherwise routes the action to the screen on top: each screen's state
//! has its own `update(ctx, action) -> Transition` (see `transition`), reading the rest
//! of the app through a [`Ctx`]. Nothing here touches the disk or imports the terminal,
//! so every flow is testable as a script of actions.

pub mod export_screen;
pub mod fields;
pub mod history;
pub mod home;
pub mod passphrase;
pub mod profile;
pub mod search;
pub mod step;
pub mod ticks;
pub mod transition;
pub mod unlock;

mod messages;
mod reports;

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

use crate::access::Reader;
use crate::content::{Broken, Workbook};
use crate::domain::{Draft, Entry, Person, Profile};
use crate::search::Corpus;

pub use export_screen::export_document;
pub use fields::{LineField, SecretField};
pub use history::{Back, Found, HistoryState, Mark, ReadingState};
pub use home::{HomeRow, HomeState, Progress};
pub use messages::{Action, BackTo, Effect, Failed, Failure, Moment, Opened};
pub use passphrase::{PassField, PassphraseMode, PassphraseState, RecoveryScreen};
pub use profile::{CreateField, CreateState, RoleState};
pub use search::{Origin, SearchState};
pub use step::{Place, StepState};
pub use transition::{Ctx, Transition};
pub use unlock::{AfterCurtain, CurtainState, NoteFor, UnlockState};

/// How long without a keypress before mend locks itself, unless configured.
pub const DEFAULT_IDLE_LOCK: TimeDelta = TimeDelta::minutes(5);

/// Scroll step for Page Up / Page Down, in lines.
pub(crate) const PAGE: u16 = 10;

/// The unlocked person's words, in memory only while they are unlocked.
pub struct Session {
    pub person: Person,
    /// Newest first.
    pub entries: Vec<Entry>,
    pub drafts: Vec<Draft>,
    /// Private settings: the role chosen in each workbook.
    pub profile: Profile,
    /// What search looks through: built at the first search after the entries last
    /// changed (never per keypress), wiped with the session.
    corpus: OnceCell<Corpus>,
    /// Home's rows with their progress, and the entries history lists: derived when the
    /// entries, drafts or profile change (see [`Session::changed`]), never per key.
    rows: OnceCell<Vec<HomeRow>>,
    visible: OnceCell<Vec<usize>>,
    togethers: OnceCell<home::Togethers>,
    from_partner: OnceCell<bool>,
    shared_by_me: OnceCell<usize>,
    /// Every check-in charted over all time, for the trends screen.
    trends: OnceCell<Vec<crate::trends::Charted>>,
}

impl Session {
    pub fn new(person: Person, entries: Vec<Entry>, drafts: Vec<Draft>, profile: Profile) -> Self {
        Self {
            person,
            entries,
            drafts,
            profile,
            corpus: OnceCell::new(),
            rows: OnceCell::new(),
            visible: OnceCell::new(),
            togethers: OnceCell::new(),
            from_partner: OnceCell::new(),
            shared_by_me: OnceCell::new(),
            trends: OnceCell::new(),
        }
    }

    /// Where each together exercise stands with `partner` (who is the same for the whole
    /// session), once per change.
    pub fn togethers(&self, partner: &crate::domain::PersonId) -> &home::Togethers {
        self.togethers
            .get_or_init(|| home::Togethers::of(self, partner))
    }

    /// Home's rows, as [`home::rows`] derives them, once per change.
    pub fn home_rows(&self, workbooks: &[Workbook]) -> &[HomeRow] {
        self.rows.get_or_init(|| home::rows(workbooks, self))
    }

    /// The entries this person may see, newest first (history's list), once per change.
    pub fn visible(&self, workbooks: &[Workbook], people: &[Person]) -> &[usize] {
        self.visible
            .get_or_init(|| self.reader(people).may_see(workbooks, &self.entries))
    }

    /// Whether any entry is one a partner shared (history says when one's earlier
    /// entries will appear while there is none), once per change.
    pub fn any_from_partner(&self, people: &[Person]) -> bool {
        *self
            .from_partner
            .get_or_init(|| self.reader(people).any_from_partner(&self.entries))
    }

    /// How many of this person's entries are shared (the invitation says what a partner
    /// will be able to read), once per change.
    pub fn shared_by_me(&self, people: &[Person]) -> usize {
        *self
            .shared_by_me
            .get_or_init(|| self.reader(people).shared_by_me(&self.entries))
    }

    /// Every check-in this person may read, charted over all time for them and their
    /// partner, once per change: the trends screen draws a period as a slice of it.
    pub fn trends(&self, workbooks: &[Workbook], people: &[Person]) -> &[crate::trends::Charted] {
        self.trends.get_or_init(|| {
            let me = &self.person.id;
            let partner = people.iter().find(|p| &p.id != me).map(|p| &p.id);
            crate::trends::all_time(workbooks, &self.entries, self.reader(people), me, partner)
        })
    }

    /// Everything this person may read, folded for search; see [`Corpus`].
    pub fn corpus(&self, workbooks: &[Workbook], people: &[Person]) -> &Corpus {
        self.corpus
            .get_or_init(|| Corpus::build(&self.entries, self.visible(workbooks, people)))
    }

    /// The entries, drafts or profile changed: what is derived from them (home's rows,
    /// history's list, search's corpus, together status, what is shared, the check-in
    /// charts) is derived again when next needed. Every change to them goes through
    /// here.
    fn changed(&mut self) {
        self.corpus = OnceCell::new();
        self.rows = OnceCell::new();
        self.visible = OnceCell::new();
        self.togethers = OnceCell::new();
        self.from_partner = OnceCell::new();
        self.shared_by_me = OnceCell::new();
        self.trends = OnceCell::new();
    }

    /// This person reading, with `people` the vault's people (see `access`).
    pub fn reader<'a>(&'a self, people: &'a [Person]) -> Reader<'a> {
        Reader::new(&self.person.id, people)
    }

    /// Whether `entry` is one this person wrote.
    pub fn is_mine(&self, entry: &Entry) -> bool {
        self.reader(&[]).is_mine(entry)
    }

    /// Keeps the in-memory drafts in step with what was just sent to the vault.
    fn remember(&mut self, draft: &Draft) {
        self.drafts.retain(|d| d.entry.id != draft.entry.id);
        self.drafts.push(draft.clone());
        self.changed();
    }
}

/// Each screen owns its state.
pub enum Screen {
    Welcome,
    CreateProfile(CreateState),
    ChooseRole(RoleState),
    Unlock(UnlockState),
    /// Waiting for slow work (a key derivation); the work's report says where next.
    Busy(String),
    Home(HomeState),
    Step(Box<StepState>),
    History(HistoryState),
    /// Finding entries by their words: the query line and what it finds.
    Search(Box<SearchState>),
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
    /// Enter sends [`Action::ShareConfirmed`] to the screen that asked.
    ConfirmShare {
        lines: Vec<String>,
    },
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
    /// Home while a workbook is being tried (`mend try`): no partner, and `v` views it
    /// as another role.
    HomeTrying,
    History,
    /// The search screen: keys type into the query.
    Search,
    Reading,
    /// Reading a partner's entry: only its author can share or unshare it.
    ReadingPartner,
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

/// What the shell measured when it last drew the app, handed back through
/// [`App::laid_out`]: the model owns its layout facts, the shell only measures them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// How far the text on screen can scroll (it depends on the window and wrapping).
    pub scroll_max: u16,
    /// The window is too small to draw: only the "too small" notice is on screen, so
    /// keys other than quit and hide are ignored rather than acting unseen.
    pub too_small: bool,
    /// Where the rows a click can choose were drawn: a list's rows, a step's options.
    pub targets: Vec<Target>,
    /// Where a search's matches fell in the entry being read, in order.
    pub marks: Vec<Mark>,
    /// For an entry just opened from a search: the match to show first and the scroll
    /// that shows it (see [`Found::place`]).
    pub placed: Option<(usize, u16)>,
}

/// One row a mouse click can choose, as drawn: `pick` is what the screen calls it (a
/// home row, an entry in history, an option of a step, a role).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub pick: usize,
}

impl Target {
    fn holds(&self, column: u16, row: u16) -> bool {
        row == self.y && column >= self.x && column < self.x.saturating_add(self.width)
    }
}

/// How long typing pauses before an export preview is made again.
pub const PREVIEW_PAUSE: std::time::Duration = std::time::Duration::from_millis(120);

/// The whole app. Built with [`App::new`] and the `with_*` constructors, changed only
/// by [`App::update`] (and [`App::laid_out`]), read by the UI through its accessors.
pub struct App {
    workbooks: Vec<Workbook>,
    /// Workbook files that could not be loaded; home names them.
    broken: Vec<Broken>,
    /// People whose key file is here but whose name is not on the list (`vault.toml`
    /// was lost with its copy, or a profile was being made when mend stopped): the
    /// unlock screen offers them a way back in.
    missing: usize,
    people: Vec<Person>,
    screen: Screen,
    overlay: Option<Overlay>,
    session: Option<Session>,
    /// The session of a person who quit. mend is ending, so it goes back to the system
    /// with the process (see [`App::leave`]) rather than being freed entry by entry:
    /// ten years of entries take a tenth of a second to free, and a closed window
    /// should end mend at once. Dropped at once if the quit is blocked.
    leaving: Option<Session>,
    /// One line of feedback under the screen, cleared by the next keypress.
    status: Option<String>,
    last_activity: DateTime<Utc>,
    idle_lock: TimeDelta,
    /// The person was told quitting now would lose a draft; the next quit goes anyway.
    quit_warned: bool,
    /// Where an export goes unless the person types another path (their home folder).
    export_folder: PathBuf,
    /// The local UTC offset dates are shown in, read once by the driver.
    offset: FixedOffset,
    layout: Layout,
    should_quit: bool,
    /// The file being tried with `mend try`, as named on the command line: nothing is
    /// written anywhere, and `v` switches which role's view is shown.
    trying: Option<String>,
    /// Where home's cursor was when the person left it for history, trends, the export
    /// or a form: going back puts it there again, not at the top.
    home_cursor: usize,
    /// A recovery is under way: when it opens, the person is told it worked.
    recovering: bool,
    /// Counts the changes a frame could show: every action but a tick that changed
    /// nothing. The driver draws only when it moved.
    revision: u64,
}

impl App {
    /// A fresh app: the welcome on first run, otherwise the unlock screen.
    pub fn new(workbooks: Vec<Workbook>, people: Vec<Person>, now: DateTime<Utc>) -> Self {
        let screen = transition::start_screen(&people, 0);
        Self {
            workbooks,
            broken: Vec::new(),
            people,
            missing: 0,
            screen,
            overlay: None,
            session: None,
            leaving: None,
            status: None,
            last_activity: now,
            idle_lock: DEFAULT_IDLE_LOCK,
            quit_warned: false,
            offset: FixedOffset::east_opt(0).expect("zero is a valid offset"),
            layout: Layout {
                scroll_max: u16::MAX,
                too_small: false,
                targets: Vec::new(),
                marks: Vec::new(),
                placed: None,
            },
            export_folder: PathBuf::from("."),
            should_quit: false,
            trying: None,
            home_cursor: 0,
            recovering: false,
            revision: 0,
        }
    }

    /// A workbook being tried (`mend try FILE`): `file` is how the header names it.
    #[must_use]
    pub fn with_trying(mut self, file: impl Into<String>) -> Self {
        self.trying = Some(file.into());
        self
    }

    /// The file being tried, if this is `mend try`.
    pub fn trying(&self) -> Option<&str> {
        self.trying.as_deref()
    }

    /// Locks after `idle` without a keypress.
    #[must_use]
    pub fn with_idle_lock(mut self, idle: TimeDelta) -> Self {
        self.idle_lock = idle;
        self
    }

    /// Workbook files that could not be loaded, for home to name.
    #[must_use]
    pub fn with_broken(mut self, broken: Vec<Broken>) -> Self {
        self.broken = broken;
        self
    }

    /// Dates are shown at this UTC offset.
    #[must_use]
    pub fn with_offset(mut self, offset: FixedOffset) -> Self {
        self.offset = offset;
        self
    }

    /// Exports go to this folder unless the person types another path.
    #[must_use]
    pub fn with_export_folder(mut self, folder: impl Into<PathBuf>) -> Self {
        self.export_folder = folder.into();
        self
    }

    /// `missing` people have key files but are not on the list: the start is the
    /// unlock screen even if no one is.
    #[must_use]
    pub fn with_missing(mut self, missing: usize) -> Self {
        self.missing = missing;
        self.screen = transition::start_screen(&self.people, missing);
        self
    }

    pub fn workbooks(&self) -> &[Workbook] {
        &self.workbooks
    }

    pub fn broken(&self) -> &[Broken] {
        &self.broken
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// See [`App::with_missing`].
    pub fn missing(&self) -> usize {
        self.missing
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// How long without a keypress before mend locks itself.
    pub fn idle_lock(&self) -> TimeDelta {
        self.idle_lock
    }

    /// When the person last pressed a key.
    pub fn last_activity(&self) -> DateTime<Utc> {
        self.last_activity
    }

    pub fn export_folder(&self) -> &Path {
        &self.export_folder
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    /// The person unlocked now, if any.
    pub fn person(&self) -> Option<&Person> {
        self.session.as_ref().map(|s| &s.person)
    }

    /// The other person in the vault, from the unlocked person's side.
    pub fn partner(&self) -> Option<&Person> {
        let me = self.person()?;
        self.people.iter().find(|p| p.id != me.id)
    }

    /// Puts `screen` up as it is, nothing else changed: for drawing one given state
    /// (the screen tests, the hostile-content fuzz, the benches). Flows never need it:
    /// every screen is reached by actions.
    pub fn show(&mut self, screen: Screen) {
        self.screen = screen;
    }

    /// What the shell measured at its last draw. An entry opened from a search is put
    /// at its first match here, as it was drawn (see [`Found::place`]).
    pub fn laid_out(&mut self, layout: Layout) {
        if let Screen::Reading(state) = &mut self.screen
            && let Some(found) = state.found.as_mut()
            && !found.placed
        {
            if let Some(placed) = layout.placed {
                (found.at, state.scroll) = placed;
            }
            found.placed = true;
        }
        self.layout = layout;
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
            Screen::Home(_) if self.trying.is_some() => KeyContext::HomeTrying,
            Screen::Home(_) if self.people.len() > 1 => KeyContext::HomeCouple,
            Screen::Home(_) => KeyContext::Home,
            Screen::PartnerNote(_) => KeyContext::PartnerNote,
            Screen::Trends(_) => KeyContext::Trends,
            Screen::Export(state) if state.typing_in_a_field() => KeyContext::ExportPath,
            Screen::Export(_) => KeyContext::Export,
            Screen::Curtain(_) => KeyContext::Curtain,
            Screen::History(_) => KeyContext::History,
            Screen::Search(_) => KeyContext::Search,
            Screen::Reading(state) if !self.reading_own(state) => KeyContext::ReadingPartner,
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

    /// Whether the entry open for reading is this person's own.
    fn reading_own(&self, state: &history::ReadingState) -> bool {
        self.session.as_ref().is_some_and(|s| {
            s.entries
                .get(state.entry)
                .is_some_and(|e| e.author == s.person.id)
        })
    }

    /// Which change the app is at: it moves whenever something a frame shows may have
    /// changed, and only then (a tick that only checked the clock leaves it).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Applies one action and returns what the driver must do.
    ///
    /// Long on purpose: the rules that hold on every screen, in the order they apply, before the action is routed.
    pub fn update(&mut self, at: Moment, action: Action) -> Vec<Effect> {
        let now = at.now;
        if let Action::Tick = action {
            return self.tick(now);
        }
        if let Action::Work = action {
            self.work(at);
            return Vec::new();
        }
        self.revision += 1;
        match action {
            Action::Terminate => return self.quit(now),
            Action::ProfileCreated(result) => return self.on_opened(result, true),
            Action::Unlocked(result) => return self.on_opened(result, false),
            Action::EntrySaved(result) => return self.on_entry_saved(&result),
            Action::ExportWritten(result) => return self.route(at, Action::ExportWritten(result)),
            Action::VisibilityChanged(result) => {
                self.on_visibility_changed(result);
                return Vec::new();
            }
            Action::DraftSaveFailed(error) => {
                self.on_draft_save_failed(&error);
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
            Action::QuitBlocked(error) => {
                self.on_quit_blocked(&error);
                return Vec::new();
            }
            _ => {}
        }
        if self.layout.too_small && !matches!(action, Action::Hide | Action::Quit) {
            // Nothing on screen shows what a key would do: it is not taken.
            return Vec::new();
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
            Action::Click { column, row } => {
                // A click on a row drawn last frame is that row picked; anywhere else,
                // nothing (no key a person did not mean).
                let hit = self.layout.targets.iter().find(|t| t.holds(column, row));
                return match (hit.map(|t| t.pick), &self.overlay) {
                    (Some(pick), None) => self.route(at, Action::Pick(pick)),
                    _ => Vec::new(),
                };
            }
            Action::Choose(i) => {
                // A click chooses, and Enter opens; once the click has opened something
                // (it was chosen already), there is nothing for Enter to do.
                let before = std::mem::discriminant(&self.screen);
                let mut effects = self.route(at, Action::Pick(i));
                if std::mem::discriminant(&self.screen) == before && self.overlay.is_none() {
                    effects.extend(self.route(at, Action::Select));
                }
                return effects;
            }
            Action::ViewAs if self.trying.is_some() => {
                self.view_as_next_role();
                return Vec::new();
            }
            _ => {}
        }
        match &mut self.overlay {
            Some(Overlay::ConfirmShare { .. }) => match action {
                Action::Select => {
                    self.overlay = None;
                    self.route(at, Action::ShareConfirmed)
                }
                Action::Cancel => {
                    self.overlay = None;
                    self.status = Some("Nothing was shared: it stays private.".to_owned());
                    Vec::new()
                }
                _ => Vec::new(),
            },
            Some(overlay) => {
                if overlay_closes(overlay, &action, self.layout.scroll_max) {
                    self.overlay = None;
                }
                Vec::new()
            }
            None => self.route(at, action),
        }
    }

    /// Whether work is under way that [`Action::Work`] goes on with (a search being
    /// matched a slice at a time, an export preview to make again): the driver hands
    /// it over while nothing is typed.
    pub fn working(&self) -> bool {
        self.work_due(self.last_activity).is_some()
    }

    /// How long the driver waits for a key before handing over [`Action::Work`], if
    /// there is work: a search goes on at once; an export preview waits for a pause in
    /// typing ([`PREVIEW_PAUSE`]), so quick ticks in a row are never held up by it.
    pub fn work_due(&self, now: DateTime<Utc>) -> Option<std::time::Duration> {
        // Nothing to look through or preview once locked.
        self.session.as_ref()?;
        match &self.screen {
            Screen::Search(state) if state.searching() => Some(std::time::Duration::ZERO),
            Screen::Export(state) if state.preview_due() => {
                let since = (now - self.last_activity).to_std().unwrap_or_default();
                Some(PREVIEW_PAUSE.saturating_sub(since))
            }
            _ => None,
        }
    }

    /// The next slice of the work under way. Not activity (the idle lock still counts),
    /// and the revision moves only when it is done and there is something new to show.
    fn work(&mut self, at: Moment) {
        if !self.working() {
            return;
        }
        self.route(at, Action::Work);
        if !self.working() {
            self.revision += 1;
        }
    }

    /// Time passed: the idle lock, and a paused answer kept as a draft. The revision
    /// moves only if that changed what a frame shows.
    fn tick(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let seen = |app: &Self| {
            (
                std::mem::discriminant(&app.screen),
                app.session.is_some(),
                app.status.clone(),
            )
        };
        let before = seen(self);
        let effects = self.on_tick(now);
        if seen(self) != before {
            self.revision += 1;
        }
        effects
    }

    /// Hands `action` to the screen on top and applies what it asks for.
    fn route(&mut self, at: Moment, action: Action) -> Vec<Effect> {
        let ctx = Ctx {
            workbooks: &self.workbooks,
            people: &self.people,
            missing: self.missing,
            session: self.session.as_ref(),
            now: at.now,
            fresh_id: at.fresh_id,
            offset: self.offset,
            export_folder: &self.export_folder,
            scroll_max: self.layout.scroll_max,
            marks: &self.layout.marks,
        };
        let transition = match &mut self.screen {
            Screen::Welcome => profile::welcome(&action),
            Screen::CreateProfile(state) => state.update(&ctx, action),
            Screen::ChooseRole(state) => state.update(&ctx, &action),
            Screen::Unlock(state) => state.update(&ctx, action),
            Screen::Busy(_) => Transition::stay(),
            Screen::Home(state) => state.update(&ctx, &action),
            Screen::Step(state) => state.update(&ctx, action),
            Screen::History(state) => state.update(&ctx, &action),
            Screen::Search(state) => state.update(&ctx, action),
            Screen::Reading(state) => state.update(&ctx, &action),
            Screen::Trends(range) => history::trends(range, &action),
            Screen::Export(state) => state.update(&ctx, action),
            Screen::PartnerNote(note) => unlock::partner_note(*note, &action),
            Screen::Curtain(curtain) => curtain.update(&action),
            Screen::Hidden => Transition::go(ctx.start_screen()),
            Screen::Passphrase(state) => state.update(&ctx, action),
            Screen::Recovery(state) => state.update(&action),
        };
        self.apply(at.now, transition)
    }

    /// Carries out what a screen asked for.
    fn apply(&mut self, now: DateTime<Utc>, transition: Transition) -> Vec<Effect> {
        let mut effects = transition.effects;
        self.recovering |= effects.iter().any(|e| matches!(e, Effect::Recover { .. }));
        if let Some(session) = self.session.as_mut() {
            for effect in &effects {
                match effect {
                    Effect::SaveDraft(draft) => session.remember(draft),
                    Effect::SaveProfile(profile) => {
                        session.profile = profile.clone();
                        session.changed();
                    }
                    _ => {}
                }
            }
        }
        match transition.next {
            transition::Next::Stay => {}
            transition::Next::Go(mut screen) => {
                if let Screen::Home(home) = &self.screen {
                    self.home_cursor = home.cursor;
                }
                // Back from a side trip, home is as it was left. (From an exercise the
                // draft's Continue row, at the top, is the place to be.)
                if let Screen::Home(home) = &mut screen
                    && home.cursor == 0
                    && !matches!(self.screen, Screen::Home(_) | Screen::Step(_))
                {
                    home.cursor = self.home_cursor;
                }
                self.screen = screen;
            }
            transition::Next::HandOver(curtain) => {
                effects.extend(self.lock(now));
                self.screen = Screen::Curtain(curtain);
                self.status = None;
            }
        }
        if let Some(status) = transition.status {
            self.status = Some(status);
        }
        if let Some(overlay) = transition.overlay {
            self.overlay = Some(overlay);
        }
        effects
    }

    /// Trying a workbook: the next role's view of it (each role in turn, then someone
    /// who prefers not to say, then the first again), said in the status line.
    fn view_as_next_role(&mut self) {
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let Some(wb) = self.workbooks.iter().find(|w| !w.roles.is_empty()) else {
            self.status = Some("This workbook has no roles: everyone sees every step.".into());
            return;
        };
        let now = session.profile.role_in(&wb.id);
        let next = match now.and_then(|r| wb.roles.iter().position(|x| &x.id == r)) {
            None => wb.roles.first(),
            Some(i) => wb.roles.get(i + 1),
        };
        self.status = Some(if let Some(role) = next {
            session.profile.roles.insert(wb.id.clone(), role.id.clone());
            session.changed();
            format!("Now seen as: {}.", role.label)
        } else {
            session.profile.roles.remove(&wb.id);
            session.changed();
            "Now seen as someone who prefers not to say: every step shows.".to_owned()
        });
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
    /// The answer on screen, kept as a draft once typing has paused: a kill -9 or a
    /// power cut mid-answer loses at most the last couple of seconds.
    fn keep_a_paused_answer(&mut self, now: DateTime<Utc>) -> Option<Effect> {
        let Screen::Step(step) = &mut self.screen else {
            return None;
        };
        if !step.draft_due(now) {
            return None;
        }
        step.unsaved_since = None;
        self.draft_on_screen(now)
    }

    fn draft_on_screen(&mut self, now: DateTime<Utc>) -> Option<Effect> {
        let Screen::Step(step) = &self.screen else {
            return None;
        };
        if !step.worth_a_draft() {
            return None;
        }
        let session = self.session.as_mut()?;
        let draft = step.to_draft(&session.person.id, now);
        session.remember(&draft);
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
        let mut effects: Vec<Effect> = self.draft_on_screen(now).into_iter().collect();
        if let Some(session) = self.session.take() {
            self.leaving = Some(session);
            effects.push(Effect::Lock);
        }
        self.overlay = None;
        effects.push(Effect::Quit {
            force: self.quit_warned,
        });
        self.should_quit = true;
        effects
    }

    /// mend is ending: what the app holds goes back to the system with the process,
    /// not freed piece by piece. Its memory is never read again by anyone (the system
    /// clears it before it is used again), so nothing is lost by not wiping it here;
    /// the keys themselves are the shell's, and are wiped as it drops.
    pub fn leave(self) {
        std::mem::forget(self);
    }

    fn on_tick(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if now - self.last_activity < self.idle_lock {
            return self.keep_a_paused_answer(now).into_iter().collect();
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
        let minutes = match self.idle_lock.num_minutes() {
            1 => "1 minute".to_owned(),
            n => format!("{n} minutes"),
        };
        self.status = Some(format!(
            "Locked after {minutes} idle. Anything unfinished was kept as a draft."
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
            self.screen = transition::start_screen(&self.people, self.missing);
            // The same screen, emptied: drawn again so no dots of it stay on screen.
            self.revision += 1;
        }
    }

    fn selected_person_index(&self) -> usize {
        self.person()
            .and_then(|p| self.people.iter().position(|q| q.id == p.id))
            .unwrap_or(0)
    }
}

/// Handles an action while an overlay is open; returns true when it should close.
fn overlay_closes(overlay: &mut Overlay, action: &Action, max: u16) -> bool {
    if let Overlay::Help { scroll } | Overlay::Support { scroll } = overlay {
        scroll_by(scroll, action, max);
    }
    matches!(action, Action::Cancel | Action::Select)
}

/// Moves a scroll offset for Up, Down, Page Up, Page Down, Home and End, never past
/// `max`.
pub(crate) fn scroll_by(scroll: &mut u16, action: &Action, max: u16) {
    *scroll = match action {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => scroll.saturating_add(1).min(max),
        Action::PageUp => scroll.saturating_sub(PAGE),
        Action::PageDown | Action::Toggle => scroll.saturating_add(PAGE).min(max),
        Action::Home => 0,
        Action::End => max,
        _ => *scroll,
    };
}
