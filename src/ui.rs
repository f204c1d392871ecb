//! Drawing: reads the `App` and never changes it. One module per view.

mod form;
mod lists;
pub mod text;
pub mod theme;
mod timeline;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::keymap::BINDINGS;
use crate::app::{App, View};
use text::{field_window, fit};
pub use theme::Theme;

/// The tab bar, the body and the status bar. Below three lines, only the status bar.
fn frame_areas(area: Rect) -> (Rect, Rect, Rect) {
    if area.height < 3 {
        let status = Rect {
            height: area.height.min(1),
            ..area
        };
        return (Rect::default(), Rect::default(), status);
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    (tabs, body, status)
}

/// How many list rows the current view shows in a terminal of this size.
pub fn list_rows(area: Rect, app: &App) -> usize {
    let (_, body, _) = frame_areas(area);
    match app.view {
        View::Timeline => timeline::list_rows(body),
        View::People => body.height.saturating_sub(2) as usize,
        View::History => lists::history_rows(body),
        View::Stats => body.height as usize,
    }
}

/// The row of the current list under a mouse click, if any.
pub fn row_at(area: Rect, app: &App, column: u16, row: u16) -> Option<usize> {
    let (_, body, _) = frame_areas(area);
    let position = Position { x: column, y: row };
    match app.view {
        View::Timeline => {
            let (list, _) = timeline::split(body);
            if !list.contains(position) || row == list.y {
                return None;
            }
            let lines = timeline::layout_lines(app, list.height.saturating_sub(1) as usize);
            lines.get((row - list.y - 1) as usize).copied().flatten()
        }
        View::People => {
            let line = row.checked_sub(body.y + 1)? as usize;
            (body.contains(position) && line < body.height.saturating_sub(2) as usize)
                .then_some(app.people.scroll + line)
        }
        View::History => {
            let first = body.y + 5;
            let line = row.checked_sub(first)? as usize;
            (body.contains(position) && line < lists::history_rows(body))
                .then_some(app.history.scroll + line)
        }
        View::Stats => None,
    }
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    let (tabs, body, status) = frame_areas(area);
    draw_tabs(frame, app, theme, tabs);
    if app.empty && app.view == View::Timeline {
        draw_welcome(frame, theme, body);
    } else {
        match app.view {
            View::Timeline => timeline::draw(frame, app, theme, body),
            View::People => lists::draw_people(frame, app, theme, body),
            View::History => lists::draw_history(frame, app, theme, body),
            View::Stats => lists::draw_stats(frame, app, theme, body),
        }
    }
    if let Some(entry) = &app.form {
        form::draw(frame, entry, theme, body);
    }
    draw_status(frame, app, theme, status);
    if app.help.is_some() {
        draw_help(frame, app, theme, body);
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 {
        return;
    }
    let mut spans = vec![Span::styled(" attache ", theme.heading())];
    for (i, view) in View::ALL.iter().enumerate() {
        let style = if *view == app.view {
            theme.selected(true)
        } else {
            theme.dim()
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!(" {} {} ", i + 1, view.title()), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    if let Some((_, label)) = &app.confirm_delete {
        // The event's name gives way before the instruction does.
        let question = "? y deletes it, any other key keeps it";
        let room = (area.width as usize).saturating_sub(question.width() + " Delete ".width());
        let text = format!(" Delete {}{question}", text::cut(label, room));
        frame.render_widget(
            Paragraph::new(Line::styled(fit(&text, area.width as usize), theme.error())),
            area,
        );
        return;
    }
    if let Some(prompt) = &app.prompt {
        let label = prompt.kind.label();
        let width = area.width as usize;
        let after = match &prompt.error {
            Some(error) => Some((format!("  {error}"), theme.error())),
            None if prompt.kind == crate::app::PromptKind::Filter
                && prompt.input.value().is_empty() =>
            {
                Some((crate::app::filter::hint(), theme.dim()))
            }
            None => None,
        };
        // The value gets what the label leaves, less room for a message after it.
        let room = width.saturating_sub(label.width()).max(1);
        let value_width = match &after {
            Some((text, _)) => room.saturating_sub(text.width()).max(room / 2).max(1),
            None => room,
        };
        let (shown, cursor) = field_window(&prompt.input, value_width);
        let mut spans = vec![
            Span::styled(label, theme.key()),
            Span::raw(shown.trim_end().to_string()),
        ];
        if let Some((text, style)) = after {
            spans.push(Span::styled(text, style));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        let x = area.x + ((label.width() + cursor) as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position(Position { x, y: area.y });
        return;
    }
    let (left, hints) = match &app.form {
        Some(entry) => {
            let doing = match entry.editing {
                Some(number) => format!(" Editing #{number}"),
                None => " Adding an event".to_string(),
            };
            (doing, "")
        }
        None => {
            let mut left = format!(" {} {}", app.view.title(), app.position_label());
            if app.view == View::Timeline {
                if !app.timeline.filter_text.is_empty() {
                    left.push_str(&format!(
                        " · filter: {} (Esc clears)",
                        app.timeline.filter_text
                    ));
                }
                if !app.timeline.search.is_empty() {
                    left.push_str(&format!(" · /{}", app.timeline.search));
                }
            }
            (
                left,
                "?:help  /:search  f:filter  t:date  1-4:views  q:quit ",
            )
        }
    };
    let width = area.width as usize;
    // A message is kept whole where it can be; the hints only where they fit beside the left.
    let right = match &app.status {
        Some(message) => message.clone(),
        None if hints.width() + 2 <= width.saturating_sub(left.width()) => hints.to_string(),
        None => String::new(),
    };
    let right_w = right.width().min(width.saturating_sub(12.min(width)));
    let text = format!("{}{}", fit(&left, width - right_w), fit(&right, right_w));
    let error = app
        .status
        .as_deref()
        .is_some_and(|s| s.starts_with("error"));
    let style = if error { theme.error() } else { theme.bar() };
    frame.render_widget(Paragraph::new(Line::styled(text, style)), area);
}

fn draw_welcome(frame: &mut Frame, theme: &Theme, area: Rect) {
    let lines = vec![
        Line::styled("Welcome to attache", theme.heading()),
        Line::raw(""),
        Line::raw("This database has no events yet."),
        Line::raw(""),
        Line::from(vec![
            Span::styled("S", theme.key()),
            Span::raw("  load the bundled seed data: the 2025 record of US–Russia envoy meetings"),
        ]),
        Line::from(vec![Span::styled(
            "attache add --date 2025-04-11 --title \"...\" --participant \"Putin:RU\"",
            theme.key(),
        )]),
        Line::raw("   adds an event from a shell; attache import FILE loads a CSV or JSON file"),
        Line::from(vec![
            Span::styled("?", theme.key()),
            Span::raw("  every key     "),
            Span::styled("q", theme.key()),
            Span::raw("  quit"),
        ]),
    ];
    let height = (lines.len() as u16).min(area.height);
    let top = area.y + area.height.saturating_sub(height) / 2;
    let centred = Rect {
        x: area.x + 2.min(area.width),
        y: top,
        width: area.width.saturating_sub(4),
        height,
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), centred);
}

fn draw_help(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let Some(input) = &app.help else { return };
    let filter = input.value().to_lowercase();
    let shown: Vec<_> = BINDINGS
        .iter()
        .filter(|b| {
            filter.is_empty()
                || b.keys.join(", ").to_lowercase().contains(&filter)
                || b.help.to_lowercase().contains(&filter)
        })
        .collect();
    let width = area.width.saturating_sub(4).min(72);
    let height = area
        .height
        .saturating_sub(2)
        .min(shown.len().max(1) as u16 + 3);
    if width < 10 || height < 3 {
        return;
    }
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.heading())
        .title(Span::styled(
            " Keys — type to filter, Esc closes ",
            theme.heading(),
        ));
    let inner_w = block.inner(popup).width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled("filter: ", theme.key()),
        Span::raw(input.value().to_string()),
    ])];
    for binding in &shown {
        lines.push(Line::from(vec![
            Span::styled(fit(&binding.keys.join(", "), 14), theme.key()),
            Span::raw(fit(binding.help, inner_w.saturating_sub(14))),
        ]));
    }
    if shown.is_empty() {
        lines.push(Line::styled("no key matches", theme.dim()));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
