//! Plain mode's loop: the same app and effects as the full screen, said as lines.
//!
//! Each turn prints the page on screen if it changed since it was last printed (and
//! the status line, if new), then waits for a line. Keys are read one at a time with
//! the terminal in raw mode, so a passphrase is never echoed and Ctrl-L hides at once;
//! what is typed is echoed as plain characters. Nothing is written but text and line
//! breaks: no cursor movement, no colour, no alternate screen, no redraw.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use age::secrecy::zeroize::Zeroize;
use chrono::Utc;
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use super::{DriverError, Perform, Ready, Shell, dispatch};
use crate::app::{Action, App};
use crate::plain::{self, Ask, Page};

/// A line from the person, or a key that acts at once.
enum Got {
    Line(String),
    Hide,
    Quit,
    /// Esc: back, as on the full screen (it also leaves a passphrase form).
    Back,
    /// A key that only changed the line being typed.
    Key,
    /// Nothing yet; time for the idle lock and for drafts.
    Tick,
    /// The terminal hung up: what was being written is kept as a draft and mend ends.
    HungUp,
}

/// The terminal in raw mode while plain mode runs (only `termios`: nothing is
/// written to the terminal to take it or give it back).
struct Raw(bool);

impl Raw {
    fn take() -> Self {
        Self(crossterm::terminal::enable_raw_mode().is_ok())
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        if self.0 {
            let _ = crossterm::terminal::disable_raw_mode();
        }
    }
}

/// Prints lines; in raw mode a line ends with a carriage return too.
struct Out {
    out: io::Stdout,
}

impl Out {
    fn line(&mut self, text: &str) -> io::Result<()> {
        // What is printed is the app's own text, sanitized where it came from disk;
        // a tab or a stray control character is made a space all the same.
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        write!(self.out, "{clean}\r\n")
    }

    fn raw(&mut self, text: &str) -> io::Result<()> {
        write!(self.out, "{text}")?;
        self.out.flush()
    }

    fn page(&mut self, page: &Page) -> io::Result<()> {
        self.line("")?;
        for l in &page.lines {
            self.line(l)?;
        }
        self.out.flush()
    }
}

pub(super) fn run(app: &mut App, shell: &mut Shell, stop: &AtomicBool) -> Result<(), DriverError> {
    let raw = Raw::take();
    let mut out = Out { out: io::stdout() };
    out.line("mend, plain mode. Each screen is said as lines; type help on any of them for what you can type. What mend prints stays in this terminal's scrollback until you clear it.")?;
    let result = turns(app, shell, stop, &mut out);
    // However it ended, what was on screen is kept as a draft and the keys dropped.
    if !app.should_quit() {
        let _ = dispatch(shell, app, Utc::now(), Action::Terminate, &mut |_| Ok(()));
    }
    let kept = shell.write_pending().map_err(DriverError::DraftNotKept);
    drop(raw);
    result?;
    kept
}

fn turns(
    app: &mut App,
    shell: &mut dyn Perform,
    stop: &AtomicBool,
    out: &mut Out,
) -> Result<(), DriverError> {
    let mut shown: Option<Page> = None;
    let mut said: Option<String> = None;
    let mut typed = String::new();
    // A line was read and acted on: if nothing it did shows, the prompt comes again, so
    // a line never goes unanswered.
    let mut answered = false;
    let mut last_key = std::time::Instant::now();
    loop {
        let page = plain::page(app);
        let mut spoke = false;
        if shown.as_ref() != Some(&page) {
            // A new screen: nothing half typed for the last one carries over to it.
            typed.zeroize();
            out.page(&page)?;
            shown = Some(page.clone());
            said = None;
            prompt(out, &page.ask)?;
            spoke = true;
        }
        if app.status() != said.as_deref() {
            if let Some(status) = app.status() {
                out.raw("\r\n")?;
                out.line(status)?;
                prompt(out, &page.ask)?;
                spoke = true;
            }
            said = app.status().map(str::to_owned);
        }
        if std::mem::take(&mut answered) && !spoke {
            prompt(out, &page.ask)?;
        }
        if app.should_quit() || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let echo = !matches!(page.ask, Ask::Secret(_));
        let got = next(&mut typed, echo, out, stop)?;
        if !matches!(got, Got::Tick) {
            last_key = std::time::Instant::now();
        }
        let actions = match got {
            Got::Key => Vec::new(),
            Got::Tick => {
                // Typed but never sent (a passphrase left half typed): wiped after the
                // same idle time that locks mend.
                let idle = app.idle_lock().to_std().unwrap_or(std::time::Duration::MAX);
                if !typed.is_empty() && last_key.elapsed() >= idle {
                    typed.zeroize();
                    out.raw("\r\n")?;
                    out.line("What was typed was cleared after the idle time.")?;
                    prompt(out, &page.ask)?;
                }
                vec![Action::Tick]
            }
            Got::Hide => vec![Action::Hide],
            Got::Quit => vec![Action::Quit],
            Got::HungUp => vec![Action::Terminate],
            Got::Back => {
                typed.clear();
                out.raw("\r\n")?;
                vec![Action::Cancel]
            }
            Got::Line(line) if page.ask == Ask::Answer => {
                answer(app, shell, line, &mut typed, out, stop)?
            }
            Got::Line(line) => match plain::read(app, &line) {
                Ok(actions) => {
                    answered = true;
                    actions
                }
                Err(message) => {
                    out.line(&message)?;
                    prompt(out, &page.ask)?;
                    Vec::new()
                }
            },
        };
        for action in actions {
            dispatch(shell, app, Utc::now(), action, &mut |app| {
                // Slow work (a key derivation) is said before it starts.
                let busy = plain::page(app);
                let mut out = Out { out: io::stdout() };
                out.page(&busy)
            })?;
        }
        // A line is read whole, so a search is finished before its page is read out.
        while app.working() {
            dispatch(shell, app, Utc::now(), Action::Work, &mut |_| Ok(()))?;
        }
    }
}

