//! The terminal loop: read an event, turn it into an action, update the state, sync it with the
//! store, draw. The terminal is restored on exit, on error and on panic.

use std::io::stdout;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use ratatui::DefaultTerminal;
use ratatui::layout::Rect;

use crate::app::{Action, App};
use crate::store::Store;
use crate::ui::{self, Theme};

pub fn run(mut store: Store, today: chrono::NaiveDate) -> anyhow::Result<()> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
        previous(info);
    }));
    let mut terminal = ratatui::try_init()?;
    let result = execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)
        .map_err(anyhow::Error::from)
        .and_then(|()| event_loop(&mut terminal, &mut store, today));
    let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    store: &mut Store,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let theme = Theme::from_env();
    let mut app = App::new(today);
    let mut seen_version = store.data_version()?;
    let mut area = Rect::default();
    let mut redraw = true;
    loop {
        if redraw {
            let size = terminal.size()?;
            area = Rect::new(0, 0, size.width, size.height);
            app.viewport = ui::list_rows(area, &app).max(1);
            app.sync(store);
            // The view may have changed in sync (opening a history): size its list again.
            app.viewport = ui::list_rows(area, &app).max(1);
            terminal.draw(|frame| ui::draw(frame, &app, &theme))?;
            if app.quit {
                return Ok(());
            }
        }
        redraw = true;
        // While idle, watch for commits by other programs (an `attache add` in another shell);
        // nothing else changes the screen, so it is drawn again only then.
        if !event::poll(std::time::Duration::from_millis(500))? {
            let version = store.data_version()?;
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
                let action = match mouse.kind {
                    MouseEventKind::ScrollDown => Some(Action::Down),
                    MouseEventKind::ScrollUp => Some(Action::Up),
                    MouseEventKind::Down(MouseButton::Left) => {
                        ui::row_at(area, &app, mouse.column, mouse.row).map(Action::Select)
                    }
                    _ => None,
                };
                if let Some(action) = action {
                    app.update(action);
                }
            }
            _ => {}
        }
    }
}
