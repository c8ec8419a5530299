//! Two partners at one keyboard: adding a partner, taking turns, revealing together
//! answers and the side-by-side view, and that one partner's private words never
//! reach a screen drawn for the other.

use mend::app::{Action, Screen};
use mend::content::{Mode, Workbook};
use tempfile::TempDir;

use crate::common::{self, PASS, Run, chars, edit_keys, flowing, workbook};
use crate::fixtures;

const ALEX_PASS: &str = "a different passphrase entirely";

fn couple_workbook() -> Workbook {
    let mut wb = workbook();
    wb.modules[0].exercises[1].mode = Mode::Together;
    wb
}

/// Acts and keeps every screen drawn, for the privacy assertions.
fn act_seen(run: &mut Run, seen: &mut Vec<String>, actions: impl IntoIterator<Item = Action>) {
    for action in actions {
        run.act(action);
        seen.push(run.screen());
    }
}

/// From home, answers the second (together) exercise with `words` and saves it.
fn answer_together(run: &mut Run, seen: &mut Vec<String>, words: &str) {
    act_seen(run, seen, [Action::PageDown, Action::Select]);
    act_seen(run, seen, edit_keys(words));
    act_seen(run, seen, [Action::Next, Action::Select]);
}

/// From home, opens the newest entry in history and shares (reveals) it.
fn reveal_newest(run: &mut Run, seen: &mut Vec<String>) {
    act_seen(
        run,
        seen,
        [Action::History, Action::Select, Action::ToggleVisibility],
    );
    // Sharing asks first, naming who will be able to read it.
    assert!(
        run.screen().contains("Share it?"),
        "sharing asks first:\n{}",
        run.screen()
    );
    act_seen(run, seen, [Action::Select]);
}

/// Sam invites Alex: a private note, then the curtain, then Alex's own note and profile.
fn invite_and_join(run: &mut Run, sams_screens: &mut Vec<String>, alexs_screens: &mut Vec<String>) {
    act_seen(run, sams_screens, [Action::AddPartner]);
    assert!(
        run.screen().contains("Before you invite your partner"),
        "{}",
        run.screen()
    );
    assert!(
        flowing(&run.screen()).contains("or fear you might"),
        "the inviter is told where to go if they are the danger: {}",
        run.screen()
    );
    run.act(Action::Select);
    assert!(
        !run.shell.is_unlocked(),
        "Sam's keys are gone before Alex touches the keyboard"
    );
    assert!(
        run.screen().contains("Pass the keyboard to your partner"),
        "{}",
        run.screen()
    );
    act_seen(run, alexs_screens, [Action::Select]);
    assert!(
        run.screen().contains("If you are afraid of your partner")
            && flowing(&run.screen()).contains("or fear you might"),
        "{}",
        run.screen()
    );
    act_seen(run, alexs_screens, [Action::Select]);
    act_seen(run, alexs_screens, chars("Alex"));
    act_seen(run, alexs_screens, [Action::Select]);
    act_seen(run, alexs_screens, chars(ALEX_PASS));
    act_seen(run, alexs_screens, [Action::Select]);
    act_seen(run, alexs_screens, chars(ALEX_PASS));
    act_seen(run, alexs_screens, [Action::Select]);
    assert!(run.screen().contains("A recovery code"), "{}", run.screen());
    act_seen(run, alexs_screens, [Action::Cancel]);
    assert!(run.screen().contains("Alex · unlocked"), "{}", run.screen());
}

/// Alex hands over; Sam unlocks.
fn hand_over_to_sam(run: &mut Run, alexs_screens: &mut Vec<String>) {
    act_seen(run, alexs_screens, [Action::HandOver]);
    assert!(!run.shell.is_unlocked());
    assert!(
        run.screen().contains("Pass the keyboard to Sam"),
        "{}",
        run.screen()
    );
    run.act(Action::Select);
    assert!(matches!(run.app.screen(), Screen::Unlock(_)));
    run.unlock(PASS);
    assert!(run.screen().contains("Sam · unlocked"), "{}", run.screen());
    assert!(
        run.screen().contains("your turn"),
        "Sam sees the exercise waits on them:\n{}",
        run.screen()
    );
}

