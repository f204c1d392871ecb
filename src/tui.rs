//! The terminal loop: read an event, turn it into an action, update the state, sync it with the
//! store, draw. The terminal is restored on exit, on error, on panic, on SIGTERM, SIGHUP, SIGINT or SIGQUIT, and
//! when the terminal goes away.

use std::io::{Write, stdout};

use crossterm::cursor::Show;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use ratatui::DefaultTerminal;
use ratatui::layout::Rect;

use crate::app::{App, Outside};
use crate::config::Config;
use crate::store::{Store, StoreError};
use crate::ui;

/// Why the interface stopped: the terminal failed, or the store did in a way it cannot wait out.
#[derive(Debug, thiserror::Error)]
pub enum InterfaceError {
    #[error(transparent)]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the interface starts with besides the store.
pub struct Start {
    pub today: chrono::NaiveDate,
    pub config: Config,
    /// A message for the status bar: the first-run notice, or a configuration problem.
    pub notice: Option<String>,
}

pub fn run(mut store: Store, start: Start) -> Result<(), InterfaceError> {
    watch_for_the_end_of_the_terminal()?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste, Show);
        previous(info);
    }));
    let mut terminal = ratatui::try_init()?;
    let result = execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)
        .map_err(InterfaceError::from)
        .and_then(|()| event_loop(&mut terminal, &mut store, start));
    drop(terminal);
    restore();
    result
}

/// Leaves the terminal as it was found: no mouse capture or bracketed paste, the cursor shown,
/// the main screen, cooked mode.
fn restore() {
    let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste, Show);
    ratatui::restore();
}

/// On SIGTERM, SIGHUP, SIGINT or SIGQUIT (sent from another shell: in raw mode Ctrl-C is a key),
/// or when the terminal hangs up, restores the terminal and ends the
/// process from a thread of its own: the main thread may be inside crossterm's reader, which
/// spins without returning once its terminal is gone. Every write is one transaction, so ending
/// here loses at most an unsaved form.
fn watch_for_the_end_of_the_terminal() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            restore();
            std::process::exit(128 + signal);
        }
    });
    std::thread::spawn(|| {
        loop {
            let mut input = libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: 0,
                revents: 0,
            };
            // SAFETY: one valid pollfd, for the duration of the call.
            let ready = unsafe { libc::poll(&mut input, 1, 1000) };
            if ready > 0 && input.revents & (libc::POLLHUP | libc::POLLNVAL) != 0 {
                restore();
                std::process::exit(128 + libc::SIGHUP);
            }
        }
    });
    Ok(())
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    store: &mut Store,
    start: Start,
) -> Result<(), InterfaceError> {
    let theme = start.config.theme();
    store.set_regions(crate::domain::region::Regions::shipped().with(start.config.regions.clone()));
    let mut app = App::new(start.today);
    app.database = store.label().to_string();
    app.keymap = start.config.keymap.clone();
    app.detail_placement = start.config.detail;
    app.date_style = start.config.date_style;
    app.timeline.order = start.config.order;
    app.status = start.notice;
    let waited = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    store.set_wait(
        crate::cli::chosen_wait().unwrap_or(start.config.wait),
        Some(waiting_notice(waited.clone(), app.keymap.clone())),
        true,
    );
    let mut seen_version = store.data_version()?;
    let mut area = Rect::default();
    let mut redraw = true;
    let mut offline = Offline::default();
    loop {
        if redraw {
            let size = terminal.size()?;
            area = Rect::new(0, 0, size.width, size.height);
            app.viewport = ui::list_rows(area, &app).max(1);
            app.sync(store);
            if store.connection_lost() {
                offline.lost(&mut app, None);
            }
            // The view may have changed in sync (opening a history): size its list again.
            app.viewport = ui::list_rows(area, &app).max(1);
            // A wait wrote its notice past ratatui: the whole screen is drawn anew.
            if waited.swap(false, std::sync::atomic::Ordering::Relaxed) {
                terminal.clear()?;
            }
            terminal.draw(|frame| ui::draw(frame, &app, &theme))?;
            let mut failed = false;
            for work in std::mem::take(&mut app.outside) {
                if let Err(error) = carry_out(work) {
                    app.status = Some(format!("error: {error}"));
                    failed = true;
                }
            }
            // Said now, not at the next key: the screen still says "opening …".
            if failed {
                terminal.draw(|frame| ui::draw(frame, &app, &theme))?;
            }
            if app.quit {
                return Ok(());
            }
        }
        redraw = true;
        // While idle, watch for commits by other programs (an `attache add` in another shell);
        // nothing else changes the screen, so it is drawn again only then.
        if !event::poll(std::time::Duration::from_millis(250))? {
            if offline.is_offline() {
                redraw = offline.retry(store, &mut app);
                if redraw && !offline.is_offline() {
                    seen_version = store.data_version()?;
                }
                continue;
            }
            let version = match store.data_version() {
                Ok(version) => version,
                Err(error) if store.connection_lost() => {
                    offline.lost(&mut app, Some(error.to_string()));
                    continue;
                }
                Err(error) => return Err(error.into()),
            };
            redraw = version != seen_version;
            if redraw {
                seen_version = version;
                app.reload();
            }
            continue;
        }
        match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(key),
            Event::Paste(text) => app.handle_paste(&text),
            Event::Mouse(mouse) => {
                let (column, row) = (mouse.column, mouse.row);
                let action = match mouse.kind {
                    MouseEventKind::ScrollDown => {
                        Some(ui::wheel_action(area, &app, column, row, true))
                    }
                    MouseEventKind::ScrollUp => {
                        Some(ui::wheel_action(area, &app, column, row, false))
                    }
                    MouseEventKind::Down(MouseButton::Left) => {
                        ui::click_action(area, &app, column, row)
                    }
                    _ => None,
                };
                match action {
                    Some(action) if app.overlay.is_none() => app.update(action),
                    _ => redraw = false,
                }
            }
            _ => {}
        }
    }
}

