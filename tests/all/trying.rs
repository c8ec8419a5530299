//! `mend try FILE`: a workbook opened for its author in memory, with every role's view
//! a key away, and nothing written anywhere (the pty test in `tests/programs` watches
//! the disk; this one walks the screens).

use std::path::Path;

use chrono::Utc;
use mend::app::{Action, App};
use mend::content::validate;
use mend::driver::{Memory, start_trying};

use crate::common::{edit_keys, flowing, screen};

fn good() -> mend::content::Workbook {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content/good.toml");
    validate::load_file(&path).expect("the good fixture loads")
}

fn act(app: &mut App, memory: &mut Memory, actions: impl IntoIterator<Item = Action>) {
    for action in actions {
        memory.dispatch(app, Utc::now(), action);
    }
}

fn shown(app: &App) -> String {
    flowing(&screen(app, 80, 24))
}

#[test]
fn a_tried_workbook_opens_at_home_and_says_nothing_is_saved() {
    let app = start_trying(good(), "good.toml");
    let page = shown(&app);
    assert!(page.contains("trying · every role"), "{page}");
    assert!(
        page.contains("Trying good.toml: nothing is saved to disk"),
        "{page}"
    );
    assert!(
        !page.contains("encrypted"),
        "nothing is encrypted, so nothing says it is: {page}"
    );
}

#[test]
fn v_shows_each_roles_view_in_turn_and_then_every_step() {
    let (mut app, mut memory) = (start_trying(good(), "good.toml"), Memory::default());
    // "Today" is the second exercise; one of its four steps is for the hurt partner.
    act(&mut app, &mut memory, [Action::Down, Action::Down]);
    let steps = |app: &App| {
        let page = shown(app);
        assert!(page.contains("Today"), "{page}");
        ["3 steps", "4 steps"]
            .into_iter()
            .find(|n| page.contains(n))
            .unwrap_or_else(|| panic!("no step count for Today: {page}"))
    };
    assert_eq!(steps(&app), "4 steps", "no role yet: every step");
    act(&mut app, &mut memory, [Action::ViewAs]);
    assert!(shown(&app).contains("Now seen as: The partner who was hurt."));
    assert!(shown(&app).contains("trying · as hurt"));
    assert_eq!(steps(&app), "4 steps");
    act(&mut app, &mut memory, [Action::ViewAs]);
    assert!(shown(&app).contains("Now seen as: The partner who was unfaithful."));
    assert_eq!(
        steps(&app),
        "3 steps",
        "the hurt partner's step is not shown"
    );
    act(&mut app, &mut memory, [Action::ViewAs]);
    assert!(shown(&app).contains("prefers not to say"));
    assert!(shown(&app).contains("trying · every role"));
    assert_eq!(steps(&app), "4 steps");
}

#[test]
fn answers_are_kept_in_memory_and_a_summary_is_refused() {
    let (mut app, mut memory) = (start_trying(good(), "good.toml"), Memory::default());
    // The first exercise: a reflect step, then a text step, then the closing page.
    act(
        &mut app,
        &mut memory,
        [Action::Down, Action::Select, Action::Next],
    );
    act(&mut app, &mut memory, edit_keys("kept only here"));
    act(
        &mut app,
        &mut memory,
        [Action::Next, Action::Next, Action::Select],
    );
    let page = shown(&app);
    assert!(page.contains("● What this is"), "saved, in memory: {page}");
    assert!(
        page.contains("Kept in memory until you quit") && !page.contains("encrypted"),
        "{page}"
    );
    act(&mut app, &mut memory, [Action::History, Action::Select]);
    assert!(shown(&app).contains("kept only here"), "{}", shown(&app));
    act(
        &mut app,
        &mut memory,
        [Action::Cancel, Action::Cancel, Action::Export],
    );
    act(&mut app, &mut memory, [Action::PageDown]);
    act(&mut app, &mut memory, std::iter::repeat_n(Action::Down, 20));
    act(&mut app, &mut memory, [Action::Select, Action::Select]);
    let page = shown(&app);
    assert!(
        page.contains("Writing a summary to a file is not part of trying a workbook"),
        "{page}"
    );
}
