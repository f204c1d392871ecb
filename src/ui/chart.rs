//! The chart view: one column of blocks per period, stacked by kind, the empty periods kept as
//! gaps over the baseline. ratatui's `BarChart` draws one value per bar (or groups side by
//! side), not parts stacked in one bar, so the columns are set cell by cell.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::text::{coord, fit};
use super::theme::Theme;
use crate::app::{App, Chart, KINDS, Tally, part_name};

/// Columns left of the bars for the count scale ("12.3k ").
const AXIS: u16 = 7;
/// Columns per bar: two of bar, one of gap.
const SLOT: u16 = 3;
const BAR: u16 = 2;
/// Lines that are not bars: the heading, the baseline, the labels, the period under the
/// cursor, the legend.
const AROUND: u16 = 5;

const EIGHTHS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Without colour, each part of a bar has its own fill.
const FILLS: [char; KINDS.len() + 1] = ['█', '▓', '▒', '░', '▚', '╳'];
const COLORS: [Color; KINDS.len() + 1] = [
    Color::Cyan,
    Color::Yellow,
    Color::Green,
    Color::Magenta,
    Color::Blue,
    Color::Gray,
];

/// How many bars fit in the body.
pub fn bars_that_fit(body: Rect) -> usize {
    (body.width.saturating_sub(AXIS) / SLOT).max(1) as usize
}

/// The bar under a mouse click, counted from the first on screen.
pub fn bar_at(body: Rect, column: u16, row: u16) -> Option<usize> {
    let plot_rows = body.height.saturating_sub(AROUND);
    let in_plot = row > body.y && row <= body.y + plot_rows + 1;
    let x = column.checked_sub(body.x + AXIS)?;
    (in_plot && x % SLOT < BAR).then_some((x / SLOT) as usize)
}

/// "950", "12.3k", "1.0M": counts in at most five columns.
fn compact(n: usize) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{}k", n / 1000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

fn part_style(theme: &Theme, part: usize) -> Style {
    if theme.color {
        Style::default().fg(COLORS[part])
    } else {
        Style::default()
    }
}

/// The cell of a bar at `row` from the bottom (each row eight eighths high), if filled: the
/// glyph and the part it shows.
fn cell(ends: &[usize], row: usize, color: bool) -> Option<(char, usize)> {
    let top = *ends.last()?;
    let fill = top.saturating_sub(row * 8).min(8);
    if fill == 0 {
        return None;
    }
    let middle = row * 8 + fill / 2;
    let part = ends.iter().position(|end| *end > middle).unwrap_or(0);
    let glyph = if color {
        EIGHTHS[fill - 1]
    } else {
        FILLS[part]
    };
    Some((glyph, part))
}

