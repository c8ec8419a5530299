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
use super::trend::{Kind, Trend, scale_words, shown};
use crate::trends::Dimension;

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
svg .range { stroke: #111; stroke-width: 1; }
svg text { font-family: 'Helvetica Neue', Arial, sans-serif; font-size: 11px; fill: #111; }
svg .tick { font-size: 10px; fill: #333; }
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
    if let Some(name) = &summary.prepared_for {
        let _ = writeln!(out, "<li>Prepared for: {}</li>", escape(name));
    }
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

fn trends_section(out: &mut String, kinds: &[Kind]) {
    out.push_str("<section class=\"page\">\n<h2>Check-in trends</h2>\n");
    out.push_str("<p>Each person's check-ins are shown on their own; they are not compared.</p>\n");
    if kinds.is_empty() {
        out.push_str("<p>No check-ins in this period.</p>\n");
    }
    for kind in kinds {
        let level = match &kind.title {
            Some(title) => {
                let _ = writeln!(out, "<h3>{}</h3>", escape(title));
                4
            }
            None => 3,
        };
        out.push_str("<p>What each number answers:</p>\n<ul>\n");
        for d in &kind.dimensions {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong>, {}: {}</li>",
                escape(&d.name),
                escape(&scale_words(d)),
                escape(&d.prompt)
            );
        }
        out.push_str("</ul>\n");
        for trend in &kind.people {
            let _ = writeln!(
                out,
                "<div class=\"exercise\">\n<h{level}>{}</h{level}>",
                escape(&trend.name)
            );
            trend_table(out, kind, trend);
            for (i, dimension) in kind.dimensions.iter().enumerate() {
                chart(out, trend, i, dimension);
            }
            out.push_str("</div>\n");
        }
    }
    out.push_str("</section>\n");
}

/// One person's check-ins as a table, each note beside its day.
fn trend_table(out: &mut String, kind: &Kind, trend: &Trend) {
    let notes = kind.has_notes();
    out.push_str("<table>\n<thead><tr><th scope=\"col\">Date</th>");
    for d in &kind.dimensions {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(&d.name));
    }
    if notes {
        out.push_str("<th scope=\"col\">Note</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &trend.rows {
        let _ = write!(out, "<tr><td>{}</td>", row.date);
        for value in &row.values {
            let _ = write!(out, "<td>{}</td>", shown(*value));
        }
        if notes {
            let note = row.note.as_deref().map(escape).unwrap_or_default();
            let _ = write!(out, "<td>{note}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The plot's size in CSS pixels, and the room above it for the dimension's name and
/// below it for the dates.
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 60.0;
const TOP: f64 = 22.0;
const BELOW: f64 = 20.0;

/// One dimension as a small chart: y from the scale's min to its max, labelled with
/// both; x from the person's first check-in day to their last, labelled with both
/// dates. Every value is a dot; a day with several is a range with a dot for each.
fn chart(out: &mut String, trend: &Trend, index: usize, dimension: &Dimension) {
    let (min, max) = (dimension.min.to_string(), dimension.max.to_string());
    // Room for the y axis's numbers: about 7px a character at 10px type.
    let left = 10.0 + 7.0 * f64::from(u8::try_from(min.len().max(max.len())).unwrap_or(11));
    let (total_width, total_height) = (left + WIDTH + 8.0, TOP + HEIGHT + BELOW);
    let (first, last) = trend.span();
    let name = escape(&dimension.name);
    let _ = writeln!(
        out,
        "<svg width=\"{total_width}\" height=\"{total_height}\" \
         viewBox=\"0 0 {total_width} {total_height}\" role=\"img\" \
         aria-label=\"{} check-ins, {name} from {min} to {max}, {first} to {last}\">\n\
         <text x=\"0\" y=\"14\">{name}</text>\n\
         <g transform=\"translate({left} {TOP})\">\
         <line class=\"axis\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"{HEIGHT}\"/>\
         <line class=\"axis\" x1=\"0\" y1=\"{HEIGHT}\" x2=\"{WIDTH}\" y2=\"{HEIGHT}\"/>",
        escape(&trend.name)
    );
    let tick = |out: &mut String, (x, y): (f64, f64), anchor: &str, text: &str| {
        let _ = writeln!(
            out,
            "<text class=\"tick\" x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\">{text}</text>"
        );
    };
    tick(out, (-6.0, 4.0), "end", &max);
    tick(out, (-6.0, HEIGHT + 4.0), "end", &min);
    let below = HEIGHT + 15.0;
    if first == last {
        tick(out, (WIDTH / 2.0, below), "middle", &first.to_string());
    } else {
        tick(out, (0.0, below), "start", &first.to_string());
        tick(out, (WIDTH, below), "end", &last.to_string());
    }
    let plot = trend.plot(index, dimension, (WIDTH, HEIGHT));
    // A run of one day is only its dots.
    for run in plot.runs.iter().filter(|r| r.contains(' ')) {
        let _ = writeln!(out, "<polyline class=\"line\" points=\"{run}\"/>");
    }
    for (x, high, low) in &plot.ranges {
        let _ = writeln!(
            out,
            "<line class=\"range\" x1=\"{x:.1}\" y1=\"{high:.1}\" x2=\"{x:.1}\" y2=\"{low:.1}\"/>"
        );
    }
    for (x, y) in &plot.points {
        let _ = writeln!(out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"/>");
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
