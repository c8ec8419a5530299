//! The plain-text export: the same content as the others, for any editor or printer.
//!
//! Text needs no escaping beyond what [`crate::text::sanitize`] already did in the
//! summary (terminal control characters removed). Answers are indented under their
//! prompt so a multi-line answer cannot be mistaken for the next prompt; side by side
//! answers become one line per person ("Ana:", "Sam:") under each prompt.

use std::fmt::Write as _;

use super::NOT_ENCRYPTED;
use super::summary::{Block, Cell, Summary};
use super::trend::{Kind, Trend, columns, pad, pad_left, scale_words, shown, sparkline_width};

const INDENT: &str = "    ";

pub(crate) fn render(summary: &Summary) -> String {
    let mut out = String::new();
    header(&mut out, summary);
    if !summary.discuss.is_empty() {
        heading(&mut out, "WHAT I WANT TO DISCUSS", '=');
        for block in &summary.discuss {
            block_body(&mut out, block, &block.title);
        }
    }
    for section in &summary.modules {
        heading(&mut out, &section.title, '=');
        for block in &section.blocks {
            block_body(&mut out, block, &block.title);
        }
    }
    if let Some(trends) = &summary.trends {
        trends_section(&mut out, trends);
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn header(out: &mut String, summary: &Summary) {
    let _ = writeln!(out, "{NOT_ENCRYPTED}\n");
    heading(out, "COUNSELLING SUMMARY", '=');
    let _ = writeln!(out, "Prepared by: {}", summary.me);
    if let Some(name) = &summary.prepared_for {
        let _ = writeln!(out, "Prepared for: {name}");
    }
    if let Some(partner) = &summary.partner {
        let _ = writeln!(out, "With answers shared by: {partner}");
    }
    let covers = summary.range.map_or_else(
        || "no entries".to_owned(),
        |(first, last)| format!("{first} to {last}"),
    );
    let _ = writeln!(out, "Covers: {covers}");
    let _ = writeln!(out, "Generated: {}\n", summary.generated);
    out.push_str("Each prompt is shown as it was worded when it was answered.\n\n");
}

/// A title underlined with `mark` as wide as its first line shows (CJK is two columns).
fn heading(out: &mut String, title: &str, mark: char) {
    let title = title.lines().next().unwrap_or_default();
    let width = unicode_width::UnicodeWidthStr::width(title).max(3);
    let _ = writeln!(out, "{title}\n{}\n", mark.to_string().repeat(width));
}

fn block_body(out: &mut String, block: &Block, title: &str) {
    heading(out, title, '-');
    let names: Vec<String> = block
        .columns
        .iter()
        .map(|c| format!("{} ({})", c.name, c.date))
        .collect();
    if let [name] = names.as_slice() {
        let _ = writeln!(out, "{name}\n");
    }
    for row in &block.rows {
        let _ = writeln!(out, "{}", row.prompt.replace('\n', " "));
        if let [cell] = row.cells.as_slice() {
            push_cell(out, cell, INDENT);
        } else {
            for (name, cell) in names.iter().zip(&row.cells) {
                let _ = writeln!(out, "{INDENT}{name}:");
                push_cell(out, cell, &INDENT.repeat(2));
            }
        }
        out.push('\n');
    }
}

fn push_cell(out: &mut String, cell: &Cell, indent: &str) {
    match cell {
        Cell::Text(text) | Cell::Scale(text) => {
            for line in text.lines() {
                if line.trim().is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "{indent}{line}");
                }
            }
        }
        Cell::Choices(labels) => {
            for label in labels {
                let _ = writeln!(out, "{indent}* {label}");
            }
        }
        Cell::Note(note) => {
            let _ = writeln!(out, "{indent}({note})");
        }
    }
}

fn trends_section(out: &mut String, kinds: &[Kind]) {
    heading(out, "CHECK-IN TRENDS", '=');
    out.push_str("Each person's check-ins are shown on their own; they are not compared.\n\n");
    if kinds.is_empty() {
        out.push_str("No check-ins in this period.\n\n");
    }
    for kind in kinds {
        if let Some(title) = &kind.title {
            heading(out, title, '-');
        }
        out.push_str("What each number answers:\n");
        for d in &kind.dimensions {
            let prompt = d.prompt.replace('\n', " ");
            let _ = writeln!(out, "{INDENT}{}, {}: {prompt}", d.name, scale_words(d));
        }
        out.push('\n');
        let mark = if kind.title.is_some() { '~' } else { '-' };
        for trend in &kind.people {
            heading(out, &trend.name, mark);
            trend_table(out, kind, trend);
        }
    }
}

/// One person's check-ins as columns (a note beside its day, its later lines under
/// its first), then sparklines.
fn trend_table(out: &mut String, kind: &Kind, trend: &Trend) {
    const DATE: usize = 10;
    let widths: Vec<usize> = (0..kind.dimensions.len())
        .map(|i| {
            let widest = trend.rows.iter().map(|r| shown(r.values[i]).len());
            widest.fold(columns(&kind.dimensions[i].name), usize::max)
        })
        .collect();
    let mut header = pad("Date", DATE);
    for d in &kind.dimensions {
        let _ = write!(header, "  {}", d.name);
    }
    if kind.has_notes() {
        header.push_str("  Note");
    }
    let _ = writeln!(out, "{header}");
    let note_at = DATE + widths.iter().map(|w| w + 2).sum::<usize>() + 2;
    for row in &trend.rows {
        let mut line = row.date.to_string();
        for (value, width) in row.values.iter().zip(&widths) {
            let _ = write!(line, "  {}", pad_left(&shown(*value), *width));
        }
        let mut note = row.note.as_deref().unwrap_or_default().lines();
        if let Some(first) = note.next() {
            let _ = write!(line, "  {first}");
        }
        let _ = writeln!(out, "{}", line.trim_end());
        for more in note {
            if more.trim().is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "{}{more}", " ".repeat(note_at));
            }
        }
    }
    out.push('\n');
    let width = sparkline_width(kind);
    for (i, d) in kind.dimensions.iter().enumerate() {
        let _ = writeln!(out, "{} {}", pad(&d.name, width), trend.sparkline(i, d));
    }
    out.push('\n');
}
