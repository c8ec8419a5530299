//! Hostile content (issue 6, promise 8): workbook files are written by anyone, so mend
//! must survive whatever is in one. Generated and mutated workbooks go through the
//! loader, the validator and the screens, and for every one of them: nothing panics,
//! the work ends (a watchdog aborts the run if one case hangs), no control character,
//! escape sequence or bidirectional override reaches a screen cell or a diagnostic
//! printed by `mend check`, and no file outside the content folder is opened.
//!
//! The content format has no include, import or path of any kind: a workbook is one
//! TOML text, and `library` opens only the files and folders it is given. The last
//! test holds that in place: paths written in a workbook open nothing.
//!
//! Long variant (20,000 cases):
//! `cargo test --release --test all -- --ignored --nocapture hostile_content::`

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mend::app::step::Place;
use mend::app::{Action, App, Opened, RoleState, Screen, StepState};
use mend::content::{Exercise, ModuleId, Workbook, validate};
use mend::entry::{EntryId, PersonId, Profile};
use mend::vault::Person;
use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::common;
use crate::rng::{Rng, Seed};

/// Text a hostile author might put anywhere: escape sequences (as TOML escapes, which
/// are legal inside strings, and raw), bidi overrides, NUL, C1 controls, CR, BEL.
const HOSTILE: &[&str] = &[
    "\\u001b[2J\\u001b[H",
    "\\u001b]0;owned\\u0007",
    "\\u001b]8;;file:///etc/passwd\\u001b\\\\link\\u001b]8;;\\u001b\\\\",
    "\\u009b31m",
    "\\u0000",
    "\\r\\rover",
    "\\b\\b\\b",
    "\\u202eevil\\u202c",
    "\\u2066\\u2067\\u2068\\u2069",
    "\\u200f\\u061c\\ufeff",
    "\\u0085\\u008d\\u009c",
    "\\u2028\\u2029",
    "\\t\\u007f",
    "\u{1b}[31m",
    "\u{202e}",
    "\u{0}",
    "\r",
    "\u{9b}",
    "../../../../etc/passwd",
    "/etc/shadow",
    "👩\u{200d}👩\u{200d}👧 雪 é",
];

/// Characters that must never be in a screen cell.
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{feff}')
}

/// The workbooks every mutation starts from: the built-in files and the test fixtures.
fn seeds() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    for dir in ["content", "tests/fixtures/content"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for file in files {
            let name = file.strip_prefix(root).unwrap().display().to_string();
            seeds.push((name, std::fs::read_to_string(&file).unwrap()));
        }
    }
    assert!(seeds.len() > 20, "the seeds are missing");
    // Workbooks that load come first, so most cases start from one and a mutation can
    // carry hostile text all the way to the screen.
    seeds.sort_by_key(|(name, source)| validate::parse_str(name, source).is_err());
    seeds
}

