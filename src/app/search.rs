//! The search screen: a query line whose results update at each keypress, over
//! everything the person may read, and the way into an entry with its matches marked.
//!
//! The results are found again only when the query changes (moving through them costs
//! nothing), against the session's corpus (see [`crate::search`]), which is built when
//! the entries change. A keypress looks through one slice of the corpus; if more is
//! left, the query is shown at once and the driver hands over [`Action::Work`] until
//! the rest is done (any key that acts on the results finishes it first), so typing
//! never waits for a scan of ten years of entries. Nothing here is written anywhere;
//! the query goes with the screen, and is wiped, on lock.

use std::sync::Arc;

use super::history::{Back, Found, ReadingState};
use super::{Action, Ctx, HistoryState, HomeState, LineField, PAGE, Screen, Transition};
use crate::search::{Hit, People, Query, Scan};

/// The longest query, in characters.
const MAX_QUERY: usize = 200;

/// How much folded text one turn looks through, in bytes: a fraction of a
/// millisecond, so a key is drawn at once however large the corpus.
pub const SLICE: usize = 256 * 1024;

/// How much the turn of the key itself looks through: less, so the key is drawn as
/// soon as a key anywhere else is (a short journal is still searched whole in it).
const FIRST_SLICE: usize = 16 * 1024;

/// Where Esc goes from the search screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Home,
    History(HistoryState),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchState {
    pub query: LineField,
    /// The query as last read: its words are what results and entries highlight.
    pub parsed: Query,
    /// Best first: what the last finished search found. Shared with the trail, so a
    /// backspace to results already found costs nothing however many there are.
    pub hits: Arc<[Hit]>,
    /// The query being matched, if its scan is not done (the hits are still the last
    /// query's until it is).
    scan: Option<Scan>,
    /// Index into `hits`.
    pub cursor: usize,
    pub from: Origin,
    /// The queries typed on the way to this one, each narrowing the one before, with
    /// what they found: typing on searches only the last results, and a backspace
    /// goes back to results already found.
    trail: Vec<(Query, Arc<[Hit]>)>,
}

/// How many earlier results a search keeps for backspaces.
const TRAIL: usize = 8;

impl SearchState {
    pub fn new(from: Origin) -> Self {
        Self {
            query: LineField::with_max(MAX_QUERY),
            parsed: Query::default(),
            hits: Arc::new([]),
            scan: None,
            cursor: 0,
            from,
            trail: Vec::new(),
        }
    }

    /// Whether the query asks for anything (words or a filter); an empty line lists
    /// nothing rather than everything.
    pub fn asks(&self) -> bool {
        !self.query.value().trim().is_empty()
    }

    /// Whether a search is still being matched (its results not shown yet).
    pub fn searching(&self) -> bool {
        self.scan.is_some()
    }

    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Transition {
        match action {
            Action::Work => {
                self.work(ctx, SLICE);
                return Transition::stay();
            }
            // Anything that acts on the results acts on the query as typed.
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Pick(_)
            | Action::Select => self.work(ctx, usize::MAX),
            _ => {}
        }
        let last = self.hits.len().saturating_sub(1);
        match action {
            Action::Char(c) => self.edit(ctx, |q| q.push_str(c.encode_utf8(&mut [0; 4]))),
            Action::Paste(text) => self.edit(ctx, |q| q.push_str(&text)),
            Action::Backspace => self.edit(ctx, LineField::backspace),
            Action::Delete => self.edit(ctx, LineField::delete),
            Action::Left => self.query.left(),
            Action::Right => self.query.right(),
            Action::Home => self.query.home(),
            Action::End => self.query.end(),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(PAGE.into()),
            Action::PageDown => self.cursor = (self.cursor + usize::from(PAGE)).min(last),
            Action::Pick(i) if i != self.cursor => self.cursor = i.min(last),
            // A click on the result already chosen reads it, as Enter does.
            Action::Select | Action::Pick(_) if !self.hits.is_empty() => {
                return self.open(ctx);
            }
            Action::Cancel => {
                return Transition::go(match &self.from {
                    Origin::Home => Screen::Home(HomeState::default()),
                    Origin::History(back) => Screen::History(*back),
                });
            }
            _ => {}
        }
        Transition::stay()
    }

    /// Changes the query and finds again.
    fn edit(&mut self, ctx: &Ctx, change: impl FnOnce(&mut LineField)) {
        let before = self.query.value().to_owned();
        change(&mut self.query);
        if self.query.value() != before {
            self.find(ctx);
        }
    }

    /// Starts finding the results for the query as it stands, and looks through the
    /// first slice.
    pub fn find(&mut self, ctx: &Ctx) {
        self.cursor = 0;
        self.scan = None;
        if ctx.session.is_none() {
            return;
        }
        let today = ctx.now.with_timezone(&ctx.offset).date_naive();
        self.parsed = Query::parse(self.query.value(), today);
        if !self.asks() {
            self.hits = Arc::new([]);
            self.trail.clear();
            return;
        }
        // Back along the trail to results this query is the same as, or narrows.
        while let Some((query, found)) = self.trail.last() {
            if *query == self.parsed {
                self.hits = Arc::clone(found);
                return;
            }
            if self.parsed.narrows(query) {
                self.scan = Some(Scan::within(self.parsed.clone(), found));
                break;
            }
            self.trail.pop();
        }
        if self.trail.is_empty() {
            self.scan = Some(Scan::all(self.parsed.clone()));
        }
        self.work(ctx, FIRST_SLICE);
    }

    /// Looks through about `budget` bytes more of the search under way; when it is
    /// done, its results are shown, best first, and kept for backspaces.
    fn work(&mut self, ctx: &Ctx, budget: usize) {
        let (Some(scan), Some(session)) = (&mut self.scan, ctx.session) else {
            return;
        };
        let people = People {
            me: &session.person.id,
            names: ctx.people.iter().map(|p| (&p.id, p.name.clone())).collect(),
        };
        let corpus = session.corpus(ctx.workbooks, ctx.people);
        let Some(hits) = scan.run(corpus, &session.entries, &people, budget) else {
            return;
        };
        let query = scan.query.clone();
        self.scan = None;
        self.cursor = 0;
        self.hits = hits.into();
        if self.trail.len() == TRAIL {
            self.trail.remove(0);
        }
        self.trail.push((query, Arc::clone(&self.hits)));
    }

    /// Reads the chosen result, scrolled to its first match, with every match marked.
    fn open(&mut self, ctx: &Ctx) -> Transition {
        let Some(hit) = self.hits.get(self.cursor).cloned() else {
            return Transition::stay();
        };
        let step = ctx.session.and_then(|s| {
            let answers = &s.entries.get(hit.entry)?.answers;
            Some(answers.get(hit.step?)?.step.clone())
        });
        let found = Found::new(self.parsed.words.clone(), step);
        let back = std::mem::replace(self, Self::new(Origin::Home));
        Transition::go(Screen::Reading(ReadingState {
            entry: hit.entry,
            scroll: 0,
            back: Back::Search(Box::new(back)),
            found: Some(found),
        }))
    }
}

/// The query is what a person was looking for: wiped, not just freed.
impl Drop for SearchState {
    fn drop(&mut self) {
        self.query.wipe();
    }
}
