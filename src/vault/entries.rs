//! Entry and draft files: `entries/<id>.age` and `drafts/<person>/<id>.age`.
//!
//! One file per entry, named by its random id, so a save rewrites exactly one small file
//! whatever the vault's size, and a sync tool never sees one big file change. Private
//! entries and all drafts are encrypted to the author's private recipient only; shared
//! entries to every person's shared recipient. Reading never lets one bad file stop the
//! others: a file addressed to someone else is skipped without a trace, a damaged one is
//! reported and moved to `quarantine/` (never deleted), and a newer-format one is
//! reported and left in place for a newer mend.
//!
//! Loading also judges authorship (see `authorship`). An entry that names the reader
//! as its author must carry the reader's MAC or, lacking any MAC, have opened with the
//! reader's *private* key (whose recipient is never on disk, so only the reader could
//! have sealed it: this keeps private entries from before authorship MACs trusted). An
//! entry that names a partner must carry that partner's witness for the reader.
//! Anything else is *unconfirmed*: set apart, never counted as anyone's words, and
//! left in place (it may be someone's real entry that only this check cannot place).
//! The MAC and witnesses are cleared from what is returned, so an entry compares
//! equal to the one that was saved.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use age::secrecy::zeroize::Zeroizing;
use age::x25519;

use super::cache::{self, Cached, CachedRef, Held, HeldRef, Stamp};
use super::crypt::{self, Opened, OpenedWith};
use super::keys::PersonKeys;
use super::{FileProblem, VaultError, authorship, fsutil, pad};
use crate::content::Visibility;
use crate::domain::{Draft, ENTRY_FORMAT, Entry, EntryId, PersonId};

mod losses;
mod reading;

use losses::{draft_names, drafts_gone, gone_of_mine, mine, replaced};
use reading::{Read, draft_format, entry_format, read_one};

pub(crate) const ENTRIES: &str = "entries";
pub(crate) const DRAFTS: &str = "drafts";
pub(crate) const QUARANTINE: &str = "quarantine";
const EXTENSION: &str = "age";

pub(crate) fn entry_path(data_dir: &Path, id: EntryId) -> PathBuf {
    data_dir.join(ENTRIES).join(format!("{id}.{EXTENSION}"))
}

pub(crate) fn draft_dir(data_dir: &Path, person: &PersonId) -> PathBuf {
    data_dir.join(DRAFTS).join(&*person.0)
}

pub(crate) fn draft_path(data_dir: &Path, person: &PersonId, id: EntryId) -> PathBuf {
    draft_dir(data_dir, person).join(format!("{id}.{EXTENSION}"))
}

/// Encrypts `plain` (TOML) to `recipients` and replaces `path` atomically.
pub(crate) fn seal_to(
    path: &Path,
    recipients: &[x25519::Recipient],
    marks: &crypt::Marks<'_>,
    plain: &str,
) -> Result<(), VaultError> {
    fsutil::write_atomic(path, &seal(path, recipients, marks, plain)?)
}

/// `plain` encrypted to `recipients`, with `marks` in the header (the author's owner
/// mark, and the shared mark for a shared file), so every reader can tell a damaged
/// file meant for them from one that is not theirs to read.
pub(crate) fn seal(
    path: &Path,
    recipients: &[x25519::Recipient],
    marks: &crypt::Marks<'_>,
    plain: &str,
) -> Result<Vec<u8>, VaultError> {
    crypt::encrypt(
        recipients
            .iter()
            .map(|r| r as &dyn age::Recipient)
            .chain([marks as &dyn age::Recipient]),
        pad::toml(plain).as_bytes(),
    )
    .map_err(|reason| VaultError::Encrypt {
        path: path.to_owned(),
        reason,
    })
}

