//! The export screen's state: what goes in (by module, exercise, entry, period, trends,
//! private answers), the format, and the file. The document itself is built by
//! [`crate::export`]; this decides the [`Selection`] and checks before writing.
//!
//! [`ExportState::update`] moves, ticks, cycles, takes the file name, confirms and
//! writes; the driver's report on the write comes back to it.

use std::ops::Range;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};

use super::LineField;
use super::fields::MAX_NAME_CHARS;
use super::ticks::{Ticks, Weight};
use super::{
    Action, App, Ctx, Effect, Failure, HomeState, Overlay, PAGE, Screen, Session, Transition,
};
use crate::content::Visibility;
use crate::content::{ExerciseId, ModuleId, WorkbookId};
use crate::domain::{Entry, EntryId, EntryIds};
use crate::export::{Format, Selection};
use crate::trends::is_checkin;

/// The longest file path the export screen takes.
const MAX_PATH_CHARS: usize = 4096;

/// How far back the export reaches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Period {
    #[default]
    All,
    Month,
    Quarter,
    Year,
}

impl Period {
    pub fn label(self) -> &'static str {
        match self {
            Self::All => "everything",
            Self::Month => "the last 30 days",
            Self::Quarter => "the last 3 months",
            Self::Year => "the last 12 months",
        }
    }

    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::All => Self::Month,
            Self::Month => Self::Quarter,
            Self::Quarter => Self::Year,
            Self::Year => Self::All,
        }
    }

    #[must_use]
    pub fn previous(self) -> Self {
        match self {
            Self::All => Self::Year,
            Self::Month => Self::All,
            Self::Quarter => Self::Month,
            Self::Year => Self::Quarter,
        }
    }

    fn since(self, now: DateTime<Utc>, offset: FixedOffset) -> Option<NaiveDate> {
        let days = match self {
            Self::All => return None,
            Self::Month => 30,
            Self::Quarter => 91,
            Self::Year => 365,
        };
        Some(
            (now - TimeDelta::days(days))
                .with_timezone(&offset)
                .date_naive(),
        )
    }
}

/// One row of the choices list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    Format,
    Period,
    Trends,
    Module {
        workbook: WorkbookId,
        module: ModuleId,
        title: Arc<str>,
    },
    Exercise {
        module: ModuleId,
        exercise: ExerciseId,
        title: Arc<str>,
    },
    /// One entry: its date, and whose and who can read it ("private", "shared",
    /// "Robin's, shared").
    Entry {
        id: EntryId,
        label: String,
    },
    /// Who the summary is for: a line in its header.
    PreparedFor,
    /// A counsellor's age public key: the file is then encrypted to it.
    Recipient,
    Path,
    Write,
}

pub struct ExportState {
    pub rows: Vec<Row>,
    pub cursor: usize,
    pub format: Format,
    pub period: Period,
    pub include_trends: bool,
    pub path: LineField,
    pub preview_scroll: u16,
    /// The preview (plain text), made when the choices change, never per frame: a
    /// summary of ten years is megabytes, and moving the cursor changes none of it.
    pub preview: String,
    /// The choices changed since the preview was made: it is made again once nothing
    /// is typed ([`Action::Work`]), so a tick is drawn at once and quick ticks in a row
    /// make one preview, however many entries there are.
    preview_due: bool,
    /// Which entry rows are left out (what is ticked is exactly what goes in), each
    /// weighing one entry and, if it is this person's private answer, one private one:
    /// the file says how many of those it holds. A tick on a module of any size, and a
    /// row's tick drawn, cost the same.
    ticks: Ticks,
    /// Per row, where the rows under it end: a module's or exercise's stretch, an
    /// entry's own row, nothing for the other rows. Found once, when the rows are made.
    ends: Vec<usize>,
    /// The not-encrypted warning is showing; Enter writes.
    pub confirming: bool,
    /// The file is there already and the person is asked whether to replace it.
    pub replacing: bool,
    /// The person has edited the file name: its extension is theirs from then on.
    pub path_edited: bool,
    /// A counsellor's age public key (`age1…`), or empty for a file not encrypted.
    pub recipient: LineField,
    /// Who the summary is for (a counsellor's name), or empty.
    pub prepared_for: LineField,
}

