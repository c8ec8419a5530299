//! The latency harness: the real binary in a pseudo-terminal, on the scale fixture
//! vaults, measured the way a person feels it. Not a test of correctness and never run
//! by `cargo test`; a binary of its own (not in `tests/programs`), so that nothing else
//! runs beside it while it measures. Run it (release build, so the figures mean
//! something) with
//!
//! ```sh
//! cargo test --release --test latency -- --ignored --nocapture
//! MEND_BENCH_MAX_N=100000 cargo test --release --test latency -- --ignored --nocapture
//! ```
//!
//! For each N (10, 100, 1,000, 10,000; 100,000 with `MEND_BENCH_MAX_N`; a couple's
//! vault, fixtures cached as for `cargo bench`) it prints:
//! - start to first complete frame (the unlock screen), from just before the process
//!   is spawned to the moment the bytes that finish that frame arrive, median and p90;
//! - unlock to home with the real work factor: from Enter after the passphrase to the
//!   last byte of the home frame (the key derivation included; N = 10 shows what the
//!   derivation alone costs);
//! - keypress to redrawn screen while moving on home, typing in a step (the check-in's
//!   line), moving and choosing on the export screen, scrolling down history, opening
//!   and closing an entry, and typing a search;
//! - idle: the share of a core mend uses while nobody types, on home and in history
//!   (every thread's time on a CPU from `/proc/<pid>/task/*/schedstat`, over 4 s);
//! - how long after its window is closed (the terminal hung up) mend has exited;
//! - `mend export` of everything, as a whole command (its key derivation included:
//!   N = 10 shows what that and starting cost);
//! - memory: `VmRSS` once home is shown (and 0.3 s later), after the typing and scrolling,
//!   and `VmHWM`, the peak (which includes the key derivation's 256 MiB by design);
//! - at the end, each keypress's median at the largest N over its median at the smallest.
//!
//! A frame is complete when ratatui's last write of a draw arrives: every draw ends by
//! hiding the cursor (`ESC[?25l`) or showing and placing it (`ESC[?25h` then `ESC[..H`).
//! The harness also checks the frame shows what it waits for. Each run works on a
//! hard-linked copy of the cached fixture (the vault only ever replaces files by
//! renaming, so the cache is never changed), since a session saves drafts.
//! A shell printing one line is measured the same way first, as the floor.

// Unix only: it drives a pseudo-terminal. Windows builds compile and lint the rest (see .ci/run).
#![cfg(unix)]

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use mend::vault::KdfCost;

#[path = "../benches/support/scale.rs"]
mod scale;

#[allow(dead_code)]
#[path = "support/pty.rs"]
mod pty;

#[allow(dead_code)]
#[path = "support/children.rs"]
mod children;

/// A hang guard, not a timing assertion (the first unlock of a fresh copy of the
/// 100,000-entry vault opens every file, which can take over a minute).
const PATIENCE: Duration = Duration::from_secs(300);
const ROWS: u16 = 24;
const COLS: u16 = 80;

/// A program in the shared pseudo-terminal (`support/pty.rs`), read on this thread
/// so each chunk of output is timed as it arrives.
struct Pty {
    terminal: pty::Terminal,
    /// How much output there was at the last [`Pty::mark`]: what came after it is
    /// searched for a frame's end.
    mark: usize,
}

impl Pty {
    fn spawn(program: &OsStr, args: &[&OsStr], env: &[(&str, &OsStr)]) -> (Self, Instant) {
        let setup = |cmd: &mut Command| {
            // mend's own figures, whatever the shell running the harness has set.
            cmd.env_remove("MEND_KDF_LOG_N").env_remove("MEND_DATA_DIR");
            for (key, value) in env {
                cmd.env(key, value);
            }
        };
        let (terminal, started) = pty::Terminal::spawn_timed(program, args, (ROWS, COLS), setup);
        (Self { terminal, mark: 0 }, started)
    }

    /// Reads what is there (waiting up to `wait`); returns when the last chunk arrived.
    fn read_some(&mut self, wait: Duration) -> Option<Instant> {
        self.terminal.read_some(wait)
    }

    /// Forgets what was read so far for frame ends (call just before sending a key).
    fn mark(&mut self) {
        self.mark = self.terminal.with_output(<[u8]>::len);
    }

