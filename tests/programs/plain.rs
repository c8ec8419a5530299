//! Plain mode (`mend --plain`, or `TERM=dumb`) in a real terminal: a first run, an
//! exercise with every kind of step, a hand-over to a partner and back, an export and
//! a quick-hide, with not one escape sequence in all mend wrote, no passphrase echoed,
//! and the answers in the vault only encrypted (and there, for their author's key).

use std::ffi::OsStr;
use std::time::{Duration, Instant};

use crate::fixtures;
use crate::support::{Mend, PASS, Places, count_ignoring_case, files_containing};

const SAMS: &str = "a different passphrase entirely";
const CANARY: &str = "PLAIN-CANARY-41c7";

/// Types `keys` and waits until mend has written `expect` once more than before.
fn say(mend: &mut Mend, keys: &str, expect: &str) {
    let before = count_ignoring_case(&mend.output(), expect.as_bytes());
    mend.send(keys);
    let start = Instant::now();
    while count_ignoring_case(&mend.output(), expect.as_bytes()) <= before {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "sent {keys:?}, waited for {expect:?}; mend wrote:\n{}",
            String::from_utf8_lossy(&mend.output())
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The number mend printed before a row holding `label` in the last list it wrote
/// ("12. Label").
fn number_of(mend: &Mend, label: &str) -> String {
    let output = String::from_utf8_lossy(&mend.output()).into_owned();
    output
        .lines()
        .rev()
        .find_map(|l| {
            let (n, rest) = l.split_once(". ")?;
            (rest.contains(label) && n.chars().all(|c| c.is_ascii_digit())).then(|| n.to_owned())
        })
        .unwrap_or_else(|| panic!("no numbered {label:?} in:\n{output}"))
}

/// From the welcome to home: a name, a passphrase twice, no role, no code.
fn first_profile(mend: &mut Mend, name: &str, passphrase: &str) {
    say(mend, "\r", "Your name (or back):");
    say(mend, &format!("{name}\r"), "A passphrase");
    say(mend, &format!("{passphrase}\r"), "The passphrase again");
    say(mend, &format!("{passphrase}\r"), "Prefer not to say");
    let none = number_of(mend, "Prefer not to say");
    say(mend, &format!("{none}\r"), "A recovery code");
    say(mend, "not now\r", "Home.");
}

#[test]
fn plain_mode_walks_every_kind_of_step_a_hand_over_and_an_export_without_an_escape() {
    let places = Places::new();
    let starter = concat!(env!("CARGO_MANIFEST_DIR"), "/content/starter.toml");
    let mut mend = places.run(
        &[
            OsStr::new("--plain"),
            OsStr::new("--content"),
            OsStr::new(starter),
        ],
        &[],
    );
    mend.wait_for("plain mode");
    mend.wait_for("Press Enter to create your private profile");
    first_profile(&mut mend, "Robin", PASS);

    // Reflect, text, scale.
    let first = number_of(&mend, "First thoughts");
    say(&mut mend, &format!("{first}\r"), "step 1 of 3");
    say(&mut mend, "\r", "What is on my mind today?");
    mend.wait_for("end it with a line holding only a full stop");
    say(
        &mut mend,
        &format!("{CANARY} on the first line\rand a second line\r.\r"),
        "How settled do I feel right now?",
    );
    say(&mut mend, "12\r", "is not something to type here");
    say(&mut mend, "7\r", "the last page");
    say(&mut mend, "save\r", "Saved and encrypted");

    // One choice, several choices, a checklist, and a step written for one role.
    let next = number_of(&mend, "Next steps");
    say(&mut mend, &format!("{next}\r"), "Type one number.");
    say(&mut mend, "2\r", "Type the numbers of all that fit");
    say(&mut mend, "1 3\r", "Which of these could I do today?");
    say(&mut mend, "back\r", "2. Someone to talk to");
    let page = String::from_utf8_lossy(&mend.output()).into_owned();
    let tail = &page[page.rfind("What would help me").unwrap()..];
    assert!(
        tail.contains("1. More rest (chosen)") && tail.contains("3. Time outside (chosen)"),
        "back shows the choices made:\n{tail}"
    );
    say(&mut mend, "1,3\r", "Which of these could I do today?");
    say(
        &mut mend,
        "2\r",
        "A note written only for the partner who was unfaithful",
    );
    say(&mut mend, "\r", "the last page");
    say(&mut mend, "save\r", "Saved and encrypted");

    // History, and the entry read back with its answers.
    say(&mut mend, "history\r", "History: 2 entries");
    let read = number_of(&mend, ", First thoughts, ");
    say(&mut mend, &format!("{read}\r"), "and a second line");
    say(&mut mend, "back\r", "History:");
    say(&mut mend, "back\r", "Home.");

    // Hand over to a partner, who makes a profile, then back.
    say(&mut mend, "add partner\r", "When you press Enter");
    say(&mut mend, "\r", "Pass the keyboard to your partner");
    say(&mut mend, "\r", "Press Enter to make your profile");
    first_profile(&mut mend, "Sam", SAMS);
    say(&mut mend, "hand over\r", "Pass the keyboard to Robin");
    say(&mut mend, "\r", "Passphrase for Robin");
    say(&mut mend, &format!("{PASS}\r"), "Welcome, Robin");

    // An export, named and written.
    say(&mut mend, "export\r", "Write the file");
    let file_row = number_of(&mend, "File:");
    say(&mut mend, &format!("{file_row}\r"), "The file's name:");
    let out = places.home().join("summary.md");
    say(&mut mend, &format!("{}\r", out.display()), "Write the file");
    say(&mut mend, "write\r", "Type yes to write it");
    say(&mut mend, "yes\r", "Wrote");
    assert!(out.exists(), "the summary was written");

    // Ctrl-L hides and locks at once; Enter comes back to who is here.
    say(&mut mend, "\x0c", "> ");
    say(&mut mend, "\r", "Who is here?");
    say(&mut mend, "\x03", "\r\n");
    assert!(mend.wait_exit(), "mend quits");

    let output = mend.output();
    assert!(
        !output.contains(&0x1b),
        "mend wrote an escape sequence in plain mode:\n{:?}",
        String::from_utf8_lossy(&output)
    );
    for secret in [PASS, SAMS] {
        assert_eq!(
            count_ignoring_case(&output, secret.as_bytes()),
            0,
            "a passphrase was echoed"
        );
    }
    let leaks = files_containing(&places.data(), CANARY.as_bytes());
    assert!(leaks.is_empty(), "the answer is in plain text in {leaks:?}");
    let words = written_answers(&places, "Robin", PASS);
    assert!(
        words
            .iter()
            .any(|t| t == &format!("{CANARY} on the first line\nand a second line")),
        "the answer reached the vault whole, for Robin's key: {words:?}"
    );
}

/// The written answers in the vault that `name`'s passphrase opens.
fn written_answers(places: &Places, name: &str, passphrase: &str) -> Vec<String> {
    let vault = fixtures::open(&places.data());
    let person = vault.people().iter().find(|p| p.name == name).unwrap();
    let keys = vault
        .unlock(&person.id, &fixtures::pass(passphrase))
        .unwrap();
    vault
        .load(&keys)
        .entries
        .iter()
        .flat_map(|e| e.answers.iter())
        .filter_map(|a| match &a.answer {
            mend::entry::Answer::Text { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_dumb_terminal_gets_plain_mode_without_asking() {
    let places = Places::new();
    let mut mend = places.start(&[("TERM", "dumb")]);
    mend.wait_for("plain mode");
    say(&mut mend, "help\r", "What you can type here");
    say(
        &mut mend,
        "\r",
        "Press Enter to create your private profile",
    );
    say(&mut mend, "quit\r", "\r\n");
    assert!(mend.wait_exit(), "mend quits");
    assert!(!mend.output().contains(&0x1b), "no escape sequence at all");
}
