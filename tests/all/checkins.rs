//! Check-ins as the workbook defines them (issue 14).
//!
//! A workbook with a check-in of its own (two scales on different ranges, and a line to
//! write) is played through the app as a person would, and its entries go to the
//! trends screen: a chart for each of its scales, on the scale's own range, and several
//! check-ins on one day as separate marks, never one stroke through them.

use chrono::{DateTime, TimeDelta, Utc};
use mend::app::{Action, App, Effect, Opened};
use mend::content::{
    Exercise, ExerciseId, Mode, Step, StepId, StepKind, Visibility, Workbook, WorkbookId,
};
use mend::entry::{Entry, PersonId};
use mend::export::Person;

use crate::common::{at, clear_status, edit_keys, screen, t0, workbook};

fn riley() -> Person {
    Person {
        id: PersonId("c0ffee000001".to_owned()),
        name: "Riley".to_owned(),
    }
}

fn jo() -> Person {
    Person {
        id: PersonId("c0ffee000002".to_owned()),
        name: "Jo".to_owned(),
    }
}

fn scale_step(id: &str, prompt: &str, (min, max): (i32, i32), labels: (&str, &str)) -> Step {
    Step {
        id: StepId::new(id),
        prompt: prompt.to_owned(),
        kind: StepKind::Scale {
            min,
            max,
            min_label: labels.0.to_owned(),
            max_label: labels.1.to_owned(),
        },
        for_role: None,
    }
}

/// A workbook whose check-in is its own: energy from 1 to 5, calm from 0 to 10, and a
/// line to write. Nothing about trust, safety, closeness or hope.
fn our_workbook() -> Workbook {
    let mut wb = workbook();
    wb.id = WorkbookId::new("our-book");
    "Our own workbook".clone_into(&mut wb.title);
    wb.checkin = Some(Exercise {
        id: ExerciseId::new("evening"),
        title: "Evening check".to_owned(),
        intro: None,
        mode: Mode::Either,
        default_visibility: Visibility::Private,
        estimated_minutes: Some(1),
        for_role: None,
        steps: vec![
            scale_step(
                "energy",
                "How much energy do I have?",
                (1, 5),
                ("Running on empty", "Full of beans"),
            ),
            scale_step(
                "calm",
                "How calm do I feel?",
                (0, 10),
                ("On edge", "At peace"),
            ),
            Step {
                id: StepId::new("words"),
                prompt: "Anything about today?".to_owned(),
                kind: StepKind::Text {
                    placeholder: None,
                    min_length: None,
                    max_length: None,
                },
                for_role: None,
            },
        ],
    });
    wb
}

/// `person` unlocked at home with `entries`, in a vault of `people`.
fn unlocked(person: &Person, people: &[Person], entries: Vec<Entry>) -> App {
    let mut app = App::new(vec![our_workbook()], people.to_vec(), t0());
    app.update(
        at(t0()),
        Action::Unlocked(Ok(Opened {
            person: person.clone(),
            people: people.to_vec(),
            missing: 0,
            entries,
            drafts: Vec::new(),
            profile: mend::entry::Profile::default(),
            problems: Vec::new(),
        })),
    );
    clear_status(&mut app);
    app
}

