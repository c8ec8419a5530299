//! The README's key table is generated from the key table in `src/keymap.rs`, so the
//! front door can never describe keys that do not exist. After changing a binding,
//! run `MEND_UPDATE_README=1 cargo test --test all readme::` and commit the README.

use std::fmt::Write;

use mend::app::KeyContext;
use mend::keymap::{AWAKE, BINDINGS, GLOBAL};

const BEGIN: &str = "<!-- keys:begin (generated from src/keymap.rs; see tests/all/readme.rs) -->";
const END: &str = "<!-- keys:end -->";

/// Every screen's keys, in the order a person meets them. A screen that is a variant of
/// another (the couple's home, say) lists only the keys that differ from it.
const GROUPS: &[(&str, KeyContext, Option<KeyContext>)] = &[
    ("First run", KeyContext::Welcome, None),
    ("New profile", KeyContext::CreateProfile, None),
    ("Choosing a role", KeyContext::ChooseRole, None),
    ("Unlocking", KeyContext::Unlock, None),
    ("While mend works", KeyContext::Busy, None),
    ("New passphrase or recovery", KeyContext::Passphrase, None),
    ("A recovery code offered", KeyContext::RecoveryOffer, None),
    ("A recovery code shown", KeyContext::RecoveryShow, None),
    ("Home", KeyContext::Home, None),
    (
        "Home, with a partner",
        KeyContext::HomeCouple,
        Some(KeyContext::Home),
    ),
    (
        "Home, trying a workbook (`mend try`)",
        KeyContext::HomeTrying,
        Some(KeyContext::Home),
    ),
    ("Before inviting or joining", KeyContext::PartnerNote, None),
    ("Between turns", KeyContext::Curtain, None),
    ("Something to read", KeyContext::StepReflect, None),
    ("Writing an answer", KeyContext::StepText, None),
    ("Scales", KeyContext::StepScale, None),
    ("Choices and checklists", KeyContext::StepChoice, None),
    ("Last page of an exercise", KeyContext::StepClosing, None),
    ("Before sharing an entry", KeyContext::ConfirmShare, None),
    ("History", KeyContext::History, None),
    ("Searching", KeyContext::Search, None),
    ("Reading an entry", KeyContext::Reading, None),
    (
        "Reading a partner's entry",
        KeyContext::ReadingPartner,
        Some(KeyContext::Reading),
    ),
    ("Trends", KeyContext::Trends, None),
    ("Making a summary", KeyContext::Export, None),
    (
        "Typing in the summary's fields",
        KeyContext::ExportPath,
        Some(KeyContext::Export),
    ),
    ("Help and support windows", KeyContext::Overlay, None),
    ("Hidden (after Ctrl-L)", KeyContext::Hidden, None),
];

fn section() -> String {
    let mut out = String::from("\n| Where | Keys | What they do |\n|---|---|---|\n");
    let mut row = |place: &str, label: &str, long: &str| {
        let label = label.replace('|', "\\|");
        writeln!(out, "| {place} | `{label}` | {long} |").unwrap();
    };
    for b in GLOBAL.iter().filter(|b| !b.long.is_empty()) {
        row("Everywhere", b.label, b.long);
    }
    let rows = |context: KeyContext| {
        BINDINGS
            .iter()
            .filter(move |b| b.contexts.contains(&context) && !b.long.is_empty())
    };
    for &(place, context, base) in GROUPS {
        let mut seen: Vec<&str> =
            base.map_or_else(Vec::new, |base| rows(base).map(|b| b.long).collect());
        for b in rows(context) {
            if !seen.contains(&b.long) {
                seen.push(b.long);
                row(place, b.label, b.long);
            }
        }
    }
    out
}

/// "Generated from every context": a screen added to the key table must be added here.
#[test]
fn the_readme_table_covers_every_screen_in_the_key_table() {
    for context in AWAKE.iter().chain([&KeyContext::Hidden]) {
        assert!(
            GROUPS.iter().any(|(_, c, _)| c == context),
            "{context:?} has keys but no place in the README's table"
        );
    }
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
