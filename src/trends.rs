//! Check-in trends: what a check-in measures, and each person's answers over time.
//!
//! A workbook's `[checkin]` defines its own scales. Each scale step is a [`Dimension`]
//! (its id, prompt, range and end labels), and [`scales`] lists them for every
//! check-in there is: as the loaded workbooks define them, and for a check-in no loaded
//! workbook defines, as its entries recorded them (an entry keeps every step's prompt
//! and range as it was asked). The export holds entries and no workbooks, so it takes
//! the second way; the trends screen the first; both are this one function, and the
//! built-in workbook has no path of its own.
//!
//! Pure: series are built from entries and a moment passed in. Each person's line
//! stands on its own; nothing here adds, ranks or compares two people's numbers.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use std::sync::Arc;

use crate::access::Reader;
use crate::content::{
    CHECKIN_MODULE, ExerciseId, RoleId, Step, StepId, StepKind, Workbook, WorkbookId,
};
use crate::domain::{Answer, Entry, PersonId, StepAnswer};

/// How far back the trends screen looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Range {
    #[default]
    Month,
    HalfYear,
    All,
}

impl Range {
    pub fn label(self) -> &'static str {
        match self {
            Self::Month => "last 30 days",
            Self::HalfYear => "last 6 months",
            Self::All => "all time",
        }
    }

    /// The earliest moment shown, or `None` for all time.
    pub fn since(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Self::Month => Some(now - TimeDelta::days(30)),
            Self::HalfYear => Some(now - TimeDelta::days(182)),
            Self::All => None,
        }
    }

    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::Month => Self::HalfYear,
            Self::HalfYear => Self::All,
            Self::All => Self::Month,
        }
    }

    #[must_use]
    pub fn previous(self) -> Self {
        self.next().next()
    }
}

/// One thing a check-in measures: one of its scale steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dimension {
    pub step: StepId,
    /// The short name on charts and table headings, made from the step id: "trust" is
    /// "Trust", "sleep-quality" is "Sleep quality".
    pub name: String,
    /// The question as the workbook asks it (or as first recorded).
    pub prompt: Arc<str>,
    pub min: i32,
    pub max: i32,
    pub min_label: Arc<str>,
    pub max_label: Arc<str>,
    /// The role the workbook asks it of (`for_role`); `None` for everyone, and for a
    /// dimension known only from what entries recorded.
    pub for_role: Option<RoleId>,
}

impl Dimension {
    /// Whether a person who chose `role` in its workbook is asked it (someone who
    /// chose no role is asked everything).
    #[must_use]
    pub fn asked_of(&self, role: Option<&RoleId>) -> bool {
        match (&self.for_role, role) {
            (Some(only), Some(role)) => only == role,
            _ => true,
        }
    }

    /// The dimension a workbook's scale step defines; `None` for any other kind.
    pub fn of_step(step: &Step) -> Option<Self> {
        let StepKind::Scale {
            min,
            max,
            min_label,
            max_label,
        } = &step.kind
        else {
            return None;
        };
        Some(Self {
            step: step.id.clone(),
            name: name_of(&step.id),
            prompt: step.prompt.clone(),
            min: *min,
            max: *max,
            min_label: min_label.clone(),
            max_label: max_label.clone(),
            for_role: step.for_role.clone(),
        })
    }

    /// The dimension an answered scale step records; `None` for any other answer.
    pub fn of_answer(answer: &StepAnswer) -> Option<Self> {
        let Answer::Scale {
            min,
            max,
            min_label,
            max_label,
            ..
        } = &answer.answer
        else {
            return None;
        };
        Some(Self {
            step: answer.step.clone(),
            name: name_of(&answer.step),
            prompt: answer.prompt.clone(),
            min: *min,
            max: *max,
            min_label: min_label.clone(),
            max_label: max_label.clone(),
            for_role: None,
        })
    }
}