/// The interface while the database server cannot be reached: it keeps running on what it
/// shows, says so in the status bar, and connects again every `RETRY`, reloading when it is
/// back. A save made meanwhile fails as any save does: reported, the form keeping its text.
#[derive(Default)]
struct Offline {
    /// When the connection was last tried, while it is lost.
    since: Option<std::time::Instant>,
}

impl Offline {
    const RETRY: std::time::Duration = std::time::Duration::from_secs(2);

    fn is_offline(&self) -> bool {
        self.since.is_some()
    }

    /// The connection was found lost (`why`, when known); a save's own message is kept.
    fn lost(&mut self, app: &mut App, why: Option<String>) {
        if self.since.is_none() {
            self.since = Some(std::time::Instant::now());
        }
        let said = format!(
            "the database server cannot be reached{}; trying again every {} s (nothing is lost: what you type is kept)",
            why.map(|why| format!(" ({why})")).unwrap_or_default(),
            Self::RETRY.as_secs()
        );
        app.status = Some(match app.status.take() {
            Some(saving) if saving.starts_with("not saved") => format!("{saving} · {said}"),
            _ => said,
        });
    }

    /// Tries the server again when it is time; whether the screen changed.
    fn retry(&mut self, store: &mut Store, app: &mut App) -> bool {
        if self
            .since
            .is_some_and(|since| since.elapsed() < Self::RETRY)
        {
            return false;
        }
        match store.reconnect() {
            Ok(()) => {
                self.since = None;
                app.reload_saying(format!(
                    "connected to {} again; the screen shows the record as it is now",
                    store.label()
                ));
            }
            Err(error) => {
                self.since = Some(std::time::Instant::now());
                let said = format!(
                    "the database server cannot be reached ({error}); trying again every {} s (nothing is lost: what you type is kept)",
                    Self::RETRY.as_secs()
                );
                if app.status.as_deref() == Some(said.as_str()) {
                    return false;
                }
                app.status = Some(said);
            }
        }
        true
    }
}

