//! A pseudo-terminal for tests. It runs a program as a person would (in its own
//! session, with the terminal as its controlling terminal, through util-linux's
//! `setsid --ctty`), reads what it draws through a vt100 emulator, types keys, and
//! can close the terminal the way closing a window does. The test owns every copy of
//! the terminal's master side, so closing it really hangs the terminal up.
//!
//! Every byte the program writes is also kept, and the emulator keeps a scrollback, so
//! a test can ask what a person would still see in their terminal after the program
//! ended; the terminal's modes (echo, canonical input) are read from the pty itself.
//!
//! A test crate that uses this also declares `mod children` from `support/children.rs`.
//! A test's terminal is read by a thread of its own. The latency harness starts one
//! with [`Terminal::spawn_timed`] instead and reads it itself, so each chunk of output
//! is timed on arrival.

use std::ffi::OsStr;
use std::fs::OpenOptions;
use std::os::fd::OwnedFd;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{Termios, Winsize, tcgetattr, tcsetwinsize};

/// Generous: a hang guard, not a timing assertion.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Lines the emulator keeps above the screen, like a terminal window's scrollback.
const SCROLLBACK: usize = 10_000;

pub struct Terminal {
    master: Option<OwnedFd>,
    screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote to the terminal, in order.
    output: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
    child: Child,
}

