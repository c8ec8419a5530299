//! Search, as a person uses it: `/` from home or history, words typed key by key
//! through the real key table, results as they type, an entry read with its matches
//! marked, n and N, every filter, and each partner finding only what they may read.

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mend::app::{Action, App, Opened, Screen};
use mend::content::{ExerciseId, ModuleId, StepId, Visibility, WorkbookId};
use mend::domain::{Answer, Entry, Person, PersonId, Profile, StepAnswer};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use tempfile::TempDir;

use crate::common::{self, Run, edit_keys, flowing};
use crate::fixtures;

fn sam() -> Person {
    Person {
        id: PersonId("sam0000000001".into()),
        name: "Sam".to_owned(),
    }
}

fn alex() -> Person {
    Person {
        id: PersonId("alex000000001".into()),
        name: "Alex".to_owned(),
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 31, 12, 0, 0).unwrap()
}

/// An entry of the test workbook's second exercise (or a check-in), with `text` as
/// its answer.
fn written(by: &Person, day: u32, title: &str, text: &str, visibility: Visibility) -> Entry {
    let mut e = fixtures::entry(&by.id, visibility, text, 0);
    e.created = Utc.with_ymd_and_hms(2025, 3, day, 21, 0, 0).unwrap();
    e.updated = e.created;
    std::sync::Arc::make_mut(&mut e.exercise).workbook = WorkbookId::new("test-book");
    std::sync::Arc::make_mut(&mut e.exercise).module = ModuleId::new("begin");
    std::sync::Arc::make_mut(&mut e.exercise).module_title = "Before you begin".into();
    std::sync::Arc::make_mut(&mut e.exercise).exercise = ExerciseId::new("second");
    std::sync::Arc::make_mut(&mut e.exercise).exercise_title = title.into();
    e
}

fn checkin(by: &Person, day: u32, text: &str) -> Entry {
    let mut e = written(by, day, "Check-in", text, Visibility::Private);
    std::sync::Arc::make_mut(&mut e.exercise).module = ModuleId::new("checkin");
    std::sync::Arc::make_mut(&mut e.exercise).module_title = "Check-in".into();
    std::sync::Arc::make_mut(&mut e.exercise).exercise = ExerciseId::new("checkin");
    e
}

/// Sam's and Alex's entries, newest first as a session holds them.
fn entries() -> Vec<Entry> {
    let (s, a) = (sam(), alex());
    let mut all = vec![
        written(
            &s,
            2,
            "The anniversary",
            "The café where we met, on our anniversary night",
            Visibility::Private,
        ),
        written(
            &s,
            20,
            "Forgiveness",
            "Not ready to forgive; maybe someday",
            Visibility::Shared,
        ),
        written(
            &a,
            25,
            "Where I am",
            "Thinking about the anniversary dinner, and the cafe",
            Visibility::Shared,
        ),
        written(
            &a,
            26,
            "Alone",
            "ALEXSECRET: the anniversary still hurts",
            Visibility::Private,
        ),
        checkin(&s, 29, "Tired but hopeful"),
    ];
    all.sort_by_key(|e| std::cmp::Reverse(e.updated));
    all
}

/// One person unlocked in memory, driven by keys as the terminal sends them, drawn and
/// measured after each as the driver does.
struct Someone {
    app: App,
}

impl Someone {
    fn unlocked(who: Person, entries: Vec<Entry>) -> Self {
        let people = vec![sam(), alex()];
        let mut app = App::new(vec![common::workbook()], people.clone(), now());
        app.update(
            common::at(now()),
            Action::Unlocked(Ok(Opened {
                person: who,
                people,
                missing: 0,
                entries,
                drafts: Vec::new(),
                profile: Profile::default(),
                problems: Vec::new(),
            })),
        );
        let mut this = Self { app };
        this.draw();
        this
    }

