//! The trends screen: one small chart per check-in dimension, 0 to 10 over the chosen
//! period. The partner's shared check-ins are drawn beside one's own with a different
//! marker (so it reads without colour), never added up or ranked against them.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Wrap};

use super::{bold, dim};
use crate::app::App;
use crate::trends::{self, DIMENSIONS, Point, Range};

pub fn render(app: &App, range: Range, frame: &mut Frame, area: Rect) {
    let Some(session) = &app.session() else {
        return;
    };
    let now = app.last_activity();
    let since = range.since(now);
    let partner = app.partner();
    let reader = session.reader(app.people());
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
    // A partner's shared check-ins are worth a chart even when there are none of yours.
    let people = std::iter::once(&session.person.id).chain(partner.map(|p| &p.id));
    let any = people
        .flat_map(|person| DIMENSIONS.iter().map(move |(id, _)| (person, id)))
        .any(|(person, id)| {
            !trends::series(&session.entries, reader, person, id, since).is_empty()
        });
    if !any {
        let text = "No check-ins in this period yet. The quick check-in is at the top of home (✚): four numbers and a line, under a minute.";
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), grid);
        return;
    }
    let [upper, lower] = grid.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Fill(1),
    ]));
    let cells = [upper, lower].into_iter().flat_map(|row| {
        let [left, right] = row.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Fill(1),
        ]));
        [left, right]
    });
    for ((id, label), cell) in DIMENSIONS.iter().zip(cells) {
        let mine = trends::series(&session.entries, reader, &session.person.id, id, since);
        let theirs = partner.map_or_else(Vec::new, |p| {
            trends::series(&session.entries, reader, &p.id, id, since)
        });
        render_chart(label, &mine, &theirs, (since, now), app, frame, cell);
    }
}

/// Days since `start`, as the chart's x.
fn x(at: DateTime<Utc>, start: DateTime<Utc>) -> f64 {
    // Minutes in any span mend draws fit an i32 many times over; clamp to be sure.
    let minutes = i32::try_from((at - start).num_minutes()).unwrap_or(i32::MAX);
    f64::from(minutes) / (24.0 * 60.0)
}

fn render_chart(
    label: &str,
    mine: &[Point],
    theirs: &[Point],
    (since, now): (Option<DateTime<Utc>>, DateTime<Utc>),
    app: &App,
    frame: &mut Frame,
    area: Rect,
) {
    let start = since
        .or_else(|| mine.iter().chain(theirs).map(|p| p.at).min())
        .unwrap_or(now);
    let to_data = |points: &[Point]| -> Vec<(f64, f64)> {
        points
            .iter()
            .map(|p| (x(p.at, start), f64::from(p.value)))
            .collect()
    };
    let (mine_data, theirs_data) = (to_data(mine), to_data(theirs));
    let mut datasets = vec![
        Dataset::default()
            .marker(Marker::HalfBlock)
            .graph_type(GraphType::Line)
            .data(&mine_data),
    ];
    if !theirs_data.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Dot)
                .graph_type(GraphType::Scatter)
                .data(&theirs_data),
        );
    }
    let latest = mine
        .last()
        .map_or_else(String::new, |p| format!(" · latest {}", p.value));
    let span = x(now, start).max(1.0);
    let chart = Chart::new(datasets)
        .block(Block::bordered().title(Line::from(format!(" {label}{latest} "))))
        .x_axis(
            Axis::default()
                .bounds([0.0, span])
                .labels([day(start, app), day(now, app)]),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, 10.0])
                .labels(["0", "5", "10"])
                .style(Style::new().add_modifier(Modifier::DIM)),
        );
    frame.render_widget(chart, area);
}

/// A short local date for an axis, e.g. "3 Oct".
fn day(at: DateTime<Utc>, app: &App) -> String {
    at.with_timezone(&app.offset()).format("%-d %b").to_string()
}