impl Terminal {
    /// Starts `program` with `args` and `env` in a terminal of `size` (rows, columns),
    /// read by a thread of its own.
    pub fn spawn<I, S>(program: &OsStr, args: I, env: &[(&str, &str)], size: (u16, u16)) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let setup = |cmd: &mut Command| {
            for (key, value) in env {
                cmd.env(key, value);
            }
        };
        let (mut terminal, _) = Self::spawn_timed(program, args, size, setup);
        let fd = terminal.master.as_ref().unwrap().try_clone().unwrap();
        let (sink, log, stopping) = (
            Arc::clone(&terminal.screen),
            Arc::clone(&terminal.output),
            Arc::clone(&terminal.stop),
        );
        terminal.reader = Some(thread::spawn(move || {
            read_until_stopped(&fd, &sink, &log, &stopping);
        }));
        terminal
    }

    /// Starts `program` like [`Self::spawn`], but nothing reads the terminal until the
    /// caller does, with [`Self::read_some`], so each chunk is timed as it arrives.
    /// `setup` sets the program's environment. Also returns the moment just before the
    /// program was started.
    pub fn spawn_timed<I, S>(
        program: &OsStr,
        args: I,
        size: (u16, u16),
        setup: impl FnOnce(&mut Command),
    ) -> (Self, Instant)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let (rows, cols) = size;
        let master =
            openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        tcsetwinsize(
            &master,
            Winsize {
                ws_row: rows,
                ws_col: cols,
                ws_xpixel: 0,
                ws_ypixel: 0,
            },
        )
        .unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let slave = OpenOptions::new()
            .read(true)
            .write(true)
            .open(name.to_str().unwrap())
            .unwrap();
        let mut cmd = Command::new("setsid");
        cmd.args(["--ctty", "--wait"])
            .arg(program)
            .args(args)
            .env("TERM", "xterm-256color")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        setup(&mut cmd);
        // Started the way every child in a test binary is (see `children.rs`).
        let (child, started) = super::children::starting(|| {
            let started = Instant::now();
            (cmd.spawn(), started)
        });
        let child = child.expect("setsid (util-linux) runs the program");
        drop(cmd);
        let terminal = Self {
            master: Some(master),
            screen: Arc::new(Mutex::new(vt100::Parser::new(rows, cols, SCROLLBACK))),
            output: Arc::new(Mutex::new(Vec::new())),
            reader: None,
            stop: Arc::new(AtomicBool::new(false)),
            child,
        };
        (terminal, started)
    }

    /// For a terminal from [`Self::spawn_timed`]: reads what the program wrote (waiting
    /// up to `wait` for something) into the screen and [`Self::output`]; returns the
    /// moment it arrived, or `None` if nothing did.
    pub fn read_some(&mut self, wait: Duration) -> Option<Instant> {
        assert!(
            self.reader.is_none(),
            "read_some is for a terminal from spawn_timed; this one has a reader"
        );
        let master = self.master.as_ref().expect("the terminal is open");
        let mut buf = vec![0u8; 65536];
        let timeout = Timespec::try_from(wait).expect("a short wait");
        let mut fds = [PollFd::new(master, PollFlags::IN)];
        match poll(&mut fds, Some(&timeout)) {
            Ok(n) if n > 0 => match rustix::io::read(master, &mut buf) {
                Ok(n) if n > 0 => {
                    let at = Instant::now();
                    self.output.lock().unwrap().extend_from_slice(&buf[..n]);
                    self.screen.lock().unwrap().process(&buf[..n]);
                    Some(at)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// `look` at the screen as the emulator has it now.
    pub fn with_screen<R>(&self, look: impl FnOnce(&vt100::Screen) -> R) -> R {
        look(self.screen.lock().unwrap().screen())
    }

    /// `look` at every byte the program wrote so far, without copying them.
    pub fn with_output<R>(&self, look: impl FnOnce(&[u8]) -> R) -> R {
        look(&self.output.lock().unwrap())
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while !self.contents().contains(text) {
            assert!(
                start.elapsed() < PATIENCE,
                "waited for {text:?}; the screen shows:\n{}",
                self.contents()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `keys` that change the screen, and waits until it has changed: what is read
    /// next is the program's answer to them, never the screen from before.
    pub fn send_and_wait_for_change(&mut self, keys: &str) {
        let before = self.contents();
        self.send(keys);
        let start = Instant::now();
        while self.contents() == before {
            assert!(
                start.elapsed() < PATIENCE,
                "waited for {keys:?} to change the screen; it shows:\n{before}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Resizes the terminal, as dragging its window would: the program gets SIGWINCH
    /// and the emulator draws at the new size.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        let master = self.master.as_ref().expect("the terminal is open");
        self.screen
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
        tcsetwinsize(
            master,
            Winsize {
                ws_row: rows,
                ws_col: cols,
                ws_xpixel: 0,
                ws_ypixel: 0,
            },
        )
        .unwrap();
    }

    /// Waits until `text` is no longer on the screen.
    pub fn wait_until_gone(&self, text: &str) {
        let start = Instant::now();
        while self.contents().contains(text) {
            assert!(
                start.elapsed() < PATIENCE,
                "waited for {text:?} to go; the screen shows:\n{}",
                self.contents()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `keys`, then lets the program read them and redraw.
    pub fn send(&mut self, keys: &str) {
        self.type_now(keys);
        thread::sleep(Duration::from_millis(60));
    }

    /// Types `keys` and returns at once, for starting several programs together.
    pub fn type_now(&mut self, keys: &str) {
        self.type_bytes(keys.as_bytes());
    }

    /// Writes `keys` to the terminal as typed bytes and returns at once.
    pub fn type_bytes(&mut self, keys: &[u8]) {
        let master = self.master.as_ref().expect("the terminal is open");
        let mut rest = keys;
        while !rest.is_empty() {
            let n = rustix::io::write(master, rest).unwrap();
            rest = &rest[n..];
        }
    }

    /// Whether the program has ended (it is reaped if so); never waits.
    pub fn exited(&mut self) -> Option<bool> {
        self.child
            .try_wait()
            .unwrap()
            .map(|status| status.success())
    }

    /// Waits for the program to end, then for everything it wrote to be read, so the
    /// screen and [`Self::output`] show its last words (the program can exit before
    /// the reader has caught up with what it wrote on the way out). True when it ended
    /// successfully.
    pub fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.finish_reading();
                return status.success();
            }
            assert!(start.elapsed() < PATIENCE, "the program did not exit");
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Closes the terminal, as closing its window does.
    pub fn hang_up(&mut self) {
        self.close();
        // The reader notices within its poll timeout and closes its copy.
        thread::sleep(Duration::from_millis(200));
    }

    /// Closes the terminal and returns at once (for timing what follows).
    pub fn close(&mut self) -> Instant {
        self.stop.store(true, Ordering::Relaxed);
        self.master = None;
        Instant::now()
    }

    /// Whether the program has the alternate screen (a full-screen view) up.
    pub fn alternate_screen(&self) -> bool {
        self.screen.lock().unwrap().screen().alternate_screen()
    }

    /// Whether the program has hidden the cursor.
    pub fn cursor_hidden(&self) -> bool {
        self.screen.lock().unwrap().screen().hide_cursor()
    }

    /// Whether the program asked for pasted text to be bracketed.
    pub fn bracketed_paste(&self) -> bool {
        self.screen.lock().unwrap().screen().bracketed_paste()
    }

    /// The terminal's modes as the program left them (read through the master side,
    /// which reports the terminal's own settings).
    pub fn termios(&self) -> Termios {
        tcgetattr(self.master.as_ref().expect("the terminal is open")).unwrap()
    }

    /// After the program ended: waits until everything it wrote has been read, so the
    /// screen, the scrollback and [`Self::output`] are complete.
    pub fn finish_reading(&mut self) {
        assert!(
            self.child.try_wait().unwrap().is_some(),
            "finish_reading is for after the program ended"
        );
        if let Some(reader) = self.reader.take() {
            // With the program gone nobody holds the terminal's other side, so the
            // reader's next read fails and it returns.
            reader.join().unwrap();
        }
    }

    /// Every byte the program wrote to the terminal.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// What a person could still read in the terminal window: the whole scrollback
    /// and the screen (the normal one, once the program left the alternate screen).
    pub fn history_and_screen(&self) -> String {
        let mut parser = self.screen.lock().unwrap();
        let (_, cols) = parser.screen().size();
        parser.screen_mut().set_scrollback(usize::MAX);
        let depth = parser.screen().scrollback();
        let mut text = String::new();
        for offset in (1..=depth).rev() {
            parser.screen_mut().set_scrollback(offset);
            if let Some(top) = parser.screen().rows(0, cols).next() {
                text.push_str(&top);
                text.push('\n');
            }
        }
        parser.screen_mut().set_scrollback(0);
        text.push_str(&parser.screen().contents());
        text
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        // Never leave a program running after its test.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Feeds the terminal's output to the emulator until told to stop or the terminal
/// closes; polls with a short timeout so a stop is seen promptly.
fn read_until_stopped(
    fd: &OwnedFd,
    screen: &Mutex<vt100::Parser>,
    output: &Mutex<Vec<u8>>,
    stop: &AtomicBool,
) {
    let mut buf = [0u8; 4096];
    let timeout = Timespec {
        tv_sec: 0,
        tv_nsec: 50_000_000,
    };
    while !stop.load(Ordering::Relaxed) {
        let mut fds = [PollFd::new(fd, PollFlags::IN)];
        match poll(&mut fds, Some(&timeout)) {
            Ok(0) => {}
            Ok(_) => match rustix::io::read(fd, &mut buf) {
                Ok(n) if n > 0 => {
                    output.lock().unwrap().extend_from_slice(&buf[..n]);
                    screen.lock().unwrap().process(&buf[..n]);
                }
                _ => return,
            },
            Err(_) => return,
        }
    }
}
