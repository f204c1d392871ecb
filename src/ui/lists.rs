//! The people list, a person's history, and the stats view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::text::fit;
use super::theme::Theme;
use crate::app::App;
use crate::domain::counting::surname;

/// Lines of `rows` from `scroll`, the selected one highlighted.
fn visible<'a>(
    rows: Vec<Line<'a>>,
    scroll: usize,
    selected: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    rows.into_iter()
        .enumerate()
        .skip(scroll)
        .take(height)
        .map(|(i, line)| {
            if i == selected {
                line.patch_style(theme.selected(true))
            } else {
                line
            }
        })
        .collect()
}

pub fn draw_people(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let (name_w, country_w, events_w, seen_w) = (24.min(width), 4, 7, 12);
    let title_w = width.saturating_sub(name_w + country_w + events_w + seen_w + 4);
    let row = |name: &str, country: &str, title: &str, events: &str, seen: &str| {
        [
            fit(name, name_w),
            fit(country, country_w),
            fit(title, title_w),
            format!("{events:>6} "),
            fit(seen, seen_w),
        ]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    };
    let people = &app.people;
    let header = format!("sorted by {} (s)", people.sort.label());
    let mut lines = vec![Line::styled(
        row("NAME", "CC", "TITLE", "EVENTS", "LAST SEEN"),
        theme.dim(),
    )];
    let rows: Vec<Line> = people
        .people
        .iter()
        .map(|p| {
            let country = p
                .person
                .country
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default();
            let seen = p
                .last_seen
                .map(|d| d.format("%-d %b %Y").to_string())
                .unwrap_or_default();
            Line::raw(row(
                &p.person.name,
                &country,
                &p.person.current_title(),
                &p.events.to_string(),
                &seen,
            ))
        })
        .collect();
    lines.extend(visible(
        rows,
        people.scroll,
        people.selected,
        area.height.saturating_sub(2) as usize,
        theme,
    ));
    if people.people.is_empty() {
        lines.push(Line::styled("no people yet", theme.dim()));
    }
    let [body, footer] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    frame.render_widget(Paragraph::new(lines), body);
    frame.render_widget(Paragraph::new(Line::styled(header, theme.dim())), footer);
}

/// Lines above the history's event list.
const HISTORY_HEADER: u16 = 4;

pub fn history_rows(area: Rect) -> usize {
    area.height.saturating_sub(HISTORY_HEADER + 1) as usize
}

pub fn draw_history(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let history = &app.history;
    let Some(person) = history.person.as_ref() else {
        frame.render_widget(
            Paragraph::new(
                "Select a person in People (2) or an event in the timeline (1), then press 3.",
            )
            .style(theme.dim()),
            area,
        );
        return;
    };
    let [header, list] =
        Layout::vertical([Constraint::Length(HISTORY_HEADER), Constraint::Fill(1)]).areas(area);
    let mut name = vec![Span::styled(person.name.clone(), theme.heading())];
    if !person.native_name.is_empty() {
        name.push(Span::raw(format!("  {}", person.native_name)));
    }
    if let Some(country) = &person.country {
        name.push(Span::styled(format!("  {country}"), theme.dim()));
    }
    let met: Vec<String> = history
        .counterparts
        .iter()
        .filter(|c| c.face_to_face > 0)
        .take(6)
        .map(|c| format!("{} ×{}", c.name, c.face_to_face))
        .collect();
    let header_lines = vec![
        Line::from(name),
        Line::styled(person.current_title(), theme.dim()),
        Line::from(vec![
            Span::styled("Met most: ", theme.bold()),
            Span::styled(
                if met.is_empty() {
                    "nobody face to face".to_string()
                } else {
                    met.join(" · ")
                },
                theme.ordinal(),
            ),
        ]),
        Line::styled(format!("{} events", history.rows.len()), theme.dim()),
    ];
    frame.render_widget(Paragraph::new(header_lines), header);
    let width = list.width as usize;
    let date_w = 11;
    let title_w = (width.saturating_sub(date_w + 1) * 2 / 5).max(10);
    let notes_w = width.saturating_sub(date_w + title_w + 2);
    let mut lines = vec![Line::styled(
        format!(
            "{} {} {}",
            fit("DATE", date_w),
            fit("EVENT", title_w),
            fit("ORDINAL", notes_w)
        ),
        theme.dim(),
    )];
    let rows: Vec<Line> = history
        .rows
        .iter()
        .map(|row| {
            Line::from(vec![
                Span::raw(format!(
                    "{} {} ",
                    fit(&row.event.date.display(), date_w),
                    fit(&row.event.title, title_w)
                )),
                Span::styled(fit(&row.notes.join("; "), notes_w), theme.ordinal()),
            ])
        })
        .collect();
    lines.extend(visible(
        rows,
        history.scroll,
        history.selected,
        list.height.saturating_sub(1) as usize,
        theme,
    ));
    frame.render_widget(Paragraph::new(lines), list);
}

