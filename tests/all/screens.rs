//! Every screen at 80x24, as insta snapshots of the rendered text. Review a changed
//! snapshot the way a tired, upset person would read the screen.

use chrono::TimeDelta;

use crate::common::{at, chars, clear_status, edit_keys, flowing, screen, t0, workbook};
use mend::app::{Action, App, Effect, Opened, Overlay, Screen};
use mend::entry::PersonId;
use mend::vault::Person;

fn sam() -> Person {
    Person {
        id: PersonId("a1b2c3d4e5f6".into()),
        name: "Sam".to_owned(),
    }
}

fn fresh() -> App {
    App::new(vec![workbook()], Vec::new(), t0())
}

/// An app with Sam unlocked at home, and whatever entries `f` adds by playing steps.
fn unlocked() -> App {
    let mut app = App::new(vec![workbook()], vec![sam()], t0());
    app.update(
        at(t0()),
        Action::Unlocked(Ok(Opened {
            person: sam(),
            people: vec![sam()],
            missing: 0,
            entries: Vec::new(),
            drafts: Vec::new(),
            profile: mend::entry::Profile::default(),
            problems: Vec::new(),
        })),
    );
    clear_status(&mut app);
    app
}

fn play(app: &mut App, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for a in actions {
        effects.extend(app.update(at(t0()), a));
        // As the driver does while no key is waiting: the work under way, finished.
        while app.working() {
            effects.extend(app.update(at(t0()), Action::Work));
        }
    }
    effects
}

/// Finishes the open exercise and feeds the save back as the driver would.
fn finish(app: &mut App) {
    let effects = play(app, [Action::Select]);
    for effect in effects {
        if let Effect::SaveEntry(entry) = effect {
            app.update(at(t0()), Action::EntrySaved(Ok(entry)));
        }
    }
}

fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(name, crate::common::slashes(&screen(app, 80, 24)));
}

#[test]
fn welcome() {
    snap("welcome", &fresh());
}

/// Safety is said both ways before anything else (to the reader who is afraid, and to
/// the one who may be the danger), and all of it fits at 80x24 with the way on.
#[test]
fn the_welcome_speaks_to_both_readers_and_fits_at_80x24() {
    let shown = flowing(&screen(&fresh(), 80, 24));
    for line in [
        "afraid of your partner",
        "or fear you might",
        "Press Enter to create your private profile.",
    ] {
        assert!(shown.contains(line), "missing {line:?}:\n{shown}");
    }
}

#[test]
fn create_profile_with_a_short_passphrase() {
    let mut app = fresh();
    play(&mut app, [Action::Select]);
    play(&mut app, chars("Sam"));
    play(&mut app, [Action::Select]);
    play(&mut app, chars("abc"));
    snap("create_profile", &app);
}

#[test]
fn create_profile_mismatch() {
    let mut app = fresh();
    play(&mut app, [Action::Select]);
    play(&mut app, chars("Sam"));
    play(&mut app, [Action::Select]);
    play(&mut app, chars("one two three"));
    play(&mut app, [Action::Select]);
    play(&mut app, chars("one two thre"));
    play(&mut app, [Action::Select]);
    snap("create_profile_mismatch", &app);
}

#[test]
fn unlock_and_unlocking() {
    let mut app = App::new(vec![workbook()], vec![sam()], t0());
    play(&mut app, chars("secret"));
    snap("unlock", &app);
    let effects = play(&mut app, [Action::Select]);
    assert!(matches!(effects.as_slice(), [Effect::Unlock { .. }]));
    snap("unlocking", &app);
}

#[test]
fn home_then_home_with_a_draft_and_an_entry() {
    let mut app = unlocked();
    snap("home_empty", &app);
    play(&mut app, [Action::Select, Action::Select]);
    play(&mut app, edit_keys("We talked."));
    play(
        &mut app,
        [Action::Next, Action::Digit(6), Action::Next, Action::Select],
    );
    play(
        &mut app,
        [
            Action::Toggle,
            Action::Select,
            Action::Toggle,
            Action::Select,
        ],
    );
    finish(&mut app);
    play(&mut app, [Action::Down]);
    play(&mut app, [Action::Select]);
    play(&mut app, edit_keys("the truth"));
    play(&mut app, [Action::Cancel]);
    snap("home_with_progress", &app);
}

