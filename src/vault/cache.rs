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
//! repeat are stored once (see [`CacheHead`]). A file whose stamp differs from the
//! cached one is opened afresh: every save writes a new file and renames it into
//! place, which changes the inode and the time, so a changed file is never served from
//! the cache. Files that fail to open are never cached, so damage is reported at every
//! load until it is dealt with.
//!
//! The files are kept in order of name, in parts (see [`CacheHead`]): a load decrypts
//! and decodes the parts and checks them against the folder's listing on every core at
//! once. age's payload is a series of separately authenticated 64 KiB chunks, so each
//! part is read from where it starts; the file's length is authenticated first (its
//! last chunk must open as the last), so a cut-short cache is never read as whole, and
//! nothing from it is used unless every part it is asked for opens.
//!
//! The cache is only ever a copy. A missing, damaged, foreign or older-format cache is
//! ignored and rebuilt (a damaged part alone: its files are opened again); deleting the
//! folder loses nothing. Writing it (O(vault)) happens
//! on a background thread after a load that found changes, so neither unlocking nor
//! saving waits for it.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::iter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use age::secrecy::zeroize::Zeroizing;
use age::x25519;
use serde::{Deserialize, Serialize};

use super::crypt;
use super::{VaultError, fsutil};
use crate::content::OptionId;
use crate::domain::{Entry, ExerciseRef, OfferedOption, PersonId};

pub(crate) const CACHE: &str = "cache";
/// Bumped whenever what is cached changes shape or meaning; an older cache is rebuilt.
const CACHE_FORMAT: u32 = 8;

/// How many files one part of the cache holds when it lists `files`: a load decodes
/// and checks the parts on every core at once, so there are enough of them to share
/// out evenly (sixteen, unless they would be tiny).
pub(crate) fn part_size(files: usize) -> usize {
    (files / 16).max(16)
}

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

/// The head of the cache as stored, followed by its parts. Every entry repeats the
/// workbook's words (prompts, option labels, titles: most of its bytes), so each
/// distinct text is stored once in `texts` and entries refer to it by number: the
/// cache is about half the size, and decrypts and parses in about half the time.
/// The plaintext is the head's length (eight bytes, little-endian), the head, then the
/// parts: the files in order of name, split (see [`part_size`]) and each encoded on its
/// own (a `Vec<Slim<SlimHeld>>`), so a load decrypts and decodes them on every core at
/// once; then padding.
#[derive(Serialize, Deserialize)]
struct CacheHead {
    format: u32,
    texts: Vec<String>,
    /// The person's draft files at that load, by name: a draft that later vanishes
    /// (and was not finished as an entry) is said.
    drafts: Vec<String>,
    /// Per part: the name of its first file, and its length in bytes.
    parts: Vec<(String, u64)>,
}

/// What an opened cache holds: its head read, its parts still sealed in `sealed`.
pub(crate) struct Contents<'a> {
    pub drafts: Vec<String>,
    pub parts: Vec<Part>,
    texts: Vec<Arc<str>>,
    sealed: &'a [u8],
    private: &'a x25519::Identity,
}

/// One part of a cache: its files are those named from `first` up to the next part's;
/// its bytes are `len` from `start` in the plaintext.
pub(crate) struct Part {
    pub first: String,
    start: u64,
    len: usize,
}

/// The plaintext of `sealed`, positioned to read from anywhere in it.
type Reader<'a> = age::stream::StreamReader<io::Cursor<&'a [u8]>>;

fn reader<'a>(sealed: &'a [u8], private: &x25519::Identity) -> Option<Reader<'a>> {
    age::Decryptor::new_buffered(io::Cursor::new(sealed))
        .ok()?
        .decrypt(iter::once(private as &dyn age::Identity))
        .ok()
}

