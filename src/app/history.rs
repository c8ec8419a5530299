//! Looking back: the list of past entries, one entry read in full (where its author can
//! share it or make it private again), and the check-in trends.

use super::search::{Origin, SearchState};
use super::{Action, Ctx, Effect, HomeState, PAGE, Screen, Transition, home, scroll_by, step};
use crate::content::{StepId, Visibility};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryState {
    pub cursor: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingState {
    /// Index into the session's entries (newest first).
    pub entry: usize,
    pub scroll: u16,
    pub back: Back,
    /// Opened from a search: the words to mark, and which match is in view.
    pub found: Option<Found>,
}

/// Where Esc goes from an entry: the list or the search it was opened from, as left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Back {
    History(HistoryState),
    Search(Box<SearchState>),
}

/// One match of a search, as the reading view drew it: the row it is on (in the
/// scrolling text's wrapped lines) and the step it is in, if any. The shell measures
/// these ([`super::Layout::marks`]); n and N move between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub row: u16,
    pub step: Option<StepId>,
}

/// An entry opened from a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The query's words, folded: every match of any of them is marked.
    pub words: Vec<String>,
    /// The step whose match comes into view first (the one the search found).
    pub step: Option<StepId>,
    /// Which mark is the current one.
    pub at: usize,
    /// Whether the view has been put at the first match yet (that waits for the first
    /// drawing, which is what knows where the matches fall).
    pub placed: bool,
}

impl Found {
    pub fn new(words: Vec<String>, step: Option<StepId>) -> Self {
        Self {
            words,
            step,
            at: 0,
            placed: false,
        }
    }

    /// The current match and the scroll that shows it, given where the marks fell and
    /// how many `rows` show at once: at first, the first match in the step the search
    /// found, with the entry's top left in view if the match is on its first page.
    pub fn place(&self, marks: &[Mark], scroll: u16, max: u16, rows: u16) -> (usize, u16) {
        if self.placed {
            return (self.at, scroll);
        }
        let at = self
            .step
            .as_ref()
            .and_then(|step| marks.iter().position(|m| m.step.as_ref() == Some(step)))
            .unwrap_or(0);
        let scroll = match marks.get(at) {
            Some(m) if m.row.saturating_add(1) >= rows => into_view(m.row, max),
            _ => 0,
        };
        (at, scroll)
    }
}

/// The scroll that shows `row` with two lines above it for context.
fn into_view(row: u16, max: u16) -> u16 {
    row.saturating_sub(2).min(max)
}

impl HistoryState {
    pub fn update(&mut self, ctx: &Ctx, action: &Action) -> Transition {
        let listed = ctx
            .session
            .map_or(&[][..], |s| home::history(ctx.workbooks, s, ctx.people));
        let last = listed.len().saturating_sub(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = last,
            Action::Pick(i) if *i != self.cursor => self.cursor = (*i).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(PAGE.into()),
            Action::PageDown => self.cursor = (self.cursor + usize::from(PAGE)).min(last),
            // A click on the entry already chosen reads it, as Enter does.
            Action::Select | Action::Pick(_) if !listed.is_empty() => {
                return Transition::go(Screen::Reading(ReadingState {
                    entry: listed[self.cursor.min(last)],
                    scroll: 0,
                    back: Back::History(*self),
                    found: None,
                }));
            }
            Action::Cancel | Action::History => {
                return Transition::go(Screen::Home(HomeState::default()));
            }
            Action::Search => {
                return Transition::go(Screen::Search(Box::new(SearchState::new(
                    Origin::History(*self),
                ))));
            }
            _ => {}
        }
        Transition::stay()
    }
}

impl ReadingState {
    pub fn update(&mut self, ctx: &Ctx, action: &Action) -> Transition {
        match action {
            Action::ToggleVisibility => self.toggle_visibility(ctx, false),
            Action::ShareConfirmed => self.toggle_visibility(ctx, true),
            Action::Cancel | Action::Select | Action::History => {
                Transition::go(match &mut self.back {
                    Back::History(list) => Screen::History(*list),
                    Back::Search(search) => Screen::Search(std::mem::replace(
                        search,
                        Box::new(SearchState::new(Origin::Home)),
                    )),
                })
            }
            Action::NextMatch | Action::PreviousMatch => {
                self.next_match(ctx, matches!(action, Action::NextMatch))
            }
            other => {
                scroll_by(&mut self.scroll, other, ctx.scroll_max);
                Transition::stay()
            }
        }
    }

    /// Brings the next (or previous) match into view, round to the first after the last.
    fn next_match(&mut self, ctx: &Ctx, forward: bool) -> Transition {
        let Some(found) = self.found.as_mut() else {
            return Transition::stay();
        };
        let count = ctx.marks.len();
        if count == 0 {
            return Transition::stay().say("No match is on this page.");
        }
        let at = found.at.min(count - 1);
        found.at = if forward {
            (at + 1) % count
        } else {
            (at + count - 1) % count
        };
        found.placed = true;
        self.scroll = into_view(ctx.marks[found.at].row, ctx.scroll_max);
        Transition::stay()
    }

    /// Makes the entry private at once, or shared once the person has said yes.
    fn toggle_visibility(&self, ctx: &Ctx, confirmed: bool) -> Transition {
        let Some(session) = ctx.session else {
            return Transition::stay();
        };
        let Some(entry) = session.entries.get(self.entry) else {
            return Transition::stay();
        };
        if !session.is_mine(entry) {
            return Transition::stay().say("Only its author can change who can read an entry.");
        }
        let visibility = match (entry.visibility, confirmed) {
            (Visibility::Private, false) => {
                return Transition::stay().show(step::share_question(ctx));
            }
            (Visibility::Private, true) => Visibility::Shared,
            (Visibility::Shared, false) => Visibility::Private,
            (Visibility::Shared, true) => return Transition::stay(),
        };
        Transition::stay().with(Effect::SetVisibility {
            entry: entry.clone(),
            visibility,
        })
    }
}

/// The trends screen: Left and Right change the period shown.
pub(super) fn trends(range: &mut crate::trends::Range, action: &Action) -> Transition {
    match action {
        Action::Right | Action::Next => *range = range.next(),
        Action::Left | Action::Back => *range = range.previous(),
        Action::Cancel | Action::Trends => {
            return Transition::go(Screen::Home(HomeState::default()));
        }
        _ => {}
    }
    Transition::stay()
}