/// Where each part of a bar ends, in eighths of a row from the baseline; a bar with events
/// shows at least one eighth.
fn ends(tally: &Tally, most: usize, rows: usize) -> Vec<usize> {
    let eighths = rows * 8;
    let mut sum = 0;
    let mut ends: Vec<usize> = tally
        .0
        .iter()
        .map(|n| {
            sum += n;
            (sum * eighths + most / 2) / most.max(1)
        })
        .collect();
    if sum > 0
        && let Some(last) = ends.last_mut()
    {
        *last = (*last).max(1);
    }
    ends
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let chart = &app.chart;
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let line = |y: u16| Rect {
        y: area.y + y,
        height: 1,
        ..area
    };
    frame.render_widget(
        Paragraph::new(Line::styled(fit(&heading(chart), width), theme.heading())),
        line(0),
    );
    if chart.periods == 0 {
        let text = if chart.filter_text.is_empty() {
            "No events to chart.".to_string()
        } else {
            "No events match the timeline's filter; Esc in the timeline (1) clears it.".to_string()
        };
        if area.height > 2 {
            frame.render_widget(Paragraph::new(fit(&text, width)), line(2));
        }
        return;
    }
    if area.height < AROUND + 1 {
        frame.render_widget(
            Paragraph::new(fit(&chart.cursor_phrase(), width)),
            line(area.height - 1),
        );
        return;
    }
    let rows = (area.height - AROUND) as usize;
    let baseline = 1 + coord(rows);
    let most = chart
        .bars
        .iter()
        .map(|b| b.tally.total())
        .max()
        .unwrap_or(0);
    let buffer = frame.buffer_mut();
    // The scale: the tallest bar's count at the top, 0 on the baseline.
    if most > 0 {
        buffer.set_string(
            area.x,
            area.y + 1,
            format!("{:>5} ", compact(most)),
            theme.dim(),
        );
    }
    buffer.set_string(area.x, area.y + baseline, format!("{:>5} ", 0), theme.dim());
    let plot_x = area.x + AXIS;
    let plot_width = area.width.saturating_sub(AXIS);
    buffer.set_string(
        plot_x,
        area.y + baseline,
        "─".repeat(plot_width as usize),
        theme.dim(),
    );
    let label_width = chart
        .bars
        .first()
        .map_or(4, |b| coord(chart.unit.label(b.start).width()));
    // A label every so many bars, where it fits before the next.
    let label_every = (label_width + 1).div_ceil(SLOT).max(1) as usize;
    for (i, bar) in chart.bars.iter().enumerate() {
        let x = plot_x + coord(i) * SLOT;
        if x + BAR > area.x + area.width {
            break;
        }
        let ends = ends(&bar.tally, most, rows);
        for row in 0..rows {
            let Some((glyph, part)) = cell(&ends, row, theme.color) else {
                break;
            };
            let y = area.y + baseline - 1 - coord(row);
            for dx in 0..BAR {
                if let Some(c) = buffer.cell_mut(Position { x: x + dx, y }) {
                    c.set_char(glyph).set_style(part_style(theme, part));
                }
            }
        }
        let index = chart.scroll + i;
        if index == chart.cursor {
            buffer.set_string(x, area.y + baseline, "▲▲", theme.key());
        }
        if i % label_every == 0 && x + label_width <= area.x + area.width {
            buffer.set_string(
                x,
                area.y + baseline + 1,
                chart.unit.label(bar.start),
                theme.dim(),
            );
        }
    }
    let phrase = chart.cursor_phrase();
    let enter = format!("   Enter: this {} in the timeline", chart.unit.name());
    let mut under = vec![Span::styled(super::text::cut(&phrase, width), theme.bold())];
    if phrase.width() + enter.width() <= width {
        under.push(Span::styled(enter, theme.dim()));
    }
    let under = Line::from(under);
    frame.render_widget(Paragraph::new(under), line(baseline + 2));
    frame.render_widget(
        Paragraph::new(legend(chart, theme, width)),
        line(baseline + 3),
    );
}

/// "Events per month, 2019-01 to 2025-12 (84 months) · filter: kind:call".
fn heading(chart: &Chart) -> String {
    let span = match (
        chart.start_of(0),
        chart.start_of(chart.periods.saturating_sub(1)),
    ) {
        (Some(first), Some(last)) => format!(
            ", {} to {} ({})",
            chart.unit.label(first),
            chart.unit.label(last),
            chart.unit.count(chart.periods)
        ),
        _ => String::new(),
    };
    let filter = if chart.filter_text.is_empty() {
        " · every event".to_string()
    } else {
        format!(" · the timeline's filter: {}", chart.filter_text)
    };
    format!("Events per {}{span}{filter}", chart.unit.name())
}

/// The parts' fills or colours and names, then the keys; or why the bars are whole.
fn legend<'a>(chart: &Chart, theme: &Theme, width: usize) -> Line<'a> {
    let keys = "   h/l move  +/- zoom";
    let mut spans = Vec::new();
    if chart.split {
        for (part, fill) in FILLS.iter().enumerate() {
            let swatch = if theme.color { '■' } else { *fill };
            spans.push(Span::styled(swatch.to_string(), part_style(theme, part)));
            spans.push(Span::raw(format!(" {}  ", part_name(part, 1))));
        }
    } else {
        spans.push(Span::styled(
            format!(
                "bars are whole: over {} events on screen are counted by month, not by kind",
                crate::interchange::thousands(crate::app::SPLIT_MOST)
            ),
            theme.dim(),
        ));
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    if used + keys.width() <= width {
        spans.push(Span::styled(keys, theme.dim()));
    }
    Line::from(spans)
}