fn bar_lines<'a>(
    title: &str,
    data: &[(String, usize)],
    width: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled(title.to_string(), theme.heading())];
    let label_w = data.iter().map(|(l, _)| l.len()).max().unwrap_or(0).min(12);
    let most = data.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let room = width.saturating_sub(label_w + 8);
    // When they do not all fit, the latest (or largest) are kept.
    let shown = height.saturating_sub(1).min(data.len());
    let data = if title.contains("month") {
        &data[data.len() - shown..]
    } else {
        &data[..shown]
    };
    for (label, count) in data {
        let bar = "█".repeat((count * room).div_ceil(most));
        lines.push(Line::from(vec![
            Span::raw(format!("{} ", fit(label, label_w))),
            Span::styled(bar, theme.key()),
            Span::raw(format!(" {count}")),
        ]));
    }
    lines
}

pub fn draw_stats(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let stats = &app.stats;
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let [months, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    let [kinds, countries] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
    let per_month = bar_lines(
        "Events per month",
        &stats.months,
        months.width as usize,
        months.height as usize,
        theme,
    );
    frame.render_widget(Paragraph::new(per_month), months);
    frame.render_widget(
        Paragraph::new(bar_lines(
            "By kind",
            &stats.kinds,
            kinds.width as usize,
            kinds.height as usize,
            theme,
        )),
        kinds,
    );
    frame.render_widget(
        Paragraph::new(bar_lines(
            "By country",
            &stats.countries,
            countries.width as usize,
            countries.height as usize,
            theme,
        )),
        countries,
    );
    draw_matrix(frame, app, theme, bottom);
}

fn draw_matrix(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let stats = &app.stats;
    let label_w = 11;
    let cell_w = 12;
    let shown = ((area.width as usize).saturating_sub(label_w) / cell_w).min(stats.people.len());
    let mut lines = vec![Line::styled(
        "Who met whom (face to face; Enter lists the meetings)",
        theme.heading(),
    )];
    let mut header = fit("", label_w);
    for (_, name) in stats.people.iter().take(shown) {
        header.push_str(&fit(surname(name), cell_w));
    }
    lines.push(Line::styled(header, theme.bold()));
    for (r, (_, name)) in stats.people.iter().enumerate() {
        let mut spans = vec![Span::styled(fit(surname(name), label_w), theme.bold())];
        for c in 0..shown {
            let cell = &stats.cells[r][c];
            let text = match cell.last() {
                Some(last) if r != c => format!(
                    "{} {}",
                    cell.meetings.len(),
                    last.first().format("%d %b %y")
                ),
                _ if r == c => "·".to_string(),
                _ => "-".to_string(),
            };
            let mut style = if cell.meetings.is_empty() {
                theme.dim()
            } else {
                theme.plain()
            };
            if r == stats.row && c == stats.column {
                style = theme.selected(true);
            }
            spans.push(Span::styled(fit(&text, cell_w), style));
        }
        lines.push(Line::from(spans));
    }
    if stats.people.is_empty() {
        lines.push(Line::styled("no in-person meetings yet", theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), area);
    if stats.open {
        draw_cell(frame, app, theme, area);
    }
}

fn draw_cell(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let stats = &app.stats;
    let Some(cell) = stats.cell() else { return };
    let names = |i: usize| {
        stats
            .people
            .get(i)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let title = format!(
        " {} and {}: {} ",
        names(stats.row),
        names(stats.column),
        cell.meetings.len()
    );
    let popup = area.inner(ratatui::layout::Margin {
        horizontal: 2,
        vertical: 0,
    });
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(theme.heading());
    let width = block.inner(popup).width as usize;
    let lines: Vec<Line> = cell
        .meetings
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let text = fit(
                &format!(
                    "{:<12} {:<18} {}",
                    e.date.display(),
                    e.place.short(),
                    e.title
                ),
                width,
            );
            if i == stats.meeting {
                Line::styled(text, theme.selected(true))
            } else {
                Line::raw(text)
            }
        })
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
