//! The trends screen: one small chart per thing a check-in measures, over the chosen
//! period, on that scale's own range. What is measured comes from each workbook's own
//! check-in ([`trends::scales`]), so a workbook with scales of its own gets their
//! charts; a workbook's charts are shown when it has check-ins in the period. The
//! partner's shared check-ins are drawn beside one's own with a different marker (so it
//! reads without colour), never added up or ranked against them.
//!
//! x is the day. Every check-in is its own mark, so several on one day stand as a
//! column of marks (that day's range); the line joins the days through the middle of
//! each day's range rather than zig-zagging through its check-ins in turn.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Wrap};

use super::{bold, dim};
use crate::app::App;
use crate::text::sanitize;
use crate::trends::{self, Charted, Dimension, Point, Range};

/// The fewest rows a chart is drawn in: its border, one row of plot, the x axis and
/// its dates. Charts that do not fit are counted below the ones that do.
const CHART_ROWS: u16 = 6;

/// One chart's worth: a dimension, and each person's values in the period.
struct Series<'a> {
    dimension: &'a Dimension,
    /// The check-in's title, when charts of more than one check-in are shown.
    check_in: Option<&'a str>,
    mine: &'a [Point],
    theirs: &'a [Point],
}

pub fn render(app: &App, range: Range, frame: &mut Frame, area: Rect) {
    let Some(session) = &app.session() else {
        return;
    };
    let now = app.last_activity();
    let since = range.since(now);
    let partner = app.partner();
    let [top, grid] = area.layout(&Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(4),
    ]));
    let mut legend = vec![
        bold(format!(" Check-in trends, {}", range.label())),
        dim("   ▀ you".to_owned()),
    ];
    if let Some(p) = partner {
        legend.push(dim(format!("   • {} (what they shared)", p.name)));
    }
    frame.render_widget(Paragraph::new(Line::from(legend)), top);
    // Charted once per change of the entries; the period is a slice of each series.
    let charts = charts(app, session.trends(app.workbooks(), app.people()), since);
    if charts.is_empty() {
        let text = "No check-ins in this period yet. The quick check-in is at the top of home (✚): a few numbers and a line, under a minute.";
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), grid);
        return;
    }
    render_grid(&charts, (since, now), app, frame, grid);
}

/// A chart for each scale of each check-in with any values in the period, mine or
/// my partner's.
fn charts<'a>(app: &App, all: &'a [Charted], since: Option<DateTime<Utc>>) -> Vec<Series<'a>> {
    let Some(session) = app.session() else {
        return Vec::new();
    };
    let mut charts: Vec<Series> = Vec::new();
    let mut kinds = 0;
    for kind in all {
        let role = session.profile.role_in(&kind.scales.workbook);
        let series: Vec<Series> = kind
            .scales
            .dimensions
            .iter()
            .zip(kind.mine.iter().zip(&kind.theirs))
            .map(|(d, (mine, theirs))| Series {
                dimension: d,
                check_in: Some(&*kind.scales.title),
                mine: trends::since(mine, since),
                theirs: trends::since(theirs, since),
            })
            // A question written for the other role is charted only if someone
            // answered it (a partner's shared check-in, or one from before a change).
            .filter(|s| s.dimension.asked_of(role) || !s.mine.is_empty() || !s.theirs.is_empty())
            .collect();
        // A partner's shared check-ins are worth a chart even when there are none of yours.
        if series
            .iter()
            .any(|s| !s.mine.is_empty() || !s.theirs.is_empty())
        {
            kinds += 1;
            charts.extend(series);
        }
    }
    if kinds < 2 {
        for chart in &mut charts {
            chart.check_in = None;
        }
    }
    charts
}

/// The charts two to a row, as many rows as fit; the rest are counted on a last line.
fn render_grid(
    charts: &[Series],
    period: (Option<DateTime<Utc>>, DateTime<Utc>),
    app: &App,
    frame: &mut Frame,
    area: Rect,
) {
    let rows = charts.len().div_ceil(2);
    let fit = usize::from((area.height / CHART_ROWS).max(1));
    let (shown, area) = if rows > fit {
        let [charts_area, more] = area.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(1),
        ]));
        let fit = usize::from((charts_area.height / CHART_ROWS).max(1));
        let hidden = charts.len().saturating_sub(fit * 2);
        let text = format!(" {hidden} more charts below: make the window taller to see them.");
        frame.render_widget(Paragraph::new(dim(text)), more);
        (fit, charts_area)
    } else {
        (rows, area)
    };
    let lines = area.layout_vec(&Layout::vertical(vec![Constraint::Fill(1); shown]));
    let cells = lines.into_iter().flat_map(|row| {
        let [left, right] = row.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Fill(1),
        ]));
        [left, right]
    });
    for (series, cell) in charts.iter().zip(cells) {
        render_chart(series, period, app, frame, cell);
    }
}

