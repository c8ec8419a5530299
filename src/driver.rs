//! The event loop: the imperative shell around [`App`].
//!
//! It owns the terminal, the vault and the unlocked person's keys. Each turn it
//! draws, waits for a key, a paste, a signal or a tick, hands the action to
//! `App::update`, and carries out the effects that come back, feeding their results
//! in as actions. Slow effects (the key derivation) are preceded by a draw, so the
//! "Unlocking…" frame is on screen while the work runs.

use std::collections::VecDeque;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Local, Offset, TimeDelta, Utc};
use crossterm::event::{self, Event};

use crate::app::{Action, App, BackTo, Effect, Failed, Moment, Opened};
use crate::content::{Broken, Workbook};
use crate::domain::EntryId;
use crate::keymap;
use crate::platform::{self, Waited};
use crate::ui;
use crate::vault::{FileProblem, Listing, Sealed, Unlocked, Vault, VaultError};

mod plain;
mod terminal;
mod trying;
use terminal::Screen;
pub use trying::{Memory, start as start_trying, try_workbook};

/// How often the loop wakes with no input, for the idle lock and signals.
const TICK: Duration = Duration::from_millis(250);

#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("the terminal stopped working ({0}). Your saved answers and drafts are safe.")]
    Terminal(#[from] io::Error),
    #[error(
        "mend had to stop before your latest draft could be saved: {0} Entries and drafts saved before it are safe."
    )]
    DraftNotKept(VaultError),
}

/// The vault and the unlocked person's keys: what carries out the app's effects.
/// Public so tests can run whole flows against a real vault without a terminal.
pub struct Shell {
    vault: Vault,
    keys: Option<Unlocked>,
    /// Drafts sealed but not yet written (the disk refused): ciphertext only, retried
    /// before every effect and before quitting, so a full disk never costs an answer.
    pending: Vec<Sealed>,
}

/// How the workbook is shown: full screen, or as plain lines for screen readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Front {
    FullScreen,
    Plain,
}

/// Runs the workbook until the person quits or a signal asks mend to stop.
pub fn run(
    vault: Vault,
    workbooks: Vec<Workbook>,
    broken: Vec<Broken>,
    idle_lock: TimeDelta,
    front: Front,
) -> Result<(), DriverError> {
    // Every way mend is asked to end (signals, or the console's events on Windows) ends
    // it as a quit does: draft kept, terminal given back.
    let stop = Arc::new(AtomicBool::new(false));
    crate::platform::on_ending(&stop)?;
    let (mut app, mut shell) = start(vault, workbooks, broken, idle_lock);
    if front == Front::Plain {
        let result = plain::run(&mut app, &mut shell, &stop);
        app.leave();
        return result;
    }
    let mut screen = terminal::take()?;
    let result = event_loop(&mut screen, &mut app, &mut shell, &stop);
    terminal::give_back(&mut screen);
    app.leave();
    result
}

/// The app and the shell for `vault`, as every front end starts them.
fn start(
    vault: Vault,
    workbooks: Vec<Workbook>,
    broken: Vec<Broken>,
    idle_lock: TimeDelta,
) -> (App, Shell) {
    let mut app = App::new(workbooks, vault.people().to_vec(), Utc::now())
        .with_idle_lock(idle_lock)
        .with_broken(broken)
        .with_missing(vault.missing())
        .with_offset(Local::now().offset().fix());
    if let Some(dirs) = directories::UserDirs::new() {
        app = app.with_export_folder(dirs.home_dir());
    }
    app.warn_loosened(vault.loosened(), vault.still_open());
    if let Some(notice) = vault.config_notice() {
        app.warn_repaired(notice);
    }
    (app, Shell::new(vault))
}

