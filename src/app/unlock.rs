//! Getting in and taking turns: the unlock screen (with a row for someone whose name
//! is missing from the list), the note before a partner is invited or joins, and the
//! curtain between two people's turns.

use super::{
    Action, BackTo, Ctx, Effect, HomeState, PassphraseMode, PassphraseState, Screen, SecretField,
    Transition, profile,
};

#[derive(Debug, Default)]
pub struct UnlockState {
    pub selected: usize,
    pub passphrase: SecretField,
    pub error: Option<String>,
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

impl UnlockState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Transition {
        // One more row when someone's name is missing from the list.
        let rows = ctx.people.len() + usize::from(ctx.missing > 0);
        match action {
            Action::Char(c) => {
                self.error = None;
                self.passphrase.push_str(&c.to_string());
            }
            Action::Paste(text) => self.passphrase.paste(text),
            Action::Backspace => self.passphrase.backspace(),
            Action::Forgot if self.selected >= ctx.people.len() => {
                self.error = Some(
                    "A recovery code needs your name on the list. Unlock with your passphrase to put it back; then the code works again if you need it.".to_owned(),
                );
            }
            Action::Forgot => {
                return Transition::go(Screen::Passphrase(PassphraseState::new(
                    PassphraseMode::Recover {
                        selected: self.selected,
                    },
                )));
            }
            Action::Up | Action::Back => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::Next => {
                self.selected = (self.selected + 1).min(rows.saturating_sub(1));
            }
            Action::Select => return self.submit(ctx),
            _ => {}
        }
        Transition::stay()
    }

    fn submit(&mut self, ctx: &Ctx) -> Transition {
        if self.passphrase.is_empty() {
            self.error = Some("Type your passphrase, then press Enter.".to_owned());
            return Transition::stay();
        }
        let back = BackTo::Unlock {
            selected: self.selected,
        };
        match ctx.people.get(self.selected) {
            Some(person) => Transition::wait(
                format!("Unlocking {}…", person.name),
                Effect::Unlock {
                    person: person.id.clone(),
                    passphrase: self.passphrase.take(),
                    back,
                },
            ),
            None if ctx.missing > 0 => Transition::wait(
                "Looking for your profile…",
                Effect::UnlockMissing {
                    passphrase: self.passphrase.take(),
                    back,
                },
            ),
            None => Transition::stay(),
        }
    }
}

/// The note before inviting a partner (Enter locks and hands over) or before joining
/// (Enter makes the new profile).
pub(super) fn partner_note(note: NoteFor, action: &Action) -> Transition {
    match (note, action) {
        (NoteFor::Inviter, Action::Select) => Transition::hand_over(CurtainState {
            next_name: None,
            after: AfterCurtain::NewPartner,
        }),
        (NoteFor::Inviter, Action::Cancel) => Transition::go(Screen::Home(HomeState::default())),
        (NoteFor::Joiner, Action::Select) => {
            Transition::go(Screen::CreateProfile(profile::new_create_state()))
        }
        (NoteFor::Joiner, Action::Cancel) => Transition::go(Screen::Unlock(UnlockState::default())),
        _ => Transition::stay(),
    }
}

impl CurtainState {
    /// Enter: the next person's turn begins.
    pub fn update(&self, action: &Action) -> Transition {
        if !matches!(action, Action::Select) {
            return Transition::stay();
        }
        Transition::go(match self.after {
            AfterCurtain::NewPartner => Screen::PartnerNote(NoteFor::Joiner),
            AfterCurtain::Unlock { selected } => Screen::Unlock(UnlockState {
                selected,
                ..UnlockState::default()
            }),
        })
    }
}
