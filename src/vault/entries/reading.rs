//! Reading one entry or draft file, and what happens to one that cannot be used: it is
//! reported, and moved to `quarantine/` only when it is provably the reader's own.

use std::fs;
use std::path::Path;

use age::x25519;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::super::crypt::{self, Damage, Opened, OpenedWith};
use super::super::{FileProblem, fsutil};
use super::{QUARANTINE, relative};
use crate::domain::{ENTRY_FORMAT, EntryId};

pub(super) enum Read<T> {
    Skip,
    Item(T, OpenedWith),
    Problem(FileProblem),
}

/// Why a file that opened is still unusable.
enum Unusable {
    Damaged(Damage),
    NotText,
    NotMend,
    WrongName,
}

pub(super) fn read_one<T: DeserializeOwned>(
    data_dir: &Path,
    path: &Path,
    shared: Option<&x25519::Identity>,
    private: &x25519::Identity,
    format_of: fn(&str) -> Option<u32>,
    id_of: fn(&T) -> EntryId,
) -> Read<T> {
    let file = relative(data_dir, path);
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!(
                "'{}' could not be read ({e}); it was left in place. Your other entries are \
                 safe. Check the file's permissions and the disk, then unlock again.",
                file.display()
            );
            return Read::Problem(FileProblem { file, message });
        }
    };
    // Only a file this person can prove is theirs (their owner mark) is moved aside, or
    // one nobody could have written (empty); anything else is left where it is.
    let (plain, with, mine) = match crypt::decrypt(&bytes, shared, private) {
        Opened::NotForMe => return Read::Skip,
        Opened::Damaged { damage, mine } => {
            let mine = mine || damage == Damage::Empty;
            return set_aside(data_dir, path, &Unusable::Damaged(damage), mine);
        }
        Opened::Plain { bytes, with, mine } => (bytes, with, mine),
    };
    let Ok(text) = std::str::from_utf8(&plain) else {
        return set_aside(data_dir, path, &Unusable::NotText, mine);
    };
    match format_of(text) {
        None => return set_aside(data_dir, path, &Unusable::NotMend, mine),
        Some(found) if found > ENTRY_FORMAT => {
            let message = format!(
                "'{}' was written by a newer version of mend (entry format {found}; this \
                 mend reads up to {ENTRY_FORMAT}). Update mend to read it; it was left in \
                 place, unchanged.",
                file.display()
            );
            return Read::Problem(FileProblem { file, message });
        }
        Some(_) => {}
    }
    // Never quote the TOML error: it can carry a line of what the person wrote.
    let Ok(item) = toml::from_str::<T>(text) else {
        return set_aside(data_dir, path, &Unusable::NotMend, mine);
    };
    if path.file_stem() != Some(id_of(&item).to_string().as_ref()) {
        return set_aside(data_dir, path, &Unusable::WrongName, mine);
    }
    Read::Item(item, with)
}

/// Says what is wrong with a file, and moves it to `quarantine/` when it is `mine`
/// (else it is left in place, untouched: it may be someone else's to recover).
fn set_aside<T>(data_dir: &Path, path: &Path, why: &Unusable, mine: bool) -> Read<T> {
    let file = relative(data_dir, path);
    let what = match why {
        Unusable::Damaged(Damage::Empty) => {
            "is empty (0 bytes), probably cut short by a crash or a full disk"
        }
        Unusable::Damaged(Damage::Header) => "is damaged: its header cannot be read",
        Unusable::Damaged(Damage::KeyStanza) => {
            "is damaged: it is addressed to you, but the part of its header that holds your \
             key was changed, so it cannot be opened"
        }
        Unusable::Damaged(Damage::Payload) => {
            "is damaged: it is addressed to you, but its contents fail the integrity check \
             (the file was cut short or changed)"
        }
        Unusable::NotText => "opened, but its contents are not text",
        Unusable::NotMend => "opened, but its contents are not a mend entry",
        Unusable::WrongName => "opened, but it holds a different entry than its file name says",
    };
    let done = if mine {
        match fsutil::quarantine(path, &data_dir.join(QUARANTINE)) {
            Ok(moved) => format!(
                "it was moved to '{}', so it can still be recovered",
                relative(data_dir, &moved).display()
            ),
            Err(e) => format!("mend could not move it aside ({e}), so it was left in place"),
        }
    } else {
        "it carries no mark of yours, so mend cannot tell whose it is, and left it where it \
         is, untouched (if it is your partner's, their mend tells them)"
            .to_owned()
    };
    let message = format!(
        "'{}' {what}. Your other entries are safe; {done}.",
        file.display()
    );
    Read::Problem(FileProblem { file, message })
}

#[derive(Deserialize)]
struct EntryProbe {
    format: u32,
}

#[derive(Deserialize)]
struct DraftProbe {
    entry: EntryProbe,
}

pub(super) fn entry_format(text: &str) -> Option<u32> {
    toml::from_str::<EntryProbe>(text).ok().map(|p| p.format)
}

pub(super) fn draft_format(text: &str) -> Option<u32> {
    toml::from_str::<DraftProbe>(text)
        .ok()
        .map(|p| p.entry.format)
}
