//! Workbooks beyond the basics: roles, the check-in, several workbooks with a broken
//! one, and content that changes under existing entries.

use mend::app::{Action, App, Opened};
use mend::content::{self, Broken, Role, RoleId, Step, StepId, StepKind, Workbook, WorkbookId};
use mend::entry::Answer;
use tempfile::TempDir;

use crate::common::{PASS, Run, chars, edit_keys, screen, t0, workbook};

fn text_step(id: &str, prompt: &str, for_role: Option<&str>) -> Step {
    Step {
        id: StepId::new(id),
        prompt: prompt.into(),
        kind: StepKind::Text {
            placeholder: None,
            min_length: None,
            max_length: None,
        },
        for_role: for_role.map(RoleId::new),
    }
}

/// The test workbook with two roles, a step for each, and a check-in.
fn workbook_with_roles() -> Workbook {
    let mut wb = workbook();
    wb.roles = vec![
        Role {
            id: RoleId::new("hurt"),
            label: "The partner who was hurt".to_owned(),
            description: None,
        },
        Role {
            id: RoleId::new("unfaithful"),
            label: "The partner who was unfaithful".to_owned(),
            description: None,
        },
    ];
    let steps = &mut wb.modules[0].exercises[1].steps;
    steps.push(text_step(
        "for-hurt",
        "A question for the partner who was hurt",
        Some("hurt"),
    ));
    steps.push(text_step(
        "for-unfaithful",
        "A question for the partner who was unfaithful",
        Some("unfaithful"),
    ));
    let mut checkin = wb.modules[0].exercises[0].clone();
    checkin.id = content::ExerciseId::new("check-in");
    checkin.title = "Quick check-in".into();
    checkin.steps = vec![checkin.steps[2].clone()];
    wb.checkin = Some(checkin);
    wb
}

/// Creates a profile choosing the role at `pick` (0-based; past the end is "prefer not
/// to say").
fn create_with_role(run: &mut Run, pick: usize) {
    run.act(Action::Select);
    run.all(chars("Sam"));
    run.act(Action::Select);
    run.all(chars(PASS));
    run.act(Action::Select);
    run.all(chars(PASS));
    run.act(Action::Select);
    assert!(
        run.screen().contains("Prefer not to say"),
        "{}",
        run.screen()
    );
    for _ in 0..5 {
        run.act(Action::Up);
    }
    for _ in 0..pick {
        run.act(Action::Down);
    }
    run.act(Action::Select);
    run.decline_recovery_code();
}

/// Walks "What I hope for" (the last exercise on home) to its end and returns every
/// screen seen on the way.
fn walk_second_exercise(run: &mut Run) -> String {
    run.act(Action::PageDown);
    run.act(Action::Select);
    let mut seen = String::new();
    for _ in 0..6 {
        seen.push_str(&run.screen());
        run.act(Action::Next);
    }
    seen
}

#[test]
fn a_chosen_role_shows_its_own_steps_and_is_kept_private_and_encrypted() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::start_with(&dir, vec![workbook_with_roles()]);
    create_with_role(&mut run, 0);
    let seen = walk_second_exercise(&mut run);
    assert!(
        seen.contains("partner who was hurt") && !seen.contains("partner who was unfaithful"),
        "{seen}"
    );
    run.act(Action::Quit);
    drop(run);

    for file in walk(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"hurt"),
            "the role is readable in {}",
            file.display()
        );
    }
    let mut run = Run::start_with(&dir, vec![workbook_with_roles()]);
    run.unlock(PASS);
    let seen = walk_second_exercise(&mut run);
    assert!(
        !seen.contains("partner who was unfaithful"),
        "the role survives a restart:\n{seen}"
    );
}

#[test]
fn prefer_not_to_say_sees_the_prompts_written_for_both() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::start_with(&dir, vec![workbook_with_roles()]);
    create_with_role(&mut run, 2);
    let seen = walk_second_exercise(&mut run);
    assert!(
        seen.contains("partner who was hurt") && seen.contains("partner who was unfaithful"),
        "{seen}"
    );
}

