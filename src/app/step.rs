//! The exercise runner's state: one exercise, one step at a time.
//!
//! Each step has a [`Slot`] holding what the person has given so far, so moving back
//! and forth never loses anything. A slot becomes an [`Answer`] only when a draft or
//! an entry is built; until then nothing here is final.
//!
//! [`StepState::update`] answers the keys: moving between steps, marking one skipped or
//! not ready, typing, and (only after the person says yes) sharing.

use chrono::{DateTime, Utc};
use std::sync::Arc;

use crate::content::{
    Exercise, ModuleId, RoleId, Step, StepKind, Visibility, Workbook, WorkbookId,
};
use crate::domain::{
    Answer, Draft, ENTRY_FORMAT, Entry, EntryId, ExerciseRef, PersonId, PickedOption, StepAnswer,
};
use crate::editor::{self, EditInput, Editor};
use crate::text::sanitize;

use super::{Action, Ctx, Effect, HomeState, Overlay, Screen, Transition, scroll_by};

/// What the person did with a step besides answering it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    None,
    Skipped,
    NotReady,
}

/// The input for one step.
pub enum SlotInput {
    Text(Box<Editor>),
    Scale { value: Option<i32> },
    Choice { cursor: usize, picked: Vec<bool> },
    Reflect,
}

pub struct Slot {
    pub input: SlotInput,
    pub mark: Mark,
    pub visited: bool,
    /// Options a draft picked that the workbook no longer offers (a later edition
    /// removed them): kept, and saved with the answer as they were given.
    pub retired: Vec<PickedOption>,
}

impl Slot {
    fn new(step: &Step) -> Self {
        let input = match &step.kind {
            StepKind::Text { .. } => SlotInput::Text(Box::new(editor::new(""))),
            StepKind::Scale { .. } => SlotInput::Scale { value: None },
            StepKind::Choice { options, .. } => SlotInput::Choice {
                cursor: 0,
                picked: vec![false; options.len()],
            },
            StepKind::Checklist { items } => SlotInput::Choice {
                cursor: 0,
                picked: vec![false; items.len()],
            },
            StepKind::Reflect => SlotInput::Reflect,
        };
        Self {
            input,
            mark: Mark::None,
            visited: false,
            retired: Vec::new(),
        }
    }

    /// Restores a slot from a saved answer, matching options by id so a reworded or
    /// reordered workbook still lands each pick on the right option.
    fn restore(step: &Step, answer: &Answer) -> Self {
        let mut slot = Self::new(step);
        slot.visited = true;
        match (answer, &mut slot.input) {
            (Answer::Skipped, _) => slot.mark = Mark::Skipped,
            (Answer::NotReady, _) => slot.mark = Mark::NotReady,
            (Answer::Text { text }, SlotInput::Text(ed)) => {
                **ed = editor::new(text);
            }
            (Answer::Scale { value, .. }, SlotInput::Scale { value: v }) => *v = Some(*value),
            (Answer::Choice { options: saved }, SlotInput::Choice { picked, cursor }) => {
                let offered = options_of(step);
                for (i, option) in offered.iter().enumerate() {
                    picked[i] = saved.iter().any(|s| s.picked && s.id == option.id);
                }
                // Back on a step, the cursor rests on what was picked.
                *cursor = picked.iter().position(|p| *p).unwrap_or(0);
                slot.retired = saved
                    .iter()
                    .filter(|s| s.picked && !offered.iter().any(|o| o.id == s.id))
                    .cloned()
                    .collect();
            }
            _ => {}
        }
        slot
    }

    /// True when the person has given something for this step.
    pub fn has_content(&self) -> bool {
        match &self.input {
            SlotInput::Text(ed) => !editor::text(ed).trim().is_empty(),
            SlotInput::Scale { value } => value.is_some(),
            SlotInput::Choice { picked, .. } => {
                picked.iter().any(|p| *p) || !self.retired.is_empty()
            }
            SlotInput::Reflect => self.visited,
        }
    }