/// `sealed` (the cache file as it is on disk, if there is one) opened with `private`,
/// its head read; `None` when it does not open or is of another format (it is then
/// rebuilt). Its parts are opened by [`Contents::files`].
pub(crate) fn open<'a>(
    sealed: Option<&'a [u8]>,
    private: &'a x25519::Identity,
) -> Option<Contents<'a>> {
    let sealed = sealed?;
    let mut reader = reader(sealed, private)?;
    // Seeking to the end opens the last chunk, which must be marked the last: the
    // length is then known to be the length it was written with.
    let total = reader.seek(SeekFrom::End(0)).ok()?;
    reader.seek(SeekFrom::Start(0)).ok()?;
    let mut length = [0; 8];
    reader.read_exact(&mut length).ok()?;
    let head_len = u64::from_le_bytes(length);
    let mut head = Zeroizing::new(vec![
        0;
        usize::try_from(head_len)
            .ok()
            .filter(|&n| n as u64 <= total)?
    ]);
    reader.read_exact(&mut head).ok()?;
    let head: CacheHead = postcard::from_bytes(&head).ok()?;
    if head.format != CACHE_FORMAT || !head.parts.is_sorted_by(|(a, _), (b, _)| a < b) {
        return None;
    }
    let mut start = 8 + head_len;
    let mut parts = Vec::with_capacity(head.parts.len());
    for (first, len) in head.parts {
        let end = start.checked_add(len).filter(|&end| end <= total)?;
        let len = usize::try_from(len).ok()?;
        parts.push(Part { first, start, len });
        start = end;
    }
    Some(Contents {
        drafts: head.drafts,
        parts,
        texts: head.texts.into_iter().map(Arc::from).collect(),
        sealed,
        private,
    })
}

impl Contents<'_> {
    /// Hands `then` the files of `part`, decrypted from where it starts, in order of
    /// name; `None` if it is damaged or out of order (its files are then opened afresh:
    /// the cache is only ever a copy). Their names are borrowed from its plaintext,
    /// which is wiped once `then` is done.
    pub fn read<R>(&self, part: &Part, then: impl FnOnce(Option<Vec<(&str, Cached)>>) -> R) -> R {
        let plain = self.plain(part);
        then(plain.as_deref().and_then(|plain| self.files(part, plain)))
    }

    fn plain(&self, part: &Part) -> Option<Zeroizing<Vec<u8>>> {
        let mut reader = reader(self.sealed, self.private)?;
        reader.seek(SeekFrom::Start(part.start)).ok()?;
        let mut plain = Zeroizing::new(vec![0; part.len]);
        reader.read_exact(&mut plain).ok()?;
        Some(plain)
    }

    fn files<'p>(&self, part: &Part, plain: &'p [u8]) -> Option<Vec<(&'p str, Cached)>> {
        let slims: Vec<Slim<'p, SlimHeld>> = postcard::from_bytes(plain).ok()?;
        let mut files = Vec::with_capacity(slims.len());
        let mut made = Made::over(&self.texts);
        for Slim { name, stamp, held } in slims {
            let held = match held {
                SlimHeld::NotMine => Held::NotMine,
                SlimHeld::Entry { entry, unconfirmed } => Held::Entry {
                    entry: full(entry, &mut made)?,
                    unconfirmed,
                },
            };
            files.push((name, Cached { stamp, held }));
        }
        let in_order = files.first().is_none_or(|(name, _)| *name == part.first)
            && files.is_sorted_by(|(a, _), (b, _)| a < b);
        in_order.then_some(files)
    }
}

/// One file as stored: `Slim<SlimHeld>` with `T` the held part. Its name is read in
/// place from the part's plaintext, not copied.
#[derive(Serialize, Deserialize)]
struct Slim<'a, T> {
    name: &'a str,
    stamp: Stamp,
    held: T,
}

#[derive(Serialize, Deserialize)]
enum SlimHeld {
    NotMine,
    Entry { entry: SlimEntry, unconfirmed: bool },
}