#[test]
fn the_check_in_is_on_home_and_files_its_entry_under_the_check_in() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::start_with(&dir, vec![workbook_with_roles()]);
    create_with_role(&mut run, 2);
    assert!(
        run.screen().contains("✚ Quick check-in"),
        "{}",
        run.screen()
    );
    run.act(Action::Select);
    assert!(
        run.screen().contains("How ready do you feel"),
        "{}",
        run.screen()
    );
    run.act(Action::Digit(6));
    run.act(Action::Select);
    run.act(Action::Select);
    let session = run.app.session().unwrap();
    assert_eq!(
        session.entries[0].exercise.module.as_str(),
        content::CHECKIN_MODULE
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn entries_keep_what_was_asked_after_the_workbook_changes_and_progress_follows_ids() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    // Finish the first exercise, and leave a draft in the second.
    run.act(Action::Select);
    run.act(Action::Select);
    run.all(edit_keys("my first answer"));
    run.all([Action::Next, Action::Digit(4), Action::Next, Action::Select]);
    run.all([
        Action::Toggle,
        Action::Select,
        Action::Toggle,
        Action::Select,
        Action::Select,
    ]);
    run.act(Action::Select);
    run.all(edit_keys("a drafted answer"));
    run.act(Action::Cancel);
    run.act(Action::Quit);
    drop(run);

    // Version 2: a prompt reworded, a step removed, a step added, steps reordered.
    let mut v2 = workbook();
    v2.version = "2".into();
    let first = &mut v2.modules[0].exercises[0];
    first.steps[1].prompt = "Reworded: what are you hoping for?".into();
    first.steps.remove(2);
    first.steps.swap(0, 1);
    let second = &mut v2.modules[0].exercises[1];
    second.steps.insert(
        0,
        text_step("new-first", "A brand new opening question", None),
    );

    let mut run = Run::start_with(&dir, vec![v2]);
    run.unlock(PASS);
    let home = run.screen();
    assert!(
        home.contains("● Preparing to talk"),
        "progress maps by id:\n{home}"
    );
    assert!(home.contains("◐ What I hope for"), "{home}");
    run.act(Action::History);
    run.act(Action::Select);
    let old = screen(&run.app, 80, 60);
    assert!(
        old.contains("What do you hope for, in a sentence or two?"),
        "the old prompt is kept:\n{old}"
    );
    assert!(!old.contains("Reworded"), "{old}");
    assert!(
        old.contains("How ready do you feel to talk?") && old.contains("4 on a scale"),
        "a removed step's answer is kept:\n{old}"
    );
    run.act(Action::Cancel);
    run.act(Action::Cancel);
    run.act(Action::Continue);
    let page = run.screen();
    assert!(
        page.contains("What is the least you need?") && page.contains("a drafted answer"),
        "the draft reopens on the same question, with its answer, after a step was added before it:\n{page}"
    );
}

#[test]
fn home_lists_every_workbook_and_names_the_broken_file() {
    let mut second = workbook();
    second.id = WorkbookId::new("second-book");
    second.title = "A counsellor's workbook".to_owned();
    let mut app = App::new(vec![workbook(), second], Vec::new(), t0()).with_broken(vec![Broken {
        file: "/home/sam/.config/mend/workbooks/draft.toml".into(),
        what: "3 problems".to_owned(),
    }]);
    app.update(
        crate::common::at(t0()),
        Action::Unlocked(Ok(Opened {
            person: mend::vault::Person {
                id: mend::entry::PersonId("a1".into()),
                name: "Sam".to_owned(),
            },
            people: Vec::new(),
            missing: 0,
            entries: Vec::new(),
            drafts: Vec::new(),
            profile: mend::entry::Profile::default(),
            problems: Vec::new(),
        })),
    );
    crate::common::clear_status(&mut app);
    insta::assert_snapshot!("home_two_workbooks_and_a_broken_file", screen(&app, 80, 24));
}

#[test]
fn the_library_loads_good_files_and_reports_broken_and_duplicate_ones() {
    let dir = TempDir::new().unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/content");
    std::fs::copy(
        format!("{fixtures}/good.toml"),
        dir.path().join("a-good.toml"),
    )
    .unwrap();
    std::fs::copy(
        format!("{fixtures}/good.toml"),
        dir.path().join("b-same-id.toml"),
    )
    .unwrap();
    std::fs::copy(
        format!("{fixtures}/several-problems.toml"),
        dir.path().join("c-broken.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a workbook").unwrap();
    let (workbooks, broken) =
        content::library(&[dir.path().to_owned(), dir.path().join("missing")]);
    assert_eq!(workbooks.len(), 2, "the built-in one and a-good.toml");
    let names: Vec<String> = broken
        .iter()
        .map(|b| {
            format!(
                "{} {}",
                b.file.file_name().unwrap().to_string_lossy(),
                b.what
            )
        })
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names[0].starts_with("b-same-id.toml uses the id"),
        "{names:?}"
    );
    assert!(
        names[1].starts_with("c-broken.toml") && names[1].contains("problems"),
        "{names:?}"
    );
}

