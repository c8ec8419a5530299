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

#[test]
fn in_a_couple_recent_names_whose_entry_it_is_even_with_a_long_title() {
    use mend::app::{App, Opened};
    use mend::content::Visibility;
    use mend::entry::{PersonId, Profile};
    use mend::vault::Person;
    let person = |id: &str, name: &str| Person {
        id: PersonId(id.into()),
        name: name.to_owned(),
    };
    let (sam, alex) = (
        person("a1b2c3d4e5f6", "Sam"),
        person("b2c3d4e5f6a1", "Alex"),
    );
    let mut theirs = crate::fixtures::entry(&alex.id, Visibility::Shared, "words", 1);
    std::sync::Arc::make_mut(&mut theirs.exercise).exercise_title =
        "Triggers and a reassurance plan, made in a calm moment".into();
    let mut mine = crate::fixtures::entry(&sam.id, Visibility::Private, "mine", 2);
    std::sync::Arc::make_mut(&mut mine.exercise).exercise_title =
        theirs.exercise.exercise_title.clone();
    let mut app = App::new(
        vec![crate::common::workbook()],
        vec![sam.clone(), alex.clone()],
        t0(),
    );
    app.update(
        at(t0()),
        Action::Unlocked(Ok(Opened {
            person: sam.clone(),
            people: vec![sam, alex],
            missing: 0,
            entries: vec![mine, theirs],
            drafts: Vec::new(),
            profile: Profile::default(),
            problems: Vec::new(),
        })),
    );
    let home = crate::common::screen(&app, 80, 24);
    assert!(home.contains("· by Alex"), "{home}");
    assert!(home.contains("· you"), "{home}");
}

#[test]
fn while_the_window_is_too_small_keys_are_not_taken_unseen() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    let small = mend::ui::layout(&run.app, ratatui::layout::Rect::new(0, 0, 40, 12));
    run.app.laid_out(small);
    // As the driver would, without drawing a full frame in between (none fits).
    for action in edit_keys("typed blind").into_iter().chain([Action::Next]) {
        run.app.update(at(run.now), action);
    }
    let normal = mend::ui::layout(&run.app, ratatui::layout::Rect::new(0, 0, 80, 24));
    run.app.laid_out(normal);
    let page = run.screen();
    assert!(!page.contains("typed blind"), "{page}");
    assert!(
        page.contains("What do you hope for"),
        "still on the same step:\n{page}"
    );
    run.all(edit_keys("seen"));
    assert!(run.screen().contains("seen"), "keys are taken again");
}

#[test]
fn a_pause_in_typing_keeps_the_answer_as_a_draft_without_leaving_the_step() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    let typed = t0() + TimeDelta::seconds(10);
    for action in edit_keys("a long answer, written slowly") {
        run.app.update(at(typed), action);
    }
    let soon = run
        .app
        .update(at(typed + TimeDelta::seconds(1)), Action::Tick);
    assert!(soon.is_empty(), "still typing: nothing written yet");
    let after = run
        .app
        .update(at(typed + TimeDelta::seconds(2)), Action::Tick);
    let kept = after.iter().any(|e| matches!(e, Effect::SaveDraft(d)
        if d.entry.answers.iter().any(|a| matches!(&a.answer, Answer::Text { text } if text == "a long answer, written slowly"))));
    assert!(kept, "a two-second pause keeps the answer");
    assert!(
        matches!(run.app.screen(), Screen::Step(_)),
        "and the person stays where they are"
    );
    let again = run
        .app
        .update(at(typed + TimeDelta::seconds(5)), Action::Tick);
    assert!(again.is_empty(), "kept once, not at every tick");
}

#[test]
fn home_and_end_reach_the_ends_of_home_and_of_a_choice() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.act(Action::End);
    run.act(Action::Select);
    assert!(
        run.screen().contains("What is the least you need?"),
        "End is the last row:\n{}",
        run.screen()
    );
    run.act(Action::Cancel);
    run.act(Action::Home);
    run.act(Action::Select);
    assert!(
        run.screen().contains("step 1 of 6"),
        "Home is the first row:\n{}",
        run.screen()
    );
    for _ in 0..4 {
        run.act(Action::Next);
    }
    run.act(Action::End);
    run.act(Action::Toggle);
    assert!(
        run.screen().contains("[x] A cup of tea"),
        "{}",
        run.screen()
    );
}

