//! Fitting text into columns by display width, so that Cyrillic, CJK and other wide characters
//! line up.

use ratatui::text::{Line, Span};
use tui_input::Input;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A count of columns or lines as the terminal's coordinates take it: at most `u16::MAX`.
pub fn coord(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// `text` cut to `width` columns (ending in … when cut) and padded with spaces to exactly
/// `width`.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = cut(text, width);
    let used = out.width();
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// `text` cut to at most `width` columns, ending in … when cut. Control characters and
/// bidirectional overrides are shown (`\u{1b}`), never passed to the terminal.
pub fn cut(text: &str, width: usize) -> String {
    let text = &*crate::domain::text::visible(text, false);
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// What a text field shows in `width` columns: its value scrolled sideways so that the cursor
/// stays in view, padded to `width`, and the cursor's column from the field's start. Counts
/// display columns, so wide and combining characters keep the cursor where it is drawn.
pub fn field_window(input: &Input, width: usize) -> (String, usize) {
    if width == 0 {
        return (String::new(), 0);
    }
    // Hidden characters show as one-column glyphs (␛), and columns are counted on what shows.
    let glyphs: Vec<(char, usize)> = input
        .value()
        .chars()
        .map(crate::domain::text::glyph)
        .map(|c| (c, c.width().unwrap_or(0)))
        .collect();
    let cursor: usize = glyphs.iter().take(input.cursor()).map(|(_, w)| w).sum();
    // One column is kept for the cursor after the last character.
    let scroll = cursor.saturating_sub(width - 1);
    let mut skipped = 0;
    let mut shown = String::new();
    let mut used = 0;
    for (c, w) in glyphs {
        if skipped < scroll || (shown.is_empty() && w == 0 && skipped > 0) {
            skipped += w;
            continue;
        }
        if used + w > width {
            break;
        }
        shown.push(c);
        used += w;
    }
    shown.push_str(&" ".repeat(width - used));
    (shown, cursor.saturating_sub(skipped).min(width))
}

/// `line` wrapped at word boundaries to `width` columns, each continuation starting with
/// `indent` spaces so that wrapped text stays under its first line's text. Styles are kept; a
/// word wider than a line is broken by characters.
pub fn wrap(line: Line<'static>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let indent = indent.min(width / 2);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let style = line.style;
    for span in line.spans {
        let content = crate::domain::text::visible(&span.content, false).into_owned();
        for token in tokens(&content) {
            let w = token.width();
            if used + w > width && used > indent && !token.trim().is_empty() {
                lines.push(Line::from(std::mem::take(&mut current)).style(style));
                current.push(Span::raw(" ".repeat(indent)));
                used = indent;
            }
            if used + w > width && token.trim().is_empty() {
                continue;
            }
            let mut piece = String::new();
            for c in token.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width && used > indent {
                    current.push(Span::styled(std::mem::take(&mut piece), span.style));
                    lines.push(Line::from(std::mem::take(&mut current)).style(style));
                    current.push(Span::raw(" ".repeat(indent)));
                    used = indent;
                }
                piece.push(c);
                used += cw;
            }
            current.push(Span::styled(piece, span.style));
        }
    }
    lines.push(Line::from(current).style(style));
    lines
}

/// Words with the spaces after them; a date such as "13 Mar 2025" stays one word.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_space = false;
    for c in text.chars() {
        if !c.is_whitespace() && in_space {
            out.push(std::mem::take(&mut current));
        }
        in_space = c.is_whitespace();
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    let mut joined: Vec<String> = Vec::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        let is_day = |w: &str| {
            let w = w.trim_end().trim_start_matches('(');
            (1..=2).contains(&w.len()) && w.chars().all(|c| c.is_ascii_digit())
        };
        let is_month = |w: &str| MONTHS.contains(&w.trim_end());
        let is_year = |w: &str| {
            let w = w.trim_end_matches(|c: char| c.is_whitespace() || ",.;)".contains(c));
            w.len() == 4 && w.chars().all(|c| c.is_ascii_digit())
        };
        if i + 2 < out.len() && is_day(&out[i]) && is_month(&out[i + 1]) && is_year(&out[i + 2]) {
            joined.push(out[i..i + 3].concat());
            i += 3;
        } else {
            joined.push(std::mem::take(&mut out[i]));
            i += 1;
        }
    }
    joined
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("Putin", 8), "Putin   ");
        assert_eq!(fit("Vladimir Putin", 8), "Vladimi…");
        assert_eq!(fit("習近平主席", 6).width(), 6);
        assert_eq!(fit("習近平主席", 6), "習近… ");
        assert_eq!(fit("Путин", 3), "Пу…");
        assert_eq!(fit("abc", 0), "");
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn wrapped_lines_keep_their_indent() {
        let line = Line::raw("  Reuters citing the Kremlin and the Russian foreign ministry");
        assert_eq!(
            texts(&wrap(line, 24, 4)),
            [
                "  Reuters citing the ",
                "    Kremlin and the ",
                "    Russian foreign ",
                "    ministry"
            ]
        );
        let wide = Line::raw("習近平會見普京習近平會見普京");
        assert!(wrap(wide, 10, 0).iter().all(|l| l.width() <= 10));
        assert_eq!(texts(&wrap(Line::raw("short"), 10, 2)), ["short"]);
        let dated = Line::raw("previous 13 Mar 2025, Moscow");
        assert_eq!(
            texts(&wrap(dated, 16, 2)),
            ["previous ", "  13 Mar 2025, ", "  Moscow"]
        );
        let bracketed = Line::raw("in Washington (2 Apr 2025)");
        assert_eq!(
            texts(&wrap(bracketed, 20, 2)),
            ["in Washington ", "  (2 Apr 2025)"]
        );
    }

    #[test]
    fn field_windows_follow_the_cursor_by_columns() {
        let input = Input::new("Arnavutköy".into());
        assert_eq!(field_window(&input, 12), ("Arnavutköy  ".into(), 10));
        assert_eq!(field_window(&input, 5), ("tköy ".into(), 4));
        let mut moved = input.clone();
        moved.handle(tui_input::InputRequest::GoToStart);
        assert_eq!(field_window(&moved, 5), ("Arnav".into(), 0));
        let wide = Input::new("習近平".into());
        assert_eq!(field_window(&wide, 4), ("平  ".into(), 2));
        let combining = Input::new("e\u{301}x".into());
        assert_eq!(field_window(&combining, 4), ("e\u{301}x  ".into(), 2));
        let hidden = Input::new("a\x1bb".into());
        assert_eq!(field_window(&hidden, 5), ("a␛b  ".into(), 3));
    }
}
