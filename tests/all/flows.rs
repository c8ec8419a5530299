//! Whole flows as scripts of actions, against a real vault in a temp dir and with
//! every screen drawn into a test buffer: no terminal, no clock.

use chrono::TimeDelta;
use tempfile::TempDir;

use mend::app::{Action, Screen};

use crate::common::{PASS, Run, chars, edit_keys, screen, t0};

fn answer_every_kind(run: &mut Run) {
    run.act(Action::Select); // open the first exercise
    assert!(run.screen().contains("step 1 of 6"), "{}", run.screen());
    run.act(Action::Select); // the reflect step
    run.all(edit_keys("I hope we can talk again\nwithout shouting"));
    run.act(Action::Paste("and \u{1b}[31mlisten\u{202e}".to_owned()));
    run.act(Action::Next);
    run.act(Action::Right);
    run.act(Action::Digit(7));
    run.act(Action::Next);
    run.act(Action::Down);
    run.act(Action::Select); // single choice: Enter picks the highlighted option
    run.act(Action::Toggle);
    run.act(Action::Down);
    run.act(Action::Down);
    run.act(Action::Toggle);
    run.act(Action::Select);
    run.act(Action::Toggle);
    run.act(Action::Select);
    assert!(
        run.screen().contains("Press Enter to save it"),
        "{}",
        run.screen()
    );
    run.act(Action::Select);
}

#[test]
fn first_run_answer_every_kind_quit_unlock_and_read_it_back() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::start(&dir);
    assert!(run.screen().contains("Welcome"), "{}", run.screen());
    run.create_profile();
    assert!(matches!(run.app.screen(), Screen::Home(_)));
    answer_every_kind(&mut run);
    assert!(
        run.screen().contains("Saved and encrypted"),
        "{}",
        run.screen()
    );
    assert!(
        run.screen().contains("● Preparing to talk"),
        "the exercise shows as done:\n{}",
        run.screen()
    );
    run.act(Action::Quit);
    assert!(run.app.should_quit());
    drop(run);

    let mut run = Run::start(&dir);
    assert!(run.screen().contains("Who is here?"), "{}", run.screen());
    run.unlock(PASS);
    run.act(Action::History);
    assert!(
        run.screen().contains("Preparing to talk"),
        "{}",
        run.screen()
    );
    run.act(Action::Select);
    // Tall enough to hold the whole entry without scrolling.
    let page = screen(&run.app, 80, 60);
    for expected in [
        "What do you hope for",
        "I hope we can talk again",
        "without shouting",
        "7 on a scale from 0 (not at all) to 10 (completely)",
        "[x] In the evening",
        "[ ] In the morning",
        "[x] A walk",
        "[x] A cup of tea",
        "[ ] Music",
        "[x] Either of us can pause",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in\n{page}");
    }
    assert!(
        page.contains("without shoutingand listen") && !page.contains("[31m"),
        "pasted escape sequences and bidi overrides are stripped:\n{page}"
    );
}

#[test]
fn wrong_passphrase_says_so_and_lets_you_try_again() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.act(Action::Quit);
    drop(run);
    let mut run = Run::start(&dir);
    run.unlock("not it");
    assert!(matches!(run.app.screen(), Screen::Unlock(_)));
    assert!(run.screen().contains("did not open"), "{}", run.screen());
    run.unlock(PASS);
    assert!(matches!(run.app.screen(), Screen::Home(_)));
}

#[test]
fn quitting_mid_exercise_keeps_a_draft_you_can_continue() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    run.all(edit_keys("half a thought"));
    run.act(Action::Quit);
    drop(run);

    let mut run = Run::start(&dir);
    run.unlock(PASS);
    assert!(
        run.screen().contains("Continue: Preparing to talk"),
        "{}",
        run.screen()
    );
    assert!(
        run.screen().contains("◐ Preparing to talk"),
        "{}",
        run.screen()
    );
    run.act(Action::Continue);
    let page = run.screen();
    assert!(
        page.contains("step 2 of 6") && page.contains("half a thought"),
        "{page}"
    );
}

#[test]
fn back_and_next_lose_nothing_and_skip_and_not_ready_are_recorded() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    run.all(edit_keys("kept"));
    run.act(Action::Next);
    run.act(Action::Back);
    assert!(run.screen().contains("kept"), "{}", run.screen());
    run.act(Action::Next);
    run.act(Action::Skip);
    run.act(Action::NotReady);
    run.all([Action::Next, Action::Next, Action::Next, Action::Select]);
    run.act(Action::History);
    run.act(Action::Select);
    let page = run.screen();
    assert!(
        page.contains("(skipped)") && page.contains("(not ready yet)"),
        "{page}"
    );
}