    fn answer(&self, step: &Step) -> Option<Answer> {
        match self.mark {
            Mark::Skipped => return Some(Answer::Skipped),
            Mark::NotReady => return Some(Answer::NotReady),
            Mark::None => {}
        }
        if !self.has_content() {
            return self.visited.then_some(Answer::Skipped);
        }
        Some(match (&self.input, &step.kind) {
            (SlotInput::Text(ed), _) => Answer::Text {
                text: editor::text(ed),
            },
            (
                SlotInput::Scale { value: Some(value) },
                StepKind::Scale {
                    min,
                    max,
                    min_label,
                    max_label,
                },
            ) => Answer::Scale {
                value: *value,
                min: *min,
                max: *max,
                min_label: min_label.clone(),
                max_label: max_label.clone(),
            },
            (SlotInput::Choice { picked, .. }, _) => Answer::Choice {
                options: options_of(step)
                    .iter()
                    .zip(picked)
                    .map(|(o, p)| PickedOption::new(o.id.clone(), o.label.clone(), *p))
                    .chain(self.retired.iter().cloned())
                    .collect(),
            },
            _ => Answer::Read,
        })
    }
}

/// The options of a choice or the items of a checklist.
pub fn options_of(step: &Step) -> &[crate::content::ChoiceOption] {
    match &step.kind {
        StepKind::Choice { options, .. } => options,
        StepKind::Checklist { items } => items,
        _ => &[],
    }
}

/// Where an exercise sits, as its entries record it: a module, or the check-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub module: ModuleId,
    pub module_title: Arc<str>,
}

pub struct StepState {
    pub workbook: WorkbookId,
    pub workbook_version: Arc<str>,
    pub module: ModuleId,
    pub module_title: Arc<str>,
    pub exercise: Exercise,
    pub entry_id: EntryId,
    pub created: DateTime<Utc>,
    /// The step shown; `exercise.steps.len()` is the closing page.
    pub at: usize,
    pub slots: Vec<Slot>,
    pub visibility: Visibility,
    /// Lines the prompt is scrolled by, for long reflect text on small screens.
    pub scroll: u16,
    /// Answers from a draft whose step is no longer in the exercise (or changed kind):
    /// kept and saved with the entry, never dropped.
    pub orphans: Vec<StepAnswer>,
    /// The digit just typed on a scale, so "1" then "0" means 10.
    pub typed_digit: Option<i32>,
    /// Picked up from a draft: it stays a draft, whatever is on screen.
    pub resumed: bool,
    /// When the answer on screen last changed without being kept as a draft since: a
    /// pause in typing keeps it (see [`StepState::draft_due`]).
    pub unsaved_since: Option<DateTime<Utc>>,
}

impl StepState {
    /// A fresh pass through `exercise`, showing only the steps meant for `role`.
    /// `id` is the new entry's (random, from the shell); `now` when it was begun.
    pub fn start(
        workbook: &Workbook,
        place: Place,
        exercise: &Exercise,
        role: Option<&RoleId>,
        id: EntryId,
        now: DateTime<Utc>,
    ) -> Self {
        let exercise = exercise.for_person(role);
        let mut state = Self {
            workbook: workbook.id.clone(),
            workbook_version: workbook.version.clone(),
            module: place.module,
            module_title: place.module_title,
            entry_id: id,
            created: now,
            at: 0,
            slots: exercise.steps.iter().map(Slot::new).collect(),
            visibility: exercise.default_visibility,
            scroll: 0,
            orphans: Vec::new(),
            typed_digit: None,
            resumed: false,
            unsaved_since: None,
            exercise,
        };
        state.visit();
        state
    }

