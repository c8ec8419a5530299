//! Check-in trends: each person's check-ins as a table and a small chart per scale.
//!
//! What a check-in measures comes from [`crate::trends::scales`]: the export holds
//! entries and no workbooks, so each check-in's scales are read from what its entries
//! recorded, whatever workbook defined them. One [`Trend`] per person and check-in,
//! never merged: there are no totals, averages across people or differences, because
//! check-ins are not a score against each other. Each row keeps its own note (the
//! check-in's words), beside its day. The charts are drawn here as data (sparkline
//! characters, SVG coordinates) so each renderer only places them.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::Document;
use crate::domain::{Answer, Entry};
use crate::text::sanitize;
use crate::trends::{Day, Dimension, Scales, by_day, scales};

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Where a check-in skipped a dimension; a gap, not a low value.
const GAP: char = '·';

/// One check-in as the workbook defined it, and each person's answers to it.
pub(crate) struct Kind {
    /// The check-in's title, given only when the export holds more than one kind.
    pub title: Option<String>,
    /// Its scales, every text sanitized.
    pub dimensions: Vec<Dimension>,
    /// One per person with check-ins of this kind: me first, then my partner.
    pub people: Vec<Trend>,
}

/// One person's check-ins of one kind, oldest first.
pub(crate) struct Trend {
    pub name: String,
    pub rows: Vec<CheckIn>,
}

/// One check-in: its day, each dimension's value if answered, and its words.
pub(crate) struct CheckIn {
    pub date: NaiveDate,
    /// One per dimension of its [`Kind`], in the same order.
    pub values: Vec<Option<i32>>,
    /// What the person wrote in the check-in's text steps, if anything.
    pub note: Option<String>,
}

/// One dimension's chart, in a box `width` wide and `height` high (y grows down).
pub(crate) struct Plot {
    /// Polyline points joining each day's middle, split where a day skipped it.
    pub runs: Vec<String>,
    /// Every value given, as (x, y): several on one day share their day's x.
    pub points: Vec<(f64, f64)>,
    /// Days with different values: x, then y of the highest and of the lowest.
    pub ranges: Vec<(f64, f64, f64)>,
}

/// The export's check-ins by kind, each with its people: me, then my partner.
pub(crate) fn kinds(doc: &Document<'_>, checkins: &[&Entry]) -> Vec<Kind> {
    let all = scales(&[], checkins.iter().copied());
    let several = all.len() > 1;
    all.iter()
        .map(|kind| {
            let people = std::iter::once(&doc.me).chain(doc.partner.as_ref());
            Kind {
                title: several.then(|| clean(&kind.title)),
                dimensions: kind.dimensions.iter().map(sanitized).collect(),
                people: people
                    .map(|person| Trend {
                        name: clean(&person.name),
                        rows: checkins
                            .iter()
                            .filter(|e| e.author == person.id && kind.holds(e))
                            .map(|e| checkin(doc, kind, e))
                            .collect(),
                    })
                    .filter(|t| !t.rows.is_empty())
                    .collect(),
            }
        })
        .filter(|k| !k.people.is_empty())
        .collect()
}

fn clean(text: &str) -> String {
    sanitize(text).into_owned()
}

fn sanitized(dimension: &Dimension) -> Dimension {
    Dimension {
        name: clean(&dimension.name),
        prompt: clean(&dimension.prompt).into(),
        min_label: clean(&dimension.min_label).into(),
        max_label: clean(&dimension.max_label).into(),
        ..dimension.clone()
    }
}

fn checkin(doc: &Document<'_>, kind: &Scales, entry: &Entry) -> CheckIn {
    let value = |dimension: &Dimension| {
        entry
            .answers
            .iter()
            .find(|a| a.step == dimension.step)
            .and_then(|a| match a.answer {
                Answer::Scale { value, .. } => Some(value),
                _ => None,
            })
    };
    let words: Vec<&str> = entry
        .answers
        .iter()
        .filter_map(|a| match &a.answer {
            Answer::Text { text } if !text.trim().is_empty() => Some(text.trim()),
            _ => None,
        })
        .collect();
    CheckIn {
        date: doc.local_date(entry),
        values: kind.dimensions.iter().map(value).collect(),
        note: (!words.is_empty()).then(|| clean(&words.join("\n"))),
    }
}

impl Kind {
    /// Whether any check-in of this kind has a note, so tables need a column for it.
    pub(crate) fn has_notes(&self) -> bool {
        self.people
            .iter()
            .flat_map(|t| &t.rows)
            .any(|r| r.note.is_some())
    }
}