/// An [`Entry`] with its repeated texts as numbers into [`CacheHead::texts`].
#[derive(Serialize, Deserialize)]
struct SlimEntry {
    format: u32,
    id: crate::domain::EntryId,
    /// Seconds and nanoseconds since 1970: read back with no text to parse.
    created: (i64, u32),
    updated: (i64, u32),
    visibility: crate::content::Visibility,
    /// The author's id, a number into the texts like the words.
    author: u32,
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

fn moment(at: chrono::DateTime<chrono::Utc>) -> (i64, u32) {
    (at.timestamp(), at.timestamp_subsec_nanos())
}

/// Long on purpose: the cache's encoding of an entry, field by field, kept beside its decoding.
fn slim<'a>(entry: &'a Entry, texts: &mut Texts<'a>) -> SlimEntry {
    use crate::domain::Answer;
    let e = &entry.exercise;
    SlimEntry {
        format: entry.format,
        id: entry.id,
        author: texts.number(&entry.author.0),
        created: moment(entry.created),
        updated: moment(entry.updated),
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

/// The cache's texts as one part's entries are made from them, and what those entries
/// share, made the first time one of them needs it: one [`ExerciseRef`] per exercise,
/// one [`OfferedOption`] per option (found by the number of its words, its id checked).
/// Every text is one copy, however many entries hold it.
struct Made<'t> {
    texts: &'t [Arc<str>],
    exercises: HashMap<[u32; 6], Arc<ExerciseRef>>,
    options: Vec<Option<(u32, Arc<OfferedOption>)>>,
}

impl<'t> Made<'t> {
    fn over(texts: &'t [Arc<str>]) -> Self {
        Self {
            texts,
            exercises: HashMap::new(),
            options: vec![None; texts.len()],
        }
    }

    /// Text number `n`; `None` when there is none (a damaged cache).
    fn text(&self, n: u32) -> Option<Arc<str>> {
        self.texts.get(n as usize).cloned()
    }

    fn option(&mut self, id: u32, label: u32) -> Option<Arc<OfferedOption>> {
        match self.options.get(label as usize)? {
            Some((known, offered)) if *known == id => Some(Arc::clone(offered)),
            _ => {
                let offered = Arc::new(OfferedOption {
                    id: OptionId::new(self.text(id)?),
                    label: self.text(label)?,
                });
                self.options[label as usize] = Some((id, Arc::clone(&offered)));
                Some(offered)
            }
        }
    }

    /// The exercise an entry's `numbers` name.
    fn exercise(&mut self, numbers: [u32; 6]) -> Option<Arc<ExerciseRef>> {
        use crate::content::{ExerciseId, ModuleId, WorkbookId};
        if let Some(known) = self.exercises.get(&numbers) {
            return Some(Arc::clone(known));
        }
        let [
            workbook,
            version,
            module,
            exercise,
            module_title,
            exercise_title,
        ] = numbers;
        let made = Arc::new(ExerciseRef {
            workbook: WorkbookId::new(self.text(workbook)?),
            workbook_version: self.text(version)?,
            module: ModuleId::new(self.text(module)?),
            exercise: ExerciseId::new(self.text(exercise)?),
            module_title: self.text(module_title)?,
            exercise_title: self.text(exercise_title)?,
        });
        self.exercises.insert(numbers, Arc::clone(&made));
        Some(made)
    }
}

/// The entry again; `None` when a number is out of range (a damaged cache).
///
/// Long on purpose: the cache's encoding of an entry, field by field, kept beside its decoding.
fn full(slim: SlimEntry, made: &mut Made<'_>) -> Option<Entry> {
    use crate::content::StepId;
    use crate::domain::{Answer, PickedOption, StepAnswer};
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
                min_label: made.text(low)?,
                max_label: made.text(high)?,
            },
            SlimAnswer::Choice(slims) => {
                // Room made once: collecting through `Option` would grow it step by step.
                let mut options = Vec::with_capacity(slims.len());
                for (id, label, picked) in slims {
                    let offered = made.option(id, label)?;
                    options.push(PickedOption { offered, picked });
                }
                Answer::Choice { options }
            }
            SlimAnswer::Read => Answer::Read,
            SlimAnswer::Skipped => Answer::Skipped,
            SlimAnswer::NotReady => Answer::NotReady,
        };
        answers.push(StepAnswer {
            step: StepId::new(made.text(step)?),
            prompt: made.text(prompt)?,
            answer,
        });
    }
    Some(Entry {
        format: slim.format,
        id: slim.id,
        author: PersonId(made.text(slim.author)?),
        created: chrono::DateTime::from_timestamp(slim.created.0, slim.created.1)?,
        updated: chrono::DateTime::from_timestamp(slim.updated.0, slim.updated.1)?,
        visibility: slim.visibility,
        mac: None,
        witness: Vec::new(),
        exercise: made.exercise(slim.exercise)?,
        answers,
    })
}