#[test]
fn a_couple_takes_turns_reveals_and_sees_both_answers_side_by_side() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::start_with(&dir, vec![couple_workbook()]);
    let mut sams_screens = Vec::new();
    let mut alexs_screens = Vec::new();

    // Sam: a private entry Alex must never see, then the together exercise.
    run.create_profile();
    act_seen(
        &mut run,
        &mut sams_screens,
        [Action::Select, Action::Select],
    );
    act_seen(
        &mut run,
        &mut sams_screens,
        edit_keys("SAM-PRIVATE-never-for-alex"),
    );
    act_seen(
        &mut run,
        &mut sams_screens,
        [
            Action::Next,
            Action::Next,
            Action::Next,
            Action::Next,
            Action::Next,
            Action::Select,
        ],
    );
    answer_together(&mut run, &mut sams_screens, "Sam hears you");

    invite_and_join(&mut run, &mut sams_screens, &mut alexs_screens);

    // Alex answers the together exercise and reveals it.
    answer_together(&mut run, &mut alexs_screens, "Alex hears you too");
    reveal_newest(&mut run, &mut alexs_screens);
    assert!(
        run.screen().contains("Shared: Sam can now read"),
        "{}",
        run.screen()
    );
    act_seen(
        &mut run,
        &mut alexs_screens,
        [Action::Cancel, Action::Cancel],
    );
    assert!(
        run.screen().contains("waiting"),
        "Alex waits on Sam:\n{}",
        run.screen()
    );

    hand_over_to_sam(&mut run, &mut alexs_screens);

    // Sam reveals; the side-by-side view shows both.
    act_seen(&mut run, &mut sams_screens, [Action::History]);
    let history = run.screen();
    assert!(history.contains("by Alex"), "{history}");
    // Sam's own together entry is the newest of Sam's; Alex's shared one is newer still.
    act_seen(
        &mut run,
        &mut sams_screens,
        [
            Action::Down,
            Action::Select,
            Action::ToggleVisibility,
            Action::Select,
        ],
    );
    let page = common::screen(&run.app, 100, 40);
    assert!(
        page.contains("Sam hears you") && page.contains("Alex hears you too"),
        "{page}"
    );
    assert!(page.contains("Side by side"), "{page}");
    insta::assert_snapshot!("side_by_side_80x24", common::screen(&run.app, 80, 24));

    // Back to Alex, who now sees both too.
    act_seen(
        &mut run,
        &mut sams_screens,
        [
            Action::Cancel,
            Action::Cancel,
            Action::HandOver,
            Action::Select,
        ],
    );
    run.all(chars(ALEX_PASS));
    run.act(Action::Select);
    act_seen(
        &mut run,
        &mut alexs_screens,
        [Action::History, Action::Select],
    );
    let page = common::screen(&run.app, 100, 40);
    assert!(
        page.contains("Sam hears you") && page.contains("Alex hears you too"),
        "{page}"
    );
    alexs_screens.push(page);

    for screen in &alexs_screens {
        assert!(
            !screen.contains("SAM-PRIVATE"),
            "Sam's private words on a screen drawn for Alex:\n{screen}"
        );
    }
    assert!(
        sams_screens.iter().any(|s| s.contains("SAM-PRIVATE")),
        "the check above must be able to see the words"
    );
}

#[test]
fn withdrawing_a_reveal_hides_it_again_and_says_it_may_have_been_read() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::start_with(&dir, vec![couple_workbook()]);
    let mut seen = Vec::new();
    run.create_profile();
    invite_and_join(&mut run, &mut Vec::new(), &mut seen);
    answer_together(&mut run, &mut seen, "first thoughts");
    reveal_newest(&mut run, &mut seen);
    // One step, no question: and it says Sam may already have read it.
    run.act(Action::ToggleVisibility);
    assert!(
        flowing(&run.screen()).contains("Sam can no longer open it, but may already have read it"),
        "{}",
        run.screen()
    );
    let session = run.app.session().unwrap();
    assert_eq!(
        session.entries[0].visibility,
        mend::content::Visibility::Private
    );
}

