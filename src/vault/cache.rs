//! `cache/<person>.age`: what a person's entry files held when last opened, so an unlock
//! decrypts only the files that changed since, not all ten years of them.
//!
//! The cache is one age file sealed to the person's *private* recipient (never on disk
//! in plaintext, so only they could have written it, and only they can read it; stock
//! `age` opens it like any of their files). Inside is postcard (a compact serde
//! encoding): for every file in
//! `entries/`, its name, a stamp (device, inode, length, modification and change
//! times) and what it held:
//! an entry this person may read (as a load returns it, with its authorship verdict)
//! or "not theirs" (a partner's private entry); the workbook's words that entries
//! repeat are stored once (see [`CacheFile`]). A file whose stamp differs from the
//! cached one is opened afresh: every save writes a new file and renames it into
//! place, which changes the inode and the time, so a changed file is never served from
//! the cache. Files that fail to open are never cached, so damage is reported at every
//! load until it is dealt with.
//!
//! The cache is only ever a copy. A missing, damaged, foreign or older-format cache is
//! ignored and rebuilt; deleting the folder loses nothing. Writing it (O(vault)) happens
//! on a background thread after a load that found changes, so neither unlocking nor
//! saving waits for it.

use std::collections::HashMap;
use std::fs;
use std::iter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use age::secrecy::zeroize::Zeroizing;
use age::x25519;
use serde::{Deserialize, Serialize};

use super::crypt::{self, Opened};
use super::{VaultError, fsutil};
use crate::domain::{Entry, PersonId};

pub(crate) const CACHE: &str = "cache";
/// Bumped whenever what is cached changes shape or meaning; an older cache is rebuilt.
const CACHE_FORMAT: u32 = 6;

pub(crate) fn path(data_dir: &Path, person: &PersonId) -> PathBuf {
    data_dir.join(CACHE).join(format!("{person}.age"))
}

/// What identifies one version of a file without reading it (see
/// [`crate::platform::Identity`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp(crate::platform::Identity);

impl Stamp {
    pub fn of(path: &Path, meta: &fs::Metadata) -> Self {
        Self(crate::platform::identity(path, meta))
    }
}

/// What one entry file held for this person. Not `Debug`: it holds what they wrote.
/// The entry is held by value, not boxed: a cache's entries are then one block that
/// is given back whole once a load has moved them out, not a hole per entry left
/// between the ones kept.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Held {
    /// Addressed to someone else: skipped, as a load skips it.
    NotMine,
    /// An entry as a load returns it (MAC cleared, visibility from the key that opened
    /// it), and whether it claims this person as author without their MAC.
    Entry { entry: Entry, unconfirmed: bool },
}

pub(crate) struct Cached {
    pub stamp: Stamp,
    pub held: Held,
}

/// The cache as stored. Every entry repeats the workbook's words (prompts, option
/// labels, titles: most of its bytes), so each distinct text is stored once in
/// `texts` and entries refer to it by number: the cache is about half the size, and
/// decrypts and parses in about half the time.
#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    texts: Vec<String>,
    files: Vec<Slim<SlimHeld>>,
    /// The person's draft files at that load, by name: a draft that later vanishes
    /// (and was not finished as an entry) is said.
    drafts: Vec<String>,
}

/// What a cache held: its entry files in order of name, and the draft files it saw.
#[derive(Default)]
pub(crate) struct Read {
    pub files: Vec<(String, Cached)>,
    pub drafts: Vec<String>,
    /// Its files were stored out of order (an older mend wrote it): worth writing again.
    pub out_of_order: bool,
}

/// One file as stored: `Slim<SlimHeld>` with `T` the held part.
#[derive(Serialize, Deserialize)]
struct Slim<T> {
    name: String,
    stamp: Stamp,
    held: T,
}

#[derive(Serialize, Deserialize)]
enum SlimHeld {
    NotMine,
    Entry { entry: SlimEntry, unconfirmed: bool },
}

/// An [`Entry`] with its repeated texts as numbers into [`CacheFile::texts`].
#[derive(Serialize, Deserialize)]
struct SlimEntry {
    format: u32,
    id: crate::domain::EntryId,
    author: PersonId,
    created: chrono::DateTime<chrono::Utc>,
    updated: chrono::DateTime<chrono::Utc>,
    visibility: crate::content::Visibility,
    /// workbook, version, module, exercise, module title, exercise title.
    exercise: [u32; 6],
    answers: Vec<(u32, u32, SlimAnswer)>,
}

#[derive(Serialize, Deserialize)]
enum SlimAnswer {
    Text(String),
    Scale {
        value: i32,
        min: i32,
        max: i32,
        labels: [u32; 2],
    },
    /// (option id, label, picked)
    Choice(Vec<(u32, u32, bool)>),
    Read,
    Skipped,
    NotReady,
}