/// What a line on a text step means: a command, or the first line of an answer read
/// on to the full stop. Each line is handed to the app as it comes (kept as a draft
/// once typing pauses, as in the full screen), so the idle lock and quick-hide keep
/// what was written.
fn answer(
    app: &mut App,
    shell: &mut dyn Perform,
    first: String,
    typed: &mut String,
    out: &mut Out,
    stop: &AtomicBool,
) -> Result<Vec<Action>, DriverError> {
    let trimmed = first.trim();
    // A lone full stop, or nothing: the answer stays as it is.
    if trimmed == "." || trimmed.is_empty() {
        return Ok(vec![Action::Next]);
    }
    let lower = trimmed.to_lowercase();
    let is_command = crate::keymap::bindings_for(app.key_context())
        .any(|b| b.words.contains(&lower.as_str()))
        || ["share", "private", "help", "?"].contains(&lower.as_str());
    if is_command {
        return match plain::read(app, trimmed) {
            Ok(actions) => Ok(actions),
            Err(message) => {
                out.line(&message)?;
                prompt(out, &Ask::Answer)?;
                Ok(Vec::new())
            }
        };
    }
    let mut lines = vec![first];
    let mut act =
        |app: &mut App, action: Action| dispatch(shell, app, Utc::now(), action, &mut |_| Ok(()));
    act(app, Action::Answer(lines.join("\n")))?;
    loop {
        match next(typed, true, out, stop)? {
            Got::Line(line) if line.trim() == "." => break,
            Got::Line(line) => {
                lines.push(line);
                act(app, Action::Answer(lines.join("\n")))?;
            }
            Got::Key => {}
            Got::Tick if stop.load(Ordering::Relaxed) => return Ok(Vec::new()),
            Got::Tick => {
                act(app, Action::Tick)?;
                if plain::page(app).ask != Ask::Answer {
                    // Locked while away: the answer so far was kept as a draft.
                    return Ok(Vec::new());
                }
            }
            Got::Hide => return Ok(vec![Action::Hide]),
            Got::Quit => return Ok(vec![Action::Quit]),
            Got::HungUp => return Ok(vec![Action::Terminate]),
            Got::Back => return Ok(vec![Action::Cancel]),
        }
    }
    Ok(vec![Action::Next])
}

fn prompt(out: &mut Out, ask: &Ask) -> io::Result<()> {
    match ask {
        Ask::Command => out.raw("> "),
        Ask::Field(label) | Ask::Secret(label) => out.raw(&format!("{label}: ")),
        Ask::Answer => out.raw("Your answer:\r\n"),
        Ask::Wait => Ok(()),
    }
}

/// Reads keys until a line is complete, a key that acts at once, or a tick.
fn next(typed: &mut String, echo: bool, out: &mut Out, stop: &AtomicBool) -> io::Result<Got> {
    match super::ready(stop, super::TICK)? {
        Ready::Yes => {}
        Ready::No => return Ok(Got::Tick),
        Ready::HungUp => return Ok(Got::HungUp),
    }
    let Event::Key(key) = event::read()? else {
        return Ok(Got::Key);
    };
    if key.kind == KeyEventKind::Release {
        return Ok(Got::Key);
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('l') if ctrl => {
            typed.clear();
            out.raw("\r\n")?;
            Ok(Got::Hide)
        }
        KeyCode::Char('c' | 'q') if ctrl => {
            out.raw("\r\n")?;
            Ok(Got::Quit)
        }
        KeyCode::Char('d') if ctrl && typed.is_empty() => {
            out.raw("\r\n")?;
            Ok(Got::Quit)
        }
        KeyCode::Char(c) if !ctrl => {
            typed.push(c);
            if echo {
                out.raw(c.encode_utf8(&mut [0; 4]))?;
            }
            Ok(Got::Key)
        }
        KeyCode::Backspace => {
            if typed.pop().is_some() && echo {
                out.raw("\u{8} \u{8}")?;
            }
            Ok(Got::Key)
        }
        KeyCode::Esc => Ok(Got::Back),
        KeyCode::Enter => {
            out.raw("\r\n")?;
            Ok(Got::Line(std::mem::take(typed)))
        }
        _ => Ok(Got::Key),
    }
}
