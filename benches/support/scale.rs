//! The scale fixture: a vault of N synthetic entries and check-ins, for one person or a
//! couple, written through the real vault API (`Vault::open`, `create_person`,
//! `save_profile`, `save_entry`, `save_draft`), so every file is in the real format,
//! encrypted and fsynced like a person's.
//!
//! Shared by `examples/scale_vault.rs` (which builds one where you say), the benches
//! (`benches/scale.rs`) and the latency harness (`tests/latency.rs`), which use
//! [`cached`]: each fixture is built once under `<target>/mend-scale/` and reused, keyed by
//! N, one person or two, the key files' work factor and [`FIXTURE_VERSION`].
//!
//! What is in it, deterministically (a fixed seed; only the random file names differ):
//! N entry files in all (a couple's are split evenly between the two), spread over ten
//! years ending [`END`], about two in five of them quick check-ins (four 0-10 scales
//! and, half the time, a line) and the rest the built-in workbook's exercises in turn,
//! every step answered as its kind asks. Text answers run from a sentence or two to
//! several paragraphs (about 0.8 KB on average), and about one in twelve has Japanese,
//! Chinese or emoji in it. A couple shares about a third of their entries, and every
//! *together* exercise is answered and revealed by both. Each person also has a role
//! saved in their profile and one open draft, as someone part-way through would. Each
//! person's newest entry is the same at every N (the first exercise, answered from one
//! fixed seed, dated [`end`], kept private), so opening it costs the same work at any
//! size.
#![allow(dead_code)]
// Sizes and times are printed as decimals; exact to the last bit does not matter.
#![allow(clippy::cast_precision_loss)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use age::secrecy::SecretString;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use mend::app::home::checkin_place;
use mend::content::{
    self, CHECKIN_MODULE, Exercise, Mode, ModuleId, RoleId, StepKind, Visibility, Workbook,
};
use mend::entry::{
    Answer, Draft, ENTRY_FORMAT, Entry, EntryId, ExerciseRef, PersonId, PickedOption, Profile,
    StepAnswer,
};
use mend::vault::{KdfCost, Paths, Unlocked, Vault};

/// Bump when what [`build`] writes changes, so cached fixtures are rebuilt.
pub const FIXTURE_VERSION: u32 = 7;

/// The people, in the order they join.
pub const NAMES: [&str; 2] = ["Alex", "Blair"];

/// The fixed test passphrases (for fixtures only: never a real vault's). Each person's
/// is used unless a passphrase file is given.
pub const PASSPHRASES: [&str; 2] = ["scale fixture alex", "scale fixture blair"];

/// The roles the built-in workbook offers, one per person.
const ROLES: [&str; 2] = ["hurt", "unfaithful"];

/// The last moment any entry is dated; the first is ten years before.
pub fn end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 21, 0, 0).unwrap()
}

/// The seed of every person's newest entry, whatever N is.
const SAME_NEWEST_SEED: u64 = 0x6e65_7765_7374;

/// Out of every ten entries, how many are check-ins.
const CHECKINS_IN_TEN: u64 = 4;

/// What to build.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Entry files in all (check-ins included), split evenly in a couple.
    pub entries: usize,
    pub couple: bool,
    /// The work factor of the key files (the release cost unless made cheaper).
    pub kdf: KdfCost,
    /// One passphrase per person.
    pub passphrases: [String; 2],
    /// Saves in flight at once. Each is still one `save_entry` (encrypt, write, fsync
    /// the file, rename, fsync the folder); several at once let the file system batch
    /// the journal commits, which makes 100,000 entries minutes instead of most of an hour.
    pub jobs: usize,
}

impl Spec {
    pub fn new(entries: usize, couple: bool) -> Self {
        Self {
            entries,
            couple,
            kdf: kdf_from_env(),
            passphrases: PASSPHRASES.map(str::to_owned),
            jobs: 8,
        }
    }

    pub fn people(&self) -> usize {
        if self.couple { 2 } else { 1 }
    }
}

/// The release work factor, or `MEND_KDF_LOG_N` when set (any value from 1 to 22: the
/// fixture is a test vault, so the release floor does not apply). A vault made cheaper
/// unlocks faster in the real binary too, which is *not* what the latency harness
/// measures: it always uses release-cost fixtures.
pub fn kdf_from_env() -> KdfCost {
    match std::env::var("MEND_KDF_LOG_N") {
        Ok(v) => {
            let log_n: u8 = v.trim().parse().expect("MEND_KDF_LOG_N is a whole number");
            assert!(
                (1..=KdfCost::MAX_LOG_N).contains(&log_n),
                "MEND_KDF_LOG_N must be 1 to {}",
                KdfCost::MAX_LOG_N
            );
            KdfCost::for_tests(log_n)
        }
        Err(_) => KdfCost::release(),
    }
}

