//! Builds the validated workbook from the raw mirror: the workbook, its support
//! resources, modules, exercises and check-in. Roles are built in [`super::roles`],
//! steps in [`super::steps`].
//!
//! Every function looks at all of its fields before giving up, so one run reports every
//! problem; `None` means at least one problem was reported.

use std::ops::Range;

use toml::Spanned;

use super::report::Report;
use super::roles::{self, DefinedRoles};
use super::steps::{self, StepsOf};
use super::values::{Reported, SiblingIds, id, named, number_in, optional_text, required_text};
use crate::content::raw::{RawCheckin, RawExercise, RawFile, RawModule, RawResource, RawVersion};
use crate::content::{
    CHECKIN_MODULE, Exercise, ExerciseId, Mode, Module, ModuleId, Resource, Visibility, Workbook,
    WorkbookId,
};

/// How long an exercise may say it takes, in minutes.
const ESTIMATED_MINUTES: std::ops::RangeInclusive<i64> = 1..=240;

/// How duplicate-id messages name the check-in.
const IN_THE_CHECKIN: &str = "in the check-in";

pub fn workbook(raw: RawFile, report: &mut Report<'_>) -> Option<Workbook> {
    // Modules are checked even when [workbook] is missing (already reported), so the
    // author sees their problems in the same run.
    let header = raw.workbook.as_ref().map_or(0..0, Spanned::span);
    let raw_roles = raw
        .workbook
        .as_ref()
        .map_or(&[][..], |workbook| workbook.get_ref().roles.as_slice());
    let defined = DefinedRoles::new(raw_roles);
    let roles = roles::roles(raw_roles, report);
    exercise_ids_are_unique(&raw, report);
    let modules = modules(raw.modules, &header, &defined, report);
    let checkin = match raw.checkin {
        None => Ok(None),
        Some(checkin) => self::checkin(checkin, &defined, report)
            .map(Some)
            .ok_or(Reported),
    };
    let workbook = raw.workbook?.into_inner();
    let id = id(workbook.id.as_ref(), WorkbookId::new, report);
    let title = required_text(workbook.title.as_ref(), "title", report);
    let version = workbook.version.as_ref().and_then(|v| version(v, report));
    let description = required_text(workbook.description.as_ref(), "description", report);
    let resources: Option<Vec<_>> = workbook
        .resources
        .iter()
        .map(|resource| self::resource(resource.get_ref(), report))
        .collect();
    Some(Workbook {
        id: id?,
        title: title?,
        version: version?.into(),
        description: description?,
        resources: resources?,
        modules: modules?,
        roles: roles?,
        checkin: checkin.ok()?,
    })
}

fn version(value: &Spanned<RawVersion>, report: &mut Report<'_>) -> Option<String> {
    match value.get_ref() {
        RawVersion::Number(number) => Some(number.to_string()),
        RawVersion::Text(text) => {
            let text = Spanned::new(value.span(), text.clone());
            required_text(Some(&text), "version", report)
        }
    }
}

fn resource(raw: &RawResource, report: &mut Report<'_>) -> Option<Resource> {
    let name = required_text(raw.name.as_ref(), "name", report);
    let country = required_text(raw.country.as_ref(), "country", report);
    let contact = required_text(raw.contact.as_ref(), "contact", report);
    let note = optional_text(raw.note.as_ref(), "note", report);
    Some(Resource {
        name: name?,
        country: country?,
        contact: contact?,
        note,
    })
}

/// Answers and exports find an exercise by its id alone, so exercise ids (the
/// check-in's too) are unique in the whole workbook. Checked in file order, so the
/// second use is the one reported, wherever the check-in is written.
fn exercise_ids_are_unique(raw: &RawFile, report: &mut Report<'_>) {
    let mut uses: Vec<(&Spanned<String>, String)> = Vec::new();
    for module in &raw.modules {
        let module = module.get_ref();
        let parent = parent_phrase("module", module.id.as_ref());
        for exercise in &module.exercises {
            if let Some(id) = &exercise.get_ref().id {
                uses.push((id, parent.clone()));
            }
        }
    }
    if let Some(id) = raw.checkin.as_ref().and_then(|c| c.get_ref().id.as_ref()) {
        uses.push((id, IN_THE_CHECKIN.to_owned()));
    }
    uses.sort_by_key(|(id, _)| id.span().start);
    let mut ids = SiblingIds::default();
    for (id, parent) in uses {
        ids.record(Some(id), "exercise", &parent, report);
    }
}

fn modules(
    raw: Vec<Spanned<RawModule>>,
    workbook_header: &Range<usize>,
    roles: &DefinedRoles,
    report: &mut Report<'_>,
) -> Option<Vec<Module>> {
    if raw.is_empty() {
        report.at(
            workbook_header,
            "the workbook has no modules",
            "add a [[modules]] table with an id, a title and at least one exercise",
        );
        return None;
    }
    let mut ids = SiblingIds::default();
    let modules: Vec<_> = raw
        .into_iter()
        .map(|module| {
            ids.record(
                module.get_ref().id.as_ref(),
                "module",
                "in this workbook",
                report,
            );
            self::module(module, roles, report)
        })
        .collect();
    modules.into_iter().collect()
}