    fn draw(&mut self) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let mut targets = Vec::new();
        terminal
            .draw(|f| targets = mend::ui::draw(&self.app, f))
            .unwrap();
        let mut layout = mend::ui::layout(&self.app, Rect::new(0, 0, 80, 24));
        layout.targets = targets;
        self.app.laid_out(layout);
        terminal.backend().buffer().clone()
    }

    fn key(&mut self, code: KeyCode) {
        let event = KeyEvent::new(code, KeyModifiers::NONE);
        if let Some(action) = mend::keymap::action_for(self.app.key_context(), &event) {
            self.app.update(common::at(now()), action);
        }
        self.draw();
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// `/`, then `query` typed: the screen of results.
    fn search(&mut self, query: &str) -> String {
        self.key(KeyCode::Char('/'));
        self.keys(query);
        self.screen()
    }

    fn screen(&self) -> String {
        common::screen(&self.app, 80, 24)
    }

    /// The titles of the results, best first.
    fn found(&self) -> Vec<String> {
        let Screen::Search(state) = self.app.screen() else {
            panic!("not on the search screen:\n{}", self.screen());
        };
        let entries = &self.app.session().unwrap().entries;
        state
            .hits
            .iter()
            .map(|h| entries[h.entry].exercise.exercise_title.to_string())
            .collect()
    }

    /// Clears the query (Backspace over it) and types another.
    fn retype(&mut self, query: &str) -> Vec<String> {
        self.key(KeyCode::End);
        for _ in 0..80 {
            self.key(KeyCode::Backspace);
        }
        self.keys(query);
        self.found()
    }
}

/// The cells of the row holding `word`, from where it starts, with their modifiers.
fn style_of(buffer: &Buffer, word: &str) -> Option<Modifier> {
    for y in 0..buffer.area.height {
        let row: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        if let Some(at) = row.find(word) {
            let x = row[..at].chars().count() as u16;
            return Some(buffer[(x, y)].modifier);
        }
    }
    None
}

/// The screen as text, each row with a marked match followed by a row showing where:
/// `^` under what is reversed (the result chosen, the match in view), `~` under the
/// other matches (underlined).
fn marked(buffer: &Buffer) -> String {
    let mut out = String::new();
    // The hint bar's keys are reversed too: below the screen's body nothing is marked.
    let body = buffer.area.height.saturating_sub(3);
    for y in 0..buffer.area.height {
        let cells: Vec<&ratatui::buffer::Cell> =
            (0..buffer.area.width).map(|x| &buffer[(x, y)]).collect();
        let row: String = cells.iter().map(|c| c.symbol()).collect();
        out.push_str(row.trim_end());
        out.push('\n');
        let under: String = cells
            .iter()
            .map(|c| {
                if c.modifier.contains(Modifier::UNDERLINED) {
                    '~'
                } else if c.modifier.contains(Modifier::REVERSED) && !c.symbol().trim().is_empty() {
                    '^'
                } else {
                    ' '
                }
            })
            .collect();
        if y < body && !under.trim().is_empty() {
            out.push_str(under.trim_end());
            out.push('\n');
        }
    }
    out
}

#[test]
fn a_word_finds_what_i_may_read_as_i_type_and_enter_reads_it_marked() {
    let mut sam = Someone::unlocked(sam(), entries());
    let screen = sam.search("anniv");
    assert_eq!(sam.found(), ["Where I am", "The anniversary"], "{screen}");
    assert!(screen.contains("2 entries found"), "{screen}");
    assert!(
        !screen.contains("ALEXSECRET") && !sam.found().contains(&"Alone".to_owned()),
        "a partner's private entry is never searched:\n{screen}"
    );
    // Each result: its title, its date, whose it is, and its words around the match.
    assert!(screen.contains("25 Mar 2025"), "{screen}");
    assert!(screen.contains("shared · by Alex"), "{screen}");
    assert!(
        screen.contains("Thinking about the anniversary dinner"),
        "{screen}"
    );
    sam.keys("ersary");
    assert_eq!(sam.found(), ["Where I am", "The anniversary"]);

    sam.key(KeyCode::Down);
    sam.key(KeyCode::Enter);
    let Screen::Reading(_) = sam.app.screen() else {
        panic!("Enter reads the result:\n{}", sam.screen());
    };
    let screen = sam.screen();
    assert!(screen.contains("The café where we met"), "{screen}");
    assert!(
        screen.contains("Match 2 of 2, marked."),
        "the title's match and the answer's; the answer's is in view: {screen}"
    );
    let marked = style_of(&sam.draw(), "anniversary night").unwrap();
    assert!(
        marked.contains(Modifier::REVERSED),
        "the match in view stands out: {marked:?}"
    );
    // Esc: back to the results as they were, then to home.
    sam.key(KeyCode::Esc);
    assert_eq!(sam.found(), ["Where I am", "The anniversary"]);
    assert!(
        sam.screen().contains("Search: anniversary"),
        "{}",
        sam.screen()
    );
    sam.key(KeyCode::Esc);
    assert!(matches!(sam.app.screen(), Screen::Home(_)));
}

