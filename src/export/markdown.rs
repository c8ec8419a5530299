//! The Markdown export, with GitHub-style tables.
//!
//! Every piece of user text goes through [`escape`], so what a person wrote is shown as
//! written and never acts as Markdown: no links, images, headings, lists, emphasis or
//! raw HTML can come out of an answer, and a `|` cannot break a table. The only raw
//! HTML this file writes is `<br>` inside table cells, where Markdown has no line break.

use std::fmt::Write as _;

use super::NOT_ENCRYPTED;
use super::summary::{Block, Cell, Summary};
use super::trend::{Kind, Trend, pad, scale_words, shown, sparkline_width};

pub(crate) fn render(summary: &Summary) -> String {
    let mut out = String::new();
    header(&mut out, summary);
    if !summary.discuss.is_empty() {
        out.push_str("## What I want to discuss\n\n");
        for block in &summary.discuss {
            block_body(&mut out, block, &escape_line(&block.title));
        }
    }
    for section in &summary.modules {
        let _ = writeln!(out, "## {}\n", escape_line(&section.title));
        for block in &section.blocks {
            block_body(&mut out, block, &escape_line(&block.title));
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
    let _ = writeln!(out, "{NOT_ENCRYPTED}\n\n# Counselling summary\n");
    let _ = writeln!(out, "- **Prepared by:** {}", escape_line(&summary.me));
    if let Some(name) = &summary.prepared_for {
        let _ = writeln!(out, "- **Prepared for:** {}", escape_line(name));
    }
    if let Some(partner) = &summary.partner {
        let _ = writeln!(
            out,
            "- **With answers shared by:** {}",
            escape_line(partner)
        );
    }
    let covers = summary.range.map_or_else(
        || "no entries".to_owned(),
        |(first, last)| format!("{first} to {last}"),
    );
    let _ = writeln!(out, "- **Covers:** {covers}");
    let _ = writeln!(out, "- **Generated:** {}\n", summary.generated);
    out.push_str("Each prompt is shown as it was worded when it was answered.\n\n");
}

fn block_body(out: &mut String, block: &Block, heading: &str) {
    let _ = writeln!(out, "### {heading}\n");
    if let [column] = block.columns.as_slice() {
        let _ = writeln!(out, "*{}, {}*\n", escape_line(&column.name), column.date);
        for row in &block.rows {
            let _ = writeln!(out, "**{}**\n", escape_line(&row.prompt));
            let _ = writeln!(out, "{}\n", cell_block(&row.cells[0]));
        }
        return;
    }
    out.push_str("| Prompt |");
    for column in &block.columns {
        let _ = write!(out, " {} ({}) |", escape_line(&column.name), column.date);
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(block.columns.len()));
    out.push('\n');
    for row in &block.rows {
        let _ = write!(out, "| **{}** |", escape_cell(&row.prompt));
        for cell in &row.cells {
            let _ = write!(out, " {} |", cell_inline(cell));
        }
        out.push('\n');
    }
    out.push('\n');
}

/// An answer on its own, as paragraphs or a list.
fn cell_block(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => escape_paragraphs(text),
        Cell::Scale(text) => escape_line(text),
        Cell::Choices(labels) => labels
            .iter()
            .map(|l| format!("- {}", escape_line(l)))
            .collect::<Vec<_>>()
            .join("\n"),
        Cell::Note(note) => format!("*{note}*"),
    }
}

/// An answer inside a table cell, on one source line.
fn cell_inline(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) | Cell::Scale(text) => escape_cell(text),
        Cell::Choices(labels) => labels
            .iter()
            .map(|l| format!("• {}", escape_cell(l)))
            .collect::<Vec<_>>()
            .join("<br>"),
        Cell::Note(note) => format!("*{note}*"),
    }
}

fn trends_section(out: &mut String, kinds: &[Kind]) {
    out.push_str("## Check-in trends\n\n");
    out.push_str("Each person's check-ins are shown on their own; they are not compared.\n\n");
    if kinds.is_empty() {
        out.push_str("No check-ins in this period.\n\n");
    }
    for kind in kinds {
        let level = match &kind.title {
            Some(title) => {
                let _ = writeln!(out, "### {}\n", escape_line(title));
                "####"
            }
            None => "###",
        };
        out.push_str("What each number answers:\n\n");
        for d in &kind.dimensions {
            let _ = writeln!(
                out,
                "- **{}**, {}: {}",
                escape_line(&d.name),
                escape_line(&scale_words(d)),
                escape_line(&d.prompt.replace('\n', " "))
            );
        }
        out.push('\n');
        for trend in &kind.people {
            let _ = writeln!(out, "{level} {}\n", escape_line(&trend.name));
            trend_table(out, kind, trend);
        }
    }
}