#[test]
fn each_step_kind() {
    let mut app = unlocked();
    play(&mut app, [Action::Select]);
    snap("step_reflect", &app);
    play(&mut app, [Action::Select]);
    snap("step_text_empty", &app);
    play(
        &mut app,
        edit_keys(
            "Wide text: 我们需要谈谈 🌱 and a long line that has to wrap at the edge of the box because it keeps going on and on.",
        ),
    );
    snap("step_text", &app);
    play(&mut app, [Action::Next, Action::Right, Action::Right]);
    snap("step_scale", &app);
    play(&mut app, [Action::Next, Action::Down, Action::Toggle]);
    snap("step_choice_single", &app);
    play(
        &mut app,
        [
            Action::Select,
            Action::Toggle,
            Action::Down,
            Action::Down,
            Action::Toggle,
        ],
    );
    snap("step_choice_multiple", &app);
    play(&mut app, [Action::Select, Action::Skip]);
    snap("step_closing", &app);
}

#[test]
fn history_and_reading() {
    let mut app = unlocked();
    play(&mut app, [Action::History]);
    snap("history_empty", &app);
    play(&mut app, [Action::Cancel, Action::Select, Action::Select]);
    play(&mut app, edit_keys("First line\nsecond line"));
    play(
        &mut app,
        [
            Action::Next,
            Action::Digit(3),
            Action::Next,
            Action::NotReady,
        ],
    );
    play(&mut app, [Action::Skip, Action::Skip]);
    finish(&mut app);
    play(&mut app, [Action::History]);
    snap("history", &app);
    play(&mut app, [Action::Select]);
    snap("reading", &app);
}

#[test]
fn overlays() {
    let mut app = unlocked();
    play(&mut app, [Action::Help]);
    snap("help_home", &app);
    play(&mut app, [Action::Support]);
    assert!(matches!(app.overlay(), Some(Overlay::Support { .. })));
    snap("support", &app);
    let shown = flowing(&screen(&app, 80, 24));
    assert!(
        shown.contains("afraid of your partner") && shown.contains("or fear you might"),
        "F2 speaks to both readers on its first page:\n{shown}"
    );
}

#[test]
fn hidden_and_too_small() {
    let mut app = unlocked();
    play(&mut app, [Action::Hide]);
    snap("hidden", &app);
    let app = unlocked();
    insta::assert_snapshot!("too_small", screen(&app, 60, 20));
}

#[test]
fn idle_lock_notice() {
    let mut app = unlocked();
    app.update(at(t0() + TimeDelta::minutes(6)), Action::Tick);
    snap("idle_locked", &app);
}

fn checkin(author: &PersonId, days_ago: i64, values: [i32; 4]) -> mend::entry::Entry {
    use mend::content::{ExerciseId, ModuleId, StepId, Visibility, WorkbookId};
    use mend::entry::{Answer, ENTRY_FORMAT, EntryId, ExerciseRef, StepAnswer};
    let at = t0() - TimeDelta::days(days_ago);
    let answers = ["trust", "safety", "closeness", "hope"]
        .iter()
        .zip(values)
        .map(|(id, value)| StepAnswer {
            step: StepId::new(*id),
            prompt: format!("{id}?").into(),
            answer: Answer::Scale {
                value,
                min: 0,
                max: 10,
                min_label: "low".into(),
                max_label: "high".into(),
            },
        })
        .collect();
    mend::entry::Entry {
        format: ENTRY_FORMAT,
        id: EntryId::random(),
        author: author.clone(),
        created: at,
        updated: at,
        visibility: Visibility::Shared,
        mac: None,
        witness: Vec::new(),
        exercise: std::sync::Arc::new(ExerciseRef {
            workbook: WorkbookId::new("test-book"),
            workbook_version: "1".into(),
            module: ModuleId::new(mend::content::CHECKIN_MODULE),
            exercise: ExerciseId::new("check-in"),
            module_title: "Check-in".into(),
            exercise_title: "Quick check-in".into(),
        }),
        answers,
    }
}

