//! The counselling export, end to end from entries to the document string.
//!
//! insta snapshots (`snapshots/all__export__*.snap`) hold the whole export for a solo
//! person and a couple in each format. After a deliberate change, accept the new ones
//! (`cargo insta review`, or rename the `.snap.new` files insta wrote beside them) and
//! review the diff by eye (open the HTML in a browser and its print preview too).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use mend::content::{ExerciseId, ModuleId, OptionId, StepId, Visibility, WorkbookId};
use mend::entry::{
    Answer, ENTRY_FORMAT, Entry, EntryId, ExerciseRef, PersonId, PickedOption, StepAnswer,
};
use mend::export::{Document, Format, Person, Selection, render, select};
use uuid::Uuid;

const FORMATS: [Format; 3] = [Format::Markdown, Format::Html, Format::Text];
const SAM_PRIVATE: &str = "SAM-PRIVATE-never-export";
const ANA_PRIVATE: &str = "ANA-PRIVATE-only-if-chosen";
const EVE_SHARED: &str = "EVE-not-in-this-couple";
/// Sam's private check-in is the only thing on this day.
const SAM_PRIVATE_CHECKIN_DAY: u32 = 7;
const HOSTILE: &str = "<script>alert(1)</script>\n[x](javascript:alert(1))\n# Not a heading\n\
                       a | b\n\u{1b}[2J\u{1b}]0;owned\u{7}cleared?";
const LONG: &str = "I keep coming back to the evening it came out, and how quiet the kitchen was. \
                    Some days I can hold it at arm's length; some days it fills the room. \
                    I want us to talk about the phone, the late nights, and what a normal \
                    Tuesday could look like again, without either of us keeping score.\n\n\
                    A second paragraph, after a blank line.";

fn ana() -> Person {
    Person {
        id: PersonId("ana".into()),
        name: "Ana 安娜".to_owned(),
    }
}

fn sam() -> Person {
    Person {
        id: PersonId("sam".into()),
        name: "Sam".to_owned(),
    }
}

/// A fixed id per label, so snapshots are stable and cases can name entries.
fn id(label: &str) -> EntryId {
    let mut bytes = [0u8; 16];
    for (i, b) in label.bytes().enumerate() {
        bytes[i % 16] ^= b.wrapping_add(i as u8);
    }
    EntryId(Uuid::from_bytes(bytes))
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, day, hour, 0, 0).unwrap()
}

fn text(step: &str, prompt: &str, text: &str) -> StepAnswer {
    StepAnswer {
        step: StepId::new(step),
        prompt: prompt.into(),
        answer: Answer::Text {
            text: text.to_owned(),
        },
    }
}

fn scale(step: &str, prompt: &str, value: i32, labels: (&str, &str)) -> StepAnswer {
    StepAnswer {
        step: StepId::new(step),
        prompt: prompt.into(),
        answer: Answer::Scale {
            value,
            min: 0,
            max: 10,
            min_label: labels.0.into(),
            max_label: labels.1.into(),
        },
    }
}

fn other(step: &str, prompt: &str, answer: Answer) -> StepAnswer {
    StepAnswer {
        step: StepId::new(step),
        prompt: prompt.into(),
        answer,
    }
}

struct Made<'a> {
    label: &'a str,
    author: &'a Person,
    visibility: Visibility,
    module: (&'a str, &'a str),
    exercise: (&'a str, &'a str),
    when: DateTime<Utc>,
}

fn entry(made: &Made<'_>, answers: Vec<StepAnswer>) -> Entry {
    Entry {
        format: ENTRY_FORMAT,
        id: id(made.label),
        author: made.author.id.clone(),
        created: made.when,
        updated: made.when,
        visibility: made.visibility,
        mac: None,
        witness: Vec::new(),
        exercise: std::sync::Arc::new(ExerciseRef {
            workbook: WorkbookId::new("rebuilding-trust"),
            workbook_version: "1.0.0".into(),
            module: ModuleId::new(made.module.0),
            exercise: ExerciseId::new(made.exercise.0),
            module_title: made.module.1.into(),
            exercise_title: made.exercise.1.into(),
        }),
        answers,
    }
}

