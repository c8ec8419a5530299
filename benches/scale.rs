//! `cargo bench`: what mend does at each vault size, on the scale fixture
//! (`benches/support/scale.rs`; a couple, N entry files in all).
//!
//! ```sh
//! cargo bench --bench scale                          # N = 10, 100, 1,000, 10,000
//! MEND_BENCH_MAX_N=100000 cargo bench --bench scale  # and 100,000 (first build ~3 min)
//! cargo bench --bench scale -- 'save|export'         # only some (a regex on the names)
//! cargo bench --bench scale -- --save-baseline before   # then later --baseline before
//! ```
//!
//! Fixtures are built once (with the release key cost; one key derivation per person)
//! into `<target>/mend-scale/` and reused; `MEND_SCALE_CACHE` puts them elsewhere.
//! Groups, each with one result per N:
//! - `workbook/load_builtin`: parse and validate the built-in workbook;
//! - `open`: `Vault::load` after the key is derived;
//! - `unlock`: all an unlock does after the key derivation, as the driver does it: the
//!   load (the folder already listed and the sealed cache read, which happen while the
//!   key is derived), the app taking the entries, and home drawn;
//! - `memory`: not a time: bytes the app holds once home is drawn after an unlock,
//!   counted by this bench's allocator and printed per N (`memory/N: ...`);
//! - `save`: `save_entry` of one finished answer, fsync included;
//! - `home`, `home_key`, `step_type`, `history_key`, `trends`, `trends_all`: one
//!   keypress through `App::update` (none for `home` and `trends`) and a full draw of
//!   the screen into an 80x24 ratatui `TestBackend`, as the driver does per key;
//! - `read_key`: Enter on the newest entry in history and Esc back, drawn (the entry
//!   made the same at every N);
//! - `export_screen`: moving between the export screen's choices, with its preview;
//!   `export_tick`: Space on an entry there, drawn; `export_tick_module`: Space on a
//!   module (every entry under it); `export_preview`: an entry's tick with the
//!   preview made again after it (done when no key is waiting);
//! - `export_html`, `export_markdown`: the whole counselling summary (every entry,
//!   private ones and trends included), as a string;
//! - `export_command`: `mend export` after its key derivation: the load (the folder
//!   listed beforehand, as the command lists it during the derivation), the summary
//!   (Markdown, everything) and nothing written;
//! - `search_corpus`, `search_full`, `search_key`, `search_results`: building what
//!   search looks through, one query over all of it, one keypress on the search screen
//!   drawn (a slice of the corpus looked through), and the same keypress to its
//!   results drawn (every slice, between keys).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use mend::app::{Action, App, KeyContext, Opened, Screen};
use mend::content::{self, Visibility};
use mend::editor::{EditInput, EditKey};
use mend::entry::{Answer, Entry, EntryId, StepAnswer};
use mend::export::{self, Document, Format, Selection};
use mend::vault::{Unlocked, Vault};

/// The system allocator, counting the bytes held, for the `memory` figures.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);

