//! `vault.toml`: the only plaintext file in a vault. It lists the people (display name
//! and *shared* recipient, a public key) and the format version, nothing else.
//!
//! It is read once when the vault opens and rewritten atomically when a profile is
//! added, together with a copy, `vault.toml.bak`, and a checksum of its contents. A
//! `vault.toml` that is missing, damaged or fails its checksum (a flipped bit in a name)
//! is put back from the copy, and the person is told; with neither, the list is rebuilt
//! from the record each person keeps of it inside their pins file (see `keys`), at
//! their next unlock, never shown as a first run. Because anyone with access to the
//! folder can edit it, nothing read here is
//! trusted for secrecy: person ids are checked to be safe file names, names are
//! sanitised before they are shown, and each person's shared recipient is checked
//! against their own key file at unlock (see `keys`).

use std::fs;
use std::io;
use std::path::Path;
use std::str::FromStr;

use age::x25519;
use serde::{Deserialize, Serialize};

use super::{Person, VAULT_FORMAT, VaultError, fsutil};
use crate::domain::PersonId;

/// The people in a vault, in the order they were added.
#[derive(Clone, Debug, Default)]
pub(crate) struct Config {
    pub people: Vec<Person>,
    /// `shared[i]` is `people[i]`'s shared recipient.
    pub shared: Vec<x25519::Recipient>,
    /// Whether the file read carried a checksum (every file mend writes now does).
    checked: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    format: u32,
    /// SHA-256 (hex) of this file as TOML with `checksum` left out: catches damage,
    /// not edits (anyone can recompute it; recipients are guarded by pins). Files from
    /// before it have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    checksum: Option<String>,
    #[serde(default)]
    people: Vec<PersonRecord>,
}

/// The text of `path`; `None` when there is no such file.
fn read_text(path: &Path) -> Result<Option<String>, VaultError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::InvalidData => {
            Err(damaged(path, "it is not text (invalid UTF-8)".to_owned()))
        }
        Err(e) => Err(VaultError::io("read", path)(e)),
    }
}

/// The copy of `vault.toml` kept beside it.
pub(crate) fn copy_path(path: &Path) -> std::path::PathBuf {
    path.with_extension("toml.bak")
}

/// What [`Config::find`] found in `vault.toml` and its copy.
enum Found {
    /// The file is good; `copy_usable` unless its copy is missing or damaged.
    Good { config: Config, copy_usable: bool },
    /// The file is missing or damaged (which is said), and the copy is good.
    FromCopy(Config, Recovered),
    /// Neither is usable: `None` when there is no file, else what is wrong with it.
    Neither(Option<VaultError>),
}

/// What reading `vault.toml` had to do beyond reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Recovered {
    /// Missing, put back from the copy.
    FromCopyMissing,
    /// Damaged (the reason), put back from the copy.
    FromCopyDamaged(String),
    /// Missing (`None`) or damaged (the reason; the file set aside), with no usable
    /// copy: the list is rebuilt as each person unlocks.
    Lost(Option<String>),
}

impl Recovered {
    /// What the person is told at open; nothing for a lost list, which the unlock
    /// screen explains and the unlock that rebuilds it reports.
    pub fn message(&self) -> Option<String> {
        if let Self::Lost(_) = self {
            return None;
        }
        Some(self.what_happened())
    }

    /// What a reader that writes nothing ([`Config::read_only`]) tells the person: the
    /// same, but that it is put right when mend next opens the vault. Nothing for a
    /// lost list, which that reader reports as an error.
    pub fn left_for_next_open(&self) -> Option<String> {
        let why = match self {
            Self::FromCopyMissing => "is missing".to_owned(),
            Self::FromCopyDamaged(reason) => format!("is damaged ({reason})"),
            Self::Lost(_) => return None,
        };
        Some(format!(
            "vault.toml, the list of who has a profile here, {why}; this list is from its \
             copy (vault.toml.bak), and mend puts it back the next time it opens the vault. \
             If someone removed or edited it on purpose, that person had access to this \
             folder."
        ))
    }