impl ExportState {
    /// Every module, exercise and entry the person could include, newest work first
    /// within each exercise. `folder` is where the file goes by default.
    ///
    /// Long on purpose: the rows of the export screen, in the order they are shown.
    pub fn new(
        session: &Session,
        people: &[crate::domain::Person],
        workbooks: &[crate::content::Workbook],
        today: NaiveDate,
        folder: &std::path::Path,
    ) -> Self {
        let mut rows = vec![Row::Format, Row::Period, Row::Trends];
        let me = &session.person.id;
        let partner = people.iter().find(|p| &p.id != me).map(|p| p.name.as_str());
        // Per row, what it weighs and whether it starts left out.
        let mut weights = vec![Weight::default(); rows.len()];
        let mut left_out = vec![false; rows.len()];
        // Only what this person may see now: a partner's together answer waits.
        let mut entries: Vec<&Entry> = super::home::history(workbooks, session, people)
            .iter()
            .map(|&i| &session.entries[i])
            .filter(|e| !is_checkin(e))
            .collect();
        entries.sort_by(|a, b| {
            (
                &a.exercise.workbook,
                &a.exercise.module,
                &a.exercise.exercise,
                b.created,
            )
                .cmp(&(
                    &b.exercise.workbook,
                    &b.exercise.module,
                    &b.exercise.exercise,
                    a.created,
                ))
        });
        let mut last: Option<(&WorkbookId, &ModuleId, &ExerciseId)> = None;
        for e in entries {
            let r = &e.exercise;
            if last.is_none_or(|(w, m, _)| w != &r.workbook || m != &r.module) {
                rows.push(Row::Module {
                    workbook: r.workbook.clone(),
                    module: r.module.clone(),
                    title: r.module_title.clone(),
                });
            }
            if last.is_none_or(|(w, m, x)| w != &r.workbook || m != &r.module || x != &r.exercise) {
                rows.push(Row::Exercise {
                    module: r.module.clone(),
                    exercise: r.exercise.clone(),
                    title: r.exercise_title.clone(),
                });
            }
            last = Some((&r.workbook, &r.module, &r.exercise));
            let mine = &e.author == me;
            let whose = match (mine, e.visibility) {
                (true, Visibility::Private) => "private".to_owned(),
                (true, Visibility::Shared) => "shared".to_owned(),
                (false, _) => format!("{}'s, shared", partner.unwrap_or("your partner's")),
            };
            let private = mine && e.visibility == Visibility::Private;
            weights.resize(rows.len(), Weight::default());
            weights.push(Weight {
                entries: 1,
                private: u32::from(private),
            });
            // A private answer goes in by default only where it was written for a
            // session: the person's own words for their own counsellor.
            left_out.resize(rows.len(), false);
            left_out.push(private && !for_session(workbooks, e));
            rows.push(Row::Entry {
                id: e.id,
                label: format!("{} · {whose}", e.created.format("%-d %b %Y")),
            });
        }
        rows.push(Row::PreparedFor);
        rows.push(Row::Recipient);
        rows.push(Row::Path);
        rows.push(Row::Write);
        weights.resize(rows.len(), Weight::default());
        left_out.resize(rows.len(), false);
        let format = Format::Markdown;
        let mut path = LineField::with_max(MAX_PATH_CHARS);
        path.push_str(&default_path(folder, today, format).display().to_string());
        Self {
            rows,
            cursor: 0,
            format,
            period: Period::default(),
            include_trends: true,
            ticks: Ticks::default(),
            ends: Vec::new(),
            path,
            preview_scroll: 0,
            preview: String::new(),
            preview_due: true,
            confirming: false,
            replacing: false,
            path_edited: false,
            prepared_for: {
                let mut name = LineField::with_max(MAX_NAME_CHARS);
                name.push_str(session.profile.counsellor_name.as_deref().unwrap_or(""));
                name
            },
            recipient: {
                let mut key = LineField::with_max(MAX_KEY_CHARS);
                key.push_str(session.profile.counsellor_key.as_deref().unwrap_or(""));
                key
            },
        }
        .counted(&weights, &left_out)
    }

    /// With its rows weighing `weights`, those marked in `left_out` left out.
    fn counted(mut self, weights: &[Weight], left_out: &[bool]) -> Self {
        self.ticks = Ticks::new(weights, |i| left_out[i]);
        self.ends = ends(&self.rows);
        self
    }

    /// How many of this person's private answers the file would hold as ticked.
    pub fn private_ticked(&self) -> usize {
        let (all, out) = (self.ticks.weight(), self.ticks.out());
        usize::try_from(all.private - out.private).unwrap_or(usize::MAX)
    }

