//! Workbooks that load: the good fixture's validated structure (roles, steps for one
//! role, the check-in) and text that loads cleaned, with a warning where it was changed.

use mend::content::validate::{check_str, parse_str};
use mend::content::{ChoiceOption, Mode, OptionId, RoleId, Severity, StepKind, Visibility};

use super::load_good;

fn option(id: &str, label: &str) -> ChoiceOption {
    ChoiceOption {
        id: OptionId::new(id),
        label: label.into(),
    }
}

#[test]
fn good_fixture_loads_with_the_expected_structure() {
    let workbook = load_good();
    assert_eq!(workbook.id.as_str(), "sample-workbook");
    assert_eq!(&*workbook.version, "1.0");
    assert_eq!(
        workbook.description,
        "A short workbook for tests.\nIt has two modules."
    );
    assert_eq!(workbook.resources.len(), 2);
    assert_eq!(
        workbook.resources[0].note.as_deref(),
        Some("Free, any time, day or night.")
    );
    assert_eq!(workbook.resources[1].note, None);

    let ids: Vec<_> = workbook.modules.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["before-you-begin", "checking-in"]);
    assert_eq!(workbook.modules[1].intro, None);

    let first = &workbook.modules[0].exercises[0];
    assert_eq!(
        (first.mode, first.default_visibility),
        (Mode::Solo, Visibility::Private)
    );
    assert_eq!(first.estimated_minutes, Some(10));
    assert_eq!(first.steps[0].kind, StepKind::Reflect);
    assert_eq!(
        &*first.steps[0].prompt,
        "Take a breath. Nothing here is a test."
    );
    assert_eq!(&*first.steps[1].prompt, "What do you hope for? 信頼 🌱");
    assert_eq!(
        first.steps[1].kind,
        StepKind::Text {
            placeholder: Some("Write as much or as little as you like".to_owned()),
            min_length: Some(20),
            max_length: Some(2000),
        }
    );

    let today = &workbook.modules[1].exercises[0];
    assert_eq!(
        (today.mode, today.default_visibility),
        (Mode::Together, Visibility::Shared)
    );
    let kinds: Vec<_> = today.steps.iter().map(|s| s.kind.name()).collect();
    assert_eq!(kinds, ["scale", "choice", "choice", "checklist"]);
    assert_eq!(
        today.steps[0].kind,
        StepKind::Scale {
            min: 0,
            max: 10,
            min_label: "Not at all".into(),
            max_label: "Completely".into(),
        }
    );
    assert_eq!(
        today.steps[1].kind,
        StepKind::Choice {
            options: vec![option("talk", "Talking"), option("space", "Some space")],
            multiple: true,
        }
    );
    assert!(matches!(
        &today.steps[2].kind,
        StepKind::Choice {
            multiple: false,
            ..
        }
    ));
    assert!(matches!(&today.steps[3].kind, StepKind::Checklist { items } if items.len() == 3));

    let plain = &workbook.modules[1].exercises[1];
    assert_eq!(
        (plain.mode, plain.default_visibility),
        (Mode::Either, Visibility::Private)
    );
    assert_eq!(plain.estimated_minutes, None);
}

