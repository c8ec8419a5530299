//! The entry cache (issue 7): an unlock takes unchanged files from an encrypted cache
//! instead of opening each one, and is never wrong for it: new, rewritten, withdrawn,
//! planted and damaged files are all seen as they are now.

use std::fs;

use mend::content::Visibility;
use mend::vault::{Loaded, Unlocked, Vault};

use crate::fixtures::{self, entry, vault_with_alex, vault_with_two};

/// Loads as `who` and writes the cache the load asked for, as the app does.
fn load(vault: &Vault, who: &Unlocked) -> Loaded {
    let mut loaded = vault.load(who);
    if let Some(update) = loaded.cache.take() {
        vault.write_cache(update).unwrap();
    }
    loaded
}

fn texts(loaded: &Loaded) -> Vec<String> {
    let mut texts: Vec<String> = loaded
        .entries
        .iter()
        .map(|e| match &e.answers[0].answer {
            mend::entry::Answer::Text { text } => text.clone(),
            _ => String::new(),
        })
        .collect();
    texts.sort();
    texts
}

#[test]
fn an_unchanged_vault_is_served_from_the_cache_and_loads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    for (i, text) in ["one", "two", "three"].iter().enumerate() {
        let visibility = if i == 1 {
            Visibility::Shared
        } else {
            Visibility::Private
        };
        vault
            .save_entry(&alex, &entry(&alex.person.id, visibility, text, i as u32))
            .unwrap();
    }
    let first = load(&vault, &alex);
    let cache = dir.path().join(format!("cache/{}.age", alex.person.id));
    assert!(cache.exists(), "the first load writes the cache");
    let second = load(&vault, &alex);
    assert!(
        second.cache.is_none(),
        "nothing changed, nothing to rewrite"
    );
    assert_eq!(second.entries, first.entries);

    assert_eq!(first.files_opened, 3);
    assert_eq!(second.files_opened, 0, "nothing opened: all from the cache");

    // One new entry: one file opened.
    let fourth = entry(&alex.person.id, Visibility::Private, "four", 4);
    vault.save_entry(&alex, &fourth).unwrap();
    let third = load(&vault, &alex);
    assert_eq!(third.files_opened, 1);
    assert_eq!(third.entries.len(), 4);

    // Rewritten in place at the same length with its time put back (as no mend ever
    // writes, but a sync tool might): the change time still differs, so it is opened
    // again and its damage reported.
    let one = dir
        .path()
        .join(format!("entries/{}.age", first.entries[0].id));
    let file = fs::OpenOptions::new().write(true).open(&one).unwrap();
    let modified = file.metadata().unwrap().modified().unwrap();
    let len = file.metadata().unwrap().len();
    std::io::Write::write_all(&mut &file, &vec![b'x'; len as usize]).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    let seen = load(&vault, &alex);
    assert_eq!(seen.files_opened, 1);
    assert_eq!(seen.entries.len(), 3);
    assert_eq!(seen.problems.len(), 1, "{:?}", seen.problems);

    // Without the cache, every file is opened again, the damaged one too: it carries
    // no mark of Alex's (nothing of it is readable), so it was left where it is.
    assert!(one.exists(), "a file mend cannot attribute is never moved");
    fs::remove_file(&cache).unwrap();
    let rebuilt = load(&vault, &alex);
    assert_eq!(rebuilt.files_opened, 4);
    assert_eq!(rebuilt.entries.len(), 3);
    assert_eq!(rebuilt.problems.len(), 1, "{:?}", rebuilt.problems);
    assert!(cache.exists(), "a missing cache is rebuilt");
}

#[test]
fn new_rewritten_and_withdrawn_files_are_never_served_stale() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, blair) = vault_with_two(dir.path());
    let mut words = entry(&alex.person.id, Visibility::Shared, "first words", 1);
    vault.save_entry(&alex, &words).unwrap();
    assert_eq!(texts(&load(&vault, &blair)), vec!["first words"]);
    assert_eq!(texts(&load(&vault, &alex)), vec!["first words"]);

    // Rewritten: Blair sees the new text, not the cached one.
    words.answers[0].answer = mend::entry::Answer::Text {
        text: "second words".to_owned(),
    };
    vault.save_entry(&alex, &words).unwrap();
    assert_eq!(texts(&load(&vault, &blair)), vec!["second words"]);

    // New: a further entry appears.
    let more = entry(&alex.person.id, Visibility::Shared, "more", 2);
    vault.save_entry(&alex, &more).unwrap();
    assert_eq!(texts(&load(&vault, &blair)), vec!["more", "second words"]);

    // Withdrawn: made private again, it is gone from Blair's load although Blair's
    // cache held it.
    vault
        .set_visibility(&alex, &words, Visibility::Private)
        .unwrap();
    assert_eq!(texts(&load(&vault, &blair)), vec!["more"]);
    let blairs_cache = fs::read(dir.path().join(format!("cache/{}.age", blair.person.id))).unwrap();
    assert!(
        !blairs_cache
            .windows(b"second words".len())
            .any(|w| w == b"second words"),
        "the cache is encrypted"
    );

    // Deleted by hand: gone.
    fs::remove_file(dir.path().join(format!("entries/{}.age", more.id))).unwrap();
    assert!(texts(&load(&vault, &blair)).is_empty());
}