const FIRST_DAYS: (&str, &str) = ("first-days", "First days");
const COUNSELLING: (&str, &str) = ("counselling", "Working with a counsellor");
const HAPPENED: (&str, &str) = ("what-happened", "What happened, in my words");
const NEEDS: (&str, &str) = ("needs", "What I need now");
const PREPARING: (&str, &str) = ("preparing-for-a-session", "Preparing for a session");

fn made<'a>(
    label: &'a str,
    author: &'a Person,
    visibility: Visibility,
    place: ((&'a str, &'a str), (&'a str, &'a str)),
    when: DateTime<Utc>,
) -> Made<'a> {
    Made {
        label,
        author,
        visibility,
        module: place.0,
        exercise: place.1,
        when,
    }
}

fn preparing(label: &str, who: &Person, visibility: Visibility, day: u32, discuss: &str) -> Entry {
    let m = made(label, who, visibility, (COUNSELLING, PREPARING), at(day, 8));
    entry(
        &m,
        vec![
            scale(
                "feeling-about-session",
                "How do I feel about this session?",
                4,
                ("Dreading it", "Looking forward to it"),
            ),
            text(
                "discuss",
                "What is one thing I want to discuss in this session?",
                discuss,
            ),
            text(
                "changed",
                "What has changed since last time?",
                "少し眠れるようになった 😴",
            ),
            other(
                "hard-to-say",
                "What feels hard to say out loud?",
                Answer::NotReady,
            ),
            other(
                "after-preparing",
                "It is normal to feel nervous.",
                Answer::Read,
            ),
        ],
    )
}

fn happened(label: &str, who: &Person, visibility: Visibility, day: u32, words: &str) -> Entry {
    let m = made(label, who, visibility, (FIRST_DAYS, HAPPENED), at(day, 20));
    let options = [
        ("talk", "Talk | listen", true),
        ("space", "Some space", &*who.id.0 == "sam"),
    ];
    entry(
        &m,
        vec![
            other("pause", "Take a breath.", Answer::Read),
            text("words", "What happened, in my words?", words),
            scale(
                "hurt",
                "How much does it hurt today?",
                7,
                ("Not at all", "More than I can say"),
            ),
            other(
                "need",
                "What would help right now?",
                Answer::Choice {
                    options: options
                        .iter()
                        .map(|(id, label, picked)| {
                            PickedOption::new(OptionId::new(*id), (*label).into(), *picked)
                        })
                        .collect(),
                },
            ),
            other("later", "Anything to come back to?", Answer::Skipped),
        ],
    )
}

fn needs(label: &str, who: &Person, visibility: Visibility, day: u32, need: &str) -> Entry {
    let m = made(label, who, visibility, (FIRST_DAYS, NEEDS), at(day, 21));
    entry(&m, vec![text("need", "What do I need this week?", need)])
}

/// Notes written in the check-ins below, by label; the others leave the line empty.
fn note_of(label: &str) -> &'static str {
    match label {
        "c1" => "Slept badly; we talked at breakfast.",
        "c3" => "A better week.\nWe walked by the river 🌿",
        "sc1" => "Sam's shared line",
        "sc2" => SAM_PRIVATE,
        _ => "",
    }
}

fn checkin(label: &str, who: &Person, visibility: Visibility, day: u32, v: [i32; 4]) -> Entry {
    let m = made(
        label,
        who,
        visibility,
        (("checkin", "Check-in"), ("check-in", "Quick check-in")),
        at(day, 9),
    );
    let dims = ["trust", "safety", "closeness", "hope"];
    let mut answers: Vec<StepAnswer> = dims
        .iter()
        .zip(v)
        .map(|(d, value)| match value {
            -1 => other(d, d, Answer::Skipped),
            value => scale(d, d, value, ("low", "high")),
        })
        .collect();
    answers.push(text("note", "One line about today.", note_of(label)));
    entry(&m, answers)
}

fn solo_entries() -> Vec<Entry> {
    let a = ana();
    vec![
        checkin("c1", &a, Visibility::Private, 1, [2, 3, 4, 5]),
        happened("h1", &a, Visibility::Shared, 2, HOSTILE),
        preparing(
            "p1",
            &a,
            Visibility::Private,
            3,
            "The first session: where do we even start?",
        ),
        needs("n1", &a, Visibility::Private, 4, ANA_PRIVATE),
        checkin("c2", &a, Visibility::Private, 5, [3, -1, 5, 6]),
        needs("n2", &a, Visibility::Shared, 6, LONG),
        preparing(
            "p2",
            &a,
            Visibility::Private,
            10,
            "信頼 🌱 and the phone, again.",
        ),
        checkin("c3", &a, Visibility::Private, 11, [6, 7, 6, 8]),
    ]
}

