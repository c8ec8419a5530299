//! Builds the validated workbook from the raw mirror: the workbook, its support
//! resources, modules and exercises. Steps are built in [`super::steps`].
//!
//! Every function looks at all of its fields before giving up, so one run reports every
//! problem; `None` means at least one problem was reported.

use std::ops::Range;

use toml::Spanned;

use super::report::Report;
use super::steps;
use super::values::{SiblingIds, id, named, number_in, optional_text, required_text};
use crate::content::raw::{RawExercise, RawFile, RawModule, RawResource, RawVersion};
use crate::content::{
    Exercise, ExerciseId, Mode, Module, ModuleId, Resource, Visibility, Workbook, WorkbookId,
};

/// How long an exercise may say it takes, in minutes.
const ESTIMATED_MINUTES: std::ops::RangeInclusive<i64> = 1..=240;

pub fn workbook(raw: RawFile, report: &mut Report<'_>) -> Option<Workbook> {
    // Modules are checked even when [workbook] is missing (already reported), so the
    // author sees their problems in the same run.
    let header = raw.workbook.as_ref().map_or(0..0, Spanned::span);
    let modules = modules(raw.modules, &header, report);
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
        version: version?,
        description: description?,
        resources: resources?,
        modules: modules?,
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
    Some(Resource {
        name: name?,
        country: country?,
        contact: contact?,
        note: optional_text(raw.note.as_ref()),
    })
}

fn modules(
    raw: Vec<Spanned<RawModule>>,
    workbook_header: &Range<usize>,
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
            self::module(module, report)
        })
        .collect();
    modules.into_iter().collect()
}

fn module(raw: Spanned<RawModule>, report: &mut Report<'_>) -> Option<Module> {
    let header = raw.span();
    let raw = raw.into_inner();
    let id = id(raw.id.as_ref(), ModuleId::new, report);
    let title = required_text(raw.title.as_ref(), "title", report);
    let exercises = if raw.exercises.is_empty() {
        report.at(
            &header,
            "this module has no exercises",
            "add at least one [[modules.exercises]] table below it, with an id, a title \
             and at least one step",
        );
        None
    } else {
        let mut ids = SiblingIds::default();
        let parent = parent_phrase("module", raw.id.as_ref());
        let exercises: Vec<_> = raw
            .exercises
            .into_iter()
            .map(|exercise| {
                ids.record(exercise.get_ref().id.as_ref(), "exercise", &parent, report);
                self::exercise(exercise, report)
            })
            .collect();
        exercises.into_iter().collect()
    };
    Some(Module {
        id: id?,
        title: title?,
        intro: optional_text(raw.intro.as_ref()),
        exercises: exercises?,
    })
}

fn exercise(raw: Spanned<RawExercise>, report: &mut Report<'_>) -> Option<Exercise> {
    let header = raw.span();
    let raw = raw.into_inner();
    let id = id(raw.id.as_ref(), ExerciseId::new, report);
    let title = required_text(raw.title.as_ref(), "title", report);
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
    let estimated_minutes = match &raw.estimated_minutes {
        None => Some(None),
        Some(minutes) => number_in(
            minutes,
            "estimated_minutes",
            ESTIMATED_MINUTES,
            "it is a rough guide shown before the exercise starts; use 1 to 240 minutes",
            report,
        )
        .map(|minutes| u16::try_from(minutes).ok()),
    };
    let parent = parent_phrase("exercise", raw.id.as_ref());
    let steps = steps::steps(raw.steps, &header, &parent, report);
    Some(Exercise {
        id: id?,
        title: title?,
        intro: optional_text(raw.intro.as_ref()),
        mode: mode?,
        default_visibility: default_visibility?,
        estimated_minutes: estimated_minutes?,
        steps: steps?,
    })
}

/// "in module \"name\"", for duplicate-id messages.
pub fn parent_phrase(what: &str, id: Option<&Spanned<String>>) -> String {
    match id {
        Some(id) => format!("in {what} \"{}\"", id.get_ref()),
        None => format!("in this {what}"),
    }
}
