//! Sizes hide content: a file's size on disk must not say which role a person chose or
//! which exercise an entry answers (files are padded to size buckets before encryption;
//! see `vault::pad`).

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use mend::content::{RoleId, StepKind, Visibility};
use mend::entry::{
    Answer, ENTRY_FORMAT, Entry, EntryId, ExerciseRef, PickedOption, Profile, StepAnswer,
};

use crate::fixtures::*;

/// The length of the plaintext sealed in an age file, as anyone can work it out from the
/// file: its size, less the header (whose length age varies at random with a "grease"
/// stanza), the payload nonce and one 16-byte tag per 64 KiB chunk.
fn plaintext_len(file: &std::path::Path) -> u64 {
    let bytes = std::fs::read(file).unwrap();
    let mac_line = bytes
        .windows(5)
        .position(|w| w == b"\n--- ")
        .expect("an age header")
        + 1;
    let header = mac_line + bytes[mac_line..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let payload = (bytes.len() - header - 16) as u64;
    let chunks = payload.div_ceil(64 * 1024 + 16);
    payload - 16 * chunks
}

#[test]
fn the_three_role_choices_give_profile_files_of_one_size() {
    let book = mend::content::builtin();
    let mut choices: Vec<Option<RoleId>> = book.roles.iter().map(|r| Some(r.id.clone())).collect();
    choices.push(None);
    assert_eq!(choices.len(), 3, "hurt, unfaithful, prefer not to say");
    let sizes: Vec<u64> = choices
        .iter()
        .map(|role| {
            let dir = tempfile::tempdir().unwrap();
            let (vault, alex) = vault_with_alex(dir.path());
            let mut profile = Profile::default();
            if let Some(role) = role {
                profile.roles.insert(book.id.clone(), role.clone());
            }
            vault.save_profile(&alex, &profile).unwrap();
            let file = dir
                .path()
                .join("profiles")
                .join(format!("{}.age", alex.person.id));
            plaintext_len(&file)
        })
        .collect();
    println!("profile plaintext sizes for the three role choices: {sizes:?}");
    assert!(sizes.windows(2).all(|w| w[0] == w[1]), "{sizes:?}");
}

/// An entry for `exercise` answered briefly: a word, the middle of a scale, the first
/// option, the first item; read steps read.
fn brief_entry(
    book: &mend::content::Workbook,
    (module, module_title): (&mend::content::ModuleId, &str),
    exercise: &mend::content::Exercise,
    author: &mend::entry::PersonId,
) -> Entry {
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let picked = |options: &[mend::content::ChoiceOption]| Answer::Choice {
        options: options
            .iter()
            .enumerate()
            .map(|(i, o)| PickedOption::new(o.id.clone(), o.label.clone(), i == 0))
            .collect(),
    };
    Entry {
        format: ENTRY_FORMAT,
        id: EntryId::random(),
        author: author.clone(),
        created: at,
        updated: at,
        visibility: Visibility::Private,
        mac: None,
        witness: Vec::new(),
        exercise: std::sync::Arc::new(ExerciseRef {
            workbook: book.id.clone(),
            workbook_version: book.version.clone(),
            module: module.clone(),
            exercise: exercise.id.clone(),
            module_title: module_title.into(),
            exercise_title: exercise.title.clone(),
        }),
        answers: exercise
            .steps
            .iter()
            .map(|step| StepAnswer {
                step: step.id.clone(),
                prompt: step.prompt.clone(),
                answer: match &step.kind {
                    StepKind::Text { .. } => Answer::Text {
                        text: "yes".to_owned(),
                    },
                    StepKind::Scale {
                        min,
                        max,
                        min_label,
                        max_label,
                    } => Answer::Scale {
                        value: (min + max) / 2,
                        min: *min,
                        max: *max,
                        min_label: min_label.clone(),
                        max_label: max_label.clone(),
                    },
                    StepKind::Choice { options, .. } => picked(options),
                    StepKind::Checklist { items } => picked(items),
                    StepKind::Reflect => Answer::Read,
                },
            })
            .collect(),
    }
}

#[test]
fn every_built_in_exercise_answered_briefly_shares_its_size_with_another() {
    let book = mend::content::builtin();
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let mut by_size: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let checkin = mend::content::ModuleId::new(mend::content::CHECKIN_MODULE);
    let every = book
        .modules
        .iter()
        .flat_map(|m| m.exercises.iter().map(move |e| ((&m.id, &*m.title), e)))
        .chain(book.checkin.iter().map(|e| ((&checkin, "Check-in"), e)));
    {
        for (module, exercise) in every {
            let entry = brief_entry(&book, module, exercise, &alex.person.id);
            vault.save_entry(&alex, &entry).unwrap();
            let file = dir.path().join("entries").join(format!("{}.age", entry.id));
            let size = plaintext_len(&file);
            by_size
                .entry(size)
                .or_default()
                .push(exercise.id.as_str().to_owned());
        }
    }
    let exercises: usize = by_size.values().map(Vec::len).sum();
    println!(
        "{exercises} built-in exercises answered briefly: {} distinct file sizes {:?}",
        by_size.len(),
        by_size.keys().collect::<Vec<_>>()
    );
    for (size, ids) in &by_size {
        assert!(
            ids.len() >= 2,
            "only {ids:?} has {size} bytes: its size names it"
        );
    }
}