/// Runs turns until the person quits, a signal arrives or the terminal fails. However
/// it ends, what was on screen is kept as an encrypted draft and the keys are dropped.
/// A signal or a closed window is an ordinary way to leave, so it ends cleanly unless a
/// draft could not be written.
fn event_loop(
    screen: &mut Screen,
    app: &mut App,
    shell: &mut dyn Perform,
    stop: &AtomicBool,
) -> Result<(), DriverError> {
    let ending = turns(screen, app, shell, stop);
    if let Ending::Quit = ending {
        return Ok(());
    }
    // Drawing nothing more: a closed window has nothing to draw on, and an ending
    // asked for by a signal has no one to read a last frame.
    let _ = dispatch(shell, app, Utc::now(), Action::Terminate, &mut |_| Ok(()));
    let kept = shell.write_pending().map_err(DriverError::DraftNotKept);
    // A closed console waits for this before Windows ends the program.
    crate::platform::ended();
    kept?;
    match ending {
        Ending::TerminalFailed(error) if !(stop.load(Ordering::Relaxed) || terminal::hung_up()) => {
            Err(DriverError::Terminal(error))
        }
        _ => Ok(()),
    }
}

/// How a run of turns ended.
enum Ending {
    /// The person quit; drafts were saved on the way.
    Quit,
    /// SIGTERM or SIGHUP, or the terminal hung up while nothing was happening.
    Stopped,
    /// Reading from or drawing on the terminal failed.
    TerminalFailed(io::Error),
}

/// Draw, wait, act, until the person quits, a signal arrives or the terminal fails.
fn turns(screen: &mut Screen, app: &mut App, shell: &mut dyn Perform, stop: &AtomicBool) -> Ending {
    // Each frame says where its clickable rows went.
    let mut redraw = |app: &App| {
        let mut targets = Vec::new();
        let area = screen
            .draw(|frame| targets = ui::draw(app, frame))
            .map(|f| f.area)?;
        Ok::<_, io::Error>((area, targets))
    };
    // Idle means idle: a frame is drawn only when the app changed (or the window did),
    // never because time passed.
    let mut drawn: Option<u64> = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ending::Stopped;
        }
        if drawn != Some(app.revision()) {
            let (area, targets) = match redraw(app) {
                Ok(drawn) => drawn,
                Err(error) => return Ending::TerminalFailed(error),
            };
            let mut layout = ui::layout(app, area);
            layout.targets = targets;
            app.laid_out(layout);
            drawn = Some(app.revision());
        }
        if app.should_quit() {
            return Ending::Quit;
        }
        // Work under way (a search's next slice, an export preview after a pause) goes
        // on while nothing is typed, and stops for anything that is.
        let due = app.work_due(Utc::now());
        let working = due.is_some();
        let waited = match due {
            Some(wait) if wait.is_zero() => ready_now(),
            Some(wait) => ready(stop, wait),
            None => ready(stop, TICK),
        };
        let action = match waited {
            Ok(Ready::Yes) => match read_action(app) {
                Ok(Read::Action(action)) => Some(*action),
                Ok(Read::Resized) => {
                    drawn = None;
                    None
                }
                Ok(Read::Nothing) => None,
                Err(error) => return Ending::TerminalFailed(error),
            },
            Ok(Ready::HungUp) => return Ending::Stopped,
            Ok(Ready::No) if stop.load(Ordering::Relaxed) => return Ending::Stopped,
            Ok(Ready::No) if working => Some(Action::Work),
            Ok(Ready::No) => Some(Action::Tick),
            Err(error) => return Ending::TerminalFailed(error),
        };
        let Some(action) = action else { continue };
        if let Err(error) = dispatch(shell, app, Utc::now(), action, &mut |a| redraw(a).map(drop)) {
            return Ending::TerminalFailed(error);
        }
    }
}

/// Whether a key was just handed over, so crossterm may hold more from the same read.
static READ_ONE: AtomicBool = AtomicBool::new(false);

/// How long crossterm is given to hand over keys it holds: it looks at what it holds
/// only if time is left when it starts, so a busy machine needs a margin.
const HAND_OVER: Duration = Duration::from_millis(50);

