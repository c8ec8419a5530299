//! The built-in workbook's second edition, as a couples counsellor asked for it: lists
//! in one voice, role steps where the partners' tasks differ, safety both ways, the
//! new exercises, and every exercise readable at 80x24 in all three role views.

use chrono::TimeDelta;
use mend::app::{Action, App, Opened, Place, Screen, StepState};
use mend::content::{self, Exercise, RoleId, StepKind, Workbook};
use mend::entry::{
    Answer, ENTRY_FORMAT, Entry, EntryId, ExerciseRef, PersonId, Profile, StepAnswer,
};
use mend::vault::Person;

use crate::common::{at, clear_status, flowing, screen, t0};

fn book() -> Workbook {
    content::builtin()
}

fn exercise<'a>(wb: &'a Workbook, id: &str) -> &'a Exercise {
    wb.modules
        .iter()
        .flat_map(|m| &m.exercises)
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no exercise {id}"))
}

const HURT: &str = "hurt";
const UNFAITHFUL: &str = "unfaithful";

/// A view: a role's, or with `None`, that of someone who prefers not to say.
fn view(role: &str) -> Option<RoleId> {
    (!role.is_empty()).then(|| RoleId::new(role))
}

/// The three views a person can have: each role's, and "prefer not to say".
fn views() -> [(&'static str, Option<RoleId>); 3] {
    [
        ("hurt", view(HURT)),
        ("unfaithful", view(UNFAITHFUL)),
        ("no role", None),
    ]
}

fn step_ids(e: &Exercise, role: Option<&RoleId>) -> Vec<String> {
    e.for_person(role)
        .steps
        .iter()
        .map(|s| s.id.as_str().to_owned())
        .collect()
}

fn sam() -> Person {
    Person {
        id: PersonId("a1b2c3d4e5f6".into()),
        name: "Sam".to_owned(),
    }
}

/// The built-in workbook, unlocked as Sam with `role`, holding `entries`.
fn unlocked(role: Option<RoleId>, entries: Vec<Entry>) -> App {
    let wb = book();
    let mut profile = Profile::default();
    if let Some(role) = role {
        profile.roles.insert(wb.id.clone(), role);
    }
    let mut app = App::new(vec![wb], vec![sam()], t0());
    app.update(
        at(t0()),
        Action::Unlocked(Ok(Opened {
            person: sam(),
            people: vec![sam()],
            missing: 0,
            entries,
            drafts: Vec::new(),
            profile,
            problems: Vec::new(),
        })),
    );
    clear_status(&mut app);
    app
}

#[test]
fn the_version_is_raised() {
    assert_eq!(&*book().version, "3");
}

#[test]
fn triggers_are_split_by_role_each_list_in_one_voice_and_the_plan_is_a_proposal() {
    let wb = book();
    let e = exercise(&wb, "triggers-and-reassurance");
    let hurt_sees = step_ids(e, view(HURT).as_ref());
    let unfaithful_sees = step_ids(e, view(UNFAITHFUL).as_ref());
    for id in ["triggers", "reassurance"] {
        assert!(hurt_sees.contains(&id.to_owned()), "{hurt_sees:?}");
        assert!(
            !unfaithful_sees.contains(&id.to_owned()),
            "{unfaithful_sees:?}"
        );
    }
    for id in ["triggers-noticed", "what-i-can-offer"] {
        assert!(
            unfaithful_sees.contains(&id.to_owned()),
            "{unfaithful_sees:?}"
        );
        assert!(!hurt_sees.contains(&id.to_owned()), "{hurt_sees:?}");
    }
    let prompt = |id: &str| {
        e.steps
            .iter()
            .find(|s| s.id.as_str() == id)
            .map(|s| s.prompt.clone())
            .unwrap()
    };
    assert!(prompt("triggers").contains("for me"));
    assert!(prompt("triggers-noticed").contains("for my partner"));
    let proposal = prompt("my-proposal");
    assert!(proposal.contains("would I like us to try"), "{proposal}");
    assert!(
        step_ids(e, None).contains(&"my-proposal".to_owned()),
        "both partners write a proposal to compare"
    );
}

/// A plan written alone is a proposal: no prompt someone answers alone says "we will".
#[test]
fn no_prompt_written_alone_promises_for_both() {
    for module in &book().modules {
        for e in &module.exercises {
            for s in &e.steps {
                if !matches!(s.kind, StepKind::Reflect) {
                    let p = s.prompt.to_lowercase();
                    assert!(
                        !p.contains("we will"),
                        "{}/{}: {p}",
                        e.id.as_str(),
                        s.id.as_str()
                    );
                }
            }
        }
    }
}

/// Lists are in one voice: no item is labelled for one role ("If I was unfaithful: ..."),
/// and no list everyone sees is introduced by role notes for two different roles (which
/// would be two opposite instructions for one list to someone who prefers not to say).
#[test]
fn lists_are_in_one_voice_and_role_notes_never_contradict_for_no_role() {
    for module in &book().modules {
        for e in &module.exercises {
            let mut notes: Vec<&RoleId> = Vec::new();
            for s in &e.steps {
                let (StepKind::Choice { options: items, .. } | StepKind::Checklist { items }) =
                    &s.kind
                else {
                    match (&s.kind, &s.for_role) {
                        (StepKind::Reflect, Some(role)) => notes.push(role),
                        _ => notes.clear(),
                    }
                    continue;
                };
                for item in items {
                    assert!(
                        !item.label.starts_with("If I ") && !item.label.starts_with("If you "),
                        "{}/{}: {:?} is a role's item in a shared list",
                        e.id.as_str(),
                        s.id.as_str(),
                        item.label
                    );
                }
                if s.for_role.is_none() {
                    notes.dedup();
                    assert!(
                        notes.len() < 2,
                        "{}/{}: one list under notes for two roles",
                        e.id.as_str(),
                        s.id.as_str()
                    );
                }
                notes.clear();
            }
        }
    }
}

#[test]
fn owning_and_the_relationship_before_have_role_steps_and_the_unfaithful_partners_path() {
    let wb = book();
    let before = exercise(&wb, "relationship-before");
    let path = before
        .steps
        .iter()
        .find(|s| s.id.as_str() == "my-path")
        .expect("a prompt about the unfaithful partner's own path");
    assert_eq!(path.for_role, view(UNFAITHFUL));
    let factors = before
        .steps
        .iter()
        .find(|s| s.id.as_str() == "factors")
        .unwrap();
    assert!(
        factors.prompt.contains("in each of us"),
        "the checklist is not only about the relationship: {}",
        factors.prompt
    );
    let own = exercise(&wb, "what-we-will-own");
    for role in [view(HURT), view(UNFAITHFUL)] {
        assert!(
            own.steps.iter().any(|s| s.for_role == role),
            "a step for {role:?}"
        );
    }
    let owning = own
        .steps
        .iter()
        .filter(|s| s.prompt.contains("sexually transmitted"));
    assert_eq!(
        owning.count(),
        1,
        "the sexual health line is said once, to both"
    );
}

#[test]
fn the_hurt_partner_hears_that_forgiving_is_not_trusting_again_or_staying() {
    let wb = book();
    let e = exercise(&wb, "where-i-am-with-forgiveness");
    let note = e
        .steps
        .iter()
        .find(|s| s.for_role == view(HURT) && matches!(s.kind, StepKind::Reflect))
        .expect("a note for the hurt partner");
    let text = note.prompt.to_lowercase();
    for words in ["faith", "family", "trusting", "staying"] {
        assert!(text.contains(words), "{words}: {text}");
    }
}

#[test]
fn questions_come_after_a_checklist_not_demands_for_insight() {
    let wb = book();
    for (exercise_id, step) in [
        ("relationship-before", "understand-now"),
        ("in-their-shoes", "understand-better"),
    ] {
        let e = exercise(&wb, exercise_id);
        let s = e.steps.iter().find(|s| s.id.as_str() == step).unwrap();
        assert!(s.prompt.contains("questions"), "{}", s.prompt);
    }
}

#[test]
fn the_safety_step_speaks_to_the_partner_who_may_be_the_danger() {
    let wb = book();
    let e = exercise(&wb, "what-this-is");
    let safety = e.steps.iter().find(|s| s.id.as_str() == "safety").unwrap();
    assert!(
        safety.prompt.contains("frightened, threatened or hurt"),
        "{}",
        safety.prompt
    );
    assert!(safety.prompt.contains("own behaviour"), "{}", safety.prompt);
}

#[test]
fn the_new_exercises_are_there_with_several_kinds_of_step_and_role_steps_where_tasks_differ() {
    let wb = book();
    for (id, role_aware) in [
        ("owning-and-turning", true),
        ("walls-and-windows", true),
        ("what-kind-of-peace", true),
        ("what-the-affair-meant", true),
        ("our-stuck-pattern", false),
        ("practical-ground", false),
    ] {
        let e = exercise(&wb, id);
        let kinds: std::collections::BTreeSet<&str> = e
            .steps
            .iter()
            .map(|s| match s.kind {
                StepKind::Text { .. } => "text",
                StepKind::Scale { .. } => "scale",
                StepKind::Choice { .. } => "choice",
                StepKind::Checklist { .. } => "checklist",
                StepKind::Reflect => "reflect",
            })
            .collect();
        assert!(kinds.len() >= 3, "{id}: {kinds:?}");
        if role_aware {
            for role in [view(HURT), view(UNFAITHFUL)] {
                assert!(e.steps.iter().any(|s| s.for_role == role), "{id}: {role:?}");
            }
        }
    }
    let peace = exercise(&wb, "practical-ground");
    assert!(
        peace
            .steps
            .iter()
            .any(|s| s.prompt.contains("separating with care")),
        "separating with care is named as a valid outcome"
    );
}

#[test]
fn the_check_in_names_whom_trust_is_about_for_each_role() {
    let wb = book();
    let checkin = wb.checkin.clone().unwrap();
    let prompts = |role: Option<RoleId>| -> Vec<String> {
        checkin
            .for_person(role.as_ref())
            .steps
            .iter()
            .map(|s| s.prompt.to_string())
            .collect()
    };
    assert!(prompts(view(HURT)).contains(&"How much do I trust my partner today?".to_owned()));
    assert!(!prompts(view(HURT)).iter().any(|p| p.contains("between us")));
    assert!(
        prompts(view(UNFAITHFUL))
            .iter()
            .any(|p| p.contains("trust do I feel between us"))
    );
    assert!(
        !prompts(view(UNFAITHFUL))
            .iter()
            .any(|p| p.contains("trust my partner"))
    );
    assert_eq!(
        prompts(None).iter().filter(|p| p.contains("trust")).count(),
        2
    );
}

/// A check-in answered as the hurt partner: the chart for the other role's question is
/// not drawn empty beside it.
#[test]
fn trends_chart_only_the_questions_a_person_is_asked() {
    let checkin = |step: &str| Entry {
        format: ENTRY_FORMAT,
        id: EntryId::random(),
        author: sam().id,
        created: t0() - TimeDelta::days(1),
        updated: t0() - TimeDelta::days(1),
        visibility: mend::content::Visibility::Private,
        mac: None,
        witness: Vec::new(),
        exercise: std::sync::Arc::new(ExerciseRef {
            workbook: book().id,
            workbook_version: "3".into(),
            module: mend::content::ModuleId::new(mend::content::CHECKIN_MODULE),
            exercise: mend::content::ExerciseId::new("check-in"),
            module_title: "Check-in".into(),
            exercise_title: "Quick check-in".into(),
        }),
        answers: vec![StepAnswer {
            step: mend::content::StepId::new(step),
            prompt: format!("{step}?").into(),
            answer: Answer::Scale {
                value: 6,
                min: 0,
                max: 10,
                min_label: "low".into(),
                max_label: "high".into(),
            },
        }],
    };
    let mut app = unlocked(view(HURT), vec![checkin("trust")]);
    app.update(at(t0()), Action::Trends);
    let page = screen(&app, 100, 40);
    assert!(page.contains("┌ Trust "), "{page}");
    assert!(!page.contains("Trust between us"), "{page}");
    let mut app = unlocked(None, vec![checkin("trust")]);
    app.update(at(t0()), Action::Trends);
    assert!(
        screen(&app, 100, 40).contains("Trust between us"),
        "no role: both asked"
    );
}

/// An answer written under the first edition reads with the prompt it was given under,
/// even where this edition removed the step.
#[test]
fn an_entry_from_an_earlier_edition_reads_with_its_own_prompts() {
    let old_prompt = "Our plan, in our own words: when a hard moment comes, we will...";
    let entry = Entry {
        format: ENTRY_FORMAT,
        id: EntryId::random(),
        author: sam().id,
        created: t0() - TimeDelta::days(30),
        updated: t0() - TimeDelta::days(30),
        visibility: mend::content::Visibility::Private,
        mac: None,
        witness: Vec::new(),
        exercise: std::sync::Arc::new(ExerciseRef {
            workbook: book().id,
            workbook_version: "2".into(),
            module: mend::content::ModuleId::new("healing-and-forgiveness"),
            exercise: mend::content::ExerciseId::new("triggers-and-reassurance"),
            module_title: "Healing and forgiveness".into(),
            exercise_title: "Triggers and a reassurance plan".into(),
        }),
        answers: vec![StepAnswer {
            step: mend::content::StepId::new("our-plan"),
            prompt: old_prompt.into(),
            answer: Answer::Text {
                text: "I say rough moment and you stop".to_owned(),
            },
        }],
    };
    let mut app = unlocked(view(HURT), vec![entry]);
    app.update(at(t0()), Action::History);
    app.update(at(t0()), Action::Select);
    let page = flowing(&screen(&app, 100, 30));
    assert!(page.contains(old_prompt), "{page}");
    assert!(page.contains("I say rough moment and you stop"), "{page}");
}

/// Every exercise, in every role's view, stepped through at 80x24: each step's words
/// start on screen, with the keys to go on, a role's step is labelled as such for
/// someone who sees them all, and nothing panics.
#[test]
fn every_exercise_reads_at_80x24_in_all_three_views() {
    let wb = book();
    for (view, role) in views() {
        for module in &wb.modules {
            for e in module
                .exercises
                .iter()
                .filter(|e| e.shown_to(role.as_ref()))
            {
                let mut app = unlocked(role.clone(), Vec::new());
                let place = Place {
                    module: module.id.clone(),
                    module_title: module.title.clone(),
                };
                let state = StepState::start(&wb, place, e, role.as_ref(), EntryId::random(), t0());
                app.show(Screen::Step(Box::new(state)));
                for s in e.for_person(role.as_ref()).steps {
                    let page = flowing(&screen(&app, 80, 24));
                    let opening: String = flowing(&s.prompt).chars().take(30).collect();
                    assert!(
                        page.contains(&opening),
                        "{view}: {}/{} does not start on screen:\n{}",
                        e.id.as_str(),
                        s.id.as_str(),
                        screen(&app, 80, 24)
                    );
                    assert!(page.contains("F2 support"), "{view}: {page}");
                    // Someone who sees every role's steps is told whom each is for.
                    assert_eq!(
                        page.contains("· for the partner who was"),
                        role.is_none() && s.for_role.is_some(),
                        "{view}: {}/{}:\n{}",
                        e.id.as_str(),
                        s.id.as_str(),
                        screen(&app, 80, 24)
                    );
                    app.update(at(t0()), Action::Next);
                }
                assert!(
                    flowing(&screen(&app, 80, 24)).contains("Enter to save"),
                    "{view}: {} ends on its closing page",
                    e.id.as_str()
                );
            }
        }
    }
}
