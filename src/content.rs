//! Workbooks: the guided exercises mend walks people through.
//!
//! A workbook is a TOML file. [`raw`] mirrors the file exactly (with source spans);
//! [`validate`] turns it into the types below, which cannot be wrong (ids are unique,
//! a scale has `min < max`, a choice has options, prompts are not empty), collecting
//! every problem as a [`Diagnostic`] with file, line, column and a hint (and warnings,
//! such as text that had to be cleaned, that do not stop the workbook loading). The
//! rest of mend only ever sees validated types. A workbook may define [`Role`]s, and an
//! exercise or step marked `for_role` is shown only to people who chose that role
//! ([`Exercise::for_person`]). The built-in workbook is embedded in the binary with
//! `include_str!`, so mend works with no files installed.

pub mod check;
pub mod diagnostic;
pub mod raw;
pub mod validate;

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use crate::domain::Visibility;
pub use diagnostic::{Diagnostic, Severity};

/// Workbook files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The built-in workbook's source, embedded at compile time.
pub const BUILTIN_SOURCE: &str = include_str!("../content/rebuilding-trust.toml");
/// The commented starter workbook `mend new-workbook` writes.
pub const STARTER_SOURCE: &str = include_str!("../content/starter.toml");
/// The name diagnostics use for the built-in workbook.
pub const BUILTIN_NAME: &str = "content/rebuilding-trust.toml";
/// The built-in workbook's id, which no workbook file may take.
pub const BUILTIN_ID: &str = "rebuilding-trust";

/// The module id a check-in's entries are filed under. No real module may use it.
pub const CHECKIN_MODULE: &str = "checkin";

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            pub fn new(id: impl Into<Arc<str>>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A workbook's id, stable across versions.
    WorkbookId
);
id_type!(
    /// A module's id, unique within its workbook.
    ModuleId
);
id_type!(
    /// An exercise's id, unique within its module.
    ExerciseId
);
id_type!(
    /// A step's id, unique within its exercise.
    StepId
);
id_type!(
    /// A role a person may choose at setup, such as "hurt"; unique within its workbook.
    RoleId
);
id_type!(
    /// A choice option's or checklist item's id, unique within its step.
    OptionId
);

/// A validated workbook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workbook {
    pub id: WorkbookId,
    pub title: String,
    pub version: Arc<str>,
    pub description: String,
    pub resources: Vec<Resource>,
    pub modules: Vec<Module>,
    /// The roles a person may choose at setup; empty when the workbook has none.
    pub roles: Vec<Role>,
    /// A quick check-in, done any time from home. Always [`Mode::Either`] and
    /// [`Visibility::Private`]; its entries are filed under [`CHECKIN_MODULE`].
    pub checkin: Option<Exercise>,
}

/// A role a person may choose at setup, such as "The partner who was hurt". Exercises
/// and steps marked `for_role` are shown only to people who chose that role; people who
/// prefer not to say see everything.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub id: RoleId,
    pub label: String,
    pub description: Option<String>,
}

/// A support line or service, shown on the support screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Who they are, e.g. "Samaritans".
    pub name: String,
    /// Where they serve, e.g. "UK & Ireland" or "Anywhere".
    pub country: String,
    /// How to reach them, e.g. "116 123".
    pub contact: String,
    /// One line on what they are for.
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Module {
    pub id: ModuleId,
    pub title: Arc<str>,
    pub intro: Option<String>,
    pub exercises: Vec<Exercise>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exercise {
    pub id: ExerciseId,
    pub title: Arc<str>,
    pub intro: Option<String>,
    pub mode: Mode,
    pub default_visibility: Visibility,
    pub estimated_minutes: Option<u16>,
    pub steps: Vec<Step>,
    /// Shown only to people who chose this role; `None` shows it to everyone.
    pub for_role: Option<RoleId>,
    /// Written for a counselling session (`session = true`): its answers are ticked for a
    /// summary by default, private or not, and come first in it.
    pub for_session: bool,
}

/// Whether something marked `for_role` is shown to a person who chose `role`. A person
/// who chose no role (prefers not to say) is shown everything.
fn shown(for_role: Option<&RoleId>, role: Option<&RoleId>) -> bool {
    match (for_role, role) {
        (Some(only), Some(role)) => only == role,
        _ => true,
    }
}

impl Exercise {
    /// How many of its steps a person who chose `role` sees.
    pub fn steps_for(&self, role: Option<&RoleId>) -> usize {
        self.steps
            .iter()
            .filter(|step| shown(step.for_role.as_ref(), role))
            .count()
    }

    /// Whether the exercise itself is shown to a person who chose `role`.
    #[must_use]
    pub fn shown_to(&self, role: Option<&RoleId>) -> bool {
        shown(self.for_role.as_ref(), role)
    }

    /// A copy holding only the steps a person who chose `role` is shown (`None`: every
    /// step). Validation guarantees the copy still has a step for every defined role
    /// the exercise is shown to.
    #[must_use]
    pub fn for_person(&self, role: Option<&RoleId>) -> Exercise {
        Exercise {
            steps: self
                .steps
                .iter()
                .filter(|step| shown(step.for_role.as_ref(), role))
                .cloned()
                .collect(),
            ..self.clone()
        }
    }
}

/// Who an exercise is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One person on their own.
    Solo,
    /// Each partner answers, then both may reveal.
    Together,
    /// Works either way.
    Either,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: StepId,
    /// The question, or for a `reflect` step the text to read.
    pub prompt: Arc<str>,
    pub kind: StepKind,
    /// Shown only to people who chose this role; `None` shows it to everyone.
    pub for_role: Option<RoleId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StepKind {
    Text {
        placeholder: Option<String>,
        /// A gentle hint, never enforced: an answer may always be shorter or skipped.
        min_length: Option<u32>,
        max_length: Option<u32>,
    },
    Scale {
        min: i32,
        max: i32,
        min_label: Arc<str>,
        max_label: Arc<str>,
    },
    Choice {
        options: Vec<ChoiceOption>,
        multiple: bool,
    },
    Checklist {
        items: Vec<ChoiceOption>,
    },
    Reflect,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub id: OptionId,
    pub label: Arc<str>,
}

impl StepKind {
    /// The name used in workbook files, e.g. `"scale"`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Scale { .. } => "scale",
            Self::Choice { .. } => "choice",
            Self::Checklist { .. } => "checklist",
            Self::Reflect => "reflect",
        }
    }
}