#[test]
fn trends_with_a_month_of_check_ins_for_two() {
    let alex = Person {
        id: PersonId("b2c3d4e5f6a1".into()),
        name: "Alex".to_owned(),
    };
    let mut entries = Vec::new();
    for day in 0..30 {
        let wave = i32::try_from(day % 7).unwrap();
        entries.push(checkin(
            &sam().id,
            day,
            [3 + wave / 2, 5 + wave / 3, 2 + wave, 4 + wave / 2],
        ));
        if day % 3 == 0 {
            entries.push(checkin(&alex.id, day, [4, 6, 3 + wave / 2, 5]));
        }
    }
    let mut app = App::new(vec![workbook()], vec![sam(), alex.clone()], t0());
    app.update(
        at(t0()),
        Action::Unlocked(Ok(Opened {
            person: sam(),
            people: vec![sam(), alex],
            missing: 0,
            entries,
            drafts: Vec::new(),
            profile: mend::entry::Profile::default(),
            problems: Vec::new(),
        })),
    );
    clear_status(&mut app);
    play(&mut app, [Action::Trends]);
    snap("trends_month_couple", &app);
    play(&mut app, [Action::Right, Action::Right, Action::Right]);
    assert!(
        screen(&app, 80, 24).contains("last 30 days"),
        "the period cycles back"
    );
}

#[test]
fn trends_with_no_check_ins_says_where_to_find_one() {
    let mut app = unlocked();
    play(&mut app, [Action::Trends]);
    let page = screen(&app, 80, 24);
    assert!(page.contains("No check-ins in this period yet"), "{page}");
}

#[test]
fn export_screen_with_its_preview() {
    let mut app = with_a_private_answer();
    // Tick the private entry itself: Format, Period, Trends, module, exercise, entry.
    play(&mut app, [Action::Export]);
    play(&mut app, std::iter::repeat_n(Action::Down, 5));
    play(&mut app, [Action::Toggle]);
    clear_status(&mut app);
    snap("export_preview", &app);
    for _ in 0..12 {
        app.update(at(t0()), Action::Down);
    }
    app.update(at(t0()), Action::Select);
    snap("export_warning", &app);
}

/// A tick is drawn at once; the preview, which can be megabytes, is made again once
/// no key is waiting, so quick ticks in a row make it once.
#[test]
fn a_tick_is_drawn_at_once_and_the_preview_follows() {
    let mut app = with_a_private_answer();
    play(&mut app, [Action::Export]);
    play(&mut app, std::iter::repeat_n(Action::Down, 5));
    let preview = |app: &App| match app.screen() {
        Screen::Export(state) => state.preview.clone(),
        _ => panic!("not on the export screen"),
    };
    let words = "We talked about the weekend.";
    assert!(
        !preview(&app).contains(words),
        "private answers start left out"
    );
    app.update(at(t0()), Action::Toggle);
    assert!(
        screen(&app, 80, 24).contains("[x] 2 Nov 2026 · private"),
        "{}",
        screen(&app, 80, 24)
    );
    assert!(app.working(), "the preview waits for a pause");
    assert!(!preview(&app).contains(words));
    // Made once typing has paused: not while ticks come quickly.
    assert_eq!(app.work_due(t0()), Some(mend::app::PREVIEW_PAUSE));
    let paused = t0() + TimeDelta::from_std(mend::app::PREVIEW_PAUSE).unwrap();
    assert_eq!(app.work_due(paused), Some(std::time::Duration::ZERO));
    app.update(at(t0()), Action::Work);
    assert!(!app.working());
    assert!(preview(&app).contains(words), "{}", preview(&app));
}

/// Sam, with one answer kept private.
fn with_a_private_answer() -> App {
    let mut app = unlocked();
    play(&mut app, [Action::Select, Action::Select]);
    play(&mut app, edit_keys("We talked about the weekend."));
    play(
        &mut app,
        [Action::Next, Action::Digit(6), Action::Next, Action::Select],
    );
    play(
        &mut app,
        [
            Action::Toggle,
            Action::Select,
            Action::Toggle,
            Action::Select,
        ],
    );
    finish(&mut app);
    app
}