/// One change to a workbook's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    FlipBit {
        at: prop::sample::Index,
        bit: u8,
    },
    Insert {
        at: prop::sample::Index,
        text: String,
    },
    /// Inside the string that follows `at` (after its opening quote), where escapes
    /// are legal TOML and the text survives to the screen.
    IntoString {
        at: prop::sample::Index,
        text: String,
    },
    Truncate {
        at: prop::sample::Index,
    },
    DuplicateLine {
        at: prop::sample::Index,
    },
    DeleteLine {
        at: prop::sample::Index,
    },
    LongLine {
        at: prop::sample::Index,
        len: usize,
    },
    DeepNesting {
        depth: usize,
        inline_tables: bool,
    },
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(HOSTILE).prop_map(str::to_owned),
        3 => prop::collection::vec(prop::sample::select(HOSTILE), 1..6).prop_map(|v| v.concat()),
        2 => "[ -~]{0,12}",
        2 => (1usize..2_000).prop_map(|n| "x".repeat(n)),
        1 => (1usize..300_000).prop_map(|n| "x".repeat(n)),
        1 => any::<char>().prop_map(String::from),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>;
    prop_oneof![
        3 => (at(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        2 => (at(), hostile_text()).prop_map(|(at, text)| Mutation::Insert { at, text }),
        4 => (at(), hostile_text()).prop_map(|(at, text)| Mutation::IntoString { at, text }),
        1 => at().prop_map(|at| Mutation::Truncate { at }),
        1 => at().prop_map(|at| Mutation::DuplicateLine { at }),
        1 => at().prop_map(|at| Mutation::DeleteLine { at }),
        1 => (at(), prop_oneof![1usize..5_000, 1usize..300_000])
            .prop_map(|(at, len)| Mutation::LongLine { at, len }),
        1 => (1usize..20_000, any::<bool>())
            .prop_map(|(depth, inline_tables)| Mutation::DeepNesting { depth, inline_tables }),
    ]
}

/// The byte offset `at` picks in `bytes`, moved back to a character boundary when the
/// bytes are text, so an insertion keeps the rest of the file readable.
fn offset(bytes: &[u8], at: prop::sample::Index) -> usize {
    let mut i = at.index(bytes.len() + 1);
    if let Ok(text) = std::str::from_utf8(bytes) {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
    }
    i
}

fn line_bounds(bytes: &[u8], at: usize) -> (usize, usize) {
    let start = bytes[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| at + i + 1);
    (start, end)
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    match mutation {
        Mutation::FlipBit { at, bit } if !bytes.is_empty() => {
            let i = at.index(bytes.len());
            bytes[i] ^= 1 << bit;
        }
        Mutation::FlipBit { .. } => {}
        Mutation::Insert { at, text } => {
            let i = offset(bytes, *at);
            bytes.splice(i..i, text.bytes());
        }
        Mutation::IntoString { at, text } => {
            let from = offset(bytes, *at);
            if let Some(quote) = bytes[from..].iter().position(|b| *b == b'"') {
                let i = from + quote + 1;
                bytes.splice(i..i, text.bytes());
            }
        }
        Mutation::Truncate { at } => bytes.truncate(offset(bytes, *at)),
        Mutation::DuplicateLine { at } => {
            let (start, end) = line_bounds(bytes, offset(bytes, *at));
            let line = bytes[start..end].to_vec();
            bytes.splice(end..end, line);
        }
        Mutation::DeleteLine { at } => {
            let (start, end) = line_bounds(bytes, offset(bytes, *at));
            bytes.drain(start..end);
        }
        Mutation::LongLine { at, len } => {
            let (start, _) = line_bounds(bytes, offset(bytes, *at));
            let line = format!("# {}\n", "#".repeat(*len));
            bytes.splice(start..start, line.bytes());
        }
        Mutation::DeepNesting {
            depth,
            inline_tables,
        } => {
            let (open, close) = if *inline_tables {
                ("{a=", "}")
            } else {
                ("[", "]")
            };
            let value = format!("{}1{}", open.repeat(*depth), close.repeat(*depth));
            bytes.splice(0..0, format!("deep = {value}\n").bytes());
        }
    }
}

/// A workbook from a small grammar: every kind of step, role, resource and check-in,
/// with hostile text in any text field, and ids, numbers and kinds sometimes wrong.
/// Text for any field: mostly plain or TOML escapes of hostile characters (legal inside
/// a string, so they reach the validator's cleaning), now and then raw hostile text.
fn generated_text() -> impl Strategy<Value = String> {
    prop_oneof![
        40 => "[a-zA-Z ,.?]{1,40}",
        40 => prop::collection::vec(prop::sample::select(&HOSTILE[..13]), 1..4)
            .prop_map(|v| format!("A{}", v.concat())),
        1 => hostile_text().prop_map(|t| t.chars().take(2000).collect()),
    ]
}

fn generated_id() -> impl Strategy<Value = String> {
    prop_oneof![30 => "[a-z][a-z0-9-]{0,10}", 1 => ".{0,6}"]
}

/// One step of any kind (now and then one that is wrong), as TOML keys.
fn generated_step() -> impl Strategy<Value = String> {
    (
        generated_id(),
        prop_oneof![30 => 0usize..6, 1 => Just(6usize)],
        generated_text(),
        generated_text(),
        prop::collection::vec(generated_text(), 1..4),
        prop_oneof![20 => 0i64..3, 1 => -3i64..15],
        prop_oneof![20 => 5i64..12, 1 => -3i64..15],
        any::<bool>(),
    )
        .prop_map(|(id, kind, prompt, label, options, min, max, multiple)| {
            let options: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(i, label)| format!("{{ id = \"o{i}\", label = \"{label}\" }}"))
                .collect();
            let options = options.join(", ");
            let body = match kind {
                0 => format!("kind = \"reflect\"\ntext = \"{prompt}\""),
                1 => format!("kind = \"text\"\nprompt = \"{prompt}\"\nplaceholder = \"{label}\""),
                2 => format!(
                    "kind = \"scale\"\nprompt = \"{prompt}\"\nmin = {min}\nmax = {max}\n\
                     min_label = \"{label}\"\nmax_label = \"{label}\""
                ),
                3 => format!(
                    "kind = \"choice\"\nprompt = \"{prompt}\"\nmultiple = {multiple}\n\
                     options = [{options}]"
                ),
                4 => format!("kind = \"checklist\"\nprompt = \"{prompt}\"\nitems = [{options}]"),
                5 => format!("kind = \"text\"\nprompt = \"{prompt}\"\nfor_role = \"hurt\""),
                _ => format!("kind = \"{label}\"\nprompt = \"{prompt}\""),
            };
            format!("id = \"{id}\"\n{body}\n")
        })
}