impl Workbook {
    #[must_use]
    pub fn exercise(
        &self,
        module: &ModuleId,
        exercise: &ExerciseId,
    ) -> Option<(&Module, &Exercise)> {
        let m = self.modules.iter().find(|m| &m.id == module)?;
        let e = m.exercises.iter().find(|e| &e.id == exercise)?;
        Some((m, e))
    }
}

/// The built-in workbook as the loader left it, encoded (postcard) beside a fingerprint
/// of the TOML it came from: decoding it takes a fraction of the time parsing and
/// checking the TOML does, and that time comes before mend's first frame. Made and
/// kept current by a test (`MEND_UPDATE_BUILTIN=1 cargo test builtin_validated`).
const BUILTIN_VALIDATED: &[u8] = include_bytes!("content/builtin.postcard");

/// Loads the built-in workbook: the copy validated ahead of time when it was made from
/// this very TOML, the TOML itself otherwise (someone edited it since).
///
/// # Panics
/// Never in a released build: a test loads the built-in workbook through the same
/// loader and asserts it has no diagnostics.
#[must_use]
pub fn builtin() -> Workbook {
    decoded_builtin().unwrap_or_else(|| {
        validate::parse_str(BUILTIN_NAME, BUILTIN_SOURCE)
            .expect("the built-in workbook is checked by the test suite")
    })
}

fn decoded_builtin() -> Option<Workbook> {
    let (stamp, encoded) = BUILTIN_VALIDATED.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*stamp) != fingerprint(BUILTIN_SOURCE.as_bytes()) {
        return None;
    }
    postcard::from_bytes(encoded).ok()
}

/// What [`BUILTIN_VALIDATED`] should hold for the TOML built in now.
///
/// # Panics
/// If the built-in workbook does not load, as [`builtin`].
#[must_use]
pub fn builtin_validated() -> Vec<u8> {
    let workbook = validate::parse_str(BUILTIN_NAME, BUILTIN_SOURCE)
        .expect("the built-in workbook is checked by the test suite");
    let mut bytes = fingerprint(BUILTIN_SOURCE.as_bytes())
        .to_le_bytes()
        .to_vec();
    bytes.extend(postcard::to_allocvec(&workbook).expect("a workbook encodes"));
    bytes
}

/// A fingerprint of `bytes` that is the same on every platform and every toolchain
/// (FNV-1a's constants, eight bytes at a time): only to notice an edit, not a
/// defence against anyone.
fn fingerprint(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ bytes.len() as u64;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        hash = (hash ^ word).wrapping_mul(PRIME);
    }
    for &byte in chunks.remainder() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
    }
    hash
}

/// A workbook file that could not be used, for home to mention by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    pub file: std::path::PathBuf,
    /// What is wrong, in a few words ("3 problems").
    pub what: String,
}

/// Every workbook mend will offer: the built-in one, then the files found in `sources`
/// (each a workbook file or a folder of `*.toml` files), in order. A file that does
/// not load, or reuses an id already taken, is listed in `broken`, never fatal.
pub fn library(sources: &[std::path::PathBuf]) -> (Vec<Workbook>, Vec<Broken>) {
    let mut workbooks = vec![builtin()];
    let mut broken = Vec::new();
    for file in sources.iter().flat_map(|source| workbook_files(source)) {
        match validate::load_file(&file) {
            Ok(wb) if workbooks.iter().any(|w| w.id == wb.id) => broken.push(Broken {
                file,
                what: format!(
                    "uses the id '{}', which another workbook already has",
                    wb.id
                ),
            }),
            Ok(wb) => workbooks.push(wb),
            Err(problems) => {
                let n = problems.len();
                broken.push(Broken {
                    file,
                    what: format!("{n} problem{}", if n == 1 { "" } else { "s" }),
                });
            }
        }
    }
    (workbooks, broken)
}

