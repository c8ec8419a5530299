//! How strong a new passphrase must be, and the one mend makes: the weakest are refused
//! on every form that sets one (with what to do instead), the rest are said plainly as
//! the time someone with a copy of the files would need, and Ctrl-G fills in six random
//! words from mend's own list and shows them once, to be written down.

use age::secrecy::ExposeSecret;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mend::app::fields::Strength;
use mend::app::{Action, App, Effect, KeyContext, Moment, Opened, Screen};
use mend::entry::{EntryId, PersonId};
use mend::vault::Person;
use mend::words;

use crate::common::{PASS, Run, at, chars, clear_status, flowing, screen, t0, workbook};

fn sam() -> Person {
    Person {
        id: PersonId("a1b2c3d4e5f6".into()),
        name: "Sam".to_owned(),
    }
}

fn play(app: &mut App, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for a in actions {
        effects.extend(app.update(at(t0()), a));
    }
    effects
}

/// Random-looking bits for a fresh id, so a snapshot shows a passphrase like any other.
const SOME_ID: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834;

/// A moment whose fresh id is `bits`, so the passphrase it makes is known.
fn moment(bits: u128) -> Moment {
    Moment::new(t0(), EntryId(uuid::Uuid::from_u128(bits)))
}

/// The new-profile form with Sam's name typed and the passphrase field focused.
fn create_form() -> App {
    let mut app = App::new(vec![workbook()], Vec::new(), t0());
    play(&mut app, [Action::Select]);
    play(&mut app, chars("Sam"));
    play(&mut app, [Action::Select]);
    app
}

/// Sam unlocked at home.
fn unlocked() -> App {
    let mut app = App::new(vec![workbook()], vec![sam()], t0());
    app.update(
        at(t0()),
        Action::Unlocked(Ok(Opened {
            person: sam(),
            people: vec![sam()],
            missing: 0,
            entries: Vec::new(),
            drafts: Vec::new(),
            profile: mend::entry::Profile::default(),
            problems: Vec::new(),
        })),
    );
    clear_status(&mut app);
    app
}

fn error(app: &App) -> Option<&str> {
    match app.screen() {
        Screen::CreateProfile(state) => state.error.as_deref(),
        Screen::Passphrase(state) => state.error.as_deref(),
        _ => None,
    }
}

/// Enter on the last field, and on the role question if the workbook asks one: the
/// passphrase the profile is made with, if it is made.
fn finish(app: &mut App) -> Option<String> {
    let mut effects = play(app, [Action::Select]);
    if matches!(app.screen(), Screen::ChooseRole(_)) {
        effects = play(app, [Action::Select]);
    }
    created(&effects)
}

fn created(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::CreateProfile { passphrase, .. } => Some(passphrase.expose_secret().to_owned()),
        _ => None,
    })
}

#[test]
fn the_weakest_are_refused_and_every_estimate_is_said_as_time_for_someone_with_a_copy() {
    // (passphrase, accepted, what is said about it)
    let cases = [
        ("a", false, "could guess this in seconds"),
        ("password1", false, "could guess this in seconds"),
        ("qwertyuiop", false, "could guess this in seconds"),
        ("iloveyou2024", false, "could guess this in seconds"),
        ("Sam1984", false, "could guess this in seconds"),
        ("mend2024", false, "could guess this in seconds"),
        ("美咲", false, "could guess this in seconds"),
        ("🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱", false, "could guess this in seconds"),
        ("brand new", true, "could guess this in minutes"),
        ("summer walks", true, "could guess this in hours"),
        ("美咲のパスワードです", true, "could guess this in days"),
        (
            "kettle orbit lantern",
            true,
            "would need centuries to guess this",
        ),
        (PASS, true, "would need centuries to guess this"),
        ("a long walk by the river", true, "would need centuries"),
    ];
    for (passphrase, accepted, said) in cases {
        let strength = Strength::of(passphrase, &["Sam"]);
        let case = format!("{passphrase:?} (zxcvbn score {})", strength.score());
        assert_eq!(strength.is_enough(), accepted, "{case}");
        assert!(
            strength.said().contains(said),
            "{case}: {}",
            strength.said()
        );
        assert!(
            strength
                .said()
                .starts_with("Someone with a copy of your files"),
            "{case}: {}",
            strength.said()
        );
        if accepted {
            assert!(!strength.hint().contains("too easy"), "{case}");
        } else {
            assert!(strength.refusal().contains("too easy to guess"), "{case}");
            assert!(strength.refusal().contains("Add two or three"), "{case}");
        }
    }
}