/// One check-in as a person does it from home, at `when`: the energy and calm keys,
/// the note typed, shared if `share`, then saved. Returns the saved entry.
fn check_in(
    app: &mut App,
    when: DateTime<Utc>,
    (energy, calm): (u8, u8),
    note: &str,
    share: bool,
) -> Entry {
    let mut keys = vec![Action::Select, Action::Digit(energy), Action::Next];
    keys.extend([Action::Digit(calm), Action::Next]);
    keys.extend(edit_keys(note));
    keys.push(Action::Next);
    if share {
        keys.extend([Action::ToggleVisibility, Action::Select]);
    }
    keys.push(Action::Select);
    let effects: Vec<Effect> = keys
        .into_iter()
        .flat_map(|key| app.update(at(when), key))
        .collect();
    let entry = effects
        .into_iter()
        .find_map(|e| match e {
            Effect::SaveEntry(entry) => Some(entry),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the check-in saves:\n{}", screen(app, 80, 24)));
    app.update(at(when), Action::EntrySaved(Ok(entry.clone())));
    entry
}

fn days_ago(days: i64, hour_offset: i64) -> DateTime<Utc> {
    t0() - TimeDelta::days(days) + TimeDelta::hours(hour_offset)
}

/// Riley's own check-ins (two on one day), and one Jo shared, played through the app.
struct Played {
    riley: Vec<Entry>,
    jo_shared: Entry,
}

fn played() -> Played {
    let mut app = unlocked(&riley(), &[riley(), jo()], Vec::new());
    let mine = vec![
        check_in(&mut app, days_ago(3, 0), (2, 4), "Tired after work.", false),
        check_in(&mut app, days_ago(1, -10), (1, 3), "Rough morning", false),
        check_in(
            &mut app,
            days_ago(1, 0),
            (5, 8),
            "We talked it through",
            true,
        ),
    ];
    let mut theirs = unlocked(&jo(), &[riley(), jo()], Vec::new());
    let jo_shared = check_in(&mut theirs, days_ago(2, 0), (4, 6), "JO-SHARED line", true);
    Played {
        riley: mine,
        jo_shared,
    }
}

#[test]
fn a_workbooks_own_check_in_has_trends_on_the_screen() {
    let p = played();
    let mut entries = p.riley.clone();
    entries.push(p.jo_shared.clone());
    let mut app = unlocked(&riley(), &[riley(), jo()], entries);
    app.update(at(t0()), Action::Trends);
    let page = screen(&app, 80, 24);
    assert!(!page.contains("No check-ins"), "{page}");
    assert!(
        page.contains(" Energy · latest 5 "),
        "Energy's chart:\n{page}"
    );
    assert!(page.contains(" Calm · latest 8 "), "Calm's chart:\n{page}");
    for builtin in ["Trust", "Safety", "Closeness", "Hope"] {
        assert!(
            !page.contains(builtin),
            "{builtin} is not this workbook's:\n{page}"
        );
    }
    // Each axis runs over the scale's own range: energy 1 to 5, calm 0 to 10.
    let rows: Vec<&str> = page.lines().collect();
    let label_rows = |prefix: &str| rows.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(label_rows("│5   │"), 1, "energy's top:\n{page}");
    assert_eq!(label_rows("│1   │"), 1, "energy's bottom:\n{page}");
    assert!(
        page.contains("││10  │") && page.contains("││0   │"),
        "calm's range:\n{page}"
    );
    assert!(page.contains("Jo (what they shared)"), "{page}");
}

/// The plot cells of the chart whose title starts with `title` on an 80x24 screen: for
/// each row of the plot, the marks in it as (column, character).
fn plot_marks(page: &str, title: &str) -> Vec<Vec<(usize, char)>> {
    let lines: Vec<Vec<char>> = page.lines().map(|l| l.chars().collect()).collect();
    let (top, left) = lines
        .iter()
        .enumerate()
        .find_map(|(y, l)| {
            let text: String = l.iter().collect();
            text.find(&format!("┌ {title}"))
                .map(|byte| (y, text[..byte].chars().count()))
        })
        .unwrap_or_else(|| panic!("no chart {title}:\n{page}"));
    // The chart's left border is at `left`; its y axis is the next vertical line,
    // after the labels; the plot is between the axis and the right border.
    let axis = lines[top + 1][left + 1..]
        .iter()
        .position(|c| *c == '│')
        .map(|i| left + 1 + i)
        .expect("a y axis after the labels");
    let right = left + lines[top][left..].iter().position(|c| *c == '┐').unwrap();
    lines[top + 1..]
        .iter()
        .take_while(|l| l[axis] == '│')
        .map(|l| {
            (axis + 1..right)
                .filter(|x| l[*x] != ' ')
                .map(|x| (x, l[x]))
                .collect()
        })
        .collect()
}

#[test]
fn several_check_ins_on_one_day_are_separate_marks_on_the_screen() {
    // Riley's day with energy 1 in the morning and 5 in the evening, between days of 3.
    let mut app = unlocked(&riley(), &[riley()], Vec::new());
    let entries = vec![
        check_in(&mut app, days_ago(8, 0), (3, 5), "", false),
        check_in(&mut app, days_ago(4, -10), (1, 5), "", false),
        check_in(&mut app, days_ago(4, 0), (5, 5), "", false),
        check_in(&mut app, days_ago(0, 0), (3, 5), "", false),
    ];
    let mut app = unlocked(&riley(), &[riley()], entries);
    app.update(at(t0()), Action::Trends);
    let page = screen(&app, 80, 24);
    let marks = plot_marks(&page, "Energy");
    let top = &marks[0];
    let bottom = &marks[marks.len() - 1];
    // The day of 1 and 5 is one column with a mark at the top and one at the bottom...
    let column = top
        .iter()
        .map(|(x, _)| *x)
        .find(|x| bottom.iter().any(|(bx, _)| bx == x))
        .unwrap_or_else(|| panic!("both values of that day, one above the other:\n{page}"));
    // ...and not one stroke from 1 to 5: some rows between are empty in that column.
    let between = &marks[1..marks.len() - 1];
    assert!(
        between
            .iter()
            .any(|row| !row.iter().any(|(x, _)| *x == column)),
        "a gap between the day's two marks, not a smear:\n{page}"
    );
}

#[test]
fn the_screen_charts_every_scale_the_workbook_defines_even_one_always_skipped() {
    // Calm is skipped every time, so no entry records its scale: only the workbook
    // says it is there, from 0 to 10.
    let mut app = unlocked(&riley(), &[riley()], Vec::new());
    let keys = [
        Action::Select,
        Action::Digit(4),
        Action::Next,
        Action::Skip,
        Action::Next,
        Action::Select,
    ];
    let effects: Vec<Effect> = keys
        .into_iter()
        .flat_map(|key| app.update(at(days_ago(2, 0)), key))
        .collect();
    let entry = effects
        .into_iter()
        .find_map(|e| match e {
            Effect::SaveEntry(entry) => Some(entry),
            _ => None,
        })
        .expect("the check-in saves");
    assert!(
        entry
            .answers
            .iter()
            .all(|a| a.step.as_str() != "calm" || matches!(a.answer, mend::entry::Answer::Skipped)),
        "calm was skipped: {entry:?}"
    );
    let mut app = unlocked(&riley(), &[riley()], vec![entry]);
    app.update(at(t0()), Action::Trends);
    let page = screen(&app, 80, 24);
    assert!(page.contains(" Energy · latest 4 "), "{page}");
    assert!(page.contains("┌ Calm "), "Calm's chart, empty:\n{page}");
    assert!(page.contains("││10  │"), "on its own range:\n{page}");
}
