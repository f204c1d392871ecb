//! Drawing: reads the `App` and never changes it. One module per view.

mod calendar;
mod chart;
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

use crate::app::{Action, App, Focus, View};
use text::{field_window, fit};
pub use theme::Theme;

/// The tab bar, the body and the status bar, which takes a line more for each line of a
/// message too long to share the bar's line. Below three lines, only the status bar.
fn frame_areas(area: Rect, app: &App) -> (Rect, Rect, Rect) {
    if area.height < 3 {
        let status = Rect {
            height: area.height.min(1),
            ..area
        };
        return (Rect::default(), Rect::default(), status);
    }
    let above = text::coord(message_lines(app, area).len());
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1 + above),
    ])
    .areas(area);
    (tabs, body, status)
}

/// The status message's own lines above the bar, when it does not fit beside where the user
/// is: wrapped whole, up to a quarter of the screen (four lines at most); a longer one ends
/// with the key of the message log, which shows it whole.
fn message_lines(app: &App, area: Rect) -> Vec<String> {
    let Some(message) = &app.status else {
        return Vec::new();
    };
    if app.prompt().is_some() || app.question().is_some() {
        return Vec::new();
    }
    let width = area.width as usize;
    if bar_left(app).width() + message.width() + 2 <= width {
        return Vec::new();
    }
    let most = (area.height as usize / 4).clamp(1, 4);
    let wrapped: Vec<String> = text::wrap(Line::raw(format!(" {message}")), width, 1)
        .iter()
        .map(|line| line.to_string())
        .collect();
    if wrapped.len() <= most {
        return wrapped;
    }
    let key = app
        .keymap
        .view_keys(Action::Messages)
        .first()
        .map(|k| crate::app::keymap::shown(k))
        .unwrap_or_default();
    let more = format!(" ({key}: whole)");
    let mut lines: Vec<String> = wrapped.into_iter().take(most).collect();
    if let Some(last) = lines.last_mut() {
        let room = width.saturating_sub(more.width());
        *last = format!(
            "{}{more}",
            text::cut(&format!("{}…", last.trim_end()), room)
        );
    }
    lines
}

/// How many list rows the current view shows in a terminal of this size.
pub fn list_rows(area: Rect, app: &App) -> usize {
    let (_, body, _) = frame_areas(area, app);
    match app.view {
        View::Timeline => timeline::list_rows(body, app.detail_placement),
        View::People => body.height.saturating_sub(2) as usize,
        View::History => lists::history_rows(body),
        View::Stats => body.height as usize,
        View::Chart => chart::bars_that_fit(body),
    }
}

/// The row of the current list under a mouse click, if any.
pub fn row_at(area: Rect, app: &App, column: u16, row: u16) -> Option<usize> {
    let (_, body, _) = frame_areas(area, app);
    let position = Position { x: column, y: row };
    match app.view {
        View::Timeline => {
            let (list, _) = timeline::split(body, app.detail_placement);
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
            // Below the header and the column headings.
            let first = body.y + lists::HISTORY_HEADER + 1;
            let line = row.checked_sub(first)? as usize;
            (body.contains(position) && line < lists::history_rows(body))
                .then_some(app.history.list.scroll + line)
        }
        View::Stats => None,
        View::Chart => chart::bar_at(body, column, row),
    }
}

/// What a mouse click at (`column`, `row`) does: switch view on a tab, or select a row.
pub fn click_action(area: Rect, app: &App, column: u16, row: u16) -> Option<Action> {
    let (tabs, _, _) = frame_areas(area, app);
    if tabs.height > 0 && row == tabs.y {
        return tab_ranges()
            .into_iter()
            .find(|(_, from, to)| (*from..*to).contains(&(column as usize)))
            .map(|(view, _, _)| Action::Show(view));
    }
    row_at(area, app, column, row).map(Action::Select)
}

