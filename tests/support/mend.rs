//! The real `mend` binary in a pseudo-terminal (see `pty.rs`), with the few moves
//! every end-to-end test makes: start it on a vault, create a profile, open a step
//! that takes typed text, and look for words in files. A test crate that uses this
//! also declares `mod pty` from `support/pty.rs`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::pty::Terminal;

pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const ESC: &str = "\x1b";
pub const CTRL_C: &str = "\x03";
/// Panics mend when `MEND_DEBUG_PANIC` is set (debug builds only).
pub const F12: &str = "\x1b[24~";
pub const PASS: &str = "a long walk by the river";

pub type Mend = Terminal;

/// The real mend on `data_dir`, at a low key-derivation cost, in a fresh terminal.
pub fn start(data_dir: &Path) -> Mend {
    start_with(data_dir, &[])
}

pub fn start_with(data_dir: &Path, env: &[(&str, &str)]) -> Mend {
    start_args(data_dir, &[], env)
}

/// `mend --data-dir DATA_DIR ARGS`, at a low key-derivation cost, in a fresh terminal.
pub fn start_args(data_dir: &Path, args: &[&OsStr], env: &[(&str, &str)]) -> Mend {
    let mut all = vec![("MEND_KDF_LOG_N", "10")];
    all.extend_from_slice(env);
    let mut command_line = vec![OsStr::new("--data-dir"), data_dir.as_os_str()];
    command_line.extend_from_slice(args);
    Mend::spawn(
        env!("CARGO_BIN_EXE_mend").as_ref(),
        command_line,
        &all,
        (ROWS, COLS),
    )
}

/// A vault folder with its own HOME and temp folder, so everything mend could write
/// anywhere lands somewhere the test can search (and nothing of the real HOME is
/// touched).
pub struct Places {
    pub root: tempfile::TempDir,
}

impl Places {
    pub fn new() -> Self {
        let places = Self {
            root: tempfile::TempDir::new().unwrap(),
        };
        for dir in [places.data(), places.home(), places.tmp()] {
            std::fs::create_dir_all(dir).unwrap();
        }
        places
    }

    pub fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    pub fn tmp(&self) -> PathBuf {
        self.root.path().join("tmp")
    }

    /// mend on this vault, with HOME, TMPDIR and the XDG folders pointing here.
    pub fn start(&self, extra: &[(&str, &str)]) -> Mend {
        self.run(&[], extra)
    }

    /// `mend ARGS` (after `--data-dir`), with HOME, TMPDIR and the XDG folders here.
    pub fn run(&self, args: &[&OsStr], extra: &[(&str, &str)]) -> Mend {
        let home = self.home().display().to_string();
        let tmp = self.tmp().display().to_string();
        let xdg: Vec<(String, String)> = [
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_DATA_HOME", ".local/share"),
            ("XDG_STATE_HOME", ".local/state"),
            ("XDG_CACHE_HOME", ".cache"),
        ]
        .into_iter()
        .map(|(key, sub)| (key.to_owned(), format!("{home}/{sub}")))
        .collect();
        let mut env = vec![("HOME", home.as_str()), ("TMPDIR", tmp.as_str())];
        env.extend(xdg.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        env.extend_from_slice(extra);
        start_args(&self.data(), args, &env)
    }
}

/// Every file under `dir` whose bytes contain `needle`, ignoring ASCII case.
pub fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|path| contains_ignoring_case(&std::fs::read(path).unwrap(), needle))
        .map(|path| path.display().to_string())
        .collect()
}

/// Every file (not folder) under `dir`, however deep; symlinks are not followed.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            found.extend(files_under(&path));
        } else if kind.is_file() {
            found.push(path);
        }
    }
    found
}

pub fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// How many times `needle` occurs in `haystack`, ignoring ASCII case.
pub fn count_ignoring_case(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| w.eq_ignore_ascii_case(needle))
        .count()
}

/// From the welcome, creates a profile called `name` with `passphrase`, preferring
/// not to say a role.
pub fn create_profile_with(mend: &mut Mend, name: &str, passphrase: &str) {
    mend.send(ENTER);
    mend.wait_for("Create your profile");
    mend.send(name);
    mend.send(ENTER);
    mend.send(passphrase);
    mend.send(ENTER);
    mend.send(passphrase);
    mend.send(ENTER);
    mend.wait_for("Prefer not to say");
    mend.send(ENTER);
    mend.wait_for("A recovery code");
    mend.send(ESC);
}

/// From the welcome, creates a profile called `name`, preferring not to say a role.
pub fn create_profile(mend: &mut Mend, name: &str) {
    create_profile_with(mend, name, PASS);
}

/// On the unlock screen, unlocks the person selected with `passphrase`.
pub fn unlock_with(mend: &mut Mend, passphrase: &str) {
    mend.wait_for("Who is here?");
    mend.send(passphrase);
    mend.send(ENTER);
}

/// Opens exercises in order, finishing any without a text step (home then moves to
/// the next one), until a step asks for typed text: whatever the content says.
pub fn open_a_text_step(mend: &mut Mend) {
    for _ in 0..40 {
        // Read the screen only once it answers this Enter: a stale closing page would
        // get a second Enter that opens the next exercise instead of saving.
        mend.send_and_wait_for_change(ENTER);
        if mend.contents().contains("Your answer") {
            return;
        }
        if mend.contents().contains("Press Enter to save it") {
            mend.send(ENTER);
            mend.wait_for("Saved and encrypted");
        }
    }
    panic!("no text step found; the screen shows:\n{}", mend.contents());
}

/// Tabs on (typing nothing more) until the exercise's last page, then saves it.
pub fn tab_to_the_end_and_save(mend: &mut Mend) {
    for _ in 0..20 {
        if mend.contents().contains("Press Enter to save it") {
            break;
        }
        mend.send_and_wait_for_change(TAB);
    }
    mend.wait_for("Press Enter to save it");
    mend.send(ENTER);
    mend.wait_for("Saved and encrypted");
}

/// The running process's core-dump limit, soft and hard, as the kernel lists it.
pub fn core_limit(pid: u32) -> Vec<String> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("the kernel lists the core limit");
    core.split_whitespace()
        .skip(4)
        .take(2)
        .map(str::to_owned)
        .collect()
}

/// Sends `signal` to the program in `mend` (setsid execs mend in place, so the child's
/// pid is mend's).
pub fn signal(mend: &Mend, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(i32::try_from(mend.pid()).unwrap()).unwrap();
    rustix::process::kill_process(pid, signal).unwrap();
}