/// The TOML text of `value`, wiped from memory when dropped.
pub(crate) fn to_toml<T: serde::Serialize>(
    value: &T,
    path: &Path,
) -> Result<Zeroizing<String>, VaultError> {
    toml::to_string(value)
        .map(Zeroizing::new)
        .map_err(|e| VaultError::Encrypt {
            path: path.to_owned(),
            reason: format!("it could not be written as TOML ({e})"),
        })
}

/// What [`load_entries`] found.
pub(crate) struct LoadedEntries {
    /// Newest first, each with the visibility of the key that opened it, MAC cleared,
    /// its author confirmed.
    pub entries: Vec<Entry>,
    /// Entries whose author could not be confirmed (see the module doc), newest first.
    pub unconfirmed: Vec<Entry>,
    /// The reader's own shared entries that lack a witness for some partner (written
    /// before witnesses, or before the partner joined): to be sealed again with one.
    pub unwitnessed: Vec<EntryId>,
    pub problems: Vec<FileProblem>,
    /// Repairs that cost nothing (loosened permissions set back): said, but every file
    /// was read.
    pub notices: Vec<FileProblem>,
    /// How many entry files were opened (not taken from the cache).
    pub opened: usize,
}

/// Whether `entry`, opened `with` one of `keys`, was written by the owner of `keys`.
/// Only meaningful for an entry that names that person as its author.
pub(crate) fn is_genuine(entry: &Entry, with: OpenedWith, keys: &PersonKeys) -> bool {
    match entry.mac {
        Some(_) => authorship::verify(entry, &keys.private),
        None => with == OpenedWith::Private,
    }
}

/// Whether `entry`, opened `with` one of `keys` (belonging to `me`), was written by the
/// person it names: `me`, or one of `partners` (each with their shared recipient).
fn is_confirmed(
    entry: &Entry,
    with: OpenedWith,
    me: &PersonId,
    keys: &PersonKeys,
    partners: &[(PersonId, x25519::Recipient)],
) -> bool {
    if &entry.author == me {
        return is_genuine(entry, with, keys);
    }
    with == OpenedWith::Shared
        && partners.iter().any(|(id, recipient)| {
            id == &entry.author && authorship::witnessed(entry, &keys.shared, recipient)
        })
}

/// The entry folder as listed and stamped, before any file is opened. It needs no key,
/// so an unlock lists the folder while the key derivation runs (see
/// [`super::Vault::list_entries`]).
pub struct Listing {
    /// Every file's name, one after another: ten years of names are one allocation,
    /// made and freed by one thread, read in order.
    names: String,
    /// Per file, in order of name: where its name is in `names`, and its stamp.
    files: Vec<(Range<usize>, Stamp)>,
    problems: Vec<FileProblem>,
    notices: Vec<FileProblem>,
    /// Whose cache was read, and its sealed bytes (none when there is no cache).
    cache: (PersonId, Option<Vec<u8>>),
}

impl Listing {
    /// Lists and stamps `entries/`, sweeping a crashed save's leftovers and tightening
    /// loosened permissions on the way (the caller holds the vault lock).
    pub(crate) fn of(data_dir: &Path, person: &PersonId) -> Self {
        let (mut problems, mut notices) = (Vec::new(), Vec::new());
        let (names, mut files) = stamped_files(
            data_dir,
            &data_dir.join(ENTRIES),
            &mut problems,
            &mut notices,
        );
        // In order of name, as the cache is: a load walks the two side by side.
        files.sort_unstable_by(|(a, _), (b, _)| names[a.clone()].cmp(&names[b.clone()]));
        Self {
            names,
            files,
            problems,
            notices,
            cache: (person.clone(), cache::sealed(data_dir, person)),
        }
    }
}

