//! `mend try FILE` in a real terminal: a workbook answered, saved and read back, and
//! afterwards not one file anywhere mend could write (its data folder, HOME, the XDG
//! folders, the temp folder).

use std::ffi::OsStr;

use crate::support::{ENTER, Places, TAB, files_under};

#[test]
fn trying_a_workbook_writes_nothing_anywhere() {
    let places = Places::new();
    let workbook = concat!(env!("CARGO_MANIFEST_DIR"), "/content/rebuilding-trust.toml");
    let mut mend = places.run(&[OsStr::new("try"), OsStr::new(workbook)], &[]);
    mend.wait_for("trying · every role");
    mend.wait_for("nothing is saved to disk");
    mend.send("v");
    mend.wait_for("Now seen as: The partner who was hurt.");
    // The check-in, as the hurt partner: four numbers, then the line.
    mend.send(ENTER);
    mend.wait_for("How much do I trust my partner today?");
    mend.send("7");
    for _ in 0..4 {
        mend.send_and_wait_for_change(TAB);
    }
    mend.wait_for("One line about today");
    mend.send("WORDS-ONLY-IN-MEMORY");
    mend.wait_for("WORDS-ONLY-IN-MEMORY");
    mend.send(TAB);
    mend.wait_for("Press Enter to save it");
    mend.send(ENTER);
    mend.wait_for("Kept in memory until you quit");
    mend.send("h");
    mend.wait_for("Quick check-in");
    mend.send(ENTER);
    mend.wait_for("WORDS-ONLY-IN-MEMORY");
    mend.send("q");
    assert!(mend.wait_exit(), "mend quits");
    let root = places.root.path();
    let written: Vec<_> = files_under(root);
    assert!(written.is_empty(), "mend try wrote {written:?}");
    for dir in [places.data(), places.home(), places.tmp()] {
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert!(left.is_empty(), "{} holds {left:?}", dir.display());
    }
}