/// A step id as a name: words split at `-` and `_`, the first letter capitalised, and
/// nothing but letters, digits and spaces (an id recorded in an entry file is not
/// checked the way a workbook's is, and a name goes into table headings and charts).
fn name_of(step: &StepId) -> String {
    let words: String = step
        .as_str()
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Scale".to_owned(),
    }
}

/// One check-in (a workbook's `[checkin]`) and the dimensions it measures, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scales {
    pub workbook: WorkbookId,
    pub exercise: ExerciseId,
    /// The check-in's title, e.g. "Quick check-in".
    pub title: Arc<str>,
    pub dimensions: Vec<Dimension>,
}

impl Scales {
    /// The check-in `workbook` defines, if it has one.
    fn of_workbook(workbook: &Workbook) -> Option<Self> {
        let checkin = workbook.checkin.as_ref()?;
        Some(Self {
            workbook: workbook.id.clone(),
            exercise: checkin.id.clone(),
            title: checkin.title.clone(),
            dimensions: checkin
                .steps
                .iter()
                .filter_map(Dimension::of_step)
                .collect(),
        })
    }

    /// Whether `entry` is one of these check-ins.
    pub fn holds(&self, entry: &Entry) -> bool {
        is_checkin(entry)
            && entry.exercise.workbook == self.workbook
            && entry.exercise.exercise == self.exercise
    }

    /// Takes in what `entry` recorded: a scale step not yet known is added after the
    /// others (a step a newer workbook version removed still has its answers), and a
    /// known one widens to hold the range it was answered on.
    fn take_in(&mut self, entry: &Entry) {
        for recorded in entry.answers.iter().filter_map(Dimension::of_answer) {
            match self.dimensions.iter_mut().find(|d| d.step == recorded.step) {
                Some(known) => {
                    known.min = known.min.min(recorded.min);
                    known.max = known.max.max(recorded.max);
                }
                None => self.dimensions.push(recorded),
            }
        }
    }
}

/// Every check-in there is to show: each of `workbooks`' check-ins as defined, then,
/// in the order first met, each check-in of `checkins` no workbook defines, as its
/// entries recorded it. Entries that are not check-ins are passed over.
pub fn scales<'a>(
    workbooks: &[Workbook],
    checkins: impl IntoIterator<Item = &'a Entry>,
) -> Vec<Scales> {
    let mut all: Vec<Scales> = workbooks.iter().filter_map(Scales::of_workbook).collect();
    for entry in checkins.into_iter().filter(|e| is_checkin(e)) {
        if let Some(known) = all.iter_mut().find(|s| s.holds(entry)) {
            known.take_in(entry);
        } else {
            let mut recorded = Scales {
                workbook: entry.exercise.workbook.clone(),
                exercise: entry.exercise.exercise.clone(),
                title: entry.exercise.exercise_title.clone(),
                dimensions: Vec::new(),
            };
            recorded.take_in(entry);
            all.push(recorded);
        }
    }
    all
}

/// One check-in value at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    pub at: DateTime<Utc>,
    pub value: i32,
}

/// Whether an entry is a check-in.
pub fn is_checkin(entry: &Entry) -> bool {
    entry.exercise.module.as_str() == CHECKIN_MODULE
}

/// `author`'s values for the dimension `step` of the check-in `scales` since `since`,
/// oldest first, of the check-ins `reader` may read.
pub fn series(
    entries: &[Entry],
    reader: Reader<'_>,
    author: &PersonId,
    scales: &Scales,
    step: &StepId,
    since: Option<DateTime<Utc>>,
) -> Vec<Point> {
    let mut points: Vec<Point> = entries
        .iter()
        .filter(|e| scales.holds(e) && &e.author == author && reader.may_read(e))
        .filter(|e| since.is_none_or(|s| e.created >= s))
        .filter_map(|e| {
            let answer = e.answers.iter().find(|a| &a.step == step)?;
            match answer.answer {
                Answer::Scale { value, .. } => Some(Point {
                    at: e.created,
                    value,
                }),
                _ => None,
            }
        })
        .collect();
    points.sort_by_key(|p| p.at);
    points
}

