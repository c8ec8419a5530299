//! The serde mirror of a workbook file, exactly as written, with source spans.
//!
//! Nothing here is checked beyond TOML types: every field is optional and every value
//! keeps its [`Spanned`] location, so [`super::validate`] can report *all* missing or
//! wrong values with a line and column instead of stopping at the first one serde meets.
//! A step is one flat struct holding the fields of every kind: spans do not survive
//! serde's internally tagged enums, and a flat step lets validation say "`min` is not
//! used by a `text` step" at the key itself.
//!
//! Every struct denies unknown fields as a safety net; in practice the shape check in
//! `validate` reports every unknown key first (with a suggestion) and removes it.

use serde::Deserialize;
use toml::Spanned;

/// A whole workbook file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub workbook: Option<Spanned<RawWorkbook>>,
    #[serde(default)]
    pub modules: Vec<Spanned<RawModule>>,
    pub checkin: Option<Spanned<RawCheckin>>,
}

/// The `[workbook]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkbook {
    pub id: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub version: Option<Spanned<RawVersion>>,
    pub description: Option<Spanned<String>>,
    #[serde(default)]
    pub resources: Vec<Spanned<RawResource>>,
    #[serde(default)]
    pub roles: Vec<Spanned<RawRole>>,
}

/// One `[[workbook.roles]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub id: Option<Spanned<String>>,
    pub label: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
}

/// A workbook version: `version = "1.2"`, or a bare number such as `version = 3`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawVersion {
    Text(String),
    Number(i64),
}

/// One `[[workbook.resources]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    pub name: Option<Spanned<String>>,
    pub country: Option<Spanned<String>>,
    pub contact: Option<Spanned<String>>,
    pub note: Option<Spanned<String>>,
}

/// One `[[modules]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    pub id: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub intro: Option<Spanned<String>>,
    #[serde(default)]
    pub exercises: Vec<Spanned<RawExercise>>,
}

/// One `[[modules.exercises]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExercise {
    pub id: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub intro: Option<Spanned<String>>,
    pub mode: Option<Spanned<String>>,
    pub default_visibility: Option<Spanned<String>>,
    pub estimated_minutes: Option<Spanned<i64>>,
    pub for_role: Option<Spanned<String>>,
    pub session: Option<Spanned<bool>>,
    #[serde(default)]
    pub steps: Vec<Spanned<RawStep>>,
}

/// The `[checkin]` table: an exercise without a mode, visibility or role, since a
/// check-in is always private and for anyone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheckin {
    pub id: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub intro: Option<Spanned<String>>,
    pub estimated_minutes: Option<Spanned<i64>>,
    #[serde(default)]
    pub steps: Vec<Spanned<RawStep>>,
}

/// One `[[modules.exercises.steps]]` or `[[checkin.steps]]` entry, with the fields of
/// every kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub id: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub for_role: Option<Spanned<String>>,
    /// The question; every kind but `reflect`.
    pub prompt: Option<Spanned<String>>,
    /// The text to read; `reflect` only.
    pub text: Option<Spanned<String>>,
    pub placeholder: Option<Spanned<String>>,
    pub min_length: Option<Spanned<i64>>,
    pub max_length: Option<Spanned<i64>>,
    pub min: Option<Spanned<i64>>,
    pub max: Option<Spanned<i64>>,
    pub min_label: Option<Spanned<String>>,
    pub max_label: Option<Spanned<String>>,
    pub options: Option<Spanned<Vec<Spanned<RawOption>>>>,
    pub multiple: Option<Spanned<bool>>,
    pub items: Option<Spanned<Vec<Spanned<RawOption>>>>,
}

/// A choice option or a checklist item: `{ id = "a", label = "..." }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub id: Option<Spanned<String>>,
    pub label: Option<Spanned<String>>,
}