#[test]
fn a_file_damaged_after_caching_is_reported_and_a_damaged_cache_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let e = entry(&alex.person.id, Visibility::Private, "keep me", 1);
    vault.save_entry(&alex, &e).unwrap();
    load(&vault, &alex);

    let cache = dir.path().join(format!("cache/{}.age", alex.person.id));
    let mut bytes = fs::read(&cache).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&cache, &bytes).unwrap();
    let loaded = load(&vault, &alex);
    assert_eq!(
        texts(&loaded),
        vec!["keep me"],
        "a damaged cache is ignored"
    );
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);

    let path = dir.path().join(format!("entries/{}.age", e.id));
    let mut bytes = fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&path, &bytes).unwrap();
    let loaded = load(&vault, &alex);
    assert!(loaded.entries.is_empty());
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
}

#[test]
fn a_planted_entry_stays_unconfirmed_when_served_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, _blair) = vault_with_two(dir.path());
    let claim = entry(&alex.person.id, Visibility::Shared, "planted", 1);
    let plain = toml::to_string(&claim).unwrap();
    let sealed = fixtures::seal_to(&fixtures::shared_recipient_in_config(dir.path(), 0), &plain);
    fs::write(dir.path().join(format!("entries/{}.age", claim.id)), sealed).unwrap();
    let ids = |loaded: &mend::vault::Loaded| -> Vec<_> {
        loaded.unconfirmed.iter().map(|e| e.id).collect()
    };
    let first = load(&vault, &alex);
    assert_eq!(ids(&first), vec![claim.id]);
    assert!(first.entries.is_empty());
    let again = load(&vault, &alex);
    assert!(again.cache.is_none());
    assert_eq!(ids(&again), vec![claim.id]);
    assert!(again.entries.is_empty());
}

#[test]
fn one_persons_cache_is_never_read_for_another() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, blair) = vault_with_two(dir.path());
    vault
        .save_entry(
            &alex,
            &entry(&alex.person.id, Visibility::Private, "mine", 1),
        )
        .unwrap();
    load(&vault, &alex);
    // Blair's cache replaced by Alex's: it does not open for Blair, so it is ignored.
    fs::copy(
        dir.path().join(format!("cache/{}.age", alex.person.id)),
        dir.path().join(format!("cache/{}.age", blair.person.id)),
    )
    .unwrap();
    let seen = load(&vault, &blair);
    assert!(seen.entries.is_empty());
    assert!(seen.problems.is_empty());
}

fn said(loaded: &Loaded, phrase: &str) -> Vec<String> {
    loaded
        .problems
        .iter()
        .filter(|p| p.message.contains(phrase))
        .map(|p| crate::common::slashes(&p.file.display().to_string()))
        .collect()
}

#[test]
fn an_entry_deleted_behind_mends_back_is_said_once_to_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, blair) = vault_with_two(dir.path());
    let kept = entry(&alex.person.id, Visibility::Private, "kept", 1);
    let lost = entry(&alex.person.id, Visibility::Shared, "lost", 2);
    for e in [&kept, &lost] {
        vault.save_entry(&alex, e).unwrap();
    }
    load(&vault, &alex);
    load(&vault, &blair);
    let file = format!("entries/{}.age", lost.id);
    fs::remove_file(dir.path().join(&file)).unwrap();

    let told = load(&vault, &alex);
    assert_eq!(said(&told, "no longer in the folder"), vec![file.clone()]);
    assert!(said(&told, "no longer in the folder").len() == told.problems.len());
    assert!(load(&vault, &alex).problems.is_empty(), "said once");
    // Blair could read it, but it was never Blair's to be told about.
    assert!(load(&vault, &blair).problems.is_empty());
}

