//! The counselling export: a summary a person chooses to bring to a session.
//!
//! Pure functions from what the unlocked person can read (their own entries and their
//! partner's shared ones) plus what they chose to include ([`Selection`]) to one document
//! string in Markdown, self-contained HTML or plain text. No IO and no clock: the time it
//! was generated comes in with the [`Document`], and the driver writes the file (0600).
//!
//! The work is split in two. [`summary`] decides *what* the document says: which entries
//! ([`select`]), the session-preparation answers first, the other exercises grouped by
//! module with a partner's shared answer beside the person's own, and the check-in
//! trends. Every piece of text is passed through [`crate::text::sanitize`] there, once.
//! [`markdown`], [`html`] and [`plain`] decide only *how* it looks, and each escapes user
//! text for its own format, so all three carry the same content.
//!
//! Two rules are enforced here and not left to the caller: what may go in is asked of
//! [`crate::access`] (a partner's entry only if shared, mine private only if chosen),
//! and check-ins are never compared between partners: each person's trend is shown on
//! its own, with no totals or differences.

mod html;
mod markdown;
mod plain;
mod summary;
mod trend;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::access::Reader;
use crate::content::{CHECKIN_MODULE, ExerciseId, ModuleId, Workbook, WorkbookId};
use crate::domain::Entry;

/// The first thing every export says, in every format.
pub const NOT_ENCRYPTED: &str = "This file is not encrypted. Anyone who can open it can read it.";

/// The exercise whose answers open the summary ("What I want to discuss").
pub const PREPARING_EXERCISE: &str = "preparing-for-a-session";

/// The file formats an export can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Text,
}

impl Format {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Html => "html",
            Self::Text => "txt",
        }
    }
}

/// A format name that is not one of "markdown", "md", "html", "text" or "txt".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format '{0}': use 'markdown', 'html' or 'text'")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Ok(Self::Markdown),
            "html" | "htm" => Ok(Self::Html),
            "text" | "txt" => Ok(Self::Text),
            _ => Err(UnknownFormat(name.to_owned())),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Text => "text",
        })
    }
}

/// Someone named in the export: their id in the vault and their display name.
pub use crate::domain::Person;

/// What the person chose to include. The default includes everything they wrote that
/// is shared, and everything their partner shared, without check-in trends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// First day included (inclusive), as a local date in the document's offset.
    pub since: Option<NaiveDate>,
    /// Last day included (inclusive), as a local date in the document's offset.
    pub until: Option<NaiveDate>,
    pub workbook: Option<WorkbookId>,
    /// Modules to include; empty means all.
    pub modules: Vec<ModuleId>,
    /// Exercises to include; empty means all.
    pub exercises: Vec<ExerciseId>,
    /// `Some`: exactly these entries (still subject to the other filters). A set, as
    /// every entry is looked up in it.
    pub entries: Option<crate::domain::EntryIds>,
    /// Include my own private entries (a partner's private entries never are).
    pub include_private: bool,
    /// Include the check-in trends: my check-ins and my partner's shared ones.
    pub include_trends: bool,
    /// Who the summary is for (a counsellor's name), when the person says: a line in
    /// its header.
    pub prepared_for: Option<String>,
}

/// Everything an export is made from.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    pub me: Person,
    pub partner: Option<Person>,
    pub generated: DateTime<Utc>,
    /// The offset local dates are shown in and the date range is read in.
    pub offset: FixedOffset,
    /// Everything the unlocked person can read, borrowed: ten years of entries are
    /// never copied to make a summary.
    pub entries: Vec<&'a Entry>,
    pub selection: &'a Selection,
}

impl Document<'_> {
    /// The day `entry` was written, in the document's offset.
    pub(crate) fn local_date(&self, entry: &Entry) -> NaiveDate {
        entry.created.with_timezone(&self.offset).date_naive()
    }

    /// Who is reading: the rule of what may go in is `access`'s.
    pub(crate) fn reader(&self) -> Reader<'_> {
        Reader::new(&self.me.id, self.partner.as_slice())
    }

    /// True when `entry` may appear at all (see [`Reader::may_export`]).
    fn readable(&self, entry: &Entry, private_allowed: bool) -> bool {
        self.reader().may_export(entry, private_allowed)
    }

    fn in_range(&self, entry: &Entry) -> bool {
        let day = self.local_date(entry);
        let sel = self.selection;
        sel.since.is_none_or(|since| day >= since) && sel.until.is_none_or(|until| day <= until)
    }

    fn in_workbook(&self, entry: &Entry) -> bool {
        self.selection
            .workbook
            .as_ref()
            .is_none_or(|w| *w == entry.exercise.workbook)
    }

    fn chosen(&self, entry: &Entry) -> bool {
        let sel = self.selection;
        let module_ok = sel.modules.is_empty() || sel.modules.contains(&entry.exercise.module);
        let exercise_ok =
            sel.exercises.is_empty() || sel.exercises.contains(&entry.exercise.exercise);
        let entry_ok = sel
            .entries
            .as_ref()
            .is_none_or(|ids| ids.contains(&entry.id));
        module_ok && exercise_ok && entry_ok
    }
}