    /// Whether the bytes since the mark hold the end of a ratatui draw.
    fn frame_ended(&self) -> bool {
        const HIDE: &[u8] = b"\x1b[?25l";
        const SHOW: &[u8] = b"\x1b[?25h";
        self.terminal.with_output(|output| {
            let bytes = &output[self.mark..];
            if bytes.ends_with(HIDE) {
                return true;
            }
            // Shown, then placed: ESC [ row ; col H, complete.
            let Some(at) = find_last(bytes, SHOW) else {
                return false;
            };
            // Nothing after it but that one sequence.
            let after = &bytes[at + SHOW.len()..];
            after.len() > 3
                && after.starts_with(b"\x1b[")
                && after.ends_with(b"H")
                && after[2..after.len() - 1]
                    .iter()
                    .all(|b| b.is_ascii_digit() || *b == b';')
        })
    }

    /// Reads until a draw has ended with `done` true of the screen; returns when the
    /// bytes that ended it arrived (or now, if the screen shows it already).
    fn until_frame(&mut self, what: &str, done: impl Fn(&vt100::Screen) -> bool) -> Instant {
        let start = Instant::now();
        // Already there: mend draws only when something changed, so no frame is coming.
        // (Every timed wait asks for a change from the screen before, so this returns
        // at once only where nothing is being timed.)
        if self.frame_ended() && self.terminal.with_screen(&done) {
            return start;
        }
        loop {
            if let Some(at) = self.read_some(Duration::from_millis(20))
                && self.frame_ended()
                && self.terminal.with_screen(&done)
            {
                return at;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "waited for {what}; the screen shows:\n{}",
                self.contents()
            );
        }
    }

    /// Reads whatever comes for `time` (nothing left unread before a key). Bounded: mend
    /// redraws at every tick (a quarter second), so output never stops for long.
    fn drain(&mut self, time: Duration) {
        let end = Instant::now() + time;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            self.read_some(left.min(Duration::from_millis(20)));
        }
    }

    /// Sends `keys`; returns the moment they were written.
    fn send(&mut self, keys: &[u8]) -> Instant {
        self.mark();
        let at = Instant::now();
        self.terminal.type_bytes(keys);
        at
    }

    fn contents(&self) -> String {
        self.terminal.contents()
    }

    fn formatted(&self) -> Vec<u8> {
        self.terminal.with_screen(vt100::Screen::contents_formatted)
    }

    fn cursor(&self) -> (u16, u16) {
        self.terminal.with_screen(vt100::Screen::cursor_position)
    }

    /// The process id of the program itself (setsid execs it in place when it need
    /// not fork; otherwise it is setsid's one child).
    fn program_pid(&self) -> u32 {
        let pid = self.terminal.pid();
        let comm = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() != "setsid" {
            return pid;
        }
        let children =
            fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        children
            .split_whitespace()
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or(pid)
    }

    /// A line of `/proc/<pid>/status` in MiB (e.g. `VmRSS`).
    fn memory_mib(&self, field: &str) -> f64 {
        let status =
            fs::read_to_string(format!("/proc/{}/status", self.program_pid())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }

    /// The share of one core (in %) the program used over `time`, all its threads.
    fn cpu_share(&mut self, time: Duration) -> f64 {
        let on_cpu = |pid: u32| -> u64 {
            fs::read_dir(format!("/proc/{pid}/task"))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|task| fs::read_to_string(task.path().join("schedstat")).ok())
                .filter_map(|line| line.split_whitespace().next()?.parse::<u64>().ok())
                .sum()
        };
        let pid = self.program_pid();
        let (before, start) = (on_cpu(pid), Instant::now());
        self.drain(time);
        let used = on_cpu(pid).saturating_sub(before);
        Duration::from_nanos(used).as_secs_f64() / start.elapsed().as_secs_f64() * 100.0
    }

    /// Closes the terminal (its window closed) and waits for mend to end: how long it
    /// took, in ms.
    fn hang_up(mut self) -> f64 {
        let closed = self.terminal.close();
        loop {
            if self.terminal.exited().is_some() {
                return ms(closed.elapsed());
            }
            assert!(closed.elapsed() < PATIENCE, "mend did not end on a hang-up");
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// Ctrl-C (quit from anywhere, drafts saved), then waits for the exit.
    fn quit(mut self) {
        self.send(b"\x03");
        let start = Instant::now();
        loop {
            self.drain(Duration::from_millis(5));
            if self.terminal.exited().is_some() {
                return;
            }
            assert!(start.elapsed() < PATIENCE, "mend did not quit");
        }
    }
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median and 90th percentile, in ms.
fn stats(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    // The nearest rank: index round(q * (n - 1)), in whole numbers.
    let at = |percent: usize| samples[((samples.len() - 1) * percent + 50) / 100];
    (at(50), at(90))
}

fn describe(samples: Vec<f64>) -> String {
    let n = samples.len();
    let (median, p90) = stats(samples);
    format!("median {median:.2} ms, p90 {p90:.2} ms ({n} samples)")
}

/// A copy of `from` made of hard links (folders made afresh, 0700 as the vault wants),
/// without the lock file: a lock is held on the file itself, so a linked one would be
/// shared with whoever has the cached fixture open (a running `cargo bench`).
fn link_copy(from: &Path, to: &Path) {
    fs::create_dir(to).unwrap();
    fs::set_permissions(to, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    for item in fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        let target = to.join(item.file_name());
        if item.file_name() == mend::vault::LOCK_FILE {
            continue;
        }
        if item.file_type().unwrap().is_dir() {
            link_copy(&item.path(), &target);
        } else {
            fs::hard_link(item.path(), &target).unwrap();
        }
    }
}

/// How many times each thing is measured (`MEND_LATENCY_RUNS` scales the start-ups).
fn runs() -> usize {
    std::env::var("MEND_LATENCY_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15)
}

struct Session<'a> {
    program: &'a OsStr,
    data: &'a Path,
    config: &'a Path,
}

impl Session<'_> {
    fn start(&self) -> (Pty, Instant) {
        Pty::spawn(
            self.program,
            &[OsStr::new("--data-dir"), self.data.as_os_str()],
            &[
                ("XDG_CONFIG_HOME", self.config.as_os_str()),
                ("HOME", self.config.as_os_str()),
            ],
        )
    }
}

impl Session<'_> {
    /// One unlock, not measured: a copy's files have new change times (linking sets
    /// them), so its first unlock opens every file and writes the person's cache, as
    /// the first unlock after building a vault does. Every later unlock is the
    /// everyday one measured.
    fn first_unlock(&self) {
        let (mut pty, _) = self.start();
        pty.until_frame("the unlock screen", on_unlock_screen);
        pty.send(scale::PASSPHRASES[0].as_bytes());
        pty.send(b"\r");
        pty.until_frame("home", on_home);
        pty.quit();
    }
}

