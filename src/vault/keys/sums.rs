//! A key file's checksums, `keys/<person>.age.sums`: SHA-256 of each generation mend
//! wrote, so damage is told from a wrong passphrase, and the person they guard, so key
//! files moved between people are recognised as someone else's.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::super::{VaultError, authorship, fsutil};
use crate::domain::PersonId;

/// Where the checksums of a key file's intact generations are kept.
pub(crate) fn sums_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".sums");
    PathBuf::from(name)
}

pub(super) fn digest(bytes: &[u8]) -> String {
    authorship::to_hex(&Sha256::digest(bytes))
}

/// The checksums file: a comment, the person whose key file it guards, one SHA-256 per
/// intact generation, then a check line over those, so a damaged checksums file is
/// recognised (and ignored) rather than taken as proof that an intact key file
/// changed. The person line travels with the file, so key files moved between people
/// together with their checksums are still recognised as someone else's.
pub(super) fn write_sums(path: &Path, hashes: &[String]) -> Result<(), VaultError> {
    let mut unique: Vec<&String> = Vec::new();
    for hash in hashes {
        if !unique.contains(&hash) {
            unique.push(hash);
        }
    }
    // mend only ever writes a key file under its owner's name.
    let mut body = match owner_by_name(path) {
        Some(person) => format!("person {person}\n"),
        None => String::new(),
    };
    for hash in unique {
        body.push_str(hash);
        body.push('\n');
    }
    let text = format!("{SUMS_HEADER}\n{body}check {}\n", digest(body.as_bytes()));
    fsutil::write_atomic(&sums_path(path), text.as_bytes())
}

const SUMS_HEADER: &str =
    "# mend: SHA-256 of each intact generation of the key file beside this one";

/// A key file's checksums, as read back.
pub(super) struct Sums {
    /// Whose key file they guard; `None` in checksums written before the line existed.
    pub person: Option<PersonId>,
    pub hashes: Vec<String>,
}

/// The checksums kept for the key file at `path`; `None` when missing or failing their
/// own check.
pub(super) fn read_sums(path: &Path) -> Option<Sums> {
    read_sums_file(&sums_path(path))
}

fn read_sums_file(sums: &Path) -> Option<Sums> {
    let text = fs::read_to_string(sums).ok()?;
    let body = text.strip_prefix(SUMS_HEADER)?.strip_prefix('\n')?;
    let at = body.rfind("check ")?;
    let (listed, check) = body.split_at(at);
    if check.strip_prefix("check ")?.trim_end() != digest(listed.as_bytes()) {
        return None;
    }
    let mut person = None;
    let mut hashes = Vec::new();
    for line in listed.lines() {
        match line.strip_prefix("person ") {
            Some(id) => person = Some(PersonId(id.into())),
            None => hashes.push(line.to_owned()),
        }
    }
    Some(Sums { person, hashes })
}

/// The hashes listed for `path`, whoever they are for.
pub(super) fn listed(path: &Path) -> Option<Vec<String>> {
    read_sums(path).map(|sums| sums.hashes)
}

/// Whether `bytes` is a generation mend wrote: `None` when no checksums can be read
/// (a vault from before checksums, or a damaged checksums file).
pub(super) fn intact(path: &Path, bytes: &[u8]) -> Option<bool> {
    listed(path).map(|hashes| hashes.contains(&digest(bytes)))
}

/// The person a key file belongs to by its name: `keys/<person>.age`.
pub(crate) fn owner_by_name(path: &Path) -> Option<PersonId> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".age")?;
    let id = PersonId(stem.into());
    super::super::config::is_safe_id(&id).then_some(id)
}

/// Every checksums file in the keys folder, with the person it guards: the one it
/// names, or (written before it named one) the one its file name says.
fn all_sums(keys_dir: &Path) -> Vec<(PersonId, Sums)> {
    let Ok(listing) = fsutil::list(keys_dir) else {
        return Vec::new();
    };
    listing
        .into_iter()
        .filter_map(|file| {
            let key_file = PathBuf::from(file.to_str()?.strip_suffix(".sums")?);
            let sums = read_sums_file(&file)?;
            let person = sums.person.clone().or_else(|| owner_by_name(&key_file))?;
            Some((person, sums))
        })
        .collect()
}

/// When the key file at `path` (which did not open as `person`'s) is a generation mend
/// wrote for someone else: that person, and where `person`'s own key file is now, if
/// it is anywhere in the folder. Key files swapped or copied over one another are
/// named as such, never as a wrong passphrase or as damage.
pub(crate) fn swapped(path: &Path, person: &PersonId, bytes: &[u8]) -> Option<Swapped> {
    let keys_dir = path.parent()?;
    let sums = all_sums(keys_dir);
    let hash = digest(bytes);
    let holder = sums
        .iter()
        .find(|(owner, sums)| owner != person && sums.hashes.contains(&hash))
        .map(|(owner, _)| owner.clone())?;
    let mine: Vec<&String> = sums
        .iter()
        .filter(|(owner, _)| owner == person)
        .flat_map(|(_, sums)| &sums.hashes)
        .collect();
    let yours = fsutil::list(keys_dir).ok().and_then(|files| {
        files.into_iter().find(|file| {
            file != path
                && owner_by_name(file).is_some()
                && fs::read(file).is_ok_and(|b| mine.contains(&&digest(&b)))
        })
    });
    Some(Swapped { holder, yours })
}

/// What [`swapped`] found.
pub(crate) struct Swapped {
    pub holder: PersonId,
    pub yours: Option<PathBuf>,
}