fn couple_entries() -> Vec<Entry> {
    let (a, s) = (ana(), sam());
    let eve = Person {
        id: PersonId("eve".into()),
        name: "Eve".to_owned(),
    };
    let mut entries = solo_entries();
    entries.extend([
        happened(
            "sh1",
            &s,
            Visibility::Shared,
            3,
            "I was wrong, and I am here.\nまだ話したい 🙏",
        ),
        happened("sp1", &s, Visibility::Private, 4, SAM_PRIVATE),
        needs("sp2", &s, Visibility::Private, 4, SAM_PRIVATE),
        preparing("sp3", &s, Visibility::Private, 9, SAM_PRIVATE),
        preparing(
            "sprep",
            &s,
            Visibility::Shared,
            9,
            "Sam's shared preparation",
        ),
        needs("e1", &eve, Visibility::Shared, 5, EVE_SHARED),
        checkin("sc1", &s, Visibility::Shared, 2, [5, 6, 4, 7]),
        checkin(
            "sc2",
            &s,
            Visibility::Private,
            SAM_PRIVATE_CHECKIN_DAY,
            [0, 0, 0, 0],
        ),
        checkin("sc3", &s, Visibility::Shared, 12, [6, 6, 5, 8]),
        happened(
            "h2",
            &a,
            Visibility::Shared,
            12,
            "Second time through: 少し楽になった.",
        ),
    ]);
    entries
}

fn offset() -> FixedOffset {
    FixedOffset::east_opt(3600).unwrap()
}

fn document<'a>(entries: &'a [Entry], selection: &'a Selection, couple: bool) -> Document<'a> {
    Document {
        me: ana(),
        partner: couple.then(sam),
        generated: Utc.with_ymd_and_hms(2025, 3, 14, 8, 30, 0).unwrap(),
        offset: offset(),
        entries: entries.iter().collect(),
        selection,
    }
}

fn everything() -> Selection {
    Selection {
        include_private: true,
        include_trends: true,
        ..Selection::default()
    }
}

#[test]
fn exports_match_their_golden_files() {
    let selection = everything();
    let (solo, couple) = (solo_entries(), couple_entries());
    for (name, entries, is_couple) in [("solo", &solo, false), ("couple", &couple, true)] {
        let doc = document(entries, &selection, is_couple);
        for format in FORMATS {
            let snapshot = format!("{name}_{}", format.extension());
            let got = render(&doc, format);
            // insta compares text with its trailing whitespace trimmed and CRLF read as
            // LF; these two checks keep the comparison byte for byte, as it was.
            assert_eq!(
                &got[got.trim_end().len()..],
                "\n",
                "{snapshot}: the document ends with exactly one line break"
            );
            assert!(!got.contains("\r\n"), "{snapshot}: no CRLF line ends");
            insta::assert_snapshot!(snapshot, got);
        }
    }
}