#[test]
fn quick_hide_blanks_the_screen_forgets_the_keys_and_shows_nothing_private() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    run.all(edit_keys("a private thought"));
    run.act(Action::Hide);
    assert!(!run.shell.is_unlocked());
    assert!(run.app.session().is_none());
    let page = run.screen();
    assert!(
        !page.contains("private thought") && !page.contains("Sam") && !page.contains("mend"),
        "{page}"
    );
    run.act(Action::Select);
    assert!(run.screen().contains("Who is here?"), "{}", run.screen());
    run.unlock(PASS);
    run.act(Action::Continue);
    assert!(
        run.screen().contains("a private thought"),
        "the draft survived the hide"
    );
}

#[test]
fn idle_lock_saves_the_draft_and_locks() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    run.all(edit_keys("left alone"));
    run.act(Action::Tick);
    assert!(
        run.shell.is_unlocked(),
        "a tick before the timeout does not lock"
    );
    run.now += TimeDelta::minutes(5);
    run.act(Action::Tick);
    assert!(!run.shell.is_unlocked());
    assert!(
        run.screen().contains("Locked after 5 minutes"),
        "{}",
        run.screen()
    );
    run.unlock(PASS);
    run.act(Action::Continue);
    assert!(run.screen().contains("left alone"), "{}", run.screen());
}

#[test]
fn help_is_generated_from_the_key_table_for_the_screen_under_it() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    run.act(Action::Help);
    // Tall enough that nothing is scrolled away.
    let page = screen(&run.app, 100, 60);
    for binding in mend::keymap::bindings_for(mend::app::KeyContext::StepText) {
        assert!(
            page.contains(binding.long),
            "help lacks {:?}:\n{page}",
            binding.long
        );
    }
    assert!(
        page.contains("Ctrl-K") && page.contains("Skip this step"),
        "{page}"
    );
    run.act(Action::Cancel);
    assert!(run.app.overlay().is_none());
}

#[test]
fn long_text_says_there_is_more_and_scrolling_stops_at_the_end() {
    let dir = TempDir::new().unwrap();
    let long: Vec<String> = (1..=40)
        .map(|n| format!("Paragraph number {n} of the long text."))
        .collect();
    let mut book = crate::common::workbook();
    book.modules[0].exercises[0].steps[0].prompt = long.join("\n\n").into();
    let mut run = Run::start_with(&dir, vec![book]);
    run.create_profile();
    run.act(Action::Select);
    let page = run.screen();
    assert!(
        page.contains("Paragraph number 1 ") && page.contains("more below (line 15 of 79)"),
        "where the reader is, in lines: {page}"
    );
    // End and Home go to the ends at once.
    run.act(Action::End);
    assert!(
        run.screen().contains("that is the end (all 79 lines)"),
        "{}",
        run.screen()
    );
    run.act(Action::Home);
    assert_eq!(run.screen(), page, "Home is the top again");
    for _ in 0..500 {
        run.act(Action::Down);
    }
    let page = run.screen();
    assert!(
        page.contains("Paragraph number 40 ") && page.contains("that is the end"),
        "{page}"
    );
    run.act(Action::Up);
    assert!(
        run.screen().contains("more below"),
        "one Up from the end moves back at once"
    );
}

#[test]
fn a_paste_keeps_its_line_breaks_and_loses_its_escape_codes() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    // Terminals send a paste's line breaks as carriage returns.
    run.act(Action::Paste(
        "first pasted line\r\nsecond\rthird \u{1b}[2Jend".to_owned(),
    ));
    let page = run.screen();
    assert!(
        page.contains("│first pasted line ")
            && page.contains("│second")
            && page.contains("│third end"),
        "{page}"
    );
}

#[test]
fn the_unlocking_frame_is_drawn_before_the_key_is_derived() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.act(Action::Quit);
    drop(run);
    let mut run = Run::start(&dir);
    run.all(chars(PASS));
    let mut frames = Vec::new();
    run.shell
        .dispatch(&mut run.app, t0(), Action::Select, &mut |app| {
            frames.push(screen(app, 80, 24));
            Ok(())
        })
        .unwrap();
    assert_eq!(frames.len(), 1, "one frame is drawn before the slow step");
    assert!(frames[0].contains("Unlocking Sam…"), "{}", frames[0]);
    assert!(run.shell.is_unlocked(), "and then the key is derived");
}

