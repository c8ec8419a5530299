//! Shared test fixtures for the vault test binaries: a cheap key cost, a full entry
//! with every answer kind, and helpers that read the vault's files the way an
//! outsider (with only the folder) could.

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::SecretString;
use chrono::{TimeZone, Utc};
use mend::content::{ExerciseId, ModuleId, OptionId, StepId, Visibility, WorkbookId};
use mend::entry::{
    Answer, ENTRY_FORMAT, Entry, EntryId, ExerciseRef, PersonId, PickedOption, StepAnswer,
};
use mend::vault::{KdfCost, Paths, Unlocked, Vault};

pub const COST: KdfCost = KdfCost::for_tests(10);
/// Text with quotes, newlines, CJK and emoji: it must come back byte for byte.
pub const HARD_TEXT: &str =
    "She said \"I'm sorry\" and 'meant it'.\nSecond line\t\\ back\n信頼を取り戻す 🌱💬 — ok";

pub fn pass(text: &str) -> SecretString {
    SecretString::from(text.to_owned())
}

pub fn open(dir: &Path) -> Vault {
    Vault::open(&Paths::at(dir), COST).unwrap()
}

pub fn entry(author: &PersonId, visibility: Visibility, text: &str, minute: u32) -> Entry {
    let at = Utc.with_ymd_and_hms(2025, 3, 1, 12, minute, 0).unwrap();
    Entry {
        format: ENTRY_FORMAT,
        id: EntryId::random(),
        author: author.clone(),
        created: at,
        updated: at,
        visibility,
        exercise: ExerciseRef {
            workbook: WorkbookId::new("rebuilding-trust"),
            workbook_version: "1.0.0".to_owned(),
            module: ModuleId::new("first-days"),
            exercise: ExerciseId::new("what-happened"),
            module_title: "First days".to_owned(),
            exercise_title: "What happened, in my words".to_owned(),
        },
        answers: vec![
            StepAnswer {
                step: StepId::new("words"),
                prompt: "What do you want to say? \"Be honest\"".to_owned(),
                answer: Answer::Text {
                    text: text.to_owned(),
                },
            },
            StepAnswer {
                step: StepId::new("trust"),
                prompt: "Trust today".to_owned(),
                answer: Answer::Scale {
                    value: 3,
                    min: 0,
                    max: 10,
                    min_label: "none".to_owned(),
                    max_label: "full".to_owned(),
                },
            },
            StepAnswer {
                step: StepId::new("needs"),
                prompt: "What helps?".to_owned(),
                answer: Answer::Choice {
                    options: vec![PickedOption {
                        id: OptionId::new("time"),
                        label: "Time 時間".to_owned(),
                        picked: true,
                    }],
                },
            },
            StepAnswer {
                step: StepId::new("pause"),
                prompt: "Breathe.".to_owned(),
                answer: Answer::Read,
            },
            StepAnswer {
                step: StepId::new("later"),
                prompt: "Not yet".to_owned(),
                answer: Answer::NotReady,
            },
        ],
    }
}

/// A vault with one person, Alex, unlocked.
pub fn vault_with_alex(dir: &Path) -> (Vault, Unlocked) {
    let mut vault = open(dir);
    let alex = vault.create_person("Alex", &pass("alex pass")).unwrap();
    (vault, alex)
}

pub fn key_file(vault: &Vault, who: &Unlocked) -> PathBuf {
    vault.key_file(&who.person.id)
}

pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for item in fs::read_dir(dir).unwrap() {
        let path = item.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|i| i.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Seals `plain` to `recipient` the way a stranger with only vault.toml could.
pub fn seal_to(recipient: &str, plain: &str) -> Vec<u8> {
    seal_bytes_to(recipient, plain.as_bytes())
}

pub fn seal_bytes_to(recipient: &str, plain: &[u8]) -> Vec<u8> {
    let recipient = age::x25519::Recipient::from_str(recipient).unwrap();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).unwrap();
    std::io::Write::write_all(&mut writer, plain).unwrap();
    writer.finish().unwrap();
    out
}

pub fn shared_recipient_in_config(dir: &Path, index: usize) -> String {
    let text = fs::read_to_string(dir.join("vault.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table["people"].as_array().unwrap()[index]["shared_recipient"]
        .as_str()
        .unwrap()
        .to_owned()
}