    /// Picks a draft up where it was left, against the workbook as it is now: answers
    /// follow their step ids, so reworded, added, removed or reordered steps are fine.
    pub fn resume(
        workbook: &Workbook,
        place: Place,
        exercise: &Exercise,
        role: Option<&RoleId>,
        draft: &Draft,
    ) -> Self {
        let mut state = Self::start(
            workbook,
            place,
            exercise,
            role,
            draft.entry.id,
            draft.entry.created,
        );
        state.visibility = draft.entry.visibility;
        state.resumed = true;
        for saved in &draft.entry.answers {
            let place = state.exercise.steps.iter().position(|s| s.id == saved.step);
            match place {
                Some(i) if fits(&state.exercise.steps[i].kind, &saved.answer) => {
                    state.slots[i] = Slot::restore(&state.exercise.steps[i], &saved.answer);
                }
                _ => state.orphans.push(saved.clone()),
            }
        }
        let by_id = draft
            .at_step_id
            .as_ref()
            .and_then(|id| state.exercise.steps.iter().position(|s| &s.id == id));
        state.at = by_id.unwrap_or(draft.at_step.min(state.exercise.steps.len()));
        state.visit();
        state
    }

    /// How long a pause in typing is before the answer on screen is kept as a draft, so
    /// a crash or a power cut loses at most the last few seconds of writing.
    pub const PAUSE_BEFORE_DRAFT: chrono::TimeDelta = chrono::TimeDelta::seconds(2);

    /// Whether the answer on screen changed and then rested for
    /// [`Self::PAUSE_BEFORE_DRAFT`] without being kept.
    pub fn draft_due(&self, now: DateTime<Utc>) -> bool {
        self.unsaved_since
            .is_some_and(|since| now - since >= Self::PAUSE_BEFORE_DRAFT)
            && self.worth_a_draft()
    }

    /// Whether there is anything to keep as a draft: an answer, a skip or "not ready",
    /// or an earlier draft being picked up. Reading through an exercise (a done one, say)
    /// changes nothing, so it leaves no draft and home still shows it done.
    pub fn worth_a_draft(&self) -> bool {
        self.resumed
            || !self.orphans.is_empty()
            || self
                .exercise
                .steps
                .iter()
                .zip(&self.slots)
                .any(|(step, slot)| {
                    slot.mark != Mark::None
                        || (!matches!(step.kind, StepKind::Reflect) && slot.has_content())
                })
    }

    pub fn step(&self) -> Option<&Step> {
        self.exercise.steps.get(self.at)
    }

    pub fn slot_mut(&mut self) -> Option<&mut Slot> {
        self.slots.get_mut(self.at)
    }

    pub fn slot(&self) -> Option<&Slot> {
        self.slots.get(self.at)
    }

    pub fn is_closing_page(&self) -> bool {
        self.at >= self.exercise.steps.len()
    }

    fn visit(&mut self) {
        self.scroll = 0;
        if let Some(slot) = self.slot_mut() {
            slot.visited = true;
        }
    }

    pub fn go_next(&mut self) {
        if self.at < self.exercise.steps.len() {
            self.at += 1;
            self.visit();
        }
    }

    pub fn go_back(&mut self) {
        if self.at > 0 {
            self.at -= 1;
            self.visit();
        }
    }

    pub fn set_mark(&mut self, mark: Mark) {
        if let Some(slot) = self.slot_mut() {
            slot.mark = mark;
        }
    }

    /// Feeds a key to the text editor; any edit clears a skip or "not ready" mark.
    pub fn edit(&mut self, input: EditInput) {
        if let Some(slot) = self.slot_mut()
            && let SlotInput::Text(ed) = &mut slot.input
            && editor::input(ed, input)
        {
            slot.mark = Mark::None;
        }
    }

    /// The text step's whole answer, in place of what was there.
    pub fn replace_text(&mut self, text: &str) {
        if let Some(slot) = self.slot_mut()
            && let SlotInput::Text(ed) = &mut slot.input
        {
            **ed = editor::new(&editor::clean_paste(text));
            slot.mark = Mark::None;
        }
    }

    pub fn paste(&mut self, pasted: &str) {
        let clean = editor::clean_paste(pasted);
        if let Some(slot) = self.slot_mut()
            && let SlotInput::Text(ed) = &mut slot.input
        {
            ed.insert_str(clean);
            slot.mark = Mark::None;
        }
    }