    /// What happened to the file, and what mend did.
    pub fn what_happened(&self) -> String {
        let why = match self {
            Self::FromCopyMissing => "was missing".to_owned(),
            Self::FromCopyDamaged(reason) => format!("was damaged ({reason})"),
            Self::Lost(None) => "was missing, and so was its copy".to_owned(),
            Self::Lost(Some(reason)) => format!(
                "was damaged ({reason}; it is in the quarantine folder), and so was its copy"
            ),
        };
        let done = match self {
            Self::Lost(_) => "mend rebuilt it from the record your key keeps",
            _ => "mend put it back from its copy (vault.toml.bak)",
        };
        format!(
            "vault.toml, the list of who has a profile here, {why}. {done}; nothing else \
             was changed. If someone removed or edited it on purpose, that person had access \
             to this folder."
        )
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonRecord {
    id: PersonId,
    name: String,
    shared_recipient: String,
}

/// Only the format, read when the file does not parse, so a newer file is refused
/// rather than called damaged.
#[derive(Deserialize)]
struct FormatProbe {
    format: Option<u32>,
}

impl Config {
    pub fn new(people: Vec<Person>, shared: Vec<x25519::Recipient>) -> Self {
        Self {
            people,
            shared,
            checked: true,
        }
    }

    pub fn position(&self, id: &PersonId) -> Option<usize> {
        self.people.iter().position(|p| &p.id == id)
    }

    /// Reads `path`, putting it back from its copy when it is missing or damaged (and
    /// saying so). A missing file with no copy is an empty list; the vault then looks
    /// for key files no one is listed for (see `Vault::missing`).
    ///
    /// When neither is usable but `has_keys` (people's key files are here), a damaged
    /// file is moved to `quarantine` and the list starts empty, to be rebuilt.
    pub fn read_or_recover(
        path: &Path,
        has_keys: bool,
        quarantine: &Path,
    ) -> Result<(Self, Option<Recovered>), VaultError> {
        let copy = copy_path(path);
        match Self::find(path)? {
            Found::Good {
                config,
                copy_usable,
            } => {
                if !copy_usable {
                    // A vault from before the copy (or with a damaged one) gets one now,
                    // while the file is good.
                    let text = fs::read(path).map_err(VaultError::io("read", path))?;
                    fsutil::write_atomic(&copy, &text)?;
                }
                Ok((config, None))
            }
            Found::FromCopy(config, recovered) => {
                fsutil::write_atomic(
                    path,
                    &fs::read(&copy).map_err(VaultError::io("read", &copy))?,
                )?;
                Ok((config, Some(recovered)))
            }
            Found::Neither(problem) => match problem {
                None if has_keys => Ok((Self::default(), Some(Recovered::Lost(None)))),
                None => Ok((Self::default(), None)),
                Some(VaultError::DamagedConfig { reason, .. }) if has_keys => {
                    fsutil::quarantine(path, quarantine)?;
                    Ok((Self::default(), Some(Recovered::Lost(Some(reason)))))
                }
                Some(error) => Err(error),
            },
        }
    }

    /// The list as [`Config::read_or_recover`] would find it, with nothing written:
    /// for reading it while another mend has the vault open (and may be writing it,
    /// always by atomic rename, so a read sees one whole file or the other). What
    /// that would have put right is left for the next open, and said by
    /// [`Recovered::left_for_next_open`].
    pub fn read_only(path: &Path, has_keys: bool) -> Result<(Self, Option<Recovered>), VaultError> {
        match Self::find(path)? {
            Found::Good { config, .. } => Ok((config, None)),
            Found::FromCopy(config, recovered) => Ok((config, Some(recovered))),
            Found::Neither(None) => {
                Ok((Self::default(), has_keys.then_some(Recovered::Lost(None))))
            }
            Found::Neither(Some(VaultError::DamagedConfig { reason, .. })) if has_keys => {
                Ok((Self::default(), Some(Recovered::Lost(Some(reason)))))
            }
            Found::Neither(Some(error)) => Err(error),
        }
    }

    /// Which of `path` and its copy holds the list, judged without writing anything.
    /// A newer format in `path` is an error at once: it is not damage to put right.
    fn find(path: &Path) -> Result<Found, VaultError> {
        let copy = copy_path(path);
        let main = read_text(path).and_then(|text| Self::parse_found(path, text));
        // A copy the same byte for byte as a good file is as good: it is judged once.
        let kept = match (&main, read_text(&copy)) {
            (Ok(Some((config, text))), Ok(Some(kept))) if *text == kept => {
                Ok(Some((config.clone(), kept)))
            }
            (_, kept) => kept.and_then(|text| Self::parse_found(&copy, text)),
        };
        let problem = match main {
            Ok(Some((config, _))) => match &kept {
                // A checksum taken out (to edit a name unnoticed) while the copy has
                // one is damage like any other.
                Ok(Some((copied, _))) if copied.checked && !config.checked => Some(damaged(
                    path,
                    "its checksum was removed, though its copy has one".to_owned(),
                )),
                Ok(Some(_)) => {
                    return Ok(Found::Good {
                        config,
                        copy_usable: true,
                    });
                }
                _ => {
                    return Ok(Found::Good {
                        config,
                        copy_usable: false,
                    });
                }
            },
            Ok(None) => None,
            Err(error @ VaultError::NewerFormat { .. }) => return Err(error),
            Err(error) => Some(error),
        };
        if let Ok(Some((config, _))) = kept {
            let recovered = match &problem {
                None => Recovered::FromCopyMissing,
                Some(VaultError::DamagedConfig { reason, .. }) => {
                    Recovered::FromCopyDamaged(reason.clone())
                }
                Some(other) => Recovered::FromCopyDamaged(other.to_string()),
            };
            return Ok(Found::FromCopy(config, recovered));
        }
        Ok(Found::Neither(problem))
    }

    /// The list in `text` read from `path` (`None`: no such file), with the text.
    fn parse_found(
        path: &Path,
        text: Option<String>,
    ) -> Result<Option<(Self, String)>, VaultError> {
        text.map(|text| Self::parse(path, &text).map(|config| (config, text)))
            .transpose()
    }

    fn parse(path: &Path, text: &str) -> Result<Self, VaultError> {
        let newer = |found| VaultError::NewerFormat {
            path: path.to_owned(),
            found,
            supported: VAULT_FORMAT,
        };
        let mut file: ConfigFile = match toml::from_str(text) {
            Ok(file) => file,
            // Only the format, then, so a newer file is refused before its shape is
            // judged.
            Err(e) => {
                let probe: FormatProbe =
                    toml::from_str(text).map_err(|e| damaged(path, one_line(&e)))?;
                return Err(match probe.format {
                    None => damaged(path, "it has no 'format' line".to_owned()),
                    Some(found) if found > VAULT_FORMAT => newer(found),
                    Some(_) => damaged(path, one_line(&e)),
                });
            }
        };
        if file.format > VAULT_FORMAT {
            return Err(newer(file.format));
        }
        let found = file.checksum.take();
        if let Some(found) = &found
            && *found != checksum(&file)
        {
            return Err(damaged(
                path,
                "its contents do not match their checksum: a byte was changed".to_owned(),
            ));
        }
        let mut config = Self {
            checked: found.is_some(),
            ..Self::default()
        };
        for record in file.people {
            let person = validate(path, &config, record.id, &record.name)?;
            let recipient =
                x25519::Recipient::from_str(&record.shared_recipient).map_err(|_| {
                    damaged(
                        path,
                        format!(
                            "the shared_recipient of '{}' is not an age public key",
                            person.id
                        ),
                    )
                })?;
            config.people.push(person);
            config.shared.push(recipient);
        }
        Ok(config)
    }

    /// Writes the whole file atomically, then its copy.
    pub fn write(&self, path: &Path) -> Result<(), VaultError> {
        let mut file = ConfigFile {
            format: VAULT_FORMAT,
            checksum: None,
            people: self
                .people
                .iter()
                .zip(&self.shared)
                .map(|(person, recipient)| PersonRecord {
                    id: person.id.clone(),
                    name: person.name.clone(),
                    shared_recipient: recipient.to_string(),
                })
                .collect(),
        };
        file.checksum = Some(checksum(&file));
        let text = toml::to_string(&file)
            .expect("vault.toml holds only strings and a number, which TOML can always write");
        fsutil::write_atomic(path, text.as_bytes())?;
        fsutil::write_atomic(&copy_path(path), text.as_bytes())
    }
}

/// The checksum of `file` as it would be written without one.
fn checksum(file: &ConfigFile) -> String {
    use sha2::{Digest, Sha256};
    let bare = ConfigFile {
        format: file.format,
        checksum: None,
        people: file
            .people
            .iter()
            .map(|p| PersonRecord {
                id: p.id.clone(),
                name: p.name.clone(),
                shared_recipient: p.shared_recipient.clone(),
            })
            .collect(),
    };
    let text = toml::to_string(&bare)
        .expect("vault.toml holds only strings and a number, which TOML can always write");
    super::authorship::to_hex(&Sha256::digest(text.as_bytes()))
}

/// A person id becomes a file name (`keys/<id>.age`), so an edited vault.toml must not
/// be able to point outside the vault.
pub(crate) fn is_safe_id(id: &PersonId) -> bool {
    (1..=64).contains(&id.0.len()) && id.0.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A display name as it may be shown: sanitised, whitespace collapsed; `None` if empty.
pub(crate) fn clean_name(name: &str) -> Option<String> {
    let cleaned = crate::text::sanitize(name);
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn validate(path: &Path, config: &Config, id: PersonId, name: &str) -> Result<Person, VaultError> {
    if !is_safe_id(&id) {
        return Err(damaged(
            path,
            format!("the person id '{id}' is not letters and digits"),
        ));
    }
    if config.position(&id).is_some() {
        return Err(damaged(path, format!("the person id '{id}' appears twice")));
    }
    let name = clean_name(name)
        .ok_or_else(|| damaged(path, format!("the person '{id}' has an empty name")))?;
    Ok(Person { id, name })
}

fn damaged(path: &Path, reason: String) -> VaultError {
    VaultError::DamagedConfig {
        path: path.to_owned(),
        reason,
    }
}

/// toml's messages span several lines (with a caret under the spot); keep them readable
/// inside a one-line error. vault.toml holds no secrets, so quoting it is safe.
fn one_line(error: &toml::de::Error) -> String {
    let message = error.message();
    match error.span() {
        Some(span) => format!("{message} (at byte {})", span.start),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, VaultError> {
        Config::parse(Path::new("vault.toml"), text)
    }

    #[test]
    fn newer_format_is_refused_before_the_shape_is_judged() {
        let err = parse("format = 2\nsomething_new = true\n").unwrap_err();
        assert!(
            matches!(err, VaultError::NewerFormat { found: 2, .. }),
            "{err}"
        );
    }

    #[test]
    fn damage_is_reported_for_each_kind_of_bad_file() {
        let recipient = x25519::Identity::generate().to_public();
        let cases = [
            ("format = ", "not toml"),
            ("people = []\n", "no format"),
            ("format = 1\nextra = 1\n", "unknown key"),
            (
                "format = 1\n[[people]]\nid = \"../x\"\nname = \"A\"\nshared_recipient = \"age1\"\n",
                "unsafe id",
            ),
            (
                "format = 1\n[[people]]\nid = \"ab\"\nname = \"A\"\nshared_recipient = \"nope\"\n",
                "bad recipient",
            ),
            (
                &*format!(
                    "format = 1\n[[people]]\nid = \"ab\"\nname = \" \"\nshared_recipient = \"{recipient}\"\n"
                ),
                "empty name",
            ),
        ];
        for (text, case) in cases {
            let err = parse(text).unwrap_err();
            assert!(
                matches!(err, VaultError::DamagedConfig { .. }),
                "{case}: {err}"
            );
        }
    }

    #[test]
    fn names_are_collapsed_to_one_line() {
        assert_eq!(clean_name("  Sam \n Lee "), Some("Sam Lee".to_owned()));
        assert_eq!(clean_name(" \t\n"), None);
    }
}