/// Inside a box, the text of a line (after the border).
fn inside_box(line: &str) -> &str {
    line.split('│').nth(1).unwrap_or("")
}

#[test]
fn wrapped_help_lines_continue_under_their_explanation() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.act(Action::Select);
    run.act(Action::Next);
    run.all(edit_keys(&"a long answer that goes on and on ".repeat(4)));
    for _ in 0..5 {
        run.act(Action::Next);
    }
    run.act(Action::Select);
    run.act(Action::History);
    run.act(Action::Help);
    let help = run.screen();
    let lines: Vec<&str> = help.lines().map(inside_box).collect();
    let at = lines
        .iter()
        .position(|l| l.contains("To the top or the bottom"))
        .expect(&help);
    let column = |l: &str, word: &str| l.find(word).unwrap();
    let next = lines[at + 1];
    assert!(
        next.trim_start().starts_with(char::is_lowercase)
            && next.len() - next.trim_start().len() == column(lines[at], "To the top"),
        "the wrapped explanation continues under itself, not under the key:\n{help}"
    );
}

/// The screen cell (column, row) where `words` are drawn, as a click would land.
fn cell_of(screen: &str, words: &str) -> (u16, u16) {
    for (row, line) in screen.lines().enumerate() {
        if let Some(at) = line.find(words) {
            let column = line[..at].chars().count();
            return (u16::try_from(column).unwrap(), u16::try_from(row).unwrap());
        }
    }
    panic!("{words:?} is not on screen:\n{screen}");
}

fn click(run: &mut Run, words: &str) {
    let (column, row) = cell_of(&run.screen(), words);
    run.act(Action::Click { column, row });
}

#[test]
fn a_click_chooses_a_home_row_a_second_opens_it_and_a_click_ticks_an_option() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    click(&mut run, "○ What I hope for");
    assert!(
        matches!(run.app.screen(), Screen::Home(_)),
        "a first click only chooses"
    );
    assert!(run.screen().contains("What is the least") || run.screen().contains("What I hope for"));
    click(&mut run, "○ What I hope for");
    assert!(
        run.screen().contains("What is the least you need?"),
        "{}",
        run.screen()
    );
    run.act(Action::Cancel);
    // Back home the cursor is on the first row: one click on it opens it.
    click(&mut run, "○ Preparing to talk");
    for _ in 0..4 {
        run.act(Action::Next);
    }
    click(&mut run, "Music");
    click(&mut run, "A cup of tea");
    let page = run.screen();
    assert!(
        page.contains("[x] Music") && page.contains("[x] A cup of tea"),
        "{page}"
    );
    click(&mut run, "Music");
    assert!(run.screen().contains("[ ] Music"), "a second click unticks");
    // A click where nothing is drawn to choose does nothing.
    let before = run.screen();
    run.act(Action::Click { column: 79, row: 0 });
    assert_eq!(run.screen(), before);
}

#[test]
fn a_click_in_history_chooses_an_entry_and_a_second_reads_it() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    for words in ["first of two", "second of two"] {
        run.act(Action::Down);
        run.act(Action::Select);
        run.all(edit_keys(words));
        run.act(Action::Next);
        run.act(Action::Select);
        run.act(Action::Home);
    }
    run.act(Action::History);
    let rows: Vec<(u16, u16)> = run
        .screen()
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("What I hope for"))
        .map(|(row, l)| {
            (
                u16::try_from(l.find("What").unwrap()).unwrap(),
                u16::try_from(row).unwrap(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 2, "{}", run.screen());
    let (column, row) = rows[1];
    run.act(Action::Click { column, row });
    run.act(Action::Click { column, row });
    assert!(
        run.screen().contains("first of two"),
        "the older entry opens:\n{}",
        run.screen()
    );
}
