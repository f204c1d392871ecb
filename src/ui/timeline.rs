//! The timeline: events grouped under month headings, and the selected event's detail.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use unicode_width::UnicodeWidthStr;

use super::text::{coord, cut, fit, wrap};
use super::theme::Theme;
use crate::app::{App, Focus, TimelineRow, row_matches};
use crate::config::DetailPlacement;
use crate::domain::{Precision, Status};

/// Wide enough for the list and the detail side by side.
const SIDE_BY_SIDE: u16 = 110;

/// The list's area and the detail's.
pub fn split(area: Rect, placement: DetailPlacement) -> (Rect, Rect) {
    let beside = match placement {
        DetailPlacement::Auto => area.width >= SIDE_BY_SIDE,
        DetailPlacement::Right => true,
        DetailPlacement::Below => false,
    };
    if beside {
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
pub fn list_rows(area: Rect, placement: DetailPlacement) -> usize {
    split(area, placement).0.height.saturating_sub(1) as usize
}

/// The heading an event falls under: "April 2025", or "2025" for dates known to the year.
fn heading(row: &TimelineRow) -> String {
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
                // A heading with no room for a row under it would be a label for nothing.
                if lines.len() + 1 >= height {
                    break;
                }
                lines.push(None);
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
    number: usize,
    date: usize,
    kind: usize,
    title: usize,
    place: usize,
    heads: usize,
    badge: usize,
}

/// The least width of each column that gives way, and of the title.
const TITLE_AT_LEAST: usize = 16;
const HEADS_AT_LEAST: usize = 10;
const PLACE_AT_LEAST: usize = 8;
const KIND: usize = 7;
const DATE: usize = 11;

/// Column widths for a list `width` wide. DATE and TITLE always show; the others give way as
/// the width shrinks, in this order, the first to go first:
///
/// 1. KIND: the title says what happened ("meets", "phone call", "talks");
/// 2. PLACE;
/// 3. `#`, the event's number that messages and commands use;
/// 4. HEADS with NTH, together: an ordinal means nothing without the pair it counts.
///
/// At 80 columns and wider every column shows. A column kept has at least its least width;
/// what is left widens HEADS and PLACE to a fair share, the title to its own, then HEADS and
/// PLACE to their widest loaded value, and the rest goes to the title. Widths are display
/// widths, so that co-heads and Cyrillic or CJK names keep the columns aligned.
fn columns(width: usize, rows: &[TimelineRow]) -> Columns {
    let widest = |value: &dyn Fn(&TimelineRow) -> usize| rows.iter().map(value).max().unwrap_or(0);
    let number = widest(&|r| number_label(r.event.id).width()).max(1);
    let badge = widest(&|r| r.badge.width()).clamp(3, 7);
    let heads_wanted = widest(&|r| r.heads.width()).clamp(HEADS_AT_LEAST, 26);
    let place_wanted = widest(&|r| r.event.place.short().width()).clamp(PLACE_AT_LEAST, 20);
    // Each column after the first has a space before it.
    let mut giving = [
        KIND + 1,
        PLACE_AT_LEAST + 1,
        number + 1,
        HEADS_AT_LEAST + 1 + badge + 1,
    ];
    let fixed = DATE + TITLE_AT_LEAST + 1;
    for first in 0..giving.len() {
        if fixed + giving.iter().sum::<usize>() > width {
            giving[first] = 0;
        }
    }
    let [kind, place, number, heads] = giving;
    let mut spare = width.saturating_sub(fixed + kind + place + number + heads);
    let mut title = TITLE_AT_LEAST;
    // Widens a column towards `to`, as far as the spare room goes.
    let grow = |column: &mut usize, to: usize, spare: &mut usize| {
        let by = to.saturating_sub(*column).min(*spare);
        *column += by;
        *spare -= by;
    };
    let (mut heads_w, mut place_w) = (HEADS_AT_LEAST, PLACE_AT_LEAST);
    if heads > 0 {
        grow(&mut heads_w, heads_wanted.min(17), &mut spare);
    }
    if place > 0 {
        grow(&mut place_w, place_wanted.min(14), &mut spare);
    }
    grow(&mut title, 24, &mut spare);
    if heads > 0 {
        grow(&mut heads_w, heads_wanted, &mut spare);
    }
    if place > 0 {
        grow(&mut place_w, place_wanted, &mut spare);
    }
    title += spare;
    Columns {
        number: number.saturating_sub(1),
        date: DATE,
        kind: kind.saturating_sub(1),
        title,
        place: if place > 0 { place_w } else { 0 },
        heads: if heads > 0 { heads_w } else { 0 },
        badge: if heads > 0 { badge } else { 0 },
    }
}

/// "#12", as messages and commands name an event.
fn number_label(id: i64) -> String {
    format!("#{id}")
}

fn cells(c: &Columns, values: [&str; 7]) -> Vec<String> {
    let widths = [c.number, c.date, c.kind, c.title, c.place, c.heads, c.badge];
    widths
        .iter()
        .zip(values)
        .enumerate()
        .filter(|(_, (w, _))| **w > 0)
        .map(|(i, (w, v))| {
            // Numbers line up on the right.
            if i == 0 {
                format!("{}{}", " ".repeat(w.saturating_sub(v.width())), cut(v, *w))
            } else {
                fit(v, *w)
            }
        })
        .collect()
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area, app.detail_placement);
    draw_list(frame, app, theme, list_area);
    draw_detail(frame, app, theme, detail_area);
}

fn draw_list(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let c = columns(width, &app.timeline.rows);
    let mut lines = vec![Line::styled(
        cells(&c, ["#", "DATE", "KIND", "TITLE", "PLACE", "HEADS", "NTH"]).join(" "),
        theme.dim(),
    )];
    let focused = app.timeline.focus == Focus::List;
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
    row: &'a TimelineRow,
    focused: bool,
) -> Line<'a> {
    let event = &row.event;
    let title = event.title_with_status();
    let text = cells(
        c,
        [
            &number_label(event.id),
            &event.date.display(app.date_style),
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
    let focused = app.timeline.focus == Focus::Detail;
    let style = if focused {
        theme.heading()
    } else {
        theme.dim()
    };
    let number = app
        .timeline
        .detail
        .as_ref()
        .map(|d| format!(" {}", number_label(d.event.id)))
        .unwrap_or_default();
    let title = if focused {
        format!(" Detail{number} (focused; Tab: list) ")
    } else {
        format!(" Detail{number} ")
    };
    let block = Block::default()
        .borders(borders)
        .border_style(style)
        .title(Span::styled(title, style));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(detail) = app.timeline.detail.as_ref() else {
        return;
    };
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    // Addresses go on lines of their own, never wrapped: (line index, address, indent).
    let mut links: Vec<(usize, String, usize)> = Vec::new();
    for (line, indent) in detail_lines(app, detail, theme) {
        match line {
            DetailLine::Text(line) => lines.extend(wrap(line, width, indent)),
            DetailLine::Url(url) => {
                links.push((lines.len(), url.clone(), indent));
                lines.push(Line::styled(
                    format!(
                        "{}{}",
                        " ".repeat(indent),
                        cut(&url, width.saturating_sub(indent))
                    ),
                    theme.dim(),
                ));
            }
        }
    }
    let scroll = (app.timeline.detail_scroll as usize).min(lines.len().saturating_sub(1));
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
    if theme.hyperlinks {
        for (at, url, indent) in links {
            if let Some(row) = at
                .checked_sub(scroll)
                .filter(|r| *r < inner.height as usize)
            {
                let x = inner.x + coord(indent);
                let y = inner.y + coord(row);
                let visible = cut(&url, width.saturating_sub(indent));
                hyperlink(frame.buffer_mut(), x, y, &visible, &url);
            }
        }
    }
}

/// Turns the text already drawn at (`x`, `y`) into a terminal hyperlink (OSC 8) to `url`.
/// Each cell carries its own link, two characters at a time: ratatui counts the escape
/// sequences as width, and this keeps its idea of the columns right (the method of ratatui's
/// hyperlink example).
fn hyperlink(buffer: &mut ratatui::buffer::Buffer, x: u16, y: u16, text: &str, url: &str) {
    let url: String = url.chars().filter(|c| !c.is_control()).collect();
    let chars: Vec<char> = text.chars().collect();
    for (i, pair) in chars.chunks(2).enumerate() {
        let column = x.saturating_add(coord(i * 2));
        if column >= buffer.area.right() {
            break;
        }
        let text: String = pair.iter().collect();
        let linked = format!("\x1b]8;;{url}\x07{text}\x1b]8;;\x07");
        buffer[(column, y)].set_symbol(&linked);
    }
}

enum DetailLine {
    Text(Line<'static>),
    Url(String),
}

/// The detail's lines before wrapping, each with the indent its continuations take.
fn detail_lines(
    app: &App,
    detail: &crate::app::EventDetail,
    theme: &Theme,
) -> Vec<(DetailLine, usize)> {
    let focused = app.timeline.focus == Focus::Detail;
    let event = &detail.event;
    let text = |line: Line<'static>, indent: usize| (DetailLine::Text(line), indent);
    let mut lines = vec![text(Line::styled(event.title.clone(), theme.bold()), 0)];
    let mut when = event.date.display_long(app.date_style);
    if let Some(end) = &event.end_date {
        when.push_str(&format!(" – {}", end.display_long(app.date_style)));
    }
    let status_style = match event.status {
        Status::Planned => theme.planned(),
        Status::Cancelled => theme.cancelled(),
        _ => theme.plain(),
    };
    lines.push(text(
        Line::from(vec![
            Span::raw(format!("{when} · {} · {} · ", event.kind, event.mode)),
            Span::styled(event.status.to_string(), status_style),
        ]),
        0,
    ));
    let place = event.place.with_venue(" · ");
    if !place.is_empty() {
        lines.push(text(Line::raw(place), 0));
    }
    let facts = &detail.facts;
    for ordinal in facts.ordinals.iter().chain(&facts.firsts) {
        lines.push(text(Line::styled(ordinal.clone(), theme.ordinal()), 2));
    }
    for visit in &facts.visits {
        lines.push(text(Line::raw(visit.clone()), 2));
    }
    for trip in &facts.trips {
        lines.push(text(Line::styled(trip.clone(), theme.dim()), 2));
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
            lines.push(text(Line::from(spans), 6));
            member_index += 1;
        }
    }
    for side in &event.unnamed_sides {
        lines.push(text(
            Line::from(vec![
                Span::styled(format!("{side:<3} "), theme.bold()),
                Span::styled("delegation (members not named)", theme.dim()),
            ]),
            4,
        ));
    }
    if !facts.claims.is_empty() || !facts.counts.is_empty() {
        lines.push(text(
            Line::styled("What the sources say", theme.heading()),
            0,
        ));
        for check in &facts.counts {
            let style = match (check.agrees, &check.disputed) {
                (true, _) => theme.ordinal(),
                (false, Some(_)) => theme.plain(),
                (false, None) => theme.error(),
            };
            lines.push(text(Line::styled(format!("  {}", check.line()), style), 4));
        }
        for group in &facts.claims {
            let style = if group.disputed {
                theme.error()
            } else {
                theme.plain()
            };
            lines.push(text(Line::styled(format!("  {}", group.line()), style), 4));
        }
    }
    if !detail.related.is_empty() {
        lines.push(text(Line::styled("Around it", theme.heading()), 0));
        for related in &detail.related {
            lines.push(text(Line::raw(format!("  {related}")), 4));
        }
    }
    if !facts.sources.is_empty() {
        lines.push(text(Line::styled("Sources", theme.heading()), 0));
        for (source, url) in &facts.sources {
            lines.push(text(Line::raw(format!("  {source}")), 4));
            if !url.is_empty() {
                lines.push((DetailLine::Url(url.clone()), 4));
            }
        }
    }
    if !event.notes.trim().is_empty() {
        lines.push(text(Line::styled("Notes", theme.heading()), 0));
        lines.extend(
            event
                .notes
                .lines()
                .map(|l| text(Line::raw(format!("  {l}")), 2)),
        );
    }
    lines
}