/// Every entry `keys` (belonging to `me`) can open among the `listed` files, and the
/// problems found on the way; `partners` are the other people in the vault with their
/// shared recipients.
///
/// Files whose stamp matches `cached` are taken from it without being opened; every
/// other file is opened and judged. When anything differed from the cache, the new
/// cache's plaintext comes back too, for the caller to seal and write.
pub(crate) fn load_entries(
    data_dir: &Path,
    me: &PersonId,
    keys: &PersonKeys,
    partners: &[(PersonId, x25519::Recipient)],
    listed: Listing,
) -> (LoadedEntries, Option<Zeroizing<Vec<u8>>>) {
    let Listing {
        names,
        files: listed,
        mut problems,
        notices,
        cache: (whose, sealed),
    } = listed;
    let mut unwitnessed = Vec::new();
    let sealed = if &whose == me {
        sealed
    } else {
        cache::sealed(data_dir, me)
    };
    let contents = cache::open(sealed.as_deref(), &keys.private);
    let known_drafts = contents
        .as_ref()
        .map(|c| c.drafts.clone())
        .unwrap_or_default();
    let drafts_now = draft_names(data_dir, me);
    let judge = Judge {
        data_dir,
        me,
        keys,
        partners,
    };
    let listed = listed
        .into_iter()
        .map(|(name, stamp)| (&names[name], stamp))
        .collect();
    let held = judge.in_parts(listed, contents.as_ref(), &mut unwitnessed, &mut problems);
    drop(contents);
    let HeldFiles {
        files,
        mut entries,
        mut unconfirmed,
        mut changed,
        opened,
        gone: cached,
    } = held;
    // Files the cache knew that are gone: any of mine is said, once (the new cache no
    // longer lists it). Drafts too, unless they were finished as entries.
    changed |= !cached.is_empty() || known_drafts != drafts_now;
    problems.extend(drafts_gone(
        me,
        &known_drafts,
        &drafts_now,
        &cached,
        [&entries, &unconfirmed],
    ));
    problems.extend(gone_of_mine(data_dir, me, &cached));
    let new_cache = changed
        .then(|| new_cache(&files, [&entries, &unconfirmed], &drafts_now))
        .flatten();
    // Newest first. The keys are sorted and each entry moved once into its place.
    entries.sort_by_cached_key(|e| (std::cmp::Reverse(e.updated), e.id));
    unconfirmed.sort_by_cached_key(|e| (std::cmp::Reverse(e.updated), e.id));
    (
        LoadedEntries {
            entries,
            unconfirmed,
            unwitnessed,
            problems,
            notices,
            opened,
        },
        new_cache,
    )
}

/// The plaintext of the cache a load leaves: each file's stamp and what it held.
/// `None` when it cannot be encoded: the next load simply opens the files again.
fn new_cache(
    files: &[(&str, Stamp, Option<EntryAt>)],
    [confirmed, unconfirmed]: [&[Entry]; 2],
    drafts_now: &[String],
) -> Option<Zeroizing<Vec<u8>>> {
    let refs: Vec<CachedRef<'_>> = files
        .iter()
        .map(|(name, stamp, held)| CachedRef {
            name,
            stamp: *stamp,
            held: match held {
                None => HeldRef::NotMine,
                Some((index, false)) => HeldRef::Entry {
                    entry: &confirmed[*index],
                    unconfirmed: false,
                },
                Some((index, true)) => HeldRef::Entry {
                    entry: &unconfirmed[*index],
                    unconfirmed: true,
                },
            },
        })
        .collect();
    cache::encode(&refs, drafts_now).ok()
}

/// What a load found in the listed files.
struct HeldFiles<'a> {
    /// Per file: its name, stamp, and where its entry is (see [`EntryAt`]).
    files: Vec<(&'a str, Stamp, Option<EntryAt>)>,
    /// The entries whose authors are confirmed, and those that are not.
    entries: Vec<Entry>,
    unconfirmed: Vec<Entry>,
    /// Whether anything differed from the cache.
    changed: bool,
    /// How many files were opened (the rest came from the cache).
    opened: usize,
    /// What the cache held of files no longer in the folder, by name.
    gone: HashMap<String, Cached>,
}

