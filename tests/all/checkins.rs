//! Check-ins as the workbook defines them (issue 14).
//!
//! A workbook with a check-in of its own (two scales on different ranges, and a line to
//! write) is played through the app as a person would, and its entries go to the
//! trends screen and to every export format. On the screen: a chart for each of its
//! scales, on the scale's own range, and several check-ins on one day as separate
//! marks, never one stroke through them. In the exports: the same scales, each
//! check-in's note beside its day (only the notes the reader may see), several
//! check-ins on one day as separate rows, dots and a range, and HTML charts that label
//! both axes.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use mend::app::{Action, App, Effect, Opened};
use mend::content::{
    Exercise, ExerciseId, Mode, Step, StepId, StepKind, Visibility, Workbook, WorkbookId,
};
use mend::entry::{Entry, PersonId};
use mend::export::{Document, Format, Person, Selection, render};
use scraper::{ElementRef, Html, Selector};

use crate::common::{at, clear_status, edit_keys, screen, t0, workbook};
use crate::markdown_export::commonmark;

const FORMATS: [Format; 3] = [Format::Markdown, Format::Html, Format::Text];

fn riley() -> Person {
    Person {
        id: PersonId("c0ffee000001".into()),
        name: "Riley".to_owned(),
    }
}

fn jo() -> Person {
    Person {
        id: PersonId("c0ffee000002".into()),
        name: "Jo".to_owned(),
    }
}

