//! Child processes started from a test binary whose other tests hold vaults open.
//!
//! Starting a program forks this process, and until the child execs it holds a copy
//! of every file this process has open, a vault's lock among them. A test that closes
//! a vault and then opens it again, or starts a mend on it, at that moment finds it
//! "already open" (insta's one `cargo metadata` child did that to a test about once in
//! 30 runs). So every child in a test binary that starts programs is started here, one
//! at a time: `spawn` returns only once the child has exec'd (its copies closed), so a
//! start that waits its turn begins after every copy made before it is gone. A test
//! that closes a vault and opens it again in this process calls [`settle`] in between.
//! The pseudo-terminal (`pty.rs`) starts its programs through [`starting`] too.

use std::io;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};

static STARTING: Mutex<()> = Mutex::new(());

/// Held while a child is being started.
pub fn starting() -> MutexGuard<'static, ()> {
    STARTING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits until no child is halfway started: call it after closing a vault and before
/// this process opens the vault again.
pub fn settle() {
    drop(starting());
}

/// `Command::spawn` and `Command::output`, one child starting at a time.
pub trait Start {
    /// Starts the child with the stdio the caller set.
    fn start(&mut self) -> io::Result<Child>;

    /// Runs the child to its end as `output` does: stdin empty, stdout and stderr
    /// captured.
    fn run(&mut self) -> io::Result<Output>;
}

impl Start for Command {
    fn start(&mut self) -> io::Result<Child> {
        let _turn = starting();
        self.spawn()
    }

    fn run(&mut self) -> io::Result<Output> {
        self.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .start()?
            .wait_with_output()
    }
}

/// This test binary again, running only the ignored test `test` of the module at
/// `module_path` (its `module_path!()`), on one thread and with its output shown: a
/// child half of a test, found by name wherever the module sits.
pub fn this_test_binary(module_path: &str, test: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the test binary's path"));
    command.args([
        "--exact",
        &test_name(module_path, test),
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    command
}

/// The name libtest knows `test` by: its module path without the crate's name.
pub fn test_name(module_path: &str, test: &str) -> String {
    match module_path.split_once("::") {
        Some((_crate, module)) => format!("{module}::{test}"),
        None => test.to_owned(),
    }
}
