//! Check-in trends: each person's check-ins as a table and a small chart.
//!
//! One [`Trend`] per person, never merged: there are no totals, averages across people
//! or differences, because check-ins are not a score against each other. The charts
//! are drawn here as data (sparkline characters, SVG points) so each renderer only
//! places them.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::Document;
use crate::domain::{Answer, Entry};
use crate::text::sanitize;

/// The check-in's scale steps, by id, with the names shown in tables and charts.
pub(crate) const DIMENSIONS: [(&str, &str); 4] = [
    ("trust", "Trust"),
    ("safety", "Safety"),
    ("closeness", "Closeness"),
    ("hope", "Hope"),
];

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Where a check-in skipped a dimension; a gap, not a low value.
const GAP: char = '·';

/// One person's check-ins, oldest first.
pub(crate) struct Trend {
    pub name: String,
    pub rows: Vec<CheckIn>,
}

/// One check-in: its day and each dimension's value, if answered.
pub(crate) struct CheckIn {
    pub date: NaiveDate,
    pub values: [Option<Reading>; 4],
}

/// One answered scale: the value given and the scale it was given on.
#[derive(Clone, Copy)]
pub(crate) struct Reading {
    pub value: i32,
    pub min: i32,
    pub max: i32,
}

impl Reading {
    /// Where the value sits between min and max, from 0.0 to 1.0.
    fn fraction(self) -> f64 {
        // i64: values come from files, and a crafted one must not overflow.
        let span = (i64::from(self.max) - i64::from(self.min)).max(1);
        let above = (i64::from(self.value) - i64::from(self.min)).clamp(0, span);
        // Both fit f64 exactly once clamped to the i32 range.
        let (above, span) = (
            i32::try_from(above).unwrap_or(i32::MAX),
            i32::try_from(span).unwrap_or(i32::MAX),
        );
        (f64::from(above) / f64::from(span)).clamp(0.0, 1.0)
    }

    /// Which of the eight bars, rounded to the nearest; integer maths, so no float casts.
    fn bar(self) -> char {
        let span = (i64::from(self.max) - i64::from(self.min)).max(1);
        let above = (i64::from(self.value) - i64::from(self.min)).clamp(0, span);
        let index = (above * 7 + span / 2) / span;
        BARS[usize::try_from(index).unwrap_or(0).min(7)]
    }
}

/// Trends for me, then my partner, each only if they have check-ins here.
pub(crate) fn trends(doc: &Document<'_>, checkins: &[&Entry]) -> Vec<Trend> {
    let people = std::iter::once(&doc.me).chain(doc.partner.as_ref());
    people
        .map(|person| Trend {
            name: sanitize(&person.name).into_owned(),
            rows: checkins
                .iter()
                .filter(|e| e.author == person.id)
                .map(|e| checkin(doc, e))
                .collect(),
        })
        .filter(|t| !t.rows.is_empty())
        .collect()
}

fn checkin(doc: &Document<'_>, entry: &Entry) -> CheckIn {
    let value = |id: &str| {
        entry
            .answers
            .iter()
            .find(|a| a.step.as_str() == id)
            .and_then(|a| match a.answer {
                Answer::Scale {
                    value, min, max, ..
                } => Some(Reading { value, min, max }),
                _ => None,
            })
    };
    CheckIn {
        date: doc.local_date(entry),
        values: DIMENSIONS.map(|(id, _)| value(id)),
    }
}

impl Trend {
    /// The values of one dimension, oldest first.
    pub(crate) fn series(&self, dimension: usize) -> impl Iterator<Item = Option<Reading>> + '_ {
        self.rows.iter().map(move |row| row.values[dimension])
    }

    /// One character per check-in, `▁` (lowest) to `█` (highest), `·` where skipped.
    pub(crate) fn sparkline(&self, dimension: usize) -> String {
        self.series(dimension)
            .map(|v| v.map_or(GAP, Reading::bar))
            .collect()
    }

    /// SVG polyline points for one dimension in a `width` x `height` box, gaps
    /// splitting the line into runs.
    pub(crate) fn svg_runs(&self, dimension: usize, width: f64, height: f64) -> Vec<String> {
        let count = self.rows.len();
        let step = if count > 1 {
            width / as_f64(count - 1)
        } else {
            0.0
        };
        let mut runs = vec![String::new()];
        for (i, value) in self.series(dimension).enumerate() {
            match value {
                Some(v) => {
                    let run = runs.last_mut().expect("runs always has one");
                    let x = if count > 1 {
                        step * as_f64(i)
                    } else {
                        width / 2.0
                    };
                    let y = height * (1.0 - v.fraction());
                    let joiner = if run.is_empty() { "" } else { " " };
                    let _ = write!(run, "{joiner}{x:.1},{y:.1}");
                }
                None => runs.push(String::new()),
            }
        }
        runs.retain(|r| !r.is_empty());
        runs
    }
}

/// A value as shown in a table cell: the number, or a dash where skipped.
/// A count of check-ins as a coordinate; a chart never has more than `u32::MAX`.
fn as_f64(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

pub(crate) fn shown(value: Option<Reading>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| v.value.to_string())
}