#[test]
fn html_is_valid_self_contained_and_has_no_script_or_outside_link() {
    let selection = everything();
    for (name, entries, couple) in [
        ("solo", solo_entries(), false),
        ("couple", couple_entries(), true),
    ] {
        let html = render(&document(&entries, &selection, couple), Format::Html);
        assert!(html.starts_with("<!DOCTYPE html>"), "{name}: doctype");
        let parsed = scraper::Html::parse_document(&html);
        assert!(
            parsed.errors.is_empty(),
            "{name}: parse errors {:?}",
            parsed.errors
        );
        let one = |css: &str| scraper::Selector::parse(css).unwrap();
        assert_eq!(parsed.select(&one("html[lang]")).count(), 1, "{name}: lang");
        assert_eq!(
            parsed.select(&one("meta[charset]")).count(),
            1,
            "{name}: charset"
        );
        assert_eq!(
            parsed.select(&one("head > title")).count(),
            1,
            "{name}: title"
        );
        for banned in ["script", "link", "img", "iframe", "object", "embed", "base"] {
            assert_eq!(
                parsed.select(&one(banned)).count(),
                0,
                "{name}: <{banned}> present"
            );
        }
        for element in parsed
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            for (attr, value) in element.value().attrs() {
                let value = value.trim().to_ascii_lowercase();
                let outside =
                    value.contains("http") || value.contains("//") || value.contains("javascript:");
                assert!(
                    !(matches!(attr, "src" | "href" | "xlink:href" | "action") && outside),
                    "{name}: {attr}={value:?} points outside"
                );
                assert!(!attr.starts_with("on"), "{name}: event handler {attr}");
            }
        }
        let first = parsed.select(&one("body p")).next().unwrap();
        assert_eq!(
            first.text().collect::<String>(),
            "This file is not encrypted. Anyone who can open it can read it.",
            "{name}: first visible paragraph"
        );
        let body_text: String = parsed.root_element().text().collect();
        assert!(
            body_text.contains("<script>alert(1)</script>"),
            "{name}: hostile text shown as text"
        );
        assert!(
            parsed.select(&one("svg")).count() > 0,
            "{name}: inline chart"
        );
    }
}

#[test]
fn plaintext_formats_say_not_encrypted_on_the_first_line() {
    let selection = everything();
    let entries = couple_entries();
    for format in [Format::Markdown, Format::Text] {
        let out = render(&document(&entries, &selection, true), format);
        assert_eq!(
            out.lines().next(),
            Some("This file is not encrypted. Anyone who can open it can read it."),
            "{format}"
        );
    }
}

#[test]
fn a_partners_private_entries_and_strangers_never_reach_an_export() {
    let entries = couple_entries();
    let selection = everything();
    let doc = document(&entries, &selection, true);
    let chosen: Vec<EntryId> = select(&doc).iter().map(|e| e.id).collect();
    for hidden in ["sp1", "sp2", "sp3", "e1"] {
        assert!(!chosen.contains(&id(hidden)), "select kept {hidden}");
    }
    let hidden_day = format!("2025-03-{SAM_PRIVATE_CHECKIN_DAY:02}");
    for format in FORMATS {
        let out = render(&doc, format);
        for marker in [SAM_PRIVATE, EVE_SHARED, hidden_day.as_str(), "Eve"] {
            assert!(!out.contains(marker), "{format}: {marker:?} leaked");
        }
        assert!(
            out.contains("Sam&#39;s shared preparation")
                || out.contains("Sam's shared preparation")
                || out.contains("Sam\\'s shared preparation"),
            "{format}: Sam's shared entry missing"
        );
    }
}

#[test]
fn my_private_entries_appear_only_when_chosen() {
    let entries = solo_entries();
    for include_private in [false, true] {
        let selection = Selection {
            include_private,
            ..Selection::default()
        };
        for format in FORMATS {
            let out = render(&document(&entries, &selection, false), format);
            assert_eq!(
                out.contains(ANA_PRIVATE),
                include_private,
                "{format}, include_private={include_private}"
            );
        }
    }
}

#[test]
fn session_preparation_comes_first_newest_first() {
    let entries = couple_entries();
    let selection = everything();
    for format in FORMATS {
        let out = render(&document(&entries, &selection, true), format);
        let pos = |needle: &str| {
            out.find(needle)
                .unwrap_or_else(|| panic!("{format}: {needle:?} missing"))
        };
        let discuss = out
            .find("What I want to discuss")
            .or_else(|| out.find("WHAT I WANT TO DISCUSS"))
            .expect("discussion heading");
        assert!(
            pos("2025-03-10") < pos("The first session"),
            "{format}: newest first"
        );
        assert!(
            discuss < pos("First days"),
            "{format}: discussion before exercises"
        );
        assert!(
            pos("The first session") < pos("First days"),
            "{format}: before exercises"
        );
    }
}

