//! Keys -> named actions: one table, per screen context.
//!
//! The help overlay and the hint bar are generated from [`BINDINGS`], so what they
//! say can never drift from what the keys do. Where a person is typing (a name, a
//! passphrase, an answer) every key the table does not claim goes to the text.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::app::{Action, KeyContext};
use crate::editor::EditInput;

/// One key, with the modifiers it needs.
pub struct KeySpec {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> KeySpec {
    KeySpec {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> KeySpec {
    KeySpec {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn ch(c: char) -> KeySpec {
    key(KeyCode::Char(c))
}

/// A row of the key table.
pub struct Binding {
    pub contexts: &'static [KeyContext],
    pub keys: &'static [KeySpec],
    pub action: Action,
    /// How the keys are written in help and hints, e.g. "Shift-Tab".
    pub label: &'static str,
    /// The word in the hint bar; empty keeps it out of the bar (help still lists it).
    pub short: &'static str,
    /// The line in the help overlay; empty when the row before already covers this
    /// key (as "↑/↓" covers ↓).
    pub long: &'static str,
    /// What to type for it in plain mode (`mend --plain`): a word, then shorter forms;
    /// `""` is an empty line (Enter). None where plain mode offers it another way (a
    /// number picks from a list; every text is printed whole, so nothing scrolls).
    pub words: &'static [&'static str],
}

use KeyContext as C;

pub const AWAKE: &[KeyContext] = &[
    C::Welcome,
    C::CreateProfile,
    C::ChooseRole,
    C::Unlock,
    C::Busy,
    C::Home,
    C::HomeCouple,
    C::HomeTrying,
    C::PartnerNote,
    C::Curtain,
    C::Trends,
    C::Export,
    C::ExportPath,
    C::History,
    C::Search,
    C::Reading,
    C::ReadingPartner,
    C::StepText,
    C::StepChoice,
    C::StepScale,
    C::StepReflect,
    C::StepClosing,
    C::Passphrase,
    C::RecoveryOffer,
    C::RecoveryShow,
    C::Overlay,
    C::ConfirmShare,
];
const STEPS: &[KeyContext] = &[
    C::StepText,
    C::StepChoice,
    C::StepScale,
    C::StepReflect,
    C::StepClosing,
];
const STEP_PAGES: &[KeyContext] = &[C::StepText, C::StepChoice, C::StepScale, C::StepReflect];
/// Steps with an answer to skip, where letters are free because nothing is typed.
const ANSWERS_NOT_TYPED: &[KeyContext] = &[C::StepChoice, C::StepScale];
const STEPS_NOT_TYPING: &[KeyContext] =
    &[C::StepChoice, C::StepScale, C::StepReflect, C::StepClosing];
/// Every screen where keys do not type: `?` opens help on all of them.
pub const NOT_TYPING: &[KeyContext] = &[
    C::Welcome,
    C::ChooseRole,
    C::Home,
    C::HomeCouple,
    C::HomeTrying,
    C::PartnerNote,
    C::Trends,
    C::Export,
    C::History,
    C::Reading,
    C::ReadingPartner,
    C::StepChoice,
    C::StepScale,
    C::StepReflect,
    C::StepClosing,
    C::RecoveryOffer,
    C::RecoveryShow,
];
/// Where `q` quits: everywhere keys do not type, except while a recovery code is on
/// screen (a stray q there would take away the one chance to write it down).
const QUITS: &[KeyContext] = &[
    C::Welcome,
    C::ChooseRole,
    C::Home,
    C::HomeCouple,
    C::HomeTrying,
    C::PartnerNote,
    C::Trends,
    C::Export,
    C::History,
    C::Reading,
    C::ReadingPartner,
    C::StepChoice,
    C::StepScale,
    C::StepReflect,
    C::StepClosing,
    C::RecoveryOffer,
];
/// Lists and texts where Home and End (and g and G, free here) go to the top and bottom.
/// Home's own list takes Home and End only: g opens the trends there.
const TO_THE_ENDS: &[KeyContext] = &[
    C::History,
    C::StepChoice,
    C::ChooseRole,
    C::Reading,
    C::ReadingPartner,
    C::StepReflect,
    C::Overlay,
];
const SCROLLING: &[KeyContext] = &[C::Reading, C::ReadingPartner, C::StepReflect, C::Overlay];
const LISTS: &[KeyContext] = &[
    C::Home,
    C::HomeCouple,
    C::HomeTrying,
    C::History,
    C::StepChoice,
    C::ChooseRole,
];
const HOMES: &[KeyContext] = &[C::Home, C::HomeCouple, C::HomeTrying];
const EXPORT: &[KeyContext] = &[C::Export, C::ExportPath];
const FORMS: &[KeyContext] = &[C::CreateProfile, C::Unlock, C::Passphrase];

/// Every binding, in the order help lists them.
pub static BINDINGS: &[Binding] = &[
    Binding {
        contexts: &[C::Welcome],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "begin",
        long: "Begin: create your private profile",
        words: &[""],
    },
    Binding {
        contexts: &[C::CreateProfile],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "next",
        long: "Go to the next field; on the last one, create the profile",
        words: &[""],
    },
    Binding {
        contexts: &[C::ChooseRole],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "create my profile",
        long: "Create the profile with this choice (it stays private)",
        words: &[],
    },
    Binding {
        contexts: &[C::ChooseRole],
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "back",
        long: "Go back to the passphrase",
        words: &["back", "b"],
    },
    Binding {
        contexts: &[C::Unlock],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "unlock",
        long: "Unlock with the passphrase you typed",
        words: &[""],
    },
    Binding {
        contexts: &[C::Unlock],
        keys: &[ctrl('r')],
        action: Action::Forgot,
        label: "Ctrl-R",
        short: "forgot passphrase",
        long: "Forgot your passphrase? Set a new one with your recovery code",
        words: &["forgot"],
    },
    Binding {
        contexts: &[C::Passphrase],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "next",
        long: "Go to the next field; on the last one, change the passphrase",
        words: &[""],
    },
    Binding {
        contexts: &[C::Passphrase],
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "back",
        long: "Go back; nothing changes",
        words: &["back", "b"],
    },
    Binding {
        contexts: &[C::RecoveryOffer],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "make a recovery code",
        long: "Make a recovery code (shown once; it replaces any earlier one)",
        words: &[""],
    },
    Binding {
        contexts: &[C::RecoveryOffer],
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "not now",
        long: "Not now (you can make one later from home with R)",
        words: &["not now"],
    },
    Binding {
        contexts: &[C::RecoveryShow],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "I wrote it down",
        long: "Leave this screen once the code is written down; it is not shown again",
        words: &[""],
    },
    Binding {
        contexts: FORMS,
        keys: &[key(KeyCode::Tab), key(KeyCode::Down)],
        action: Action::Next,
        label: "Tab/↓",
        short: "",
        long: "Next field, or next person",
        words: &[],
    },
    Binding {
        contexts: FORMS,
        keys: &[key(KeyCode::BackTab), key(KeyCode::Up)],
        action: Action::Back,
        label: "Shift-Tab/↑",
        short: "",
        long: "Previous field, or previous person",
        words: &[],
    },
    Binding {
        contexts: &[C::CreateProfile],
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "back",
        long: "Go back",
        words: &["back", "b"],
    },
    Binding {
        contexts: &[C::CreateProfile, C::Passphrase],
        keys: &[ctrl('g')],
        action: Action::GeneratePassphrase,
        label: "Ctrl-G",
        short: "make one for me",
        long: "Make a passphrase of six random words, fill it in, and show it once to write down",
        words: &["make one"],
    },
    Binding {
        contexts: HOMES,
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "open",
        long: "Open the exercise (or pick up its draft)",
        words: &[],
    },
    Binding {
        contexts: HOMES,
        keys: &[ch('c')],
        action: Action::Continue,
        label: "c",
        short: "continue",
        long: "Continue where you left off",
        words: &["continue", "c"],
    },
    Binding {
        contexts: &[C::Home, C::HomeCouple, C::HomeTrying, C::History],
        keys: &[ch('h')],
        action: Action::History,
        label: "h",
        short: "history",
        long: "Your past entries, newest first (h again goes back)",
        words: &["history", "h"],
    },
    Binding {
        contexts: &[C::Home, C::HomeCouple, C::HomeTrying, C::History],
        keys: &[ch('/')],
        action: Action::Search,
        label: "/",
        short: "search",
        long: "Search everything you may read, by words and filters (by:me, is:shared, last:30)",
        words: &["search", "/"],
    },
    Binding {
        contexts: LISTS,
        keys: &[key(KeyCode::Up), ch('k')],
        action: Action::Up,
        label: "↑/↓",
        short: "",
        long: "Move up or down (k and j also work)",
        words: &[],
    },
    Binding {
        contexts: LISTS,
        keys: &[key(KeyCode::Down), ch('j')],
        action: Action::Down,
        label: "↓",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: TO_THE_ENDS,
        keys: &[key(KeyCode::Home), ch('g')],
        action: Action::Home,
        label: "Home/End",
        short: "",
        long: "To the top or the bottom of a list or a text (g and G also work)",
        words: &[],
    },
    Binding {
        contexts: TO_THE_ENDS,
        keys: &[key(KeyCode::End), ch('G')],
        action: Action::End,
        label: "End",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: HOMES,
        keys: &[key(KeyCode::Home)],
        action: Action::Home,
        label: "Home/End",
        short: "",
        long: "To the top or the bottom of the list",
        words: &[],
    },
    Binding {
        contexts: HOMES,
        keys: &[key(KeyCode::End)],
        action: Action::End,
        label: "End",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: SCROLLING,
        keys: &[key(KeyCode::Up), ch('k')],
        action: Action::Up,
        label: "↑/↓",
        short: "scroll",
        long: "Scroll up or down (k and j also work)",
        words: &[],
    },
    Binding {
        contexts: SCROLLING,
        keys: &[key(KeyCode::Down), ch('j')],
        action: Action::Down,
        label: "↓",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[
            C::Home,
            C::HomeCouple,
            C::HomeTrying,
            C::History,
            C::Reading,
            C::ReadingPartner,
            C::StepReflect,
            C::Overlay,
        ],
        keys: &[key(KeyCode::PageUp)],
        action: Action::PageUp,
        label: "PgUp",
        short: "",
        long: "Up a page",
        words: &[],
    },
    Binding {
        contexts: &[
            C::Home,
            C::HomeCouple,
            C::HomeTrying,
            C::History,
            C::Reading,
            C::ReadingPartner,
            C::StepReflect,
            C::Overlay,
        ],
        keys: &[key(KeyCode::PageDown)],
        action: Action::PageDown,
        label: "PgDn",
        short: "",
        long: "Down a page",
        words: &[],
    },
    Binding {
        contexts: HOMES,
        keys: &[ch('g')],
        action: Action::Trends,
        label: "g",
        short: "trends",
        long: "Check-in trends: each of your check-in's numbers over time",
        words: &["trends", "g"],
    },
    Binding {
        contexts: &[C::Trends],
        keys: &[key(KeyCode::Right), key(KeyCode::Tab)],
        action: Action::Right,
        label: "←/→",
        short: "period",
        long: "Show the last 30 days, the last 6 months, or all time",
        words: &["period"],
    },
    Binding {
        contexts: &[C::Trends],
        keys: &[key(KeyCode::Left)],
        action: Action::Left,
        label: "←",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::Trends],
        keys: &[key(KeyCode::Esc), ch('g')],
        action: Action::Cancel,
        label: "Esc",
        short: "back",
        long: "Back to home",
        words: &["back", "b"],
    },
    Binding {
        contexts: HOMES,
        keys: &[ch('P')],
        action: Action::ChangePassphrase,
        label: "P",
        short: "",
        long: "Change your passphrase",
        words: &["passphrase"],
    },
    Binding {
        contexts: HOMES,
        keys: &[ch('R')],
        action: Action::NewRecoveryCode,
        label: "R",
        short: "",
        long: "Make a new recovery code (it replaces any earlier one)",
        words: &["recovery code"],
    },
    Binding {
        contexts: HOMES,
        keys: &[ch('e')],
        action: Action::Export,
        label: "e",
        short: "export",
        long: "Make a summary to bring to a counselling session",
        words: &["export", "e"],
    },
    Binding {
        contexts: EXPORT,
        keys: &[key(KeyCode::Up)],
        action: Action::Up,
        label: "↑/↓",
        short: "move",
        long: "Move between the choices",
        words: &[],
    },
    Binding {
        contexts: EXPORT,
        keys: &[key(KeyCode::Down)],
        action: Action::Down,
        label: "↓",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::Export],
        keys: &[ch(' ')],
        action: Action::Toggle,
        label: "Space",
        short: "include",
        long: "Put this in, or leave it out (a module or exercise takes everything under it)",
        words: &[],
    },
    Binding {
        contexts: EXPORT,
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "choose",
        long: "Choose; on \"Write the file\", see the warning, then Enter again writes it",
        words: &["write"],
    },
    Binding {
        contexts: &[C::Export],
        keys: &[key(KeyCode::Right)],
        action: Action::Right,
        label: "←/→",
        short: "change",
        long: "Change the format or the period (← goes back)",
        words: &[],
    },
    Binding {
        contexts: &[C::Export],
        keys: &[key(KeyCode::Left)],
        action: Action::Left,
        label: "←",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::ExportPath],
        keys: &[key(KeyCode::Left)],
        action: Action::Left,
        label: "←/→",
        short: "move",
        long: "Move in the file name (Home and End: to its start and end)",
        words: &[],
    },
    Binding {
        contexts: &[C::ExportPath],
        keys: &[key(KeyCode::Right)],
        action: Action::Right,
        label: "→",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::ExportPath],
        keys: &[key(KeyCode::Home)],
        action: Action::Home,
        label: "Home",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::ExportPath],
        keys: &[key(KeyCode::End)],
        action: Action::End,
        label: "End",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::ExportPath],
        keys: &[key(KeyCode::Delete)],
        action: Action::Delete,
        label: "Del",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: EXPORT,
        keys: &[key(KeyCode::PageDown)],
        action: Action::PageDown,
        label: "PgDn",
        short: "preview",
        long: "Scroll the preview down (PgUp: up)",
        words: &[],
    },
    Binding {
        contexts: EXPORT,
        keys: &[key(KeyCode::PageUp)],
        action: Action::PageUp,
        label: "PgUp",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: EXPORT,
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "back",
        long: "Back (nothing is written until you confirm)",
        words: &["back", "b"],
    },
    Binding {
        contexts: &[C::Home],
        keys: &[ch('a')],
        action: Action::AddPartner,
        label: "a",
        short: "add partner",
        long: "Invite your partner to make their own private profile here",
        words: &["add partner", "a"],
    },
    Binding {
        contexts: &[C::HomeTrying],
        keys: &[ch('v')],
        action: Action::ViewAs,
        label: "v",
        short: "view as",
        long: "Trying a workbook: see it as the next role (each partner, or neither)",
        words: &["view as", "v"],
    },
    Binding {
        contexts: &[C::HomeCouple],
        keys: &[ch('t')],
        action: Action::HandOver,
        label: "t",
        short: "hand over",
        long: "Take turns: save, lock, and pass the keyboard to your partner",
        words: &["hand over", "t"],
    },
    Binding {
        contexts: &[C::Reading],
        keys: &[ch('r')],
        action: Action::ToggleVisibility,
        label: "r",
        short: "share/unshare",
        long: "Share your entry with your partner (reveal it), or make it private again",
        words: &["share", "private", "p"],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "read",
        long: "Read the chosen entry, its matches marked",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::Up)],
        action: Action::Up,
        label: "↑/↓",
        short: "choose",
        long: "Move through what was found",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::Down)],
        action: Action::Down,
        label: "↓",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::PageUp)],
        action: Action::PageUp,
        label: "PgUp/PgDn",
        short: "",
        long: "Up or down a page of what was found",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::PageDown)],
        action: Action::PageDown,
        label: "PgDn",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::Left)],
        action: Action::Left,
        label: "←/→",
        short: "",
        long: "Move in the search line (Home and End: to its start and end)",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::Right)],
        action: Action::Right,
        label: "→",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::Home)],
        action: Action::Home,
        label: "Home",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::End)],
        action: Action::End,
        label: "End",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::Delete)],
        action: Action::Delete,
        label: "Del",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::Search],
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "back",
        long: "Go back to where you searched from; the search is forgotten",
        words: &["back", "b"],
    },
    Binding {
        contexts: &[C::Reading, C::ReadingPartner],
        keys: &[ch('n')],
        action: Action::NextMatch,
        label: "n/N",
        short: "",
        long: "After a search: the next match in the entry (N: the previous)",
        words: &[],
    },
    Binding {
        contexts: &[C::Reading, C::ReadingPartner],
        keys: &[ch('N')],
        action: Action::PreviousMatch,
        label: "N",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::PartnerNote],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "continue",
        long: "Go on",
        words: &[""],
    },
    Binding {
        contexts: &[C::PartnerNote],
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "back",
        long: "Go back",
        words: &["back", "b"],
    },
    Binding {
        contexts: &[C::Curtain],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "I'm ready",
        long: "The next person is at the keyboard",
        words: &[""],
    },
    Binding {
        contexts: &[C::History],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "read",
        long: "Read the entry in full, with its questions",
        words: &[],
    },
    Binding {
        contexts: &[C::History, C::Reading, C::ReadingPartner],
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "back",
        long: "Go back",
        words: &["back", "b"],
    },
    Binding {
        contexts: STEP_PAGES,
        keys: &[key(KeyCode::Tab)],
        action: Action::Next,
        label: "Tab",
        short: "next",
        long: "Next step; your answer is kept as an encrypted draft",
        words: &["next"],
    },
    Binding {
        contexts: STEPS,
        keys: &[key(KeyCode::BackTab)],
        action: Action::Back,
        label: "Shift-Tab",
        short: "back",
        long: "Previous step; nothing you wrote is lost",
        words: &["back", "b"],
    },
    Binding {
        contexts: &[C::StepChoice, C::StepScale, C::StepReflect],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "",
        long: "Next step (a single choice picks the highlighted option)",
        words: &[""],
    },
    Binding {
        contexts: &[C::StepClosing],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "save",
        long: "Save this entry, encrypted",
        words: &["save", ""],
    },
    Binding {
        contexts: &[C::StepChoice],
        keys: &[ch(' ')],
        action: Action::Toggle,
        label: "Space",
        short: "pick",
        long: "Pick or unpick the highlighted option",
        words: &[],
    },
    Binding {
        contexts: &[C::StepScale],
        keys: &[key(KeyCode::Left), ch('h')],
        action: Action::Left,
        label: "←/→",
        short: "choose",
        long: "Lower or raise the value (h and l also work), or type a number (1 then 0 is 10)",
        words: &[],
    },
    Binding {
        contexts: &[C::StepScale],
        keys: &[key(KeyCode::Right), ch('l')],
        action: Action::Right,
        label: "→",
        short: "",
        long: "",
        words: &[],
    },
    Binding {
        contexts: &[C::StepText],
        keys: &[ctrl('k')],
        action: Action::Skip,
        label: "Ctrl-K",
        short: "skip",
        long: "Skip this step (you can always come back)",
        words: &["skip", "s"],
    },
    Binding {
        contexts: ANSWERS_NOT_TYPED,
        keys: &[ch('s'), ctrl('k')],
        action: Action::Skip,
        label: "s",
        short: "skip",
        long: "Skip this step (you can always come back)",
        words: &["skip", "s"],
    },
    Binding {
        contexts: &[C::StepText],
        keys: &[ctrl('n')],
        action: Action::NotReady,
        label: "Ctrl-N",
        short: "not ready",
        long: "Mark this step \"not ready yet\" and move on",
        words: &["not ready", "n"],
    },
    Binding {
        contexts: ANSWERS_NOT_TYPED,
        keys: &[ch('n'), ctrl('n')],
        action: Action::NotReady,
        label: "n",
        short: "not ready",
        long: "Mark this step \"not ready yet\" and move on",
        words: &["not ready", "n"],
    },
    Binding {
        contexts: &[C::StepText],
        keys: &[ctrl('p')],
        action: Action::ToggleVisibility,
        label: "Ctrl-P",
        short: "private/shared",
        long: "Private (only you) or shared (sharing asks first)",
        words: &["share", "private", "p"],
    },
    // Ctrl-P, never a bare letter: a sentence typed on a choice or scale step by
    // mistake must never change who can read anything.
    Binding {
        contexts: STEPS_NOT_TYPING,
        keys: &[ctrl('p')],
        action: Action::ToggleVisibility,
        label: "Ctrl-P",
        short: "private/shared",
        long: "Private (only you) or shared (sharing asks first)",
        words: &["share", "private", "p"],
    },
    Binding {
        contexts: STEPS,
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "home",
        long: "Back to home; your answers are kept as a draft",
        words: &["home"],
    },
    Binding {
        contexts: &[C::ConfirmShare],
        keys: &[key(KeyCode::Enter)],
        action: Action::Select,
        label: "Enter",
        short: "share it",
        long: "Share the entry: the person named will be able to read it",
        words: &["yes", "y"],
    },
    Binding {
        contexts: &[C::ConfirmShare],
        keys: &[key(KeyCode::Esc)],
        action: Action::Cancel,
        label: "Esc",
        short: "keep private",
        long: "Keep the entry private: nothing is shared",
        words: &["no"],
    },
    Binding {
        contexts: &[C::Overlay],
        keys: &[key(KeyCode::Esc), key(KeyCode::Enter)],
        action: Action::Cancel,
        label: "Esc",
        short: "close",
        long: "Close this window",
        words: &[""],
    },
];

