//! What the export says, before any format: a [`Summary`] of sanitized plain strings.
//!
//! Built once from a [`Document`]; the three renderers only lay it out and escape it.
//! My session-preparation entries come first, newest first. The other entries are
//! grouped by module, then by exercise, in the order they were first written. Within an
//! exercise, my entries and my partner's shared ones are paired by order (my first with
//! their first, and so on), so each pair reads side by side step by step; an entry with
//! no partner stands alone. Read-only (`reflect`) steps are left out.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::trend::{self, Kind};
use super::{Document, PREPARING_EXERCISE, select, select_checkins};
use crate::content::{ExerciseId, ModuleId, StepId};
use crate::domain::{Answer, Entry};
use crate::text::sanitize;

/// The steps that open "What I want to discuss", in this order.
const PREPARING_STEPS: [&str; 3] = ["discuss", "changed", "hard-to-say"];

pub(crate) struct Summary {
    pub me: String,
    /// Who it is for, when the person said (a counsellor's name).
    pub prepared_for: Option<String>,
    /// My partner's name, when any of their shared answers are included.
    pub partner: Option<String>,
    /// First and last day covered, if anything is.
    pub range: Option<(NaiveDate, NaiveDate)>,
    pub generated: String,
    /// My session-preparation entries, newest first.
    pub discuss: Vec<Block>,
    pub modules: Vec<Section>,
    /// `Some` when trends were chosen: each kind of check-in, with a trend for each
    /// person who did it.
    pub trends: Option<Vec<Kind>>,
}