#[test]
fn an_entry_replaced_by_a_partners_private_one_is_said_to_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, blair) = vault_with_two(dir.path());
    let mine = entry(&alex.person.id, Visibility::Private, "mine", 1);
    let theirs = entry(&blair.person.id, Visibility::Private, "theirs", 2);
    vault.save_entry(&alex, &mine).unwrap();
    vault.save_entry(&blair, &theirs).unwrap();
    load(&vault, &alex);
    let file = format!("entries/{}.age", mine.id);
    fs::copy(
        dir.path().join(format!("entries/{}.age", theirs.id)),
        dir.path().join(&file),
    )
    .unwrap();
    let told = load(&vault, &alex);
    assert_eq!(said(&told, "was replaced"), vec![file]);
    assert!(told.entries.is_empty());
}

#[test]
fn an_entry_set_aside_by_an_export_is_said_at_the_next_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let e = entry(&alex.person.id, Visibility::Private, "words", 1);
    vault.save_entry(&alex, &e).unwrap();
    load(&vault, &alex);
    let file = format!("entries/{}.age", e.id);
    let bytes = fs::read(dir.path().join(&file)).unwrap();
    fixtures::write_private(dir.path().join(&file), &bytes[..bytes.len() - 20]);
    // As `mend export` loads: the damage is set aside, the cache is not rewritten.
    let export = vault.load(&alex);
    assert_eq!(export.problems.len(), 1);
    let told = load(&vault, &alex);
    assert_eq!(said(&told, "quarantine"), vec![file]);
}

#[test]
fn a_draft_deleted_behind_mends_back_is_said_once_and_a_finished_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    let draft = |minute| mend::entry::Draft {
        at_step: 0,
        at_step_id: None,
        entry: entry(&alex.person.id, Visibility::Private, "half", minute),
    };
    let (lost, finished) = (draft(1), draft(2));
    vault.save_draft(&alex, &lost).unwrap();
    vault.save_draft(&alex, &finished).unwrap();
    load(&vault, &alex);
    // One finished the way mend does it; the other deleted by something else.
    vault.save_entry(&alex, &finished.entry).unwrap();
    vault.delete_draft(&alex, finished.entry.id).unwrap();
    let file = format!("drafts/{}/{}.age", alex.person.id, lost.entry.id);
    fs::remove_file(dir.path().join(&file)).unwrap();

    let told = load(&vault, &alex);
    assert_eq!(said(&told, "draft of yours"), vec![file]);
    assert_eq!(told.problems.len(), 1, "{:?}", told.problems);
    assert!(load(&vault, &alex).problems.is_empty(), "said once");
}

/// An unlock lists the folder (and reads the sealed cache) while the key is derived:
/// what it then loads is what a plain load finds, from the cache, and a listing made
/// for someone else is never used as theirs.
#[test]
fn a_folder_listed_before_the_key_loads_what_a_load_finds() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, blair) = vault_with_two(dir.path());
    for (i, text) in ["one", "two"].iter().enumerate() {
        vault
            .save_entry(
                &alex,
                &entry(&alex.person.id, Visibility::Private, text, i as u32),
            )
            .unwrap();
    }
    vault
        .save_entry(
            &blair,
            &entry(&blair.person.id, Visibility::Shared, "blair's", 9),
        )
        .unwrap();
    let plain = load(&vault, &alex);
    let listed = vault.load_listed(&alex, vault.list_entries(&alex.person.id));
    assert_eq!(listed.entries, plain.entries);
    assert_eq!(listed.files_opened, 0, "served from the cache read early");
    assert!(listed.problems.is_empty());

    // Alex's listing handed to Blair's load: Blair's own cache is read instead, and
    // Blair sees only what Blair may.
    load(&vault, &blair);
    let crossed = vault.load_listed(&blair, vault.list_entries(&alex.person.id));
    assert_eq!(texts(&crossed), ["blair's"]);
    assert_eq!(crossed.files_opened, 0, "Blair's cache, not Alex's");
}