    /// Every entry ticked: everything this person may put in goes in.
    pub fn include_all(&mut self) {
        self.ticks.set(0..self.rows.len(), false);
    }

    /// The entries not ticked.
    pub fn left_out(&self) -> EntryIds {
        let mut ids = EntryIds::default();
        self.ticks.each_out(|i| {
            if let Some(Row::Entry { id, .. }) = self.rows.get(i) {
                ids.insert(*id);
            }
        });
        ids
    }

    /// The entry ids under row `index` (one for an entry, all for an exercise/module).
    pub fn entries_under(&self, index: usize) -> Vec<EntryId> {
        self.rows[self.rows_under(index)]
            .iter()
            .filter_map(|row| match row {
                Row::Entry { id, .. } => Some(*id),
                _ => None,
            })
            .collect()
    }

    /// Row `index` and the rows under it (none if it holds no entries).
    fn rows_under(&self, index: usize) -> Range<usize> {
        index..self.ends.get(index).copied().unwrap_or(index)
    }

    /// Whether everything under row `index` is included.
    pub fn included(&self, index: usize) -> bool {
        self.ticks.out_within(self.rows_under(index)).entries == 0
    }

    /// Space or Enter on the row under the cursor.
    pub fn toggle(&mut self) {
        match self.rows.get(self.cursor) {
            Some(Row::Format) => self.cycle_format(false),
            Some(Row::Period) => self.period = self.period.next(),
            Some(Row::Trends) => self.include_trends = !self.include_trends,
            Some(Row::Module { .. } | Row::Exercise { .. } | Row::Entry { .. }) => {
                // All in, unless all of it was in already: then all out.
                let include = !self.included(self.cursor);
                self.ticks.set(self.rows_under(self.cursor), !include);
            }
            Some(Row::PreparedFor | Row::Recipient | Row::Path | Row::Write) | None => {}
        }
        self.preview_scroll = 0;
    }

    /// Cycles the format (backwards with `back`), keeping the file name's extension in
    /// step.
    pub fn cycle_format(&mut self, back: bool) {
        let old = self.format.extension();
        self.format = match (self.format, back) {
            (Format::Markdown, false) | (Format::Text, true) => Format::Html,
            (Format::Html, false) | (Format::Markdown, true) => Format::Text,
            (Format::Text, false) | (Format::Html, true) => Format::Markdown,
        };
        let path = self.path.value().to_owned();
        if self.path_edited {
            return;
        }
        if let Some(stem) = path.strip_suffix(&format!(".{old}")) {
            let mut field = LineField::with_max(MAX_PATH_CHARS);
            field.push_str(&format!("{stem}.{}", self.format.extension()));
            self.path = field;
        }
    }

    pub fn selection(
        &self,
        session: &Session,
        workbook: Option<WorkbookId>,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Selection {
        let left_out = self.left_out();
        let chosen = session
            .entries
            .iter()
            .filter(|e| !left_out.contains(&e.id))
            .map(|e| e.id)
            .collect();
        Selection {
            since: self.period.since(now, offset),
            until: None,
            workbook,
            modules: Vec::new(),
            exercises: Vec::new(),
            entries: Some(chosen),
            // What is ticked is what goes in: the ticks above already left out every
            // private answer the person did not choose.
            include_private: true,
            include_trends: self.include_trends,
            prepared_for: self.for_whom(),
        }
    }

    pub fn path(&self) -> PathBuf {
        PathBuf::from(self.path.value())
    }
}

/// `<folder>/mend-summary-<date>.<ext>`.
pub fn default_path(folder: &std::path::Path, today: NaiveDate, format: Format) -> PathBuf {
    folder.join(format!("mend-summary-{today}.{}", format.extension()))
}

impl ExportState {
    /// Whether keys type into the file name or the counsellor's key (the cursor is on
    /// one, nothing to confirm).
    pub fn typing_in_a_field(&self) -> bool {
        matches!(
            self.rows.get(self.cursor),
            Some(Row::Path | Row::Recipient | Row::PreparedFor)
        ) && !self.confirming
    }

    /// The counsellor's key as typed: `Ok(None)` when there is none (the file is not
    /// encrypted), `Err` with what to do when it is not an age public key.
    pub fn counsellor(&self) -> Result<Option<String>, &'static str> {
        let key = self.recipient.value().trim();
        if key.is_empty() {
            return Ok(None);
        }
        age::x25519::Recipient::from_str(key)
            .map(|_| Some(key.to_owned()))
            .map_err(|_| {
                "That is not an age public key yet: it starts with age1 and is 62 letters and \
                 digits. Paste the whole key your counsellor gave you, or leave it empty."
            })
    }

