//! Promise 5: the terminal is always restored. The real binary runs in a pseudo-terminal;
//! a test takes it to each screen a person can reach, ends it there (an injected panic,
//! or any signal that can be caught: TERM, HUP, INT, QUIT, USR1, USR2, ALRM, PIPE), and then reads the terminal's own settings: echo and line editing
//! are back on, the alternate screen was left, the cursor shows, bracketed paste is off.
//! While mend runs the same reading shows echo off, so the check can tell the two apart.
//!
//! Closing the window (the pty hangs up) leaves no terminal to restore, so that ending
//! checks what still matters: mend exits cleanly, as on SIGHUP, and the vault is free
//! for the next start. Other errors (a full disk, a damaged file) are messages on a screen, not
//! endings. The "Unlocking…" frame is not in the list: it lasts a few milliseconds at
//! the test key cost, so no test can honestly say a signal arrived during it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use age::secrecy::SecretString;
use mend::vault::{KdfCost, Paths, Vault};
use rustix::process::Signal;
use rustix::termios::{InputModes, LocalModes, OutputModes};

use crate::children;
use crate::support::{
    self, COLS, CTRL_C, ENTER, ESC, F12, Mend, PASS, ROWS, TAB, open_a_text_step, start_with,
    tab_to_the_end_and_save, unlock_with,
};

/// How many cases run at once: most of a case is waiting for the screen.
const WORKERS: usize = 6;
const DOWN: &str = "\x1b[B";
const F1: &str = "\x1bOP";
const CTRL_L: &str = "\x0c";

/// Who is in the vault before mend starts.
#[derive(Clone, Copy)]
enum People {
    None,
    One,
    Two,
}

struct Place {
    name: &'static str,
    people: People,
    /// From the start of mend to this screen, waiting until it shows.
    reach: fn(&mut Mend),
}

#[derive(Clone, Copy, Debug)]
enum Ending {
    Panic,
    Signal(Signal),
}

/// A panic, and every signal that ends a program unless caught (SIGKILL and SIGSTOP
/// cannot be caught).
const ENDINGS: [Ending; 9] = [
    Ending::Panic,
    Ending::Signal(Signal::TERM),
    Ending::Signal(Signal::HUP),
    Ending::Signal(Signal::INT),
    Ending::Signal(Signal::QUIT),
    Ending::Signal(Signal::USR1),
    Ending::Signal(Signal::USR2),
    Ending::Signal(Signal::ALARM),
    Ending::Signal(Signal::PIPE),
];