#[test]
fn a_damaged_entry_is_reported_after_unlock_and_the_others_still_open() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    answer_every_kind(&mut run);
    run.act(Action::Select);
    run.act(Action::Next);
    run.all(edit_keys("second entry"));
    run.all([
        Action::Next,
        Action::Next,
        Action::Next,
        Action::Next,
        Action::Next,
        Action::Select,
    ]);
    run.act(Action::Quit);
    drop(run);
    let entries = dir.path().join("entries");
    let mut files: Vec<_> = std::fs::read_dir(&entries)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2);
    let mut bytes = std::fs::read(&files[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&files[0], bytes).unwrap();

    let mut run = Run::start(&dir);
    run.unlock(PASS);
    let page = run.screen();
    assert!(page.contains("Some files needed attention"), "{page}");
    assert!(
        page.contains("quarantine"),
        "the notice says where the file went:\n{page}"
    );
    run.act(Action::Cancel);
    run.act(Action::History);
    assert!(
        run.screen().contains("History: 1 entry"),
        "{}",
        run.screen()
    );
}

#[cfg(unix)]
#[test]
fn the_export_screen_previews_warns_and_writes_a_private_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let out_dir = TempDir::new().unwrap();
    let mut run = Run::start_exporting_to(&dir, vec![crate::common::workbook()], out_dir.path());
    run.create_profile();
    run.open_text_step();
    run.all(edit_keys("EXPORT-ME words"));
    run.all([
        Action::Next,
        Action::Next,
        Action::Next,
        Action::Next,
        Action::Next,
        Action::Select,
    ]);
    run.act(Action::Export);
    let wide = |run: &Run| screen(&run.app, 120, 40);
    assert!(
        !wide(&run).contains("EXPORT-ME"),
        "private answers stay out unless chosen:\n{}",
        wide(&run)
    );
    assert!(
        wide(&run).contains("· private") && wide(&run).contains("It holds none of your private"),
        "each entry says who can read it, and the preview what the file holds:\n{}",
        wide(&run)
    );
    // Format, Period, Trends, the module, the exercise, then the entry: tick it.
    run.all([
        Action::Down,
        Action::Down,
        Action::Down,
        Action::Down,
        Action::Down,
        Action::Toggle,
    ]);
    assert!(wide(&run).contains("EXPORT-ME words"), "{}", wide(&run));
    assert!(
        wide(&run).contains("It holds 1 of your private answers"),
        "{}",
        wide(&run)
    );
    // Leave it out again, then back in.
    run.act(Action::Toggle);
    assert!(
        !wide(&run).contains("EXPORT-ME"),
        "an unticked entry leaves the preview"
    );
    run.act(Action::Toggle);
    run.act(Action::PageDown);
    for _ in 0..20 {
        run.act(Action::Down);
    }
    run.act(Action::Select);
    let warning = wide(&run);
    assert!(
        warning.contains("will NOT be encrypted")
            && warning.contains("synced")
            && warning.contains("1 of your private answers"),
        "{warning}"
    );
    run.act(Action::Select);
    assert!(run.screen().contains("Wrote"), "{}", run.screen());
    let files: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        text.lines().next().unwrap().contains("not encrypted"),
        "{text}"
    );
    assert!(text.contains("EXPORT-ME words"));
    assert_eq!(
        std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_draft_the_disk_refuses_is_kept_and_quitting_waits_for_it() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    let person = run.app.person().unwrap().id.to_string();
    let drafts = dir.path().join("drafts").join(&person);
    run.open_text_step();
    run.all(edit_keys("words the disk refused"));
    // Make the person's drafts folder unwritable by putting a file in its place.
    let _ = std::fs::remove_dir_all(&drafts);
    std::fs::write(&drafts, "not a folder").unwrap();
    run.act(Action::Quit);
    assert!(
        !run.app.should_quit(),
        "quitting would lose the draft, so mend stays open"
    );
    assert!(
        run.screen().contains("could not be written yet"),
        "{}",
        run.screen()
    );
    // The disk is fixed; quitting again writes the draft and leaves.
    std::fs::remove_file(&drafts).unwrap();
    run.act(Action::Cancel);
    run.act(Action::Quit);
    assert!(run.app.should_quit());
    drop(run);
    let mut run = Run::start(&dir);
    run.unlock(PASS);
    run.act(Action::Continue);
    assert!(
        run.screen().contains("words the disk refused"),
        "{}",
        run.screen()
    );
}

#[test]
fn typing_1_then_0_on_a_0_to_10_scale_chooses_10() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    run.open_text_step();
    run.act(Action::Next);
    run.act(Action::Digit(1));
    assert!(run.screen().contains("You chose 1."), "{}", run.screen());
    run.act(Action::Digit(0));
    assert!(run.screen().contains("You chose 10."), "{}", run.screen());
    run.act(Action::Digit(7));
    assert!(
        run.screen().contains("You chose 7."),
        "a third digit starts again:\n{}",
        run.screen()
    );
    run.act(Action::Left);
    run.act(Action::Digit(0));
    assert!(run.screen().contains("You chose 0."), "{}", run.screen());
}

