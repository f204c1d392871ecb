//! The people list, a person's history, and the stats view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use unicode_width::UnicodeWidthStr;

use super::text::fit;
use super::theme::Theme;
use crate::app::App;

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
    // Only the rows on screen are drawn: a record has tens of thousands of people.
    let height = area.height.saturating_sub(2) as usize;
    let rows: Vec<Line> = people
        .people
        .iter()
        .enumerate()
        .skip(people.scroll)
        .take(height)
        .map(|(i, p)| {
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
            // A person left without events shows so, for d to delete or m to merge.
            let events = match p.events {
                0 => "none".to_string(),
                n => n.to_string(),
            };
            let line = Line::raw(row(
                &p.person.name,
                &country,
                &p.person.current_title(),
                &events,
                &seen,
            ));
            if people.matches(i, &people.search) {
                line.patch_style(theme.matched())
            } else if p.events == 0 {
                line.patch_style(theme.dim())
            } else {
                line
            }
        })
        .collect();
    lines.extend(visible(
        rows,
        0,
        people
            .selected
            .checked_sub(people.scroll)
            .unwrap_or(usize::MAX),
        height,
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
pub const HISTORY_HEADER: u16 = 5;

/// "+62 d": wide enough for decades between two events.
const GAP_WIDTH: usize = 7;

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
    if !person.native_name().is_empty() {
        name.push(Span::raw(format!("  {}", person.native_name())));
    }
    if let Some(country) = &person.country {
        name.push(Span::styled(format!("  {country}"), theme.dim()));
    }
    let met: Vec<String> = history
        .met_most
        .iter()
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
        if history.priors.is_empty() {
            Line::styled(count(history.list.total, "event", "events"), theme.dim())
        } else {
            Line::from(vec![
                Span::styled(count(history.list.total, "event", "events"), theme.dim()),
                Span::styled(" · before this record: ", theme.bold()),
                Span::raw(history.priors.join(" · ")),
            ])
        },
        since_previous(history, &person.name, theme, app.date_style),
    ];
    frame.render_widget(Paragraph::new(header_lines), header);
    let list_state = &history.list;
    let width = list.width as usize;
    let date_w = 11;
    // The ordinals are what a history is read for: their column takes what the longest on
    // screen needs, the titles what is left, down to a word or two (the gap column is taken
    // from them: at 80 columns a title keeps 7).
    let shown = list_state
        .rows
        .iter()
        .skip(list_state.scroll.saturating_sub(list_state.window_start))
        .take(list.height as usize);
    let needed = shown
        .map(|row| row.notes.join("; ").width())
        .max()
        .unwrap_or(0)
        .max(crate::report::HISTORY_ORDINALS.width());
    let room = width.saturating_sub(date_w + GAP_WIDTH + 3);
    let title_w = room.saturating_sub(needed).max((room / 8).clamp(6, 12));
    let notes_w = room.saturating_sub(title_w);
    let mut lines = vec![Line::styled(
        format!(
            "{} {:>GAP_WIDTH$} {} {}",
            fit("DATE", date_w),
            "GAP",
            fit("EVENT", title_w),
            fit(crate::report::HISTORY_ORDINALS, notes_w)
        ),
        theme.dim(),
    )];
    let rows: Vec<Line> = list_state
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let index = list_state.window_start + i;
            let title_style = if history.matches(index, &list_state.search) {
                theme.matched()
            } else {
                theme.plain()
            };
            Line::from(vec![
                Span::raw(format!(
                    "{} ",
                    fit(&row.event.date.display(app.date_style), date_w)
                )),
                Span::styled(
                    format!(
                        "{} ",
                        fit(&format!("{:>GAP_WIDTH$}", gap_label(row.gap)), GAP_WIDTH)
                    ),
                    theme.dim(),
                ),
                Span::styled(fit(&row.event.title, title_w), title_style),
                Span::raw(" "),
                Span::styled(fit(&row.notes.join("; "), notes_w), theme.ordinal()),
            ])
        })
        .collect();
    // The rows loaded are a window of the history, starting at `window_start`.
    lines.extend(visible(
        rows,
        list_state.scroll.saturating_sub(list_state.window_start),
        list_state.selected.saturating_sub(list_state.window_start),
        list.height.saturating_sub(1) as usize,
        theme,
    ));
    frame.render_widget(Paragraph::new(lines), list);
}