/// What the mouse wheel does at (`column`, `row`): scroll the detail when over it, else move
/// in the list.
pub fn wheel_action(area: Rect, app: &App, column: u16, row: u16, down: bool) -> Action {
    let (_, body, _) = frame_areas(area, app);
    let (_, detail) = timeline::split(body, app.detail_placement);
    if app.view == View::Timeline && detail.contains(Position { x: column, y: row }) {
        Action::ScrollDetail(down)
    } else if down {
        Action::Down
    } else {
        Action::Up
    }
}

const BRAND: &str = " attache ";

/// Each view's tab label and the columns it covers, as `draw_tabs` lays them out.
fn tab_ranges() -> Vec<(View, usize, usize)> {
    let mut x = BRAND.width();
    View::ALL
        .iter()
        .enumerate()
        .map(|(i, view)| {
            let label = tab_label(i, *view);
            let from = x + 1;
            x = from + label.width();
            (*view, from, x)
        })
        .collect()
}

fn tab_label(index: usize, view: View) -> String {
    format!(" {} {} ", index + 1, view.title())
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    let (tabs, body, status) = frame_areas(area, app);
    draw_tabs(frame, app, theme, tabs);
    if app.empty && app.view == View::Timeline {
        draw_welcome(frame, theme, body);
    } else {
        match app.view {
            View::Timeline => timeline::draw(frame, app, theme, body),
            View::People => lists::draw_people(frame, app, theme, body),
            View::History => lists::draw_history(frame, app, theme, body),
            View::Stats => lists::draw_stats(frame, app, theme, body),
            View::Chart => chart::draw(frame, app, theme, body),
        }
    }
    if let Some(entry) = app.form() {
        form::draw(frame, entry, &app.keymap, theme, app.date_style, body);
    }
    if let Some(person) = app.person_form() {
        // Six fields and a line of help: the view stays in sight under the form.
        let height = body.height.min(13);
        form::draw_person(frame, person, &app.keymap, theme, Rect { height, ..body });
    }
    if let (Some(prompt), Some(month)) = (app.prompt(), &app.calendar)
        && prompt.kind == crate::app::PromptKind::Date
    {
        calendar::draw(frame, month, theme, body);
    }
    draw_status(frame, app, theme, status);
    if let Some(help) = app.help() {
        draw_help(frame, app, help, theme, body);
    }
    if let Some(log) = app.message_log() {
        draw_messages(frame, app, log, theme, body);
    }
}

/// The message log over the body: every message kept, whole, the newest at the bottom.
fn draw_messages(
    frame: &mut Frame,
    app: &App,
    log: &crate::app::MessageLog,
    theme: &Theme,
    area: Rect,
) {
    let width = area.width.saturating_sub(2).min(100);
    if width < 10 || area.height < 3 {
        return;
    }
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.heading())
        .title(Span::styled(
            " Messages, newest last — j/k scroll · Esc closes ",
            theme.heading(),
        ));
    let inner = block.inner(popup);
    let lines: Vec<Line> = app
        .messages
        .iter()
        .flat_map(|message| text::wrap(Line::raw(format!("· {message}")), inner.width as usize, 2))
        .collect();
    let room = inner.height as usize;
    let end = lines
        .len()
        .saturating_sub(log.back.min(lines.len().saturating_sub(room)));
    let shown: Vec<Line> = lines[end.saturating_sub(room)..end].to_vec();
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(shown).block(block), popup);
}

