//! Home: the workbooks' modules and exercises with progress, and where to pick up.
//!
//! Progress is derived from the person's entries and drafts each time it is asked
//! for, never stored, so it cannot drift from what is in the vault.

use super::step::Place;
use crate::content::{
    CHECKIN_MODULE, Exercise, ExerciseId, Module, ModuleId, Workbook, WorkbookId,
};
use crate::entry::{Draft, Entry, Profile};

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
    &entry.exercise.workbook == workbook
        && &entry.exercise.module == module
        && &entry.exercise.exercise == exercise
}

pub fn progress(
    workbook: &Workbook,
    module: &Module,
    exercise: &Exercise,
    entries: &[Entry],
    drafts: &[Draft],
) -> Progress {
    let matches = |e: &Entry| same_exercise(e, &workbook.id, &module.id, &exercise.id);
    if drafts.iter().any(|d| matches(&d.entry)) {
        Progress::InProgress
    } else if entries.iter().any(matches) {
        Progress::Done
    } else {
        Progress::NotStarted
    }
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
pub fn rows(
    workbooks: &[Workbook],
    entries: &[Entry],
    drafts: &[Draft],
    profile: &Profile,
) -> Vec<HomeRow> {
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
                    progress: progress(wb, module, exercise, entries, drafts),
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
        module_title: "Check-in".to_owned(),
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
