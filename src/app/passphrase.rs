//! Keeping a way in: changing a passphrase, making a recovery code (offered right
//! after a profile is created, and from home), and using the code at the unlock
//! screen when the passphrase is forgotten.
//!
//! Secrets live in [`SecretField`]s while typed and are taken out into the effect that
//! uses them; a recovery code is on screen once, and dropped when the person leaves it.
//! A new passphrase too easy to guess is refused as on the new-profile form, and Ctrl-G
//! fills in one mend makes.

use age::secrecy::{ExposeSecret, SecretString};

use super::fields::Strength;
use super::{
    Action, App, BackTo, Ctx, Effect, Failure, HomeState, Overlay, Screen, SecretField, Transition,
    UnlockState, profile,
};
use crate::words;

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
    /// How strong the new passphrase is, kept up to date as it is typed.
    pub strength: Option<Strength>,
    /// A passphrase mend made (Ctrl-G), on screen to be written down; gone once either
    /// new passphrase field is edited.
    pub generated: Option<SecretString>,
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
            strength: None,
            generated: None,
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

impl PassphraseState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Transition {
        match action {
            Action::Char(_) | Action::Paste(_) | Action::Backspace => self.edit(ctx, action),
            Action::GeneratePassphrase => self.generate(ctx),
            Action::Next | Action::Down => {
                self.focus = match self.focus {
                    PassField::First => PassField::New,
                    PassField::New | PassField::Repeat => PassField::Repeat,
                };
            }
            Action::Back | Action::Up => {
                self.focus = match self.focus {
                    PassField::First | PassField::New => PassField::First,
                    PassField::Repeat => PassField::New,
                };
            }
            Action::Cancel => {
                return Transition::go(match self.mode {
                    PassphraseMode::Change => Screen::Home(HomeState::default()),
                    PassphraseMode::Recover { selected } => Screen::Unlock(UnlockState {
                        selected,
                        ..UnlockState::default()
                    }),
                });
            }
            Action::Select => return self.submit(ctx),
            _ => {}
        }
        Transition::stay()
    }

    /// A character typed, a paste, or Backspace, in the field with the focus.
    fn edit(&mut self, ctx: &Ctx, action: Action) {
        if !matches!(action, Action::Backspace) {
            self.error = None;
        }
        let field = self.field();
        match action {
            // On the stack: a typed character leaves no copy on the heap.
            Action::Char(c) => field.push_str(c.encode_utf8(&mut [0; 4])),
            Action::Paste(text) => field.paste(text),
            Action::Backspace => field.backspace(),
            _ => {}
        }
        if self.focus != PassField::First {
            // Typed over, the passphrase mend made is no longer the one in the fields.
            self.generated = None;
            self.strength = self.new.strength(&[self.name(ctx)]);
        }
    }

    /// Ctrl-G: both new passphrase fields filled with six random words, shown to be
    /// written down. The words come from this action's fresh random id (see
    /// [`words::Seed::from_uuid`]), so nothing here draws randomness.
    fn generate(&mut self, ctx: &Ctx) {
        let phrase = words::passphrase(words::Seed::from_uuid(ctx.fresh_id.0));
        for field in [&mut self.new, &mut self.repeat] {
            field.clear();
            field.push_str(phrase.expose_secret());
        }
        self.strength = self.new.strength(&[self.name(ctx)]);
        self.generated = Some(phrase);
        self.error = None;
        self.focus = if self.first.is_empty() {
            PassField::First
        } else {
            PassField::Repeat
        };
    }

    /// The name of the person whose passphrase this is, for the strength estimate.
    fn name<'a>(&self, ctx: &Ctx<'a>) -> &'a str {
        let person = match self.mode {
            PassphraseMode::Change => ctx.session.map(|s| &s.person),
            PassphraseMode::Recover { selected } => ctx.people.get(selected),
        };
        person.map_or("", |p| p.name.as_str())
    }

    fn submit(&mut self, ctx: &Ctx) -> Transition {
        let first_missing = match self.mode {
            PassphraseMode::Change => "Type your current passphrase first.",
            PassphraseMode::Recover { .. } => {
                "Type your recovery code first, as you wrote it down."
            }
        };
        if self.first.is_empty() {
            self.focus = PassField::First;
            self.error = Some(first_missing.to_owned());
            return Transition::stay();
        }
        // Checked on the way out of the new passphrase and again at the end, since Tab
        // leaves a field without Enter.
        if self.focus != PassField::First
            && let Some(weak) = self.new.strength(&[self.name(ctx)])
            && !weak.is_enough()
        {
            self.focus = PassField::New;
            self.error = Some(profile::refusal(&weak));
            return Transition::stay();
        }
        match self.focus {
            PassField::First => self.focus = PassField::New,
            PassField::New if self.new.is_empty() => {
                self.error = Some("Choose a new passphrase.".to_owned());
            }
            PassField::New => self.focus = PassField::Repeat,
            PassField::Repeat if !self.new.matches(&self.repeat) => {
                self.new.clear();
                self.repeat.clear();
                self.strength = None;
                self.focus = PassField::New;
                self.error = Some(
                    "The two new passphrases were different. Please type it twice again."
                        .to_owned(),
                );
            }
            PassField::Repeat => {
                let first = self.first.take();
                let new = self.new.take();
                self.repeat.clear();
                return match self.mode {
                    PassphraseMode::Change => Transition::wait(
                        "Changing your passphrase…",
                        Effect::ChangePassphrase {
                            current: first,
                            new,
                        },
                    ),
                    PassphraseMode::Recover { selected } => {
                        let Some(person) = ctx.people.get(selected) else {
                            return Transition::stay();
                        };
                        Transition::wait(
                            "Checking your recovery code…",
                            Effect::Recover {
                                person: person.id.clone(),
                                code: first,
                                new,
                                back: BackTo::Recover { selected },
                            },
                        )
                    }
                };
            }
        }
        Transition::stay()
    }
}

impl RecoveryScreen {
    pub fn update(&self, action: &Action) -> Transition {
        match (self, action) {
            (Self::Offer { .. }, Action::Select) => {
                Transition::wait("Making your recovery code…", Effect::MakeRecoveryCode)
            }
            (Self::Offer { .. }, Action::Cancel) | (Self::Show { .. }, Action::Select) => {
                Transition::go(Screen::Home(HomeState::default()))
            }
            _ => Transition::stay(),
        }
    }
}

/// The driver's report on a passphrase change.
pub(super) fn on_changed(app: &mut App, result: Result<(), Failure>) {
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
        Err(error) => {
            let mut state = PassphraseState::new(PassphraseMode::Change);
            state.error = Some(error.to_string());
            app.screen = Screen::Passphrase(state);
        }
    }
}

/// The driver's report on a new recovery code.
pub(super) fn on_code_made(app: &mut App, result: Result<SecretString, Failure>) {
    match result {
        Ok(code) => app.screen = Screen::Recovery(RecoveryScreen::Show { code }),
        Err(error) => {
            app.screen = Screen::Home(HomeState::default());
            app.overlay = Some(Overlay::Notice {
                title: "No recovery code was made".to_owned(),
                lines: vec![error.to_string()],
            });
        }
    }
}
