//! `profiles/<person>.age`: a person's private settings, sealed to their private key.
//! A missing file is an empty profile; a damaged one is reported and set aside like
//! any other file, and the person starts from an empty profile.

use std::path::{Path, PathBuf};

use super::crypt::{self, Opened};
use super::keys::PersonKeys;
use super::{FileProblem, VaultError, entries, fsutil};
use crate::domain::{PersonId, Profile};

pub(crate) const PROFILES: &str = "profiles";

pub(crate) fn path(data_dir: &Path, person: &PersonId) -> PathBuf {
    data_dir.join(PROFILES).join(format!("{person}.age"))
}

pub(crate) fn save(
    data_dir: &Path,
    person: &PersonId,
    keys: &PersonKeys,
    profile: &Profile,
) -> Result<(), VaultError> {
    let path = path(data_dir, person);
    let plain = entries::to_toml(profile, &path)?;
    entries::seal_to(
        &path,
        &[keys.private.to_public()],
        &crypt::Marks::private(&keys.private),
        &plain,
    )
}

pub(crate) fn load(
    data_dir: &Path,
    person: &PersonId,
    keys: &PersonKeys,
) -> (Profile, Option<FileProblem>) {
    let path = path(data_dir, person);
    let Ok(bytes) = std::fs::read(&path) else {
        return (Profile::default(), None);
    };
    let parsed = match crypt::decrypt(&bytes, None, &keys.private) {
        Opened::Plain { bytes, .. } => std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| toml::from_str::<Profile>(text).ok()),
        Opened::NotForMe | Opened::Damaged { .. } => None,
    };
    if let Some(profile) = parsed {
        return (profile, None);
    }
    let file = PathBuf::from(PROFILES).join(fsutil::file_name(&path));
    let done = match fsutil::quarantine(&path, &data_dir.join(entries::QUARANTINE)) {
        Ok(_) => "it was moved to 'quarantine/'",
        Err(_) => "it was left in place",
    };
    let message = format!(
        "'{}' (your settings, such as the role you chose) could not be read; {done}. \
         Your entries are safe; choose your role again if you had one.",
        file.display()
    );
    (Profile::default(), Some(FileProblem { file, message }))
}
