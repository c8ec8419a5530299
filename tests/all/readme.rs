//! The README's key table is generated from the key table in `src/keymap.rs`, so the
//! front door can never describe keys that do not exist. After changing a binding,
//! run `MEND_UPDATE_README=1 cargo test --test all readme::` and commit the README.

use std::fmt::Write;

use mend::app::KeyContext;
use mend::keymap::{BINDINGS, GLOBAL};

const BEGIN: &str = "<!-- keys:begin (generated from src/keymap.rs; see tests/all/readme.rs) -->";
const END: &str = "<!-- keys:end -->";

fn section() -> String {
    let groups = [
        ("First run", KeyContext::Welcome),
        ("New profile", KeyContext::CreateProfile),
        ("Unlocking", KeyContext::Unlock),
        ("New passphrase or recovery", KeyContext::Passphrase),
        ("A recovery code offered", KeyContext::RecoveryOffer),
        ("A recovery code shown", KeyContext::RecoveryShow),
        ("Home", KeyContext::Home),
        ("Writing an answer", KeyContext::StepText),
        ("Scales", KeyContext::StepScale),
        ("Choices and checklists", KeyContext::StepChoice),
        ("Last page of an exercise", KeyContext::StepClosing),
        ("History", KeyContext::History),
        ("Reading an entry", KeyContext::Reading),
        ("Before sharing an entry", KeyContext::ConfirmShare),
        ("Help and support windows", KeyContext::Overlay),
    ];
    let mut out = String::from("\n| Where | Keys | What they do |\n|---|---|---|\n");
    let mut row = |place: &str, label: &str, long: &str| {
        let label = label.replace('|', "\\|");
        writeln!(out, "| {place} | `{label}` | {long} |").unwrap();
    };
    for b in GLOBAL.iter().filter(|b| !b.long.is_empty()) {
        row("Everywhere", b.label, b.long);
    }
    for (place, context) in groups {
        let mut seen = Vec::new();
        for b in BINDINGS
            .iter()
            .filter(|b| b.contexts.contains(&context) && !b.long.is_empty())
        {
            if !seen.contains(&b.long) {
                seen.push(b.long);
                row(place, b.label, b.long);
            }
        }
    }
    out
}

#[test]
fn readme_lists_every_key_from_the_key_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let (start, end) = (
        readme
            .find(BEGIN)
            .expect("README has the keys:begin marker")
            + BEGIN.len(),
        readme.find(END).expect("README has the keys:end marker"),
    );
    let expected = section();
    if std::env::var_os("MEND_UPDATE_README").is_some() {
        let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        readme[start..end],
        expected,
        "the README's key table is out of date: run MEND_UPDATE_README=1 cargo test --test all readme::"
    );
}