/// A workbook from a small grammar: every kind of step, role, resource and check-in,
/// with hostile text in any text field, and ids, numbers and kinds sometimes wrong.
fn generated_workbook() -> impl Strategy<Value = String> {
    let (text, id, step) = (generated_text, generated_id, generated_step);
    let exercise = (
        id(),
        text(),
        text(),
        prop_oneof![
            30 => prop::sample::select(&["solo", "together", "either"][..]),
            1 => Just("sometimes"),
        ],
        prop::collection::vec(step(), 1..5),
    )
        .prop_map(|(id, title, intro, mode, steps)| {
            let mut out = format!(
                "[[modules.exercises]]\nid = \"{id}\"\ntitle = \"{title}\"\n\
                 intro = \"{intro}\"\nmode = \"{mode}\"\ndefault_visibility = \"private\"\n\
                 estimated_minutes = 5\n"
            );
            for step in steps {
                out.push_str("[[modules.exercises.steps]]\n");
                out.push_str(&step);
            }
            out
        });
    let module =
        (id(), text(), prop::collection::vec(exercise, 1..3)).prop_map(|(id, title, exercises)| {
            format!(
                "[[modules]]\nid = \"{id}\"\ntitle = \"{title}\"\nintro = \"{title}\"\n{}",
                exercises.concat()
            )
        });
    (
        text(),
        text(),
        prop::option::weighted(0.9, (text(), text())),
        prop::collection::vec(text(), 0..3),
        prop::option::of(prop::collection::vec(step(), 1..3)),
        prop::collection::vec(module, 1..3),
    )
        .prop_map(|(title, description, roles, resources, checkin, modules)| {
            let mut out = format!(
                "[workbook]\nid = \"generated\"\ntitle = \"{title}\"\nversion = \"1\"\n\
                 description = \"{description}\"\n"
            );
            // Steps may say `for_role = "hurt"`, so both roles exist when any do.
            for id in roles.iter().flat_map(|_| ["hurt", "unfaithful"]) {
                let (label, description) = roles.as_ref().unwrap();
                write!(
                    out,
                    "[[workbook.roles]]\nid = \"{id}\"\nlabel = \"{label}\"\n\
                     description = \"{description}\"\n"
                )
                .unwrap();
            }
            for name in resources {
                write!(
                    out,
                    "[[workbook.resources]]\nname = \"{name}\"\ncountry = \"{name}\"\n\
                     contact = \"{name}\"\nnote = \"{name}\"\n"
                )
                .unwrap();
            }
            for module in modules {
                out.push_str(&module);
            }
            if let Some(steps) = checkin {
                out.push_str("[checkin]\nid = \"check-in\"\ntitle = \"Check\"\n");
                for step in steps {
                    out.push_str("[[checkin.steps]]\n");
                    out.push_str(&step);
                }
            }
            out
        })
}

