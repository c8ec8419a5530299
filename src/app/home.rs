//! Home: the workbooks' modules and exercises with progress, and where to pick up.
//!
//! Progress is derived from the person's entries and drafts each time it is asked
//! for, never stored, so it cannot drift from what is in the vault. Home and history are
//! drawn at every keypress, so what they derive takes one pass over the entries at
//! most (never one per exercise or per entry), and clones none of them.
//!
//! [`HomeState::update`] moves the cursor and opens what it is on: an exercise (or its
//! draft), history, trends, the export, the passphrase forms, or the hand-over.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::export_screen::ExportState;
use super::step::{self, Place, StepState};
use super::{
    Action, AfterCurtain, Ctx, CurtainState, HistoryState, NoteFor, Origin, PAGE, PassphraseMode,
    PassphraseState, RecoveryScreen, Screen, SearchState, Session, Transition,
};
use crate::content::{
    CHECKIN_MODULE, Exercise, ExerciseId, ModuleId, Visibility, Workbook, WorkbookId,
};
use crate::domain::{Draft, Entry, PersonId};

/// How far a person is with one exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    NotStarted,
    InProgress,
    Done,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "not started",
            Self::InProgress => "in progress",
            Self::Done => "done",
        }
    }
}

/// One row of the home list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HomeRow {
    /// "Continue where you left off": the most recently touched draft.
    Continue {
        draft: usize,
    },
    /// The workbook's quick check-in, any time.
    CheckIn {
        workbook: usize,
    },
    Workbook {
        workbook: usize,
    },
    Module {
        workbook: usize,
        module: usize,
    },
    Exercise {
        workbook: usize,
        module: usize,
        exercise: usize,
        progress: Progress,
    },
}

impl HomeRow {
    pub fn selectable(&self) -> bool {
        matches!(
            self,
            Self::Continue { .. } | Self::CheckIn { .. } | Self::Exercise { .. }
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HomeState {
    /// Index into the selectable rows.
    pub cursor: usize,
}

fn same_exercise(
    entry: &Entry,
    workbook: &WorkbookId,
    module: &ModuleId,
    exercise: &ExerciseId,
) -> bool {
    // The exercise first: it differs most often, so most entries are passed over at once.
    &entry.exercise.exercise == exercise
        && &entry.exercise.module == module
        && &entry.exercise.workbook == workbook
}

/// Which exercise an entry answers, as ids borrowed from it, for sets and maps.
type ExerciseKey<'a> = (&'a str, &'a str, &'a str);

fn key_of(r: &crate::domain::ExerciseRef) -> ExerciseKey<'_> {
    (r.workbook.as_str(), r.module.as_str(), r.exercise.as_str())
}

/// The most recently touched draft, if any.
pub fn latest_draft(drafts: &[Draft]) -> Option<usize> {
    drafts
        .iter()
        .enumerate()
        .max_by_key(|(_, d)| d.entry.updated)
        .map(|(i, _)| i)
}

/// Every row of home, in order: continue, check-ins, then each workbook's modules
/// and the exercises this person's role shows them.
pub fn rows(workbooks: &[Workbook], session: &Session) -> Vec<HomeRow> {
    // Progress is this person's own: a partner's shared entries do not mark anything done.
    // One pass over the entries, whatever the number of exercises: a draft open for an
    // exercise makes it in progress, else an entry of mine makes it done.
    let done: HashSet<ExerciseKey> = session
        .entries
        .iter()
        .filter(|e| session.is_mine(e))
        .map(|e| key_of(&e.exercise))
        .collect();
    let open: HashSet<ExerciseKey> = session
        .drafts
        .iter()
        .map(|d| key_of(&d.entry.exercise))
        .collect();
    let (drafts, profile) = (&session.drafts[..], &session.profile);
    let mut rows = Vec::new();
    if let Some(draft) = latest_draft(drafts) {
        rows.push(HomeRow::Continue { draft });
    }
    for (wi, wb) in workbooks.iter().enumerate() {
        if wb.checkin.is_some() {
            rows.push(HomeRow::CheckIn { workbook: wi });
        }
    }
    for (wi, wb) in workbooks.iter().enumerate() {
        let role = profile.role_in(&wb.id);
        if workbooks.len() > 1 {
            rows.push(HomeRow::Workbook { workbook: wi });
        }
        for (mi, module) in wb.modules.iter().enumerate() {
            rows.push(HomeRow::Module {
                workbook: wi,
                module: mi,
            });
            for (ei, exercise) in module.exercises.iter().enumerate() {
                if !exercise.shown_to(role) {
                    continue;
                }
                rows.push(HomeRow::Exercise {
                    workbook: wi,
                    module: mi,
                    exercise: ei,
                    progress: {
                        let key = (wb.id.as_str(), module.id.as_str(), exercise.id.as_str());
                        if open.contains(&key) {
                            Progress::InProgress
                        } else if done.contains(&key) {
                            Progress::Done
                        } else {
                            Progress::NotStarted
                        }
                    },
                });
            }
        }
    }
    rows
}

/// Finds an exercise by the ids an entry records, the check-in included.
pub fn locate<'a>(
    workbook: &'a Workbook,
    module: &ModuleId,
    exercise: &ExerciseId,
) -> Option<(Place, &'a Exercise)> {
    if module.as_str() == CHECKIN_MODULE {
        let checkin = workbook.checkin.as_ref().filter(|c| &c.id == exercise)?;
        return Some((checkin_place(), checkin));
    }
    let (m, e) = workbook.exercise(module, exercise)?;
    Some((
        Place {
            module: m.id.clone(),
            module_title: m.title.clone(),
        },
        e,
    ))
}

