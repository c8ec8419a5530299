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
            // check_file, not load_file: warnings count here too.
            let (_, diagnostics) = validate::check_file(&path);
            if !diagnostics.is_empty() {
                let all: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                panic!("{} has problems:\n{}", path.display(), all.join("\n"));
            }
            loaded += 1;
        }
    }
    assert!(loaded >= 1, "content/ holds the built-in workbook");
}

#[test]
fn the_embedded_workbook_has_all_six_modules_and_every_step_kind() {
    let wb = content::builtin();
    let modules: Vec<&str> = wb.modules.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(modules.len(), 6, "{modules:?}");
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

#[test]
fn the_check_in_asks_trust_safety_closeness_and_hope_on_0_to_10_and_one_line() {
    let wb = content::builtin();
    let checkin = wb.checkin.expect("the built-in workbook has a check-in");
    for id in ["trust", "safety", "closeness", "hope"] {
        let step = checkin
            .steps
            .iter()
            .find(|s| s.id.as_str() == id)
            .unwrap_or_else(|| panic!("no {id} step"));
        assert!(
            matches!(
                step.kind,
                StepKind::Scale {
                    min: 0,
                    max: 10,
                    ..
                }
            ),
            "{id} is a 0-10 scale"
        );
    }
    assert!(
        checkin
            .steps
            .iter()
            .any(|s| matches!(s.kind, StepKind::Text { .. }))
    );
}

#[test]
fn roles_are_offered_and_role_aware_steps_exist_for_each() {
    let wb = content::builtin();
    let roles: Vec<&str> = wb.roles.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(roles, ["hurt", "unfaithful"]);
    for role in &wb.roles {
        let aware = wb
            .modules
            .iter()
            .flat_map(|m| &m.exercises)
            .flat_map(|e| &e.steps)
            .filter(|s| s.for_role.as_ref() == Some(&role.id))
            .count();
        assert!(aware > 0, "no step is written for {}", role.id);
    }
}

#[test]
fn the_session_preparation_answers_the_export_puts_first_exist() {
    let wb = content::builtin();
    let prep = wb
        .modules
        .iter()
        .flat_map(|m| &m.exercises)
        .find(|e| e.id.as_str() == "preparing-for-a-session")
        .expect("module 4 has the session preparation exercise");
    for id in ["discuss", "changed", "hard-to-say"] {
        assert!(prep.steps.iter().any(|s| s.id.as_str() == id), "step {id}");
    }
}

#[test]
fn the_starter_workbook_passes_check_and_shows_every_step_kind() {
    let (workbook, diagnostics) = validate::check_str("starter.toml", content::STARTER_SOURCE);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let wb = workbook.expect("the starter loads");
    let kinds: BTreeSet<&str> = wb
        .modules
        .iter()
        .flat_map(|m| &m.exercises)
        .flat_map(|e| &e.steps)
        .map(|s| match &s.kind {
            StepKind::Choice { multiple: true, .. } => "choice (multiple)",
            other => other.name(),
        })
        .collect();
    assert_eq!(kinds.len(), 6, "{kinds:?}");
}