#[test]
fn a_one_character_passphrase_is_refused_at_the_new_profile_form_even_past_a_tab() {
    let mut app = create_form();
    play(&mut app, chars("a"));
    let hint = flowing(&screen(&app, 80, 24));
    assert!(hint.contains("could guess this in seconds"), "{hint}");
    let effects = play(&mut app, [Action::Select]);
    assert!(effects.is_empty());
    let refused = error(&app).unwrap_or_default();
    assert!(refused.contains("too easy to guess"), "{refused}");
    assert!(refused.contains("Ctrl-G"), "{refused}");
    // Tab leaves the field without Enter; the end of the form checks again.
    play(&mut app, [Action::Next]);
    play(&mut app, chars("a"));
    let effects = play(&mut app, [Action::Select]);
    assert!(
        created(&effects).is_none(),
        "a one-character passphrase was used"
    );
    assert!(
        error(&app).unwrap_or_default().contains("too easy"),
        "{:?}",
        error(&app)
    );
    // Two words go through, with their time said.
    let mut app = create_form();
    play(&mut app, chars("brand new"));
    assert!(
        flowing(&screen(&app, 80, 24)).contains("could guess this in minutes"),
        "{}",
        screen(&app, 80, 24)
    );
    play(&mut app, [Action::Select]);
    play(&mut app, chars("brand new"));
    assert_eq!(finish(&mut app).as_deref(), Some("brand new"));
}

#[test]
fn ctrl_g_fills_both_fields_with_six_words_shown_in_full_once() {
    let mut app = create_form();
    play(&mut app, chars("a"));
    app.update(moment(SOME_ID), Action::GeneratePassphrase);
    let expected = words::passphrase(words::Seed::from_uuid(uuid::Uuid::from_u128(SOME_ID)));
    let expected = expected.expose_secret();
    assert_eq!(expected.split(' ').count(), 6, "{expected}");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains(&format!("    {expected}")), "{shown}");
    let said = flowing(&shown);
    assert!(said.contains("Write it down now"), "{said}");
    assert!(said.contains("mend will not show it again"), "{said}");
    assert!(said.contains("recovery code"), "{said}");
    insta::assert_snapshot!("create_profile_generated", shown);
    // Enter uses it: the form went to the last field.
    assert_eq!(finish(&mut app).as_deref(), Some(expected));
}

#[test]
fn a_generated_passphrase_is_no_longer_shown_once_it_is_typed_over() {
    let mut app = create_form();
    app.update(moment(7), Action::GeneratePassphrase);
    let expected = words::passphrase(words::Seed::from_uuid(uuid::Uuid::from_u128(7)));
    assert!(screen(&app, 80, 24).contains(expected.expose_secret()));
    play(&mut app, [Action::Backspace]);
    let shown = screen(&app, 80, 24);
    assert!(!shown.contains(expected.expose_secret()), "{shown}");
    assert!(!shown.contains("Write it down"), "{shown}");
    // The two fields now differ, and are caught as ever.
    play(&mut app, [Action::Select]);
    assert!(error(&app).unwrap_or_default().contains("were different"));
    // The same on the change form.
    let mut app = unlocked();
    play(&mut app, [Action::ChangePassphrase]);
    play(&mut app, chars(PASS));
    play(&mut app, [Action::Select]);
    app.update(moment(7), Action::GeneratePassphrase);
    assert!(screen(&app, 80, 24).contains(expected.expose_secret()));
    play(&mut app, chars("x"));
    let shown = screen(&app, 80, 24);
    assert!(!shown.contains(expected.expose_secret()), "{shown}");
}