/// `source` itself if it is a file; its `*.toml` files, sorted, if it is a folder;
/// nothing if it does not exist.
pub(crate) fn workbook_files(source: &std::path::Path) -> Vec<std::path::PathBuf> {
    if source.is_file() {
        return vec![source.to_owned()];
    }
    let Ok(listing) = std::fs::read_dir(source) else {
        return Vec::new();
    };
    let mut files: Vec<_> = listing
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    /// The built-in workbook mend starts with is the one its TOML says, checked.
    #[test]
    fn builtin_validated_is_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/content/builtin.postcard");
        let wanted = super::builtin_validated();
        if std::env::var_os("MEND_UPDATE_BUILTIN").is_some() {
            // Built in at the next build: this run still has the old bytes.
            std::fs::write(&path, &wanted).unwrap();
            return;
        }
        assert!(
            super::BUILTIN_VALIDATED == wanted.as_slice(),
            "{} is out of date with the built-in TOML: run MEND_UPDATE_BUILTIN=1 cargo test builtin_validated",
            path.display()
        );
        let parsed =
            super::validate::parse_str(super::BUILTIN_NAME, super::BUILTIN_SOURCE).unwrap();
        assert_eq!(super::decoded_builtin(), Some(parsed.clone()));
        assert_eq!(super::builtin(), parsed);
    }

    #[test]
    fn an_edited_toml_is_noticed() {
        let source = super::BUILTIN_SOURCE.as_bytes();
        let mut edited = source.to_vec();
        edited[source.len() / 2] ^= 1;
        assert_ne!(super::fingerprint(source), super::fingerprint(&edited));
        assert_ne!(
            super::fingerprint(b"abcdefgh1"),
            super::fingerprint(b"abcdefgh2")
        );
    }

    use super::*;

    fn step(id: &str, for_role: Option<&str>) -> Step {
        Step {
            id: StepId::new(id),
            prompt: format!("Question {id}?").into(),
            kind: StepKind::Reflect,
            for_role: for_role.map(RoleId::new),
        }
    }

    fn exercise(for_role: Option<&str>) -> Exercise {
        Exercise {
            id: ExerciseId::new("e"),
            title: "E".into(),
            intro: None,
            mode: Mode::Either,
            default_visibility: Visibility::Private,
            estimated_minutes: None,
            steps: vec![
                step("everyone", None),
                step("hurt-only", Some("hurt")),
                step("unfaithful-only", Some("unfaithful")),
            ],
            for_role: for_role.map(RoleId::new),
            for_session: false,
        }
    }

    #[test]
    fn home_counts_the_steps_each_person_sees() {
        let e = exercise(None);
        assert_eq!(e.steps_for(Some(&RoleId::new("hurt"))), 2);
        assert_eq!(e.steps_for(Some(&RoleId::new("unfaithful"))), 2);
        assert_eq!(e.steps_for(None), 3, "prefer not to say sees them all");
    }

    #[test]
    fn the_builtin_id_constant_is_the_builtin_workbooks_id() {
        assert_eq!(builtin().id.as_str(), BUILTIN_ID);
    }

    #[test]
    fn a_person_sees_the_steps_for_everyone_and_for_their_role() {
        let hurt = RoleId::new("hurt");
        let unfaithful = RoleId::new("unfaithful");
        let other = RoleId::new("other");
        let cases = [
            (
                "prefers not to say",
                None,
                &["everyone", "hurt-only", "unfaithful-only"][..],
            ),
            ("hurt", Some(&hurt), &["everyone", "hurt-only"][..]),
            (
                "unfaithful",
                Some(&unfaithful),
                &["everyone", "unfaithful-only"][..],
            ),
            ("a role no step names", Some(&other), &["everyone"][..]),
        ];
        let full = exercise(None);
        for (name, role, expected) in cases {
            let seen = full.for_person(role);
            let ids: Vec<_> = seen.steps.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(ids, expected, "case: {name}");
            assert_eq!(
                Exercise {
                    steps: full.steps.clone(),
                    ..seen
                },
                full,
                "case {name}: only the steps change"
            );
        }
    }

    #[test]
    fn an_exercise_for_a_role_is_shown_to_that_role_and_to_people_who_did_not_say() {
        let hurt = RoleId::new("hurt");
        let unfaithful = RoleId::new("unfaithful");
        let cases = [
            ("for everyone, to hurt", None, Some(&hurt), true),
            ("for everyone, to not saying", None, None, true),
            ("for hurt, to hurt", Some("hurt"), Some(&hurt), true),
            ("for hurt, to not saying", Some("hurt"), None, true),
            (
                "for hurt, to unfaithful",
                Some("hurt"),
                Some(&unfaithful),
                false,
            ),
        ];
        for (name, for_role, role, expected) in cases {
            assert_eq!(exercise(for_role).shown_to(role), expected, "case: {name}");
        }
    }
}
