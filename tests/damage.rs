//! Damage is detected: every single-bit flip of an entry file is reported as damage,
//! and none ever decrypts to different text. (Part of issue 6's promise 2; key files
//! are next.) Prints the figure it measured.

use mend::content::Visibility;

#[allow(dead_code)]
#[path = "support/fixtures.rs"]
mod fixtures;

#[test]
#[ignore = "issue 6, open: measured 10,606 of 11,096 flips detected. A flip inside the \
            X25519 recipient stanza makes the file look like someone else's (a partner's \
            private entry looks the same), so it is skipped silently. Needs a per-person \
            record of their own entry ids to tell 'mine but damaged' from 'not mine'. Run \
            with: cargo test --test damage -- --ignored --nocapture"]
fn every_single_bit_flip_of_an_entry_file_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, alex) = fixtures::vault_with_alex(dir.path());
    let entry = fixtures::entry(&alex.person.id, Visibility::Private, "flip me", 1);
    vault.save_entry(&alex, &entry).unwrap();
    let path = dir.path().join("entries").join(format!("{}.age", entry.id));
    let original = std::fs::read(&path).unwrap();
    let quarantine = dir.path().join("quarantine");
    let (mut detected, mut total) = (0, 0);
    for byte in 0..original.len() {
        for bit in 0..8 {
            let mut flipped = original.clone();
            flipped[byte] ^= 1 << bit;
            std::fs::write(&path, &flipped).unwrap();
            let loaded = vault.load(&alex);
            total += 1;
            let wrong_text = loaded
                .entries
                .iter()
                .any(|e| e.id == entry.id && e != &entry);
            assert!(!wrong_text, "flip {byte}:{bit} decrypted to different text");
            if loaded.entries.is_empty() && loaded.problems.len() == 1 {
                detected += 1;
            }
            let _ = std::fs::remove_dir_all(&quarantine);
        }
    }
    println!("single-bit flips of an entry file detected: {detected} of {total}");
    assert_eq!(detected, total);
}
