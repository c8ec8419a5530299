//! The screens that keep a way in, driven by keys against a real vault: a recovery
//! code offered at setup and shown once, a passphrase changed from home, and a
//! forgotten one replaced at the unlock screen with the code.

use age::secrecy::SecretString;
use mend::app::{Action, App, RecoveryScreen, Screen};

use crate::common::{PASS, Run, chars, flowing, screen, t0, workbook};

/// Makes a profile and takes the offered recovery code; returns the code as shown.
fn create_with_code(run: &mut Run) -> String {
    run.create_profile_to_the_offer();
    let offer = run.screen();
    assert!(
        offer.contains("A recovery code: a second way in"),
        "{offer}"
    );
    assert!(offer.contains("a forgotten passphrase is final"), "{offer}");
    run.act(Action::Select);
    let shown = run.screen();
    assert!(shown.contains("Your recovery code"), "{shown}");
    assert!(shown.contains("will not show it again"), "{shown}");
    let code = shown
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 24 && l.matches('-').count() == 4)
        .unwrap_or_else(|| panic!("no code on screen: {shown}"))
        .to_owned();
    run.act(Action::Select);
    assert!(run.screen().contains("Sam · unlocked"), "{}", run.screen());
    code
}

fn lock(run: &mut Run) {
    run.act(Action::Hide);
    run.act(Action::Select);
}

#[test]
fn a_code_made_at_setup_replaces_a_forgotten_passphrase_at_the_unlock_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut run = Run::start(&dir);
    let code = create_with_code(&mut run);
    assert!(run.shell.vault().has_recovery_code(&run.app.people()[0].id));
    lock(&mut run);
    assert!(run.screen().contains("Ctrl-R"), "{}", run.screen());

    run.act(Action::Forgot);
    assert!(
        run.screen().contains("Forgot your passphrase?"),
        "{}",
        run.screen()
    );
    // A wrong code: said plainly, back on the form.
    run.all(chars("0000-0000-0000-0000-0000"));
    run.act(Action::Select);
    run.all(chars("brand new"));
    run.act(Action::Select);
    run.all(chars("brand new"));
    run.act(Action::Select);
    let refused = run.screen();
    assert!(refused.contains("did not open"), "{refused}");
    assert!(refused.contains("Forgot your passphrase?"), "{refused}");
    // The right one, typed in lower case with spaces.
    run.all(chars(&code.to_lowercase().replace('-', " ")));
    run.act(Action::Select);
    run.all(chars("brand new"));
    run.act(Action::Select);
    run.all(chars("brand new"));
    run.act(Action::Select);
    assert!(run.screen().contains("Sam · unlocked"), "{}", run.screen());
    assert!(
        flowing(&run.screen())
            .contains("Your new passphrase is set, Sam, and it opened your profile."),
        "whose passphrase changed, and that it worked:\n{}",
        run.screen()
    );
    lock(&mut run);
    run.unlock(PASS);
    assert!(
        run.screen().contains("did not open"),
        "old passphrase: {}",
        run.screen()
    );
    run.unlock("brand new");
    assert!(run.screen().contains("Sam · unlocked"), "{}", run.screen());
}

#[test]
fn a_passphrase_changed_from_home_is_the_one_that_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let mut run = Run::with_profile(&dir);
    run.act(Action::ChangePassphrase);
    assert!(
        run.screen().contains("Change your passphrase"),
        "{}",
        run.screen()
    );
    // A wrong current passphrase changes nothing.
    run.all(chars("not mine"));
    run.act(Action::Select);
    run.all(chars("next one"));
    run.act(Action::Select);
    run.all(chars("next one"));
    run.act(Action::Select);
    assert!(run.screen().contains("did not open"), "{}", run.screen());
    // Two different new ones are caught before anything is done.
    run.all(chars(PASS));
    run.act(Action::Select);
    run.all(chars("next one"));
    run.act(Action::Select);
    run.all(chars("next two"));
    run.act(Action::Select);
    assert!(run.screen().contains("were different"), "{}", run.screen());
    run.all(chars("next one"));
    run.act(Action::Select);
    run.all(chars("next one"));
    run.act(Action::Select);
    assert!(
        run.screen().contains("Your passphrase was changed"),
        "{}",
        run.screen()
    );
    run.act(Action::Cancel);
    lock(&mut run);
    run.unlock(PASS);
    assert!(run.screen().contains("did not open"), "{}", run.screen());
    run.unlock("next one");
    assert!(run.screen().contains("Sam · unlocked"), "{}", run.screen());
}

#[test]
fn without_a_code_the_unlock_screen_says_a_forgotten_passphrase_is_final() {
    let dir = tempfile::tempdir().unwrap();
    let mut run = Run::with_profile(&dir);
    lock(&mut run);
    run.act(Action::Forgot);
    run.all(chars("ABCD-EFGH"));
    run.act(Action::Select);
    run.all(chars("brand new"));
    run.act(Action::Select);
    run.all(chars("brand new"));
    run.act(Action::Select);
    assert!(
        run.screen().contains("no recovery code"),
        "{}",
        run.screen()
    );
    run.act(Action::Cancel);
    run.unlock(PASS);
    assert!(run.screen().contains("Sam · unlocked"), "{}", run.screen());
}

#[test]
fn screens() {
    let mut app = App::new(vec![workbook()], Vec::new(), t0());
    app.show(Screen::Recovery(RecoveryScreen::Offer { first_time: true }));
    insta::assert_snapshot!("recovery_offer", screen(&app, 80, 24));
    app.update(
        crate::common::at(t0()),
        Action::RecoveryCodeMade(Ok(SecretString::from(
            "7KQ2-M9XD-4HTR-PZ3W-E81N".to_owned(),
        ))),
    );
    insta::assert_snapshot!("recovery_code_shown", screen(&app, 80, 24));
}