fn on_unlock_screen(s: &vt100::Screen) -> bool {
    let text = s.contents();
    text.contains("Alex") && text.contains("Passphrase")
}

fn on_home(s: &vt100::Screen) -> bool {
    s.contents().contains("○ not started")
}

/// Starts to the unlock screen, each beside one of the shell's line, in turn, so what
/// the machine is doing meanwhile weighs on both alike: mend's, and the shell's.
fn first_frames(session: &Session) -> (Vec<f64>, Vec<f64>) {
    (0..runs())
        .map(|_| {
            let (mut pty, started) = session.start();
            let at = pty.until_frame("the unlock screen", on_unlock_screen);
            pty.quit();
            (ms(at - started), shell_line())
        })
        .unzip()
}

/// The shell printing one line, through the same harness: the floor for a first frame.
fn baseline() -> Vec<f64> {
    (0..runs()).map(|_| shell_line()).collect()
}

/// One start of the shell printing its line, to the line shown.
fn shell_line() -> f64 {
    let (mut pty, started) = Pty::spawn(
        OsStr::new("sh"),
        &[
            OsStr::new("-c"),
            OsStr::new("printf 'ready\\033[?25l'; sleep 1"),
        ],
        &[],
    );
    let at = pty.until_frame("the shell's line", |s| s.contents().contains("ready"));
    ms(at - started)
}

