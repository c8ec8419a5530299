//! A property test of who sees what: random sets of private and shared entries written
//! by two people. After saving, each person's load must hold exactly their own private
//! entries plus every shared one (nothing of the other's private ones, not even as a
//! problem), and nothing may be flagged as suspect. One vault and one set of keys serve
//! every case (only the entries change), so 300 cases run in seconds.

use std::fs;

use mend::content::Visibility;
use mend::entry::Entry;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};

use crate::fixtures::*;
use crate::rng::{Rng, Seed};

/// One planned entry: written by Blair (else Alex), shared (else private), its text.
type Plan = Vec<(bool, bool, String)>;

fn plans() -> impl Strategy<Value = Plan> {
    let text = prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter);
    prop::collection::vec((any::<bool>(), any::<bool>(), text), 0..10)
}

fn by_id(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.sort_by_key(|e| e.id);
    entries
}

#[test]
fn each_person_sees_their_private_entries_and_every_shared_one_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex, blair) = vault_with_two(dir.path());
    let entries_dir = dir.path().join("entries");
    // A fresh seed each run, as proptest's own default was; printed on failure.
    let seed = Seed::Fresh.get();
    let mut runner = Rng::new(seed).proptest_runner(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&plans(), |plan| {
        for old in fs::read_dir(&entries_dir).unwrap() {
            fs::remove_file(old.unwrap().path()).unwrap();
        }
        let mut saved = Vec::new();
        for (minute, (by_blair, shared, text)) in plan.iter().enumerate() {
            let who = if *by_blair { &blair } else { &alex };
            let visibility = if *shared {
                Visibility::Shared
            } else {
                Visibility::Private
            };
            let e = entry(&who.person.id, visibility, text, minute as u32);
            vault
                .save_entry(who, &e)
                .map_err(|err| TestCaseError::fail(err.to_string()))?;
            saved.push(e);
        }
        for who in [&alex, &blair] {
            let loaded = vault.load(who);
            let expected: Vec<Entry> = saved
                .iter()
                .filter(|e| e.visibility == Visibility::Shared || e.author == who.person.id)
                .cloned()
                .collect();
            let name = &who.person.name;
            prop_assert_eq!(by_id(loaded.entries), by_id(expected), "{}'s load", name);
            prop_assert!(
                loaded.problems.is_empty(),
                "{}: {:?}",
                name,
                loaded.problems
            );
            prop_assert!(
                loaded.unconfirmed.is_empty(),
                "{}: {} unconfirmed",
                name,
                loaded.unconfirmed.len()
            );
        }
        Ok(())
    });
    assert!(!dir.path().join("quarantine").exists(), "seed {seed}");
    if let Err(failure) = result {
        panic!("{failure} (seed {seed}; MEND_TEST_SEED={seed} repeats it)");
    }
}