#[derive(Clone, Debug)]
enum Case {
    Mutated {
        /// Into the seeds that load, or (`any_seed`) into all of them.
        seed: prop::sample::Index,
        any_seed: bool,
        mutations: Vec<Mutation>,
    },
    Generated(String),
}

fn case() -> impl Strategy<Value = Case> {
    prop_oneof![
        3 => (
            any::<prop::sample::Index>(),
            prop::bool::weighted(0.2),
            prop::collection::vec(mutation(), 1..3)
        )
            .prop_map(|(seed, any_seed, mutations)| Case::Mutated {
                seed,
                any_seed,
                mutations,
            }),
        1 => generated_workbook().prop_map(Case::Generated),
    ]
}

/// What one case came to.
#[derive(Default)]
struct Tally {
    cases: AtomicUsize,
    loaded: AtomicUsize,
    screens: AtomicUsize,
    slowest_ms: AtomicU64,
    slowest: Mutex<String>,
}

/// Every screen a workbook's text appears on, at 80x24: home with rows selected,
/// the support screen, the role choice, and every step (and the closing page) of every
/// exercise and of the check-in. An exercise exactly as it is in `unchanged_from` (the
/// seed a mutation started from, drawn in full once) is skipped: its screens would be
/// the same. Returns how many screens were drawn.
fn render_everything(wb: &Workbook, unchanged_from: Option<&Workbook>) -> usize {
    let person = Person {
        id: PersonId("hostile0001".into()),
        name: "Sam".into(),
    };
    let mut app = App::new(vec![wb.clone()], vec![person.clone()], common::t0());
    app.update(
        common::at(common::t0()),
        Action::Unlocked(Ok(Opened {
            person: person.clone(),
            people: vec![person],
            missing: 0,
            entries: Vec::new(),
            drafts: Vec::new(),
            profile: Profile::default(),
            problems: Vec::new(),
        })),
    );
    let mut drawn = 0;
    let mut check = |app: &App, what: &str| {
        let screen = common::screen(app, 80, 24);
        if let Some(c) = screen.chars().find(|c| *c != '\n' && forbidden(*c)) {
            panic!("{what}: {c:?} reached the screen:\n{screen}");
        }
        drawn += 1;
    };
    // Home with the cursor on (at most) six rows spread over the list, which shows those
    // exercises' details beside it: every row costs a draw, and the step screens below
    // show every exercise's text anyway.
    let rows = mend::app::home::rows(app.workbooks(), app.session().unwrap()).len();
    for cursor in (0..rows.max(1)).step_by(rows.div_ceil(6).max(1)) {
        app.show(Screen::Home(mend::app::HomeState { cursor }));
        check(&app, "home");
    }
    app.update(common::at(common::t0()), Action::Support);
    check(&app, "support");
    app.update(common::at(common::t0()), Action::Support);
    if !wb.roles.is_empty() {
        for selected in 0..=wb.roles.len() {
            app.show(Screen::ChooseRole(RoleState {
                name: "Sam".into(),
                passphrase: String::new().into(),
                workbook: 0,
                selected,
            }));
            check(&app, "role choice");
        }
    }
    let seed_exercises = unchanged_from.map(exercises_of).unwrap_or_default();
    for (module, module_title, exercise) in exercises_of(wb) {
        if seed_exercises.contains(&(module.clone(), module_title.clone(), exercise)) {
            continue;
        }
        let place = Place {
            module,
            module_title,
        };
        let state = StepState::start(wb, place, exercise, None, EntryId::random(), common::t0());
        app.show(Screen::Step(Box::new(state)));
        loop {
            check(&app, &format!("exercise {}", exercise.id));
            if matches!(app.screen(), Screen::Step(s) if s.is_closing_page()) {
                break;
            }
            app.update(common::at(common::t0()), Action::Next);
        }
    }
    drawn
}

/// Every exercise with the module it is filed under, the check-in last.
fn exercises_of(wb: &Workbook) -> Vec<(ModuleId, std::sync::Arc<str>, &Exercise)> {
    let checkin = wb.checkin.iter().map(|e| {
        let place = mend::app::home::checkin_place();
        (place.module, place.module_title, e)
    });
    wb.modules
        .iter()
        .flat_map(|m| {
            m.exercises
                .iter()
                .map(move |e| (m.id.clone(), m.title.clone(), e))
        })
        .chain(checkin)
        .collect()
}