#[test]
fn a_draft_keeps_answers_to_steps_the_new_version_removed() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    run.all(edit_keys("KEEP ME"));
    run.act(Action::Cancel);
    run.act(Action::Quit);
    drop(run);

    // Version 2 drops the step; opening and leaving the draft must not lose the answer.
    let mut v2 = workbook();
    v2.modules[0].exercises[0].steps.remove(1);
    let mut run = Run::start_with(&dir, vec![v2]);
    run.unlock(PASS);
    run.act(Action::Continue);
    run.act(Action::Cancel);
    run.act(Action::Quit);
    drop(run);

    let mut run = Run::start(&dir);
    run.unlock(PASS);
    run.act(Action::Continue);
    let mut seen = String::new();
    for _ in 0..3 {
        seen.push_str(&run.screen());
        run.act(Action::Back);
    }
    assert!(
        seen.contains("KEEP ME"),
        "the answer came back with its step:\n{seen}"
    );
}

#[test]
fn a_check_in_left_half_done_is_picked_up_again() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::start_with(&dir, vec![workbook_with_roles()]);
    create_with_role(&mut run, 2);
    run.act(Action::Select);
    run.act(Action::Digit(8));
    run.act(Action::Cancel);
    // Another draft becomes the newest, so Continue no longer points at the check-in.
    run.act(Action::PageDown);
    run.act(Action::Select);
    run.act(Action::Cancel);
    run.act(Action::Up);
    run.act(Action::Up);
    run.act(Action::Up);
    run.act(Action::Up);
    assert!(
        run.screen().contains("✚ Quick check-in"),
        "{}",
        run.screen()
    );
    let before = run.app.session().unwrap().drafts.len();
    // The check-in row is the first row after Continue.
    run.act(Action::Down);
    run.act(Action::Select);
    assert!(run.screen().contains("You chose 8"), "{}", run.screen());
    run.act(Action::Cancel);
    assert_eq!(
        run.app.session().unwrap().drafts.len(),
        before,
        "no second check-in draft"
    );
}

#[test]
fn a_typed_passphrase_left_alone_is_wiped() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.act(Action::Quit);
    drop(run);
    let mut run = Run::start(&dir);
    run.all(chars("half a passphr"));
    run.now += chrono::TimeDelta::minutes(6);
    run.act(Action::Tick);
    match &run.app.screen() {
        mend::app::Screen::Unlock(state) => assert!(state.passphrase.is_empty()),
        _ => panic!("expected the unlock screen"),
    }
}

#[test]
fn the_export_file_name_takes_a_long_path() {
    let mut field = mend::app::LineField::with_max(4096);
    let long = format!(
        "/home/alexandra/Documents/{}/mend-summary.md",
        "nested-folder/".repeat(8)
    );
    field.push_str(&long);
    assert_eq!(field.value(), long);
}

#[test]
fn a_draft_keeps_a_tick_on_an_option_the_new_version_removed() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.act(Action::Select); // the first exercise
    for _ in 0..5 {
        run.act(Action::Next);
    }
    assert!(
        run.screen().contains("Which ground rules"),
        "{}",
        run.screen()
    );
    run.act(Action::Toggle); // ticks "pause"
    run.act(Action::Cancel);
    run.act(Action::Quit);
    drop(run);

    // The next edition says the pause once, elsewhere, and drops the item here.
    let mut v2 = workbook();
    let StepKind::Checklist { items } = &mut v2.modules[0].exercises[0].steps[5].kind else {
        panic!("the sixth step is the checklist");
    };
    items.retain(|i| i.id.as_str() != "pause");
    let mut run = Run::start_with(&dir, vec![v2]);
    run.unlock(PASS);
    run.act(Action::Continue);
    run.act(Action::Next);
    run.act(Action::Select);
    let saved = &run.app.session().unwrap().entries[0];
    let rules = saved
        .answers
        .iter()
        .find(|a| a.step.as_str() == "rules")
        .expect("the checklist's answer is saved");
    let Answer::Choice { options } = &rules.answer else {
        panic!("{rules:?}");
    };
    assert!(
        options.iter().any(|o| o.id.as_str() == "pause" && o.picked),
        "the tick on the removed item is kept, with the prompt it was given under: {rules:?}"
    );
}