#[test]
fn good_fixture_has_roles_steps_for_one_role_and_a_checkin() {
    let workbook = load_good();
    let roles: Vec<_> = workbook
        .roles
        .iter()
        .map(|role| {
            (
                role.id.as_str(),
                role.label.as_str(),
                role.description.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            (
                "hurt",
                "The partner who was hurt",
                Some("Choose this if your partner broke your trust.")
            ),
            ("unfaithful", "The partner who was unfaithful", None),
        ]
    );
    let hurt = RoleId::new("hurt");
    let unfaithful = RoleId::new("unfaithful");

    let today = &workbook.modules[1].exercises[0];
    assert_eq!(today.for_role, None);
    let for_roles: Vec<_> = today.steps.iter().map(|s| s.for_role.as_ref()).collect();
    assert_eq!(for_roles, [None, None, Some(&hurt), None]);
    let steps_for = |role| -> Vec<String> {
        let seen = today.for_person(role);
        seen.steps.iter().map(|s| s.id.to_string()).collect()
    };
    assert_eq!(steps_for(Some(&hurt)), ["safety", "need", "ready", "care"]);
    assert_eq!(steps_for(Some(&unfaithful)), ["safety", "need", "care"]);
    assert_eq!(steps_for(None), ["safety", "need", "ready", "care"]);

    let plain = &workbook.modules[1].exercises[1];
    assert_eq!(plain.for_role, Some(unfaithful.clone()));
    assert!(plain.shown_to(Some(&unfaithful)) && plain.shown_to(None));
    assert!(!plain.shown_to(Some(&hurt)));

    let checkin = workbook
        .checkin
        .as_ref()
        .expect("good.toml has a [checkin]");
    assert_eq!(checkin.id.as_str(), "check-in");
    assert_eq!(&*checkin.title, "Quick check-in");
    assert_eq!(
        checkin.intro.as_deref(),
        Some("A minute to notice how you are.")
    );
    assert_eq!(checkin.estimated_minutes, Some(1));
    assert_eq!(
        (
            checkin.mode,
            checkin.default_visibility,
            checkin.for_role.as_ref()
        ),
        (Mode::Either, Visibility::Private, None)
    );
    let kinds: Vec<_> = checkin.steps.iter().map(|s| s.kind.name()).collect();
    assert_eq!(kinds, ["scale", "text"]);
    assert_eq!(checkin.steps[1].for_role, Some(hurt.clone()));
    assert_eq!(checkin.for_person(Some(&unfaithful)).steps.len(), 1);
}

#[test]
fn text_is_sanitized_with_a_warning_at_each_value_and_a_numeric_version_is_accepted() {
    // TOML escapes put the characters in; the reflect text's line ends in a real
    // Windows line ending, which a multi-line string keeps.
    let source = r#"
[workbook]
id = "w"
title = "Red\u001b[31m title\u202e"
version = 3
description = "Line one\r\nline two"

[[workbook.roles]]
id = "hurt"
label = "Hurt\u2066"

[checkin]
id = "c"
title = "	Now"

[[checkin.steps]]
id = "s"
kind = "reflect"
text = """
Breathe.CRLF
Again."""

[[modules]]
id = "m"
title = "M"
intro = "\uFEFFHello"

[[modules.exercises]]
id = "e"
title = "E"

[[modules.exercises.steps]]
id = "s"
kind = "text"
prompt = "  Why?\u0007  "
placeholder = "\u0007"
"#
    .replace("CRLF\n", "\r\n");
    let source = source.as_str();
    let workbook = parse_str("inline.toml", source).unwrap();
    assert_eq!(workbook.title, "Red title");
    assert_eq!(&*workbook.version, "3");
    assert_eq!(workbook.description, "Line one\nline two");
    assert_eq!(workbook.roles[0].label, "Hurt");
    let checkin = workbook.checkin.as_ref().unwrap();
    assert_eq!(&*checkin.title, "Now");
    assert_eq!(&*checkin.steps[0].prompt, "Breathe.\nAgain.");
    assert_eq!(workbook.modules[0].intro.as_deref(), Some("Hello"));
    let step = &workbook.modules[0].exercises[0].steps[0];
    assert_eq!(&*step.prompt, "Why?");
    assert!(matches!(
        &step.kind,
        StepKind::Text {
            placeholder: None,
            ..
        }
    ));

    let (checked, found) = check_str("inline.toml", source);
    assert_eq!(
        checked.as_ref(),
        Some(&workbook),
        "warnings do not stop loading"
    );
    let found: Vec<_> = found
        .iter()
        .map(|d| (d.severity, d.line, d.column, d.message.as_str()))
        .collect();
    let warning = Severity::Warning;
    // Not warned: Windows line endings (escaped in `description`, real in the reflect
    // text), and text that is not shown at all (the placeholder, empty once cleaned).
    assert_eq!(
        found,
        [
            (
                warning,
                4,
                9,
                "`title` contains a terminal escape character (U+001B), which mend removes"
            ),
            (
                warning,
                10,
                9,
                "`label` contains an invisible character that changes the direction or order of text (U+2066), which mend removes"
            ),
            (
                warning,
                14,
                9,
                "`title` contains a tab, which mend shows as four spaces"
            ),
            (
                warning,
                26,
                9,
                "`intro` contains an invisible byte order mark (U+FEFF), which mend removes"
            ),
            (
                warning,
                35,
                10,
                "`prompt` contains an invisible control character (U+0007), which mend removes"
            ),
        ]
    );
}
