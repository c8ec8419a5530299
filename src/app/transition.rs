//! How a screen answers an action: it reads a [`Ctx`] (everything but itself) and
//! returns a [`Transition`] (stay or go, with effects, a status line or an overlay).
//! The app applies it; no screen reaches into another or into the app.

use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};

use super::{CurtainState, Effect, Overlay, Screen, Session, UnlockState};
use crate::content::Workbook;
use crate::domain::{EntryId, Person};

/// What a screen may read while it handles an action.
pub struct Ctx<'a> {
    pub workbooks: &'a [Workbook],
    pub people: &'a [Person],
    /// People with a key file whose name is not on the list (see [`super::App::missing`]).
    pub missing: usize,
    pub session: Option<&'a Session>,
    pub now: DateTime<Utc>,
    /// A fresh random id, should this action start a new entry; its random bits also
    /// make a generated passphrase (an action that makes one starts no entry).
    pub fresh_id: EntryId,
    pub offset: FixedOffset,
    /// Where an export goes unless the person types another path.
    pub export_folder: &'a Path,
    /// How far the text on screen can scroll, as last drawn.
    pub scroll_max: u16,
    /// Where a search's matches fell in the entry on screen, as last drawn.
    pub marks: &'a [super::Mark],
}

impl<'a> Ctx<'a> {
    /// The other person in the vault, from the unlocked person's side.
    pub fn partner(&self) -> Option<&'a Person> {
        let me = &self.session?.person;
        self.people.iter().find(|p| p.id != me.id)
    }

    /// Where someone arrives: the welcome in a new vault, otherwise the unlock screen
    /// (also when everyone's name was lost but their key files are here).
    pub fn start_screen(&self) -> Screen {
        start_screen(self.people, self.missing)
    }
}

/// See [`Ctx::start_screen`].
pub(super) fn start_screen(people: &[Person], missing: usize) -> Screen {
    if people.is_empty() && missing == 0 {
        Screen::Welcome
    } else {
        Screen::Unlock(UnlockState::default())
    }
}

/// Where the app goes after a screen has handled an action.
pub(super) enum Next {
    Stay,
    Go(Screen),
    /// Save the draft on screen, lock, and show the curtain for the next person.
    HandOver(CurtainState),
}

/// What a screen asks of the app after handling an action.
#[must_use]
pub struct Transition {
    pub(super) next: Next,
    pub(super) effects: Vec<Effect>,
    pub(super) status: Option<String>,
    pub(super) overlay: Option<Overlay>,
}

impl Transition {
    /// Stay on this screen (it may have changed itself).
    pub fn stay() -> Self {
        Self {
            next: Next::Stay,
            effects: Vec::new(),
            status: None,
            overlay: None,
        }
    }

    /// Go to `screen`.
    pub fn go(screen: Screen) -> Self {
        Self {
            next: Next::Go(screen),
            ..Self::stay()
        }
    }

    /// Go to a waiting screen saying `message` while `effect` runs; its report
    /// carries where to go next.
    pub fn wait(message: impl Into<String>, effect: Effect) -> Self {
        Self::go(Screen::Busy(message.into())).with(effect)
    }

    /// Lock (keeping the draft on screen) and pass the keyboard on.
    pub fn hand_over(curtain: CurtainState) -> Self {
        Self {
            next: Next::HandOver(curtain),
            ..Self::stay()
        }
    }

    /// And carry out `effect`.
    pub fn with(mut self, effect: Effect) -> Self {
        self.effects.push(effect);
        self
    }

    /// And say `status` on the line under the screen.
    pub fn say(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// And show `overlay` above the screen.
    pub fn show(mut self, overlay: Overlay) -> Self {
        self.overlay = Some(overlay);
        self
    }
}
