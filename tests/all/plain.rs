//! Plain mode (`mend --plain`) over the same key table as the full screen: every key
//! there is a word here or is offered another way, and each word, typed, does what
//! its key does, on every screen a person reaches.

use chrono::{DateTime, TimeZone, Utc};
use mend::app::{Action, App, KeyContext, Opened, Screen};
use mend::content::Visibility;
use mend::domain::{Person, PersonId, Profile};
use mend::keymap::{self, AWAKE};
use mend::plain::{self, Ask};

use crate::common;
use crate::fixtures;

/// Actions plain mode offers without a word of their own: numbers pick from a list and
/// set a scale, every text is printed whole (nothing scrolls), fields and answers are
/// typed as lines, and a form moves to its next field by itself.
fn offered_another_way(context: KeyContext, action: &Action) -> bool {
    let list = matches!(
        context,
        KeyContext::Home
            | KeyContext::HomeCouple
            | KeyContext::HomeTrying
            | KeyContext::History
            | KeyContext::Search
            | KeyContext::ChooseRole
    );
    (list && matches!(action, Action::Select))
        || matches!(
            action,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Home
                | Action::End
                | Action::Left
                | Action::Right
                | Action::Toggle
                | Action::Delete
                | Action::Next
                | Action::Back
                | Action::NextMatch
                | Action::PreviousMatch
        )
}