    /// Sets a scale's value with `choose(current, min, max)`; values outside the
    /// scale are ignored.
    fn change_scale(&mut self, choose: impl FnOnce(Option<i32>, i32, i32) -> i32) {
        let Some(StepKind::Scale { min, max, .. }) = self.step().map(|s| s.kind.clone()) else {
            return;
        };
        if let Some(slot) = self.slot_mut()
            && let SlotInput::Scale { value } = &mut slot.input
        {
            let chosen = choose(*value, min, max);
            if (min..=max).contains(&chosen) {
                *value = Some(chosen);
                slot.mark = Mark::None;
            }
        }
    }

    /// Moves a scale by `delta`, starting from the middle when nothing is chosen yet.
    pub fn nudge_scale(&mut self, delta: i32) {
        self.change_scale(|value, min, max| match value {
            Some(v) => (v + delta).clamp(min, max),
            None => min + (max - min) / 2,
        });
    }

    /// A typed digit sets the value directly; a second digit straight after the first
    /// makes a two-digit value when the scale reaches it ("1", "0" is 10).
    pub fn set_scale(&mut self, digit: i32) {
        let joined = self.typed_digit.map(|first| first * 10 + digit);
        self.change_scale(|_, min, max| match joined {
            Some(n) if (min..=max).contains(&n) => n,
            _ => digit,
        });
        self.typed_digit = match joined {
            Some(n)
                if self.slot().is_some_and(
                    |s| matches!(s.input, SlotInput::Scale { value: Some(v) } if v == n),
                ) =>
            {
                None
            }
            _ => Some(digit),
        };
    }

    /// True when the step on screen is a choice or checklist, where ↑/↓ move between
    /// options rather than scroll.
    pub fn on_options(&self) -> bool {
        matches!(
            self.slot().map(|s| &s.input),
            Some(SlotInput::Choice { .. })
        )
    }

    pub fn move_cursor(&mut self, down: bool) {
        if let Some(slot) = self.slot_mut()
            && let SlotInput::Choice { cursor, picked } = &mut slot.input
        {
            let last = picked.len().saturating_sub(1);
            *cursor = if down {
                (*cursor + 1).min(last)
            } else {
                cursor.saturating_sub(1)
            };
        }
    }

    /// A click on option `i`: the cursor goes there and it is picked (one choice) or
    /// ticked and unticked (several), as Space would.
    pub fn pick_option(&mut self, i: usize) {
        if let Some(slot) = self.slot_mut()
            && let SlotInput::Choice { cursor, picked } = &mut slot.input
            && i < picked.len()
        {
            *cursor = i;
        } else {
            return;
        }
        self.toggle_option();
    }

    /// The first option, or (`last`) the last.
    pub fn move_cursor_to(&mut self, last: bool) {
        if let Some(slot) = self.slot_mut()
            && let SlotInput::Choice { cursor, picked } = &mut slot.input
        {
            *cursor = if last {
                picked.len().saturating_sub(1)
            } else {
                0
            };
        }
    }

    /// Space on a choice: a radio button for single choice, a tick box otherwise.
    pub fn toggle_option(&mut self) {
        let multiple = match self.step().map(|s| &s.kind) {
            Some(StepKind::Choice { multiple, .. }) => *multiple,
            Some(StepKind::Checklist { .. }) => true,
            _ => return,
        };
        if let Some(slot) = self.slot_mut()
            && let SlotInput::Choice { cursor, picked } = &mut slot.input
            && *cursor < picked.len()
        {
            if multiple {
                picked[*cursor] = !picked[*cursor];
            } else {
                let was = picked[*cursor];
                picked.fill(false);

                picked[*cursor] = !was;
            }
            slot.mark = Mark::None;
        }
    }

