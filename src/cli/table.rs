//! Plain-text tables aligned by display width, so that Cyrillic and wide characters line up.

use std::sync::atomic::{AtomicUsize, Ordering};

use unicode_width::UnicodeWidthStr;

/// A header row, then the rows.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut all = vec![headers.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    all.extend_from_slice(rows);
    align(&all)
}

/// The width tables are cut to (0: no limit): the terminal's, when standard output is one
/// and `--wide` was not given. Set once by the command line before any table is written.
static WIDTH: AtomicUsize = AtomicUsize::new(0);

pub fn limit_width(width: Option<usize>) {
    WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
}

/// Rows in columns two spaces apart; trailing spaces trimmed; cut to the terminal's width.
pub fn align(rows: &[Vec<String>]) -> String {
    align_within(rows, Some(WIDTH.load(Ordering::Relaxed)).filter(|w| *w > 0))
}

/// Columns narrower than this are not cut further to fit.
const NARROWEST: usize = 8;

/// Rows in columns two spaces apart, the widest columns cut (with …) until a line fits in
/// `limit` columns.
pub fn align_within(rows: &[Vec<String>], limit: Option<usize>) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    if let Some(limit) = limit {
        let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
        while total(&widths) > limit {
            let Some((widest, width)) = widths
                .iter()
                .copied()
                .enumerate()
                .max_by_key(|(_, w)| *w)
                .filter(|(_, w)| *w > NARROWEST)
            else {
                break;
            };
            let excess = total(&widths) - limit;
            widths[widest] = width.saturating_sub(excess).max(NARROWEST);
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let cell = crate::ui::text::cut(cell, widths[i]);
            line.push_str(&cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let rows = vec![
            vec!["Владимир Путин".to_string(), "RU".to_string()],
            vec!["習近平".to_string(), "CN".to_string()],
        ];
        let text = render(&["NAME", "SIDE"], &rows);
        let starts: Vec<usize> = text
            .lines()
            .map(|l| l[..l.rfind(' ').unwrap() + 1].width())
            .collect();
        assert_eq!(starts, vec![16, 16, 16], "{text}");
    }

    #[test]
    fn tables_are_cut_to_fit_the_width() {
        let rows = vec![
            vec![
                "11 Apr 2025".to_string(),
                "Steve Witkoff meets Vladimir Putin in St Petersburg".to_string(),
                "#10".to_string(),
            ],
            vec![
                "12 Feb 2025".to_string(),
                "Trump–Putin phone call".to_string(),
                "#2".to_string(),
            ],
        ];
        let text = align_within(&rows, Some(40));
        assert!(text.lines().all(|l| l.width() <= 40), "{text}");
        assert!(text.contains("Steve Witkoff meets V…  #10"), "{text}");
        assert_eq!(align_within(&rows, None), align_within(&rows, Some(500)));
    }
}