pub fn checkin_place() -> Place {
    Place {
        module: ModuleId::new(CHECKIN_MODULE),
        module_title: "Check-in".into(),
    }
}

/// The draft for an exercise, if one is open.
pub fn draft_for<'a>(
    drafts: &'a [Draft],
    workbook: &WorkbookId,
    module: &ModuleId,
    exercise: &ExerciseId,
) -> Option<&'a Draft> {
    drafts
        .iter()
        .filter(|d| same_exercise(&d.entry, workbook, module, exercise))
        .max_by_key(|d| d.entry.updated)
}

/// Where the cursor goes after finishing an exercise: the one after it, so the
/// natural next step is one Enter away.
pub fn cursor_after(workbooks: &[Workbook], rows: &[HomeRow], done: &Entry) -> usize {
    let selectable: Vec<&HomeRow> = rows.iter().filter(|r| r.selectable()).collect();
    let position = selectable.iter().position(|row| match **row {
        HomeRow::Exercise {
            workbook,
            module,
            exercise,
            ..
        } => {
            let wb = &workbooks[workbook];
            let m = &wb.modules[module];
            same_exercise(done, &wb.id, &m.id, &m.exercises[exercise].id)
        }
        _ => false,
    });
    position.map_or(0, |p| (p + 1).min(selectable.len().saturating_sub(1)))
}

/// Where a together exercise stands between two partners, from one partner's side.
/// Built only from what this person can read: their own entries and what their partner
/// shared. It says nothing about a partner's private answers, not even whether any exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Together {
    /// Nothing of mine yet, and nothing revealed to me.
    NotStarted,
    /// I answered but have not revealed it; the partner has not revealed theirs.
    AnsweredPrivately,
    /// I revealed; waiting for my partner to reveal.
    WaitingOnPartner,
    /// My partner revealed; waiting for me.
    WaitingOnMe,
    /// Both revealed: the side-by-side view is open.
    BothRevealed,
}

/// Where each exercise stands between two partners (see [`Together`]), from one pass
/// over the entries: derived once per change (see [`Session::togethers`]), then looked
/// up per row, and per frame of an entry read side by side.
#[derive(Debug, Default)]
pub struct Togethers {
    by_exercise: HashMap<(WorkbookId, ModuleId, ExerciseId), Standing>,
}