/// Bindings that work on every screen: help, support, hide, quit (quitting works from
/// the hidden curtain too, where every other key lifts it). The hint bar
/// keeps them on a line of their own, so they never scroll out of sight.
pub static GLOBAL: &[Binding] = &[
    Binding {
        contexts: AWAKE,
        keys: &[key(KeyCode::F(1))],
        action: Action::Help,
        label: "F1",
        short: "help",
        long: "Show or hide this help (or ? where you are not typing)",
        words: &["help", "?"],
    },
    Binding {
        contexts: NOT_TYPING,
        keys: &[ch('?')],
        action: Action::Help,
        label: "?",
        short: "",
        long: "Show or hide this help",
        words: &[],
    },
    Binding {
        contexts: AWAKE,
        keys: &[key(KeyCode::F(2))],
        action: Action::Support,
        label: "F2",
        short: "support",
        long: "Support lines, safety, and what mend cannot protect",
        words: &["support"],
    },
    Binding {
        contexts: AWAKE,
        keys: &[ctrl('l')],
        action: Action::Hide,
        label: "Ctrl-L",
        short: "hide",
        long: "Hide: blank the screen and lock at once",
        words: &["hide"],
    },
    Binding {
        contexts: QUITS,
        keys: &[ch('q')],
        action: Action::Quit,
        label: "q",
        short: "quit",
        long: "Quit, where you are not typing; drafts are kept",
        words: &["quit", "q"],
    },
    Binding {
        contexts: AWAKE,
        keys: &[ctrl('c'), ctrl('q')],
        action: Action::Quit,
        label: "Ctrl-C/Ctrl-Q",
        short: "",
        long: "Quit from anywhere, saving drafts first",
        words: &[],
    },
    Binding {
        contexts: &[C::Hidden],
        keys: &[ctrl('c'), ctrl('q')],
        action: Action::Quit,
        label: "Ctrl-C",
        short: "",
        long: "",
        words: &[],
    },
];

