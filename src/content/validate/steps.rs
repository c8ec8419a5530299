//! Builds validated steps from raw ones, one function per kind, for an exercise or for
//! the check-in.
//!
//! Which keys a kind may have was settled by the shape check (it removed keys a kind
//! does not use and reported missing ones); this module checks the values: ids, empty
//! prompts, a scale's range and labels, a choice's options and a checklist's items.

use std::ops::{Range, RangeInclusive};

use toml::Spanned;

use super::build::parent_phrase;
use super::report::Report;
use super::roles::DefinedRoles;
use super::values::{Reported, SiblingIds, id, number_in, optional_text, required_text};
use crate::content::raw::{RawOption, RawStep};
use crate::content::{ChoiceOption, OptionId, Step, StepId, StepKind};

/// The values a scale's ends may take.
const SCALE_ENDS: RangeInclusive<i64> = -1000..=1000;
/// The most points a scale may have: 0 to 20. Each point is chosen with the arrow keys
/// and drawn on one line, so a wider scale is hard to use and does not fit a screen.
const MAX_SCALE_POINTS: i64 = 21;
/// The lengths a text step may suggest, in characters.
const TEXT_LENGTHS: RangeInclusive<i64> = 0..=100_000;

/// Whose steps they are, as messages name it.
pub struct StepsOf<'a> {
    /// "this exercise" or "the check-in".
    pub owner: &'a str,
    /// The steps' table, e.g. "[[modules.exercises.steps]]".
    pub table: &'a str,
    /// Where duplicate step ids are, e.g. "in exercise \"talk\"".
    pub parent: String,
}

/// All steps of one exercise or of the check-in.
pub fn steps(
    raw: Vec<Spanned<RawStep>>,
    header: &Range<usize>,
    of: &StepsOf<'_>,
    roles: &DefinedRoles,
    report: &mut Report<'_>,
) -> Option<Vec<Step>> {
    if raw.is_empty() {
        report.at(
            header,
            format!("{} has no steps", of.owner),
            format!(
                "add at least one {} table below it, with an id, a kind and a prompt",
                of.table
            ),
        );
        return None;
    }
    let mut ids = SiblingIds::default();
    let steps: Vec<_> = raw
        .into_iter()
        .map(|step| {
            ids.record(step.get_ref().id.as_ref(), "step", &of.parent, report);
            self::step(step, roles, report)
        })
        .collect();
    steps.into_iter().collect()
}

fn step(raw: Spanned<RawStep>, roles: &DefinedRoles, report: &mut Report<'_>) -> Option<Step> {
    let header = raw.span();
    let raw = raw.into_inner();
    let id = id(raw.id.as_ref(), StepId::new, report);
    let for_role = roles.for_role(raw.for_role.as_ref(), report);
    // A missing or unknown kind was reported by the shape check.
    let kind = raw.kind.as_ref()?.get_ref().as_str();
    let (prompt, kind) = if kind == "reflect" {
        let text = required_text(raw.text.as_ref(), "text", report);
        (text, Some(StepKind::Reflect))
    } else {
        let prompt = required_text(raw.prompt.as_ref(), "prompt", report);
        let parent = parent_phrase("step", raw.id.as_ref());
        let kind = match kind {
            "text" => text(&raw, report),
            "scale" => scale(&raw, report),
            "choice" => choice(&raw, &header, &parent, report),
            "checklist" => checklist(&raw, &header, &parent, report),
            _ => None,
        };
        (prompt, kind)
    };
    Some(Step {
        id: id?,
        prompt: prompt?.into(),
        kind: kind?,
        for_role: for_role.ok()?,
    })
}

fn text(raw: &RawStep, report: &mut Report<'_>) -> Option<StepKind> {
    let placeholder = optional_text(raw.placeholder.as_ref(), "placeholder", report);
    let min_length = length(raw.min_length.as_ref(), "min_length", report);
    let max_length = length(raw.max_length.as_ref(), "max_length", report);
    if let (Ok(Some(min)), Ok(Some(max)), Some(max_value)) =
        (min_length, max_length, &raw.max_length)
        && min > max
    {
        report.at(
            &max_value.span(),
            format!("`max_length` ({max}) is smaller than `min_length` ({min})"),
            "make `max_length` at least as large as `min_length`, or remove one of them",
        );
        return None;
    }
    Some(StepKind::Text {
        placeholder,
        min_length: min_length.ok()?,
        max_length: max_length.ok()?,
    })
}