fn scale_step(id: &str, prompt: &str, (min, max): (i32, i32), labels: (&str, &str)) -> Step {
    Step {
        id: StepId::new(id),
        prompt: prompt.into(),
        kind: StepKind::Scale {
            min,
            max,
            min_label: labels.0.into(),
            max_label: labels.1.into(),
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
        title: "Evening check".into(),
        intro: None,
        mode: Mode::Either,
        default_visibility: Visibility::Private,
        estimated_minutes: Some(1),
        for_role: None,
        for_session: false,
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
                prompt: "Anything about today?".into(),
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

/// The charts are made once per change of the entries: a check-in saved after the
/// trends were seen is on them the next time they are shown.
#[test]
fn a_check_in_saved_after_the_trends_were_seen_is_on_them_next_time() {
    let mut app = unlocked(&riley(), &[riley(), jo()], Vec::new());
    check_in(&mut app, days_ago(2, 0), (2, 4), "First.", false);
    app.update(at(t0()), Action::Trends);
    let before = screen(&app, 80, 24);
    assert!(before.contains(" Energy · latest 2 "), "{before}");
    app.update(at(t0()), Action::Cancel);
    check_in(&mut app, days_ago(1, 0), (5, 8), "Second.", false);
    app.update(at(t0()), Action::Trends);
    let after = screen(&app, 80, 24);
    assert!(after.contains(" Energy · latest 5 "), "{after}");
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

fn day_of(when: DateTime<Utc>) -> String {
    when.date_naive().to_string()
}

fn document<'a>(entries: &'a [Entry], selection: &'a Selection) -> Document<'a> {
    Document {
        me: riley(),
        partner: Some(jo()),
        generated: t0(),
        offset: FixedOffset::east_opt(0).unwrap(),
        entries: entries.iter().collect(),
        selection,
    }
}

fn with_trends(include_private: bool) -> Selection {
    Selection {
        include_private,
        include_trends: true,
        ..Selection::default()
    }
}

fn css(selector: &str) -> Selector {
    Selector::parse(selector).unwrap()
}

fn text_of(element: ElementRef<'_>) -> String {
    element.text().collect()
}

/// Every table row of a rendered document, as the text of its cells.
fn table_rows(html: &Html) -> Vec<Vec<String>> {
    html.select(&css("tr"))
        .map(|tr| tr.select(&css("th, td")).map(text_of).collect())
        .collect()
}

/// The rows of the export's check-in tables, whatever the format: the cells of the
/// Markdown and HTML tables, the columns of the plain text split at two spaces.
fn checkin_rows(format: Format, out: &str) -> Vec<Vec<String>> {
    let html = match format {
        Format::Markdown => Html::parse_fragment(&commonmark(out)),
        Format::Html => Html::parse_document(out),
        Format::Text => {
            let trends = &out[out.find("CHECK-IN TRENDS").expect("trends in text")..];
            return trends
                .lines()
                .filter(|l| l.starts_with("20") || l.starts_with("Date"))
                .map(|l| {
                    l.split("  ")
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .collect();
        }
    };
    table_rows(&html)
        .into_iter()
        .filter(|r| {
            r.first()
                .is_some_and(|c| c == "Date" || c.starts_with("20"))
        })
        .collect()
}

#[test]
fn a_workbooks_own_check_in_has_trends_in_every_export_format() {
    let p = played();
    let selection = with_trends(true);
    let doc = document(&p.riley, &selection);
    for format in FORMATS {
        let out = render(&doc, format);
        let rows = checkin_rows(format, &out);
        assert_eq!(
            rows.first().map(|r| &r[..]),
            Some(&["Date", "Energy", "Calm", "Note"].map(str::to_owned)[..]),
            "{format}: the table's columns are the workbook's scales:\n{out}"
        );
        assert_eq!(rows.len(), 4, "{format}: a row per check-in:\n{out}");
        for words in [
            "Energy, from 1 (Running on empty) to 5 (Full of beans): How much energy do I have?",
            "Calm, from 0 (On edge) to 10 (At peace): How calm do I feel?",
        ] {
            let shown = match format {
                Format::Markdown => Html::parse_fragment(&commonmark(&out))
                    .root_element()
                    .text()
                    .collect::<String>(),
                Format::Html => Html::parse_document(&out).root_element().text().collect(),
                Format::Text => out.clone(),
            };
            assert!(
                shown.contains(words),
                "{format}: what the numbers mean:\n{out}"
            );
        }
        for builtin in ["Trust", "Safety", "Closeness", "Hope"] {
            assert!(!out.contains(builtin), "{format}: {builtin}:\n{out}");
        }
        let sparklines: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("Energy ") || l.starts_with("Calm "))
            .collect();
        let want = match format {
            Format::Html => 0,
            _ => 2,
        };
        assert_eq!(sparklines.len(), want, "{format}: sparklines:\n{out}");
    }
}

/// The row of `rows` whose last cell is `note`.
fn row_with<'a>(rows: &'a [Vec<String>], note: &str) -> Option<&'a Vec<String>> {
    rows.iter().find(|r| r.last().is_some_and(|c| c == note))
}

#[test]
fn notes_sit_beside_their_day_and_only_notes_the_reader_may_see() {
    let p = played();
    let mut theirs = unlocked(&jo(), &[riley(), jo()], Vec::new());
    let jo_private = check_in(
        &mut theirs,
        days_ago(2, 2),
        (1, 1),
        "JO-PRIVATE line",
        false,
    );
    let mut entries = p.riley.clone();
    entries.extend([p.jo_shared.clone(), jo_private]);
    let yesterday = day_of(days_ago(1, 0));
    for include_private in [false, true] {
        let selection = with_trends(include_private);
        let doc = document(&entries, &selection);
        for format in FORMATS {
            let case = format!("{format}, include_private={include_private}");
            let out = render(&doc, format);
            let rows = checkin_rows(format, &out);
            let shared = row_with(&rows, "We talked it through")
                .unwrap_or_else(|| panic!("{case}: my shared note:\n{out}"));
            assert_eq!(
                shared[..3],
                [yesterday.clone(), "5".into(), "8".into()],
                "{case}"
            );
            let partners = row_with(&rows, "JO-SHARED line")
                .unwrap_or_else(|| panic!("{case}: Jo's shared note:\n{out}"));
            assert_eq!(
                partners[..3],
                [day_of(days_ago(2, 0)), "4".into(), "6".into()],
                "{case}"
            );
            assert!(
                !out.contains("JO-PRIVATE"),
                "{case}: a partner's private words:\n{out}"
            );
            let mine = row_with(&rows, "Tired after work.");
            assert_eq!(
                mine.is_some(),
                include_private,
                "{case}: my private note:\n{out}"
            );
            if let Some(mine) = mine {
                assert_eq!(
                    mine[..3],
                    [day_of(days_ago(3, 0)), "2".into(), "4".into()],
                    "{case}"
                );
            }
            assert_eq!(out.contains("Tired after work."), include_private, "{case}");
        }
    }
}

#[test]
fn several_check_ins_on_one_day_stay_separate_in_every_export_format() {
    let p = played();
    let selection = with_trends(true);
    let doc = document(&p.riley, &selection);
    let yesterday = day_of(days_ago(1, 0));
    for format in FORMATS {
        let out = render(&doc, format);
        let rows = checkin_rows(format, &out);
        let that_day: Vec<(&str, &str)> = rows
            .iter()
            .filter(|r| r[0] == yesterday)
            .map(|r| (r[1].as_str(), r[2].as_str()))
            .collect();
        assert_eq!(
            that_day,
            [("1", "3"), ("5", "8")],
            "{format}: two rows, two values:\n{out}"
        );
        if format != Format::Html {
            let energy = out.lines().find(|l| l.starts_with("Energy ")).unwrap();
            assert_eq!(
                energy.split_whitespace().last().unwrap().chars().count(),
                3,
                "{format}: a sparkline character per check-in: {energy}"
            );
        }
    }
    let html = Html::parse_document(&render(&doc, Format::Html));
    let energy = html.select(&css("svg")).next().expect("the energy chart");
    let dots: Vec<(String, String)> = energy
        .select(&css("circle"))
        .map(|c| {
            let at = |a| c.value().attr(a).unwrap().to_owned();
            (at("cx"), at("cy"))
        })
        .collect();
    assert_eq!(dots.len(), 3, "a dot per check-in: {dots:?}");
    let (a, b) = (&dots[1], &dots[2]);
    assert!(a.0 == b.0 && a.1 != b.1, "one day, two heights: {dots:?}");
    let ranges: Vec<Vec<&str>> = energy
        .select(&css("line.range"))
        .map(|l| {
            ["x1", "y1", "x2", "y2"]
                .map(|k| l.value().attr(k).unwrap())
                .to_vec()
        })
        .collect();
    assert_eq!(
        ranges,
        [vec![a.0.as_str(), "0.0", a.0.as_str(), "60.0"]],
        "the day's range, from 5 (top) to 1 (bottom), at its x"
    );
}

#[test]
fn the_html_chart_labels_its_axes_with_the_scale_and_the_dates() {
    let p = played();
    let selection = with_trends(true);
    let html = Html::parse_document(&render(&document(&p.riley, &selection), Format::Html));
    let (first, last) = (day_of(days_ago(3, 0)), day_of(days_ago(1, 0)));
    let ticks: Vec<Vec<String>> = html
        .select(&css("svg"))
        .map(|svg| svg.select(&css("text.tick")).map(text_of).collect())
        .collect();
    assert_eq!(
        ticks,
        [
            vec!["5".to_owned(), "1".to_owned(), first.clone(), last.clone()],
            vec!["10".to_owned(), "0".to_owned(), first, last],
        ]
    );
}

#[test]
fn the_html_export_has_a_chart_for_each_of_the_workbooks_scales() {
    let p = played();
    let selection = with_trends(true);
    let doc = document(&p.riley, &selection);
    let html = Html::parse_document(&render(&doc, Format::Html));
    let charts: Vec<String> = html
        .select(&css("svg"))
        .map(|svg| {
            svg.value()
                .attr("aria-label")
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        charts,
        [
            format!(
                "Riley check-ins, Energy from 1 to 5, {} to {}",
                day_of(days_ago(3, 0)),
                day_of(days_ago(1, 0))
            ),
            format!(
                "Riley check-ins, Calm from 0 to 10, {} to {}",
                day_of(days_ago(3, 0)),
                day_of(days_ago(1, 0))
            ),
        ],
        "a chart per scale"
    );
}