fn module(
    raw: Spanned<RawModule>,
    roles: &DefinedRoles,
    report: &mut Report<'_>,
) -> Option<Module> {
    let header = raw.span();
    let raw = raw.into_inner();
    let id = id(raw.id.as_ref(), ModuleId::new, report).filter(|id| not_reserved(id, &raw, report));
    let title = required_text(raw.title.as_ref(), "title", report);
    let intro = optional_text(raw.intro.as_ref(), "intro", report);
    let exercises = if raw.exercises.is_empty() {
        report.at(
            &header,
            "this module has no exercises",
            "add at least one [[modules.exercises]] table below it, with an id, a title \
             and at least one step",
        );
        None
    } else {
        let exercises: Vec<_> = raw
            .exercises
            .into_iter()
            .map(|exercise| self::exercise(exercise, roles, report))
            .collect();
        exercises.into_iter().collect()
    };
    Some(Module {
        id: id?,
        title: title?.into(),
        intro,
        exercises: exercises?,
    })
}

/// A module may not use the id the check-in's entries are filed under.
fn not_reserved(id: &ModuleId, raw: &RawModule, report: &mut Report<'_>) -> bool {
    if id.as_str() != CHECKIN_MODULE {
        return true;
    }
    let span = raw.id.as_ref().map_or(0..0, Spanned::span);
    report.at(
        &span,
        format!("the module id \"{CHECKIN_MODULE}\" is reserved for the check-in"),
        "mend files the answers of the quick check-in under this id. Give this module \
         another id, like \"checking-in\"; to write a check-in, use a [checkin] table.",
    );
    false
}

fn exercise(
    raw: Spanned<RawExercise>,
    roles: &DefinedRoles,
    report: &mut Report<'_>,
) -> Option<Exercise> {
    let header = raw.span();
    let raw = raw.into_inner();
    let id = id(raw.id.as_ref(), ExerciseId::new, report);
    let title = required_text(raw.title.as_ref(), "title", report);
    let intro = optional_text(raw.intro.as_ref(), "intro", report);
    let mode = named(
        raw.mode.as_ref(),
        "mode",
        &[
            ("solo", Mode::Solo),
            ("together", Mode::Together),
            ("either", Mode::Either),
        ],
        Mode::Either,
        report,
    );
    let default_visibility = named(
        raw.default_visibility.as_ref(),
        "default_visibility",
        &[
            ("private", Visibility::Private),
            ("shared", Visibility::Shared),
        ],
        Visibility::Private,
        report,
    );
    let estimated_minutes = estimated_minutes(raw.estimated_minutes.as_ref(), report);
    let for_role = roles.for_role(raw.for_role.as_ref(), report);
    let of = StepsOf {
        owner: "this exercise",
        table: "[[modules.exercises.steps]]",
        parent: parent_phrase("exercise", raw.id.as_ref()),
    };
    let steps = steps::steps(raw.steps, &header, &of, roles, report);
    let exercise = Exercise {
        id: id?,
        title: title?.into(),
        intro,
        mode: mode?,
        default_visibility: default_visibility?,
        estimated_minutes: estimated_minutes.ok()?,
        steps: steps?,
        for_role: for_role.ok()?,
        for_session: raw.session.as_ref().is_some_and(|s| *s.get_ref()),
    };
    roles
        .each_sees_a_step(&exercise, of.owner, &header, report)
        .then_some(exercise)
}

/// The `[checkin]` table: an exercise anyone may do at any time, kept private.
fn checkin(
    raw: Spanned<RawCheckin>,
    roles: &DefinedRoles,
    report: &mut Report<'_>,
) -> Option<Exercise> {
    let header = raw.span();
    let raw = raw.into_inner();
    let id = id(raw.id.as_ref(), ExerciseId::new, report);
    let title = required_text(raw.title.as_ref(), "title", report);
    let intro = optional_text(raw.intro.as_ref(), "intro", report);
    let estimated_minutes = estimated_minutes(raw.estimated_minutes.as_ref(), report);
    let of = StepsOf {
        owner: "the check-in",
        table: "[[checkin.steps]]",
        parent: IN_THE_CHECKIN.to_owned(),
    };
    let steps = steps::steps(raw.steps, &header, &of, roles, report);
    let checkin = Exercise {
        id: id?,
        title: title?.into(),
        intro,
        mode: Mode::Either,
        default_visibility: Visibility::Private,
        estimated_minutes: estimated_minutes.ok()?,
        steps: steps?,
        for_role: None,
        for_session: false,
    };
    roles
        .each_sees_a_step(&checkin, of.owner, &header, report)
        .then_some(checkin)
}

/// An optional `estimated_minutes`: `Ok(None)` when not given.
fn estimated_minutes(
    value: Option<&Spanned<i64>>,
    report: &mut Report<'_>,
) -> Result<Option<u16>, Reported> {
    let Some(minutes) = value else {
        return Ok(None);
    };
    number_in(
        minutes,
        "estimated_minutes",
        ESTIMATED_MINUTES,
        "it is a rough guide shown before the exercise starts; use 1 to 240 minutes",
        report,
    )
    .and_then(|minutes| u16::try_from(minutes).ok())
    .map(Some)
    .ok_or(Reported)
}

/// "in module \"name\"", for duplicate-id messages.
pub fn parent_phrase(what: &str, id: Option<&Spanned<String>>) -> String {
    match id {
        Some(id) => format!("in {what} \"{}\"", id.get_ref()),
        None => format!("in this {what}"),
    }
}