/// One exercise between two partners.
#[derive(Clone, Copy, Debug, Default)]
struct Standing {
    /// My latest entry of it: when, and who can read it.
    mine: Option<(DateTime<Utc>, Visibility)>,
    /// My latest shared entry of it, and my partner's (one they revealed), as indices
    /// into the session's entries.
    my_shared: Option<usize>,
    their_shared: Option<usize>,
}

impl Togethers {
    pub fn of(session: &Session, partner: &PersonId) -> Self {
        let mut by_exercise: HashMap<_, Standing> = HashMap::new();
        // The later of two shared entries, the one found last on a tie.
        let later = |slot: Option<usize>, i: usize| match slot {
            Some(j) if session.entries[j].updated > session.entries[i].updated => Some(j),
            _ => Some(i),
        };
        for (i, e) in session.entries.iter().enumerate() {
            let mine = session.is_mine(e);
            let shared = e.visibility == Visibility::Shared;
            let revealed_to_me = &e.author == partner && shared;
            if !mine && !revealed_to_me {
                continue;
            }
            let r = &e.exercise;
            let key = (r.workbook.clone(), r.module.clone(), r.exercise.clone());
            let slot = by_exercise.entry(key).or_default();
            if mine && slot.mine.is_none_or(|(at, _)| e.updated > at) {
                slot.mine = Some((e.updated, e.visibility));
            }
            if mine && shared {
                slot.my_shared = later(slot.my_shared, i);
            }
            if revealed_to_me {
                slot.their_shared = later(slot.their_shared, i);
            }
        }
        Self { by_exercise }
    }

    fn standing(
        &self,
        workbook: &WorkbookId,
        module: &ModuleId,
        exercise: &ExerciseId,
    ) -> Standing {
        let key = (workbook.clone(), module.clone(), exercise.clone());
        self.by_exercise.get(&key).copied().unwrap_or_default()
    }

    pub fn get(&self, workbook: &WorkbookId, module: &ModuleId, exercise: &ExerciseId) -> Together {
        let standing = self.standing(workbook, module, exercise);
        let mine_revealed = standing.mine.is_some_and(|(_, v)| v == Visibility::Shared);
        let theirs_revealed = standing.their_shared.is_some();
        match (standing.mine.is_some(), mine_revealed, theirs_revealed) {
            (_, true, true) => Together::BothRevealed,
            (_, true, false) => Together::WaitingOnPartner,
            (_, false, true) => Together::WaitingOnMe,
            (true, false, false) => Together::AnsweredPrivately,
            (false, false, false) => Together::NotStarted,
        }
    }

    /// My latest shared entry of the exercise `r` names, and my partner's, as indices
    /// into the session's entries: the pair read side by side.
    pub fn shared_pair(&self, r: &crate::domain::ExerciseRef) -> (Option<usize>, Option<usize>) {
        let standing = self.standing(&r.workbook, &r.module, &r.exercise);
        (standing.my_shared, standing.their_shared)
    }
}

/// The entries history lists, as indices into the session's entries (newest first):
/// derived once per change to them (see [`Session::visible`]).
pub fn history<'a>(
    workbooks: &[Workbook],
    session: &'a Session,
    people: &[crate::domain::Person],
) -> &'a [usize] {
    session.visible(workbooks, people)
}