    /// Who the summary is for, if the person said.
    pub fn for_whom(&self) -> Option<String> {
        let name = self.prepared_for.value().trim();
        (!name.is_empty()).then(|| name.to_owned())
    }

    /// Where the file goes: with `.age` added when it is encrypted to a counsellor.
    pub fn target(&self) -> PathBuf {
        let path = self.path();
        match self.counsellor() {
            Ok(Some(_)) if path.extension().is_none_or(|e| e != "age") => {
                let mut name = path.into_os_string();
                name.push(".age");
                PathBuf::from(name)
            }
            _ => path,
        }
    }

    /// Long on purpose: one arm per key on this screen, in the order they are checked.
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Transition {
        let Some(session) = ctx.session else {
            return Transition::stay();
        };
        let last = self.rows.len().saturating_sub(1);
        let on = self.rows.get(self.cursor).cloned();
        match action {
            Action::Work => {
                self.preview = self.document(ctx, session, Format::Text);
                self.preview_due = false;
            }
            Action::ExportWritten(result) => return self.written(session, result),
            Action::Char(_)
            | Action::Paste(_)
            | Action::Backspace
            | Action::Delete
            | Action::Left
            | Action::Right
            | Action::Home
            | Action::End
                if self.typing_in_a_field() =>
            {
                match on {
                    Some(Row::Path) => self.edit_path(action),
                    Some(Row::PreparedFor) => {
                        edit(&mut self.prepared_for, action);
                        self.refresh_preview();
                    }
                    _ => edit(&mut self.recipient, action),
                }
            }
            Action::Select if on == Some(Row::Recipient) && self.counsellor().is_ok() => {
                self.cursor += 1;
            }
            Action::Select if on == Some(Row::PreparedFor) => self.cursor += 1,
            Action::Cancel if self.replacing => {
                self.replacing = false;
                self.confirming = false;
            }
            Action::Cancel if self.confirming => self.confirming = false,
            Action::Cancel => return Transition::go(Screen::Home(HomeState::default())),
            Action::Select if self.confirming || self.replacing => {
                let contents = self.document(ctx, session, self.format);
                return Transition::stay().with(Effect::WriteExport {
                    path: self.target(),
                    contents,
                    replace: self.replacing,
                    recipient: self.counsellor().ok().flatten(),
                });
            }
            Action::Up | Action::Back => self.cursor = self.cursor.saturating_sub(1),
            Action::Down | Action::Next => self.cursor = (self.cursor + 1).min(last),
            Action::PageDown => self.preview_scroll = self.preview_scroll.saturating_add(PAGE),
            Action::PageUp => self.preview_scroll = self.preview_scroll.saturating_sub(PAGE),
            Action::Select if on == Some(Row::Path) => self.cursor = last,
            Action::Select if on == Some(Row::Write) => match self.counsellor() {
                Ok(_) => self.confirming = true,
                Err(what) => return Transition::stay().say(what),
            },
            // The preview is plain text whatever the format, so only what goes in remakes it.
            Action::Left | Action::Right if on == Some(Row::Format) => {
                self.cycle_format(matches!(action, Action::Left));
            }
            Action::Left | Action::Right if on == Some(Row::Period) => {
                self.period = if matches!(action, Action::Left) {
                    self.period.previous()
                } else {
                    self.period.next()
                };
                self.preview_scroll = 0;
                self.refresh_preview();
            }
            Action::Toggle | Action::Select => {
                self.toggle();
                self.refresh_preview();
            }
            _ => {}
        }
        Transition::stay()
    }