/// A first export from a fresh solo vault, as a new user makes it: "Preparing for a
/// session" answered (private, as every answer starts), then `e`, down to Write, and
/// confirm. Those answers are in the file without hunting for a setting, first, and the
/// screen said the file holds private answers.
#[test]
fn a_first_export_holds_the_session_preparation_and_says_it_is_private() {
    use mend::app::home::{HomeRow, rows};
    let dir = TempDir::new().unwrap();
    let out_dir = TempDir::new().unwrap();
    let book = mend::content::builtin();
    let mut run = Run::start_exporting_to(&dir, vec![book.clone()], out_dir.path());
    run.create_profile_to_the_offer();
    if matches!(run.app.screen(), Screen::ChooseRole(_)) {
        run.act(Action::Select);
    }
    run.decline_recovery_code();
    let session = run.app.session().unwrap();
    let row = rows(run.app.workbooks(), session)
        .into_iter()
        .filter(HomeRow::selectable)
        .position(|r| match r {
            HomeRow::Exercise {
                workbook,
                module,
                exercise,
                ..
            } => {
                book.modules[module].exercises[exercise].id.as_str() == "preparing-for-a-session"
                    && workbook == 0
            }
            _ => false,
        })
        .expect("the built-in workbook has it");
    run.all(std::iter::repeat_n(Action::Down, row));
    run.act(Action::Select);
    for n in 0..40 {
        let Screen::Step(step) = run.app.screen() else {
            break;
        };
        if step.is_closing_page() {
            run.act(Action::Select);
            break;
        }
        if matches!(
            step.step().map(|s| &s.kind),
            Some(mend::content::StepKind::Text { .. })
        ) {
            run.all(edit_keys(&format!("SESSION-WORDS-{n}")));
        }
        run.act(Action::Next);
    }
    assert!(
        run.screen().contains("Saved and encrypted"),
        "{}",
        run.screen()
    );
    run.act(Action::Export);
    let wide = |run: &Run| screen(&run.app, 120, 40);
    assert!(
        wide(&run).contains("SESSION-WORDS") && wide(&run).contains("It holds 1 of your private"),
        "ticked from the start, and said:\n{}",
        wide(&run)
    );
    for _ in 0..20 {
        run.act(Action::Down);
    }
    run.act(Action::Select);
    assert!(
        wide(&run).contains("1 of your private answers"),
        "{}",
        wide(&run)
    );
    run.act(Action::Select);
    assert!(run.screen().contains("Wrote"), "{}", run.screen());
    let file = std::fs::read_dir(out_dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(file).unwrap();
    let words = text
        .find("SESSION-WORDS")
        .expect("the session answers are in");
    let preparing = text
        .find("Preparing for a session")
        .expect("under their title");
    assert!(preparing < words, "{text}");
}

/// The export screen's choices feel like a form: ← and → move Format both ways, the
/// file name follows the format until the person edits it, and the file name edits
/// where its cursor is.
#[test]
fn the_export_choices_move_both_ways_and_the_file_name_edits_like_a_field() {
    use mend::app::export_screen::ExportState;
    use mend::export::Format;
    let dir = TempDir::new().unwrap();
    let out_dir = TempDir::new().unwrap();
    let mut run = Run::start_exporting_to(&dir, vec![crate::common::workbook()], out_dir.path());
    run.create_profile();
    run.act(Action::Export);
    let state = |run: &Run| -> (Format, String) {
        let Screen::Export(state) = run.app.screen() else {
            panic!("not on the export screen");
        };
        let state: &ExportState = state;
        (state.format, state.path.value().to_owned())
    };
    run.act(Action::Right);
    assert_eq!(state(&run).0, Format::Html);
    let extension = |run: &Run| {
        std::path::Path::new(&state(run).1)
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
    };
    assert_eq!(extension(&run).as_deref(), Some("html"));
    run.act(Action::Left);
    run.act(Action::Left);
    assert_eq!(state(&run).0, Format::Text, "← goes back, past the first");
    assert_eq!(extension(&run).as_deref(), Some("txt"));
    // Down to the file name (Format, Period, Trends, for whom, key, File): edit it.
    run.all(std::iter::repeat_n(Action::Down, 5));
    run.act(Action::Home);
    run.all(chars("x"));
    run.act(Action::Delete);
    run.act(Action::End);
    run.all(chars("-b"));
    let edited = state(&run).1;
    assert!(
        edited.starts_with('x') && edited.ends_with(".txt-b"),
        "{edited}"
    );
    // Edited: the name is the person's now, whatever the format.
    run.all(std::iter::repeat_n(Action::Up, 5));
    run.act(Action::Right);
    assert_eq!(state(&run).1, edited);
}

/// The folder of the last summary is remembered, in the encrypted profile: the next
/// export starts there, after locking and unlocking too.
#[test]
fn the_next_export_starts_in_the_folder_the_last_one_went_to() {
    let dir = TempDir::new().unwrap();
    let home = TempDir::new().unwrap();
    let chosen = home.path().join("for-counselling");
    std::fs::create_dir(&chosen).unwrap();
    let mut run = Run::start_exporting_to(&dir, vec![crate::common::workbook()], home.path());
    run.create_profile();
    run.act(Action::Export);
    let path_now = |run: &Run| match run.app.screen() {
        Screen::Export(state) => state.path.value().to_owned(),
        _ => panic!("not on the export screen"),
    };
    assert!(path_now(&run).starts_with(&*home.path().to_string_lossy()));
    // Format, Period, Trends, for whom, key, File: a name in the chosen folder.
    run.all(std::iter::repeat_n(Action::Down, 5));
    for _ in 0..path_now(&run).chars().count() {
        run.act(Action::Backspace);
    }
    run.all(chars(&chosen.join("first.md").to_string_lossy()));
    run.all([Action::Down, Action::Select, Action::Select]);
    assert!(chosen.join("first.md").exists(), "{}", run.screen());
    run.act(Action::Hide);
    run.act(Action::Select);
    run.unlock(PASS);
    run.act(Action::Export);
    let next = path_now(&run);
    assert!(
        next.starts_with(&*chosen.to_string_lossy()),
        "starts where the last one went: {next}"
    );
}

/// A counsellor's key on the export screen: checked as it is typed, the file written
/// `.age` and readable only with their key, and the key remembered for next time.
#[test]
fn the_export_screen_encrypts_to_a_counsellors_key() {
    let wide_now = |run: &Run| screen(&run.app, 120, 40);
    let dir = TempDir::new().unwrap();
    let out_dir = TempDir::new().unwrap();
    let counsellor = age::x25519::Identity::generate();
    let key = counsellor.to_public().to_string();
    let mut run = Run::start_exporting_to(&dir, vec![crate::common::workbook()], out_dir.path());
    run.create_profile();
    run.open_text_step();
    run.all(edit_keys("FOR-THE-COUNSELLOR words"));
    run.all(std::iter::repeat_n(Action::Next, 5));
    run.act(Action::Select);
    run.act(Action::Export);
    // Tick the entry (Format, Period, Trends, module, exercise, entry).
    run.all(std::iter::repeat_n(Action::Down, 5));
    run.act(Action::Toggle);
    // For whom: a name in the header. Then the counsellor's key row.
    run.act(Action::Down);
    run.all(chars("Dr Lee"));
    assert!(
        wide_now(&run).contains("Prepared for: Dr Lee"),
        "{}",
        wide_now(&run)
    );
    run.act(Action::Down);
    run.all(chars("age1oops"));
    let wide = |run: &Run| screen(&run.app, 120, 40);
    assert!(
        wide(&run).contains("not an age public key"),
        "{}",
        wide(&run)
    );
    for _ in 0.."age1oops".len() {
        run.act(Action::Backspace);
    }
    run.act(Action::Paste(key.clone()));
    assert!(
        !wide(&run).contains("not an age public key"),
        "{}",
        wide(&run)
    );
    run.all([Action::Down, Action::Down, Action::Select]);
    assert!(
        wide(&run).contains("encrypted to your counsellor"),
        "{}",
        wide(&run)
    );
    run.act(Action::Select);
    let files: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "age");
    let sealed = std::fs::read(&files[0]).unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("FOR-THE-COUNSELLOR"));
    let decryptor = age::Decryptor::new(&sealed[..]).unwrap();
    let mut reader = decryptor
        .decrypt(std::iter::once(&counsellor as &dyn age::Identity))
        .unwrap();
    let mut plain = String::new();
    std::io::Read::read_to_string(&mut reader, &mut plain).unwrap();
    assert!(plain.contains("FOR-THE-COUNSELLOR words"));
    assert!(plain.contains("Prepared for:** Dr Lee"), "{plain}");
    // Remembered: the next export has the key already.
    run.act(Action::Export);
    let Screen::Export(state) = run.app.screen() else {
        panic!("not on the export screen")
    };
    assert_eq!(state.recipient.value(), key);
}
