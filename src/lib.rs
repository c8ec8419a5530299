//! mend: a private, offline, terminal workbook.
//!
//! The map, core first (none of these import the terminal or do IO, except `vault`):
//! - [`content`]: workbooks (TOML) -> validated types, with located diagnostics.
//! - [`text`]: making text safe to show (control and bidi characters removed).
//! - [`domain`]: who is here and what they wrote: people, entries and drafts (with
//!   prompt snapshots), who may read them, files a person is told about.
//! - [`access`]: who wrote an entry and who may read it, the one rule for every view.
//! - [`vault`]: everything on disk: profiles, keys, encrypted entries, atomic writes.
//! - [`export`]: the counselling summary (Markdown, HTML, text) built from entries.
//! - [`app`]: the state machine; `update` routes each action to the screen on top,
//!   whose own `update(ctx, action)` returns a transition with effects; no IO.
//! - [`trends`]: check-in numbers over time, per person, never compared.
//! - [`editor`]: the answer editor's buffer (ratatui-textarea), held by `app` as data.
//! - [`words`]: passphrases of six random common words, from mend's own word list.
//! - [`search`]: finding what a person may read, in memory: folded text, filters.
//!
//! The shell, the only modules that touch the terminal:
//! - [`keymap`]: keys -> named actions, one table that also feeds help and hints.
//! - [`ui`]: draws the app from a shared reference, and measures what it drew.
//! - [`plain`]: plain mode's words: each screen as lines, each typed line as actions
//!   (from the same key table; prose screens are read back from `ui`'s drawing).
//! - [`driver`]: the event loop; runs effects against the vault.
//! - [`cli`]: the command line; [`export_command`]: `mend export`; [`passwd_command`]:
//!   `mend passwd`; [`command_error`]: how a command fails, and its exit code.

pub mod access;
pub mod app;
pub mod cli;
pub mod command_error;
pub mod content;
pub mod driver;
pub mod editor;
/// The domain module under its earlier name.
pub use domain as entry;
pub mod domain;
pub mod export;
pub mod export_command;
pub mod keymap;
pub mod passwd_command;
pub mod plain;
pub mod platform;
pub mod search;
pub mod text;
pub mod trends;
pub mod ui;
pub mod vault;
pub mod words;