/// One module's exercises.
pub(crate) struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One exercise as answered by one person, or by both side by side.
pub(crate) struct Block {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// Whose answers a column holds, and when they were written.
pub(crate) struct Column {
    pub name: String,
    pub date: NaiveDate,
}

/// One step: its prompt as it was asked, and one cell per column.
pub(crate) struct Row {
    pub prompt: String,
    pub cells: Vec<Cell>,
}

/// One answer, ready to show.
pub(crate) enum Cell {
    Text(String),
    /// "7 of 0-10 (None at all .. Complete trust)".
    Scale(String),
    /// The picked options' labels.
    Choices(Vec<String>),
    /// A plain statement that is not the person's words: "Skipped", "Not ready yet".
    Note(&'static str),
}

fn clean(text: &str) -> String {
    sanitize(text).into_owned()
}

impl Summary {
    pub(crate) fn build(doc: &Document<'_>) -> Self {
        let entries = select(doc);
        let checkins = select_checkins(doc);
        let is_mine = |e: &&Entry| e.author == doc.me.id;
        let (preparing, rest): (Vec<&Entry>, Vec<&Entry>) = entries
            .iter()
            .partition(|e| is_mine(e) && e.exercise.exercise.as_str() == PREPARING_EXERCISE);
        let partner_included = entries.iter().chain(&checkins).any(|e| !is_mine(e));
        let partner_name = doc.partner.as_ref().map(|p| clean(&p.name));
        Self {
            me: clean(&doc.me.name),
            prepared_for: doc
                .selection
                .prepared_for
                .as_deref()
                .map(clean)
                .filter(|name| !name.trim().is_empty()),
            partner: partner_name.filter(|_| partner_included),
            range: date_range(doc, entries.iter().chain(&checkins).copied()),
            generated: doc
                .generated
                .with_timezone(&doc.offset)
                .format("%Y-%m-%d %H:%M (UTC%:z)")
                .to_string(),
            discuss: preparing
                .iter()
                .rev()
                .map(|e| preparing_block(doc, e))
                .collect(),
            modules: sections(doc, &rest),
            trends: doc
                .selection
                .include_trends
                .then(|| trend::kinds(doc, &checkins)),
        }
    }
}

/// The selection's own dates where given, else the first and last entry's.
fn date_range<'a>(
    doc: &Document<'_>,
    entries: impl Iterator<Item = &'a Entry>,
) -> Option<(NaiveDate, NaiveDate)> {
    let days: Vec<NaiveDate> = entries.map(|e| doc.local_date(e)).collect();
    let first = doc.selection.since.or_else(|| days.iter().min().copied());
    let last = doc.selection.until.or_else(|| days.iter().max().copied());
    match (first, last) {
        (Some(first), Some(last)) => Some((first, last)),
        (Some(day), None) | (None, Some(day)) => Some((day, day)),
        (None, None) => None,
    }
}

fn name_of(doc: &Document<'_>, entry: &Entry) -> String {
    if entry.author == doc.me.id {
        clean(&doc.me.name)
    } else {
        doc.partner
            .as_ref()
            .map_or_else(|| "My partner".to_owned(), |p| clean(&p.name))
    }
}

fn column(doc: &Document<'_>, entry: &Entry) -> Column {
    Column {
        name: name_of(doc, entry),
        date: doc.local_date(entry),
    }
}

/// A preparation entry with "discuss", "changed" and "hard-to-say" first.
fn preparing_block(doc: &Document<'_>, entry: &Entry) -> Block {
    let rank = |step: &StepId| {
        PREPARING_STEPS
            .iter()
            .position(|s| *s == step.as_str())
            .unwrap_or(PREPARING_STEPS.len())
    };
    let mut sorted = entry.clone();
    sorted.answers.sort_by_key(|a| rank(&a.step));
    block(doc, &[&sorted])
}

/// Groups entries by module, then exercise, in the order each was first written.
fn sections(doc: &Document<'_>, entries: &[&Entry]) -> Vec<Section> {
    let mut modules: Vec<(ModuleId, String, Vec<ExerciseId>)> = Vec::new();
    let mut by_exercise: HashMap<(ModuleId, ExerciseId), Vec<&Entry>> = HashMap::new();
    for entry in entries {
        let ex = &entry.exercise;
        let key = (ex.module.clone(), ex.exercise.clone());
        let index = if let Some(i) = modules.iter().position(|(id, ..)| *id == ex.module) {
            i
        } else {
            modules.push((ex.module.clone(), clean(&ex.module_title), Vec::new()));
            modules.len() - 1
        };
        if !modules[index].2.contains(&ex.exercise) {
            modules[index].2.push(ex.exercise.clone());
        }
        by_exercise.entry(key).or_default().push(entry);
    }
    modules
        .into_iter()
        .map(|(module, title, exercises)| Section {
            title,
            blocks: exercises
                .into_iter()
                .flat_map(|ex| paired_blocks(doc, &by_exercise[&(module.clone(), ex)]))
                .collect(),
        })
        .collect()
}

/// My entries for one exercise paired, in order, with my partner's.
fn paired_blocks(doc: &Document<'_>, entries: &[&Entry]) -> Vec<Block> {
    let (mine, theirs): (Vec<&Entry>, Vec<&Entry>) =
        entries.iter().partition(|e| e.author == doc.me.id);
    let count = mine.len().max(theirs.len());
    (0..count)
        .map(|i| {
            let pair: Vec<&Entry> = [mine.get(i), theirs.get(i)]
                .into_iter()
                .flatten()
                .copied()
                .collect();
            block(doc, &pair)
        })
        .collect()
}

/// One block from one entry, or two entries of the same exercise side by side. Steps
/// follow the first entry's order; steps only the second has come after.
fn block(doc: &Document<'_>, entries: &[&Entry]) -> Block {
    let mut steps: Vec<(&StepId, &str)> = Vec::new();
    for answer in entries.iter().flat_map(|e| &e.answers) {
        if answer.answer != Answer::Read && !steps.iter().any(|(id, _)| **id == answer.step) {
            steps.push((&answer.step, &answer.prompt));
        }
    }
    let rows = steps
        .into_iter()
        .map(|(step, prompt)| Row {
            prompt: clean(prompt),
            cells: entries
                .iter()
                .map(|e| e.answers.iter().find(|a| a.step == *step))
                .map(|a| a.map_or(Cell::Note("No answer"), |a| cell(&a.answer)))
                .collect(),
        })
        .collect();
    Block {
        title: clean(&entries[0].exercise.exercise_title),
        columns: entries.iter().map(|e| column(doc, e)).collect(),
        rows,
    }
}

fn cell(answer: &Answer) -> Cell {
    match answer {
        Answer::Text { text } if text.trim().is_empty() => Cell::Note("No answer written"),
        Answer::Text { text } => Cell::Text(clean(text.trim_end())),
        Answer::Scale {
            value,
            min,
            max,
            min_label,
            max_label,
        } => Cell::Scale(clean(&format!(
            "{value} of {min}-{max} ({min_label} .. {max_label})"
        ))),
        Answer::Choice { options } => {
            let picked: Vec<String> = options
                .iter()
                .filter(|o| o.picked)
                .map(|o| clean(&o.label))
                .collect();
            if picked.is_empty() {
                Cell::Note("Nothing picked")
            } else {
                Cell::Choices(picked)
            }
        }
        Answer::Skipped => Cell::Note("Skipped"),
        Answer::NotReady => Cell::Note("Not ready yet"),
        Answer::Read => Cell::Note("Read"),
    }
}
