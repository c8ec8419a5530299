//! Keeping a way in: changing a passphrase, making a recovery code (offered right
//! after a profile is created, and from home), and using the code at the unlock
//! screen when the passphrase is forgotten.
//!
//! Secrets live in [`SecretField`]s while typed and are taken out into the effect that
//! uses them; a recovery code is on screen once, and dropped when the person leaves it.

use age::secrecy::SecretString;

use super::{
    Action, App, BusyReturn, BusyState, Effect, HomeState, Overlay, Screen, SecretField,
    UnlockState,
};

/// Which form: change a known passphrase, or replace a forgotten one with the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassphraseMode {
    Change,
    /// From the unlock screen, for the person selected there.
    Recover {
        selected: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassField {
    /// The current passphrase, or the recovery code.
    First,
    New,
    Repeat,
}

#[derive(Debug)]
pub struct PassphraseState {
    pub mode: PassphraseMode,
    pub first: SecretField,
    pub new: SecretField,
    pub repeat: SecretField,
    pub focus: PassField,
    pub error: Option<String>,
}

impl PassphraseState {
    pub fn new(mode: PassphraseMode) -> Self {
        Self {
            mode,
            first: SecretField::default(),
            new: SecretField::default(),
            repeat: SecretField::default(),
            focus: PassField::First,
            error: None,
        }
    }

    fn field(&mut self) -> &mut SecretField {
        match self.focus {
            PassField::First => &mut self.first,
            PassField::New => &mut self.new,
            PassField::Repeat => &mut self.repeat,
        }
    }
}

/// The recovery code screens.
#[derive(Debug)]
pub enum RecoveryScreen {
    /// What a recovery code is, and the choice to make one. `first_time` right after a
    /// profile is made (then "not now" goes on to home; later it replaces a code).
    Offer { first_time: bool },
    /// The code, shown this once.
    Show { code: SecretString },
}

/// Home's `P`: the change form.
pub(super) fn open_change(app: &mut App) {
    app.screen = Screen::Passphrase(PassphraseState::new(PassphraseMode::Change));
}

/// Home's `R`: the offer, as a replacement.
pub(super) fn open_offer(app: &mut App) {
    app.screen = Screen::Recovery(RecoveryScreen::Offer { first_time: false });
}

/// The unlock screen's Ctrl-R: the recovery form for the person selected there.
pub(super) fn open_recover(app: &mut App, selected: usize) {
    app.screen = Screen::Passphrase(PassphraseState::new(PassphraseMode::Recover { selected }));
}

pub(super) fn form(app: &mut App, action: Action) -> Vec<Effect> {
    let Screen::Passphrase(state) = &mut app.screen else {
        return Vec::new();
    };
    match action {
        Action::Char(c) => {
            state.error = None;
            state.field().push_str(&c.to_string());
        }
        Action::Paste(text) => state.field().push_str(&text),
        Action::Backspace => state.field().backspace(),
        Action::Next | Action::Down => {
            state.focus = match state.focus {
                PassField::First => PassField::New,
                PassField::New | PassField::Repeat => PassField::Repeat,
            };
        }
        Action::Back | Action::Up => {
            state.focus = match state.focus {
                PassField::First | PassField::New => PassField::First,
                PassField::Repeat => PassField::New,
            };
        }
        Action::Cancel => {
            app.screen = match state.mode {
                PassphraseMode::Change => Screen::Home(HomeState::default()),
                PassphraseMode::Recover { selected } => Screen::Unlock(UnlockState {
                    selected,
                    ..UnlockState::default()
                }),
            };
        }
        Action::Select => return submit(app),
        _ => {}
    }
    Vec::new()
}

fn submit(app: &mut App) -> Vec<Effect> {
    let Screen::Passphrase(state) = &mut app.screen else {
        return Vec::new();
    };
    let first_missing = match state.mode {
        PassphraseMode::Change => "Type your current passphrase first.",
        PassphraseMode::Recover { .. } => "Type your recovery code first, as you wrote it down.",
    };
    if state.first.is_empty() {
        state.focus = PassField::First;
        state.error = Some(first_missing.to_owned());
        return Vec::new();
    }
    match state.focus {
        PassField::First => state.focus = PassField::New,
        PassField::New if state.new.is_empty() => {
            state.error = Some("Choose a new passphrase.".to_owned());
        }
        PassField::New => state.focus = PassField::Repeat,
        PassField::Repeat if !state.new.matches(&state.repeat) => {
            state.new.clear();
            state.repeat.clear();
            state.focus = PassField::New;
            state.error = Some(
                "The two new passphrases were different. Please type it twice again.".to_owned(),
            );
        }
        PassField::Repeat => {
            let first = state.first.take();
            let new = state.new.take();
            state.repeat.clear();
            return match state.mode {
                PassphraseMode::Change => {
                    app.screen = Screen::Busy(BusyState {
                        message: "Changing your passphrase…".to_owned(),
                        back: BusyReturn::Passphrase,
                    });
                    vec![Effect::ChangePassphrase {
                        current: first,
                        new,
                    }]
                }
                PassphraseMode::Recover { selected } => {
                    let Some(person) = app.people.get(selected) else {
                        return Vec::new();
                    };
                    let person = person.id.clone();
                    app.screen = Screen::Busy(BusyState {
                        message: "Checking your recovery code…".to_owned(),
                        back: BusyReturn::Recover { selected },
                    });
                    vec![Effect::Recover {
                        person,
                        code: first,
                        new,
                    }]
                }
            };
        }
    }
    Vec::new()
}

pub(super) fn recovery(app: &mut App, action: &Action) -> Vec<Effect> {
    let Screen::Recovery(screen) = &app.screen else {
        return Vec::new();
    };
    match (screen, action) {
        (RecoveryScreen::Offer { .. }, Action::Select) => {
            app.screen = Screen::Busy(BusyState {
                message: "Making your recovery code…".to_owned(),
                back: BusyReturn::Home,
            });
            return vec![Effect::MakeRecoveryCode];
        }
        (RecoveryScreen::Offer { .. }, Action::Cancel)
        | (RecoveryScreen::Show { .. }, Action::Select) => {
            app.screen = Screen::Home(HomeState::default());
        }
        _ => {}
    }
    Vec::new()
}

/// The driver's report on a passphrase change.
pub(super) fn on_changed(app: &mut App, result: Result<(), String>) {
    match result {
        Ok(()) => {
            app.screen = Screen::Home(HomeState::default());
            app.overlay = Some(Overlay::Notice {
                title: "Your passphrase was changed".to_owned(),
                lines: vec![
                    "From now on, unlock with your new passphrase. The old one no longer opens anything.".to_owned(),
                ],
            });
        }
        Err(message) => {
            let mut state = PassphraseState::new(PassphraseMode::Change);
            state.error = Some(message);
            app.screen = Screen::Passphrase(state);
        }
    }
}

/// The driver's report on a new recovery code.
pub(super) fn on_code_made(app: &mut App, result: Result<SecretString, String>) {
    match result {
        Ok(code) => app.screen = Screen::Recovery(RecoveryScreen::Show { code }),
        Err(message) => {
            app.screen = Screen::Home(HomeState::default());
            app.overlay = Some(Overlay::Notice {
                title: "No recovery code was made".to_owned(),
                lines: vec![message],
            });
        }
    }
}