/// What the mouse does in `context`: the wheel moves through lists and scrolls text, a
/// left click chooses the row under it (see [`Action::Click`]). With Shift held the
/// terminal keeps the mouse for its own selection, so nothing here sees it; where
/// keys type, the wheel is left alone.
pub fn mouse_action(context: KeyContext, event: &MouseEvent) -> Option<Action> {
    if event.modifiers.contains(KeyModifiers::SHIFT) {
        return None;
    }
    let browsing = TO_THE_ENDS.contains(&context)
        || HOMES.contains(&context)
        || matches!(context, C::Export | C::Search);
    match event.kind {
        MouseEventKind::ScrollUp if browsing => Some(Action::Up),
        MouseEventKind::ScrollDown if browsing => Some(Action::Down),
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
            column: event.column,
            row: event.row,
        }),
        _ => None,
    }
}

/// The bindings that apply in `context`, this screen's first, in table order.
pub fn bindings_for(context: KeyContext) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .chain(GLOBAL)
        .filter(move |b| b.contexts.contains(&context))
}

fn matches(spec: &KeySpec, event: &KeyEvent) -> bool {
    let mods = event.modifiers - KeyModifiers::SHIFT;
    match (spec.code, event.code) {
        // Shift is how a '?' is typed; it is part of the character, not a modifier.
        (KeyCode::Char(a), KeyCode::Char(b)) => {
            a.eq_ignore_ascii_case(&b)
                && (a == b || spec.mods.contains(KeyModifiers::CONTROL))
                && mods == spec.mods
        }
        (a, b) => a == b && mods == spec.mods,
    }
}

