//! The driver's reports on slow or fallible work: a profile opened (or not), an entry
//! saved, a visibility changed, a draft or a quit that the disk refused. Errors arrive
//! typed ([`Failure`]); an unlock that failed carries where the person goes back to. And
//! what opening the vault had to repair, said before anyone unlocks.

use std::path::PathBuf;

use super::{
    App, BackTo, CreateField, CreateState, Failed, Failure, HomeState, Opened, Overlay,
    PassphraseMode, PassphraseState, RecoveryScreen, Screen, Session, UnlockState, home, profile,
};
use crate::content::Visibility;
use crate::domain::Entry;
use crate::text::sanitize;

impl App {
    /// Says, before anyone unlocks, that the vault's permissions had been loosened, and
    /// whether mend could set them back: someone or something let other accounts open
    /// its files.
    pub fn warn_loosened(&mut self, loosened: &[PathBuf], still_open: &[PathBuf]) {
        if loosened.is_empty() {
            return;
        }
        let done = match still_open.first() {
            None => "mend has set them back to owner-only.".to_owned(),
            Some(first) => format!(
                "mend could not set {} of them back (the first is {}): make them owner-only yourself (chmod 700 for folders, 600 for files).",
                still_open.len(),
                first.display()
            ),
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

    /// A profile was made (`created`) or unlocked, or did not open.
    pub(super) fn on_opened(
        &mut self,
        result: Result<Opened, Failed>,
        created: bool,
    ) -> Vec<super::Effect> {
        let recovered = std::mem::take(&mut self.recovering);
        let opened = match result {
            Ok(opened) => opened,
            Err(Failed { error, back }) => {
                self.screen = back_to(back, &error);
                return Vec::new();
            }
        };
        self.people = opened.people;
        self.missing = opened.missing;
        self.home_cursor = 0;
        let mut entries = opened.entries;
        entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
        self.status = Some(match &self.trying {
            None if recovered => format!(
                "Your new passphrase is set, {}, and it opened your profile. Unlock with it from now on.",
                opened.person.name
            ),
            Some(file) => {
                format!("Trying {file}: nothing is saved to disk. v: see it as another role.")
            }
            None => format!(
                "Welcome, {}. Everything here is encrypted on this computer.",
                opened.person.name
            ),
        });
        self.session = Some(Session::new(
            opened.person,
            entries,
            opened.drafts,
            opened.profile,
        ));
        self.screen = if created {
            // A new profile's first screen: the one chance to make a second way in.
            Screen::Recovery(RecoveryScreen::Offer { first_time: true })
        } else {
            Screen::Home(HomeState::default())
        };
        if !opened.problems.is_empty() {
            self.overlay = Some(Overlay::Notice {
                title: "Some files needed attention".to_owned(),
                lines: opened
                    .problems
                    .iter()
                    .map(|p| format!("{}: {}", p.file.display(), p.message))
                    .collect(),
            });
        }
        Vec::new()
    }

    pub(super) fn on_draft_save_failed(&mut self, error: &Failure) {
        if self.session.is_none() {
            // Locked or curtained: say nothing of anyone's drafts to whoever is here now.
            self.status =
                Some("A file could not be written yet; mend keeps it and tries again.".to_owned());
            return;
        }
        self.overlay = Some(Overlay::Notice {
            title: "Your draft could not be saved yet".to_owned(),
            lines: vec![
                error.to_string(),
                "It is kept, encrypted, in memory, and mend tries again at every save. Nothing you typed is lost while mend stays open.".to_owned(),
            ],
        });
    }

    pub(super) fn on_quit_blocked(&mut self, error: &Failure) {
        self.should_quit = false;
        self.quit_warned = true;
        // Not ending after all: what the person wrote is freed now, not at the end.
        self.leaving = None;
        // The keys are already gone: the next step is to unlock again.
        self.screen = Screen::Unlock(UnlockState::default());
        self.overlay = Some(Overlay::Notice {
            title: "A draft could not be written yet".to_owned(),
            lines: vec![
                error.to_string(),
                "It is kept in memory, encrypted, and nothing is lost while mend stays open. Free some space (or fix the folder), then quit again to write it.".to_owned(),
                "To leave anyway and lose that draft, quit once more.".to_owned(),
            ],
        });
    }

    pub(super) fn on_visibility_changed(&mut self, result: Result<Entry, Failure>) {
        let partner = self.partner().map(|p| sanitize(&p.name).into_owned());
        match result {
            Ok(entry) => {
                self.status = Some(match (entry.visibility, partner) {
                    (Visibility::Shared, Some(partner)) => {
                        format!("Shared: {partner} can now read this entry.")
                    }
                    (Visibility::Shared, None) => {
                        "Shared: a partner you invite to this vault will be able to read it."
                            .to_owned()
                    }
                    (Visibility::Private, Some(partner)) => format!(
                        "Private again. {partner} can no longer open it, but may already have read it."
                    ),
                    (Visibility::Private, None) => {
                        "Private again: only you can read it.".to_owned()
                    }
                });
                if let Some(session) = self.session.as_mut()
                    && let Some(slot) = session.entries.iter_mut().find(|e| e.id == entry.id)
                {
                    *slot = entry;
                    session.changed();
                }
            }
            Err(error) => {
                self.overlay = Some(Overlay::Notice {
                    title: "That change could not be saved".to_owned(),
                    lines: vec![error.to_string(), "The entry is as it was.".to_owned()],
                });
            }
        }
    }

    pub(super) fn on_entry_saved(&mut self, result: &Result<Entry, Failure>) -> Vec<super::Effect> {
        let partner = self.partner().map(|p| sanitize(&p.name).into_owned());
        let entry = match result {
            Ok(entry) => entry.clone(),
            Err(error) => {
                self.overlay = Some(Overlay::Notice {
                    title: "Your answers could not be saved".to_owned(),
                    lines: vec![
                        error.to_string(),
                        "Nothing is lost: your answers are still here. Press Enter on the last page to try again.".to_owned(),
                    ],
                });
                return Vec::new();
            }
        };
        let Some(session) = self.session.as_mut() else {
            return Vec::new();
        };
        session.drafts.retain(|d| d.entry.id != entry.id);
        session.entries.retain(|e| e.id != entry.id);
        session.changed();
        self.status = Some(match (entry.visibility, partner) {
            _ if self.trying.is_some() => {
                "Kept in memory until you quit (trying: nothing is saved to disk).".to_owned()
            }
            (Visibility::Private, _) => {
                "Saved and encrypted. Only you can ever read it.".to_owned()
            }
            (Visibility::Shared, Some(name)) => {
                format!("Saved and encrypted, marked shared: {name} can read it too.")
            }
            (Visibility::Shared, None) => "Saved and encrypted, marked shared: a partner you \
                                           invite to this vault will be able to read it."
                .to_owned(),
        });
        let cursor = home::cursor_after(
            &self.workbooks,
            &home::rows(&self.workbooks, session),
            &entry,
        );
        session.entries.insert(0, entry);
        session.changed();
        self.screen = Screen::Home(HomeState { cursor });
        Vec::new()
    }
}

/// The form a person goes back to when their profile did not open, saying why.
fn back_to(back: BackTo, error: &Failure) -> Screen {
    let message = Some(error.to_string());
    match back {
        BackTo::Create { name } => {
            let mut state = profile::new_create_state();
            state.name.push_str(&name);
            Screen::CreateProfile(CreateState {
                focus: CreateField::Passphrase,
                error: message,
                ..state
            })
        }
        BackTo::Unlock { selected } => Screen::Unlock(UnlockState {
            selected,
            error: message,
            ..UnlockState::default()
        }),
        BackTo::Recover { selected } => {
            let mut state = PassphraseState::new(PassphraseMode::Recover { selected });
            state.error = message;
            Screen::Passphrase(state)
        }
    }
}
