//! What passes between the app and the shell: the [`Action`]s it takes (keys, time, the
//! driver's reports with their errors typed), the [`Effect`]s it asks for, and the
//! [`Moment`] each action happens at.

use std::path::PathBuf;
use std::sync::Arc;

use age::secrecy::SecretString;
use chrono::{DateTime, Utc};

use crate::domain::{Draft, Entry, EntryId, FileProblem, Person, PersonId, Profile};
use crate::editor::EditInput;
use crate::vault::VaultError;

/// When an action happens: the time, and a fresh random id in case it starts an entry
/// (or, for [`Action::GeneratePassphrase`], whose random bits choose the words).
/// The shell makes one per action; tests make their own.
#[derive(Clone, Copy, Debug)]
pub struct Moment {
    pub now: DateTime<Utc>,
    pub fresh_id: EntryId,
}

impl Moment {
    pub fn new(now: DateTime<Utc>, fresh_id: EntryId) -> Self {
        Self { now, fresh_id }
    }
}

/// What went wrong in the vault, as the driver reported it: typed, so a screen can
/// tell a wrong passphrase from a full disk; shared, so actions stay cheap to clone.
pub type Failure = Arc<VaultError>;

/// Where a profile that did not open sends the person back to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackTo {
    /// The unlock screen, with this row selected.
    Unlock { selected: usize },
    /// The new-profile form, with this name typed.
    Create { name: String },
    /// The recovery form for the person at this row.
    Recover { selected: usize },
}

/// An unlock, a recovery or a new profile that did not open: why, and where the
/// person goes back to (the continuation the effect carried).
#[derive(Clone, Debug)]
pub struct Failed {
    pub error: Failure,
    pub back: BackTo,
}

/// Everything a person can ask for, named. The keymap turns keys into these.
#[derive(Clone)]
pub enum Action {
    /// Trying a workbook: show it as the next role (each in turn, then none).
    ViewAs,
    /// A mouse click at this cell; the app turns it into [`Action::Pick`] when it lands
    /// on a row drawn there.
    Click {
        column: u16,
        row: u16,
    },
    /// A row chosen by the mouse: home's rows, history's entries, a step's options, the
    /// roles. Picking the row the cursor is already on opens it, as Enter would.
    Pick(usize),
    /// Choose row `i` of the list on screen and open it, as a click on it and a second
    /// click would (plain mode's numbers).
    Choose(usize),
    /// The whole answer to the text step on screen, in place of what was there (plain
    /// mode's written answers).
    Answer(String),
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
    /// Open the search screen.
    Search,
    /// The next match of a search in the entry being read.
    NextMatch,
    /// The previous match.
    PreviousMatch,
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
    /// In a form that sets a new passphrase: fill it in with six random words, shown
    /// once to be written down. The words come from the action's `Moment` (the random
    /// bits of its fresh id), so the app still draws no randomness of its own.
    GeneratePassphrase,
    Help,
    Support,
    /// Blank the screen to a neutral view and lock at once.
    Hide,
    Quit,
    /// A typed character in a one-line field.
    Char(char),
    Backspace,
    /// In a one-line field: delete the character under the cursor.
    Delete,
    /// In a one-line field: to the start, or the end.
    Home,
    End,
    /// A key for the answer editor.
    Edit(EditInput),
    Paste(String),
    /// Time passing with no input (for the idle lock).
    Tick,
    /// Nothing typed, and work under way (a search's next slice): go on with it.
    Work,
    /// SIGTERM or SIGHUP: save drafts, lock, leave.
    Terminate,
    /// The person said yes to "share it?": the screen that asked shares.
    ShareConfirmed,
    /// The driver's reports.
    ProfileCreated(Result<Opened, Failed>),
    Unlocked(Result<Opened, Failed>),
    EntrySaved(Result<Entry, Failure>),
    VisibilityChanged(Result<Entry, Failure>),
    ExportWritten(Result<PathBuf, Failure>),
    DraftSaveFailed(Failure),
    PassphraseChanged(Result<(), Failure>),
    RecoveryCodeMade(Result<SecretString, Failure>),
    /// A draft could not be written, so quitting would lose it.
    QuitBlocked(Failure),
}

/// What the app needs the driver to do.
pub enum Effect {
    CreateProfile {
        name: String,
        passphrase: SecretString,
        /// Private settings to keep from the start (the role chosen, if any).
        profile: Profile,
        /// Where a failure goes back to (the form, with the name typed).
        back: BackTo,
    },
    Unlock {
        person: PersonId,
        passphrase: SecretString,
        /// Where a failure goes back to (the row selected).
        back: BackTo,
    },
    /// Unlock whoever of the people missing from the list `passphrase` opens, and put
    /// them back on it.
    UnlockMissing {
        passphrase: SecretString,
        back: BackTo,
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
        back: BackTo,
    },
    SaveDraft(Draft),
    /// Keep the unlocked person's private settings (best effort: a setting not kept is
    /// asked for again, nothing is lost).
    SaveProfile(Profile),
    /// Save the entry, then delete the draft with the same id.
    SaveEntry(Entry),
    /// Write an export the person asked for, never over an existing file.
    WriteExport {
        path: PathBuf,
        contents: String,
        /// The person said yes to replacing a file already there.
        replace: bool,
        /// A counsellor's age public key to encrypt the file to, if one was given.
        recipient: Option<String>,
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