/// What was built.
#[derive(Clone, Debug)]
pub struct Built {
    pub people: Vec<PersonId>,
    pub entries: usize,
    pub checkins: usize,
    /// Size of `entries/` on disk, in bytes.
    pub bytes: u64,
    pub elapsed: Duration,
}

/// A small deterministic generator (splitmix64), so every fixture says the same things.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, in_hundred: u64) -> bool {
        self.below(100) < in_hundred
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SENTENCES: &[&str] = &[
    "Today was quieter than yesterday, and I noticed I could breathe a little more easily in the evening.",
    "We talked for twenty minutes after dinner without it turning into an argument, which felt like progress.",
    "I keep coming back to the same question: what would it take for me to stop checking?",
    "When the phone lit up on the table I felt my stomach drop, even though it was only my sister.",
    "I want to be honest about how tired I am of being the one who has to bring things up.",
    "There were moments this week when I forgot, for a whole hour, and then felt guilty for forgetting.",
    "I said sorry again, and this time I tried to say what I was sorry for instead of just the word.",
    "Our counsellor asked us to notice small kindnesses, so here is one: the coffee was made when I woke up.",
    "I do not know yet whether I can trust again, but I know I want to find out slowly.",
    "Walking helped. I went the long way round the park and let myself be angry without saying anything.",
    "It still surprises me how an ordinary song in a shop can bring the whole thing back.",
    "I would like us to plan one evening a week that has nothing to do with any of this.",
    "I noticed that I answer questions more openly when I am not already defending myself.",
    "The hardest part is not knowing which memories were real, and I said that out loud for the first time.",
    "Sleep was better. Three nights in a row without waking at four in the morning.",
    "I need to hear the same answer more than once, and I need that to be all right.",
    "My friend asked how we were doing and I did not know what to say, so I said we were working on it.",
    "We agreed to pause the conversation when either of us raises our voice, and we actually did.",
    "I am trying to tell the difference between a question that helps me heal and one that only hurts.",
    "Some days I feel hopeful and some days I do not, and I am learning that both can be true in one week.",
    "I wrote a letter I will not send, and it helped to see the words on the page.",
    "Being transparent with my phone feels uncomfortable, and I think that discomfort is part of the point.",
    "The anniversary is next month and I am already bracing for it.",
    "I was proud of how I handled the question about the trip; I answered before being asked twice.",
];

/// Sentences in other scripts and with emoji, for the wide-character paths.
const WIDE: &[&str] = &[
    "信頼を取り戻すには時間がかかる。それでも、今日は少し前に進めた気がする。",
    "我们今天好好地谈了一次，没有争吵。🌱",
    "A small win today 🌤️ — we laughed at the same joke for the first time in weeks 💬.",
    "대화가 조금 편해졌다. 고마워 🙏",
];

const LINES: &[&str] = &[
    "A steadier day.",
    "Hard morning, better evening.",
    "We talked; it helped.",
    "Tired, but hopeful.",
    "The anniversary is close and I can feel it.",
    "Good walk together 🌿",
    "Nothing much, and that is fine.",
];

/// A text answer: a few sentences (most often), a paragraph or two, or several.
pub fn answer_text(rng: &mut Rng) -> String {
    let paragraphs = match rng.below(10) {
        0..=5 => 1,
        6..=8 => 2 + rng.below(2),
        _ => 4 + rng.below(3),
    };
    let wide = rng.below(12) == 0;
    let mut out = String::new();
    for p in 0..paragraphs {
        if p > 0 {
            out.push_str("\n\n");
        }
        let sentences = 2 + rng.below(4);
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            let sentence: &&str = rng.pick(SENTENCES);
            out.push_str(sentence);
        }
        if wide && p == 0 {
            out.push(' ');
            let wide: &&str = rng.pick(WIDE);
            out.push_str(wide);
        }
    }
    out
}