/// Whole days from `start` to `date`, as the chart's x.
fn x(date: NaiveDate, start: NaiveDate) -> f64 {
    // Days in any span mend draws fit an i32 many times over; clamp to be sure.
    f64::from(i32::try_from((date - start).num_days()).unwrap_or(i32::MAX))
}

/// A chart's points as (x, y): every check-in of mine and of my partner's, and the
/// line joining my days.
struct Coordinates {
    mine: Vec<(f64, f64)>,
    line: Vec<(f64, f64)>,
    theirs: Vec<(f64, f64)>,
}

impl Coordinates {
    /// x is whole days from `start`, each check-in placed on its local day.
    fn of(series: &Series, start: NaiveDate, offset: FixedOffset) -> Self {
        let day = |at: DateTime<Utc>| at.with_timezone(&offset).date_naive();
        let marks = |points: &[Point]| -> Vec<(f64, f64)> {
            let at = |p: &Point| x(day(p.at), start);
            points.iter().map(|p| (at(p), f64::from(p.value))).collect()
        };
        let days = trends::by_day(series.mine.iter().map(|p| (day(p.at), Some(p.value))));
        Self {
            mine: marks(series.mine),
            line: days
                .iter()
                .filter_map(|d| Some((x(d.date, start), d.middle()?)))
                .collect(),
            theirs: marks(series.theirs),
        }
    }

    /// Each dataset is drawn over the one before. My line comes after my marks, so a
    /// cell it passes through is drawn whole (as the chart always looked); a mark it
    /// does not reach (another check-in that day) stands on its own.
    fn datasets(&self) -> Vec<Dataset<'_>> {
        let mut datasets = vec![
            Dataset::default()
                .marker(Marker::HalfBlock)
                .graph_type(GraphType::Scatter)
                .data(&self.mine),
            Dataset::default()
                .marker(Marker::HalfBlock)
                .graph_type(GraphType::Line)
                .data(&self.line),
        ];
        if !self.theirs.is_empty() {
            datasets.push(
                Dataset::default()
                    .marker(Marker::Dot)
                    .graph_type(GraphType::Scatter)
                    .data(&self.theirs),
            );
        }
        datasets
    }
}

fn render_chart(
    series: &Series,
    (since, now): (Option<DateTime<Utc>>, DateTime<Utc>),
    app: &App,
    frame: &mut Frame,
    area: Rect,
) {
    let (mine, theirs, d) = (series.mine, series.theirs, series.dimension);
    let start = since
        .or_else(|| mine.iter().chain(theirs).map(|p| p.at).min())
        .unwrap_or(now);
    let local = |at: DateTime<Utc>| at.with_timezone(&app.offset()).date_naive();
    let coordinates = Coordinates::of(series, local(start), app.offset());
    let latest = mine
        .last()
        .map_or_else(String::new, |p| format!(" · latest {}", p.value));
    let of = series
        .check_in
        .map_or_else(String::new, |title| format!(" · {}", sanitize(title)));
    let span = x(local(now), local(start)).max(1.0);
    let chart = Chart::new(coordinates.datasets())
        .block(Block::bordered().title(Line::from(format!(" {}{of}{latest} ", d.name))))
        .x_axis(
            Axis::default()
                .bounds([0.0, span])
                .labels([short_date(start, app), short_date(now, app)]),
        )
        .y_axis(
            Axis::default()
                .bounds([
                    f64::from(d.min),
                    f64::from(d.max.max(d.min.saturating_add(1))),
                ])
                .labels(y_labels(d))
                .style(Style::new().add_modifier(Modifier::DIM)),
        );
    frame.render_widget(chart, area);
}

/// The scale's min and max, with its middle between them when that is a whole number.
fn y_labels(d: &Dimension) -> Vec<String> {
    let (min, max) = (i64::from(d.min), i64::from(d.max));
    if (max - min) % 2 == 0 && max - min >= 4 {
        vec![
            min.to_string(),
            i64::midpoint(min, max).to_string(),
            max.to_string(),
        ]
    } else {
        vec![min.to_string(), max.to_string()]
    }
}

/// A short local date for an axis, e.g. "3 Oct".
fn short_date(at: DateTime<Utc>, app: &App) -> String {
    at.with_timezone(&app.offset()).format("%-d %b").to_string()
}