/// Loads, validates and (when it loads) draws one workbook source, checking every
/// diagnostic `mend check` would print too.
fn run_case(source: &[u8], seed: Option<&Workbook>, tally: &Tally) {
    let started = Instant::now();
    let (workbook, diagnostics) = if let Ok(text) = std::str::from_utf8(source) {
        validate::check_str("hostile.toml", text)
    } else {
        // Not UTF-8: only the file loader sees such bytes.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hostile.toml");
        std::fs::write(&path, source).unwrap();
        validate::check_file(&path)
    };
    for diagnostic in &diagnostics {
        let printed = diagnostic.to_string();
        if let Some(c) = printed.chars().find(|c| *c != '\n' && forbidden(*c)) {
            panic!("{c:?} in a diagnostic mend check prints:\n{printed}");
        }
    }
    if let Some(wb) = workbook {
        tally.loaded.fetch_add(1, Ordering::Relaxed);
        tally
            .screens
            .fetch_add(render_everything(&wb, seed), Ordering::Relaxed);
    }
    let ms = started.elapsed().as_millis() as u64;
    if ms > tally.slowest_ms.fetch_max(ms, Ordering::Relaxed) {
        let head = String::from_utf8_lossy(&source[..source.len().min(60)]).into_owned();
        *tally.slowest.lock().unwrap() = format!("{} bytes, starting {head:?}", source.len());
    }
    tally.cases.fetch_add(1, Ordering::Relaxed);
}