#[test]
fn accents_capitals_and_word_order_do_not_matter() {
    let mut sam = Someone::unlocked(sam(), entries());
    sam.search("CAFE");
    assert_eq!(
        sam.found(),
        ["Where I am", "The anniversary"],
        "cafe finds café, and café finds cafe"
    );
    assert_eq!(sam.retype("café"), ["Where I am", "The anniversary"]);
    assert_eq!(sam.retype("night anniversary"), ["The anniversary"]);
    assert_eq!(sam.retype("dinner cafe thinking"), ["Where I am"]);
    assert!(sam.retype("anniversary forgive").is_empty());
    assert!(
        flowing(&sam.screen()).contains("Nothing found"),
        "{}",
        sam.screen()
    );
}

#[test]
fn every_filter_narrows_the_results_and_they_combine() {
    let mut sam = Someone::unlocked(sam(), entries());
    let screen = sam.search("");
    assert!(
        flowing(&screen).contains("by:me") && flowing(&screen).contains("last:30"),
        "the filters are listed where they are typed:\n{screen}"
    );
    assert_eq!(sam.retype("anniversary by:me"), ["The anniversary"]);
    assert_eq!(sam.retype("anniversary by:alex"), ["Where I am"]);
    assert_eq!(sam.retype("by:Alex"), ["Where I am"]);
    assert_eq!(sam.retype("is:private"), ["Check-in", "The anniversary"]);
    assert_eq!(sam.retype("is:shared"), ["Where I am", "Forgiveness"]);
    assert_eq!(sam.retype("is:checkin"), ["Check-in"]);
    assert_eq!(sam.retype("in:forgiveness"), ["Forgiveness"]);
    assert_eq!(sam.retype("in:check-in hopeful"), ["Check-in"]);
    assert_eq!(sam.retype("last:7"), ["Check-in", "Where I am"]);
    assert_eq!(sam.retype("2025-03 is:shared by:me"), ["Forgiveness"]);
    assert!(sam.retype("2025-02").is_empty());
    assert_eq!(sam.retype("since:2025-03-21 anniversary"), ["Where I am"]);
}

#[test]
fn each_partner_finds_their_own_and_what_was_shared_never_the_others_private_words() {
    let mut alex = Someone::unlocked(alex(), entries());
    alex.search("anniversary");
    assert_eq!(alex.found(), ["Alone", "Where I am"]);
    assert!(
        alex.retype("café night").is_empty(),
        "Sam's private entry is not Alex's to find"
    );
    assert_eq!(
        alex.retype("forgive"),
        ["Forgiveness"],
        "Sam shared this one"
    );
    assert_eq!(alex.retype("by:sam"), ["Forgiveness"]);
    let mut sam = Someone::unlocked(sam(), entries());
    sam.search("ALEXSECRET");
    assert!(sam.found().is_empty());
    assert!(sam.retype("hurts").is_empty());
}