#[test]
#[ignore = "measures, slowly; run: cargo test --release --test latency -- --ignored --nocapture"]
fn latency_at_each_size() {
    if cfg!(debug_assertions) {
        println!("NOTE: this is a debug build of mend; run with --release for real figures.");
    }
    let program = OsStr::new(env!("CARGO_BIN_EXE_mend"));
    let config = tempfile::tempdir().unwrap();
    println!(
        "latency baseline: a shell printing one line, start to text: {}",
        describe(baseline())
    );
    let mut medians = Vec::new();
    for n in scale::sizes() {
        let mut spec = scale::Spec::new(n, true);
        // The real work factor, whatever MEND_KDF_LOG_N says.
        spec.kdf = KdfCost::release();
        let cached = scale::cached(&spec);
        let work = tempfile::tempdir().unwrap();
        let data = work.path().join("vault");
        link_copy(&cached, &data);
        let session = Session {
            program,
            data: &data,
            config: config.path(),
        };

        let (first, floor) = first_frames(&session);
        let above = stats(first.clone()).0 - stats(floor.clone()).0;
        println!(
            "latency N={n}: start to first complete frame: {}; the shell's line, in turn with it: {}; {above:+.2} ms",
            describe(first),
            describe(floor)
        );

        session.first_unlock();

        let mut unlock = Vec::new();
        let (mut rss_home, mut rss_settled, mut rss_after, mut hwm) = (0.0, 0.0, 0.0, 0.0);
        let mut keys: Vec<(&'static str, Vec<f64>)> = Vec::new();
        let (mut idle_home, mut idle_history, mut hang_up) = (0.0, 0.0, 0.0);
        let mut rss_search = 0.0;
        let unlock_runs = (runs() / 3).max(3);
        for run in 0..unlock_runs {
            let (mut pty, _) = session.start();
            pty.until_frame("the unlock screen", on_unlock_screen);
            pty.send(scale::PASSPHRASES[0].as_bytes());
            let mask = "•".repeat(scale::PASSPHRASES[0].chars().count());
            pty.until_frame("the passphrase typed", |s| s.contents().contains(&mask));
            pty.drain(Duration::from_millis(20));
            let enter = pty.send(b"\r");
            let home = pty.until_frame("home", on_home);
            unlock.push(ms(home - enter));
            if run != 0 {
                pty.quit();
                continue;
            }
            rss_home = pty.memory_mib("VmRSS");
            pty.drain(Duration::from_millis(300));
            rss_settled = pty.memory_mib("VmRSS");
            idle_home = pty.cpu_share(IDLE);
            keys.push(("moving on home", move_on_home(&mut pty)));
            keys.push(("typing in a step", type_in_checkin(&mut pty)));
            let (moving, ticking) = export_screen(&mut pty);
            keys.push(("moving on the export screen", moving));
            keys.push((
                "ticking a module on the export screen (its preview made after a pause)",
                ticking,
            ));
            keys.push(("scrolling history", scroll_history(&mut pty)));
            rss_after = pty.memory_mib("VmRSS");
            keys.push(("opening and closing an entry", open_and_close(&mut pty)));
            idle_history = pty.cpu_share(IDLE);
            keys.extend(search_from_history(&mut pty));
            rss_search = pty.memory_mib("VmRSS");
            hwm = pty.memory_mib("VmHWM");
            keys.push((
                "typing a search that finds a screen of results at every N (the query drawn)",
                search_a_screen_at_every_size(&mut pty),
            ));
            hang_up = pty.hang_up();
        }
        println!(
            "latency N={n}: unlock (real work factor) to home: {}",
            describe(unlock)
        );
        println!(
            "latency N={n}: mend export of everything, the whole command: {}",
            describe(export_command(program, &data, config.path(), unlock_runs))
        );
        for (what, samples) in &keys {
            println!(
                "latency N={n}: keypress to redraw, {what}: {}",
                describe(samples.clone())
            );
            medians.push((n, *what, stats(samples.clone()).0));
        }
        println!(
            "latency N={n}: idle: {idle_home:.2} % of a core on home, {idle_history:.2} % in history; window closed to exited: {hang_up:.1} ms"
        );
        println!(
            "latency N={n}: memory: VmRSS {rss_home:.1} MiB at home, {rss_settled:.1} MiB 0.3 s later, {rss_after:.1} MiB after typing and scrolling, {rss_search:.1} MiB after a search; peak VmHWM {hwm:.1} MiB"
        );
    }
    ratios(&medians);
}

/// `mend export` of everything as Alex, the whole command timed, `runs` times.
fn export_command(program: &OsStr, data: &Path, config: &Path, runs: usize) -> Vec<f64> {
    let work = tempfile::tempdir().unwrap();
    let passphrase = work.path().join("passphrase");
    fs::write(&passphrase, scale::PASSPHRASES[0]).unwrap();
    fs::set_permissions(
        &passphrase,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let out = work.path().join("summary.md");
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let done = Command::new(program)
                .arg("export")
                .arg("--data-dir")
                .arg(data)
                .args(["--person", scale::NAMES[0], "--include-private", "--force"])
                .arg("--passphrase-file")
                .arg(&passphrase)
                .arg("--out")
                .arg(&out)
                .env("XDG_CONFIG_HOME", config)
                .env("HOME", config)
                .env_remove("MEND_KDF_LOG_N")
                .env_remove("MEND_DATA_DIR")
                .output()
                .unwrap();
            let took = ms(start.elapsed());
            assert!(
                done.status.success(),
                "mend export failed: {}",
                String::from_utf8_lossy(&done.stderr)
            );
            took
        })
        .collect()
}

