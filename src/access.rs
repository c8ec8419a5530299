//! Who wrote an entry, and who may read it: the one rule, asked by every view and both
//! export paths (home, history, reading, side by side, trends, the export screen and
//! `mend export`). No other module decides either.
//!
//! Authorship is settled before an entry gets here. The vault confirms every entry it
//! loads (the author's MAC for your own, the author's witness for a partner's) and sets
//! apart in `vault::Loaded::unconfirmed` any entry whose author it cannot confirm, so a
//! `&Entry` in a session or an export is always the words of the person it names.
//! From those, a person may read their own entries and a partner's shared ones, except
//! a partner's answer to a *together* exercise they have not answered themselves yet
//! (each answers alone before seeing the other's words). A summary holds the same,
//! with the person's own private entries only when they choose, and never a partner's
//! private one (the vault cannot decrypt those anyway: this is the second lock).

use std::collections::HashMap;

use crate::content::{Mode, Visibility, Workbook};
use crate::domain::Person;
use crate::domain::{Entry, ExerciseRef, PersonId};

/// One person reading the vault, and who else is in it.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    me: &'a PersonId,
    people: &'a [Person],
}

/// Whose words an entry is, as the reader is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Author<'a> {
    Me,
    /// A partner in this vault, by name.
    Partner(&'a str),
}

impl<'a> Reader<'a> {
    /// `me` reading a vault whose people are `people` (`me` among them, or not yet).
    pub fn new(me: &'a PersonId, people: &'a [Person]) -> Self {
        Self { me, people }
    }

    pub fn is_mine(&self, entry: &Entry) -> bool {
        &entry.author == self.me
    }

    /// Whose words `entry` is; a partner is named.
    pub fn author(&self, entry: &Entry) -> Author<'a> {
        if self.is_mine(entry) {
            return Author::Me;
        }
        Author::Partner(
            self.people
                .iter()
                .find(|p| p.id == entry.author)
                .map_or("your partner", |p| p.name.as_str()),
        )
    }

    /// Whether this person may read `entry` at all: their own, or a partner's shared
    /// one (before the together rule of [`Self::may_see`]).
    pub fn may_read(&self, entry: &Entry) -> bool {
        self.is_mine(entry) || self.is_partners_shared(entry)
    }

    /// Whether `entry` is a partner's and shared: what a partner may read of it.
    fn is_partners_shared(&self, entry: &Entry) -> bool {
        !self.is_mine(entry)
            && entry.visibility == Visibility::Shared
            && self.people.iter().any(|p| p.id == entry.author)
    }

    /// Which of `entries` this person may see now, as indices in order.
    pub fn may_see(&self, workbooks: &[Workbook], entries: &[Entry]) -> Vec<usize> {
        self.may_see_iter(workbooks, entries).collect()
    }

    /// [`Self::may_see`], lazily: taking the first few costs a few entries, not all of
    /// them. Each exercise is looked up in the workbooks once, and whether this person
    /// answered it is searched for once, only for a partner's entry in a together
    /// exercise.
    pub fn may_see_iter(
        self,
        workbooks: &'a [Workbook],
        entries: &'a [Entry],
    ) -> impl Iterator<Item = usize> + 'a {
        let mut together: HashMap<ExerciseKey<'a>, bool> = HashMap::new();
        let mut answered: HashMap<ExerciseKey<'a>, bool> = HashMap::new();
        entries.iter().enumerate().filter_map(move |(i, e)| {
            if self.is_mine(e) {
                return Some(i);
            }
            if !self.may_read(e) {
                return None;
            }
            let key = key_of(&e.exercise);
            let is_together = *together
                .entry(key)
                .or_insert_with(|| is_together(workbooks, &e.exercise));
            let waits_for_me = is_together
                && !*answered.entry(key).or_insert_with(|| {
                    entries
                        .iter()
                        .any(|m| self.is_mine(m) && key_of(&m.exercise) == key)
                });
            (!waits_for_me).then_some(i)
        })
    }

    /// How many of `entries` are this person's own and shared: what a partner who joins
    /// will be able to read.
    pub fn shared_by_me(&self, entries: &[Entry]) -> usize {
        entries
            .iter()
            .filter(|e| self.is_mine(e) && e.visibility == Visibility::Shared)
            .count()
    }

    /// Whether any of `entries` is a partner's.
    pub fn any_from_partner(&self, entries: &[Entry]) -> bool {
        entries.iter().any(|e| self.is_partners_shared(e))
    }

    /// Whether `entry` may go into this person's summary: their own (private ones only
    /// with `include_private`) or a partner's shared one.
    pub fn may_export(&self, entry: &Entry, include_private: bool) -> bool {
        if self.is_mine(entry) {
            entry.visibility == Visibility::Shared || include_private
        } else {
            self.is_partners_shared(entry)
        }
    }
}

/// Which exercise an entry answers, as ids borrowed from it, for sets and maps.
type ExerciseKey<'a> = (&'a str, &'a str, &'a str);

fn key_of(r: &ExerciseRef) -> ExerciseKey<'_> {
    (r.workbook.as_str(), r.module.as_str(), r.exercise.as_str())
}

fn is_together(workbooks: &[Workbook], r: &ExerciseRef) -> bool {
    workbooks
        .iter()
        .find(|w| w.id == r.workbook)
        .and_then(|w| w.exercise(&r.module, &r.exercise))
        .is_some_and(|(_, ex)| ex.mode == Mode::Together)
}
