//! Where a tired person stops and wonders: keys that do what the screen says, home as
//! it was left, and nothing changed by only looking (issue 16).

use chrono::TimeDelta;
use mend::app::{Action, Effect, Screen};
use mend::entry::Answer;
use tempfile::TempDir;

use crate::common::{Run, at, edit_keys, t0};

/// The first exercise's steps: pause, hope, ready, when (single choice), helps, rules.
fn to_the_single_choice(run: &mut Run) {
    run.act(Action::Select);
    for _ in 0..3 {
        run.act(Action::Next);
    }
    assert!(
        run.screen().contains("When is a good time"),
        "{}",
        run.screen()
    );
}

#[test]
fn enter_on_a_single_choice_picks_the_highlighted_option_even_over_an_earlier_pick() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    to_the_single_choice(&mut run);
    run.act(Action::Select); // "In the morning"
    run.act(Action::Back);
    assert!(
        run.screen().contains("When is a good time"),
        "{}",
        run.screen()
    );
    run.act(Action::Down);
    run.act(Action::Select); // the highlighted "In the evening", as the hint says
    for _ in 0..3 {
        run.act(Action::Next);
    }
    run.act(Action::Select);
    let entry = &run.app.session().unwrap().entries[0];
    let when = entry
        .answers
        .iter()
        .find(|a| a.step.as_str() == "when")
        .unwrap();
    let Answer::Choice { options } = &when.answer else {
        panic!("{when:?}");
    };
    let picked: Vec<&str> = options
        .iter()
        .filter(|o| o.picked)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(picked, ["evening"]);
}

#[test]
fn back_on_a_single_choice_enter_alone_keeps_what_was_picked() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    to_the_single_choice(&mut run);
    run.act(Action::Down);
    run.act(Action::Select); // "In the evening"
    run.act(Action::Cancel); // a draft, kept on the step after
    run.act(Action::Continue);
    run.act(Action::Back);
    assert!(
        run.screen().contains("When is a good time"),
        "{}",
        run.screen()
    );
    run.act(Action::Select); // the cursor rests on the pick: Enter keeps it
    run.act(Action::Back);
    assert!(
        run.screen().contains("(•) In the evening"),
        "the pick survives Enter:\n{}",
        run.screen()
    );
}

#[test]
fn q_quits_from_a_step_that_takes_no_typing_and_keeps_the_draft() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.act(Action::Select);
    run.act(Action::Next);
    run.all(edit_keys("half a thought"));
    run.act(Action::Next); // the scale: q is not typed here
    let effects = run.app.update(at(t0()), Action::Quit);
    assert!(run.app.should_quit());
    assert!(
        effects.iter().any(|e| matches!(e, Effect::SaveDraft(d)
            if d.entry.answers.iter().any(|a| matches!(&a.answer, Answer::Text { text } if text == "half a thought")))),
        "the draft is kept on the way out"
    );
}

#[test]
fn home_keeps_its_place_after_history_trends_and_the_export() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.act(Action::Down);
    let at_second = run.screen();
    for (name, trip) in [
        ("history", Action::History),
        ("trends", Action::Trends),
        ("the export", Action::Export),
    ] {
        run.act(trip);
        run.act(Action::Cancel);
        assert!(matches!(run.app.screen(), Screen::Home(_)));
        assert_eq!(
            run.screen(),
            at_second,
            "back from {name}, home is as it was left"
        );
    }
}

#[test]
fn opening_a_finished_exercise_and_leaving_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    // "What I hope for": one text step.
    run.act(Action::Down);
    run.act(Action::Select);
    run.all(edit_keys("the truth"));
    run.act(Action::Next);
    run.act(Action::Select);
    assert!(
        run.screen().contains("● What I hope for"),
        "{}",
        run.screen()
    );
    run.act(Action::Up);
    run.act(Action::Select);
    run.act(Action::Next);
    run.act(Action::Back);
    run.act(Action::Cancel);
    assert!(
        run.screen().contains("● What I hope for"),
        "only looking leaves no draft:\n{}",
        run.screen()
    );
    assert!(run.app.session().unwrap().drafts.is_empty());
}

#[test]
fn the_idle_lock_says_one_minute_not_one_minutes() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.app = std::mem::replace(
        &mut run.app,
        mend::app::App::new(Vec::new(), Vec::new(), t0()),
    )
    .with_idle_lock(TimeDelta::minutes(1));
    run.app.update(at(t0() + TimeDelta::days(30)), Action::Tick);
    assert!(
        run.screen().contains("Locked after 1 minute idle."),
        "{}",
        run.screen()
    );
}
