//! The domain: who is here and what they wrote, as every other module sees it.
//!
//! A [`Person`] has a random id and a display name; a [`Visibility`] says who may read
//! an answer; a [`FileProblem`] is a file a person is told about. An entry is one
//! finished pass through an exercise. It carries a snapshot of every
//! prompt beside every answer, so it stays readable exactly as it was asked after the
//! workbook file changes. A [`Draft`] is an entry still being written plus where the
//! person was. Pure data: the vault encrypts and stores these, the app builds them.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use std::path::PathBuf;

use crate::content::{ExerciseId, ModuleId, OptionId, StepId, WorkbookId};

/// The plaintext format version inside each entry file.
pub const ENTRY_FORMAT: u32 = 1;

/// A random id, also the entry's file name, so names reveal nothing about content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(pub Uuid);

impl EntryId {
    pub fn random() -> Self {
        Self(Uuid::new_v4())
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.as_hyphenated())
    }
}

/// A set of entry ids, hashed by their own bits: ids are random (version 4 UUIDs), so
/// they are spread already, and such sets are looked up once per entry (an export's
/// ticks, an unlock's finished drafts), where a general-purpose hash costs more than
/// the rest of the lookup.
pub type EntryIds = std::collections::HashSet<EntryId, std::hash::BuildHasherDefault<IdHasher>>;

/// Folds an entry id's bytes into a hash (see [`EntryIds`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0 ^ u64::from_le_bytes(word)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Someone with a profile in this vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
}

/// A file that could not be read, reported to the person and set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    /// Path relative to the data dir, e.g. `entries/3f2c....age`.
    pub file: PathBuf,
    /// A plain sentence: what happened and what was done about it.
    pub message: String,
}

/// Who can read an answer. Private: only its author. Shared: both partners.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Private,
    Shared,
}

impl Visibility {
    #[must_use]
    pub fn toggled(self) -> Self {
        match self {
            Self::Private => Self::Shared,
            Self::Shared => Self::Private,
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Shared => "shared",
        }
    }
}

/// A person's id in this vault: random, never their name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(pub Arc<str>);

impl PersonId {
    pub fn random() -> Self {
        Self(Uuid::new_v4().simple().to_string()[..12].into())
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which exercise an entry answers, with the titles as they were when it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseRef {
    pub workbook: WorkbookId,
    pub workbook_version: Arc<str>,
    pub module: ModuleId,
    pub exercise: ExerciseId,
    pub module_title: Arc<str>,
    pub exercise_title: Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub format: u32,
    pub id: EntryId,
    pub author: PersonId,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub visibility: Visibility,
    /// Proof of authorship: HMAC-SHA256 (hex) over this entry's TOML with `mac` unset,
    /// keyed from the author's private identity. The vault computes it on every save and
    /// checks it on load (see `vault::authorship`); loaded entries and drafts come back
    /// with `None`, an entry whose author is not confirmed being set apart in
    /// `Loaded::unconfirmed`. Older files have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// For a shared entry, one witness per partner (hex): proof to that partner that
    /// the author wrote it (see `vault::authorship`). Cleared on load like `mac`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub witness: Vec<String>,
    /// Shared by every entry of one exercise as it was worded: ten years of entries
    /// hold each exercise's ids and titles once, each entry only a pointer to them.
    pub exercise: Arc<ExerciseRef>,
    pub answers: Vec<StepAnswer>,
}

/// One step as it was asked, and what the person did with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepAnswer {
    pub step: StepId,
    /// The prompt exactly as shown when answered.
    pub prompt: Arc<str>,
    pub answer: Answer,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    Text {
        text: String,
    },
    Scale {
        value: i32,
        min: i32,
        max: i32,
        min_label: Arc<str>,
        max_label: Arc<str>,
    },
    /// A choice or a checklist: every option as it was offered, and which were picked.
    Choice {
        options: Vec<PickedOption>,
    },
    /// A reflect step that was read.
    Read,
    Skipped,
    NotReady,
}

/// An option as it was offered: its id and its words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OfferedOption {
    pub id: OptionId,
    pub label: Arc<str>,
}

/// An option as it was offered, and whether it was picked. The offered option is shared:
/// ten years of one checklist's answers hold its words once, each answer a pointer and a
/// mark per option. It reads as the option it marks (`picked.id`, `picked.label`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "PickedOptionFile", into = "PickedOptionFile")]
pub struct PickedOption {
    pub offered: Arc<OfferedOption>,
    pub picked: bool,
}

impl PickedOption {
    pub fn new(id: OptionId, label: Arc<str>, picked: bool) -> Self {
        Self {
            offered: Arc::new(OfferedOption { id, label }),
            picked,
        }
    }
}

impl std::ops::Deref for PickedOption {
    type Target = OfferedOption;

    fn deref(&self) -> &OfferedOption {
        &self.offered
    }
}

/// A [`PickedOption`] as an entry file writes it.
#[derive(Clone, Serialize, Deserialize)]
struct PickedOptionFile {
    id: OptionId,
    label: Arc<str>,
    picked: bool,
}

impl From<PickedOptionFile> for PickedOption {
    fn from(file: PickedOptionFile) -> Self {
        Self::new(file.id, file.label, file.picked)
    }
}

impl From<PickedOption> for PickedOptionFile {
    fn from(option: PickedOption) -> Self {
        Self {
            id: option.id.clone(),
            label: Arc::clone(&option.label),
            picked: option.picked,
        }
    }
}

/// An entry still being written, and the step the person was on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub at_step: usize,
    /// The id of the step the person was on, so a draft reopens on the same question
    /// after the workbook gains or loses steps before it.
    #[serde(default)]
    pub at_step_id: Option<StepId>,
    pub entry: Entry,
}

/// A person's private settings (which role they chose in each workbook), kept in
/// their vault encrypted to them alone: even a role says something private.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub roles: std::collections::BTreeMap<WorkbookId, crate::content::RoleId>,
    /// The folder this person last wrote a summary to: the next one starts there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_folder: Option<PathBuf>,
    /// The counsellor's age public key this person last encrypted a summary to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counsellor_key: Option<String>,
    /// Who this person's last summary was prepared for (a counsellor's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counsellor_name: Option<String>,
}

impl Profile {
    /// The role this person chose in `workbook`; `None` means "prefer not to say".
    pub fn role_in(&self, workbook: &WorkbookId) -> Option<&crate::content::RoleId> {
        self.roles.get(workbook)
    }
}
