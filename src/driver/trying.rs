//! `mend try FILE`: a workbook opened for its author in a throwaway session that lives
//! only in memory. There is no vault: no key is made, nothing is encrypted, and no file
//! is written, not even a draft. Answers are kept until mend quits, so an author can
//! read back what a step records; `v` on home switches between the roles' views.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use chrono::{Local, Offset, Utc};

use super::{DriverError, Perform, event_loop, terminal};
use crate::app::{Action, App, Effect, Failed, Moment, Opened};
use crate::content::Workbook;
use crate::domain::{EntryId, PersonId, Profile};
use crate::vault::{Person, VaultError};

/// The one person a tried workbook is answered as.
fn author() -> Person {
    Person {
        id: PersonId("trying".into()),
        name: "You (trying)".to_owned(),
    }
}

/// Opens `workbook` (read from `file`) for its author to try, until they quit.
pub fn try_workbook(workbook: Workbook, file: &str) -> Result<(), DriverError> {
    let stop = Arc::new(AtomicBool::new(false));
    crate::platform::on_ending(&stop)?;
    let mut app = start(workbook, file);
    app = app.with_offset(Local::now().offset().fix());
    let mut memory = Memory::default();
    let mut screen = terminal::take()?;
    let result = event_loop(&mut screen, &mut app, &mut memory, &stop);
    terminal::give_back(&mut screen);
    // A signal ends a try like a quit: there is nothing to keep.
    match result {
        Err(DriverError::DraftNotKept(_)) => Ok(()),
        other => other,
    }
}

/// The app for trying `workbook`, already at home as the throwaway author, seeing
/// every step (no role chosen) until `v` picks one.
#[must_use]
pub fn start(workbook: Workbook, file: &str) -> App {
    let person = author();
    let mut app = App::new(vec![workbook], vec![person.clone()], Utc::now()).with_trying(file);
    let opened = Opened {
        person: person.clone(),
        people: vec![person],
        missing: 0,
        entries: Vec::new(),
        drafts: Vec::new(),
        profile: Profile::default(),
        problems: Vec::new(),
    };
    app.update(
        Moment::new(Utc::now(), EntryId::random()),
        Action::Unlocked(Ok(opened)),
    );
    app
}

/// What a tried workbook's answers are kept in: nothing but memory.
#[derive(Default)]
pub struct Memory {
    entries: Vec<crate::domain::Entry>,
}

impl Memory {
    fn opened(&self) -> Opened {
        let person = author();
        Opened {
            person: person.clone(),
            people: vec![person],
            missing: 0,
            entries: self.entries.clone(),
            drafts: Vec::new(),
            profile: Profile::default(),
            problems: Vec::new(),
        }
    }
}

fn refused(what: &'static str) -> Arc<VaultError> {
    Arc::new(VaultError::Trying { what })
}

impl Perform for Memory {
    fn perform(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            // Kept by the app itself until it saves or quits; nothing to write.
            Effect::SaveDraft(_) | Effect::SaveProfile(_) | Effect::Lock | Effect::Quit { .. } => {
                None
            }
            Effect::SaveEntry(entry) => {
                self.entries.retain(|e| e.id != entry.id);
                self.entries.insert(0, entry.clone());
                Some(Action::EntrySaved(Ok(entry)))
            }
            Effect::SetVisibility {
                mut entry,
                visibility,
            } => {
                entry.visibility = visibility;
                if let Some(kept) = self.entries.iter_mut().find(|e| e.id == entry.id) {
                    kept.visibility = visibility;
                }
                Some(Action::VisibilityChanged(Ok(entry)))
            }
            Effect::WriteExport { .. } => Some(Action::ExportWritten(Err(refused(
                "Writing a summary to a file",
            )))),
            // After a lock (or the idle lock), any passphrase opens the same memory.
            Effect::Unlock { .. } | Effect::UnlockMissing { .. } | Effect::Recover { .. } => {
                Some(Action::Unlocked(Ok(self.opened())))
            }
            Effect::CreateProfile { back, .. } => Some(Action::ProfileCreated(Err(Failed {
                error: refused("Adding a partner"),
                back,
            }))),
            Effect::ChangePassphrase { .. } => Some(Action::PassphraseChanged(Err(refused(
                "Changing a passphrase",
            )))),
            Effect::MakeRecoveryCode => Some(Action::RecoveryCodeMade(Err(refused(
                "Making a recovery code",
            )))),
        }
    }

    fn write_pending(&mut self) -> Result<(), VaultError> {
        Ok(())
    }
}

impl Memory {
    /// Applies one action and every effect it leads to, as the event loop does.
    pub fn dispatch(&mut self, app: &mut App, now: chrono::DateTime<Utc>, action: Action) {
        // Nothing here draws, and no effect of a try can fail to write.
        let _ = super::dispatch(self, app, now, action, &mut |_| Ok(()));
    }
}
