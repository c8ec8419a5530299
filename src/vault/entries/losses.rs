//! What went missing since a person's last load, from their encrypted cache of it: an
//! entry of theirs deleted or replaced by a file that is not theirs, a draft gone
//! without being finished. Each is said once, to its owner.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use super::super::FileProblem;
use super::super::cache::{Cached, Held};
use super::{DRAFTS, ENTRIES, EXTENSION, QUARANTINE, draft_dir};
use crate::domain::{Entry, PersonId};

/// The names of `me`'s draft files, sorted.
pub(super) fn draft_names(data_dir: &Path, me: &PersonId) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(draft_dir(data_dir, me))
        .map(|listing| {
            listing
                .flatten()
                .filter_map(|item| item.file_name().into_string().ok())
                .filter(|name| {
                    !name.starts_with('.')
                        && Path::new(name).extension().is_some_and(|e| e == EXTENSION)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A problem for each draft of `me`'s the last load saw that is gone, and was not
/// finished as an entry (finishing one is the only way mend removes a draft).
pub(super) fn drafts_gone(
    me: &PersonId,
    known: &[String],
    now: &[String],
    cached: &HashMap<String, Cached>,
    entries: [&[Entry]; 2],
) -> Vec<FileProblem> {
    known
        .iter()
        .filter(|name| now.binary_search(name).is_err())
        .filter(|name| {
            let id = Path::new(name.as_str())
                .file_stem()
                .and_then(|stem| uuid::Uuid::parse_str(&stem.to_string_lossy()).ok());
            // Finished as an entry (same id), or that entry is gone too and said already.
            !entries
                .iter()
                .flat_map(|e| e.iter())
                .any(|e| Some(e.id.0) == id)
                && !cached.contains_key(*name)
        })
        .map(|name| {
            let file = Path::new(DRAFTS).join(&*me.0).join(name);
            FileProblem {
                message: format!(
                    "A draft of yours ('{}') is no longer in the folder, and mend did not \
                     remove it (it removes a draft only when you finish it). Something else \
                     deleted or moved it; if you have a backup of the folder, put the file \
                     back and unlock again.",
                    file.display()
                ),
                file,
            }
        })
        .collect()
}

/// The entry `held`, when it is a confirmed one of `me`'s.
pub(super) fn mine<'a>(held: &'a Held, me: &PersonId) -> Option<&'a Entry> {
    match held {
        Held::Entry {
            entry,
            unconfirmed: false,
        } if &entry.author == me => Some(entry),
        _ => None,
    }
}

/// A problem for each entry of `me`'s that the cache knew and the folder no longer has.
pub(super) fn gone_of_mine(
    data_dir: &Path,
    me: &PersonId,
    cached: &HashMap<String, Cached>,
) -> Vec<FileProblem> {
    let mut gone: Vec<(&String, &Entry)> = cached
        .iter()
        .filter_map(|(name, hit)| Some((name, mine(&hit.held, me)?)))
        .collect();
    gone.sort_by_key(|(name, _)| *name);
    gone.into_iter()
        .map(|(name, was)| missing(data_dir, name, was))
        .collect()
}

/// "Your entry … is no longer in the folder": an entry of this person's that the last
/// load saw is gone, and mend did not remove it.
fn missing(data_dir: &Path, name: &str, was: &Entry) -> FileProblem {
    let file = Path::new(ENTRIES).join(name);
    let aside = Path::new(QUARANTINE).join(name);
    let what = if data_dir.join(&aside).exists() {
        format!(
            "It was set aside as damaged, and a copy is in '{}', where it can be recovered.",
            aside.display()
        )
    } else {
        "Something other than mend deleted or moved it (a sync tool, a backup being put \
         back, or someone with access to this folder). If you have a backup of the folder, \
         put the file back and unlock again."
            .to_owned()
    };
    FileProblem {
        message: format!(
            "Your entry \"{}\" from {} ('{}') is no longer in the folder. {what}",
            crate::text::sanitize(&was.exercise.exercise_title),
            was.created.format("%-d %b %Y"),
            file.display()
        ),
        file,
    }
}

/// "Your entry … was replaced": the file of an entry of this person's now holds
/// something they cannot read.
pub(super) fn replaced(name: &str, was: &Entry) -> FileProblem {
    let file = Path::new(ENTRIES).join(name);
    FileProblem {
        message: format!(
            "Your entry \"{}\" from {} ('{}') was replaced by a file that is not yours to \
             read; mend did not do this, and left that file where it is. If you have a \
             backup of the folder, your entry can be put back from it.",
            crate::text::sanitize(&was.exercise.exercise_title),
            was.created.format("%-d %b %Y"),
            file.display()
        ),
        file,
    }
}
