//! The month grid over the bottom of the body while a date is asked for: days holding events
//! marked with a dot, the day under the cursor reversed.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::app::Calendar;
use crate::domain::period::Unit;

/// Seven days of three columns, the borders, and room for the title.
const WIDTH: u16 = 7 * 3 + 3;
/// The weekdays, up to six weeks, the month's count and the keys, the borders.
const HEIGHT: u16 = 1 + 6 + 2 + 2;

pub fn draw(frame: &mut Frame, calendar: &Calendar, theme: &Theme, body: Rect) {
    if body.width < WIDTH || body.height < HEIGHT {
        return;
    }
    let area = Rect {
        x: body.x + body.width - WIDTH,
        y: body.y + body.height - HEIGHT,
        width: WIDTH,
        height: HEIGHT,
    };
    let month = calendar.month();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", month.format("%B %Y")));
    let mut lines = vec![Line::styled(" Mo Tu We Th Fr Sa Su", theme.dim())];
    let last = Unit::Month.last(month).day();
    let blank = month.weekday().num_days_from_monday() as usize;
    let mut week: Vec<Span> = vec![Span::raw(format!(" {}", "   ".repeat(blank)))];
    for day in 1..=last {
        let events = calendar.events_on(day);
        let text = format!("{day:>2}{}", if events > 0 { "•" } else { " " });
        let style =
            if NaiveDate::from_ymd_opt(month.year(), month.month(), day) == Some(calendar.day) {
                theme.selected(true)
            } else if events > 0 {
                theme.bold()
            } else {
                theme.dim()
            };
        week.push(Span::styled(text, style));
        if (blank + day as usize).is_multiple_of(7) || day == last {
            lines.push(Line::from(std::mem::take(&mut week)));
            week.push(Span::raw(" "));
        }
    }
    while lines.len() < 7 {
        lines.push(Line::raw(""));
    }
    let total: usize = calendar.events.iter().sum();
    lines.push(Line::styled(
        match total {
            0 => " no events this month".to_string(),
            1 => " 1 event this month".to_string(),
            n => format!(" {n} events this month"),
        },
        theme.dim(),
    ));
    lines.push(Line::styled(" ←→↑↓ PgUp PgDn Enter", theme.dim()));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