#[test]
fn n_and_n_move_between_the_matches_of_a_long_entry() {
    let mut long = written(&sam(), 10, "Letters", "", Visibility::Private);
    let filler = "Some words to read past before the next part. ".repeat(30);
    long.answers = (0..3)
        .map(|i| StepAnswer {
            step: StepId::new(format!("part-{i}")),
            prompt: format!("Part {i}").into(),
            answer: Answer::Text {
                text: format!("{filler}\nA lighthouse, part {i}.\n{filler}"),
            },
        })
        .collect();
    let mut sam = Someone::unlocked(sam(), vec![long]);
    sam.search("lighthouse");
    sam.key(KeyCode::Enter);
    let scroll = |p: &Someone| match p.app.screen() {
        Screen::Reading(r) => r.scroll,
        _ => panic!("not reading"),
    };
    let first = scroll(&sam);
    assert!(
        first > 0,
        "the first match is below the first page: scrolled to it"
    );
    assert!(
        sam.screen().contains("A lighthouse, part 0."),
        "{}",
        sam.screen()
    );
    sam.key(KeyCode::Char('n'));
    assert!(
        sam.screen().contains("A lighthouse, part 1."),
        "{}",
        sam.screen()
    );
    assert!(
        sam.screen().contains("Match 2 of 3, marked."),
        "{}",
        sam.screen()
    );
    assert!(scroll(&sam) > first);
    sam.key(KeyCode::Char('n'));
    sam.key(KeyCode::Char('n'));
    assert_eq!(scroll(&sam), first, "after the last, round to the first");
    sam.key(KeyCode::Char('N'));
    assert!(
        sam.screen().contains("A lighthouse, part 2."),
        "{}",
        sam.screen()
    );
    assert!(
        sam.screen().contains("Match 3 of 3, marked."),
        "{}",
        sam.screen()
    );
}

#[test]
fn the_search_opens_scrolled_to_the_step_that_matched() {
    let mut e = written(&sam(), 10, "Two parts", "nothing here", Visibility::Private);
    let filler = "A long first answer that fills the page. ".repeat(30);
    e.answers[0].answer = Answer::Text {
        text: format!("{filler} a harbour at the end"),
    };
    e.answers[2].prompt = "What helps? (harbour)".into();
    let mut sam = Someone::unlocked(sam(), vec![e]);
    sam.search("harbour");
    sam.key(KeyCode::Enter);
    let screen = sam.screen();
    assert!(
        screen.contains("Match 1 of 2, marked."),
        "the answer's match and the prompt's: {screen}"
    );
    let Screen::Reading(reading) = sam.app.screen() else {
        panic!("{screen}");
    };
    assert!(
        reading.scroll > 0,
        "the answer that matched is below the first page"
    );
    assert!(screen.contains("a harbour at the end"), "{screen}");
}

#[test]
fn history_opens_a_search_and_esc_goes_back_to_history() {
    let mut sam = Someone::unlocked(sam(), entries());
    sam.key(KeyCode::Char('h'));
    sam.key(KeyCode::Down);
    sam.search("forgive");
    assert_eq!(sam.found(), ["Forgiveness"]);
    sam.key(KeyCode::Esc);
    match sam.app.screen() {
        Screen::History(h) => assert_eq!(h.cursor, 1, "history as it was left"),
        _ => panic!("{}", sam.screen()),
    }
}

#[test]
fn a_lock_wipes_the_query_and_what_it_found() {
    let mut sam = Someone::unlocked(sam(), entries());
    sam.search("anniversary");
    sam.app.update(common::at(now()), Action::Hide);
    assert!(sam.app.session().is_none());
    let sam_again = Someone::unlocked(self::sam(), entries());
    drop(sam);
    let mut sam = sam_again;
    let screen = sam.search("");
    assert!(screen.contains("Search:"), "{screen}");
    assert!(!screen.contains("anniversary"), "{screen}");
    assert!(sam.found().is_empty());
}