/// Who is loading, to open and judge one entry file.
struct Judge<'a> {
    data_dir: &'a Path,
    me: &'a PersonId,
    keys: &'a PersonKeys,
    partners: &'a [(PersonId, x25519::Recipient)],
}

impl Judge<'_> {
    /// [`Judge::all`] for the whole listing, a part at a time on every core: each part
    /// of the cache with the listed files whose names fall in it, or (with no cache)
    /// the listing in slices, every file opened. What the parts found is put back
    /// together in order of name.
    fn in_parts<'a>(
        &self,
        mut listed: Vec<(&'a str, Stamp)>,
        cache: Option<&cache::Contents<'_>>,
        unwitnessed: &mut Vec<EntryId>,
        problems: &mut Vec<FileProblem>,
    ) -> HeldFiles<'a> {
        let parts: Vec<Option<&cache::Part>> = match cache {
            Some(cache) if !cache.parts.is_empty() => cache.parts.iter().map(Some).collect(),
            _ => vec![None; listed.len().div_ceil(cache::part_size(listed.len())).max(1)],
        };
        // Where each part's files start in the listing: split from the end.
        let size = cache::part_size(listed.len());
        let mut slices = Vec::with_capacity(parts.len());
        for (i, part) in parts.iter().enumerate().skip(1).rev() {
            let start = match part {
                Some(part) => listed.partition_point(|(name, _)| *name < part.first.as_str()),
                None => (i * size).min(listed.len()),
            };
            slices.push(listed.split_off(start));
        }
        slices.push(listed);
        slices.reverse();
        let work: Vec<_> = parts.into_iter().zip(slices).collect();
        let found = on_every_core(work, |(part, listed)| {
            let (mut unwitnessed, mut problems) = (Vec::new(), Vec::new());
            let judge = |cached: Option<Vec<(&str, Cached)>>| {
                let damaged = cached.is_none();
                let mut held = self.all(
                    listed,
                    cached.unwrap_or_default(),
                    &mut unwitnessed,
                    &mut problems,
                );
                held.changed |= damaged;
                held
            };
            let held = match (cache, part) {
                (Some(cache), Some(part)) => cache.read(part, judge),
                _ => judge(Some(Vec::new())),
            };
            (held, unwitnessed, problems)
        });
        // Put together in one move each, into room made once.
        let total = |count: fn(&HeldFiles) -> usize| found.iter().map(|(h, _, _)| count(h)).sum();
        let mut all = HeldFiles {
            files: Vec::with_capacity(total(|h| h.files.len())),
            entries: Vec::with_capacity(total(|h| h.entries.len())),
            unconfirmed: Vec::with_capacity(total(|h| h.unconfirmed.len())),
            changed: cache.is_none(),
            opened: 0,
            gone: HashMap::new(),
        };
        for (held, part_unwitnessed, part_problems) in found {
            let (confirmed, unconfirmed) = (all.entries.len(), all.unconfirmed.len());
            all.files
                .extend(held.files.into_iter().map(|(name, stamp, at)| {
                    let at = at.map(|(i, u)| (i + if u { unconfirmed } else { confirmed }, u));
                    (name, stamp, at)
                }));
            all.entries.extend(held.entries);
            all.unconfirmed.extend(held.unconfirmed);
            all.changed |= held.changed;
            all.opened += held.opened;
            all.gone.extend(held.gone);
            unwitnessed.extend(part_unwitnessed);
            problems.extend(part_problems);
        }
        all
    }

    /// What the listed files hold: taken from `cached` when a file's stamp is unchanged,
    /// opened and judged when not. Both lists are in order of name, so they are walked
    /// side by side; what the cache held that the folder no longer has is `gone`.
    fn all<'a>(
        &self,
        listed: Vec<(&'a str, Stamp)>,
        cached: Vec<(&str, Cached)>,
        unwitnessed: &mut Vec<EntryId>,
        problems: &mut Vec<FileProblem>,
    ) -> HeldFiles<'a> {
        let mut found = HeldFiles {
            files: Vec::with_capacity(listed.len()),
            entries: Vec::with_capacity(listed.len()),
            unconfirmed: Vec::new(),
            changed: false,
            opened: 0,
            gone: HashMap::new(),
        };
        let mut cached = cached.into_iter().peekable();
        for (name, stamp) in listed {
            while let Some((gone, hit)) = cached.next_if(|(known, _)| *known < name) {
                found.gone.insert(gone.to_owned(), hit);
            }
            let previous = cached
                .next_if(|(known, _)| *known == name)
                .map(|(_, hit)| hit);
            let held = match previous {
                Some(hit) if hit.stamp == stamp => hit.held,
                previous => {
                    found.changed = true;
                    found.opened += 1;
                    let path = self.data_dir.join(ENTRIES).join(name);
                    match self.open(&path, name, previous.as_ref(), unwitnessed) {
                        Ok(held) => held,
                        Err(problem) => {
                            problems.push(problem);
                            continue;
                        }
                    }
                }
            };
            let at = match held {
                Held::NotMine => None,
                Held::Entry { entry, unconfirmed } => {
                    let list = if unconfirmed {
                        &mut found.unconfirmed
                    } else {
                        &mut found.entries
                    };
                    list.push(entry);
                    Some((list.len() - 1, unconfirmed))
                }
            };
            found.files.push((name, stamp, at));
        }
        found
            .gone
            .extend(cached.map(|(gone, hit)| (gone.to_owned(), hit)));
        found
    }

    /// Opens the entry file at `path` and judges its author; `previous` is what the
    /// cache held for it. An entry of mine replaced by something else is said, and a
    /// file that could not be read comes back as its problem.
    fn open(
        &self,
        path: &Path,
        name: &str,
        previous: Option<&Cached>,
        unwitnessed: &mut Vec<EntryId>,
    ) -> Result<Held, FileProblem> {
        let Self {
            data_dir,
            me,
            keys,
            partners,
        } = *self;
        match read_one::<Entry>(
            data_dir,
            path,
            Some(&keys.shared),
            &keys.private,
            entry_format,
            |e| e.id,
        ) {
            Read::Skip => match previous.and_then(|hit| mine(&hit.held, me)) {
                // It was one of mine at the last load: it was not mend that replaced it.
                Some(was) => Err(replaced(name, was)),
                None => Ok(Held::NotMine),
            },
            Read::Item(mut entry, with) => {
                // Judged on the text as written, before visibility is corrected.
                let confirmed = is_confirmed(&entry, with, me, keys, partners);
                if confirmed
                    && &entry.author == me
                    && with == OpenedWith::Shared
                    && entry.witness.len() < partners.len()
                {
                    unwitnessed.push(entry.id);
                }
                entry.mac = None;
                entry.witness = Vec::new();
                entry.visibility = match with {
                    OpenedWith::Private => Visibility::Private,
                    OpenedWith::Shared => Visibility::Shared,
                };
                Ok(Held::Entry {
                    entry,
                    unconfirmed: !confirmed,
                })
            }
            Read::Problem(problem) => Err(problem),
        }
    }
}