/// The selected event's place in the person's rhythm: "12 Mar 2025: 62 days since Steve
/// Witkoff's previous event".
fn since_previous<'a>(
    history: &crate::app::History,
    name: &str,
    theme: &Theme,
    dates: crate::domain::date::DateStyle,
) -> Line<'a> {
    let Some(row) = history.list.selected_row() else {
        return Line::default();
    };
    let said = match row.gap {
        Some(days) => format!("{} since {name}'s previous event", days_phrase(days)),
        None => format!("{name}'s first event listed"),
    };
    Line::from(vec![
        Span::styled(format!("{}: ", row.event.date.display(dates)), theme.dim()),
        Span::styled(said, theme.bold()),
    ])
}

/// "+62 d" after the previous event, "first" for none.
fn gap_label(gap: Option<i64>) -> String {
    match gap {
        Some(days) => format!("+{days} d"),
        None => "first".into(),
    }
}

/// "1 event", "2 events".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", crate::interchange::thousands(n))
    }
}

fn bar_lines<'a>(
    title: &str,
    data: &[(String, usize)],
    width: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled(fit(title, width), theme.heading())];
    let label_w = data
        .iter()
        .map(|(l, _)| l.width())
        .max()
        .unwrap_or(0)
        .min(12)
        .min(width / 2);
    let most = data.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let count_w = most.to_string().len();
    // Label, space, bar, space, count, and a space before the next column: the bar gets what
    // is left, and none below two columns.
    let room = width.saturating_sub(label_w + count_w + 3);
    // When they do not all fit, the latest (or largest) are kept.
    let shown = height.saturating_sub(1).min(data.len());
    let data = if title.contains("month") {
        &data[data.len() - shown..]
    } else {
        &data[..shown]
    };
    for (label, count) in data {
        let bar = if room >= 2 {
            "█".repeat((count * room).div_ceil(most).min(room))
        } else {
            String::new()
        };
        let bar_w = bar.chars().count();
        lines.push(Line::from(vec![
            Span::raw(format!("{} ", fit(label, label_w))),
            Span::styled(bar, theme.key()),
            Span::raw(fit(
                &format!(" {count}"),
                width.saturating_sub(label_w + 1 + bar_w),
            )),
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
    let width = area.width as usize;
    let label_w = 12.min(width);
    let cell_w = 16;
    let fits = (width.saturating_sub(label_w) / cell_w).max(1);
    // Columns and rows scroll to keep the selected cell in view.
    let first_column = (stats.column + 1).saturating_sub(fits);
    let columns = first_column..(first_column + fits).min(stats.people.len());
    let rows_fit = (area.height as usize).saturating_sub(2).max(1);
    let first_row = (stats.row + 1).saturating_sub(rows_fit);
    let heading = if stats.filter_text.is_empty() {
        "Who met whom (face to face; Enter lists the meetings; h/l columns)".to_string()
    } else {
        format!("Who met whom, filter: {}", stats.filter_text)
    };
    let mut lines = vec![Line::styled(fit(&heading, width), theme.heading())];
    let mut header = fit("", label_w);
    for (id, name) in &stats.people[columns.clone()] {
        header.push_str(&fit(app.labels.get(*id, name), cell_w));
    }
    lines.push(Line::styled(fit(&header, width), theme.bold()));
    for (r, (id, name)) in stats
        .people
        .iter()
        .enumerate()
        .skip(first_row)
        .take(rows_fit)
    {
        let mut spans = vec![Span::styled(
            fit(app.labels.get(*id, name), label_w),
            theme.bold(),
        )];
        for c in columns.clone() {
            let cell = &stats.cells[r][c];
            let text = match &cell.last {
                _ if r == c => "·".to_string(),
                Some(last) => format!("{} · {}", cell.count(), last.display(app.date_style)),
                None => "-".to_string(),
            };
            let mut style = if cell.count() == 0 {
                theme.dim()
            } else {
                theme.plain()
            };
            if r == stats.row && c == stats.column {
                style = theme.selected(true);
            }
            spans.push(Span::styled(fit(&text, cell_w - 1), style));
            spans.push(Span::raw(" "));
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
        count(cell.count(), "meeting", "meetings")
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
    let gaps = cell.gaps();
    let mut lines = rhythm(cell, stats.meeting, &gaps, width, theme, app.date_style);
    // The list scrolls under the rhythm to keep the selected meeting in sight.
    let rows = (block.inner(popup).height as usize)
        .saturating_sub(lines.len())
        .max(1);
    let first = (stats.meeting + 1).saturating_sub(rows);
    let listed = cell.meetings.iter().enumerate().map(|(i, m)| {
        let gap = gap_label(gaps.get(i).copied().flatten());
        let text = fit(
            &format!(
                "{:<5} {} {:>8}  {} {}",
                m.ordinal,
                fit(&m.event.date.display(app.date_style), 11),
                gap,
                fit(&m.event.place.short(), 18),
                m.event.title
            ),
            width,
        );
        if i == stats.meeting {
            Line::styled(text, theme.selected(true))
        } else {
            Line::raw(text)
        }
    });
    lines.extend(listed.skip(first).take(rows));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// The pair's meetings on one time axis, the selected one marked, and the gap before it in
/// words: "62 days since the previous meeting; the longest gap is 120 days".
fn rhythm<'a>(
    cell: &crate::app::Cell,
    selected: usize,
    gaps: &[Option<i64>],
    width: usize,
    theme: &Theme,
    dates: crate::domain::date::DateStyle,
) -> Vec<Line<'a>> {
    let days: Vec<chrono::NaiveDate> = cell.meetings.iter().map(|m| m.event.date.first()).collect();
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Vec::new();
    };
    let span = (*last - *first).num_days().max(1);
    let room = width.saturating_sub(2).max(1);
    let column = |day: &chrono::NaiveDate| {
        let offset = usize::try_from((*day - *first).num_days()).unwrap_or(0);
        offset * (room - 1) / usize::try_from(span).unwrap_or(1)
    };
    let mut axis: Vec<char> = vec!['─'; room];
    for day in &days {
        axis[column(day).min(room - 1)] = '●';
    }
    let chosen = days.get(selected).map(|d| column(d).min(room - 1));
    let (before, after): (String, String) = match chosen {
        Some(at) => (axis[..at].iter().collect(), axis[at + 1..].iter().collect()),
        None => (axis.iter().collect(), String::new()),
    };
    let mut strip = vec![Span::raw(" "), Span::styled(before, theme.dim())];
    if chosen.is_some() {
        strip.push(Span::styled("◆", theme.ordinal()));
    }
    strip.push(Span::styled(after, theme.dim()));
    let ends = format!(
        " {}{}",
        fit(
            &cell.meetings[0].event.date.display(dates),
            room.saturating_sub(11)
        ),
        fit(&cell.meetings[days.len() - 1].event.date.display(dates), 11)
    );
    let longest = gaps.iter().flatten().max();
    let said = match (gaps.get(selected).copied().flatten(), longest) {
        (Some(gap), Some(most)) => format!(
            " {} since the previous meeting; the longest gap is {}",
            days_phrase(gap),
            days_phrase(*most)
        ),
        (None, Some(most)) => format!(
            " the first meeting listed; the longest gap is {}",
            days_phrase(*most)
        ),
        _ => " the only meeting listed".to_string(),
    };
    vec![
        Line::from(strip),
        Line::styled(ends, theme.dim()),
        Line::styled(fit(&said, width), theme.bold()),
    ]
}

fn days_phrase(days: i64) -> String {
    if days == 1 {
        "1 day".into()
    } else {
        format!("{days} days")
    }
}
