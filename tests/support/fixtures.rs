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

/// Opens the vault in `dir`. (No child process starts while a test in this process has
/// a vault open: see `children.rs`; tests/all starts none at all.)
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
        mac: None,
        witness: Vec::new(),
        exercise: std::sync::Arc::new(ExerciseRef {
            workbook: WorkbookId::new("rebuilding-trust"),
            workbook_version: "1.0.0".into(),
            module: ModuleId::new("first-days"),
            exercise: ExerciseId::new("what-happened"),
            module_title: "First days".into(),
            exercise_title: "What happened, in my words".into(),
        }),
        answers: vec![
            StepAnswer {
                step: StepId::new("words"),
                prompt: "What do you want to say? \"Be honest\"".into(),
                answer: Answer::Text {
                    text: text.to_owned(),
                },
            },
            StepAnswer {
                step: StepId::new("trust"),
                prompt: "Trust today".into(),
                answer: Answer::Scale {
                    value: 3,
                    min: 0,
                    max: 10,
                    min_label: "none".into(),
                    max_label: "full".into(),
                },
            },
            StepAnswer {
                step: StepId::new("needs"),
                prompt: "What helps?".into(),
                answer: Answer::Choice {
                    options: vec![PickedOption::new(
                        OptionId::new("time"),
                        "Time 時間".into(),
                        true,
                    )],
                },
            },
            StepAnswer {
                step: StepId::new("pause"),
                prompt: "Breathe.".into(),
                answer: Answer::Read,
            },
            StepAnswer {
                step: StepId::new("later"),
                prompt: "Not yet".into(),
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

/// A vault with Alex, then Blair (who joined second), both unlocked.
pub fn vault_with_two(dir: &Path) -> (Vault, Unlocked, Unlocked) {
    let (mut vault, alex) = vault_with_alex(dir);
    let blair = vault.create_person("Blair", &pass("blair pass")).unwrap();
    (vault, alex, blair)
}

/// Seals `plain` to several recipients, as anyone with vault.toml could.
pub fn seal_to_all(recipients: &[String], plain: &str) -> Vec<u8> {
    let recipients: Vec<age::x25519::Recipient> = recipients
        .iter()
        .map(|r| age::x25519::Recipient::from_str(r).unwrap())
        .collect();
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .unwrap();
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).unwrap();
    std::io::Write::write_all(&mut writer, plain.as_bytes()).unwrap();
    writer.finish().unwrap();
    out
}

/// Adds a person the way mend did before key files pinned partners: a key file with
/// only the format, person and two identity lines, and a line in vault.toml. Call it
/// while no `Vault` is open on `dir`.
pub fn add_old_style_person(dir: &Path, name: &str, passphrase: &str) -> PersonId {
    use age::secrecy::ExposeSecret;
    let id = PersonId::random();
    let (shared, private) = (
        age::x25519::Identity::generate(),
        age::x25519::Identity::generate(),
    );
    let text = format!(
        "# mend key file. The first key opens entries shared with a partner; the second opens private ones.\n# format: 1\n# person: {id}\n{}\n{}\n",
        shared.to_string().expose_secret(),
        private.to_string().expose_secret()
    );
    let mut recipient = age::scrypt::Recipient::new(pass(passphrase));
    recipient.set_work_factor(COST.log_n());
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut sealed = Vec::new();
    let mut writer = encryptor.wrap_output(&mut sealed).unwrap();
    std::io::Write::write_all(&mut writer, text.as_bytes()).unwrap();
    writer.finish().unwrap();
    fs::create_dir_all(dir.join("keys")).unwrap();
    fs::write(dir.join("keys").join(format!("{id}.age")), sealed).unwrap();

    let config = dir.join("vault.toml");
    let text = fs::read_to_string(&config).unwrap_or_else(|_| "format = 1\n".to_owned());
    let mut table: toml::Table = toml::from_str(&text).unwrap();
    let mut person = toml::Table::new();
    person.insert("id".into(), (&*id.0).into());
    person.insert("name".into(), name.into());
    person.insert(
        "shared_recipient".into(),
        shared.to_public().to_string().into(),
    );
    table
        .entry("people")
        .or_insert_with(|| toml::Value::Array(Vec::new()))
        .as_array_mut()
        .unwrap()
        .push(person.into());
    fs::write(config, toml::to_string(&table).unwrap()).unwrap();
    id
}

/// The plaintext of a key file, opened with its passphrase as `age -d` would.
pub fn key_file_text(path: &Path, passphrase: &str) -> String {
    let bytes = fs::read(path).unwrap();
    let decryptor = age::Decryptor::new_buffered(&bytes[..]).unwrap();
    let identity = age::scrypt::Identity::new(pass(passphrase));
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut reader, &mut text).unwrap();
    text
}

/// Writes a file into the vault as mend would (0600), so a test that plants a file
/// is judged on its content, not on loose permissions (which are their own report).
pub fn write_private(path: impl AsRef<Path>, bytes: impl AsRef<[u8]>) {
    let path = path.as_ref();
    fs::write(path, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// Edits vault.toml as someone with the folder could on purpose: `edit` applied to its
/// text, the checksum (which only catches damage) dropped, and the copy beside it
/// replaced too, so mend has nothing to put back.
pub fn tamper_with_config(dir: &Path, edit: impl Fn(&str) -> String) {
    let text = fs::read_to_string(dir.join("vault.toml")).unwrap();
    let mut edited = String::new();
    for line in edit(&text).lines().filter(|l| !l.starts_with("checksum")) {
        edited.push_str(line);
        edited.push('\n');
    }
    for name in ["vault.toml", "vault.toml.bak"] {
        fs::write(dir.join(name), &edited).unwrap();
    }
}