/// Through the shell, as a person would: the words on screen are the passphrase the
/// profile is made with, and they unlock it.
#[test]
fn the_words_shown_are_the_passphrase_that_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let mut run = Run::start(&dir);
    run.act(Action::Select);
    run.all(chars("Sam"));
    run.act(Action::GeneratePassphrase);
    let shown = run.screen();
    let words = shown
        .lines()
        .skip_while(|l| !l.contains("six words chosen at random"))
        .nth(1)
        .unwrap_or_else(|| panic!("no passphrase shown:\n{shown}"))
        .trim()
        .to_owned();
    assert_eq!(words.split(' ').count(), 6, "{shown}");
    run.act(Action::Select);
    run.decline_recovery_code();
    assert!(run.screen().contains("Sam · unlocked"), "{}", run.screen());
    run.act(Action::Hide);
    run.act(Action::Select);
    run.unlock(&words);
    assert!(run.screen().contains("Sam · unlocked"), "{}", run.screen());
}

#[test]
fn each_action_makes_a_different_passphrase_from_its_own_random_id() {
    let mut made = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let mut app = create_form();
        play(&mut app, [Action::GeneratePassphrase]);
        let Screen::CreateProfile(state) = app.screen() else {
            panic!("left the form");
        };
        let phrase = state.generated.as_ref().expect("a passphrase was made");
        made.insert(phrase.expose_secret().to_owned());
    }
    assert_eq!(made.len(), 20, "{made:?}");
}

#[test]
fn the_change_form_refuses_a_weak_new_passphrase_and_ctrl_g_offers_one() {
    let mut app = unlocked();
    play(&mut app, [Action::ChangePassphrase]);
    play(&mut app, chars(PASS));
    play(&mut app, [Action::Select]);
    play(&mut app, chars("a"));
    let effects = play(&mut app, [Action::Select]);
    assert!(effects.is_empty());
    let refused = error(&app).unwrap_or_default().to_owned();
    assert!(refused.contains("too easy to guess"), "{refused}");
    insta::assert_snapshot!("change_passphrase_refused", screen(&app, 80, 24));
    app.update(moment(!SOME_ID), Action::GeneratePassphrase);
    let expected = words::passphrase(words::Seed::from_uuid(uuid::Uuid::from_u128(!SOME_ID)));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains(expected.expose_secret()), "{shown}");
    assert!(flowing(&shown).contains("Write it down now"), "{shown}");
    insta::assert_snapshot!("change_passphrase_generated", shown);
    let effects = play(&mut app, [Action::Select]);
    let new = effects.iter().find_map(|e| match e {
        Effect::ChangePassphrase { current, new } => {
            assert_eq!(current.expose_secret(), PASS);
            Some(new.expose_secret().to_owned())
        }
        _ => None,
    });
    assert_eq!(new.as_deref(), Some(expected.expose_secret()));
}

#[test]
fn the_recovery_form_refuses_a_weak_new_passphrase_before_the_code_is_tried() {
    let mut app = App::new(vec![workbook()], vec![sam()], t0());
    play(&mut app, [Action::Forgot]);
    play(&mut app, chars("ABCD-EFGH-JKMN-PQRS-TVWX"));
    play(&mut app, [Action::Select]);
    play(&mut app, chars("sam"));
    play(&mut app, [Action::Next]);
    play(&mut app, chars("sam"));
    let effects = play(&mut app, [Action::Select]);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Recover { .. })),
        "a weak passphrase went to the vault"
    );
    assert!(
        error(&app).unwrap_or_default().contains("too easy"),
        "{}",
        screen(&app, 80, 24)
    );
}

