//! Plain-text tables aligned by display width, so that Cyrillic and wide characters line up.

use unicode_width::UnicodeWidthStr;

/// A header row, then the rows.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut all = vec![headers.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    all.extend_from_slice(rows);
    align(&all)
}

/// Rows in columns two spaces apart; trailing spaces trimmed.
pub fn align(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
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
}