impl HomeState {
    pub fn update(&mut self, ctx: &Ctx, action: &Action) -> Transition {
        let Some(session) = ctx.session else {
            return Transition::stay();
        };
        let rows: Vec<&HomeRow> = session
            .home_rows(ctx.workbooks)
            .iter()
            .filter(|r| r.selectable())
            .collect();
        let last = rows.len().saturating_sub(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = last,
            Action::Pick(i) if *i == self.cursor => {
                if let Some(row) = rows.get(self.cursor) {
                    return open_row(ctx, session, row);
                }
            }
            Action::Pick(i) => self.cursor = (*i).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(PAGE.into()),
            Action::PageDown => self.cursor = (self.cursor + usize::from(PAGE)).min(last),
            Action::Select => {
                if let Some(row) = rows.get(self.cursor) {
                    return open_row(ctx, session, row);
                }
            }
            Action::Continue => {
                if let Some(row @ HomeRow::Continue { .. }) = rows.first() {
                    return open_row(ctx, session, row);
                }
            }
            Action::History => {
                return Transition::go(Screen::History(HistoryState::default()));
            }
            Action::Search => {
                return Transition::go(Screen::Search(Box::new(SearchState::new(Origin::Home))));
            }
            Action::ChangePassphrase => {
                return Transition::go(Screen::Passphrase(PassphraseState::new(
                    PassphraseMode::Change,
                )));
            }
            Action::NewRecoveryCode => {
                return Transition::go(Screen::Recovery(RecoveryScreen::Offer {
                    first_time: false,
                }));
            }
            Action::AddPartner if ctx.people.len() == 1 => {
                return Transition::go(Screen::PartnerNote(NoteFor::Inviter));
            }
            Action::HandOver => return hand_over(ctx),
            Action::Trends => {
                return Transition::go(Screen::Trends(crate::trends::Range::default()));
            }
            Action::Export => {
                let today = ctx.now.with_timezone(&ctx.offset).date_naive();
                // Where the last summary went (remembered in the encrypted profile).
                let folder = session
                    .profile
                    .export_folder
                    .as_deref()
                    .unwrap_or(ctx.export_folder);
                // Its preview is made once the screen is drawn (see `Action::Work`).
                let state = ExportState::new(session, ctx.people, ctx.workbooks, today, folder);
                return Transition::go(Screen::Export(Box::new(state)));
            }
            _ => {}
        }
        Transition::stay()
    }
}

/// Locks and asks the other partner to take the keyboard.
fn hand_over(ctx: &Ctx) -> Transition {
    let Some(partner) = ctx.partner() else {
        return Transition::stay();
    };
    let selected = ctx
        .people
        .iter()
        .position(|p| p.id == partner.id)
        .unwrap_or(0);
    Transition::hand_over(CurtainState {
        next_name: Some(partner.name.clone()),
        after: AfterCurtain::Unlock { selected },
    })
}

/// Opens the exercise a home row is on: its draft if there is one, else a fresh pass.
fn open_row(ctx: &Ctx, session: &Session, row: &HomeRow) -> Transition {
    let (wb, place, exercise, draft) = match *row {
        HomeRow::Continue { draft } => {
            let Some(draft) = session.drafts.get(draft) else {
                return Transition::stay();
            };
            let r = &draft.entry.exercise;
            let Some(wb) = ctx.workbooks.iter().find(|w| w.id == r.workbook) else {
                return Transition::stay()
                    .say("That draft belongs to a workbook that is not loaded now.");
            };
            let Some((place, exercise)) = locate(wb, &r.module, &r.exercise) else {
                return Transition::stay()
                    .say("That exercise is no longer in its workbook; its draft is kept.");
            };
            (wb, place, exercise, Some(draft))
        }
        HomeRow::CheckIn { workbook } => {
            let wb = &ctx.workbooks[workbook];
            let Some(checkin) = wb.checkin.as_ref() else {
                return Transition::stay();
            };
            let place = checkin_place();
            let draft = draft_for(&session.drafts, &wb.id, &place.module, &checkin.id);
            (wb, place, checkin, draft)
        }
        HomeRow::Exercise {
            workbook,
            module,
            exercise,
            ..
        } => {
            let wb = &ctx.workbooks[workbook];
            let module = &wb.modules[module];
            let exercise = &module.exercises[exercise];
            let draft = draft_for(&session.drafts, &wb.id, &module.id, &exercise.id);
            let place = step::Place {
                module: module.id.clone(),
                module_title: module.title.clone(),
            };
            (wb, place, exercise, draft)
        }
        _ => return Transition::stay(),
    };
    let role = session.profile.role_in(&wb.id);
    let state = match draft {
        Some(draft) => StepState::resume(wb, place, exercise, role, draft),
        None => StepState::start(wb, place, exercise, role, ctx.fresh_id, ctx.now),
    };
    Transition::go(Screen::Step(Box::new(state)))
}