/// Every screen a person can reach (the key table's contexts, less the "Unlocking…"
/// frame; see the module comment).
const PLACES: &[Place] = &[
    Place {
        name: "welcome",
        people: People::None,
        reach: |m| m.wait_for("Welcome"),
    },
    Place {
        name: "create profile (passphrase half typed)",
        people: People::None,
        reach: |m| {
            m.wait_for("Welcome");
            m.send(ENTER);
            m.wait_for("Create your profile");
            m.send("Robin");
            m.send(ENTER);
            m.send("half a pass");
        },
    },
    Place {
        name: "choose role",
        people: People::None,
        reach: to_role_choice,
    },
    Place {
        name: "recovery code offered",
        people: People::None,
        reach: to_recovery_offer,
    },
    Place {
        name: "recovery code shown",
        people: People::None,
        reach: |m| {
            to_recovery_offer(m);
            m.send(ENTER);
            m.wait_for("Your recovery code");
        },
    },
    Place {
        name: "recovery at unlock (code half typed)",
        people: People::One,
        reach: |m| {
            m.wait_for("Who is here?");
            m.send("\x12"); // Ctrl-R
            m.wait_for("Forgot your passphrase?");
            m.send("7KQ2");
        },
    },
    Place {
        name: "change passphrase (half typed)",
        people: People::One,
        reach: |m| {
            home(m);
            m.send("P");
            m.wait_for("Change your passphrase");
            m.send("half a pass");
        },
    },
    Place {
        name: "unlock (passphrase half typed)",
        people: People::One,
        reach: |m| {
            m.wait_for("Who is here?");
            m.send("half a pass");
        },
    },
    Place {
        name: "home",
        people: People::One,
        reach: home,
    },
    Place {
        name: "home of two",
        people: People::Two,
        reach: |m| {
            home(m);
            m.wait_for("hand over");
        },
    },
    Place {
        name: "partner note",
        people: People::One,
        reach: |m| {
            home(m);
            m.send("a");
            m.wait_for("Before you invite your partner");
        },
    },
    Place {
        name: "curtain",
        people: People::One,
        reach: |m| {
            home(m);
            m.send("a");
            m.wait_for("Before you invite your partner");
            m.send(ENTER);
            m.wait_for("Pass the keyboard to your partner");
        },
    },
    Place {
        name: "trends",
        people: People::One,
        reach: |m| {
            home(m);
            m.send("g");
            m.wait_for("Check-in trends");
        },
    },
    Place {
        name: "export",
        people: People::One,
        reach: |m| {
            home(m);
            m.send("e");
            m.wait_for("What goes in");
        },
    },
    Place {
        name: "export file name (typing)",
        people: People::One,
        reach: |m| {
            home(m);
            m.send("e");
            m.wait_for("What goes in");
            // Format, Period, Trends, for whom, the counsellor's key, then the file
            // name (no entries yet).
            m.send(&DOWN.repeat(5));
            m.send("-typed");
            m.wait_for("-typed");
        },
    },
    Place {
        name: "history",
        people: People::One,
        reach: |m| {
            home(m);
            m.send("h");
            m.wait_for("Nothing saved yet");
        },
    },
    Place {
        name: "reading an entry",
        people: People::One,
        reach: |m| {
            home(m);
            m.send(ENTER);
            m.wait_for("step 1 of 6");
            tab_to_the_end_and_save(m);
            m.send("h");
            m.wait_for("newest first");
            m.send(ENTER);
            m.wait_for("How much trust");
        },
    },
    Place {
        name: "text step (typing)",
        people: People::One,
        reach: |m| {
            home(m);
            open_a_text_step(m);
            m.send("half a thought");
            m.wait_for("half a thought");
        },
    },
    Place {
        name: "scale step",
        people: People::One,
        reach: |m| {
            home(m);
            m.send(ENTER);
            m.wait_for("step 1 of 6");
        },
    },
    Place {
        name: "reflect step",
        people: People::One,
        reach: reflect_step,
    },
    Place {
        name: "choice step",
        people: People::One,
        reach: |m| {
            reflect_step(m);
            m.send(&TAB.repeat(3));
            m.wait_for("step 4 of 4");
        },
    },
    Place {
        name: "last page of an exercise",
        people: People::One,
        reach: |m| {
            reflect_step(m);
            m.send(&TAB.repeat(4));
            m.wait_for("Press Enter to save it");
        },
    },
    Place {
        name: "hidden (quick hide)",
        people: People::One,
        reach: |m| {
            home(m);
            m.send(CTRL_L);
            m.wait_for("Press any key.");
        },
    },
    Place {
        name: "help overlay",
        people: People::One,
        reach: |m| {
            home(m);
            m.send(F1);
            m.wait_for("Help: keys here");
        },
    },
];

/// From the welcome, a new profile up to the role question.
fn to_role_choice(m: &mut Mend) {
    m.wait_for("Welcome");
    m.send(ENTER);
    m.wait_for("Create your profile");
    m.send("Robin");
    m.send(ENTER);
    m.send(PASS);
    m.send(ENTER);
    m.send(PASS);
    m.send(ENTER);
    m.wait_for("Prefer not to say");
}

/// From the welcome, a new profile up to the recovery code offered after it.
fn to_recovery_offer(m: &mut Mend) {
    to_role_choice(m);
    m.send(ENTER);
    m.wait_for("A recovery code: a second way in");
}

fn home(m: &mut Mend) {
    unlock_with(m, PASS);
    m.wait_for("Robin · unlocked");
}

/// The first exercise's first page, something to read.
fn reflect_step(m: &mut Mend) {
    home(m);
    m.send(DOWN);
    m.send(ENTER);
    m.wait_for("step 1 of 4");
}