    /// Enter on a single choice with nothing picked picks the highlighted option.
    pub fn pick_highlighted_if_single(&mut self) {
        if let Some(StepKind::Choice {
            multiple: false, ..
        }) = self.step().map(|s| &s.kind)
            && let Some(slot) = self.slot_mut()
            && let SlotInput::Choice { cursor, picked } = &mut slot.input
            && *cursor < picked.len()
        {
            // Enter picks the highlighted option, as the hint says, even over an
            // earlier pick (the cursor starts on that pick, so Enter alone keeps it).
            for p in picked.iter_mut() {
                *p = false;
            }
            picked[*cursor] = true;
            slot.mark = Mark::None;
        }
    }

    fn answers(&self) -> Vec<StepAnswer> {
        let mut answers: Vec<StepAnswer> = self
            .exercise
            .steps
            .iter()
            .zip(&self.slots)
            .filter_map(|(step, slot)| {
                slot.answer(step).map(|answer| StepAnswer {
                    step: step.id.clone(),
                    prompt: step.prompt.clone(),
                    answer,
                })
            })
            .collect();
        answers.extend(self.orphans.iter().cloned());
        answers
    }

    pub fn to_entry(&self, author: &PersonId, now: DateTime<Utc>) -> Entry {
        Entry {
            format: ENTRY_FORMAT,
            id: self.entry_id,
            author: author.clone(),
            created: self.created,
            updated: now,
            visibility: self.visibility,
            mac: None,
            witness: Vec::new(),
            exercise: std::sync::Arc::new(ExerciseRef {
                workbook: self.workbook.clone(),
                workbook_version: self.workbook_version.clone(),
                module: self.module.clone(),
                exercise: self.exercise.id.clone(),
                module_title: self.module_title.clone(),
                exercise_title: self.exercise.title.clone(),
            }),
            answers: self.answers(),
        }
    }

    pub fn to_draft(&self, author: &PersonId, now: DateTime<Utc>) -> Draft {
        Draft {
            at_step: self.at,
            at_step_id: self.step().map(|s| s.id.clone()),
            entry: self.to_entry(author, now),
        }
    }

    /// How many steps were answered, skipped and marked not ready, for the closing page.
    pub fn tally(&self) -> (usize, usize, usize) {
        let mut t = (0, 0, 0);
        for (step, slot) in self.exercise.steps.iter().zip(&self.slots) {
            if matches!(step.kind, StepKind::Reflect) {
                continue;
            }
            match slot.answer(step) {
                Some(Answer::NotReady) => t.2 += 1,
                Some(Answer::Skipped) | None => t.1 += 1,
                Some(_) => t.0 += 1,
            }
        }
        t
    }
}

/// Whether a saved answer can go back into a step of this kind (a step whose id stayed
/// but whose kind changed keeps its old answer aside instead).
fn fits(kind: &StepKind, answer: &Answer) -> bool {
    matches!(
        (kind, answer),
        (_, Answer::Skipped | Answer::NotReady)
            | (StepKind::Text { .. }, Answer::Text { .. })
            | (StepKind::Scale { .. }, Answer::Scale { .. })
            | (
                StepKind::Choice { .. } | StepKind::Checklist { .. },
                Answer::Choice { .. }
            )
            | (StepKind::Reflect, Answer::Read)
    )
}