#[test]
fn selection_by_module_exercise_entry_and_dates() {
    let entries = couple_entries();
    let day = |d| NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
    let cases: Vec<(&str, Selection, Vec<&str>)> = vec![
        (
            "everything shared",
            Selection::default(),
            vec!["h1", "sh1", "n2", "sprep", "h2"],
        ),
        (
            "module",
            Selection {
                modules: vec![ModuleId::new("counselling")],
                include_private: true,
                ..Selection::default()
            },
            vec!["p1", "sprep", "p2"],
        ),
        (
            "exercise",
            Selection {
                exercises: vec![ExerciseId::new("needs")],
                include_private: true,
                ..Selection::default()
            },
            vec!["n1", "n2"],
        ),
        (
            "entry ids, a partner's private one ignored",
            Selection {
                entries: Some([id("h1"), id("sp1"), id("sh1")].into_iter().collect()),
                ..Selection::default()
            },
            vec!["h1", "sh1"],
        ),
        (
            "date range is inclusive",
            Selection {
                since: Some(day(3)),
                until: Some(day(6)),
                include_private: true,
                ..Selection::default()
            },
            vec!["sh1", "p1", "n1", "n2"],
        ),
        (
            "another workbook",
            Selection {
                workbook: Some(WorkbookId::new("other")),
                ..Selection::default()
            },
            vec![],
        ),
    ];
    for (name, selection, want) in cases {
        let doc = document(&entries, &selection, true);
        let mut got: Vec<EntryId> = select(&doc).iter().map(|e| e.id).collect();
        let mut want: Vec<EntryId> = want.iter().map(|l| id(l)).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "case: {name}");
    }
}

#[test]
fn checkins_go_to_trends_not_to_exercises() {
    let entries = couple_entries();
    let selection = everything();
    let doc = document(&entries, &selection, true);
    assert!(
        select(&doc)
            .iter()
            .all(|e| e.exercise.module.as_str() != "checkin")
    );
    let md = render(&doc, Format::Markdown);
    assert!(md.contains("Trust      ▂▃▅"), "my trust sparkline:\n{md}");
    assert!(
        md.contains("Safety     ▃·▆"),
        "a skipped value is a gap:\n{md}"
    );
    let trends = md.find("## Check-in trends").expect("trends heading");
    let note = md
        .find(note_of("c1"))
        .expect("a check-in's note is in the export");
    assert!(
        trends < note,
        "the note is in the trends, not among exercises:\n{md}"
    );
    let without = Selection {
        include_trends: false,
        ..everything()
    };
    let md = render(&document(&entries, &without, true), Format::Markdown);
    assert!(
        !md.contains("Check-in trends") && !md.contains('▁'),
        "trends only when chosen"
    );
}

#[test]
fn hostile_text_stays_text() {
    let entries = solo_entries();
    let selection = everything();
    let doc = document(&entries, &selection, false);
    let md = render(&doc, Format::Markdown);
    let unescaped_tags = md.replace("\\<", "").replace("<br>", "");
    assert!(!unescaped_tags.contains('<'), "raw html in markdown");
    let rendered = crate::markdown_export::commonmark(&md);
    assert!(
        !rendered.contains("<a ") && !rendered.contains("<script"),
        "live link or script in rendered markdown:\n{rendered}"
    );
    assert!(
        !md.lines().any(|l| l.starts_with("# Not")),
        "user heading in markdown"
    );
    assert!(md.contains(r"a \| b"), "pipe escaped");
    for format in FORMATS {
        let out = render(&doc, format);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: control chars"
        );
        assert!(!out.contains("owned"), "{format}: escape sequence payload");
    }
    let html = render(&doc, Format::Html);
    assert!(!html.contains("<script"), "raw script in html");
}

#[test]
fn private_check_ins_stay_out_of_trends_unless_private_answers_are_included() {
    let entries = vec![
        checkin("ck1", &ana(), Visibility::Private, 3, [2, 3, 4, 5]),
        checkin("ck2", &ana(), Visibility::Private, 4, [2, 3, 4, 6]),
    ];
    let trends_only = Selection {
        include_trends: true,
        ..Selection::default()
    };
    let doc = document(&entries, &trends_only, false);
    let text = render(&doc, Format::Text);
    assert!(
        !text.chars().any(|c| "▁▂▃▄▅▆▇█".contains(c)),
        "private check-ins leaked:\n{text}"
    );
    let with_private = everything();
    let doc = document(&entries, &with_private, false);
    let text = render(&doc, Format::Text);
    assert!(text.contains("2026") || text.contains("2025"), "{text}");
    assert!(
        text.chars().any(|c| "▁▂▃▄▅▆▇█".contains(c)),
        "chosen, they show:\n{text}"
    );
}
