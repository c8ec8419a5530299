//! Promise 4: no plaintext leaks. One end-to-end test types a canary (random each run)
//! everywhere a person types: the passphrase, a check-in line, an exercise's answer,
//! an export's file name (then cancels the export), a search, and two drafts, one lost to an
//! injected panic and one kept through SIGTERM. Across the three runs mend has its own
//! HOME and TMPDIR. Afterwards the canary, in any letter case, is in no file under the
//! data dir, TMPDIR or HOME, and not in what the terminal still shows once mend has
//! gone: its scrollback, its normal screen, and every byte written outside the
//! alternate screen. Core dumps are off in every run.

use rustix::process::Signal;

use crate::rng::{Rng, Seed};
use crate::support::{
    self, ENTER, ESC, F12, Mend, Places, count_ignoring_case, create_profile_with,
    files_containing, files_under, open_a_text_step, tab_to_the_end_and_save, unlock_with,
};

const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";
const PAGE_DOWN: &str = "\x1b[6~";
const ENTER_ALTERNATE: &[u8] = b"\x1b[?1049h";
const LEAVE_ALTERNATE: &[u8] = b"\x1b[?1049l";

/// What the terminal kept of one run, once mend had gone.
struct Afterwards {
    /// Times the canary is in the scrollback and on the normal screen.
    in_scrollback: usize,
    /// Times it is in the bytes written outside the alternate screen.
    outside_alternate: usize,
    /// Times it is in all the bytes written: the control, showing the byte search can
    /// find it. Typed text is drawn a key at a time, so only whole redraws (a draft
    /// reopened, an export preview) put it in the stream in one piece; the emulator's
    /// screen and scrollback, which reassemble it, are the main check.
    anywhere: usize,
    core_dumps_off: bool,
}

