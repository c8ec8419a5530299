//! The built-in workbook goes through the same loader users' files do, and must be
//! clean and complete.

use std::collections::BTreeSet;

use mend::content::{self, StepKind, validate};

#[test]
fn every_file_in_content_loads_without_a_single_diagnostic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
    let mut loaded = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            if let Err(diagnostics) = validate::load_file(&path) {
                let all: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                panic!("{} has problems:\n{}", path.display(), all.join("\n"));
            }
            loaded += 1;
        }
    }
    assert!(loaded >= 1, "content/ holds the built-in workbook");
}

#[test]
fn the_embedded_workbook_has_the_first_two_modules_and_every_step_kind() {
    let wb = content::builtin();
    let modules: Vec<&str> = wb.modules.iter().map(|m| m.id.as_str()).collect();
    assert!(
        modules.starts_with(&["before-you-begin", "understanding-what-happened"]),
        "{modules:?}"
    );
    let mut kinds = BTreeSet::new();
    for m in &wb.modules {
        assert!(
            (2..=4).contains(&m.exercises.len()),
            "module {} has 2-4 exercises",
            m.id
        );
        for e in &m.exercises {
            assert!(
                (2..=6).contains(&e.steps.len()),
                "exercise {} has 2-6 steps",
                e.id
            );
            for s in &e.steps {
                kinds.insert(match &s.kind {
                    StepKind::Choice { multiple: true, .. } => "choice (multiple)",
                    StepKind::Choice {
                        multiple: false, ..
                    } => "choice (single)",
                    other => other.name(),
                });
            }
        }
    }
    let expected = BTreeSet::from([
        "text",
        "scale",
        "choice (single)",
        "choice (multiple)",
        "checklist",
        "reflect",
    ]);
    assert_eq!(kinds, expected);
}

#[test]
fn every_support_resource_has_a_name_a_country_and_a_contact() {
    let wb = content::builtin();
    assert!(
        wb.resources.iter().any(|r| r.contact.contains("emergency")),
        "an 'in immediate danger, call your local emergency number' line comes first"
    );
    for r in &wb.resources {
        assert!(
            !r.name.trim().is_empty()
                && !r.country.trim().is_empty()
                && !r.contact.trim().is_empty(),
            "{r:?}"
        );
    }
}