impl StepState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Transition {
        let Some(session) = ctx.session else {
            return Transition::stay();
        };
        let me = &session.person.id;
        if !matches!(action, Action::Digit(_)) {
            self.typed_digit = None;
        }
        let mut said = None;
        match action {
            Action::Next => self.go_next(),
            Action::Back => self.go_back(),
            Action::Select if self.is_closing_page() => {
                return Transition::stay().with(Effect::SaveEntry(self.to_entry(me, ctx.now)));
            }
            Action::Select => {
                self.pick_highlighted_if_single();
                self.go_next();
            }
            Action::Skip => {
                self.set_mark(Mark::Skipped);
                self.go_next();
            }
            Action::NotReady => {
                self.set_mark(Mark::NotReady);
                self.go_next();
                said = Some(
                    "That's okay. It is marked \"not ready yet\"; come back whenever you want."
                        .to_owned(),
                );
            }
            Action::ToggleVisibility if self.visibility == Visibility::Private => {
                // Nothing changes until the person says yes.
                return Transition::stay().show(share_question(ctx));
            }
            Action::ToggleVisibility => {
                self.visibility = Visibility::Private;
                said = Some(visibility_note(Visibility::Private, None));
            }
            Action::ShareConfirmed => {
                self.visibility = Visibility::Shared;
                return Transition::stay().say(visibility_note(
                    Visibility::Shared,
                    ctx.partner().map(|p| p.name.as_str()),
                ));
            }
            Action::Cancel if !self.worth_a_draft() => {
                return Transition::go(Screen::Home(HomeState::default()));
            }
            Action::Cancel => {
                return Transition::go(Screen::Home(HomeState::default()))
                    .with(Effect::SaveDraft(self.to_draft(me, ctx.now)))
                    .say("Saved as a draft. Pick it up any time with Continue.");
            }
            other => {
                let changes = matches!(
                    other,
                    Action::Edit(_)
                        | Action::Paste(_)
                        | Action::Answer(_)
                        | Action::Left
                        | Action::Right
                        | Action::Digit(_)
                        | Action::Toggle
                        | Action::Pick(_)
                );
                self.input(other, ctx.scroll_max);
                if changes {
                    self.unsaved_since = Some(ctx.now);
                }
                return Transition::stay();
            }
        }
        self.unsaved_since = None;
        if !self.worth_a_draft() {
            return said.map_or_else(Transition::stay, |status| Transition::stay().say(status));
        }
        let saved = Transition::stay().with(Effect::SaveDraft(self.to_draft(me, ctx.now)));
        match said {
            Some(status) => saved.say(status),
            None => saved,
        }
    }

    /// Keys that change the answer on screen without leaving the step.
    fn input(&mut self, action: Action, max: u16) {
        match action {
            Action::Edit(input) => self.edit(input),
            Action::Paste(text) => self.paste(&text),
            Action::Answer(text) => self.replace_text(&text),
            Action::Left => self.nudge_scale(-1),
            Action::Right => self.nudge_scale(1),
            Action::Digit(d) => self.set_scale(i32::from(d)),
            Action::Toggle => self.toggle_option(),
            Action::Up if self.on_options() => self.move_cursor(false),
            Action::Down if self.on_options() => self.move_cursor(true),
            Action::Pick(i) if self.on_options() => self.pick_option(i),
            Action::Home if self.on_options() => self.move_cursor_to(false),
            Action::End if self.on_options() => self.move_cursor_to(true),
            other => scroll_by(&mut self.scroll, &other, max),
        }
    }
}

/// "Share it?", naming who could read it. Enter sends [`Action::ShareConfirmed`] back
/// to the screen that asked; nothing changes until then.
pub(super) fn share_question(ctx: &Ctx) -> Overlay {
    let (who, after) = match ctx.partner() {
        Some(partner) => (
            format!(
                "{} will be able to read this entry.",
                sanitize(&partner.name)
            ),
            "You can make it private again later, but what was shared may already have been read.",
        ),
        None => (
            "Only you are in this vault now. If you invite a partner, they will be able to \
             read this entry."
                .to_owned(),
            "You can make it private again at any time before then.",
        ),
    };
    Overlay::ConfirmShare {
        lines: vec![
            format!("{who} Share it?"),
            after.to_owned(),
            "Enter shares it. Esc keeps it private.".to_owned(),
        ],
    }
}

/// What the status line says after the person changed who can read the entry on
/// screen; `partner` names the other person in the vault, if there is one.
pub fn visibility_note(visibility: Visibility, partner: Option<&str>) -> String {
    match (visibility, partner) {
        (Visibility::Private, _) => "Now private: only you can ever read this entry.".to_owned(),
        (Visibility::Shared, Some(name)) => {
            format!("Now shared: {} can read this entry too.", sanitize(name))
        }
        (Visibility::Shared, None) => {
            "Now shared: a partner you invite to this vault will be able to read it.".to_owned()
        }
    }
}