/// `person`'s cache file as it is on disk (sealed), if there is one.
pub(crate) fn sealed(data_dir: &Path, person: &PersonId) -> Option<Vec<u8>> {
    fs::read(path(data_dir, person)).ok()
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
    let mut sorted: Vec<&CachedRef<'_>> = files.iter().collect();
    sorted.sort_unstable_by_key(|f| f.name);
    let mut texts = Texts::default();
    let mut parts = Vec::new();
    let mut bodies = Zeroizing::new(Vec::new());
    for chunk in sorted.chunks(part_size(sorted.len())) {
        let slims: Vec<Slim<'_, SlimHeld>> = chunk
            .iter()
            .map(|f| Slim {
                name: f.name,
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
        let body = Zeroizing::new(postcard::to_allocvec(&slims).map_err(|e| e.to_string())?);
        parts.push((chunk[0].name.to_owned(), body.len() as u64));
        bodies.extend_from_slice(&body);
    }
    let head = CacheHead {
        format: CACHE_FORMAT,
        texts: texts.texts.iter().map(|t| (*t).to_owned()).collect(),
        drafts: drafts.to_vec(),
        parts,
    };
    let head = Zeroizing::new(postcard::to_allocvec(&head).map_err(|e| e.to_string())?);
    let mut plain = Zeroizing::new(Vec::with_capacity(8 + head.len() + bodies.len()));
    plain.extend_from_slice(&(head.len() as u64).to_le_bytes());
    plain.extend_from_slice(&head);
    plain.extend_from_slice(&bodies);
    Ok(super::pad::binary(plain))
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

    /// A load walks the cache beside the folder's listing, both in order of name, a
    /// part on each core: the parts cover every file once, in order, whatever order
    /// they were handed in.
    #[test]
    fn files_come_back_in_parts_in_order_of_name() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.age");
        fs::write(&file, b"x").unwrap();
        let stamp = Stamp::of(&file, &fs::metadata(&file).unwrap());
        let identity = x25519::Identity::generate();
        let names: Vec<String> = (0..100).rev().map(|i| format!("{i:03}.age")).collect();
        let refs: Vec<CachedRef<'_>> = names
            .iter()
            .map(|name| CachedRef {
                name,
                stamp,
                held: HeldRef::NotMine,
            })
            .collect();
        let plain = encode(&refs, &["a-draft.age".to_owned()]).unwrap();
        let sealed = seal(&plain, &identity.to_public()).unwrap();
        let contents = open(Some(&sealed), &identity).unwrap();
        assert_eq!(contents.drafts, ["a-draft.age"]);
        assert!(contents.parts.len() > 1, "{} parts", contents.parts.len());
        let mut back = Vec::new();
        for part in &contents.parts {
            contents.read(part, |files| {
                let files = files.unwrap();
                assert_eq!(files[0].0, part.first);
                back.extend(files.into_iter().map(|(name, _)| name.to_owned()));
            });
        }
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(back, sorted);
    }
}
