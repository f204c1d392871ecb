//! The timeline: events grouped under month headings, and the selected event's detail.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::text::fit;
use super::theme::Theme;
use crate::app::{App, Focus, Row, row_matches};
use crate::domain::{Precision, Status};

/// Wide enough for the list and the detail side by side.
const SIDE_BY_SIDE: u16 = 110;

/// The list's area and the detail's.
pub fn split(area: Rect) -> (Rect, Rect) {
    if area.width >= SIDE_BY_SIDE {
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(area);
        (list, detail)
    } else {
        let [list, detail] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        (list, detail)
    }
}

/// Rows of events the list shows in `area` (one line goes to the column header).
pub fn list_rows(area: Rect) -> usize {
    split(area).0.height.saturating_sub(1) as usize
}

/// The heading an event falls under: "April 2025", or "2025" for dates known to the year.
fn heading(row: &Row) -> String {
    let date = row.event.date;
    match date.precision() {
        Precision::Year => date.first().year().to_string(),
        Precision::Day | Precision::Month => date.first().format("%B %Y").to_string(),
    }
}

/// What each line of the list shows: a month heading (`None`) or a row index.
pub fn layout_lines(app: &App, height: usize) -> Vec<Option<usize>> {
    let timeline = &app.timeline;
    let build = |start: usize| {
        let mut lines = Vec::new();
        let mut previous: Option<String> = None;
        let mut index = start;
        while lines.len() < height {
            let Some(row) = timeline.row(index) else {
                break;
            };
            let month = heading(row);
            if previous.as_ref() != Some(&month) {
                lines.push(None);
                if lines.len() >= height {
                    break;
                }
                previous = Some(month);
            }
            lines.push(Some(index));
            index += 1;
        }
        lines
    };
    let mut start = timeline.scroll.min(timeline.selected);
    let mut lines = build(start);
    // Headings take lines too: move down until the selection shows.
    while start < timeline.selected && !lines.contains(&Some(timeline.selected)) {
        start += 1;
        lines = build(start);
    }
    lines
}

struct Columns {
    date: usize,
    kind: usize,
    title: usize,
    place: usize,
    heads: usize,
    badge: usize,
}

fn columns(width: usize) -> Columns {
    let (place, heads, kind) = match width {
        w if w >= 90 => (16, 17, 7),
        w if w >= 70 => (12, 14, 7),
        w if w >= 50 => (0, 0, 7),
        _ => (0, 0, 0),
    };
    let date = 11;
    let badge = if width >= 40 { 7 } else { 0 };
    let used = date + kind + place + heads + badge;
    let gaps = [kind, place, heads, badge]
        .iter()
        .filter(|w| **w > 0)
        .count()
        + 1;
    Columns {
        date,
        kind,
        title: width.saturating_sub(used + gaps),
        place,
        heads,
        badge,
    }
}

fn cells(c: &Columns, values: [&str; 6]) -> Vec<String> {
    let widths = [c.date, c.kind, c.title, c.place, c.heads, c.badge];
    widths
        .iter()
        .zip(values)
        .filter(|(w, _)| **w > 0)
        .map(|(w, v)| fit(v, *w))
        .collect()
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area);
    draw_list(frame, app, theme, list_area);
    draw_detail(frame, app, theme, detail_area);
}

fn draw_list(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let c = columns(width);
    let mut lines = vec![Line::styled(
        cells(&c, ["DATE", "KIND", "TITLE", "PLACE", "HEADS", "NTH"]).join(" "),
        theme.dim(),
    )];
    let focused = app.focus == Focus::List;
    let layout = layout_lines(app, area.height.saturating_sub(1) as usize);
    for (at, entry) in layout.iter().enumerate() {
        let line = match entry.and_then(|i| app.timeline.row(i).map(|r| (i, r))) {
            Some((index, row)) => row_line(app, theme, &c, index, row, focused),
            None => {
                let label = layout[at..]
                    .iter()
                    .find_map(|l| l.and_then(|i| app.timeline.row(i)))
                    .map(heading)
                    .unwrap_or_default();
                Line::styled(rule(&label, width), theme.heading())
            }
        };
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// "── April 2025 ─────" across the width.
fn rule(label: &str, width: usize) -> String {
    let head = format!("── {label} ");
    let used = unicode_width::UnicodeWidthStr::width(head.as_str());
    fit(
        &format!("{head}{}", "─".repeat(width.saturating_sub(used))),
        width,
    )
}

fn row_line<'a>(
    app: &App,
    theme: &Theme,
    c: &Columns,
    index: usize,
    row: &'a Row,
    focused: bool,
) -> Line<'a> {
    let event = &row.event;
    let title = event.title_with_status();
    let text = cells(
        c,
        [
            &event.date.display(),
            event.kind.as_str(),
            &title,
            &event.place.short(),
            &row.heads,
            &row.badge,
        ],
    )
    .join(" ");
    let mut style = match event.status {
        Status::Planned => theme.planned(),
        Status::Cancelled => theme.cancelled(),
        Status::Reported | Status::Confirmed => theme.plain(),
    };
    if !app.timeline.search.trim().is_empty() && row_matches(row, &app.timeline.search) {
        style = style.patch(theme.matched());
    }
    if index == app.timeline.selected {
        style = style.patch(theme.selected(focused));
    }
    Line::styled(text, style)
}