/// Turns a key into an action for `context`, or `None` when it means nothing there.
pub fn action_for(context: KeyContext, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    if let Some(b) = bindings_for(context).find(|b| b.keys.iter().any(|k| matches(k, event))) {
        return Some(b.action.clone());
    }
    if context == C::Hidden {
        // Any other key lifts the curtain.
        return Some(Action::Select);
    }
    let plain = !event
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match (context, event.code) {
        (C::StepScale, KeyCode::Char(c)) if plain && c.is_ascii_digit() => {
            c.to_digit(10).map(|d| Action::Digit(d as u8))
        }
        (
            C::CreateProfile | C::Unlock | C::ExportPath | C::Passphrase | C::Search,
            KeyCode::Char(c),
        ) if plain => Some(Action::Char(c)),
        (
            C::CreateProfile | C::Unlock | C::ExportPath | C::Passphrase | C::Search,
            KeyCode::Backspace,
        ) => Some(Action::Backspace),
        (C::StepText, _) => Some(Action::Edit(EditInput::from(*event))),
        _ => None,
    }
}

/// A line of the hint bar: (keys, what) pairs.
pub type Hints = Vec<(&'static str, &'static str)>;

/// The hint bar for `context`: this screen's keys, then the keys that work everywhere.
pub fn hints(context: KeyContext) -> (Hints, Hints) {
    let pick = |table: &'static [Binding]| {
        table
            .iter()
            .filter(|b| b.contexts.contains(&context) && !b.short.is_empty())
            .map(|b| (b.label, b.short))
            .collect()
    };
    (pick(BINDINGS), pick(GLOBAL))
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn left_goes_back_on_the_export_screen_and_moves_in_its_file_name() {
        let left = press(KeyCode::Left, KeyModifiers::NONE);
        let right = press(KeyCode::Right, KeyModifiers::NONE);
        assert!(matches!(action_for(C::Export, &left), Some(Action::Left)));
        assert!(matches!(action_for(C::Export, &right), Some(Action::Right)));
        assert!(matches!(
            action_for(C::ExportPath, &left),
            Some(Action::Left)
        ));
        let home = press(KeyCode::Home, KeyModifiers::NONE);
        assert!(matches!(
            action_for(C::ExportPath, &home),
            Some(Action::Home)
        ));
    }

    #[test]
    fn letters_type_into_answers_but_command_the_lists() {
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert!(matches!(action_for(C::Home, &q), Some(Action::Quit)));
        assert!(matches!(action_for(C::StepText, &q), Some(Action::Edit(_))));
        assert!(matches!(action_for(C::Unlock, &q), Some(Action::Char('q'))));
        let question = press(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert!(matches!(action_for(C::Home, &question), Some(Action::Help)));
        assert!(matches!(
            action_for(C::StepText, &question),
            Some(Action::Edit(_))
        ));
    }

    #[test]
    fn hide_and_quit_work_while_typing_and_the_curtain_lifts_on_any_key() {
        let hide = press(KeyCode::Char('l'), KeyModifiers::CONTROL);
        for context in [
            C::StepText,
            C::Unlock,
            C::CreateProfile,
            C::Home,
            C::Overlay,
        ] {
            assert!(
                matches!(action_for(context, &hide), Some(Action::Hide)),
                "{context:?}"
            );
        }
        let quit = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(matches!(action_for(C::Hidden, &quit), Some(Action::Quit)));
        let any = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert!(matches!(action_for(C::Hidden, &any), Some(Action::Select)));
    }

    #[test]
    fn question_mark_opens_help_and_q_quits_wherever_keys_do_not_type() {
        let question = press(KeyCode::Char('?'), KeyModifiers::NONE);
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        for &context in NOT_TYPING {
            assert!(
                matches!(action_for(context, &question), Some(Action::Help)),
                "? in {context:?}"
            );
            let quits = matches!(action_for(context, &q), Some(Action::Quit));
            assert_eq!(quits, context != C::RecoveryShow, "q in {context:?}");
        }
        for context in [
            C::StepText,
            C::Unlock,
            C::CreateProfile,
            C::Passphrase,
            C::ExportPath,
        ] {
            assert!(
                matches!(
                    action_for(context, &q),
                    Some(Action::Edit(_) | Action::Char(_)) | None
                ),
                "q types in {context:?}"
            );
        }
        let ctrl_q = press(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert!(matches!(
            action_for(C::StepText, &ctrl_q),
            Some(Action::Quit)
        ));
    }

    #[test]
    fn a_partners_entry_offers_no_share_key() {
        let r = press(KeyCode::Char('r'), KeyModifiers::NONE);
        assert!(matches!(
            action_for(C::Reading, &r),
            Some(Action::ToggleVisibility)
        ));
        assert!(action_for(C::ReadingPartner, &r).is_none());
        assert!(!bindings_for(C::ReadingPartner).any(|b| b.short == "share/unshare"));
    }

    fn mouse(kind: MouseEventKind, modifiers: KeyModifiers) -> MouseEvent {
        MouseEvent {
            kind,
            column: 7,
            row: 5,
            modifiers,
        }
    }

    #[test]
    fn the_wheel_moves_through_lists_and_text_a_click_is_a_click_and_shift_is_the_terminals() {
        let none = KeyModifiers::NONE;
        for context in [
            C::Home,
            C::HomeCouple,
            C::History,
            C::Reading,
            C::StepChoice,
            C::Overlay,
        ] {
            let up = mouse_action(context, &mouse(MouseEventKind::ScrollUp, none));
            let down = mouse_action(context, &mouse(MouseEventKind::ScrollDown, none));
            assert!(
                matches!((up, down), (Some(Action::Up), Some(Action::Down))),
                "{context:?}"
            );
        }
        let wheel = mouse(MouseEventKind::ScrollDown, none);
        assert!(
            mouse_action(C::StepText, &wheel).is_none(),
            "the wheel never moves the editor"
        );
        let click = mouse(MouseEventKind::Down(MouseButton::Left), none);
        assert!(matches!(
            mouse_action(C::Home, &click),
            Some(Action::Click { column: 7, row: 5 })
        ));
        let shift_click = mouse(MouseEventKind::Down(MouseButton::Left), KeyModifiers::SHIFT);
        assert!(mouse_action(C::Home, &shift_click).is_none());
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut release = press(KeyCode::Enter, KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert!(action_for(C::Home, &release).is_none());
    }

    #[test]
    fn no_key_means_two_things_on_one_screen() {
        let contexts = AWAKE.iter().copied().chain([C::Hidden]);
        for context in contexts {
            let keys: Vec<(KeyCode, KeyModifiers)> = bindings_for(context)
                .flat_map(|b| b.keys.iter().map(|k| (k.code, k.mods)))
                .collect();
            for (i, key) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(key),
                    "{key:?} is bound twice in {context:?}"
                );
            }
        }
    }
}
