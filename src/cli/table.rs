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

/// The widest a cell is printed unless `--wide`: a megabyte-long title must not pad every row of
/// a listing to a megabyte.
static CELL: AtomicUsize = AtomicUsize::new(MAX_CELL);

const MAX_CELL: usize = 120;

/// The widest a cell is printed even with `--wide`, which is for reading long titles whole, not
/// for copying a megabyte of text out of a listing (CSV and JSON give every cell whole).
pub const MAX_WIDE_CELL: usize = 1_000;

/// Rows a streamed table reads before it fixes its column widths.
const SAMPLE: usize = 500;

pub fn limit_width(width: Option<usize>, wide: bool) {
    WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
    CELL.store(
        if wide { MAX_WIDE_CELL } else { MAX_CELL },
        Ordering::Relaxed,
    );
}

fn limits() -> (Option<usize>, Option<usize>) {
    let nonzero = |n: usize| Some(n).filter(|n| *n > 0);
    (
        nonzero(WIDTH.load(Ordering::Relaxed)),
        nonzero(CELL.load(Ordering::Relaxed)),
    )
}

/// Rows in columns two spaces apart; trailing spaces trimmed; cut to the terminal's width.
pub fn align(rows: &[Vec<String>]) -> String {
    let (width, cell) = limits();
    align_within(rows, width, cell)
}

/// Columns narrower than this are not cut further to fit.
const NARROWEST: usize = 8;

/// Rows in columns two spaces apart, each cell at most `cell` columns and the widest columns cut
/// (with …) until a line fits in `limit` columns.
pub fn align_within(rows: &[Vec<String>], limit: Option<usize>, cell: Option<usize>) -> String {
    let widths = widths(rows, limit, cell);
    rows.iter().map(|row| line(row, &widths)).collect()
}

fn widths(rows: &[Vec<String>], limit: Option<usize>, cell: Option<usize>) -> Vec<usize> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, text) in row.iter().enumerate() {
            let shown = crate::domain::text::visible(text, false).width();
            widths[i] = widths[i].max(cell.map_or(shown, |c| shown.min(c)));
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
    widths
}

/// One row laid out in `widths`, ending in a newline.
fn line(row: &[String], widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, text) in row.iter().enumerate() {
        let width = widths.get(i).copied().unwrap_or(usize::MAX);
        let cell = crate::ui::text::cut(text, width);
        line.push_str(&cell);
        if i + 1 < row.len() {
            line.push_str(&" ".repeat(width.saturating_sub(cell.width()) + 2));
        }
    }
    let mut line = line.trim_end().to_string();
    line.push('\n');
    line
}

/// A table written as its rows come: the column widths are fixed from the header and the first
/// rows, and later rows are cut to them, so that a listing of any length runs in little memory.
pub struct Streaming<'a> {
    out: &'a mut dyn std::io::Write,
    sample: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
    rows: usize,
}

impl<'a> Streaming<'a> {
    pub fn new(out: &'a mut dyn std::io::Write, header: &[&str]) -> Self {
        Streaming {
            out,
            sample: vec![header.iter().map(|h| h.to_string()).collect()],
            widths: None,
            rows: 0,
        }
    }

    pub fn row(&mut self, row: Vec<String>) -> std::io::Result<()> {
        self.rows += 1;
        match &self.widths {
            Some(widths) => self.out.write_all(line(&row, widths).as_bytes()),
            None => {
                self.sample.push(row);
                if self.sample.len() > SAMPLE {
                    self.fix_widths()?;
                }
                Ok(())
            }
        }
    }

    fn fix_widths(&mut self) -> std::io::Result<()> {
        let (width, cell) = limits();
        let widths = widths(&self.sample, width, cell);
        for row in std::mem::take(&mut self.sample) {
            self.out.write_all(line(&row, &widths).as_bytes())?;
        }
        self.widths = Some(widths);
        Ok(())
    }

    /// Writes what is still held; returns the number of rows, the header not counted.
    pub fn finish(mut self) -> std::io::Result<usize> {
        if self.widths.is_none() && self.rows > 0 {
            self.fix_widths()?;
        }
        Ok(self.rows)
    }
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
        let text = align_within(&rows, Some(40), None);
        assert!(text.lines().all(|l| l.width() <= 40), "{text}");
        assert!(text.contains("Steve Witkoff meets V…  #10"), "{text}");
        assert_eq!(
            align_within(&rows, None, None),
            align_within(&rows, Some(500), None)
        );
        let capped = align_within(&rows, None, Some(12));
        assert!(capped.contains("Steve Witko…  #10"), "{capped}");
    }

    #[test]
    fn a_streamed_table_lines_up_and_cuts_what_comes_after_its_sample() {
        let mut out = Vec::new();
        let mut table = Streaming::new(&mut out, &["#", "TITLE"]);
        for i in 0..SAMPLE + 2 {
            table.row(vec![i.to_string(), "Talks".into()]).unwrap();
        }
        table.row(vec!["x".into(), "x".repeat(1_000_000)]).unwrap();
        assert_eq!(table.finish().unwrap(), SAMPLE + 3);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), SAMPLE + 4);
        assert!(
            text.lines().all(|l| l.width() <= 12),
            "a later row is cut to the columns"
        );
        assert!(text.lines().next().unwrap().starts_with("#    TITLE"));
    }
}