/// `job` done for each item of `work` on every core, the results in the items' order.
/// One core, or one item, and it is all done here.
fn on_every_core<T: Send, R: Send>(work: Vec<T>, job: impl Fn(T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if cores < 2 || work.len() < 2 {
        return work.into_iter().map(job).collect();
    }
    let count = work.len();
    let queue = std::sync::Mutex::new(work.into_iter().enumerate());
    let next = || {
        queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .next()
    };
    let work = || {
        let mut done = Vec::new();
        while let Some((i, item)) = next() {
            done.push((i, job(item)));
        }
        done
    };
    // This thread is one of the workers.
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..cores.min(count)).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for other in others {
            done.extend(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Where a file's entry is: its index among the confirmed entries, or (`true`) among
/// those whose author is unconfirmed.
type EntryAt = (usize, bool);

/// `*.age` files directly in `dir` with their stamps; a listing failure becomes a
/// problem. Symbolic links are not followed: mend never makes them.
///
/// Long on purpose: listing, sweeping leftovers and tightening permissions share one pass over the folder, so ten years of entries are listed once.
fn stamped_files(
    data_dir: &Path,
    dir: &Path,
    problems: &mut Vec<FileProblem>,
    notices: &mut Vec<FileProblem>,
) -> (String, Vec<(Range<usize>, Stamp)>) {
    let listing = match fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (String::new(), Vec::new()),
        Err(e) => {
            problems.push(FileProblem {
                file: relative(data_dir, dir),
                message: format!(
                    "{} Entries in this folder were not loaded.",
                    VaultError::io("list the folder", dir)(e)
                ),
            });
            return (String::new(), Vec::new());
        }
    };
    let (mut names, mut found) = (String::new(), Vec::new());
    let (mut loosened, mut still_open) = (0, 0);
    for item in listing.flatten() {
        let Ok(name) = item.file_name().into_string() else {
            continue;
        };
        if name.starts_with(fsutil::TEMP_PREFIX) {
            // Left by a crash mid-save (the vault lock is held, so no save is running).
            if item.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(item.path());
            }
            continue;
        }
        let wanted =
            !name.starts_with('.') && Path::new(&name).extension().is_some_and(|e| e == EXTENSION);
        if !wanted {
            continue;
        }
        match item.metadata() {
            Ok(meta) if meta.is_file() => {
                let path = item.path();
                match fsutil::tighten_file(&path, &meta) {
                    fsutil::Tightened::No => {}
                    fsutil::Tightened::Yes => loosened += 1,
                    fsutil::Tightened::Failed => {
                        loosened += 1;
                        still_open += 1;
                    }
                }
                let stamp = Stamp::of(&path, &meta);
                found.push((names.len()..names.len() + name.len(), stamp));
                names.push_str(&name);
            }
            _ => {}
        }
    }
    if loosened > 0 {
        let done = if still_open == 0 {
            "mend set them back to private (0600).".to_owned()
        } else {
            format!(
                "mend could not set {still_open} of them back: make them private yourself \
                 (chmod 600 on each, or ask whoever manages this computer)."
            )
        };
        notices.push(FileProblem {
            file: relative(data_dir, dir),
            message: format!(
                "{loosened} entry file(s) in this folder could be opened by other accounts \
                 on this computer: their permissions had been loosened, perhaps by a copy, \
                 a backup or a sync tool. {done}"
            ),
        });
    }
    (names, found)
}

/// Opens one entry file without side effects: `None` when it is missing, damaged, not
/// a mend entry or not addressed to `keys` (a load reports and sets those aside). The
/// entry comes back exactly as written, MAC and claimed visibility included.
pub(crate) fn open_entry(path: &Path, keys: &PersonKeys) -> Option<(Entry, OpenedWith)> {
    let bytes = fs::read(path).ok()?;
    let Opened::Plain { bytes, with, .. } =
        crypt::decrypt(&bytes, Some(&keys.shared), &keys.private)
    else {
        return None;
    };
    let text = std::str::from_utf8(&bytes).ok()?;
    let entry: Entry = toml::from_str(text).ok()?;
    let named_right = path.file_stem() == Some(entry.id.to_string().as_ref());
    (named_right && entry.format <= ENTRY_FORMAT).then_some((entry, with))
}

/// The shared entries `me` genuinely wrote, as written (MAC included); only those in
/// `only`, when given.
pub(crate) fn own_shared(
    data_dir: &Path,
    me: &PersonId,
    keys: &PersonKeys,
    only: Option<&HashSet<EntryId>>,
) -> Result<Vec<Entry>, VaultError> {
    let paths = fsutil::list(&data_dir.join(ENTRIES))?;
    Ok(paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == EXTENSION))
        .filter(|p| {
            only.is_none_or(|ids| {
                p.file_stem()
                    .and_then(|stem| uuid::Uuid::parse_str(&stem.to_string_lossy()).ok())
                    .is_some_and(|id| ids.contains(&EntryId(id)))
            })
        })
        .filter_map(|p| open_entry(p, keys))
        .filter(|(entry, with)| {
            *with == OpenedWith::Shared && &entry.author == me && is_genuine(entry, *with, keys)
        })
        .map(|(entry, _)| entry)
        .collect())
}