/// A vault holding `people`, made through the library (cheap), at the key cost the
/// binary uses under `MEND_KDF_LOG_N=10`.
///
/// Make every vault before any mend starts: while this process holds a vault's lock,
/// a program it starts on another thread inherits the lock for an instant (between
/// fork and exec), and a mend started just then would rightly find the vault open.
fn make_vault(people: People) -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    // No child starts while this process has the vault open (see children.rs).
    let _no_starts = children::hold_starts();
    let mut vault = Vault::open(&Paths::at(dir.path()), KdfCost::for_tests(10)).unwrap();
    let names: &[&str] = match people {
        People::None => &[],
        People::One => &["Robin"],
        People::Two => &["Robin", "Alex"],
    };
    for name in names {
        vault
            .create_person(name, &SecretString::from(PASS.to_owned()))
            .unwrap();
    }
    drop(vault);
    dir
}

/// The terminal modes a shell needs, each as (name, is on).
fn modes(mend: &Mend) -> Vec<(&'static str, bool)> {
    let t = mend.termios();
    vec![
        ("ECHO", t.local_modes.contains(LocalModes::ECHO)),
        ("ICANON", t.local_modes.contains(LocalModes::ICANON)),
        ("ISIG", t.local_modes.contains(LocalModes::ISIG)),
        ("IEXTEN", t.local_modes.contains(LocalModes::IEXTEN)),
        ("ICRNL", t.input_modes.contains(InputModes::ICRNL)),
        ("OPOST", t.output_modes.contains(OutputModes::OPOST)),
    ]
}

/// Takes mend to `place`, ends it with `ending`, and says what is wrong with the
/// terminal afterwards (nothing, when restored).
fn end_at(place: &Place, ending: Ending, dir: &Path) -> Vec<String> {
    let mut mend = start_with(dir, &[("MEND_DEBUG_PANIC", "1")]);
    (place.reach)(&mut mend);
    let mut wrong = Vec::new();
    // The control: while mend runs, the same readings show a raw, full-screen terminal.
    if !mend.alternate_screen() {
        wrong.push("the alternate screen was not up while mend ran".to_owned());
    }
    if modes(&mend).iter().any(|(name, on)| *name == "ECHO" && *on) {
        wrong.push("echo was on while mend ran: the reading cannot be trusted".to_owned());
    }
    match ending {
        Ending::Panic => mend.send(F12),
        Ending::Signal(signal) => support::signal(&mend, signal),
    }
    let success = mend.wait_exit();
    if success == matches!(ending, Ending::Panic) {
        wrong.push(format!("exit success was {success}"));
    }
    mend.finish_reading();
    for (name, on) in modes(&mend) {
        if !on {
            wrong.push(format!("{name} is off"));
        }
    }
    if mend.alternate_screen() {
        wrong.push("the alternate screen is still up".to_owned());
    }
    if mend.cursor_hidden() {
        wrong.push("the cursor is hidden".to_owned());
    }
    if mend.bracketed_paste() {
        wrong.push("bracketed paste is still on".to_owned());
    }
    wrong
}

/// Closes the window at `place`; says what went wrong (nothing: mend exited cleanly
/// and the vault opens again).
fn close_window_at(place: &Place, dir: &Path) -> Vec<String> {
    let mut mend = start_with(dir, &[]);
    (place.reach)(&mut mend);
    mend.hang_up();
    let mut wrong = Vec::new();
    if !mend.wait_exit() {
        wrong.push("mend did not exit cleanly when its window closed".to_owned());
    }
    // Opening the vault takes its lock, so this proves the lock was let go (`mend
    // people` reads names without it). No child starts while it is held (children.rs).
    let _no_starts = children::hold_starts();
    if let Err(error) = Vault::open(&Paths::at(dir), KdfCost::for_tests(10)) {
        wrong.push(format!("the vault did not open again: {error}"));
    }
    wrong
}

