//! Every driver report that failed reaches the screen it belongs on with its own
//! sentence: the app receives the vault's error typed, and a failed unlock carries the
//! form to go back to (a continuation), never a screen that remembered it.

use std::path::PathBuf;
use std::sync::Arc;

use crate::common::{at, screen, t0, workbook};
use mend::app::{Action, App, BackTo, Failed, KeyContext, Opened, Screen};
use mend::entry::PersonId;
use mend::vault::{Person, VaultError};

fn person(id: &str, name: &str) -> Person {
    Person {
        id: PersonId(id.into()),
        name: name.to_owned(),
    }
}

fn two() -> Vec<Person> {
    vec![person("a1", "Sam"), person("b2", "Robin")]
}

/// Sam unlocked at home, in a vault with Robin.
fn at_home() -> App {
    let mut app = App::new(vec![workbook()], two(), t0());
    app.update(
        at(t0()),
        Action::Unlocked(Ok(Opened {
            person: two()[0].clone(),
            people: two(),
            missing: 0,
            entries: Vec::new(),
            drafts: Vec::new(),
            profile: mend::entry::Profile::default(),
            problems: Vec::new(),
        })),
    );
    app
}

fn disk_full() -> VaultError {
    VaultError::DiskFull {
        path: PathBuf::from("/data/mend/entries/x.age"),
    }
}

/// What the screen says, its wrapping and the notice's border taken out, as one line.
fn said(app: &App) -> String {
    screen(app, 200, 60)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence(error: &VaultError) -> String {
    error
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_profile_that_did_not_open_goes_back_to_the_form_it_came_from() {
    let cases = [
        (
            VaultError::WrongPassphrase {
                name: "Robin".to_owned(),
            },
            BackTo::Unlock { selected: 1 },
            KeyContext::Unlock,
        ),
        (
            VaultError::WrongRecoveryCode {
                name: "Robin".to_owned(),
            },
            BackTo::Recover { selected: 1 },
            KeyContext::Passphrase,
        ),
        (
            disk_full(),
            BackTo::Create {
                name: "Alex".to_owned(),
            },
            KeyContext::CreateProfile,
        ),
    ];
    for (error, back, context) in cases {
        let mut app = App::new(vec![workbook()], two(), t0());
        let expected = sentence(&error);
        let failed = Failed {
            error: Arc::new(error),
            back: back.clone(),
        };
        let report = match back {
            BackTo::Create { .. } => Action::ProfileCreated(Err(failed)),
            _ => Action::Unlocked(Err(failed)),
        };
        app.update(at(t0()), report);
        assert_eq!(app.key_context(), context, "{back:?}");
        let shown = said(&app);
        assert!(shown.contains(&expected), "{back:?}: {shown}");
        match (&back, app.screen()) {
            (BackTo::Unlock { selected }, Screen::Unlock(state)) => {
                assert_eq!(state.selected, *selected, "Robin is still the one chosen");
            }
            (BackTo::Create { name }, Screen::CreateProfile(state)) => {
                assert_eq!(state.name.value(), name, "the name typed is kept");
            }
            (BackTo::Recover { .. }, Screen::Passphrase(_)) => {}
            (back, _) => panic!("{back:?} went to the wrong screen"),
        }
    }
}

#[test]
fn a_failed_save_change_or_code_is_said_where_the_person_is() {
    type Report = fn(Arc<VaultError>) -> Action;
    let cases: [(&str, Report, VaultError); 5] = [
        (
            "an entry not saved",
            |e| Action::EntrySaved(Err(e)),
            disk_full(),
        ),
        ("a draft not saved", Action::DraftSaveFailed, disk_full()),
        (
            "a visibility not changed",
            |e| Action::VisibilityChanged(Err(e)),
            VaultError::Locked,
        ),
        (
            "no recovery code",
            |e| Action::RecoveryCodeMade(Err(e)),
            VaultError::NoRandomness {
                reason: "unavailable".to_owned(),
            },
        ),
        (
            "a quit that would lose a draft",
            Action::QuitBlocked,
            disk_full(),
        ),
    ];
    for (case, report, error) in cases {
        let mut app = at_home();
        let expected = sentence(&error);
        app.update(at(t0()), report(Arc::new(error)));
        assert!(app.overlay().is_some(), "{case}: said in a notice");
        let shown = said(&app);
        assert!(shown.contains(&expected), "{case}: {shown}");
    }
}

#[test]
fn a_passphrase_change_refused_goes_back_to_its_form_with_the_reason() {
    let mut app = at_home();
    app.update(at(t0()), Action::ChangePassphrase);
    let error = VaultError::WrongPassphrase {
        name: "Sam".to_owned(),
    };
    let expected = sentence(&error);
    app.update(at(t0()), Action::PassphraseChanged(Err(Arc::new(error))));
    assert_eq!(app.key_context(), KeyContext::Passphrase);
    assert!(said(&app).contains(&expected), "{}", said(&app));
}

#[test]
fn an_export_not_written_stays_on_the_export_screen_and_says_why() {
    let mut app = at_home();
    app.update(at(t0()), Action::Export);
    let error = VaultError::Locked;
    let expected = sentence(&error);
    app.update(at(t0()), Action::ExportWritten(Err(Arc::new(error))));
    assert!(matches!(app.screen(), Screen::Export(state) if !state.confirming));
    assert!(said(&app).contains(&expected), "{}", said(&app));
}

#[test]
fn a_file_already_there_is_a_question_on_the_screen_not_a_command_line_flag() {
    let mut app = at_home();
    app.update(at(t0()), Action::Export);
    let error = VaultError::ExportExists {
        path: PathBuf::from("/home/sam/summary.md"),
    };
    app.update(at(t0()), Action::ExportWritten(Err(Arc::new(error))));
    let shown = said(&app);
    assert!(shown.contains("Replace it?"), "{shown}");
    assert!(!shown.contains("--force"), "{shown}");
    let effects = app.update(at(t0()), Action::Select);
    assert!(
        matches!(
            effects.as_slice(),
            [mend::app::Effect::WriteExport { replace: true, .. }]
        ),
        "Enter replaces it"
    );
}
