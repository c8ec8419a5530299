//! mend: a private, offline, terminal workbook.
//!
//! The map, core first:
//! - [`content`]: workbooks (TOML) -> validated types, with located diagnostics.
//! - [`text`]: making text safe to show (control and bidi characters removed).
//! - [`entry`]: what a person wrote: entries and drafts, with prompt snapshots.
//! - [`vault`]: everything on disk: profiles, keys, encrypted entries, atomic writes.

pub mod content;
pub mod entry;
pub mod text;
pub mod vault;