fn draw_tabs(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 {
        return;
    }
    let mut spans = vec![Span::styled(BRAND, theme.heading())];
    for (i, view) in View::ALL.iter().enumerate() {
        let style = if *view == app.view {
            theme.selected(true)
        } else {
            theme.dim()
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(tab_label(i, *view), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let discarding = app.form().is_some_and(|f| f.confirm_discard).then_some((
        "Discard your changes?",
        " y discards, any other key goes back to the form",
    ));
    let asked = app
        .question()
        .map(|q| (q.subject.as_str(), q.choices))
        .or(discarding);
    if let Some((subject, choices)) = asked {
        // The subject gives way before the choices do.
        let room = (area.width as usize).saturating_sub(choices.width() + 1);
        let text = format!(" {}{}", text::cut(subject, room), choices);
        frame.render_widget(
            Paragraph::new(Line::styled(fit(&text, area.width as usize), theme.error())),
            area,
        );
        return;
    }
    if let Some(prompt) = app.prompt() {
        let label = prompt.label();
        let width = area.width as usize;
        let after = match &prompt.error {
            Some(error) => Some((format!("  {error}"), theme.error())),
            None if prompt.kind == crate::app::PromptKind::Filter
                && prompt.input.value().is_empty() =>
            {
                Some((crate::app::filter::hint(), theme.dim()))
            }
            // The search's count, or why nothing matches, as it is typed.
            None if matches!(prompt.kind, crate::app::PromptKind::Search(_)) => app
                .status
                .as_ref()
                .map(|said| (format!("  {said}"), theme.dim())),
            None => prompt.hint.clone().map(|hint| (hint, theme.dim())),
        };
        // The value gets what the label leaves, less room for a message after it.
        let room = width.saturating_sub(label.width()).max(1);
        let value_width = match &after {
            Some((text, _)) => room.saturating_sub(text.width()).max(room / 2).max(1),
            None => room,
        };
        let (shown, cursor) = field_window(&prompt.input, value_width);
        let value = shown.trim_end().to_string();
        let mut spans = vec![
            Span::styled(label, theme.key()),
            if prompt.selected {
                Span::styled(value, theme.selected(true))
            } else {
                Span::raw(value)
            },
        ];
        if let Some((text, style)) = after {
            spans.push(Span::styled(text, style));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        let x = area.x + text::coord(label.width() + cursor).min(area.width.saturating_sub(1));
        frame.set_cursor_position(Position { x, y: area.y });
        return;
    }
    // A form shows its keys in its frame: the bar says only what is being edited.
    let left = bar_left(app);
    let hints = app.form().is_none() && app.person_form().is_none();
    let width = area.width as usize;
    let above = message_lines(app, frame.area());
    // A message shares the bar's line where it fits whole beside where the user is, else it
    // has lines of its own above it; the hints, most needed first, as many as fit beside the
    // left.
    let right = match &app.status {
        Some(message) if above.is_empty() => message.clone(),
        _ if hints => fitting_hints(app, width.saturating_sub(left.width() + 2)),
        _ => String::new(),
    };
    let right_w = right.width().min(width.saturating_sub(left.width()));
    let text = format!("{}{}", fit(&left, width - right_w), fit(&right, right_w));
    let error = app
        .status
        .as_deref()
        .is_some_and(|s| s.starts_with("error"));
    let style = if error { theme.error() } else { theme.bar() };
    let mut lines: Vec<Line> = above
        .iter()
        .map(|line| Line::styled(fit(line, width), style))
        .collect();
    lines.push(Line::styled(text, style));
    frame.render_widget(Paragraph::new(lines), area);
}

/// What the bar says on the left: where the user is, or what the form edits.
fn bar_left(app: &App) -> String {
    match (app.form(), app.person_form()) {
        (Some(entry), _) => match entry.editing {
            Some(number) => format!(" Editing #{number}"),
            None => " Adding an event".to_string(),
        },
        (None, Some(person)) => format!(" Editing {}", person.fields[0].value()),
        (None, None) => status_left(app),
    }
}

/// The keys of the view and pane in use, most needed first, as "key:what" (as lazygit and htop
/// show theirs), from the bindings in force; an action left without a key is left out.
pub fn key_hints(app: &App) -> Vec<String> {
    use Action::*;
    let mut wanted: Vec<(Action, &str)> = vec![(Help, "help")];
    wanted.extend_from_slice(match app.view {
        View::Timeline if app.timeline.focus == Focus::Detail => &[
            (NextFocus, "list"),
            (OpenLink, "link"),
            (CopyCitation, "cite"),
            (Edit, "edit"),
            (Show(View::History), "history"),
        ],
        View::Timeline => &[
            (Search, "search"),
            (Filter, "filter"),
            (JumpToDate, "date"),
            (NextFocus, "detail"),
            (Add, "add"),
            (Edit, "edit"),
            (OpenLink, "link"),
            (Export, "export"),
        ],
        View::People => &[
            (Open, "history"),
            (Search, "search"),
            (CycleSort, "sort"),
            (Edit, "edit"),
            (Merge, "merge"),
            (Export, "export"),
        ],
        View::History => &[
            (Open, "open"),
            (Search, "search"),
            (Export, "export"),
            (Show(View::Timeline), "timeline"),
        ],
        View::Stats => &[(Left, "column"), (Open, "open"), (Filter, "filter")],
        View::Chart => &[
            (Left, "period"),
            (ZoomIn, "shorter"),
            (ZoomOut, "longer"),
            (Open, "brush"),
            (Filter, "filter"),
        ],
    });
    wanted.push((Quit, "quit"));
    wanted
        .into_iter()
        .filter(|(action, _)| *action != NextFocus || app.timeline.detail.is_some())
        .filter_map(|(action, what)| {
            let key = app.keymap.view_keys(action).first()?;
            // A letter is shown as typed: "f", not "F", which is another key.
            let key = if key.chars().count() == 1 {
                key.clone()
            } else {
                crate::app::keymap::shown(key)
            };
            // Left and right move together: one hint for both.
            let key = match (action, app.keymap.view_keys(Right).first()) {
                (Left, Some(right)) => format!("{key}{}", crate::app::keymap::shown(right)),
                _ => key,
            };
            Some(format!("{key}:{what}"))
        })
        .collect()
}

/// As many of the view's key hints as fit in `room` columns, two spaces apart.
fn fitting_hints(app: &App, room: usize) -> String {
    let mut said = String::new();
    for hint in key_hints(app) {
        if said.width() + hint.width() + 2 > room {
            break;
        }
        said.push_str(&hint);
        said.push_str("  ");
    }
    if said.is_empty() {
        return said;
    }
    said.trim_end().to_string() + " "
}

/// "Timeline 3 / 26 · list · filter: … · /search": where the user is.
fn status_left(app: &App) -> String {
    let mut left = format!(" {} {}", app.view.title(), app.position_label());
    match app.view {
        View::Timeline => {
            if app.timeline.detail.is_some() {
                left.push_str(match app.timeline.focus {
                    Focus::List => " · list",
                    Focus::Detail => " · detail (Tab: list)",
                });
            }
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
        View::People if !app.people.search.is_empty() => {
            left.push_str(&format!(" · /{}", app.people.search));
        }
        View::History if !app.history.list.search.is_empty() => {
            left.push_str(&format!(" · /{}", app.history.list.search));
        }
        View::Chart => left = format!(" Chart {}", app.chart.unit.count(app.chart.periods)),
        View::Stats if !app.stats.filter_text.is_empty() => {
            left.push_str(&format!(" · filter: {}", app.stats.filter_text));
        }
        _ => {}
    }
    left
}

fn draw_welcome(frame: &mut Frame, theme: &Theme, area: Rect) {
    let lines = vec![
        Line::styled("Welcome to attache", theme.heading()),
        Line::raw(""),
        Line::raw("This database has no events yet."),
        Line::raw(""),
        Line::from(vec![
            Span::styled("S", theme.key()),
            Span::raw("  load the bundled seed data: US–Russia envoy meetings of 2025 and 2026"),
        ]),
        Line::from(vec![
            Span::styled("a", theme.key()),
            Span::raw("  add an event with the entry form"),
        ]),
        Line::raw(""),
        Line::raw("From a shell:"),
        Line::from(vec![Span::styled(
            format!("attache add {WELCOME_ADD}"),
            theme.key(),
        )]),
        Line::raw("   adds an event, creating its people; attache import FILE loads CSV or JSON"),
        Line::from(vec![
            Span::styled("?", theme.key()),
            Span::raw("  every key     "),
            Span::styled("q", theme.key()),
            Span::raw("  quit"),
        ]),
    ];
    let height = text::coord(lines.len()).min(area.height);
    let top = area.y + area.height.saturating_sub(height) / 2;
    let centred = Rect {
        x: area.x + 2.min(area.width),
        y: top,
        width: area.width.saturating_sub(4),
        height,
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), centred);
}

/// The arguments of the `attache add` the welcome screen shows; a test runs them on an empty
/// database.
pub const WELCOME_ADD: &str = "--date 2025-04-11 --title \"Witkoff meets Putin\" --participant \"Vladimir Putin:RU\" --participant \"Steve Witkoff:US\" --create-people";

/// Every line of the help: the about line, the bindings in force, the filter's keys, and the
/// keys of the form, the questions and the mouse; filtered by what was typed.
pub fn help_lines(app: &App, filter: &str) -> Vec<(String, String)> {
    let filter = filter.to_lowercase();
    let mut rows: Vec<(String, String)> = app
        .keymap
        .rows()
        .map(|(keys, help)| (keys, help.to_string()))
        .collect();
    rows.push((
        "f then".into(),
        format!("{} and words", crate::app::filter::key_list()),
    ));
    rows.extend(
        crate::app::keymap::FIXED
            .iter()
            .map(|(k, h)| ((*k).to_string(), (*h).to_string())),
    );
    rows.retain(|(keys, help)| {
        filter.is_empty()
            || keys.to_lowercase().contains(&filter)
            || help.to_lowercase().contains(&filter)
    });
    rows
}

fn draw_help(frame: &mut Frame, app: &App, help: &crate::app::Help, theme: &Theme, area: Rect) {
    let shown = help_lines(app, help.filter.value());
    // As wide as the longest line needs, within the screen, and never narrower than 80
    // columns where the screen has them.
    let widest = |width: fn(&(String, String)) -> usize| shown.iter().map(width).max();
    let needed =
        widest(|(k, _)| k.width()).unwrap_or(0) + 1 + widest(|(_, t)| t.width()).unwrap_or(0) + 2;
    let width = area
        .width
        .saturating_sub(2)
        .min(text::coord(needed).max(80));
    let height = area.height;
    if width < 10 || height < 4 {
        return;
    }
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y,
        width,
        height,
    };
    let title = if help.filtering {
        " Keys — type to filter, Enter keeps it "
    } else {
        " Keys — / filter · j/k scroll · Esc closes "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.heading())
        .title(Span::styled(title, theme.heading()));
    let inner = block.inner(popup);
    let inner_w = inner.width as usize;
    let key_w = shown
        .iter()
        .map(|(k, _)| k.width())
        .max()
        .unwrap_or(0)
        .min(inner_w / 3);
    let mut about = format!("attache {}", env!("CARGO_PKG_VERSION"));
    if !app.database.is_empty() {
        about.push_str(&format!(" · database {}", app.database));
    }
    let mut head = vec![Line::styled(text::cut(&about, inner_w), theme.dim())];
    if help.filtering || !help.filter.value().is_empty() {
        head.push(Line::from(vec![
            Span::styled("/", theme.key()),
            Span::raw(help.filter.value().to_string()),
        ]));
    }
    let room = (inner.height as usize).saturating_sub(head.len());
    // A line longer than the box goes on under its own text, never cut.
    let body: Vec<Line> = shown
        .iter()
        .flat_map(|(keys, text)| {
            let line = Line::from(vec![
                Span::styled(fit(keys, key_w), theme.key()),
                Span::raw(" "),
                Span::raw(text.clone()),
            ]);
            text::wrap(line, inner_w, key_w + 1)
        })
        .collect();
    let scroll = help.scroll.min(body.len().saturating_sub(room));
    let mut lines = head;
    lines.extend(body.into_iter().skip(scroll).take(room));
    if shown.is_empty() {
        lines.push(Line::styled("no key matches", theme.dim()));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