/// How long nobody types while idle CPU is read.
const IDLE: Duration = Duration::from_secs(4);

/// Each keypress's median at the largest N over its median at the smallest.
fn ratios(medians: &[(usize, &str, f64)]) {
    let (Some(small), Some(large)) = (
        medians.iter().map(|m| m.0).min(),
        medians.iter().map(|m| m.0).max(),
    ) else {
        return;
    };
    for (n, what, median) in medians.iter().filter(|m| m.0 == large) {
        if let Some((_, _, base)) = medians.iter().find(|m| m.0 == small && m.1 == *what) {
            println!(
                "latency ratio N={n} / N={small}: {what}: {median:.2} ms / {base:.2} ms = {:.2}",
                median / base
            );
        }
    }
}

/// From home: the export screen, 20 moves down and up its list, then 20 presses of
/// Space (in and out, in turn, on the first module's row) that change what goes in;
/// then back home.
fn export_screen(pty: &mut Pty) -> (Vec<f64>, Vec<f64>) {
    pty.drain(Duration::from_millis(20));
    pty.send(b"e");
    pty.until_frame("the export screen", |s| {
        s.contents().contains("What goes in")
    });
    pty.drain(Duration::from_millis(20));
    let moving = (0..20)
        .map(|i| press(pty, if i % 2 == 0 { b"\x1b[B" } else { b"\x1b[A" }))
        .collect();
    // Down to a row that Space includes or leaves out.
    for _ in 0..3 {
        press(pty, b"\x1b[B");
    }
    let ticking = (0..20).map(|_| press(pty, b" ")).collect();
    pty.send(b"\x1b");
    pty.until_frame("home", on_home);
    (moving, ticking)
}

/// One key that changes the screen: how long until it is redrawn, in ms.
fn press(pty: &mut Pty, bytes: &[u8]) -> f64 {
    let before = pty.formatted();
    let sent = pty.send(bytes);
    let at = pty.until_frame("the screen changed", |s| s.contents_formatted() != before);
    pty.drain(Duration::from_millis(5));
    ms(at - sent)
}

/// In history: Home, then Enter opens the newest entry and Esc closes it, 20 each.
fn open_and_close(pty: &mut Pty) -> Vec<f64> {
    // Home: the newest entry, the same at every N (see the fixture).
    pty.send(b"\x1b[H");
    pty.drain(Duration::from_millis(50));
    let mut samples = Vec::new();
    for i in 0..40 {
        samples.push(press(pty, if i % 2 == 0 { b"\r" } else { b"\x1b" }));
    }
    pty.until_frame("history", |s| s.contents().contains("History:"));
    samples
}

/// Down and up the home list, 40 keys.
fn move_on_home(pty: &mut Pty) -> Vec<f64> {
    pty.drain(Duration::from_millis(20));
    (0..40)
        .map(|i| {
            let before = pty.formatted();
            let sent = pty.send(if i % 2 == 0 { b"\x1b[B" } else { b"\x1b[A" });
            let at = pty.until_frame("the highlight moved", |s| s.contents_formatted() != before);
            pty.drain(Duration::from_millis(5));
            ms(at - sent)
        })
        .collect()
}