/// One check-in's charts over all time: its scales, and per dimension (in the order of
/// `scales.dimensions`) this person's values and their partner's shared ones, oldest
/// first. The trends screen shows a period as a slice of each ([`since`]), so the
/// entries are walked once per change of them, never per frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charted {
    pub scales: Scales,
    pub mine: Vec<Vec<Point>>,
    pub theirs: Vec<Vec<Point>>,
}

/// Every check-in `reader` (who is `me`) may read, charted over all time for `me` and
/// `partner`: [`scales`] of the workbooks and of those check-ins, and [`series`] of
/// each of their dimensions.
pub fn all_time(
    workbooks: &[Workbook],
    entries: &[Entry],
    reader: Reader<'_>,
    me: &PersonId,
    partner: Option<&PersonId>,
) -> Vec<Charted> {
    let readable = entries
        .iter()
        .filter(|e| is_checkin(e) && reader.may_read(e));
    scales(workbooks, readable)
        .into_iter()
        .map(|kind| {
            let of = |person: Option<&PersonId>| -> Vec<Vec<Point>> {
                kind.dimensions
                    .iter()
                    .map(|d| {
                        person.map_or_else(Vec::new, |p| {
                            series(entries, reader, p, &kind, &d.step, None)
                        })
                    })
                    .collect()
            };
            Charted {
                mine: of(Some(me)),
                theirs: of(partner),
                scales: kind,
            }
        })
        .collect()
}

/// The points of `points` (oldest first) at or after `since`: a period of a series.
pub fn since(points: &[Point], since: Option<DateTime<Utc>>) -> &[Point] {
    since.map_or(points, |s| &points[points.partition_point(|p| p.at < s)..])
}

/// One day's values of one dimension, in the order they were given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    /// Empty when every check-in that day skipped the dimension.
    pub values: Vec<i32>,
}

impl Day {
    /// The lowest and highest value given that day.
    pub fn range(&self) -> Option<(i32, i32)> {
        let low = self.values.iter().min()?;
        let high = self.values.iter().max()?;
        Some((*low, *high))
    }

    /// Where a line joining the days passes: the middle of the day's range. A day
    /// with several check-ins reads as its range with each value marked on it, never
    /// as one value picked from them or a stroke drawn through them in turn.
    pub fn middle(&self) -> Option<f64> {
        let (low, high) = self.range()?;
        Some(f64::from(low) + (f64::from(high) - f64::from(low)) / 2.0)
    }
}