/// Runs `check` on every case, `WORKERS` at a time; a panic (a screen that never
/// showed) counts as a failure with its message. Returns the failures.
fn run_all<C: Sync>(cases: &[C], check: impl Fn(&C) -> Vec<String> + Sync) -> Vec<String> {
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { return };
                    let wrong =
                        catch_unwind(AssertUnwindSafe(|| check(case))).unwrap_or_else(|panic| {
                            let message = panic
                                .downcast_ref::<String>()
                                .cloned()
                                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                                .unwrap_or_default();
                            vec![format!("the case did not run: {message}")]
                        });
                    if !wrong.is_empty() {
                        failures.lock().unwrap().push((i, wrong));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort_by_key(|(i, _)| *i);
    failures
        .into_iter()
        .map(|(i, wrong)| format!("case {i}: {}", wrong.join("; ")))
        .collect()
}

#[test]
fn the_terminal_is_restored_at_every_screen_after_a_panic_and_every_catchable_signal() {
    restored_at_every_screen(1);
}

/// The long run, each case five times:
/// `cargo test --test programs -- --ignored --nocapture restore::`.
#[test]
#[ignore = "about a minute"]
fn the_terminal_is_restored_at_every_screen_five_times_over() {
    restored_at_every_screen(5);
}

fn restored_at_every_screen(times: usize) {
    let cases: Vec<(&Place, Ending, tempfile::TempDir)> = (0..times)
        .flat_map(|_| PLACES.iter())
        .flat_map(|p| ENDINGS.iter().map(move |e| (p, *e, make_vault(p.people))))
        .collect();
    let failures = run_all(&cases, |(place, ending, dir)| {
        end_at(place, *ending, dir.path())
            .into_iter()
            .map(|w| format!("{} / {ending:?}: {w}", place.name))
            .collect()
    });
    let total = cases.len();
    println!(
        "terminal restored: {} screens x {} endings (panic, TERM, HUP, INT, QUIT, USR1, USR2, ALRM, PIPE) x {times} = {} of {total}",
        PLACES.len(),
        ENDINGS.len(),
        total - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn closing_the_window_at_every_screen_ends_mend_and_frees_the_vault() {
    let cases: Vec<(&Place, tempfile::TempDir)> =
        PLACES.iter().map(|p| (p, make_vault(p.people))).collect();
    let failures = run_all(&cases, |(place, dir)| {
        close_window_at(place, dir.path())
            .into_iter()
            .map(|w| format!("{}: {w}", place.name))
            .collect()
    });
    println!(
        "window closed: at {} screens, mend exited and the vault opened again {} of {}",
        PLACES.len(),
        PLACES.len() - failures.len(),
        PLACES.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `?` opens help on every kind of screen where keys do not type, in the real binary:
/// the couple's home, trends and the export among them (they used to ignore it).
#[test]
fn question_mark_opens_help_wherever_keys_do_not_type() {
    let dir = make_vault(People::Two);
    let mut m = start_with(dir.path(), &[]);
    home(&mut m);
    let help_then_back = |m: &mut Mend, screen: &str| {
        m.send("?");
        m.wait_for("Help: keys here");
        m.send(ESC);
        m.wait_until_gone("Help: keys here");
        let _ = screen;
    };
    help_then_back(&mut m, "the couple's home");
    for (key, shown, name) in [
        ("g", "Check-in trends", "trends"),
        ("e", "What goes in", "the export"),
        ("h", "Nothing saved yet", "history"),
    ] {
        m.send(key);
        m.wait_for(shown);
        help_then_back(&mut m, name);
        m.send(ESC);
        m.wait_for("Robin · unlocked");
    }
    m.send(ENTER);
    m.wait_for("step 1 of");
    help_then_back(&mut m, "a step with nothing to type");
    m.send(CTRL_C);
    assert!(m.wait_exit());
}

/// While the window is too small to draw, typed keys go nowhere unseen: a text step
/// shrunk to 40x12, typed into, and grown back holds nothing of it.
#[test]
fn a_window_too_small_to_draw_takes_no_keys() {
    let dir = make_vault(People::One);
    let mut m = start_with(dir.path(), &[]);
    home(&mut m);
    open_a_text_step(&mut m);
    m.resize(12, 40);
    m.wait_for("This window is 40×12");
    m.send("typed blind");
    m.send(TAB);
    m.resize(ROWS, COLS);
    m.wait_for("Your answer");
    assert!(!m.contents().contains("typed blind"), "{}", m.contents());
    m.send("seen");
    m.wait_for("seen");
    m.send(CTRL_C);
    assert!(m.wait_exit());
}