/// Numbers each distinct text once, borrowing it from the entries.
#[derive(Default)]
struct Texts<'a> {
    numbers: HashMap<&'a str, u32>,
    texts: Vec<&'a str>,
}

impl<'a> Texts<'a> {
    fn number(&mut self, text: &'a str) -> u32 {
        *self.numbers.entry(text).or_insert_with(|| {
            self.texts.push(text);
            u32::try_from(self.texts.len() - 1).unwrap_or(u32::MAX)
        })
    }
}

/// Long on purpose: the cache's encoding of an entry, field by field, kept beside its decoding.
fn slim<'a>(entry: &'a Entry, texts: &mut Texts<'a>) -> SlimEntry {
    use crate::domain::Answer;
    let e = &entry.exercise;
    SlimEntry {
        format: entry.format,
        id: entry.id,
        author: entry.author.clone(),
        created: entry.created,
        updated: entry.updated,
        visibility: entry.visibility,
        exercise: [
            texts.number(e.workbook.as_str()),
            texts.number(&e.workbook_version),
            texts.number(e.module.as_str()),
            texts.number(e.exercise.as_str()),
            texts.number(&e.module_title),
            texts.number(&e.exercise_title),
        ],
        answers: entry
            .answers
            .iter()
            .map(|a| {
                let answer = match &a.answer {
                    Answer::Text { text } => SlimAnswer::Text(text.clone()),
                    Answer::Scale {
                        value,
                        min,
                        max,
                        min_label,
                        max_label,
                    } => SlimAnswer::Scale {
                        value: *value,
                        min: *min,
                        max: *max,
                        labels: [texts.number(min_label), texts.number(max_label)],
                    },
                    Answer::Choice { options } => SlimAnswer::Choice(
                        options
                            .iter()
                            .map(|o| {
                                (
                                    texts.number(o.id.as_str()),
                                    texts.number(&o.label),
                                    o.picked,
                                )
                            })
                            .collect(),
                    ),
                    Answer::Read => SlimAnswer::Read,
                    Answer::Skipped => SlimAnswer::Skipped,
                    Answer::NotReady => SlimAnswer::NotReady,
                };
                (
                    texts.number(a.step.as_str()),
                    texts.number(&a.prompt),
                    answer,
                )
            })
            .collect(),
    }
}

/// The entry again; `None` when a number is out of range (a damaged cache).
///
/// Long on purpose: the cache's encoding of an entry, field by field, kept beside its decoding.
fn full(slim: SlimEntry, texts: &[Arc<str>]) -> Option<Entry> {
    use crate::content::{ExerciseId, ModuleId, OptionId, StepId, WorkbookId};
    use crate::domain::{Answer, ExerciseRef, PickedOption, StepAnswer};
    // Every entry shares the one copy of each text: ten years of entries hold each
    // prompt and title once, not once per entry.
    let text = |n: u32| texts.get(n as usize).cloned();
    let [
        workbook,
        version,
        module,
        exercise,
        module_title,
        exercise_title,
    ] = slim.exercise;
    let mut answers = Vec::with_capacity(slim.answers.len());
    for (step, prompt, answer) in slim.answers {
        let answer = match answer {
            SlimAnswer::Text(text) => Answer::Text { text },
            SlimAnswer::Scale {
                value,
                min,
                max,
                labels: [low, high],
            } => Answer::Scale {
                value,
                min,
                max,
                min_label: text(low)?,
                max_label: text(high)?,
            },
            SlimAnswer::Choice(options) => Answer::Choice {
                options: options
                    .into_iter()
                    .map(|(id, label, picked)| {
                        Some(PickedOption {
                            id: OptionId::new(text(id)?),
                            label: text(label)?,
                            picked,
                        })
                    })
                    .collect::<Option<_>>()?,
            },
            SlimAnswer::Read => Answer::Read,
            SlimAnswer::Skipped => Answer::Skipped,
            SlimAnswer::NotReady => Answer::NotReady,
        };
        answers.push(StepAnswer {
            step: StepId::new(text(step)?),
            prompt: text(prompt)?,
            answer,
        });
    }
    Some(Entry {
        format: slim.format,
        id: slim.id,
        author: slim.author,
        created: slim.created,
        updated: slim.updated,
        visibility: slim.visibility,
        mac: None,
        witness: Vec::new(),
        exercise: ExerciseRef {
            workbook: WorkbookId::new(text(workbook)?),
            workbook_version: text(version)?,
            module: ModuleId::new(text(module)?),
            exercise: ExerciseId::new(text(exercise)?),
            module_title: text(module_title)?,
            exercise_title: text(exercise_title)?,
        },
        answers,
    })
}

/// `person`'s cache file as it is on disk (sealed), if there is one.
pub(crate) fn sealed(data_dir: &Path, person: &PersonId) -> Option<Vec<u8>> {
    fs::read(path(data_dir, person)).ok()
}