// The one unsafe code in the project, in a bench only (the issue asks for a counting
// allocator): an allocator is an unsafe trait.
// SAFETY: every call is passed straight to the system allocator; only a count is kept.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HELD.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: as the caller promised for `layout`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as the caller promised for `ptr` and `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HELD.fetch_add(new_size, Ordering::Relaxed);
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as the caller promised for `ptr`, `layout` and `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[path = "support/scale.rs"]
mod scale;

struct Fixture {
    n: usize,
    vault: Vault,
    keys: Unlocked,
    opened: Opened,
}

fn fixture(n: usize) -> Fixture {
    let spec = scale::Spec::new(n, true);
    let dir = scale::cached(&spec);
    let (vault, keys) = scale::open_first(&dir, &spec);
    let mut loaded = vault.load(&keys);
    if let Some(update) = loaded.cache.take() {
        // As the app does after a load that found changes.
        vault.write_cache(update).expect("the cache is written");
    }
    assert!(
        loaded.problems.is_empty(),
        "the fixture has problems: {:?}",
        loaded.problems
    );
    let opened = Opened {
        person: keys.person.clone(),
        people: vault.people().to_vec(),
        missing: 0,
        entries: loaded.entries,
        drafts: loaded.drafts,
        profile: loaded.profile,
        problems: loaded.problems,
    };
    Fixture {
        n,
        vault,
        keys,
        opened,
    }
}

fn fixtures() -> Vec<Fixture> {
    scale::sizes().into_iter().map(fixture).collect()
}

/// An app at home with this fixture's first person unlocked, as after a real unlock.
fn app_at_home(f: &Fixture) -> App {
    app_opened(f.opened.clone())
}

/// [`app_at_home`] with `opened` as the unlock's entries.
fn app_opened(opened: Opened) -> App {
    let now = scale::end() + TimeDelta::days(1);
    let mut app = App::new(vec![content::builtin()], opened.people.clone(), now);
    app.update(at(now), Action::Unlocked(Ok(opened)));
    assert!(matches!(app.screen(), Screen::Home(_)), "unlock leads home");
    // A fresh unlock shows a welcome line; the next key (one home ignores) clears it.
    app.update(at(now), Action::Left);
    app
}

/// An unlock after the key derivation, as the driver does it: the listed folder
/// loaded, the entries handed to the app, home drawn.
fn unlocked_at_home(f: &Fixture, listing: mend::vault::Listing) -> App {
    let loaded = f.vault.load_listed(&f.keys, listing);
    assert!(loaded.cache.is_none(), "served from the cache");
    let now = scale::end() + TimeDelta::days(1);
    let opened = Opened {
        person: f.keys.person.clone(),
        people: f.vault.people().to_vec(),
        missing: 0,
        entries: loaded.entries,
        drafts: loaded.drafts,
        profile: loaded.profile,
        problems: loaded.problems,
    };
    let mut app = App::new(vec![content::builtin()], opened.people.clone(), now);
    app.update(at(now), Action::Unlocked(Ok(opened)));
    let mut term = terminal();
    turn(&mut app, &mut term, None);
    app
}

/// `like` (its id, author, times and visibility) with the same exercise and words at
/// every N: three paragraphs and a scale.
fn same_entry(like: &Entry) -> Entry {
    let paragraph = "Some days the quiet between us feels like a wall, and some days \
        like a room we are both learning to sit in. Today it was the room. "
        .repeat(4);
    let text = [paragraph.as_str(); 3].join("\n\n");
    let step = |id: &str, prompt: &str, answer: Answer| StepAnswer {
        step: content::StepId::new(id),
        prompt: prompt.into(),
        answer,
    };
    Entry {
        exercise: std::sync::Arc::new(mend::entry::ExerciseRef {
            workbook: content::WorkbookId::new("bench"),
            workbook_version: "1".into(),
            module: content::ModuleId::new("reading"),
            exercise: content::ExerciseId::new("same"),
            module_title: "Reading".into(),
            exercise_title: "The same entry at every size".into(),
        }),
        answers: vec![
            step("what", "What happened today?", Answer::Text { text }),
            step(
                "how",
                "How close did you feel?",
                Answer::Scale {
                    value: 6,
                    min: 0,
                    max: 10,
                    min_label: "far".into(),
                    max_label: "close".into(),
                },
            ),
        ],
        ..like.clone()
    }
}

/// The moment of an action, with a fresh id, as the driver makes one.
fn at(now: chrono::DateTime<chrono::Utc>) -> mend::app::Moment {
    mend::app::Moment::new(now, mend::domain::EntryId::random())
}

type Screen80 = Terminal<TestBackend>;

fn terminal() -> Screen80 {
    Terminal::new(TestBackend::new(80, 24)).expect("a test terminal")
}

/// One turn of the driver's loop: the action through `update`, then a draw.
fn turn(app: &mut App, terminal: &mut Screen80, action: Option<Action>) {
    if let Some(action) = action {
        let now = app.last_activity() + TimeDelta::seconds(1);
        // Effects (a draft saved on changing step) are the driver's IO, not measured here.
        std::hint::black_box(app.update(at(now), action));
    }
    let frame = terminal
        .draw(|f| mend::ui::render(app, f))
        .expect("drawing into memory");
    let layout = mend::ui::layout(app, Rect::new(0, 0, 80, 24));
    app.laid_out(layout);
    std::hint::black_box(frame.area);
}

/// The work a key left under way (a search's slices, an export preview), done as the
/// driver does it while nothing is typed, and the frame that shows it drawn.
fn settle(app: &mut App, terminal: &mut Screen80) {
    while app.working() {
        let now = app.last_activity() + TimeDelta::seconds(1);
        std::hint::black_box(app.update(at(now), Action::Work));
    }
    turn(app, terminal, None);
}

fn key(c: char) -> Action {
    Action::Edit(EditInput {
        key: EditKey::Char(c),
        ..EditInput::default()
    })
}

fn backspace() -> Action {
    Action::Edit(EditInput {
        key: EditKey::Backspace,
        ..EditInput::default()
    })
}

fn bench_workbook(c: &mut Criterion) {
    c.bench_function("workbook/load_builtin", |b| {
        b.iter(|| std::hint::black_box(content::builtin()));
    });
}

fn bench_vault(c: &mut Criterion, all: &[Fixture]) {
    // What unlocking does after the key derivation: with the person's entry cache, as
    // every unlock but the first finds it.
    let mut open = c.benchmark_group("open");
    open.sample_size(10).warm_up_time(Duration::from_secs(1));
    for f in all {
        open.bench_with_input(BenchmarkId::from_parameter(f.n), f, |b, f| {
            b.iter(|| {
                let loaded = f.vault.load(&f.keys);
                assert!(loaded.cache.is_none(), "served from the cache");
                std::hint::black_box(loaded.entries.len())
            });
        });
    }
    open.finish();

    // All an unlock does after the key derivation, as the driver does it.
    let mut unlock = c.benchmark_group("unlock");
    unlock.sample_size(10).warm_up_time(Duration::from_secs(1));
    for f in all {
        unlock.bench_with_input(BenchmarkId::from_parameter(f.n), f, |b, f| {
            b.iter_batched(
                || f.vault.list_entries(&f.keys.person.id),
                // The app is handed back, so ten years of entries being freed (which
                // an unlock never does) is left out of the time.
                |listing| unlocked_at_home(f, listing),
                criterion::BatchSize::PerIteration,
            );
        });
    }
    unlock.finish();

    // What the app holds once home is drawn after an unlock.
    for f in all {
        let before = HELD.load(Ordering::Relaxed);
        let app = unlocked_at_home(f, f.vault.list_entries(&f.keys.person.id));
        let held = HELD.load(Ordering::Relaxed).saturating_sub(before);
        println!(
            "memory/{}: {:.1} MiB held by the app at home after an unlock ({} bytes per entry)",
            f.n,
            f64::from(u32::try_from(held / 1024).unwrap_or(u32::MAX)) / 1024.0,
            held / f.n.max(1)
        );
        drop(app);
    }

    // The first unlock (no cache yet): every entry file opened.
    let mut cold = c.benchmark_group("open_cold");
    cold.sample_size(10).warm_up_time(Duration::from_secs(1));
    for f in all {
        let cache = f
            .vault
            .data_dir()
            .join("cache")
            .join(format!("{}.age", f.keys.person.id));
        let kept = cache.with_extension("kept");
        std::fs::rename(&cache, &kept).expect("the fixture has its cache");
        cold.bench_with_input(BenchmarkId::from_parameter(f.n), f, |b, f| {
            b.iter(|| std::hint::black_box(f.vault.load(&f.keys).entries.len()));
        });
        std::fs::rename(&kept, &cache).unwrap();
    }
    cold.finish();

    let mut save = c.benchmark_group("save");
    save.sample_size(30).warm_up_time(Duration::from_secs(1));
    for f in all {
        // One more finished answer; saved again and again under one id (a save replaces
        // the file the same way a new one is written), removed afterwards so the
        // cached fixture keeps its N.
        let mut entry: Entry = f
            .opened
            .entries
            .iter()
            .find(|e| {
                f.opened.person.id == e.author
                    && e.exercise.module.as_str() != content::CHECKIN_MODULE
            })
            .expect("the fixture has an entry by its first person")
            .clone();
        entry.id = EntryId::random();
        entry.created = Utc::now();
        entry.updated = entry.created;
        entry.visibility = Visibility::Private;
        entry.answers.push(StepAnswer {
            step: mend::content::StepId::new("bench"),
            prompt: "One more thing".into(),
            answer: Answer::Text {
                text: "A few sentences, as a person might write at the end of a long day. "
                    .repeat(6),
            },
        });
        save.bench_with_input(BenchmarkId::from_parameter(f.n), f, |b, f| {
            b.iter(|| f.vault.save_entry(&f.keys, &entry).expect("the save works"));
        });
        let path = f
            .vault
            .data_dir()
            .join("entries")
            .join(format!("{}.age", entry.id));
        // Not there when a filter skipped this bench.
        let _ = std::fs::remove_file(&path);
    }
    save.finish();
}

/// Reading: the same entry opened and closed at every N.
fn bench_reading(c: &mut Criterion, all: &[Fixture]) {
    // The same entry at every N: the newest one made the same, so what reading costs
    // is compared at one length, not whichever entry a fixture happens to hold.
    let mut group = c.benchmark_group("read_key");
    for f in all {
        let mut opened = f.opened.clone();
        if let Some(newest) = opened.entries.first_mut() {
            *newest = same_entry(newest);
        }
        let mut app = app_opened(opened);
        let mut term = terminal();
        turn(&mut app, &mut term, Some(Action::History));
        turn(&mut app, &mut term, Some(Action::Select));
        assert!(
            matches!(app.screen(), Screen::Reading(_)),
            "Enter opens the newest entry"
        );
        assert!(
            format!("{:?}", term.backend().buffer()).contains("The same entry"),
            "the entry made the same is the one read"
        );
        turn(&mut app, &mut term, Some(Action::Cancel));
        assert!(matches!(app.screen(), Screen::History(_)), "Esc goes back");
        let mut open = true;
        group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| {
                let action = if open { Action::Select } else { Action::Cancel };
                open = !open;
                turn(&mut app, &mut term, Some(action));
            });
        });
    }
    group.finish();
}

fn bench_screens(c: &mut Criterion, all: &[Fixture]) {
    let mut group = c.benchmark_group("home");
    for f in all {
        let mut app = app_at_home(f);
        let mut term = terminal();
        group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| turn(&mut app, &mut term, None));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("home_key");
    for f in all {
        let mut app = app_at_home(f);
        let mut term = terminal();
        let mut down = true;
        group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| {
                let action = if down { Action::Down } else { Action::Up };
                down = !down;
                turn(&mut app, &mut term, Some(action));
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("step_type");
    for f in all {
        let mut app = app_at_home(f);
        let mut term = terminal();
        open_text_step(&mut app, &mut term);
        let mut typing = true;
        group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| {
                let action = if typing { key('a') } else { backspace() };
                typing = !typing;
                turn(&mut app, &mut term, Some(action));
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("history_key");
    for f in all {
        let mut app = app_at_home(f);
        let mut term = terminal();
        turn(&mut app, &mut term, Some(Action::History));
        // Somewhere in the middle of the list, a few years back.
        for _ in 0..f.n / 2 / 10 {
            turn(&mut app, &mut term, Some(Action::PageDown));
        }
        let mut down = true;
        group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| {
                let action = if down { Action::Down } else { Action::Up };
                down = !down;
                turn(&mut app, &mut term, Some(action));
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("export_screen");
    group.sample_size(10);
    for f in all {
        let mut app = app_at_home(f);
        let mut term = terminal();
        turn(&mut app, &mut term, Some(Action::Export));
        settle(&mut app, &mut term);
        assert!(
            matches!(app.screen(), Screen::Export(_)),
            "e opens the export screen"
        );
        let mut down = true;
        group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| {
                let action = if down { Action::Down } else { Action::Up };
                down = !down;
                turn(&mut app, &mut term, Some(action));
            });
        });
    }
    group.finish();
    bench_export_tick(c, all);
}

/// `export_tick`: Space on the first entry's row, ticked and drawn (its preview left
/// for a pause). `export_tick_module`: the same on the first module's row (every entry
/// under it ticked or unticked). `export_preview`: the entry's tick with the preview
/// made again after it, as when the person stops (every entry in it: private ones are
/// ticked first).
fn bench_export_tick(c: &mut Criterion, all: &[Fixture]) {
    for (name, row, preview) in [
        ("export_tick", 5, false),
        ("export_tick_module", 3, false),
        ("export_preview", 5, true),
    ] {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        for f in all {
            let mut app = app_at_home(f);
            let mut term = terminal();
            turn(&mut app, &mut term, Some(Action::Export));
            // Format, Period, Trends, then the first module, exercise and entry.
            for _ in 0..row {
                turn(&mut app, &mut term, Some(Action::Down));
            }
            settle(&mut app, &mut term);
            group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
                b.iter(|| {
                    turn(&mut app, &mut term, Some(Action::Toggle));
                    if preview {
                        settle(&mut app, &mut term);
                    }
                });
            });
            settle(&mut app, &mut term);
        }
        group.finish();
    }

    for (name, all_time) in [("trends", false), ("trends_all", true)] {
        let mut group = c.benchmark_group(name);
        for f in all {
            let mut app = app_at_home(f);
            let mut term = terminal();
            turn(&mut app, &mut term, Some(Action::Trends));
            if all_time {
                turn(&mut app, &mut term, Some(Action::Right));
                turn(&mut app, &mut term, Some(Action::Right));
            }
            group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
                b.iter(|| turn(&mut app, &mut term, None));
            });
        }
        group.finish();
    }
}

/// From home: the quick check-in, then on to its first text step (its one line).
fn open_text_step(app: &mut App, term: &mut Screen80) {
    let checkin_row = usize::from(app.session().is_some_and(|s| !s.drafts.is_empty()));
    for _ in 0..checkin_row {
        turn(app, term, Some(Action::Down));
    }
    turn(app, term, Some(Action::Select));
    for _ in 0..10 {
        if app.key_context() == KeyContext::StepText {
            return;
        }
        turn(app, term, Some(Action::Next));
    }
    panic!("the check-in has a text step");
}

fn bench_export(c: &mut Criterion, all: &[Fixture]) {
    let selection = Selection {
        include_private: true,
        include_trends: true,
        ..Selection::default()
    };
    for (name, format) in [
        ("export_html", Format::Html),
        ("export_markdown", Format::Markdown),
    ] {
        let mut group = c.benchmark_group(name);
        group.sample_size(20);
        for f in all {
            let partner = f
                .opened
                .people
                .iter()
                .find(|p| p.id != f.opened.person.id)
                .map(|p| export::Person {
                    id: p.id.clone(),
                    name: p.name.clone(),
                });
            let doc = Document {
                me: export::Person {
                    id: f.opened.person.id.clone(),
                    name: f.opened.person.name.clone(),
                },
                partner,
                generated: scale::end(),
                offset: chrono::FixedOffset::east_opt(0).expect("zero is an offset"),
                entries: f.opened.entries.iter().collect(),
                selection: &selection,
            };
            group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
                b.iter(|| std::hint::black_box(export::render(&doc, format).len()));
            });
        }
        group.finish();
    }
}

/// Search (issue 18). `search_corpus`: building what search looks through (once per
/// change to the entries, at the first search after it). `search_full`: one query
/// matched against every readable entry (the first letter of a new query, a paste).
/// `search_key`: one keypress on the search screen as the driver does it, the query
/// changed (a letter typed, then taken back, in turn: typing on searches only the last
/// results, a backspace returns to results already found) and the results drawn.
fn bench_search(c: &mut Criterion, all: &[Fixture]) {
    use mend::search::{Corpus, People, Query, find};
    let mut build = c.benchmark_group("search_corpus");
    build.sample_size(10);
    for f in all {
        let app = app_at_home(f);
        let session = app.session().expect("unlocked");
        let readable = session
            .reader(app.people())
            .may_see(app.workbooks(), &session.entries);
        build.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| std::hint::black_box(Corpus::build(&session.entries, &readable).len()));
        });
    }
    build.finish();
    let mut full = c.benchmark_group("search_full");
    for f in all {
        let app = app_at_home(f);
        let session = app.session().expect("unlocked");
        let corpus = session.corpus(app.workbooks(), app.people());
        let people = People {
            me: &session.person.id,
            names: app
                .people()
                .iter()
                .map(|p| (&p.id, p.name.clone()))
                .collect(),
        };
        let query = Query::parse("walk evening", scale::end().date_naive());
        full.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| std::hint::black_box(find(corpus, &session.entries, &query, &people).len()));
        });
    }
    full.finish();
    // The key drawn (a slice of the corpus looked through), then the key to its results
    // drawn (every slice, as the driver hands them over between keys).
    for (name, to_results) in [("search_key", false), ("search_results", true)] {
        let mut group = c.benchmark_group(name);
        for f in all {
            let mut app = app_at_home(f);
            let mut terminal = terminal();
            turn(&mut app, &mut terminal, Some(Action::Search));
            for c in "walk evenin".chars() {
                turn(&mut app, &mut terminal, Some(Action::Char(c)));
            }
            settle(&mut app, &mut terminal);
            assert_eq!(app.key_context(), KeyContext::Search);
            let mut typed = false;
            group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
                b.iter(|| {
                    let key = if typed {
                        Action::Backspace
                    } else {
                        Action::Char('g')
                    };
                    typed = !typed;
                    turn(&mut app, &mut terminal, Some(key));
                    if to_results {
                        settle(&mut app, &mut terminal);
                    }
                });
            });
        }
        group.finish();
    }
}

/// `mend export` after its key derivation: load, summary, nothing written.
fn bench_export_command(c: &mut Criterion, all: &[Fixture]) {
    let selection = Selection {
        include_private: true,
        include_trends: true,
        ..Selection::default()
    };
    let workbooks = [content::builtin()];
    let mut group = c.benchmark_group("export_command");
    group.sample_size(10);
    for f in all {
        group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            // The command lists the entry folder while the key derivation runs, so the
            // listing is made before each run, untimed, as it is for `unlock`.
            b.iter_batched(
                || f.vault.list_entries(&f.keys.person.id),
                |listing| {
                    let loaded = f.vault.load_listed(&f.keys, listing);
                    let text = export::summary(
                        &export::Request {
                            workbooks: &workbooks,
                            me: &f.keys.person,
                            people: f.vault.people(),
                            entries: &loaded.entries,
                            selection: &selection,
                            generated: scale::end(),
                            offset: chrono::FixedOffset::east_opt(0).expect("zero is an offset"),
                        },
                        Format::Markdown,
                    );
                    std::hint::black_box(text.len())
                },
                criterion::BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_workbook(c);
    let all = fixtures();
    bench_vault(c, &all);
    bench_screens(c, &all);
    bench_reading(c, &all);
    bench_export(c, &all);
    bench_export_command(c, &all);
    bench_search(c, &all);
}

criterion_group! {
    name = scale_benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(scale_benches);