fn answer_for(kind: &StepKind, rng: &mut Rng) -> Answer {
    match kind {
        StepKind::Reflect => Answer::Read,
        StepKind::Text { .. } => match rng.below(20) {
            0 => Answer::Skipped,
            1 => Answer::NotReady,
            _ => Answer::Text {
                text: answer_text(rng),
            },
        },
        StepKind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => Answer::Scale {
            value: min + rng.below(u64::from((max - min).unsigned_abs()) + 1) as i32,
            min: *min,
            max: *max,
            min_label: min_label.clone(),
            max_label: max_label.clone(),
        },
        StepKind::Choice { options, multiple } => {
            let one = rng.below(options.len() as u64) as usize;
            Answer::Choice {
                options: options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        PickedOption::new(
                            o.id.clone(),
                            o.label.clone(),
                            i == one || (*multiple && rng.chance(30)),
                        )
                    })
                    .collect(),
            }
        }
        StepKind::Checklist { items } => Answer::Choice {
            options: items
                .iter()
                .map(|o| PickedOption::new(o.id.clone(), o.label.clone(), rng.chance(40)))
                .collect(),
        },
    }
}

/// The check-in, with its line filled in only half the time.
fn checkin_answers(exercise: &Exercise, rng: &mut Rng) -> Vec<StepAnswer> {
    exercise
        .steps
        .iter()
        .map(|step| {
            let answer = match &step.kind {
                StepKind::Text { .. } if rng.chance(50) => Answer::Text {
                    text: (*rng.pick(LINES)).to_owned(),
                },
                StepKind::Text { .. } => Answer::Skipped,
                kind => answer_for(kind, rng),
            };
            StepAnswer {
                step: step.id.clone(),
                prompt: step.prompt.clone(),
                answer,
            }
        })
        .collect()
}

/// Every exercise of the workbook a person with `role` is shown, in workbook order, each
/// with its module's id and title.
fn exercises_for(
    workbook: &Workbook,
    role: Option<&RoleId>,
) -> Vec<(ModuleId, std::sync::Arc<str>, Exercise)> {
    workbook
        .modules
        .iter()
        .flat_map(|m| {
            m.exercises
                .iter()
                .filter(|e| e.shown_to(role))
                .map(|e| (m.id.clone(), m.title.clone(), e.for_person(role)))
        })
        .collect()
}

/// A count or a small random number as a signed whole number, for date arithmetic.
fn whole(n: impl TryInto<i64>) -> i64 {
    n.try_into()
        .ok()
        .expect("a count of entries fits in an i64")
}

/// The `i`-th of `count` moments spread evenly over the ten years before [`end`], with up
/// to two hours of jitter, at the times of day people write.
fn moment(i: usize, count: usize, rng: &mut Rng) -> DateTime<Utc> {
    let span = TimeDelta::days(3652).num_seconds();
    let step = span / whole(count.max(1));
    let jitter = whole(rng.below(7200));
    end() - TimeDelta::seconds(span) + TimeDelta::seconds(step * whole(i) + jitter)
}

/// One person's entries (`count` of them), oldest first. Deterministic for a given
/// `seed`, except the entry ids (random, as the vault's file names are).
pub fn entries_for(
    workbook: &Workbook,
    author: &PersonId,
    role: Option<&RoleId>,
    count: usize,
    couple: bool,
    seed: u64,
) -> Vec<Entry> {
    let mut rng = Rng::new(seed);
    let exercises = exercises_for(workbook, role);
    let checkin = workbook.checkin.as_ref().map(|c| c.for_person(role));
    let mut next_exercise = 0;
    (0..count)
        .map(|i| {
            // The newest entry is the same at every N: its exercise, its words, its
            // moment, kept to its author. What the latency harness opens from the top of
            // history is then the same work at every size.
            let same = i + 1 == count;
            let mut fixed = Rng::new(SAME_NEWEST_SEED);
            let rng = if same { &mut fixed } else { &mut rng };
            if same {
                next_exercise = 0;
            }
            let at = if same { end() } else { moment(i, count, rng) };
            let is_checkin = !same && checkin.is_some() && (i as u64 * 7 % 10) < CHECKINS_IN_TEN;
            let (module, module_title, exercise, answers) = if is_checkin {
                let c = checkin.as_ref().expect("checked above");
                let place = checkin_place();
                let answers = checkin_answers(c, rng);
                (place.module, place.module_title, c.clone(), answers)
            } else {
                let (module, title, exercise) = exercises[next_exercise % exercises.len()].clone();
                next_exercise += 1;
                let answers = exercise
                    .steps
                    .iter()
                    .map(|s| StepAnswer {
                        step: s.id.clone(),
                        prompt: s.prompt.clone(),
                        answer: answer_for(&s.kind, rng),
                    })
                    .collect();
                (module, title, exercise, answers)
            };
            // A couple shares about a third, and always reveals together exercises.
            let shared = couple
                && !same
                && module.as_str() != CHECKIN_MODULE
                && (exercise.mode == Mode::Together || rng.chance(30));
            Entry {
                format: ENTRY_FORMAT,
                id: EntryId::random(),
                author: author.clone(),
                created: at,
                updated: at + TimeDelta::minutes(5 + whole(rng.below(40))),
                visibility: if shared {
                    Visibility::Shared
                } else {
                    exercise.default_visibility
                },
                mac: None,
                witness: Vec::new(),
                exercise: std::sync::Arc::new(ExerciseRef {
                    workbook: workbook.id.clone(),
                    workbook_version: workbook.version.clone(),
                    module,
                    exercise: exercise.id.clone(),
                    module_title,
                    exercise_title: exercise.title.clone(),
                }),
                answers,
            }
        })
        .collect()
}

