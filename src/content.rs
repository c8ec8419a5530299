//! Workbooks: the guided exercises mend walks people through.
//!
//! A workbook is a TOML file. [`raw`] mirrors the file exactly (with source spans);
//! [`validate`] turns it into the types below, which cannot be wrong (ids are unique,
//! a scale has `min < max`, a choice has options, prompts are not empty), collecting
//! every problem as a [`Diagnostic`] with file, line, column and a hint. The rest of
//! mend only ever sees validated types. The built-in workbook is embedded in the binary
//! with `include_str!`, so mend works with no files installed.

pub mod check;
pub mod diagnostic;
pub mod raw;
pub mod validate;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use diagnostic::Diagnostic;

/// Workbook files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The built-in workbook's source, embedded at compile time.
pub const BUILTIN_SOURCE: &str = include_str!("../content/rebuilding-trust.toml");
/// The name diagnostics use for the built-in workbook.
pub const BUILTIN_NAME: &str = "content/rebuilding-trust.toml";

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
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
    /// A choice option's or checklist item's id, unique within its step.
    OptionId
);

/// A validated workbook.
#[derive(Clone, Debug, PartialEq)]
pub struct Workbook {
    pub id: WorkbookId,
    pub title: String,
    pub version: String,
    pub description: String,
    pub resources: Vec<Resource>,
    pub modules: Vec<Module>,
}

/// A support line or service, shown on the support screen.
#[derive(Clone, Debug, PartialEq)]
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

#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub id: ModuleId,
    pub title: String,
    pub intro: Option<String>,
    pub exercises: Vec<Exercise>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    pub id: ExerciseId,
    pub title: String,
    pub intro: Option<String>,
    pub mode: Mode,
    pub default_visibility: Visibility,
    pub estimated_minutes: Option<u16>,
    pub steps: Vec<Step>,
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

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub id: StepId,
    /// The question, or for a `reflect` step the text to read.
    pub prompt: String,
    pub kind: StepKind,
}

#[derive(Clone, Debug, PartialEq)]
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
        min_label: String,
        max_label: String,
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

#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceOption {
    pub id: OptionId,
    pub label: String,
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

/// Loads the built-in workbook.
///
/// # Panics
/// Never in a released build: a test loads the built-in workbook through the same
/// loader and asserts it has no diagnostics.
#[must_use]
pub fn builtin() -> Workbook {
    validate::parse_str(BUILTIN_NAME, BUILTIN_SOURCE)
        .expect("the built-in workbook is checked by the test suite")
}