/// Enough entries, Alex's and Blair's, for the cache to be kept and read in parts (one
/// on each core at once): what a load finds is what opening every file finds, and a
/// file added, rewritten, withdrawn or deleted in any part is seen as it is now.
#[test]
fn a_cache_read_in_parts_is_never_wrong_about_any_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, blair) = vault_with_two(dir.path());
    let mut written = Vec::new();
    for i in 0..80_u32 {
        let (who, visibility) = match i % 3 {
            0 => (&alex, Visibility::Private),
            1 => (&alex, Visibility::Shared),
            _ => (&blair, Visibility::Private),
        };
        let e = entry(&who.person.id, visibility, &format!("words {i}"), i % 60);
        vault.save_entry(who, &e).unwrap();
        written.push(e);
    }
    let first = load(&vault, &alex);
    assert_eq!(first.files_opened, 80);
    assert_eq!(
        first.entries.len(),
        54,
        "Alex's 54, never Blair's private ones"
    );
    let second = load(&vault, &alex);
    assert_eq!(second.files_opened, 0, "all from the cache");
    assert_eq!(second.entries, first.entries);

    // Spread over the parts: one new, one rewritten, one withdrawn to private, one
    // deleted behind mend's back.
    let new = entry(&alex.person.id, Visibility::Private, "new words", 59);
    vault.save_entry(&alex, &new).unwrap();
    let mut rewritten = written[10].clone();
    rewritten.answers = entry(&alex.person.id, Visibility::Private, "again", 10).answers;
    vault.save_entry(&alex, &rewritten).unwrap();
    let mut withdrawn = written[40].clone();
    withdrawn.visibility = Visibility::Private;
    vault.save_entry(&alex, &withdrawn).unwrap();
    let deleted = format!("entries/{}.age", written[70].id);
    fs::remove_file(dir.path().join(&deleted)).unwrap();

    let now = load(&vault, &alex);
    assert_eq!(now.files_opened, 3);
    assert_eq!(said(&now, "no longer in the folder"), vec![deleted]);
    let mut words = texts(&now);
    words.retain(|t| t == "new words" || t == "again" || t == "words 70");
    assert_eq!(words, ["again", "new words"]);
    // Blair sees the withdrawn one no more.
    let blairs = load(&vault, &blair);
    assert!(!blairs.entries.iter().any(|e| e.id == withdrawn.id));

    // The same as opening every file with no cache at all.
    fs::remove_dir_all(dir.path().join("cache")).unwrap();
    let opened = load(&vault, &alex);
    assert_eq!(opened.files_opened, 80);
    assert_eq!(opened.entries, now.entries);
    assert_eq!(load(&vault, &alex).entries, now.entries);
}

/// Where the payload of the age file `bytes` starts: after the header's closing line
/// and the 16-byte nonce.
fn payload_start(bytes: &[u8]) -> usize {
    let mac_line = bytes.windows(4).position(|w| w == b"\n---").unwrap() + 1;
    let end_of_header = mac_line + bytes[mac_line..].iter().position(|&b| b == b'\n').unwrap() + 1;
    end_of_header + 16
}

/// The cache's parts are decrypted each from where it starts (age seals its payload in
/// separately authenticated 64 KiB chunks): a chunk damaged in the middle costs only the
/// files of the parts it holds, which are opened afresh, and a cache cut short is never
/// read as whole. Either way the load finds what opening every file finds.
#[test]
fn a_damaged_stretch_of_the_cache_costs_only_its_parts_and_a_cut_one_is_set_aside() {
    const FILES: usize = 64;
    const CHUNK: usize = 64 * 1024 + 16;
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = vault_with_alex(dir.path());
    for i in 0..FILES {
        // About 8 KB each: the cache is several chunks, a part about two of them.
        let text = format!("words {i} ").repeat(900);
        let e = entry(&alex.person.id, Visibility::Private, &text, (i % 60) as u32);
        vault.save_entry(&alex, &e).unwrap();
    }
    let whole = load(&vault, &alex);
    assert_eq!(whole.files_opened, FILES);
    assert_eq!(load(&vault, &alex).files_opened, 0, "all from the cache");

    let cache = dir.path().join(format!("cache/{}.age", alex.person.id));
    let sealed = fs::read(&cache).unwrap();
    let start = payload_start(&sealed);
    assert!(sealed.len() - start > 6 * CHUNK, "{} bytes", sealed.len());

    // One byte of the fourth chunk changed: that stretch's parts are opened again.
    let mut damaged = sealed.clone();
    damaged[start + 3 * CHUNK + 100] ^= 1;
    fs::write(&cache, &damaged).unwrap();
    let mut loaded = vault.load(&alex);
    assert!(
        (1..FILES).contains(&loaded.files_opened),
        "{} of {FILES} opened",
        loaded.files_opened
    );
    assert_eq!(loaded.entries, whole.entries);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert!(loaded.cache.take().is_some(), "the cache is written afresh");

    // Cut after its second chunk: never taken for a whole cache.
    fs::write(&cache, &sealed[..start + 2 * CHUNK]).unwrap();
    let loaded = vault.load(&alex);
    assert_eq!(loaded.files_opened, FILES);
    assert_eq!(loaded.entries, whole.entries);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
}
