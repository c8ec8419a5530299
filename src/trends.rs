//! Check-in trends: the four check-in numbers over time, per person.
//!
//! Pure: series are built from entries and a moment passed in. Each person's line
//! stands on its own; nothing here adds, ranks or compares two people's numbers.

use chrono::{DateTime, TimeDelta, Utc};

use crate::access::Reader;
use crate::content::CHECKIN_MODULE;
use crate::domain::{Answer, Entry, PersonId};

/// The check-in's dimensions: step id and the word shown.
pub const DIMENSIONS: [(&str, &str); 4] = [
    ("trust", "Trust"),
    ("safety", "Safety"),
    ("closeness", "Closeness"),
    ("hope", "Hope"),
];

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

/// `author`'s values for the check-in step `step` since `since`, oldest first, of the
/// check-ins `reader` may read.
pub fn series(
    entries: &[Entry],
    reader: Reader<'_>,
    author: &PersonId,
    step: &str,
    since: Option<DateTime<Utc>>,
) -> Vec<Point> {
    let mut points: Vec<Point> = entries
        .iter()
        .filter(|e| is_checkin(e) && &e.author == author && reader.may_read(e))
        .filter(|e| since.is_none_or(|s| e.created >= s))
        .filter_map(|e| {
            let answer = e.answers.iter().find(|a| a.step.as_str() == step)?;
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::content::{ExerciseId, ModuleId, StepId, Visibility, WorkbookId};
    use crate::domain::{ENTRY_FORMAT, EntryId, ExerciseRef, StepAnswer};

    fn checkin(author: &str, day: u32, trust: i32) -> Entry {
        let at = Utc.with_ymd_and_hms(2026, 10, day, 9, 0, 0).unwrap();
        Entry {
            format: ENTRY_FORMAT,
            id: EntryId::random(),
            author: PersonId(author.to_owned()),
            created: at,
            updated: at,
            visibility: Visibility::Private,
            mac: None,
            witness: Vec::new(),
            exercise: ExerciseRef {
                workbook: WorkbookId::new("w"),
                workbook_version: "1".to_owned(),
                module: ModuleId::new(CHECKIN_MODULE),
                exercise: ExerciseId::new("check-in"),
                module_title: "Check-in".to_owned(),
                exercise_title: "Quick check-in".to_owned(),
            },
            answers: vec![StepAnswer {
                step: StepId::new("trust"),
                prompt: "Trust?".to_owned(),
                answer: Answer::Scale {
                    value: trust,
                    min: 0,
                    max: 10,
                    min_label: "none".to_owned(),
                    max_label: "complete".to_owned(),
                },
            }],
        }
    }

    #[test]
    fn a_series_is_one_persons_values_in_time_order_within_the_range() {
        let entries = vec![
            checkin("a", 20, 6),
            checkin("b", 21, 9),
            checkin("a", 2, 3),
            checkin("a", 25, 7),
        ];
        let now = Utc.with_ymd_and_hms(2026, 10, 26, 0, 0, 0).unwrap();
        let me = PersonId("a".to_owned());
        let reader = Reader::new(&me, &[]);
        let all: Vec<i32> = series(&entries, reader, &me, "trust", None)
            .iter()
            .map(|p| p.value)
            .collect();
        assert_eq!(all, [3, 6, 7]);
        let week = now - TimeDelta::days(7);
        let recent: Vec<i32> = series(&entries, reader, &me, "trust", Some(week))
            .iter()
            .map(|p| p.value)
            .collect();
        assert_eq!(recent, [6, 7]);
    }
}
