//! The terminal, taken and given back in one place.
//!
//! mend owns the terminal from the first frame to the last: raw mode, the alternate
//! screen, bracketed paste and the mouse go on together and come off together, after a quit, a
//! signal, an error or a panic. Giving it back never fails loudly: when the window has
//! been closed there is no terminal left to restore and nowhere to report that, and
//! printing to it would itself fail (ratatui's own `restore` prints, and a print to a
//! hung-up terminal panics, inside the panic hook an abort). So every step here is
//! best effort and silent, and the screen's writer stops writing once a write failed.

use std::io::{self, Stdout, Write};

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The full-screen terminal mend draws on.
pub type Screen = Terminal<CrosstermBackend<Tty>>;

/// Standard output as the screen's writer. After a write has failed (the window is
/// gone), later writes are dropped: nothing written then could be seen, and ratatui
/// shows the cursor again when its `Terminal` is dropped, printing an error (a panic,
/// on a dead terminal) if that write fails.
pub struct Tty {
    out: Stdout,
    failed: bool,
}

impl Write for Tty {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.failed {
            return Ok(bytes.len());
        }
        self.out.write(bytes).inspect_err(|e| self.note(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failed {
            return Ok(());
        }
        self.out.flush().inspect_err(|e| self.note(e))
    }
}

impl Tty {
    fn note(&mut self, error: &io::Error) {
        // An interrupted write is retried by the caller; anything else is final.
        self.failed = error.kind() != io::ErrorKind::Interrupted;
    }
}

/// Takes the terminal: raw mode, the alternate screen and bracketed paste, with a panic
/// hook that gives it back before the panic's message is printed.
pub fn take() -> io::Result<Screen> {
    let earlier_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        give_back_modes();
        earlier_hook(info);
    }));
    let taken = terminal::enable_raw_mode()
        .and_then(|()| {
            crossterm::execute!(
                io::stdout(),
                EnterAlternateScreen,
                EnableBracketedPaste,
                EnableMouseCapture
            )
        })
        .and_then(|()| {
            Terminal::new(CrosstermBackend::new(Tty {
                out: io::stdout(),
                failed: false,
            }))
        });
    if taken.is_err() {
        give_back_modes();
    }
    taken
}

/// Gives the terminal back as mend found it; silent, as the module says.
pub fn give_back(screen: &mut Screen) {
    let _ = screen.show_cursor();
    give_back_modes();
}

/// Each step on its own, so one that fails (raw mode, on a terminal already gone) does
/// not keep the others from running.
fn give_back_modes() {
    let _ = terminal::disable_raw_mode();
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste);
    let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
    let _ = crossterm::execute!(io::stdout(), LeaveAlternateScreen);
    let _ = crossterm::execute!(io::stdout(), Show);
}

/// Whether the terminal has hung up (its window was closed), asked when nothing happens
/// for a while, so mend ends as it would on SIGHUP even if that signal never reaches it.
pub fn hung_up() -> bool {
    crate::platform::hung_up()
}