#[test]
fn an_entry_forged_in_my_name_is_set_apart_and_said_never_shown_as_mine() {
    let dir = TempDir::new().unwrap();
    let (vault, alex, blair) = fixtures::vault_with_two(dir.path());
    // Blair writes a "shared" entry that claims Alex wrote it: no MAC from Alex's keys.
    let forged = fixtures::entry(
        &alex.person.id,
        mend::content::Visibility::Shared,
        "FORGED words",
        5,
    );
    let recipients = [
        fixtures::shared_recipient_in_config(dir.path(), 0),
        fixtures::shared_recipient_in_config(dir.path(), 1),
    ];
    let plain = toml::to_string(&forged).unwrap();
    let planted = dir
        .path()
        .join("entries")
        .join(format!("{}.age", forged.id));
    std::fs::write(&planted, fixtures::seal_to_all(&recipients, &plain)).unwrap();
    // Written as carefully as mend would (private), so only the forgery is in question.
    #[cfg(unix)]
    std::fs::set_permissions(
        &planted,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    drop((vault, alex, blair));

    let mut run = Run::start_with(&dir, vec![couple_workbook()]);
    run.unlock("alex pass");
    assert!(
        run.screen().contains("could not confirm"),
        "the unlock says so:\n{}",
        run.screen()
    );
    run.act(Action::Cancel);
    run.act(Action::History);
    assert!(
        !run.screen().contains("FORGED"),
        "never listed as anyone's words:\n{}",
        run.screen()
    );
    let session = run.app.session().unwrap();
    assert!(
        session.entries.iter().all(|e| e.id != forged.id),
        "set apart before it reaches the app"
    );
}

#[test]
fn a_partners_revealed_together_answer_waits_until_you_have_answered_yourself() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::start_with(&dir, vec![couple_workbook()]);
    let mut seen = Vec::new();
    run.create_profile();
    invite_and_join(&mut run, &mut seen, &mut Vec::new());
    answer_together(&mut run, &mut seen, "ALEX-FIRST answer");
    reveal_newest(&mut run, &mut seen);
    run.all([
        Action::Cancel,
        Action::Cancel,
        Action::HandOver,
        Action::Select,
    ]);
    run.unlock(PASS);
    run.act(Action::History);
    let before = common::screen(&run.app, 100, 40);
    assert!(
        !before.contains("by Alex"),
        "Sam has not answered yet:\n{before}"
    );
    assert!(!before.contains("ALEX-FIRST"));
    run.act(Action::Cancel);
    run.act(Action::Export);
    let preview = common::screen(&run.app, 140, 60);
    assert!(
        !preview.contains("ALEX-FIRST"),
        "nor in an export:\n{preview}"
    );
    assert!(
        !preview.contains("What I hope for"),
        "the export's choices do not even list it:\n{preview}"
    );
    run.act(Action::Cancel);
    answer_together(&mut run, &mut seen, "Sam's own answer");
    run.act(Action::History);
    let after = common::screen(&run.app, 100, 40);
    assert!(
        after.contains("by Alex"),
        "now that Sam answered, Alex's revealed answer is there:\n{after}"
    );
    run.all([Action::Cancel, Action::Export]);
    let preview = common::screen(&run.app, 140, 60);
    assert!(
        preview.contains("ALEX-FIRST"),
        "and in an export:\n{preview}"
    );
}

#[test]
fn the_invite_says_what_a_new_partner_will_be_able_to_read() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::start_with(&dir, vec![couple_workbook()]);
    run.create_profile();
    run.act(Action::AddPartner);
    let note = flowing(&common::screen(&run.app, 100, 40));
    assert!(note.contains("None of your entries is shared"), "{note}");
    run.act(Action::Cancel);

    answer_together(&mut run, &mut Vec::new(), "words for both of us");
    reveal_newest(&mut run, &mut Vec::new());
    run.all([Action::Cancel, Action::Cancel, Action::AddPartner]);
    let note = flowing(&common::screen(&run.app, 100, 40));
    assert!(
        note.contains("1 of your entries is shared. Your partner will be able to read it"),
        "{note}"
    );
    assert!(!note.contains("Nothing you have written"), "{note}");
}

#[test]
fn a_partners_shared_check_in_is_named_and_charted_when_you_have_none() {
    let dir = TempDir::new().unwrap();
    let mut book = couple_workbook();
    book.checkin = mend::content::builtin().checkin;
    let mut run = Run::start_with(&dir, vec![book]);
    run.create_profile();
    invite_and_join(&mut run, &mut Vec::new(), &mut Vec::new());
    // Alex has just joined: History says when Sam's earlier shared entries appear.
    run.act(Action::History);
    let history = flowing(&common::screen(&run.app, 100, 30));
    assert!(
        history.contains(
            "If Sam shared entries before you joined, they appear here after Sam next unlocks mend"
        ),
        "{history}"
    );
    run.act(Action::Cancel);
    // Alex's quick check-in, shared.
    run.all([Action::Select, Action::Digit(7)]);
    // Alex chose no role, so both trust questions are asked: six steps.
    run.all(std::iter::repeat_n(Action::Next, 6));
    assert!(
        run.screen().contains("Press Enter to save it"),
        "{}",
        run.screen()
    );
    run.act(Action::ToggleVisibility);
    assert!(
        flowing(&run.screen()).contains("Sam will be able to read this entry. Share it?"),
        "{}",
        run.screen()
    );
    run.all([Action::Select, Action::Select]);
    // Sam's turn.
    run.all([Action::HandOver, Action::Select]);
    run.unlock(PASS);
    let home = common::screen(&run.app, 100, 30);
    assert!(home.contains("Sam · unlocked"), "{home}");
    assert!(home.contains("by Alex"), "Recent names the author:\n{home}");
    run.act(Action::Trends);
    let trends = common::screen(&run.app, 100, 30);
    assert!(!trends.contains("No check-ins"), "{trends}");
    assert!(trends.contains("Alex (what they shared)"), "{trends}");
}