/// The bytes a terminal shows on its normal screen: everything before mend takes the
/// alternate screen and after it gives it back.
fn outside_alternate(output: &[u8]) -> Vec<u8> {
    let mut outside = Vec::new();
    let mut rest = output;
    loop {
        let Some(enter) = find(rest, ENTER_ALTERNATE) else {
            outside.extend_from_slice(rest);
            return outside;
        };
        outside.extend_from_slice(&rest[..enter]);
        rest = &rest[enter..];
        let Some(leave) = find(rest, LEAVE_ALTERNATE) else {
            return outside;
        };
        rest = &rest[leave + LEAVE_ALTERNATE.len()..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Waits for mend to end, then reads what the terminal kept.
fn after_exit(mut mend: Mend, canary: &str, core_dumps_off: bool) -> Afterwards {
    mend.wait_exit();
    mend.finish_reading();
    assert!(!mend.alternate_screen(), "mend gave the screen back");
    let needle = canary.as_bytes();
    Afterwards {
        // Rows joined up, so a canary wrapped at the window's edge is still found.
        in_scrollback: count_ignoring_case(
            mend.history_and_screen().replace('\n', "").as_bytes(),
            needle,
        ),
        outside_alternate: count_ignoring_case(&outside_alternate(&mend.output()), needle),
        anywhere: count_ignoring_case(&mend.output(), needle),
        core_dumps_off,
    }
}

/// Read once mend shows its first screen: it turns core dumps off as it starts.
fn core_dumps_off(mend: &Mend) -> bool {
    support::core_limit(mend.pid()) == ["0", "0"]
}

/// Opens the export with the private answers in, types the canary into the file name,
/// goes as far as the "not encrypted" warning, and backs out to home.
fn export_and_cancel(mend: &mut Mend, canary: &str) {
    mend.send("e");
    mend.wait_for("What goes in");
    // Tick the first module's entries, the private ones too, so the preview shows
    // the canary: Format, Period, Trends, then the module.
    mend.send(&DOWN.repeat(3));
    mend.send(" ");
    mend.wait_for("of your private answers: anyone");
    mend.send(PAGE_DOWN);
    // The file name is the row above "Write the file…", the last row.
    mend.send(&DOWN.repeat(40));
    mend.send(UP);
    mend.send(&format!("-{canary}"));
    mend.wait_for(canary);
    mend.send(DOWN);
    mend.send(ENTER);
    mend.wait_for("Press Enter to write it");
    // One Esc at a time: two read together would be one Alt-Esc.
    mend.send(ESC);
    mend.wait_until_gone("Press Enter to write it");
    mend.send(ESC);
    mend.wait_for("Quick check-in");
}

#[test]
fn a_canary_typed_everywhere_is_found_nowhere_after_save_export_panic_and_sigterm() {
    let places = Places::new();
    // New each run, from the suite's seeded generator (printed with the figure).
    let seed = Seed::Fresh.get();
    let mut rng = Rng::new(seed);
    let canary = format!("canary-{:016x}{:016x}", rng.next_u64(), rng.next_u64());
    let passphrase = format!("walk {canary} by the river");
    let mut typed_into = Vec::new();
    let mut runs = Vec::new();

    // Run 1: create a profile, save a check-in and an exercise, cancel an export, and
    // panic with a draft on screen.
    let mut mend = places.start(&[("MEND_DEBUG_PANIC", "1")]);
    mend.wait_for("Welcome");
    let off = core_dumps_off(&mend);
    create_profile_with(&mut mend, "Robin", &passphrase);
    typed_into.push("passphrase");
    mend.wait_for("Robin · unlocked");
    open_a_text_step(&mut mend);
    mend.send(&format!("today {canary}"));
    mend.wait_for(&canary);
    typed_into.push("a check-in line");
    tab_to_the_end_and_save(&mut mend);

    mend.send(DOWN);
    open_a_text_step(&mut mend);
    assert!(
        !mend.contents().contains("Check-in ›"),
        "the second answer goes into an exercise"
    );
    mend.send(&format!("an answer {canary}"));
    mend.wait_for(&canary);
    typed_into.push("an exercise's answer");
    tab_to_the_end_and_save(&mut mend);

    export_and_cancel(&mut mend, &canary);
    typed_into.push("an export's file name");

    // A search for it finds both answers; one is read with its match marked.
    mend.send("/");
    mend.wait_for("Search:");
    mend.send(&canary);
    mend.wait_for("2 entries found");
    mend.send(ENTER);
    mend.wait_for("marked.");
    mend.send(ESC);
    mend.wait_for("2 entries found");
    mend.send(ESC);
    mend.wait_for("Quick check-in");
    typed_into.push("a search");

    mend.send(DOWN);
    open_a_text_step(&mut mend);
    mend.send(&format!("lost to a panic {canary}"));
    mend.wait_for(&format!("lost to a panic {canary}"));
    typed_into.push("a draft (then a panic)");
    mend.send(F12);
    runs.push(after_exit(mend, &canary, off));

    // Run 2: unlock, type into a draft, and be stopped by SIGTERM mid-typing.
    let mut mend = places.start(&[]);
    mend.wait_for("Who is here?");
    let off = core_dumps_off(&mend);
    unlock_with(&mut mend, &passphrase);
    mend.wait_for("Robin · unlocked");
    mend.send(DOWN);
    open_a_text_step(&mut mend);
    mend.send(&format!("kept through SIGTERM {canary}"));
    mend.wait_for(&format!("kept through SIGTERM {canary}"));
    typed_into.push("a draft (then SIGTERM)");
    // Mid-typing: more words are on their way when the signal comes.
    mend.type_now(" and then more words");
    support::signal(&mend, Signal::TERM);
    runs.push(after_exit(mend, &canary, off));

    // Run 3: the draft came through SIGTERM, encrypted; quit.
    let mut mend = places.start(&[]);
    mend.wait_for("Who is here?");
    let off = core_dumps_off(&mend);
    unlock_with(&mut mend, &passphrase);
    mend.wait_for("Continue:");
    mend.send("c");
    mend.wait_for(&format!("kept through SIGTERM {canary}"));
    mend.send(support::CTRL_C);
    runs.push(after_exit(mend, &canary, off));

    let folders = [places.data(), places.tmp(), places.home()];
    let files: usize = folders.iter().map(|f| files_under(f).len()).sum();
    let leaks: Vec<String> = folders
        .iter()
        .flat_map(|f| files_containing(f, canary.as_bytes()))
        .collect();
    let in_scrollback: usize = runs.iter().map(|r| r.in_scrollback).sum();
    let outside: usize = runs.iter().map(|r| r.outside_alternate).sum();
    let dumps_off = runs.iter().filter(|r| r.core_dumps_off).count();
    println!(
        "no plaintext: canary (seed {seed}) typed into {} places ({}) across {} runs (save, export cancel, panic, SIGTERM); found in {} of {files} files under data/tmp/home, {in_scrollback} times in scrollback or on screen after exit, {outside} times in output outside the alternate screen; core dumps off in {dumps_off} of {} runs",
        typed_into.len(),
        typed_into.join(", "),
        runs.len(),
        leaks.len(),
        runs.len(),
    );
    assert!(files > 0, "mend wrote its vault where the test looked");
    assert!(
        runs.iter().map(|r| r.anywhere).sum::<usize>() > 0,
        "mend drew the canary whole on the alternate screen, so the search can find it"
    );
    assert!(leaks.is_empty(), "the canary is in {leaks:?}");
    assert_eq!(in_scrollback, 0, "the canary is in the terminal after exit");
    assert_eq!(
        outside, 0,
        "the canary was written outside the alternate screen"
    );
    assert_eq!(dumps_off, runs.len(), "core dumps were on in a run");
}