    /// The driver's report on writing the file.
    fn written(&mut self, session: &Session, result: Result<PathBuf, Failure>) -> Transition {
        match result {
            Ok(path) => {
                let how = if self.counsellor().ok().flatten().is_some() {
                    "encrypted to your counsellor's key: only their key opens it"
                } else {
                    "not encrypted"
                };
                let done = Transition::go(Screen::Home(HomeState::default()))
                    .say(format!("Wrote '{}' ({how}).", path.display()));
                // The next summary starts in the same folder, for the same counsellor.
                let mut profile = session.profile.clone();
                if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
                    profile.export_folder = Some(folder.to_owned());
                }
                profile.counsellor_key = self.counsellor().ok().flatten();
                profile.counsellor_name = self.for_whom();
                if profile == session.profile {
                    done
                } else {
                    done.with(Effect::SaveProfile(profile))
                }
            }
            Err(error) if matches!(*error, crate::vault::VaultError::ExportExists { .. }) => {
                // Asked here, on the screen: the command line's --force means nothing here.
                self.replacing = true;
                Transition::stay()
            }
            Err(error) => {
                self.confirming = false;
                self.replacing = false;
                Transition::stay().show(Overlay::Notice {
                    title: "The summary was not written".to_owned(),
                    lines: vec![error.to_string()],
                })
            }
        }
    }

    /// A key in the file name field.
    fn edit_path(&mut self, action: Action) {
        let moves_only = matches!(
            action,
            Action::Left | Action::Right | Action::Home | Action::End
        );
        edit(&mut self.path, action);
        self.path_edited |= !moves_only;
    }

    /// The preview is to be made again from the choices, once nothing is typed.
    fn refresh_preview(&mut self) {
        self.preview_due = true;
    }

    /// Whether the preview waits to be made again (see [`Action::Work`]).
    pub fn preview_due(&self) -> bool {
        self.preview_due
    }

    fn document(&self, ctx: &Ctx, session: &Session, format: Format) -> String {
        summary(
            ctx.workbooks,
            ctx.people,
            ctx.offset,
            session,
            self,
            ctx.now,
            format,
        )
    }
}

/// The document the export screen describes, in `format`.
pub fn export_document(
    app: &App,
    session: &Session,
    state: &ExportState,
    now: DateTime<Utc>,
    format: Format,
) -> String {
    summary(
        app.workbooks(),
        app.people(),
        app.offset(),
        session,
        state,
        now,
        format,
    )
}

/// The summary through the one pipeline `mend export` uses too.
fn summary(
    workbooks: &[crate::content::Workbook],
    people: &[crate::domain::Person],
    offset: FixedOffset,
    session: &Session,
    state: &ExportState,
    now: DateTime<Utc>,
    format: Format,
) -> String {
    let selection = state.selection(session, None, now, offset);
    crate::export::summary(
        &crate::export::Request {
            workbooks,
            me: &session.person,
            people,
            entries: &session.entries,
            selection: &selection,
            generated: now,
            offset,
        },
        format,
    )
}

/// Per row, where the rows under it end (see [`ExportState::rows_under`]): a module's
/// stretch runs to the next module or the rows after the list, an exercise's to the
/// next exercise, an entry is its own row, and the other rows hold nothing.
fn ends(rows: &[Row]) -> Vec<usize> {
    fn close(ends: &mut [usize], open: &mut Option<usize>, at: usize) {
        if let Some(start) = open.take() {
            ends[start] = at;
        }
    }
    let mut ends: Vec<usize> = (0..rows.len()).collect();
    let (mut module, mut exercise) = (None, None);
    for (i, row) in rows.iter().enumerate() {
        match row {
            Row::Module { .. } => {
                close(&mut ends, &mut exercise, i);
                close(&mut ends, &mut module, i);
                module = Some(i);
            }
            Row::Exercise { .. } => {
                close(&mut ends, &mut exercise, i);
                exercise = Some(i);
            }
            Row::Entry { .. } => ends[i] = i + 1,
            _ => {
                close(&mut ends, &mut exercise, i);
                close(&mut ends, &mut module, i);
            }
        }
    }
    close(&mut ends, &mut exercise, rows.len());
    close(&mut ends, &mut module, rows.len());
    ends
}

/// Whether `entry` answers an exercise its workbook marks as written for a session.
fn for_session(workbooks: &[crate::content::Workbook], entry: &Entry) -> bool {
    let r = &entry.exercise;
    workbooks
        .iter()
        .find(|w| w.id == r.workbook)
        .and_then(|w| super::home::locate(w, &r.module, &r.exercise))
        .is_some_and(|(_, exercise)| exercise.for_session)
}

/// The longest counsellor key the field takes (an age key is 62 characters).
const MAX_KEY_CHARS: usize = 100;