/// Readings grouped by day: neighbours with the same date are one day, so give them in
/// time order. A `None` (a check-in that skipped the dimension) still makes its day.
pub fn by_day(readings: impl IntoIterator<Item = (NaiveDate, Option<i32>)>) -> Vec<Day> {
    let mut days: Vec<Day> = Vec::new();
    for (date, value) in readings {
        if days.last().is_none_or(|d| d.date != date) {
            days.push(Day {
                date,
                values: Vec::new(),
            });
        }
        let day = days
            .last_mut()
            .expect("a day was just pushed if none matched");
        day.values.extend(value);
    }
    days
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::content::{Exercise, Mode, ModuleId, Visibility};
    use crate::domain::{ENTRY_FORMAT, EntryId, ExerciseRef};

    fn scale(step: &str, value: i32, (min, max): (i32, i32)) -> StepAnswer {
        StepAnswer {
            step: StepId::new(step),
            prompt: format!("{step}?").into(),
            answer: Answer::Scale {
                value,
                min,
                max,
                min_label: "low".into(),
                max_label: "high".into(),
            },
        }
    }

    fn checkin(author: &str, day: u32, answers: Vec<StepAnswer>) -> Entry {
        let at = Utc.with_ymd_and_hms(2026, 10, day, 9, 0, 0).unwrap();
        Entry {
            format: ENTRY_FORMAT,
            id: EntryId::random(),
            author: PersonId(author.into()),
            created: at,
            updated: at,
            visibility: Visibility::Private,
            mac: None,
            witness: Vec::new(),
            exercise: std::sync::Arc::new(ExerciseRef {
                workbook: WorkbookId::new("w"),
                workbook_version: "1".into(),
                module: ModuleId::new(CHECKIN_MODULE),
                exercise: ExerciseId::new("check-in"),
                module_title: "Check-in".into(),
                exercise_title: "Quick check-in".into(),
            }),
            answers,
        }
    }

    fn trust(author: &str, day: u32, value: i32) -> Entry {
        checkin(author, day, vec![scale("trust", value, (0, 10))])
    }

    #[test]
    fn a_series_is_one_persons_values_of_one_check_in_in_time_order_within_the_range() {
        let mut elsewhere = trust("a", 22, 9);
        std::sync::Arc::make_mut(&mut elsewhere.exercise).workbook =
            WorkbookId::new("another-workbook");
        // The partner's check-in is shared, so only the author keeps it out of mine.
        let mut theirs = trust("b", 21, 9);
        theirs.visibility = Visibility::Shared;
        let entries = vec![
            trust("a", 20, 6),
            theirs,
            elsewhere,
            trust("a", 2, 3),
            trust("a", 25, 7),
        ];
        let now = Utc.with_ymd_and_hms(2026, 10, 26, 0, 0, 0).unwrap();
        let me = PersonId("a".into());
        let partner = [crate::domain::Person {
            id: PersonId("b".into()),
            name: "B".to_owned(),
        }];
        let reader = Reader::new(&me, &partner);
        let kinds = scales(&[], &entries);
        assert_eq!(kinds.len(), 2, "one check-in per workbook");
        let step = StepId::new("trust");
        let values = |since| -> Vec<i32> {
            series(&entries, reader, &me, &kinds[0], &step, since)
                .iter()
                .map(|p| p.value)
                .collect()
        };
        assert_eq!(values(None), [3, 6, 7]);
        assert_eq!(values(Some(now - TimeDelta::days(7))), [6, 7]);
    }

    /// The charts made once over all time and sliced to a period are the series made
    /// for that period from the entries: each person's, each check-in's, each moment.
    #[test]
    fn a_period_of_the_all_time_charts_is_the_series_of_that_period() {
        let mut theirs = trust("b", 21, 9);
        theirs.visibility = Visibility::Shared;
        let mut elsewhere = trust("a", 22, 4);
        std::sync::Arc::make_mut(&mut elsewhere.exercise).workbook = WorkbookId::new("other");
        let entries = vec![
            trust("a", 20, 6),
            theirs,
            trust("b", 23, 1),
            elsewhere,
            checkin(
                "a",
                2,
                vec![scale("trust", 3, (0, 10)), scale("hope", 5, (1, 7))],
            ),
            trust("a", 25, 7),
            trust("a", 20, 8),
        ];
        let (me, them) = (PersonId("a".into()), PersonId("b".into()));
        let people = [crate::domain::Person {
            id: them.clone(),
            name: "B".to_owned(),
        }];
        let reader = Reader::new(&me, &people);
        let all = all_time(&[], &entries, reader, &me, Some(&them));
        let kinds = scales(&[], entries.iter().filter(|e| reader.may_read(e)));
        assert_eq!(
            all.iter().map(|c| &c.scales).collect::<Vec<_>>(),
            kinds.iter().collect::<Vec<_>>()
        );
        for day in [1, 2, 3, 20, 21, 22, 24, 25, 26] {
            for at in [
                None,
                Some(Utc.with_ymd_and_hms(2026, 10, day, 9, 0, 0).unwrap()),
            ] {
                for (charted, kind) in all.iter().zip(&kinds) {
                    for (i, d) in kind.dimensions.iter().enumerate() {
                        let made = |who| series(&entries, reader, who, kind, &d.step, at);
                        assert_eq!(since(&charted.mine[i], at), made(&me), "{} {at:?}", d.step);
                        assert_eq!(since(&charted.theirs[i], at), made(&them), "{at:?}");
                    }
                }
            }
        }
        // The partner's private check-in is in no chart.
        assert!(
            all.iter()
                .all(|c| c.theirs.iter().flatten().all(|p| p.value != 1))
        );
    }

    fn workbook_with_checkin(steps: Vec<Step>) -> Workbook {
        let mut wb = crate::content::builtin();
        wb.id = WorkbookId::new("w");
        wb.checkin = Some(Exercise {
            id: ExerciseId::new("check-in"),
            title: "Our check-in".into(),
            intro: None,
            mode: Mode::Either,
            default_visibility: Visibility::Private,
            estimated_minutes: None,
            steps,
            for_role: None,
            for_session: false,
        });
        wb
    }

    fn scale_step(id: &str, min: i32, max: i32) -> Step {
        Step {
            id: StepId::new(id),
            prompt: format!("How much {id}?").into(),
            kind: StepKind::Scale {
                min,
                max,
                min_label: "none".into(),
                max_label: "lots".into(),
            },
            for_role: None,
        }
    }

    #[test]
    fn a_workbook_defines_its_dimensions_and_entries_add_what_it_no_longer_does() {
        let wb = workbook_with_checkin(vec![scale_step("energy", 1, 5), scale_step("calm", 0, 10)]);
        let old = checkin(
            "a",
            1,
            vec![
                scale("energy", 9, (0, 10)),
                scale("sleep-quality", 2, (0, 4)),
            ],
        );
        let got = scales(std::slice::from_ref(&wb), [&old]);
        assert_eq!(got.len(), 1, "the entry is the workbook's check-in");
        assert_eq!(&*got[0].title, "Our check-in");
        let dims: Vec<(&str, &str, i32, i32)> = got[0]
            .dimensions
            .iter()
            .map(|d| (d.step.as_str(), d.name.as_str(), d.min, d.max))
            .collect();
        assert_eq!(
            dims,
            [
                ("energy", "Energy", 0, 10),
                ("calm", "Calm", 0, 10),
                ("sleep-quality", "Sleep quality", 0, 4)
            ]
        );
        let unloaded = scales(&[], [&old]);
        assert_eq!(&*unloaded[0].title, "Quick check-in", "as recorded");
        assert_eq!(&*unloaded[0].dimensions[0].prompt, "energy?");
    }

    #[test]
    fn the_builtin_check_in_is_trust_safety_closeness_and_hope() {
        let got = scales(&[crate::content::builtin()], []);
        let names: Vec<&str> = got[0].dimensions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            ["Trust", "Trust between us", "Safety", "Closeness", "Hope"]
        );
    }

    #[test]
    fn days_group_neighbours_with_one_date_and_keep_every_value() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
        let days = by_day([
            (day(1), Some(3)),
            (day(1), Some(8)),
            (day(1), None),
            (day(2), None),
            (day(3), Some(5)),
        ]);
        let got: Vec<(u32, &[i32], Option<f64>)> = days
            .iter()
            .map(|d| (chrono::Datelike::day(&d.date), &d.values[..], d.middle()))
            .collect();
        assert_eq!(
            got,
            [
                (1, &[3, 8][..], Some(5.5)),
                (2, &[][..], None),
                (3, &[5][..], Some(5.0))
            ]
        );
    }

    #[test]
    fn names_come_from_step_ids_and_keep_only_words() {
        let cases = [
            ("trust", "Trust"),
            ("sleep-quality", "Sleep quality"),
            ("a_b", "A b"),
            ("信頼", "信頼"),
            ("x\u{1b}[2J`y`", "X2Jy"),
            ("--", "Scale"),
        ];
        for (id, want) in cases {
            assert_eq!(name_of(&StepId::new(id)), want, "case: {id}");
        }
    }
}