/// One person's check-ins as a table (a note beside its day), then sparklines.
fn trend_table(out: &mut String, kind: &Kind, trend: &Trend) {
    let notes = kind.has_notes();
    out.push_str("| Date |");
    for d in &kind.dimensions {
        let _ = write!(out, " {} |", escape_cell(&d.name));
    }
    out.push_str(if notes { " Note |\n|---|" } else { "\n|---|" });
    out.push_str(&"---|".repeat(kind.dimensions.len() + usize::from(notes)));
    out.push('\n');
    for row in &trend.rows {
        let _ = write!(out, "| {} |", row.date);
        for value in &row.values {
            let _ = write!(out, " {} |", shown(*value));
        }
        if notes {
            let _ = write!(
                out,
                " {} |",
                row.note.as_deref().map(escape_cell).unwrap_or_default()
            );
        }
        out.push('\n');
    }
    out.push_str("\n```text\n");
    let width = sparkline_width(kind);
    for (i, d) in kind.dimensions.iter().enumerate() {
        let _ = writeln!(out, "{} {}", pad(&d.name, width), trend.sparkline(i, d));
    }
    out.push_str("```\n\n");
}

/// Characters escaped wherever they appear: emphasis, links, code, raw HTML, table
/// cells and strikethrough. Parentheses and `!` need no escape: they only act after a
/// `]` or before a `[`, and both brackets are always escaped.
const ALWAYS: &[char] = &['\\', '`', '*', '_', '[', ']', '|', '<', '~'];
/// Characters that only act at the start of a line: headings, lists, setext underlines
/// and block quotes.
const AT_START: &[char] = &['#', '+', '-', '=', '>'];

/// One line of user text, safe anywhere inline. Besides [`ALWAYS`] and [`AT_START`]:
/// the `.` or `)` that would make leading digits an ordered list, and a `&` that could
/// begin an entity (`&lt;`, `&#60;`); a `&` between words is only an ampersand.
pub(crate) fn escape_line(text: &str) -> String {
    let line = text.trim_start();
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 8);
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    // Every mark goes before an ASCII character (all of the above are), so the text is
    // copied a run at a time, from one mark to the next: letters, digits, spaces and
    // anything beyond ASCII (most of any answer) are never looked at twice.
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b' ' || b.is_ascii_alphanumeric() || !b.is_ascii() {
            continue;
        }
        let c = char::from(b);
        let ordered_list = i == digits && digits > 0 && (c == '.' || c == ')');
        let entity = c == '&'
            && bytes
                .get(i + 1)
                .is_some_and(|next| next.is_ascii_alphanumeric() || *next == b'#');
        if ALWAYS.contains(&c) || (i == 0 && AT_START.contains(&c)) || ordered_list || entity {
            out.push_str(&line[run..i]);
            out.push('\\');
            run = i;
        }
    }
    out.push_str(&line[run..]);
    out
}

/// Multi-line text inside a table cell: lines joined with `<br>`.
fn escape_cell(text: &str) -> String {
    text.lines()
        .map(escape_line)
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Multi-line text as paragraphs: each line keeps its break, blank lines separate
/// paragraphs, and leading spaces are dropped so no line becomes a code block.
fn escape_paragraphs(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            p.lines()
                .filter(|l| !l.trim().is_empty())
                .map(escape_line)
                .collect::<Vec<_>>()
                .join("\\\n")
        })
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_never_acts_as_markdown() {
        let cases = [
            (
                "link",
                "[x](javascript:alert(1))",
                r"\[x\](javascript:alert(1))",
            ),
            ("image", "![x](y.png)", r"!\[x\](y.png)"),
            (
                "parentheses kept",
                "3 of 0-10 (low .. high)",
                "3 of 0-10 (low .. high)",
            ),
            ("heading", "# Not a heading", r"\# Not a heading"),
            ("indented heading", "   ## two", r"\## two"),
            (
                "html",
                "<script>alert(1)</script>",
                r"\<script>alert(1)\</script>",
            ),
            ("pipe", "a | b", r"a \| b"),
            ("emphasis", "*very* _much_", r"\*very\* \_much\_"),
            ("code", "`rm`", r"\`rm\`"),
            ("list", "- item", r"\- item"),
            ("ordered list", "1. first", r"1\. first"),
            (
                "ordered list with a parenthesis",
                "2) second",
                r"2\) second",
            ),
            ("block quote", "> quoted", r"\> quoted"),
            ("greater than inside kept", "a > b", "a > b"),
            ("entity", "&lt;", r"\&lt;"),
            ("numeric entity", "&#60;", r"\&#60;"),
            ("ampersand between words kept", "you & me", "you & me"),
            ("backslash", r"a\b", r"a\\b"),
            ("hyphen inside kept", "well-being", "well-being"),
            ("cjk kept", "信頼 🌱", "信頼 🌱"),
        ];
        for (name, input, want) in cases {
            assert_eq!(escape_line(input), want, "case: {name}");
        }
    }

    #[test]
    fn paragraphs_keep_line_breaks_and_table_cells_stay_on_one_line() {
        assert_eq!(
            escape_paragraphs("one\ntwo\n\nthree"),
            "one\\\ntwo\n\nthree"
        );
        assert_eq!(escape_cell("a | b\nc"), r"a \| b<br>c");
    }
}
