//! Every test that runs inside the test process, linked as one binary: key-script
//! flows and screens with no terminal, content checks, the vault and the export
//! through the library, and the property tests. One module per former test file,
//! under its old name; the helpers shared with `tests/programs` are in `tests/support`.
//!
//! Nothing here starts a child process, and nothing may. Until a child execs, it
//! holds a copy of every file this process has open, a vault's lock among them, and
//! these tests close vaults and open them again all the time: one child started at the
//! wrong moment makes a vault look "already open" (insta's `cargo metadata` child did
//! that about once in 30 runs; see `.cargo/config.toml`). Tests that start programs
//! live in `tests/programs`, which starts them one at a time (`support/children.rs`).
//!
//! Two test files stay binaries of their own: `tests/umask.rs` sets the process-wide
//! umask to 000, so nothing else may run beside it, and `tests/latency.rs` is a
//! measurement run by hand that must not share the machine with other tests.

#[path = "../support/common.rs"]
mod common;
// Also used by tests/programs, which needs other parts of them.
#[allow(dead_code)]
#[path = "../support/fixtures.rs"]
mod fixtures;
#[allow(dead_code)]
#[path = "../support/rng.rs"]
mod rng;

mod builtin_workbook;
mod checkins;
mod conformance;
mod content_check;
mod couple;
mod damage;
mod export;
mod flows;
mod hostile_content;
mod markdown_export;
mod no_dead_ends;
mod passphrase_flows;
mod passphrase_strength;
mod plain;
mod readme;
mod screens;
mod search;
mod second_edition;
mod sizes;
mod support_lines;
mod trying;
mod typed_errors;
mod vault;
mod vault_cache;
mod vault_config;
mod vault_entries;
mod vault_trust;
mod vault_visibility;
mod who_sees_what;
mod workbooks;