/// A hang detector, not a timing assertion: if one case runs for minutes, the work did
/// not terminate, and the whole run is stopped with the case's number.
fn watchdog(tally: &'static Tally, limit: Duration) -> impl Drop {
    struct Stop(std::sync::Arc<std::sync::atomic::AtomicBool>);
    impl Drop for Stop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let done = stop.clone();
    std::thread::spawn(move || {
        let (mut seen, mut since) = (usize::MAX, Instant::now());
        while !done.load(Ordering::Relaxed) {
            let now = tally.cases.load(Ordering::Relaxed);
            if now != seen {
                (seen, since) = (now, Instant::now());
            } else if since.elapsed() > limit {
                eprintln!("hostile content: case {now} did not finish in {limit:?}: a hang");
                std::process::abort();
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    Stop(stop)
}

fn hostile_workbooks(cases: u32) {
    let seeds = seeds();
    let loading = seeds
        .iter()
        .filter(|(name, source)| validate::parse_str(name, source).is_ok())
        .count();
    assert!(loading >= 3, "the built-in workbooks and good.toml load");
    let baselines: Vec<Workbook> = seeds[..loading]
        .iter()
        .map(|(name, source)| validate::parse_str(name, source).unwrap())
        .collect();
    let tally: &'static Tally = Box::leak(Box::default());
    let _watchdog = watchdog(tally, Duration::from_secs(120));
    for wb in &baselines {
        tally
            .screens
            .fetch_add(render_everything(wb, None), Ordering::Relaxed);
    }
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    // Fixed, so every run tries the same workbooks.
    let seed = Seed::Fixed(0x686f_7374).get();
    let mut runner = Rng::new(seed).proptest_runner(config);
    let result = runner.run(&case(), |case| {
        let (source, seed) = match &case {
            Case::Mutated {
                seed,
                any_seed,
                mutations,
            } => {
                let pool = if *any_seed { seeds.len() } else { loading };
                let mut bytes = seeds[seed.index(pool)].1.clone().into_bytes();
                for m in mutations {
                    apply(&mut bytes, m);
                }
                (bytes, baselines.get(seed.index(pool)))
            }
            Case::Generated(text) => (text.clone().into_bytes(), None),
        };
        run_case(&source, seed, tally);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("hostile content (seed {seed}): {failure}");
    }
    println!(
        "hostile content: {} generated and mutated workbooks (seed {seed}; {} loaded, {} screens \
         drawn at 80x24), 0 panics, 0 control characters on screen or in diagnostics, slowest case \
         {} ms ({})",
        tally.cases.load(Ordering::Relaxed),
        tally.loaded.load(Ordering::Relaxed),
        tally.screens.load(Ordering::Relaxed),
        tally.slowest_ms.load(Ordering::Relaxed),
        tally.slowest.lock().unwrap(),
    );
}

#[test]
fn generated_and_mutated_workbooks_never_panic_hang_or_put_control_characters_on_screen() {
    hostile_workbooks(2_000);
}

/// Run with: `cargo test --release --test all -- --ignored --nocapture hostile_content::`
#[test]
#[ignore = "long variant: 20,000 cases"]
fn twenty_thousand_hostile_workbooks() {
    hostile_workbooks(20_000);
}

/// A named pipe: opening it to read waits for a writer, so a loader that opened one
/// would hang (caught by the timeout below), and while a reader has it open a writer
/// can open it without waiting (which `has_reader` checks).
/// Made with the system call, not the `mkfifo` program: until it execs, a child
/// process holds a copy of every file this test binary has open, and a vault another
/// test closes and opens again would find its own lock still held.
#[cfg(unix)]
fn fifo(path: &Path) {
    use rustix::fs::{CWD, FileType, Mode, mknodat};
    mknodat(CWD, path, FileType::Fifo, Mode::RUSR | Mode::WUSR, 0)
        .unwrap_or_else(|e| panic!("mkfifo {}: {e}", path.display()));
}

#[cfg(unix)]
fn has_reader(path: &Path) -> bool {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits().cast_signed())
        .open(path)
        .is_ok()
}

/// The content format has no include, import or file reference: a workbook is one TOML
/// text. So paths written in one, relative (`../`) or absolute, are only text, and keys
/// that look like an include are refused as unknown. Nothing they name is opened, and
/// neither is a named pipe dropped into the workbook folder as `*.toml`.
#[cfg(unix)]
#[test]
fn paths_written_in_a_workbook_open_nothing_outside_the_content_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (root, outside) = (dir.path().join("workbooks"), dir.path().join("outside"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let secret = outside.join("secret.toml");
    fifo(&secret);
    fifo(&root.join("pipe.toml"));
    let absolute = secret.display().to_string();
    let relative = "../outside/secret.toml";
    let starter = mend::content::STARTER_SOURCE.replacen(
        "title = \"My workbook\"",
        &format!("title = \"{relative}\""),
        1,
    );
    let with_paths = starter.replacen(
        "id = \"my-workbook\"",
        &format!("id = \"paths\"\n# include = \"{absolute}\""),
        1,
    );
    let with_paths = with_paths.replacen(
        "prompt = \"What is on my mind today?\"",
        &format!("prompt = \"{absolute}\""),
        1,
    );
    std::fs::write(root.join("paths.toml"), &with_paths).unwrap();
    let includes = starter.replacen(
        "[workbook]\n",
        &format!(
            "include = \"{relative}\"\nimport = [\"{absolute}\"]\n[workbook]\n\
             file = \"{absolute}\"\npath = \"{relative}\"\n"
        ),
        1,
    );
    std::fs::write(root.join("includes.toml"), includes).unwrap();

    let (done, finished) = std::sync::mpsc::channel();
    let source = root.clone();
    std::thread::spawn(move || done.send(mend::content::library(&[source])).unwrap());
    let (workbooks, broken) = finished
        .recv_timeout(Duration::from_secs(60))
        .expect("loading the workbook folder hung: something opened a named pipe");
    assert!(!has_reader(&secret) && !has_reader(&root.join("pipe.toml")));

    let loaded = workbooks.iter().find(|w| w.id.as_str() == "paths");
    let loaded = loaded.expect("the workbook with paths in its text loads");
    assert_eq!(loaded.title, relative, "a path in a title is only text");
    let names: Vec<String> = broken
        .iter()
        .map(|b| b.file.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["includes.toml"], "include-like keys are refused");
    let (_, problems) = validate::check_file(&root.join("includes.toml"));
    for key in ["include", "import", "file", "path"] {
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains(&format!("`{key}`"))),
            "`{key}` is not named as unknown: {problems:?}"
        );
    }
    println!(
        "hostile content: paths in a workbook opened nothing ({} workbook files and 2 named \
         pipes, one of them outside the content folder)",
        workbooks.len() + broken.len() - 1
    );
}