/// Whether the terminal has something to read now, without waiting: between slices of
/// work. Keys crossterm holds from an earlier read may go unseen here (see [`ready`]);
/// they are read when the work is done, as `READ_ONE` is left for [`ready`] to see.
fn ready_now() -> io::Result<Ready> {
    let found = match platform::wait_for_input(Duration::ZERO) {
        Waited::HungUp => return Ok(Ready::HungUp),
        // There is input: crossterm reads it without waiting.
        Waited::Input => event::poll(TICK)?,
        Waited::Quiet | Waited::Unknown => event::poll(Duration::ZERO)?,
    };
    if found {
        READ_ONE.store(true, Ordering::Relaxed);
        return Ok(Ready::Yes);
    }
    Ok(Ready::No)
}

/// Whether the terminal has something to read.
enum Ready {
    Yes,
    /// Nothing within a tick, or a signal came (its flag is for the caller to look at).
    No,
    /// The terminal hung up (its window was closed).
    HungUp,
}

/// Waits up to `wait` (a tick, or until work is due) for something to read.
///
/// The wait is the platform's ([`platform::wait_for_input`]), which sees a hang-up at
/// once and ends early on a signal: crossterm's own timed wait spins a core through
/// the last millisecond of every timeout (it rounds what is left down to whole
/// milliseconds), and through all of it on a hung-up terminal. crossterm is asked when
/// there is input, and right after it handed over a key: one read of the terminal can
/// hold several keys (a paste, fast typing), which crossterm keeps and gives out only
/// when asked with time to spare (with none, or too little on a busy machine, it says
/// nothing is there and the keys would wait for the next one typed). That ask is
/// [`HAND_OVER`] long, not a tick, so a window closed just after a key ends mend
/// within it.
fn ready(stop: &AtomicBool, wait: Duration) -> io::Result<Ready> {
    let yes = |ready: bool| {
        READ_ONE.store(ready, Ordering::Relaxed);
        if ready { Ready::Yes } else { Ready::No }
    };
    let quiet = || {
        // Asked again when nothing came, in case a hang-up was not reported as one.
        if terminal::hung_up() {
            Ready::HungUp
        } else {
            Ready::No
        }
    };
    if READ_ONE.swap(false, Ordering::Relaxed) {
        if platform::wait_for_input(Duration::ZERO) == Waited::HungUp {
            return Ok(Ready::HungUp);
        }
        // Enough time to spare for crossterm to hand over what it holds, and short: a
        // window closed during it makes crossterm spin to its end (then the wait
        // below sees the hang-up at once).
        if event::poll(HAND_OVER)? {
            return Ok(yes(true));
        }
    }
    // Reads nothing, but hands over what crossterm has queued, and the first time sets
    // crossterm up, its resize signal included.
    if event::poll(Duration::ZERO)? {
        return Ok(yes(true));
    }
    Ok(match platform::wait_for_input(wait) {
        Waited::HungUp => Ready::HungUp,
        // A signal to stop: the caller looks at its flag.
        Waited::Input if stop.load(Ordering::Relaxed) => Ready::No,
        // There is input (or a resize): crossterm reads it without waiting.
        Waited::Input => yes(event::poll(TICK)?),
        Waited::Unknown if event::poll(TICK)? => yes(true),
        Waited::Quiet | Waited::Unknown => quiet(),
    })
}

/// What an event on the terminal comes to.
enum Read {
    Action(Box<Action>),
    /// The window changed size: the frame is drawn again to fit.
    Resized,
    /// A key with nothing bound to it here, or a focus change.
    Nothing,
}

/// What the event waiting on the terminal comes to.
fn read_action(app: &App) -> io::Result<Read> {
    let action = match event::read()? {
        Event::Key(key) => {
            debug_panic(&key);
            keymap::action_for(app.key_context(), &key)
        }
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(mouse) => keymap::mouse_action(app.key_context(), &mouse),
        Event::Resize(..) => return Ok(Read::Resized),
        _ => None,
    };
    Ok(action.map_or(Read::Nothing, |a| Read::Action(Box::new(a))))
}