fn draw_detail(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let side_by_side = area.width < frame.area().width;
    let borders = if side_by_side {
        Borders::LEFT
    } else {
        Borders::TOP
    };
    let focused = app.focus == Focus::Detail;
    let block = Block::default()
        .borders(borders)
        .border_style(if focused {
            theme.heading()
        } else {
            theme.dim()
        })
        .title(Span::styled(
            " Detail ",
            if focused {
                theme.heading()
            } else {
                theme.dim()
            },
        ));
    let Some(detail) = app.timeline.detail.as_ref() else {
        frame.render_widget(Paragraph::new("").block(block), area);
        return;
    };
    let event = &detail.event;
    let mut lines: Vec<Line> = vec![Line::styled(event.title.clone(), theme.bold())];
    let mut when = event.date.display_long();
    if let Some(end) = &event.end_date {
        when.push_str(&format!(" – {}", end.display_long()));
    }
    let status_style = match event.status {
        Status::Planned => theme.planned(),
        Status::Cancelled => theme.cancelled(),
        _ => theme.plain(),
    };
    lines.push(Line::from(vec![
        Span::raw(format!("{when} · {} · {} · ", event.kind, event.mode)),
        Span::styled(event.status.to_string(), status_style),
    ]));
    let place = event.place.with_venue(" · ");
    if !place.is_empty() {
        lines.push(Line::raw(place));
    }
    for ordinal in &detail.ordinals {
        let mut text = ordinal.sentence.clone();
        if let Some(previous) = &ordinal.previous {
            text.push_str(&format!(
                " · {}",
                previous.replacen("previous: ", "previous ", 1)
            ));
        }
        lines.push(Line::styled(text, theme.ordinal()));
    }
    for visit in &detail.visits {
        lines.push(Line::raw(visit.clone()));
    }
    let mut member_index = 0;
    for (side, members) in &detail.sides {
        for (i, member) in members.iter().enumerate() {
            let label = if i == 0 {
                format!("{side:<3} ")
            } else {
                "    ".to_string()
            };
            let mut spans = vec![Span::styled(label, theme.bold())];
            let name_style = if focused && member_index == app.timeline.member {
                theme.selected(true)
            } else if member.head {
                theme.bold()
            } else {
                theme.plain()
            };
            spans.push(Span::styled(member.name.clone(), name_style));
            if member.head {
                spans.push(Span::styled(" ★ head", theme.ordinal()));
            }
            if !member.title.is_empty() {
                spans.push(Span::styled(format!(" · {}", member.title), theme.dim()));
            }
            lines.push(Line::from(spans));
            member_index += 1;
        }
    }
    if !detail.related.is_empty() {
        lines.push(Line::styled("Around it", theme.heading()));
        for related in &detail.related {
            lines.push(Line::raw(format!("  {related}")));
        }
    }
    if !event.sources.is_empty() {
        lines.push(Line::styled("Sources", theme.heading()));
        for source in &event.sources {
            lines.push(Line::raw(format!("  {}", source.attribution())));
            if !source.url.is_empty() {
                lines.push(Line::styled(format!("    {}", source.url), theme.dim()));
            }
        }
    }
    if !event.notes.trim().is_empty() {
        lines.push(Line::styled("Notes", theme.heading()));
        lines.extend(event.notes.lines().map(|l| Line::raw(format!("  {l}"))));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.timeline.detail_scroll, 0)),
        area,
    );
}