/// What a save does while another program holds the write lock: the bottom line says what it
/// waits for, and Esc stops waiting (the form keeps what was typed). It writes to the terminal
/// itself, as the event loop is inside the save until it ends; `waited` tells the loop to draw
/// the whole screen again afterwards. Other keys pressed meanwhile are dropped.
fn waiting_notice(
    waited: std::sync::Arc<std::sync::atomic::AtomicBool>,
    keymap: crate::app::keymap::KeyMap,
) -> crate::store::WaitReport {
    use crate::app::keymap::FormAction;
    use crossterm::cursor::MoveTo;
    use crossterm::style::Print;
    use crossterm::terminal::{Clear, ClearType};
    Box::new(move |waiting| {
        waited.store(true, std::sync::atomic::Ordering::Relaxed);
        if waiting.over {
            return true;
        }
        let (columns, rows) = crossterm::terminal::size().unwrap_or((80, 24));
        // The form's own key for leaving it (Esc unless rebound) stops the wait.
        let stop = keymap
            .form_keys(FormAction::Close)
            .first()
            .map(|key| crate::app::keymap::shown(key))
            .unwrap_or_else(|| "Esc".to_string());
        let text = format!(" {stop} stops waiting · {}", waiting.describe());
        let text = ui::text::cut(
            &crate::domain::text::visible(&text, false),
            usize::from(columns),
        );
        let _ = execute!(
            stdout(),
            MoveTo(0, rows.saturating_sub(1)),
            Clear(ClearType::CurrentLine),
            Print(text)
        );
        while event::poll(std::time::Duration::ZERO).unwrap_or(false) {
            if let Ok(Event::Key(key)) = event::read()
                && key.kind != KeyEventKind::Release
                && keymap.form_action_for(&key) == Some(FormAction::Close)
            {
                return false;
            }
        }
        true
    })
}

/// Work outside the interface: the clipboard through the terminal, or the browser.
fn carry_out(work: Outside) -> std::io::Result<()> {
    match work {
        Outside::Copy(text) => {
            let mut out = stdout();
            write!(out, "{}", osc52(&text))?;
            out.flush()?;
        }
        Outside::OpenUrl(url) => open_url(&url)?,
    }
    Ok(())
}

/// The OSC 52 sequence that puts `text` on the clipboard: it travels with the terminal's own
/// output, so it works over SSH and inside tmux (with `set-clipboard on`).
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(clean)
    )
}

/// Opens `url` with `$BROWSER`, else the platform's opener, without waiting for it.
fn open_url(url: &str) -> std::io::Result<()> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a web address: {url}"),
        ));
    }
    let opener = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| {
            if cfg!(target_os = "macos") {
                "open".into()
            } else {
                "xdg-open".into()
            }
        });
    open_with(&opener, url)
}

/// How long an opener is watched: one that finds no browser (xdg-open in a container) gives up
/// within it; one still running by then has found one.
const OPENER_GRACE: std::time::Duration = std::time::Duration::from_millis(1500);

/// Starts `opener` on `url`, and says why it failed where it could not start or gave up at
/// once, in its own last words.
fn open_with(opener: &str, url: &str) -> std::io::Result<()> {
    use std::io::{Read, Seek};
    // Its name without the folder, so that the reason fits the status bar.
    let name = std::path::Path::new(opener)
        .file_name()
        .map_or(opener.into(), |n| n.to_string_lossy());
    let failed =
        |why: String| std::io::Error::other(format!("could not open the link ({name}: {why})"));
    // Its words go to a file, not a pipe: a browser still writing after we stop reading must
    // not die of a closed pipe.
    let mut words = tempfile::tempfile()?;
    let mut child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(words.try_clone()?)
        .spawn()
        .map_err(|e| failed(format!("cannot start it: {e}; set BROWSER to a browser")))?;
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() >= OPENER_GRACE {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    if status.success() {
        return Ok(());
    }
    let mut said = Vec::new();
    words.seek(std::io::SeekFrom::Start(0))?;
    words.read_to_end(&mut said)?;
    let said = String::from_utf8_lossy(&said);
    let last = said
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let last = crate::domain::text::visible(last.trim(), false);
    Err(failed(if last.is_empty() {
        format!("{status}")
    } else {
        format!("{status}: {last}")
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_opener_that_fails_says_why() {
        let url = "https://example.org/a";
        let missing = super::open_with("/nonexistent/browser", url).unwrap_err();
        assert!(
            missing
                .to_string()
                .starts_with("could not open the link (browser: cannot start it:"),
            "{missing}"
        );
        let refused = super::open_with("false", url).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "could not open the link (false: exit status: 1)"
        );
        super::open_with("true", url).unwrap();
    }

    #[test]
    fn osc52_carries_the_text_in_base64_without_control_characters() {
        assert_eq!(super::osc52("Путин"), "\x1b]52;c;0J/Rg9GC0LjQvQ==\x07");
        assert_eq!(super::osc52("a\x1b]0;x\x07b"), super::osc52("a]0;xb"));
    }
}
