//! The HTML export: one self-contained, printable HTML5 file.
//!
//! No scripts, no external URLs, fonts or images: the file opens the same offline, on a
//! counsellor's machine, years later. Styles are inline and made for paper: readable
//! type, a measured line length, no background colours, and each module starting on a
//! new page. Charts are inline SVG drawn in black with dashes, so they print in
//! greyscale. Every piece of user text goes through [`escape`].

use std::fmt::Write as _;

use super::NOT_ENCRYPTED;
use super::summary::{Block, Cell, Summary};
use super::trend::{DIMENSIONS, Trend, shown};

const STYLE: &str = "
body { font-family: Georgia, 'Times New Roman', serif; font-size: 12pt; line-height: 1.5;
  color: #111; max-width: 42em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3, th, .meta { font-family: 'Helvetica Neue', Arial, sans-serif; }
h1, h2, h3 { line-height: 1.25; break-after: avoid; page-break-after: avoid; }
.notice { border: 2px solid #111; padding: 0.5em 0.75em; font-weight: bold; }
.meta { color: #333; font-size: 0.9em; }
.prompt { font-weight: bold; margin: 1em 0 0.25em; }
.answer { white-space: pre-wrap; margin: 0 0 0.75em 1em; }
.note { font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #777; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
td { white-space: pre-wrap; }
tr, .exercise { break-inside: avoid; page-break-inside: avoid; }
.page { break-before: page; page-break-before: always; }
svg { display: block; margin: 0.25em 0 0.75em; }
svg .line { fill: none; stroke: #111; stroke-width: 2; }
svg .axis { stroke: #999; stroke-width: 1; }
svg text { font-family: 'Helvetica Neue', Arial, sans-serif; font-size: 11px; fill: #111; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } }
";

pub(crate) fn render(summary: &Summary) -> String {
    let mut out = String::new();
    header(&mut out, summary);
    if !summary.discuss.is_empty() {
        out.push_str("<section>\n<h2>What I want to discuss</h2>\n");
        for block in &summary.discuss {
            block_body(&mut out, block, &escape(&block.title));
        }
        out.push_str("</section>\n");
    }
    for section in &summary.modules {
        let _ = writeln!(
            out,
            "<section class=\"page\">\n<h2>{}</h2>",
            escape(&section.title)
        );
        for block in &section.blocks {
            block_body(&mut out, block, &escape(&block.title));
        }
        out.push_str("</section>\n");
    }
    if let Some(trends) = &summary.trends {
        trends_section(&mut out, trends);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn header(out: &mut String, summary: &Summary) {
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<!-- {NOT_ENCRYPTED} -->\n<html lang=\"en\">\n<head>\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Counselling summary: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>",
        escape(&summary.me)
    );
    let _ = writeln!(out, "<p class=\"notice\">{NOT_ENCRYPTED}</p>");
    out.push_str("<h1>Counselling summary</h1>\n<ul class=\"meta\">\n");
    let _ = writeln!(out, "<li>Prepared by: {}</li>", escape(&summary.me));
    if let Some(partner) = &summary.partner {
        let _ = writeln!(out, "<li>With answers shared by: {}</li>", escape(partner));
    }
    let covers = summary.range.map_or_else(
        || "no entries".to_owned(),
        |(first, last)| format!("{first} to {last}"),
    );
    let _ = writeln!(out, "<li>Covers: {covers}</li>");
    let _ = writeln!(out, "<li>Generated: {}</li>\n</ul>", summary.generated);
    out.push_str("<p>Each prompt is shown as it was worded when it was answered.</p>\n");
}

fn block_body(out: &mut String, block: &Block, heading: &str) {
    let _ = writeln!(out, "<div class=\"exercise\">\n<h3>{heading}</h3>");
    if let [column] = block.columns.as_slice() {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{}, {}</p>",
            escape(&column.name),
            column.date
        );
        for row in &block.rows {
            let _ = writeln!(out, "<p class=\"prompt\">{}</p>", escape(&row.prompt));
            let _ = writeln!(out, "<div class=\"answer\">{}</div>", cell(&row.cells[0]));
        }
    } else {
        out.push_str("<table>\n<thead><tr><th scope=\"col\">Prompt</th>");
        for column in &block.columns {
            let _ = write!(
                out,
                "<th scope=\"col\">{} ({})</th>",
                escape(&column.name),
                column.date
            );
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &block.rows {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(&row.prompt));
            for answer in &row.cells {
                let _ = write!(out, "<td>{}</td>", cell(answer));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</div>\n");
}

fn cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) | Cell::Scale(text) => escape(text),
        Cell::Choices(labels) => {
            let items = labels.iter().fold(String::new(), |mut items, l| {
                let _ = write!(items, "<li>{}</li>", escape(l));
                items
            });
            format!("<ul>{items}</ul>")
        }
        Cell::Note(note) => format!("<span class=\"note\">{note}</span>"),
    }
}

fn trends_section(out: &mut String, trends: &[Trend]) {
    out.push_str("<section class=\"page\">\n<h2>Check-in trends</h2>\n");
    out.push_str("<p>Each person's check-ins are shown on their own; they are not compared.</p>\n");
    if trends.is_empty() {
        out.push_str("<p>No check-ins in this period.</p>\n");
    }
    for trend in trends {
        let _ = writeln!(
            out,
            "<div class=\"exercise\">\n<h3>{}</h3>",
            escape(&trend.name)
        );
        out.push_str("<table>\n<thead><tr><th scope=\"col\">Date</th>");
        for (_, name) in DIMENSIONS {
            let _ = write!(out, "<th scope=\"col\">{name}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &trend.rows {
            let _ = write!(out, "<tr><td>{}</td>", row.date);
            for value in row.values {
                let _ = write!(out, "<td>{}</td>", shown(value));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        for (i, (_, name)) in DIMENSIONS.iter().enumerate() {
            chart(out, trend, i, name);
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
}

/// Chart size in CSS pixels: the plot area, and the margin left for its label.
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 48.0;
const LABEL: f64 = 80.0;

/// One dimension as a small line chart from the scale's minimum to its maximum.
fn chart(out: &mut String, trend: &Trend, dimension: usize, name: &str) {
    let total_width = LABEL + WIDTH + 8.0;
    let total_height = HEIGHT + 8.0;
    let _ = writeln!(
        out,
        "<svg width=\"{total_width}\" height=\"{total_height}\" \
         viewBox=\"0 0 {total_width} {total_height}\" role=\"img\" \
         aria-label=\"{} check-ins, {name}, oldest to newest\">",
        escape(&trend.name)
    );
    let _ = writeln!(
        out,
        "<text x=\"0\" y=\"{:.1}\">{name}</text>",
        HEIGHT / 2.0 + 8.0
    );
    let _ = writeln!(
        out,
        "<g transform=\"translate({LABEL} 4)\">\
         <line class=\"axis\" x1=\"0\" y1=\"{HEIGHT}\" x2=\"{WIDTH}\" y2=\"{HEIGHT}\"/>"
    );
    for run in trend.svg_runs(dimension, WIDTH, HEIGHT) {
        let _ = writeln!(out, "<polyline class=\"line\" points=\"{run}\"/>");
        if !run.contains(' ') {
            let (x, y) = run.split_once(',').expect("a point is x,y");
            let _ = writeln!(out, "<circle cx=\"{x}\" cy=\"{y}\" r=\"3\"/>");
        }
    }
    out.push_str("</g>\n</svg>\n");
}

/// User text, safe in element content and in quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn user_text_is_escaped_for_content_and_attributes() {
        let cases = [
            (
                "script",
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            (
                "quotes",
                r#"say "hi" 'now'"#,
                "say &quot;hi&quot; &#39;now&#39;",
            ),
            ("entity", "&amp;", "&amp;amp;"),
            ("cjk kept", "信頼 🌱", "信頼 🌱"),
        ];
        for (name, input, want) in cases {
            assert_eq!(escape(input), want, "case: {name}");
        }
    }
}