fn is_checkin(entry: &Entry) -> bool {
    entry.exercise.module.as_str() == CHECKIN_MODULE
}

/// The exercise entries that go into the export, oldest first (ties keep input order):
/// mine that match the selection (private ones only with `include_private`), plus my
/// partner's *shared* entries that match. Check-ins are left out: they go to trends.
pub fn select<'a>(doc: &Document<'a>) -> Vec<&'a Entry> {
    let mut chosen: Vec<&'a Entry> = doc
        .entries
        .iter()
        .copied()
        .filter(|e| !is_checkin(e))
        .filter(|e| doc.readable(e, doc.selection.include_private))
        .filter(|e| doc.in_range(e) && doc.in_workbook(e) && doc.chosen(e))
        .collect();
    chosen.sort_by_key(|e| e.created);
    chosen
}

/// The check-ins that go into the trends, oldest first: mine that are shared, and my
/// private ones only with `include_private` (check-ins are private by default, so
/// choosing trends alone never exposes them), and my partner's shared ones, in the date
/// range and workbook. Empty unless `include_trends`.
pub(crate) fn select_checkins<'a>(doc: &Document<'a>) -> Vec<&'a Entry> {
    if !doc.selection.include_trends {
        return Vec::new();
    }
    let mut chosen: Vec<&'a Entry> = doc
        .entries
        .iter()
        .copied()
        .filter(|e| is_checkin(e) && doc.readable(e, doc.selection.include_private))
        .filter(|e| doc.in_range(e) && doc.in_workbook(e))
        .collect();
    chosen.sort_by_key(|e| e.created);
    chosen
}

/// What a summary is made from, wherever it is asked for (the export screen or
/// `mend export`): one pipeline, so the same choices make the same document.
pub struct Request<'a> {
    pub workbooks: &'a [Workbook],
    /// Who is exporting.
    pub me: &'a Person,
    /// Everyone in the vault.
    pub people: &'a [Person],
    /// Everything the vault opened for `me`; what they may not see yet is left out
    /// here, by `access`'s one rule.
    pub entries: &'a [Entry],
    pub selection: &'a Selection,
    pub generated: DateTime<Utc>,
    pub offset: FixedOffset,
}

/// The summary `request` describes, in `format`.
pub fn summary(request: &Request<'_>, format: Format) -> String {
    let visible: Vec<&Entry> = Reader::new(&request.me.id, request.people)
        .may_see(request.workbooks, request.entries)
        .into_iter()
        .map(|i| &request.entries[i])
        .collect();
    let doc = Document {
        me: request.me.clone(),
        partner: request
            .people
            .iter()
            .find(|p| p.id != request.me.id)
            .cloned(),
        generated: request.generated,
        offset: request.offset,
        entries: visible,
        selection: request.selection,
    };
    render(&doc, format)
}

/// The whole export as one string in `format`.
pub fn render(doc: &Document<'_>, format: Format) -> String {
    let summary = summary::Summary::build(doc);
    match format {
        Format::Markdown => markdown::render(&summary),
        Format::Html => html::render(&summary),
        Format::Text => plain::render(&summary),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_parse_and_unknown_ones_say_what_to_use() {
        let cases = [
            ("markdown", Format::Markdown),
            ("md", Format::Markdown),
            ("MD", Format::Markdown),
            ("html", Format::Html),
            ("text", Format::Text),
            ("txt", Format::Text),
        ];
        for (name, want) in cases {
            assert_eq!(name.parse::<Format>(), Ok(want), "case: {name}");
        }
        let err = "pdf".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("'pdf'") && err.contains("'markdown'"), "{err}");
        assert_eq!(Format::Html.extension(), "html");
        assert_eq!(Format::Markdown.extension(), "md");
        assert_eq!(Format::Text.extension(), "txt");
    }
}