/// Builds the fixture in `dir` (which must not hold a vault yet). `progress` is called
/// with the number of entries saved so far, now and then.
pub fn build(dir: &Path, spec: &Spec, progress: &(dyn Fn(usize) + Sync)) -> Result<Built, String> {
    let started = Instant::now();
    let workbook = content::builtin();
    let mut vault = Vault::open(&Paths::at(dir), spec.kdf).map_err(|e| e.to_string())?;
    if !vault.people().is_empty() {
        return Err(format!(
            "'{}' already holds a vault; give an empty or new folder",
            dir.display()
        ));
    }
    let mut people: Vec<Unlocked> = Vec::new();
    for (name, pass) in NAMES.iter().zip(&spec.passphrases).take(spec.people()) {
        let keys = vault
            .create_person(name, &SecretString::from(pass.clone()))
            .map_err(|e| e.to_string())?;
        people.push(keys);
    }
    let mut all: Vec<(usize, Entry)> = Vec::with_capacity(spec.entries);
    let mut checkins = 0;
    for (who, keys) in people.iter().enumerate() {
        let role = workbook
            .roles
            .iter()
            .find(|r| r.id.as_str() == ROLES[who])
            .map(|r| r.id.clone());
        if let Some(role) = &role {
            let mut profile = Profile::default();
            profile.roles.insert(workbook.id.clone(), role.clone());
            vault
                .save_profile(keys, &profile)
                .map_err(|e| e.to_string())?;
        }
        // The first person takes the odd one.
        let count = spec.entries / spec.people() + usize::from(who < spec.entries % spec.people());
        let entries = entries_for(
            &workbook,
            &keys.person.id,
            role.as_ref(),
            count,
            spec.couple,
            0x5CA1E + who as u64,
        );
        checkins += entries
            .iter()
            .filter(|e| e.exercise.module.as_str() == CHECKIN_MODULE)
            .count();
        // One draft, part-way through the exercise after the last one done.
        if let Some(last) = entries
            .iter()
            .rev()
            .find(|e| e.exercise.module.as_str() != CHECKIN_MODULE)
        {
            let mut entry = last.clone();
            entry.id = EntryId::random();
            entry.created = end();
            entry.updated = end();
            let at_step = entry.answers.len() / 2;
            entry.answers.truncate(at_step);
            let draft = Draft {
                at_step,
                at_step_id: None,
                entry,
            };
            vault.save_draft(keys, &draft).map_err(|e| e.to_string())?;
        }
        all.extend(entries.into_iter().map(|e| (who, e)));
    }
    save_all(&vault, &people, &all, spec.jobs, progress)?;
    // As mend leaves a vault once each person has unlocked. The first person's first
    // unlock since the partner joined pins them and re-seals their shared entries to
    // them (one more key derivation); then each person's entry cache is written.
    if spec.people() > 1 {
        people[0] = vault
            .unlock(
                &people[0].person.id,
                &SecretString::from(spec.passphrases[0].clone()),
            )
            .map_err(|e| e.to_string())?;
    }
    for keys in &people {
        let mut loaded = vault.load(keys);
        if let Some(update) = loaded.cache.take() {
            vault.write_cache(update).map_err(|e| e.to_string())?;
        }
    }
    let bytes = fs::read_dir(dir.join("entries"))
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len())
        .sum();
    Ok(Built {
        people: people.iter().map(|p| p.person.id.clone()).collect(),
        entries: all.len(),
        checkins,
        bytes,
        elapsed: started.elapsed(),
    })
}