/// From home: the check-in (below Continue), on to its text line, then 100 keys.
fn type_in_checkin(pty: &mut Pty) -> Vec<f64> {
    let key = |pty: &mut Pty, bytes: &[u8], what: &str| {
        let before = pty.formatted();
        pty.send(bytes);
        pty.until_frame(what, |s| s.contents_formatted() != before);
        pty.drain(Duration::from_millis(10));
    };
    if pty.contents().contains("Continue") {
        key(pty, b"\x1b[B", "the check-in highlighted");
    }
    key(pty, b"\r", "the check-in");
    for _ in 0..10 {
        if pty.contents().contains("One line about today") {
            break;
        }
        key(pty, b"\t", "the next step");
    }
    // 60 letters (the line's box is 74 wide, so the text never scrolls sideways), then
    // 40 backspaces: a keypress redraws the line and moves the cursor.
    let words = "a steadier day than yesterday and a good walk in the evening";
    let keys = words
        .bytes()
        .map(|b| vec![b])
        .chain(std::iter::repeat_n(vec![0x7f], 40));
    let mut samples = Vec::new();
    for bytes in keys {
        let (cursor, before) = (pty.cursor(), pty.formatted());
        let sent = pty.send(&bytes);
        let at = pty.until_frame("the typed letter", |s| {
            s.cursor_position() != cursor || s.contents_formatted() != before
        });
        samples.push(ms(at - sent));
        pty.drain(Duration::from_millis(5));
    }
    // Back home; the typed line stays as a draft in this copy of the vault.
    key(pty, b"\x1b", "home");
    pty.until_frame("home", on_home);
    samples
}

/// History, then down the list one entry at a time (up to 150 keys).
fn scroll_history(pty: &mut Pty) -> Vec<f64> {
    pty.drain(Duration::from_millis(50));
    pty.send(b"h");
    pty.until_frame("history", |s| s.contents().contains("History:"));
    pty.drain(Duration::from_millis(20));
    let count: usize = pty
        .contents()
        .split("History: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(2);
    let mut samples = Vec::new();
    for _ in 0..count.saturating_sub(1).min(150) {
        let before = pty.formatted();
        let sent = pty.send(b"\x1b[B");
        let at = pty.until_frame("the next entry", |s| s.contents_formatted() != before);
        samples.push(ms(at - sent));
        pty.drain(Duration::from_millis(5));
    }
    samples
}

/// From the search screen: back to history, then `last:36500` (every entry written in
/// a hundred years) searched, and 40 keys that take off its last digit and put it back
/// (`last:3650` leaves out only the oldest), each timed to the frame that shows it. Both
/// fill the screen with results from N = 10 on, where "walk evening" finds nothing: what
/// a key costs is then compared with the same screen drawn at every N.
fn search_a_screen_at_every_size(pty: &mut Pty) -> Vec<f64> {
    pty.drain(Duration::from_millis(20));
    pty.send(b"\x1b");
    pty.until_frame("history", |s| s.contents().contains("History:"));
    search_keys(pty, "last:36500", [b"\x7f", b"0"]).0
}

/// Whether the search screen shows what it found, or that it found nothing, and has
/// stopped looking.
fn searched(s: &vt100::Screen) -> bool {
    let c = s.contents();
    c.contains("found") && !c.contains("Searching")
}

/// From history, `/` and `query`; then 40 keys, `keys` in turn, each timed twice: to
/// the frame that shows it typed, and to the frame with its results (a large journal is
/// looked through between keys, "Searching…" shown meanwhile).
fn search_keys(pty: &mut Pty, query: &str, keys: [&[u8]; 2]) -> (Vec<f64>, Vec<f64>) {
    pty.drain(Duration::from_millis(20));
    pty.send(b"/");
    pty.until_frame("the search line", |s| s.contents().contains("Search:"));
    pty.send(query.as_bytes());
    pty.until_frame("the query typed", |s| s.contents().contains(query));
    // The first search builds what search looks through; the keys after it are the
    // everyday cost.
    pty.until_frame("the results", searched);
    pty.drain(Duration::from_millis(50));
    let (mut typed, mut found) = (Vec::new(), Vec::new());
    for i in 0..40 {
        let before = pty.formatted();
        let sent = pty.send(keys[i % 2]);
        let at = pty.until_frame("the query changed", |s| s.contents_formatted() != before);
        typed.push(ms(at - sent));
        // The frame that showed the key may have shown its results too.
        let at = if pty.terminal.with_screen(searched) {
            at
        } else {
            pty.until_frame("its results", searched)
        };
        found.push(ms(at - sent));
        pty.drain(Duration::from_millis(5));
    }
    (typed, found)
}

/// From history, "walk evenin" searched; then a letter and a backspace in turn, 40
/// keys, each matched again over every entry and drawn (see [`search_keys`]).
fn search_from_history(pty: &mut Pty) -> [(&'static str, Vec<f64>); 2] {
    let (typed, found) = search_keys(pty, "walk evenin", [b"g", b"\x7f"]);
    [
        ("typing a search (the query drawn)", typed),
        ("typing a search, to its results drawn", found),
    ]
}