impl Trend {
    /// The values of one dimension, oldest first.
    fn series(&self, dimension: usize) -> impl Iterator<Item = Option<i32>> + '_ {
        self.rows.iter().map(move |row| row.values[dimension])
    }

    /// One character per check-in, `▁` (the scale's lowest) to `█` (its highest), `·`
    /// where skipped: several check-ins on one day are several characters.
    pub(crate) fn sparkline(&self, index: usize, dimension: &Dimension) -> String {
        self.series(index)
            .map(|v| v.map_or(GAP, |v| bar(dimension, v)))
            .collect()
    }

    /// One dimension's values by day, oldest first.
    fn days(&self, dimension: usize) -> Vec<Day> {
        by_day(
            self.rows
                .iter()
                .map(|row| (row.date, row.values[dimension])),
        )
    }

    /// The first and last day this person checked in.
    pub(crate) fn span(&self) -> (NaiveDate, NaiveDate) {
        let first = self.rows.first().expect("a trend has check-ins").date;
        let last = self.rows.last().expect("a trend has check-ins").date;
        (first, last)
    }

    /// One dimension's chart: x is the day (from [`Self::span`]'s first to its last),
    /// y the value from the scale's max (top) to its min (bottom).
    pub(crate) fn plot(&self, index: usize, dimension: &Dimension, box_: (f64, f64)) -> Plot {
        let (width, height) = box_;
        let (first, last) = self.span();
        let days_across = (last - first).num_days();
        let x = |date: NaiveDate| {
            if days_across == 0 {
                width / 2.0
            } else {
                width * days_f64((date - first).num_days()) / days_f64(days_across)
            }
        };
        let y = |value: f64| height * (1.0 - fraction(dimension, value));
        let mut plot = Plot {
            runs: vec![String::new()],
            points: Vec::new(),
            ranges: Vec::new(),
        };
        for day in self.days(index) {
            let at = x(day.date);
            let Some(middle) = day.middle() else {
                plot.runs.push(String::new());
                continue;
            };
            let run = plot.runs.last_mut().expect("runs always has one");
            let joiner = if run.is_empty() { "" } else { " " };
            let _ = write!(run, "{joiner}{at:.1},{:.1}", y(middle));
            if let Some((low, high)) = day.range().filter(|(low, high)| low != high) {
                plot.ranges
                    .push((at, y(f64::from(high)), y(f64::from(low))));
            }
            plot.points
                .extend(day.values.iter().map(|v| (at, y(f64::from(*v)))));
        }
        plot.runs.retain(|r| !r.is_empty());
        plot
    }
}

/// Which of the eight bars `value` is on `dimension`'s scale, rounded to the nearest;
/// integer maths, so no float casts.
fn bar(dimension: &Dimension, value: i32) -> char {
    let span = (i64::from(dimension.max) - i64::from(dimension.min)).max(1);
    let above = (i64::from(value) - i64::from(dimension.min)).clamp(0, span);
    let index = (above * 7 + span / 2) / span;
    BARS[usize::try_from(index).unwrap_or(0).min(7)]
}

/// [`Dimension::fraction`] for a value that may fall between two whole numbers (the
/// middle of a day's range).
fn fraction(dimension: &Dimension, value: f64) -> f64 {
    let span = (f64::from(dimension.max) - f64::from(dimension.min)).max(1.0);
    ((value - f64::from(dimension.min)) / span).clamp(0.0, 1.0)
}

/// A count of days as a coordinate; a chart never spans more than `i32::MAX` days.
fn days_f64(days: i64) -> f64 {
    f64::from(i32::try_from(days).unwrap_or(i32::MAX))
}

/// A value as shown in a table cell: the number, or a dash where skipped.
pub(crate) fn shown(value: Option<i32>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| v.to_string())
}

/// "From 0 (None at all) to 10 (Complete trust)": a dimension's scale in words.
pub(crate) fn scale_words(dimension: &Dimension) -> String {
    format!(
        "from {} ({}) to {} ({})",
        dimension.min, dimension.min_label, dimension.max, dimension.max_label
    )
}

/// The column sparklines start at: past the longest name, and at least 10 across.
pub(crate) fn sparkline_width(kind: &Kind) -> usize {
    kind.dimensions
        .iter()
        .map(|d| columns(&d.name) + 1)
        .max()
        .unwrap_or(0)
        .max(10)
}

/// How many terminal columns `text` takes (CJK and emoji take two).
pub(crate) fn columns(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` followed by spaces to fill `width` columns.
pub(crate) fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

/// Spaces then `text`, to fill `width` columns.
pub(crate) fn pad_left(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(columns(text))))
}
