//! Looking back: the list of past entries, one entry read in full (where its author can
//! share it or make it private again), and the check-in trends.

use super::{Action, Ctx, Effect, HomeState, PAGE, Screen, Transition, home, scroll_by, step};
use crate::content::Visibility;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryState {
    pub cursor: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadingState {
    /// Index into the session's entries (newest first).
    pub entry: usize,
    pub scroll: u16,
    pub back: HistoryState,
}

impl HistoryState {
    pub fn update(&mut self, ctx: &Ctx, action: &Action) -> Transition {
        let listed = ctx
            .session
            .map_or_else(Vec::new, |s| home::history(ctx.workbooks, s, ctx.people));
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
                    back: *self,
                }));
            }
            Action::Cancel | Action::History => {
                return Transition::go(Screen::Home(HomeState::default()));
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
                Transition::go(Screen::History(self.back))
            }
            other => {
                scroll_by(&mut self.scroll, other, ctx.scroll_max);
                Transition::stay()
            }
        }
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