/// An optional length hint: `Ok(None)` when not given.
fn length(
    value: Option<&Spanned<i64>>,
    key: &str,
    report: &mut Report<'_>,
) -> Result<Option<u32>, Reported> {
    let why = "it is a gentle hint shown while writing, in characters; 0 to 100000";
    match value {
        None => Ok(None),
        Some(value) => number_in(value, key, TEXT_LENGTHS, why, report)
            .and_then(|number| u32::try_from(number).ok())
            .map(Some)
            .ok_or(Reported),
    }
}

fn scale(raw: &RawStep, report: &mut Report<'_>) -> Option<StepKind> {
    let why = "a scale's ends must be from -1000 to 1000; 0 to 10 is a good default";
    let min = raw
        .min
        .as_ref()
        .and_then(|min| number_in(min, "min", SCALE_ENDS, why, report));
    let max = raw
        .max
        .as_ref()
        .and_then(|max| number_in(max, "max", SCALE_ENDS, why, report));
    let min_label = required_text(raw.min_label.as_ref(), "min_label", report);
    let max_label = required_text(raw.max_label.as_ref(), "max_label", report);
    let (min, max, max_value) = (min?, max?, raw.max.as_ref()?);
    if min >= max {
        report.at(
            &max_value.span(),
            format!("`max` ({max}) must be larger than `min` ({min})"),
            "a scale runs from `min` on the left to `max` on the right, for example \
             min = 0 and max = 10",
        );
        return None;
    }
    if max - min + 1 > MAX_SCALE_POINTS {
        report.at(
            &max_value.span(),
            format!(
                "this scale has {} points ({min} to {max}); at most {MAX_SCALE_POINTS} fit",
                max - min + 1
            ),
            "people pick a point with the arrow keys, so keep scales short; 0 to 10 is a \
             good default",
        );
        return None;
    }
    Some(StepKind::Scale {
        min: i32::try_from(min).ok()?,
        max: i32::try_from(max).ok()?,
        min_label: min_label?.into(),
        max_label: max_label?.into(),
    })
}

fn choice(
    raw: &RawStep,
    header: &Range<usize>,
    parent: &str,
    report: &mut Report<'_>,
) -> Option<StepKind> {
    let example = r#"options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]"#;
    let list = OptionList {
        what: "option",
        key: "options",
        step_kind: "choice",
        example,
    };
    let options = list.build(raw.options.as_ref(), header, parent, report);
    Some(StepKind::Choice {
        options: options?,
        multiple: raw
            .multiple
            .as_ref()
            .is_some_and(|multiple| *multiple.get_ref()),
    })
}

fn checklist(
    raw: &RawStep,
    header: &Range<usize>,
    parent: &str,
    report: &mut Report<'_>,
) -> Option<StepKind> {
    let example = r#"items = [{ id = "walk", label = "Go for a walk" }]"#;
    let list = OptionList {
        what: "item",
        key: "items",
        step_kind: "checklist",
        example,
    };
    let items = list.build(raw.items.as_ref(), header, parent, report);
    Some(StepKind::Checklist { items: items? })
}

/// A choice's options or a checklist's items: each with an id and a label.
struct OptionList {
    what: &'static str,
    key: &'static str,
    step_kind: &'static str,
    example: &'static str,
}

impl OptionList {
    fn build(
        &self,
        raw: Option<&Spanned<Vec<Spanned<RawOption>>>>,
        header: &Range<usize>,
        parent: &str,
        report: &mut Report<'_>,
    ) -> Option<Vec<ChoiceOption>> {
        let entries = raw.map_or(&[][..], |list| list.get_ref().as_slice());
        if entries.is_empty() {
            let at = raw.map_or_else(|| header.clone(), Spanned::span);
            report.at(
                &at,
                format!("this {} step has no {}", self.step_kind, self.key),
                format!("add at least one, like this: {}", self.example),
            );
            return None;
        }
        let mut ids = SiblingIds::default();
        let built: Vec<_> = entries
            .iter()
            .map(|entry| {
                let entry = entry.get_ref();
                ids.record(entry.id.as_ref(), self.what, parent, report);
                let id = id(entry.id.as_ref(), OptionId::new, report);
                let label = required_text(entry.label.as_ref(), "label", report);
                Some(ChoiceOption {
                    id: id?,
                    label: label?.into(),
                })
            })
            .collect();
        built.into_iter().collect()
    }
}
