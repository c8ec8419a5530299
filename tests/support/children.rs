//! Child processes started from a test binary that also opens vaults itself.
//!
//! Starting a program forks this process, and the child holds a copy of every file
//! this process has open until it execs, a vault's lock among them (and a little past
//! `spawn` returning: the parent is let go before the kernel closes the child's
//! close-on-exec files). A vault this process closes and at once opens again, or hands
//! to a mend it starts, then looks "already open" (insta's one `cargo metadata` child
//! did that to a test about once in 30 runs). So the two never overlap here: a test
//! opens its vaults in this process under [`hold_starts`], and every child starts
//! through [`starting`] (or [`Start`]), which waits until no vault is open here and
//! lets one child start at a time. A child can then never hold a copy of a lock.

use std::cell::Cell;
use std::io;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

struct State {
    /// Vaults open in this process (guards held, on any thread).
    vaults_open: usize,
    /// Whether a child is being started now.
    starting: bool,
    /// Starts waiting for the vaults to close; new vaults wait for them.
    starts_waiting: usize,
}

static STATE: Mutex<State> = Mutex::new(State {
    vaults_open: 0,
    starting: false,
    starts_waiting: 0,
});
static CHANGED: Condvar = Condvar::new();

thread_local! {
    /// Guards this thread holds: it may open more vaults whatever waits.
    static HELD: Cell<usize> = const { Cell::new(0) };
}

fn lock_state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

fn wait(state: MutexGuard<'static, State>) -> MutexGuard<'static, State> {
    CHANGED.wait(state).unwrap_or_else(PoisonError::into_inner)
}

/// While this lives, no child process starts: hold it from before a test opens a
/// vault in this process until after it is closed.
#[must_use = "children may start as soon as it is dropped"]
pub struct HoldStarts(());

pub fn hold_starts() -> HoldStarts {
    let mut state = lock_state();
    if HELD.get() == 0 {
        while state.starting || state.starts_waiting > 0 {
            state = wait(state);
        }
    }
    state.vaults_open += 1;
    HELD.set(HELD.get() + 1);
    HoldStarts(())
}

impl Drop for HoldStarts {
    fn drop(&mut self) {
        let mut state = lock_state();
        state.vaults_open -= 1;
        HELD.set(HELD.get() - 1);
        CHANGED.notify_all();
    }
}

/// Runs `start` (which starts a child) once no vault is open in this process and no
/// other child is starting.
pub fn starting<R>(start: impl FnOnce() -> R) -> R {
    assert_eq!(
        HELD.get(),
        0,
        "a test started a program while holding a vault open in this process; close it \
         first (see children.rs)"
    );
    let mut state = lock_state();
    state.starts_waiting += 1;
    while state.vaults_open > 0 || state.starting {
        state = wait(state);
    }
    state.starts_waiting -= 1;
    state.starting = true;
    drop(state);
    let _done = StartDone;
    start()
}

/// Ends a start, even one that panicked, so the other tests go on.
struct StartDone;

impl Drop for StartDone {
    fn drop(&mut self) {
        lock_state().starting = false;
        CHANGED.notify_all();
    }
}

/// `Command::spawn` and `Command::output`, through [`starting`].
pub trait Start {
    /// Starts the child with the stdio the caller set.
    fn start(&mut self) -> io::Result<Child>;

    /// Runs the child to its end as `output` does: stdin empty, stdout and stderr
    /// captured.
    fn run(&mut self) -> io::Result<Output>;
}

impl Start for Command {
    fn start(&mut self) -> io::Result<Child> {
        starting(|| self.spawn())
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