/// `~/x` as the person means it: in their home folder.
fn expand_home(path: &std::path::Path) -> std::path::PathBuf {
    match (path.strip_prefix("~"), directories::UserDirs::new()) {
        (Ok(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => path.to_owned(),
    }
}

/// Debug builds only: with `MEND_DEBUG_PANIC` set, F12 panics, so tests can prove the
/// terminal is restored after a panic. Release builds compile this to nothing.
fn debug_panic(key: &crossterm::event::KeyEvent) {
    if cfg!(debug_assertions)
        && key.code == crossterm::event::KeyCode::F(12)
        && std::env::var_os("MEND_DEBUG_PANIC").is_some()
    {
        panic!("a panic requested with MEND_DEBUG_PANIC, to test terminal restoration");
    }
}

/// What carries out the app's effects: the vault on disk ([`Shell`]), or the memory
/// of a workbook being tried ([`trying`]).
trait Perform {
    /// Carries out one effect; returns the action that reports its result, if any.
    fn perform(&mut self, effect: Effect) -> Option<Action>;
    /// Writes whatever is still waiting to be written; the first failure is returned.
    fn write_pending(&mut self) -> Result<(), VaultError>;
}

impl Perform for Shell {
    fn perform(&mut self, effect: Effect) -> Option<Action> {
        self.carry_out(effect)
    }

    fn write_pending(&mut self) -> Result<(), VaultError> {
        Shell::write_pending(self)
    }
}

/// Applies one action and every effect it leads to. `redraw` is called before a slow
/// effect, so its "please wait" frame is on screen while it runs.
fn dispatch(
    shell: &mut dyn Perform,
    app: &mut App,
    now: DateTime<Utc>,
    action: Action,
    redraw: &mut dyn FnMut(&App) -> io::Result<()>,
) -> io::Result<()> {
    // Randomness comes in here, with the time: the app never draws its own.
    let at = |now| Moment::new(now, EntryId::random());
    let mut effects: VecDeque<Effect> = app.update(at(now), action).into();
    while let Some(effect) = effects.pop_front() {
        if matches!(
            effect,
            Effect::Unlock { .. }
                | Effect::UnlockMissing { .. }
                | Effect::CreateProfile { .. }
                | Effect::ChangePassphrase { .. }
                | Effect::MakeRecoveryCode
                | Effect::Recover { .. }
        ) {
            redraw(app)?;
        }
        if let Some(result) = shell.perform(effect) {
            let opened = matches!(
                result,
                Action::Unlocked(Ok(_)) | Action::ProfileCreated(Ok(_))
            );
            effects.extend(app.update(at(now), result));
            if opened {
                // What the load built its entries through is given back.
                platform::return_freed_memory();
            }
        }
    }
    Ok(())
}

impl Shell {
    pub fn new(vault: Vault) -> Self {
        Self {
            vault,
            keys: None,
            pending: Vec::new(),
        }
    }

    /// The open vault.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Whether someone's keys are in memory.
    pub fn is_unlocked(&self) -> bool {
        self.keys.is_some()
    }

    /// Applies one action and every effect it leads to. `redraw` is called before a
    /// slow effect, so its "please wait" frame is on screen while it runs.
    pub fn dispatch(
        &mut self,
        app: &mut App,
        now: DateTime<Utc>,
        action: Action,
        redraw: &mut dyn FnMut(&App) -> io::Result<()>,
    ) -> io::Result<()> {
        dispatch(self, app, now, action, redraw)
    }

    /// Carries out one effect; returns the action that reports its result, if any.
    fn carry_out(&mut self, effect: Effect) -> Option<Action> {
        if !matches!(effect, Effect::SaveDraft(_) | Effect::Quit { .. }) {
            // Best effort: a draft the disk refused earlier gets another chance.
            let _ = self.write_pending();
        }
        match effect {
            Effect::Lock => {
                self.keys = None;
                None
            }
            Effect::Quit { force } => {
                // Always one more try; `force` only means leaving even if it fails.
                match self.write_pending() {
                    Err(e) if !force => Some(Action::QuitBlocked(Arc::new(e))),
                    _ => None,
                }
            }
            Effect::SaveProfile(profile) => {
                // Best effort: a setting not kept is only a default not remembered.
                if let Some(keys) = self.keys.as_ref() {
                    let _ = self.vault.save_profile(keys, &profile);
                }
                None
            }
            Effect::SaveDraft(_)
            | Effect::SaveEntry(_)
            | Effect::SetVisibility { .. }
            | Effect::WriteExport { .. } => self.write(effect),
            _ => self.get_in(effect),
        }
    }

    /// Carries out an effect that opens a profile or changes how it opens.
    fn get_in(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::CreateProfile {
                name,
                passphrase,
                profile,
                back,
            } => {
                let created = self
                    .vault
                    .create_person(&name, &passphrase)
                    .and_then(|keys| {
                        // Saved even for "prefer not to say": a profile file present for
                        // some people and absent for others would say who chose a role.
                        self.vault.save_profile(&keys, &profile)?;
                        Ok(keys)
                    });
                Some(Action::ProfileCreated(self.opened(created, back)))
            }
            Effect::Unlock {
                person,
                passphrase,
                back,
            } => {
                // The folder is listed on the other core while the key is derived.
                let vault = &self.vault;
                let (unlocked, listing) = std::thread::scope(|scope| {
                    let listing = scope.spawn(|| vault.list_entries(&person));
                    let unlocked = vault.unlock(&person, &passphrase);
                    (unlocked, listing.join().ok())
                });
                Some(Action::Unlocked(
                    self.opened_listed(unlocked, back, listing),
                ))
            }
            Effect::UnlockMissing { passphrase, back } => {
                let unlocked = self.vault.unlock_missing(&passphrase);
                Some(Action::Unlocked(self.opened(unlocked, back)))
            }
            Effect::ChangePassphrase { current, new } => {
                let keys = self.keys.as_ref()?;
                let result = self.vault.change_passphrase(keys, &current, &new);
                Some(Action::PassphraseChanged(result.map_err(Arc::new)))
            }
            Effect::MakeRecoveryCode => {
                let keys = self.keys.as_ref()?;
                let result = self.vault.create_recovery_code(keys);
                Some(Action::RecoveryCodeMade(result.map_err(Arc::new)))
            }
            Effect::Recover {
                person,
                code,
                new,
                back,
            } => {
                let unlocked = self.vault.recover(&person, &code, &new);
                Some(Action::Unlocked(self.opened(unlocked, back)))
            }
            _ => None,
        }
    }

    /// Carries out an effect that writes the unlocked person's words.
    fn write(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::SaveDraft(draft) => {
                let keys = self.keys.as_ref()?;
                match self.vault.seal_draft(keys, &draft) {
                    Ok(sealed) => {
                        self.pending.retain(|p| p.path != sealed.path);
                        self.pending.push(sealed);
                        self.write_pending()
                            .err()
                            .map(|e| Action::DraftSaveFailed(Arc::new(e)))
                    }
                    Err(e) => Some(Action::DraftSaveFailed(Arc::new(e))),
                }
            }
            Effect::SaveEntry(entry) => {
                let Some(keys) = self.keys.as_ref() else {
                    return Some(Action::EntrySaved(Err(Arc::new(VaultError::Locked))));
                };
                let result = self
                    .vault
                    .save_entry(keys, &entry)
                    .and_then(|()| self.vault.delete_draft(keys, entry.id));
                Some(Action::EntrySaved(result.map(|()| entry).map_err(Arc::new)))
            }
            Effect::SetVisibility { entry, visibility } => {
                let Some(keys) = self.keys.as_ref() else {
                    return Some(Action::VisibilityChanged(Err(Arc::new(VaultError::Locked))));
                };
                let result = self.vault.set_visibility(keys, &entry, visibility);
                Some(Action::VisibilityChanged(result.map_err(Arc::new)))
            }
            Effect::WriteExport {
                path,
                contents,
                replace,
                recipient,
            } => {
                let path = expand_home(&path);
                let result = crate::vault::parse_recipients(recipient.as_slice())
                    .and_then(|to| {
                        let data_dir = self.vault.data_dir();
                        crate::vault::write_export(data_dir, &path, &contents, &to, replace)
                    })
                    .map(|()| path)
                    .map_err(Arc::new);
                Some(Action::ExportWritten(result))
            }
            _ => None,
        }
    }

    /// Writes every pending sealed draft it can; the first failure is returned and the
    /// rest stay pending.
    fn write_pending(&mut self) -> Result<(), VaultError> {
        while let Some(sealed) = self.pending.first() {
            self.vault.write_sealed(sealed)?;
            self.pending.remove(0);
        }
        Ok(())
    }

    /// What opening a profile (made, unlocked or recovered) reports back to the app: a
    /// failure carries the form to go back to.
    fn opened(
        &mut self,
        unlocked: Result<Unlocked, VaultError>,
        back: BackTo,
    ) -> Result<Opened, Failed> {
        self.opened_listed(unlocked, back, None)
    }

    /// [`Shell::opened`] with the entry folder perhaps listed already.
    fn opened_listed(
        &mut self,
        unlocked: Result<Unlocked, VaultError>,
        back: BackTo,
        listing: Option<Listing>,
    ) -> Result<Opened, Failed> {
        unlocked
            .map(|keys| self.open(keys, listing))
            .map_err(|error| Failed {
                error: Arc::new(error),
                back,
            })
    }

    fn open(&mut self, mut keys: Unlocked, listing: Option<Listing>) -> Opened {
        // Names are checked against the person's own record before anything shows them.
        let confirmed = self.vault.confirm_people(&mut keys);
        let listing = listing.unwrap_or_else(|| self.vault.list_entries(&keys.person.id));
        let mut loaded = self.vault.load_listed(&keys, listing);
        let list = PathBuf::from(crate::vault::CONFIG_FILE);
        for note in keys.people_notes() {
            loaded.problems.insert(
                0,
                FileProblem {
                    file: list.clone(),
                    message: note.clone(),
                },
            );
        }
        if let Err(error) = confirmed {
            loaded.problems.insert(
                0,
                FileProblem {
                    file: list,
                    message: format!(
                        "mend could not bring the list of who has a profile here up to date: {error}"
                    ),
                },
            );
        }
        if let Some(update) = loaded.cache.take() {
            self.vault.write_cache_later(update);
        }
        if !loaded.unwitnessed.is_empty() {
            // Best effort: what is not sealed again now is found again at a later load.
            let _ = self.vault.witness(&keys, &loaded.unwitnessed);
        }
        let notices = std::mem::take(&mut loaded.notices);
        loaded.problems.extend(notices);
        if let Some(problem) = unconfirmed_problem(&self.vault, &loaded.unconfirmed) {
            loaded.problems.push(problem);
        }
        if let Some(message) = keys.restored() {
            loaded.problems.insert(
                0,
                FileProblem {
                    file: self
                        .vault
                        .key_file(&keys.person.id)
                        .strip_prefix(self.vault.data_dir())
                        .map(Path::to_path_buf)
                        .unwrap_or_default(),
                    message: message.to_owned(),
                },
            );
        }
        let person = keys.person.clone();
        self.keys = Some(keys);
        Opened {
            person,
            people: self.vault.people().to_vec(),
            missing: self.vault.missing(),
            entries: loaded.entries,
            drafts: loaded.drafts,
            profile: loaded.profile,
            problems: loaded.problems,
        }
    }
}

/// What a person is told of entries whose author could not be confirmed: the file when
/// there is one, the folder and how many when there are more.
fn unconfirmed_problem(vault: &Vault, unconfirmed: &[crate::domain::Entry]) -> Option<FileProblem> {
    let (file, what, it) = match unconfirmed {
        [] => return None,
        [one] => (
            vault.entry_file(one.id),
            "this entry".to_owned(),
            "It lacks",
        ),
        many => (
            PathBuf::from(crate::vault::ENTRIES_FOLDER),
            format!("{} entries in this folder", many.len()),
            "They lack",
        ),
    };
    Some(FileProblem {
        file,
        message: format!(
            "mend could not confirm who wrote {what}. {it} the proof mend adds to every \
             entry it saves, so it is not shown as anyone's words, never goes into a \
             summary, and was left where it is. An entry your partner saved with an older \
             mend is confirmed once they next unlock; otherwise someone with access to this \
             folder may have put it there."
        ),
    })
}