/// `entry` with its authorship MAC computed by the owner of `keys`, and, when it is
/// shared, a witness for each of `partners` (their shared recipients); any MAC or
/// witness it carried is replaced.
pub(crate) fn signed(
    entry: &Entry,
    keys: &PersonKeys,
    partners: &[x25519::Recipient],
    path: &Path,
) -> Result<Entry, VaultError> {
    let unwritable = |e: toml::ser::Error| VaultError::Encrypt {
        path: path.to_owned(),
        reason: format!("it could not be written as TOML ({e})"),
    };
    let mut signed = entry.clone();
    signed.mac = None;
    signed.witness = match entry.visibility {
        Visibility::Shared => {
            authorship::witnesses(&signed, &keys.shared, partners).map_err(unwritable)?
        }
        Visibility::Private => Vec::new(),
    };
    let mac = authorship::sign(&signed, &keys.private).map_err(unwritable)?;
    signed.mac = Some(mac);
    Ok(signed)
}

/// The person's drafts, newest first. A draft whose entry was already finished (a crash
/// between saving the entry and deleting the draft) is stale: it is deleted, not shown.
pub(crate) fn load_drafts(
    data_dir: &Path,
    person: &PersonId,
    keys: &PersonKeys,
    finished: &crate::domain::EntryIds,
) -> (Vec<Draft>, Vec<FileProblem>) {
    let mut drafts = Vec::new();
    let mut problems = Vec::new();
    let dir = draft_dir(data_dir, person);
    for path in age_files(data_dir, &dir, &mut problems) {
        // Drafts are only ever sealed to the private key, so only that key is tried.
        match read_one::<Draft>(data_dir, &path, None, &keys.private, draft_format, |d| {
            d.entry.id
        }) {
            Read::Skip => {}
            Read::Item(draft, _) if finished.contains(&draft.entry.id) => {
                // Best effort: if it cannot be deleted now, the next unlock tries again.
                let _ = fsutil::remove_if_present(&path);
            }
            Read::Item(mut draft, _) => {
                draft.entry.mac = None;
                drafts.push(draft);
            }
            Read::Problem(problem) => problems.push(problem),
        }
    }
    drafts.sort_by(|a, b| {
        b.entry
            .updated
            .cmp(&a.entry.updated)
            .then(a.entry.id.cmp(&b.entry.id))
    });
    (drafts, problems)
}

/// `*.age` files directly in `dir`; a listing failure becomes a problem.
fn age_files(data_dir: &Path, dir: &Path, problems: &mut Vec<FileProblem>) -> Vec<PathBuf> {
    match fsutil::list(dir) {
        Ok(paths) => paths
            .into_iter()
            .filter(|p| {
                let name = fsutil::file_name(p);
                !name.starts_with('.')
                    && p.extension().is_some_and(|e| e == EXTENSION)
                    && p.is_file()
            })
            .collect(),
        Err(e) => {
            problems.push(FileProblem {
                file: relative(data_dir, dir),
                message: format!("{e} Entries in this folder were not loaded."),
            });
            Vec::new()
        }
    }
}

fn relative(data_dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(data_dir).unwrap_or(path).to_owned()
}
