//! The Markdown export as a reader sees it: rendered by a real `CommonMark` parser
//! (pulldown-cmark, with GitHub's tables and strikethrough). Scale answers read without
//! stray escapes, in the file and rendered; user text that would act as Markdown (a
//! link, an image, raw HTML, emphasis, a heading, a list, a quote, an entity, a table
//! pipe) stays literal text, in a paragraph, in a side-by-side table cell and in a
//! check-in's note.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use mend::content::{ExerciseId, ModuleId, StepId, Visibility, WorkbookId};
use mend::entry::{Answer, ENTRY_FORMAT, Entry, EntryId, ExerciseRef, PersonId, StepAnswer};
use mend::export::{Document, Format, Person, Selection, render};
use scraper::{ElementRef, Html, Selector};

use crate::common::t0;

/// Markdown as a `CommonMark` reader shows it (pulldown-cmark), with GitHub's tables
/// and strikethrough.
pub(crate) fn commonmark(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

fn person(id: &str, name: &str) -> Person {
    Person {
        id: PersonId(id.into()),
        name: name.to_owned(),
    }
}

fn css(selector: &str) -> Selector {
    Selector::parse(selector).unwrap()
}

fn text_of(element: ElementRef<'_>) -> String {
    element.text().collect()
}

fn days_ago(days: i64) -> DateTime<Utc> {
    t0() - TimeDelta::days(days)
}

fn written(
    author: &Person,
    visibility: Visibility,
    when: DateTime<Utc>,
    place: (&str, &str),
    answers: Vec<StepAnswer>,
) -> Entry {
    Entry {
        format: ENTRY_FORMAT,
        id: EntryId::random(),
        author: author.id.clone(),
        created: when,
        updated: when,
        visibility,
        mac: None,
        witness: Vec::new(),
        exercise: std::sync::Arc::new(ExerciseRef {
            workbook: WorkbookId::new("our-book"),
            workbook_version: "1".into(),
            module: ModuleId::new(place.0),
            exercise: ExerciseId::new(place.1),
            module_title: "Before you begin".into(),
            exercise_title: "Preparing to talk".into(),
        }),
        answers,
    }
}

fn words(text: &str) -> StepAnswer {
    StepAnswer {
        step: StepId::new("hope"),
        prompt: "What do you hope for?".into(),
        answer: Answer::Text {
            text: text.to_owned(),
        },
    }
}

fn ready(value: i32) -> StepAnswer {
    StepAnswer {
        step: StepId::new("ready"),
        prompt: "How do I feel about this?".into(),
        answer: Answer::Scale {
            value,
            min: 0,
            max: 10,
            min_label: "Dreading it".into(),
            max_label: "Looking forward to it".into(),
        },
    }
}

/// User text that would act as Markdown if it were not escaped, one construct a line.
const HOSTILE_LINES: [&str; 9] = [
    "*bold* and _em_ and ~~struck~~ and `code`",
    "<script>alert(1)</script>",
    "[link](x) and ![image](y.png) and <https://example.org>",
    "# heading",
    "1) one",
    "> quoted",
    "&lt; stays &amp;lt;",
    "a | b",
    "- item",
];

/// Riley's answers to one exercise twice (the first beside Jo's, the second alone) and
/// a check-in note, all holding the hostile lines, as a Markdown export and as rendered.
fn hostile_markdown() -> (String, String) {
    let hostile = HOSTILE_LINES.join("\n");
    let place = ("begin", "first-talk");
    let (r, j) = (person("r", "Riley"), person("j", "Jo"));
    let entries = [
        written(
            &r,
            Visibility::Shared,
            days_ago(5),
            place,
            vec![words(&hostile), ready(4)],
        ),
        written(
            &j,
            Visibility::Shared,
            days_ago(5) + TimeDelta::hours(1),
            place,
            vec![words("Mine."), ready(6)],
        ),
        written(
            &r,
            Visibility::Shared,
            days_ago(4),
            place,
            vec![words(&hostile), ready(4)],
        ),
        written(
            &r,
            Visibility::Shared,
            days_ago(3),
            ("checkin", "evening"),
            vec![
                StepAnswer {
                    step: StepId::new("energy"),
                    prompt: "How much energy do I have?".into(),
                    answer: Answer::Scale {
                        value: 2,
                        min: 1,
                        max: 5,
                        min_label: "a".into(),
                        max_label: "b".into(),
                    },
                },
                words(&hostile),
            ],
        ),
    ];
    let selection = Selection {
        include_trends: true,
        ..Selection::default()
    };
    let doc = Document {
        me: r,
        partner: Some(j),
        generated: t0(),
        offset: FixedOffset::east_opt(0).unwrap(),
        entries: entries.iter().collect(),
        selection: &selection,
    };
    let markdown = render(&doc, Format::Markdown);
    let rendered = commonmark(&markdown);
    (markdown, rendered)
}

#[test]
fn markdown_shows_scale_answers_without_stray_escapes() {
    let (markdown, rendered) = hostile_markdown();
    let answer = "4 of 0-10 (Dreading it .. Looking forward to it)";
    // Read as a file and as rendered: once alone, once in the side-by-side table.
    assert_eq!(
        markdown.matches(answer).count(),
        2,
        "the source reads cleanly:\n{markdown}"
    );
    let text: String = Html::parse_fragment(&rendered)
        .root_element()
        .text()
        .collect();
    assert_eq!(text.matches(answer).count(), 2, "rendered:\n{rendered}");
    assert!(
        !text.contains("\\("),
        "no backslash shows before a parenthesis:\n{text}"
    );
}

#[test]
fn user_text_stays_literal_in_rendered_markdown() {
    let (markdown, rendered) = hostile_markdown();
    let html = Html::parse_fragment(&rendered);
    for tag in ["a", "img", "script", "blockquote", "ol", "del"] {
        assert_eq!(
            html.select(&css(tag)).count(),
            0,
            "<{tag}> from user text:\n{rendered}"
        );
    }
    assert_eq!(
        html.select(&css("h1")).count(),
        1,
        "only the document's title:\n{rendered}"
    );
    for element in html.select(&css("em, strong, code, li")) {
        let inside = text_of(element);
        assert!(
            !["bold", "em", "struck", "code", "item"].contains(&inside.as_str()),
            "<{}>{inside}</…> from user text:\n{rendered}",
            element.value().name()
        );
    }
    let text: String = html.root_element().text().collect();
    for line in HOSTILE_LINES {
        assert_eq!(
            text.matches(line).count(),
            3,
            "{line:?} shown as written: in a paragraph, a table cell and a check-in note\n{markdown}"
        );
    }
}