#[test]
fn a_warning_when_the_vaults_files_were_open_to_others() {
    let mut app = App::new(vec![workbook()], vec![sam()], t0());
    app.warn_loosened(
        &[
            "/home/sam/.local/share/mend/keys".into(),
            "/home/sam/.local/share/mend/vault.toml".into(),
        ],
        &[],
    );
    snap("loosened_notice", &app);
}

#[test]
fn a_permission_that_could_not_be_set_back_is_never_said_to_be() {
    let mut app = App::new(vec![workbook()], vec![sam()], t0());
    let keys: std::path::PathBuf = "/home/sam/.local/share/mend/keys".into();
    app.warn_loosened(std::slice::from_ref(&keys), std::slice::from_ref(&keys));
    let screen = crate::common::screen(&app, 100, 30);
    assert!(screen.contains("could not set 1 of them back"), "{screen}");
    assert!(!screen.contains("has set them back"), "{screen}");
}

/// The row drawn reversed (the highlighted one), as text.
/// The screen as text with every run of reverse-video cells between ⟦ and ⟧: the
/// focused row is what a person's eye follows, so a lost highlight shows in review.
fn screen_with_focus(app: &App, width: u16, height: u16) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| mend::ui::render(app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        let mut inside = false;
        for x in 0..width {
            let cell = &buffer[(x, y)];
            let reversed = cell.modifier.contains(ratatui::style::Modifier::REVERSED);
            if reversed != inside {
                line.push(if reversed { '⟦' } else { '⟧' });
                inside = reversed;
            }
            line.push_str(cell.symbol());
        }
        if inside {
            line.push('⟧');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_focused_row_is_recorded_in_reverse_video() {
    let mut app = unlocked();
    play(&mut app, [Action::Down]);
    insta::assert_snapshot!("home_focus", screen_with_focus(&app, 80, 24));
    play(&mut app, [Action::Up, Action::Select]);
    play(
        &mut app,
        [Action::Next, Action::Next, Action::Next, Action::Down],
    );
    insta::assert_snapshot!("choice_focus", screen_with_focus(&app, 80, 24));
}

fn highlighted_row(app: &App) -> Option<String> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| mend::ui::render(app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..24).find_map(|y| {
        let reversed = (0..80).any(|x| {
            buffer[(x, y)]
                .modifier
                .contains(ratatui::style::Modifier::REVERSED)
        });
        reversed.then(|| {
            (0..80)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim()
                .to_owned()
        })
    })
}

/// History draws only the rows on screen; past the first page it must look exactly as
/// a list of every entry did: the highlighted entry on the last row, the ones before it
/// above, and the count of all of them in the title.
#[test]
fn history_scrolled_past_the_first_page() {
    let entries: Vec<_> = (0..60).map(|day| checkin(&sam().id, day, [5; 4])).collect();
    let mut app = App::new(vec![workbook()], vec![sam()], t0());
    app.update(
        at(t0()),
        Action::Unlocked(Ok(Opened {
            person: sam(),
            people: vec![sam()],
            missing: 0,
            entries,
            drafts: Vec::new(),
            profile: mend::entry::Profile::default(),
            problems: Vec::new(),
        })),
    );
    clear_status(&mut app);
    play(&mut app, [Action::History]);
    play(&mut app, std::iter::repeat_n(Action::Down, 30));
    snap("history_scrolled", &app);
    // Thirty entries down from today (2 Nov) is 3 Oct.
    let row = highlighted_row(&app).expect("a row is highlighted");
    assert!(row.starts_with("3 Oct"), "highlighted: {row}");
    play(&mut app, std::iter::repeat_n(Action::Up, 25));
    snap("history_scrolled_back_up", &app);
    let row = highlighted_row(&app).expect("a row is highlighted");
    assert!(row.starts_with("28 Oct"), "highlighted: {row}");
}