#[test]
fn a_passphrase_pasted_into_both_fields_makes_the_profile() {
    let mut app = create_form();
    play(&mut app, [Action::Paste(PASS.to_owned())]);
    play(&mut app, [Action::Select]);
    play(&mut app, [Action::Paste(PASS.to_owned())]);
    assert_eq!(finish(&mut app).as_deref(), Some(PASS));
}

#[test]
fn ctrl_g_makes_a_passphrase_on_both_forms_that_set_one_and_help_says_so() {
    let ctrl_g = KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL);
    for context in [KeyContext::CreateProfile, KeyContext::Passphrase] {
        assert!(
            matches!(
                mend::keymap::action_for(context, &ctrl_g),
                Some(Action::GeneratePassphrase)
            ),
            "{context:?}"
        );
        let (hints, _) = mend::keymap::hints(context);
        assert!(
            hints.contains(&("Ctrl-G", "make one for me")),
            "{context:?}"
        );
    }
    // Unlocking asks for a passphrase that already exists: nothing to make there.
    assert!(mend::keymap::action_for(KeyContext::Unlock, &ctrl_g).is_none());
}

/// 6 words from 1,568 give 6 × log2(1568) ≈ 63.7 bits; the floor asked for is 62 bits
/// (6 words from at least 1,296).
#[test]
fn a_made_passphrase_is_six_words_from_the_list_and_carries_over_62_bits() {
    let list = words::list();
    assert!(list.len() >= 1296, "only {} words", list.len());
    let bits = words::entropy_bits();
    assert!(bits >= 62.0, "{bits:.1} bits from {} words", list.len());
    for bits in [0, 1, u128::MAX, 0x1234_5678_9abc_def0_1234_5678_9abc_def0] {
        let phrase = words::passphrase(words::Seed::from_bits(bits));
        let phrase = phrase.expose_secret();
        let made: Vec<&str> = phrase.split(' ').collect();
        assert_eq!(made.len(), words::WORDS_IN_A_PASSPHRASE, "{phrase}");
        assert!(made.iter().all(|w| list.contains(w)), "{phrase}");
        let strength = Strength::of(phrase, &[]);
        assert!(strength.is_enough(), "{phrase}: {}", strength.said());
    }
}

#[test]
fn the_word_list_is_sorted_short_lowercase_and_kind() {
    let list = words::list();
    for pair in list.windows(2) {
        assert!(pair[0] < pair[1], "out of order or twice: {pair:?}");
    }
    for word in list {
        assert!(
            (3..=8).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_lowercase()),
            "{word:?}"
        );
    }
    // A few of the words that must never be in a passphrase someone here writes down:
    // betrayal and leaving, harm, bodies, and first names (someone's name, perhaps).
    let never = [
        "cheat", "cheater", "lie", "liar", "lying", "affair", "leave", "left", "betray", "trust",
        "secret", "hide", "lover", "mistress", "flirt", "kiss", "bed", "hotel", "phone", "night",
        "divorce", "alone", "hurt", "pain", "kill", "gun", "knife", "blood", "dead", "die",
        "grave", "fight", "hit", "sex", "naked", "wine", "drunk", "fat", "ugly", "stupid", "cry",
        "tears", "broken", "sorry", "guilt", "shame", "hate", "ring", "wife", "husband", "baby",
        "heart", "love", "pearl", "peach", "cherry", "swing", "unicorn", "lyre", "desert",
        "wander", "fiddle", "robin", "holly", "ivy", "rose", "lily", "jasmine", "heather", "amber",
        "ruby", "dawn", "melody", "olive", "hazel", "violet", "willow", "jade", "mason", "river",
        "sky", "daisy",
    ];
    for word in never {
        assert!(
            list.binary_search(&word).is_err(),
            "{word:?} is in the list"
        );
    }
}