/// Saves every entry with `save_entry`, `jobs` at a time.
fn save_all(
    vault: &Vault,
    people: &[Unlocked],
    all: &[(usize, Entry)],
    jobs: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<(), String> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs.max(1))
            .map(|_| {
                scope.spawn(|| -> Result<(), String> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((who, entry)) = all.get(i) else {
                            return Ok(());
                        };
                        vault
                            .save_entry(&people[*who], entry)
                            .map_err(|e| e.to_string())?;
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        if n.is_multiple_of(1000) {
                            progress(n);
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a save thread panicked"))
            .collect::<Result<Vec<()>, String>>()
    })?;
    Ok(())
}

/// The sizes the benches and the latency harness measure: 10, 100, 1,000 and 10,000,
/// and 100,000 with `MEND_BENCH_MAX_N=100000` (any list can be cut short with a lower maximum).
pub fn sizes() -> Vec<usize> {
    let bound = |name: &str, default: usize| -> usize {
        std::env::var(name)
            .ok()
            .and_then(|v| v.replace([',', '_'], "").parse().ok())
            .unwrap_or(default)
    };
    // `MEND_BENCH_MIN_N` skips the smaller sizes, to measure one size again alone.
    let (min, max) = (
        bound("MEND_BENCH_MIN_N", 0),
        bound("MEND_BENCH_MAX_N", 10_000),
    );
    [10, 100, 1_000, 10_000, 100_000]
        .into_iter()
        .filter(|&n| n >= min && n <= max)
        .collect()
}

/// The build directory: `CARGO_TARGET_DIR` if set, else the `target` folder this
/// program was built in (found from its own path: `<target>/<profile>/deps/<name>` for
/// benches and tests, `<target>/<profile>/examples/<name>` for examples).
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("the running program has a path");
    exe.ancestors()
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n == "deps" || n == "examples")
        })
        .and_then(|p| p.parent()?.parent())
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
}

/// Where cached fixtures live: `MEND_SCALE_CACHE` if set, else `<target>/mend-scale`.
pub fn cache_root() -> PathBuf {
    std::env::var_os("MEND_SCALE_CACHE")
        .map_or_else(|| target_dir().join("mend-scale"), PathBuf::from)
}

/// The cached fixture for `spec` (release work factor unless `MEND_KDF_LOG_N` says
/// otherwise), built first if it is not there yet. A fixture is built in a temporary
/// folder and renamed into place only once complete, so an interrupted build is never
/// reused.
pub fn cached(spec: &Spec) -> PathBuf {
    let root = cache_root();
    let name = format!(
        "v{FIXTURE_VERSION}-{}-n{}-kdf{}",
        if spec.couple { "couple" } else { "solo" },
        spec.entries,
        spec.kdf.log_n()
    );
    let dir = root.join(&name);
    if dir.join("vault.toml").exists() {
        return dir;
    }
    fs::create_dir_all(&root).expect("the fixture cache folder can be made");
    let building = root.join(format!(".building-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&building);
    eprintln!(
        "building the scale fixture {name} in {} (once; reused after)...",
        root.display()
    );
    let total = spec.entries;
    let built = build(&building, spec, &|n| {
        eprint!("\r  {n} of {total} entries saved");
    })
    .expect("the scale fixture builds");
    eprintln!(
        "\r  {} entries ({} check-ins), {:.1} MB, built in {:.1} s",
        built.entries,
        built.checkins,
        built.bytes as f64 / 1e6,
        built.elapsed.as_secs_f64()
    );
    // The lock file is left behind by design; the vault is not open any more.
    fs::rename(&building, &dir).expect("the built fixture can be moved into place");
    dir
}

/// Opens a fixture and unlocks its first person (one key derivation).
pub fn open_first(dir: &Path, spec: &Spec) -> (Vault, Unlocked) {
    let vault = Vault::open(&Paths::at(dir), spec.kdf).expect("the fixture opens");
    let person = vault.people()[0].id.clone();
    let keys = vault
        .unlock(&person, &SecretString::from(spec.passphrases[0].clone()))
        .expect("the fixture's passphrase unlocks it");
    (vault, keys)
}