/// Years of entries: more than one keypress looks through, so each key is drawn at once
/// and the results follow as the rest is looked through between keys.
#[test]
fn in_a_long_journal_a_key_is_drawn_at_once_and_the_results_follow() {
    let mut sam = Someone::unlocked(sam(), long_journal());
    let screen = sam.search("harbour");
    assert!(
        sam.app.working(),
        "the whole journal is not looked through in one key"
    );
    assert!(
        screen.contains("Search: harbour") && screen.contains("Searching…"),
        "the query is shown while its results are found:\n{screen}"
    );
    while sam.app.working() {
        sam.app.update(common::at(now()), Action::Work);
    }
    sam.draw();
    assert_eq!(sam.found().len(), 200);
    assert!(
        sam.screen().contains("200 entries found"),
        "{}",
        sam.screen()
    );

    // Typed quickly and Enter at once: what is read is found for the query as typed.
    sam.key(KeyCode::End);
    for _ in 0.."harbour".len() {
        sam.key(KeyCode::Backspace);
    }
    sam.keys("meadow");
    assert!(sam.app.working());
    sam.key(KeyCode::Enter);
    let Screen::Reading(state) = sam.app.screen() else {
        panic!("Enter reads the best result:\n{}", sam.screen());
    };
    let read = &sam.app.session().unwrap().entries[state.entry];
    assert_eq!(&*read.exercise.exercise_title, "Meadow");
    assert!(!sam.app.working());
}

/// Locked or quit in the middle of a search: nothing is left to look through (a driver
/// asked to go on with it would wait on a search that can never end).
#[test]
fn a_search_under_way_ends_with_the_session() {
    for (leave, how) in [(Action::Hide, "hidden"), (Action::Quit, "quit")] {
        let mut sam = Someone::unlocked(sam(), long_journal());
        sam.search("harbour");
        assert!(sam.app.working());
        sam.app.update(common::at(now()), leave);
        assert!(!sam.app.working(), "{how}");
        assert_eq!(sam.app.work_due(now()), None);
    }
}

/// 600 entries of about a kilobyte each: more than one turn of a search looks through.
fn long_journal() -> Vec<Entry> {
    let s = sam();
    let filler = "An ordinary evening, with nothing much to say about it. ".repeat(20);
    (0..600u32)
        .map(|i| {
            let (title, place) = if i % 3 == 0 {
                ("Harbour", "We walked by the harbour.")
            } else {
                ("Meadow", "We sat in the meadow.")
            };
            written(
                &s,
                1 + i % 28,
                title,
                &format!("{filler}{place}"),
                Visibility::Private,
            )
        })
        .collect()
}

#[test]
fn a_search_writes_nothing_and_finds_what_was_just_saved() {
    let dir = TempDir::new().unwrap();
    let mut run = Run::with_profile(&dir);
    // Searched once before the entry exists, so a stale corpus would miss it.
    run.act(Action::Search);
    run.all(common::chars("lighthouse"));
    run.act(Action::Cancel);
    run.act(Action::PageDown);
    run.act(Action::Select);
    run.all(edit_keys("A lighthouse on the hill"));
    run.act(Action::Next);
    run.act(Action::Select);
    assert!(
        run.screen().contains("Saved and encrypted"),
        "{}",
        run.screen()
    );
    let before = fixtures::files_under(dir.path())
        .into_iter()
        .map(|f| (std::fs::read(&f).unwrap(), f))
        .collect::<Vec<_>>();
    run.act(Action::Search);
    run.all(common::chars("lighthouse hill"));
    let screen = run.screen();
    assert!(screen.contains("1 entry found"), "{screen}");
    run.act(Action::Select);
    assert!(
        run.screen().contains("A lighthouse on the hill"),
        "{}",
        run.screen()
    );
    run.act(Action::Cancel);
    run.act(Action::Cancel);
    let after = fixtures::files_under(dir.path())
        .into_iter()
        .map(|f| (std::fs::read(&f).unwrap(), f))
        .collect::<Vec<_>>();
    assert_eq!(
        before, after,
        "no index, no history of queries, nothing written"
    );
    for (bytes, file) in &after {
        assert!(
            !String::from_utf8_lossy(bytes).contains("lighthouse"),
            "{file:?}"
        );
    }
}

#[test]
fn search_screen_80x24() {
    let mut sam = Someone::unlocked(sam(), entries());
    sam.search("anniversary");
    insta::assert_snapshot!("search_results", marked(&sam.draw()));
}

#[test]
fn entry_found_by_search_80x24() {
    let mut sam = Someone::unlocked(sam(), entries());
    sam.search("cafe night");
    sam.key(KeyCode::Enter);
    insta::assert_snapshot!("search_entry_marked", marked(&sam.draw()));
}