/// A key in a one-line field: typing, deleting, moving.
fn edit(field: &mut LineField, action: Action) {
    match action {
        Action::Char(c) => field.push_str(&c.to_string()),
        Action::Paste(text) => field.push_str(&text),
        Action::Backspace => field.backspace(),
        Action::Delete => field.delete(),
        Action::Left => field.left(),
        Action::Right => field.right(),
        Action::Home => field.home(),
        Action::End => field.end(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(id: &str) -> Row {
        Row::Module {
            workbook: WorkbookId::new("w"),
            module: ModuleId::new(id),
            title: id.into(),
        }
    }

    fn exercise(id: &str) -> Row {
        Row::Exercise {
            module: ModuleId::new("m"),
            exercise: ExerciseId::new(id),
            title: id.into(),
        }
    }

    /// Two modules over four entries (the second and fourth private), with an exercise
    /// that holds none, between the rows above and below the list.
    struct Listed {
        ids: Vec<EntryId>,
        rows: Vec<Row>,
        private: EntryIds,
    }

    impl Listed {
        fn new() -> Self {
            let ids: Vec<EntryId> = (0..4).map(|_| EntryId::random()).collect();
            let entry = |i: usize| Row::Entry {
                id: ids[i],
                label: format!("entry {i}"),
            };
            let rows = vec![
                Row::Format,
                Row::Period,
                Row::Trends,
                module("first"),
                exercise("a"),
                entry(0),
                entry(1),
                exercise("b"),
                entry(2),
                exercise("empty"),
                module("second"),
                exercise("c"),
                entry(3),
                Row::PreparedFor,
                Row::Recipient,
                Row::Path,
                Row::Write,
            ];
            let private = [ids[1], ids[3]].into_iter().collect();
            Self { ids, rows, private }
        }

        /// The export screen over these rows, `left_out` not ticked.
        fn state(&self, left_out: &EntryIds) -> ExportState {
            let (weights, out): (Vec<Weight>, Vec<bool>) = self
                .rows
                .iter()
                .map(|row| match row {
                    Row::Entry { id, .. } => (
                        Weight {
                            entries: 1,
                            private: u32::from(self.private.contains(id)),
                        },
                        left_out.contains(id),
                    ),
                    _ => (Weight::default(), false),
                })
                .unzip();
            ExportState {
                rows: self.rows.clone(),
                cursor: 0,
                format: Format::Markdown,
                period: Period::default(),
                include_trends: true,
                ticks: Ticks::default(),
                ends: Vec::new(),
                path: LineField::with_max(10),
                preview_scroll: 0,
                preview: String::new(),
                preview_due: false,
                confirming: false,
                replacing: false,
                path_edited: false,
                recipient: LineField::with_max(10),
                prepared_for: LineField::with_max(10),
            }
            .counted(&weights, &out)
        }
    }

    /// A module holds its exercises' entries, an exercise its own, an entry itself, and
    /// the rows around the list none: what a tick on each row reaches.
    #[test]
    fn each_row_holds_the_entries_listed_under_it() {
        let listed = Listed::new();
        let under: [&[usize]; 17] = [
            &[],
            &[],
            &[],
            &[0, 1, 2],
            &[0, 1],
            &[0],
            &[1],
            &[2],
            &[2],
            &[],
            &[3],
            &[3],
            &[3],
            &[],
            &[],
            &[],
            &[],
        ];
        let state = listed.state(&EntryIds::default());
        for (i, expected) in under.iter().enumerate() {
            let expected: Vec<EntryId> = expected.iter().map(|&e| listed.ids[e]).collect();
            assert_eq!(
                state.entries_under(i),
                expected,
                "the entries under row {i}"
            );
        }
    }

    /// What is ticked, counted once per change, is what every entry below each row
    /// says, for every way of leaving entries out, before and after a tick on any row.
    #[test]
    fn a_row_is_ticked_when_every_entry_below_it_is() {
        let listed = Listed::new();
        let holds = |state: &ExportState| {
            let left_out = state.left_out();
            for i in 0..listed.rows.len() {
                let every = state
                    .entries_under(i)
                    .iter()
                    .all(|id| !left_out.contains(id));
                assert_eq!(
                    state.included(i),
                    every,
                    "row {i} with {left_out:?} left out"
                );
            }
            assert_eq!(
                state.private_ticked(),
                listed.private.difference(&left_out).count()
            );
        };
        for left in 0..16_u32 {
            let left_out: EntryIds = (0..4)
                .filter(|i| left & (1 << i) != 0)
                .map(|i| listed.ids[i])
                .collect();
            let state = listed.state(&left_out);
            assert_eq!(state.left_out(), left_out);
            holds(&state);
            for row in 3..13 {
                let mut state = listed.state(&left_out);
                state.cursor = row;
                let was = state.included(row);
                state.toggle();
                holds(&state);
                if !state.entries_under(row).is_empty() {
                    assert_ne!(state.included(row), was, "row {row} ticks or unticks");
                }
            }
        }
    }
}