/// The cached files by name and the drafts seen in a `sealed` cache; empty when there
/// is no usable cache.
pub(crate) fn read(sealed: Option<Vec<u8>>, private: &x25519::Identity) -> Read {
    let Some(sealed) = sealed else {
        return Read::default();
    };
    let opened = crypt::decrypt(&sealed, None, private);
    drop(sealed);
    let Opened::Plain { bytes, .. } = opened else {
        return Read::default();
    };
    let file = match postcard::from_bytes::<CacheFile>(&bytes) {
        Ok(file) if file.format == CACHE_FORMAT => file,
        _ => return Read::default(),
    };
    drop(bytes);
    let texts: Vec<Arc<str>> = file.texts.into_iter().map(Arc::from).collect();
    let mut cached = Vec::with_capacity(file.files.len());
    for Slim { name, stamp, held } in file.files {
        let held = match held {
            SlimHeld::NotMine => Held::NotMine,
            SlimHeld::Entry { entry, unconfirmed } => match full(entry, &texts) {
                Some(entry) => Held::Entry { entry, unconfirmed },
                None => return Read::default(),
            },
        };
        cached.push((name, Cached { stamp, held }));
    }
    // A load writes its files in order of name; a cache that is not is put in order.
    let out_of_order = !cached.is_sorted_by(|(a, _), (b, _)| a < b);
    if out_of_order {
        cached.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
        cached.dedup_by(|(a, _), (b, _)| a == b);
    }
    Read {
        files: cached,
        drafts: file.drafts,
        out_of_order,
    }
}

/// One file as a load found it, borrowing the loaded entry.
pub(crate) struct CachedRef<'a> {
    pub name: &'a str,
    pub stamp: Stamp,
    pub held: HeldRef<'a>,
}

pub(crate) enum HeldRef<'a> {
    NotMine,
    Entry { entry: &'a Entry, unconfirmed: bool },
}

/// The cache's plaintext for `files` (postcard), wiped when dropped.
pub(crate) fn encode(
    files: &[CachedRef<'_>],
    drafts: &[String],
) -> Result<Zeroizing<Vec<u8>>, String> {
    let mut texts = Texts::default();
    let slim_files: Vec<Slim<SlimHeld>> = files
        .iter()
        .map(|f| Slim {
            name: f.name.to_owned(),
            stamp: f.stamp,
            held: match f.held {
                HeldRef::NotMine => SlimHeld::NotMine,
                HeldRef::Entry { entry, unconfirmed } => SlimHeld::Entry {
                    entry: slim(entry, &mut texts),
                    unconfirmed,
                },
            },
        })
        .collect();
    let file = CacheFile {
        format: CACHE_FORMAT,
        texts: texts.texts.iter().map(|t| (*t).to_owned()).collect(),
        files: slim_files,
        drafts: drafts.to_vec(),
    };
    postcard::to_allocvec(&file)
        .map(|bytes| super::pad::binary(Zeroizing::new(bytes)))
        .map_err(|e| e.to_string())
}

/// `plain` sealed for the cache file.
pub(crate) fn seal(plain: &[u8], to: &x25519::Recipient) -> Result<Vec<u8>, String> {
    crypt::encrypt(iter::once(to as &dyn age::Recipient), plain)
}

/// Writes the cache atomically (its folder made private first).
pub(crate) fn write(data_dir: &Path, person: &PersonId, sealed: &[u8]) -> Result<(), VaultError> {
    fsutil::ensure_private_dir(&data_dir.join(CACHE))?;
    fsutil::write_atomic(&path(data_dir, person), sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A load walks the cache beside the folder's listing, both in order of name: a
    /// cache an older mend wrote in another order comes back in order, flagged so the
    /// load writes it again.
    #[test]
    fn files_stored_out_of_order_come_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.age");
        fs::write(&file, b"x").unwrap();
        let stamp = Stamp::of(&file, &fs::metadata(&file).unwrap());
        let identity = x25519::Identity::generate();
        let sealed = |names: &[&str]| {
            let refs: Vec<CachedRef<'_>> = names
                .iter()
                .map(|name| CachedRef {
                    name,
                    stamp,
                    held: HeldRef::NotMine,
                })
                .collect();
            let plain = encode(&refs, &[]).unwrap();
            let to = identity.to_public();
            crypt::encrypt(iter::once(&to as &dyn age::Recipient), &plain).unwrap()
        };
        let names = |read: &Read| -> Vec<String> {
            read.files.iter().map(|(name, _)| name.clone()).collect()
        };
        let shuffled = read(Some(sealed(&["c.age", "a.age", "b.age"])), &identity);
        assert_eq!(names(&shuffled), ["a.age", "b.age", "c.age"]);
        assert!(shuffled.out_of_order);
        let in_order = read(Some(sealed(&["a.age", "b.age"])), &identity);
        assert_eq!(names(&in_order), ["a.age", "b.age"]);
        assert!(!in_order.out_of_order);
    }
}