#[test]
fn every_key_is_a_word_in_plain_mode_or_offered_another_way() {
    let mut missing = Vec::new();
    for &context in AWAKE {
        let mut words: Vec<(&str, std::mem::Discriminant<Action>)> = Vec::new();
        for b in keymap::bindings_for(context) {
            // Another key for an action that has a word here, or a Control key, which
            // plain mode reads as a key too (Ctrl-C and Ctrl-Q quit, Ctrl-L hides).
            let worded = keymap::bindings_for(context).any(|other| {
                std::mem::discriminant(&other.action) == std::mem::discriminant(&b.action)
                    && !other.words.is_empty()
            });
            let control = b
                .keys
                .iter()
                .all(|k| k.mods.contains(crossterm::event::KeyModifiers::CONTROL));
            if b.words.is_empty()
                && !worded
                && !control
                && !offered_another_way(context, &b.action)
                && !b.long.is_empty()
            {
                missing.push(format!("{context:?}: {} ({})", b.label, b.long));
            }
            let action = std::mem::discriminant(&b.action);
            for w in b.words {
                if let Some((_, other)) = words.iter().find(|(seen, _)| seen == w) {
                    assert!(*other == action, "{w:?} means two things in {context:?}");
                }
                words.push((w, action));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys with no word in plain mode:\n{}",
        missing.join("\n")
    );
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 31, 12, 0, 0).unwrap()
}

/// Sam unlocked, with one entry written, at home.
fn at_home() -> App {
    let sam = Person {
        id: PersonId("sam0000000001".into()),
        name: "Sam".to_owned(),
    };
    let mut entry = fixtures::entry(&sam.id, Visibility::Private, "words to find", 0);
    std::sync::Arc::make_mut(&mut entry.exercise).workbook =
        mend::content::WorkbookId::new("test-book");
    let mut app = App::new(vec![common::workbook()], vec![sam.clone()], now());
    app.update(
        common::at(now()),
        Action::Unlocked(Ok(Opened {
            person: sam.clone(),
            people: vec![sam],
            missing: 0,
            entries: vec![entry],
            drafts: Vec::new(),
            profile: Profile::default(),
            problems: Vec::new(),
        })),
    );
    app
}

/// Ways to each screen a person reaches, from home, as actions.
fn places() -> Vec<(&'static str, Vec<Action>)> {
    let open = vec![Action::Select];
    let step = |n: usize| {
        let mut a = open.clone();
        a.extend(std::iter::repeat_n(Action::Next, n));
        a
    };
    vec![
        ("home", Vec::new()),
        ("a reflect step", step(0)),
        ("a text step", step(1)),
        ("a scale step", step(2)),
        ("a choice step", step(3)),
        ("the last page", step(6)),
        ("history", vec![Action::History]),
        ("an entry", vec![Action::History, Action::Select]),
        ("search", vec![Action::Search]),
        ("trends", vec![Action::Trends]),
        ("the export", vec![Action::Export]),
        ("help", vec![Action::Help]),
    ]
}

fn reach(path: &[Action]) -> App {
    let mut app = at_home();
    for a in path {
        app.update(common::at(now()), a.clone());
    }
    app
}

/// What a person would notice of where they are.
fn place(app: &App) -> (KeyContext, bool, Option<String>) {
    (
        app.key_context(),
        app.should_quit(),
        app.status().map(str::to_owned),
    )
}

#[test]
fn each_word_typed_does_what_its_key_does_on_every_screen() {
    let mut checked = 0;
    for (name, path) in places() {
        let context = reach(&path).key_context();
        for b in keymap::bindings_for(context) {
            for &word in b.words {
                let mut by_key = reach(&path);
                by_key.update(common::at(now()), b.action.clone());
                let mut by_word = reach(&path);
                let actions = match plain::read(&by_word, word) {
                    Ok(actions) => actions,
                    // Sharing names the way it goes: the way it already is is said so.
                    Err(e) if matches!(word, "share" | "private") && e.contains("already") => {
                        continue;
                    }
                    Err(e) => panic!("{name}: {word:?} was not understood: {e}"),
                };
                for a in actions {
                    by_word.update(common::at(now()), a);
                }
                // The toggle's key flips it either way; its words go one way each.
                if matches!(b.action, Action::ToggleVisibility) && place(&by_word) != place(&by_key)
                {
                    assert!(matches!(word, "share" | "private"), "{name}: {word:?}");
                    continue;
                }
                assert_eq!(
                    place(&by_word),
                    place(&by_key),
                    "{name}: typing {word:?} and pressing {} differ",
                    b.label
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "only {checked} words were tried");
}

#[test]
fn every_screen_says_where_you_are_and_what_to_type_in_plain_lines() {
    for (name, path) in places() {
        let app = reach(&path);
        let page = plain::page(&app);
        assert!(!page.lines.is_empty(), "{name} says nothing");
        let text = page.lines.join("\n");
        assert!(
            !text
                .chars()
                .any(|c| c == '\u{1b}' || ('\u{2500}'..='\u{259f}').contains(&c)),
            "{name} holds an escape or box drawing:\n{text}"
        );
        let says_what = text.contains("Type")
            || text.contains("type")
            || text.contains("Press Enter")
            || matches!(page.ask, Ask::Answer | Ask::Field(_));
        assert!(says_what, "{name} does not say what to type:\n{text}");
    }
    let step = plain::page(&reach(&[Action::Select, Action::Next]));
    assert!(
        step.lines.iter().any(|l| l.contains("step 2 of")),
        "a step says where it is: {:?}",
        step.lines
    );
    assert_eq!(step.ask, Ask::Answer);
    assert!(
        step.lines
            .iter()
            .any(|l| l.contains("a line holding only a full stop")),
        "a text step says how an answer ends"
    );
}

#[test]
fn numbers_open_rows_set_scales_and_pick_options() {
    let mut app = at_home();
    for a in plain::read(&app, "2").unwrap() {
        app.update(common::at(now()), a);
    }
    match app.screen() {
        Screen::Step(s) => assert_eq!(&*s.exercise.title, "What I hope for"),
        _ => panic!("2 opens the second exercise"),
    }
    let mut app = reach(&[Action::Select, Action::Next, Action::Next]);
    for a in plain::read(&app, "7").unwrap() {
        app.update(common::at(now()), a);
    }
    let Screen::Step(s) = app.screen() else {
        panic!()
    };
    assert_eq!(s.at, 3, "a scale's number moves on");
    let answer = s.to_entry(&PersonId("sam0000000001".into()), now());
    assert!(
        answer
            .answers
            .iter()
            .any(|a| matches!(a.answer, mend::domain::Answer::Scale { value: 7, .. })),
        "{:?}",
        answer.answers
    );
    assert!(plain::read(&app, "99").is_err(), "no option 99");
}

#[test]
fn numbers_out_of_range_do_nothing_and_a_single_choice_takes_the_one_typed() {
    let app = at_home();
    assert!(plain::read(&app, "99").is_err(), "no row 99 on home");
    // A scale from 0: 0 is a value, not "row 0".
    let scale = reach(&[Action::Select, Action::Next, Action::Next]);
    assert!(plain::read(&scale, "0").is_ok(), "0 on a scale from 0");
    // The single choice (step 4, two options): 2, then back, then 1: 1 is the one
    // chosen (picking 1 in option order after unpicking 2 used to pick 2 again).
    let mut app = reach(&[Action::Select, Action::Next, Action::Next, Action::Next]);
    let single = |app: &App| match app.screen() {
        Screen::Step(s) => match s.slot().map(|s| &s.input) {
            Some(mend::app::step::SlotInput::Choice { picked, .. }) => picked.clone(),
            _ => panic!("not a choice"),
        },
        _ => panic!("not a step"),
    };
    for line in ["2", "back", "1", "back"] {
        for a in plain::read(&app, line).unwrap() {
            app.update(common::at(now()), a);
        }
    }
    let picked = single(&app);
    assert_eq!(
        picked.iter().filter(|p| **p).count(),
        1,
        "one choice: {picked:?}"
    );
    assert!(picked[0], "the one typed last: {picked:?}");
}
