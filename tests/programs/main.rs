//! Every test that starts programs, linked as one binary: the real `mend` on the
//! command line and in a pseudo-terminal, the stock `age` tool, and this binary again
//! as the child half of a test (the writer `crash` kills, the passphrase changer
//! `passphrase` kills, the `disk_full` savers inside a namespace). One module per
//! former test file, under its old name; helpers are in `tests/support`.
//!
//! They share a binary of their own, apart from `tests/all`, because of what starting
//! a program does to the test process: until the child execs, it holds a copy of every
//! file the process has open, a vault's lock among them. So every child here starts
//! through `support/children.rs`, one at a time and only once the last has exec'd,
//! and a test that closes a vault and opens it again in this process settles first.
//! The in-process tests in `tests/all` close and reopen vaults inside the library too
//! often for that, so they start no programs at all.
//!
//! A child half is an ignored test, run by name with `--exact` (`children::
//! this_test_binary`), so it must be named with its module path: `crash::crash_child`.

// Unix only: pseudo-terminals, signals and Unix modes. Windows builds compile and lint the rest (see .ci/run).
#![cfg(unix)]

#[allow(dead_code)]
#[path = "../support/children.rs"]
mod children;
#[allow(dead_code)]
#[path = "../support/fixtures.rs"]
mod fixtures;
#[allow(dead_code)]
#[path = "../support/pty.rs"]
mod pty;
#[allow(dead_code)]
#[path = "../support/rng.rs"]
mod rng;
/// The real mend in a pseudo-terminal (`support/mend.rs`).
#[allow(dead_code)]
#[path = "../support/mend.rs"]
mod support;

mod cli;
mod crash;
mod disk_full;
mod e2e;
mod idle;
mod leaks;
mod one_writer;
mod passphrase;
mod passwd_cli;
mod plain;
mod restore;
mod stock_age;
mod trying;
