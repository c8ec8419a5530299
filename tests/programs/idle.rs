//! Idle means idle: with nobody typing, mend writes nothing to the terminal (no redraw
//! per tick), yet a key, a resize and the idle lock are still drawn at once.

use std::time::Duration;

use crate::support::{ENTER, Places};

/// Waits until mend has written nothing for `quiet` (or five seconds have passed:
/// then what follows fails with what it wrote), and returns how much it wrote.
fn settled(mend: &mut crate::support::Mend, quiet: Duration) -> usize {
    let start = std::time::Instant::now();
    loop {
        let before = mend.output().len();
        std::thread::sleep(quiet);
        let after = mend.output().len();
        if after == before || start.elapsed() > Duration::from_secs(5) {
            return after;
        }
    }
}

#[test]
fn nothing_is_drawn_while_nobody_types_and_a_key_or_a_resize_draws_at_once() {
    let places = Places::new();
    let mut mend = places.start(&[]);
    mend.wait_for("Press Enter to create your private profile");
    let quiet = settled(&mut mend, Duration::from_millis(300));
    // Six ticks of the loop, and not a byte.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        mend.output().len(),
        quiet,
        "mend drew while nobody typed: {:?}",
        String::from_utf8_lossy(&mend.output()[quiet..])
    );
    mend.resize(35, 110);
    mend.wait_for("Press Enter to create your private profile");
    let resized = settled(&mut mend, Duration::from_millis(300));
    assert!(resized > quiet, "a resize is drawn");
    mend.send(ENTER);
    mend.wait_for("Create your profile");
    mend.send("\x03");
    assert!(mend.wait_exit(), "mend quits");
}
