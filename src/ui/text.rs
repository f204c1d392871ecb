//! Fitting text into columns by display width, so that Cyrillic, CJK and other wide characters
//! line up.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to `width` columns (ending in … when cut) and padded with spaces to exactly
/// `width`.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = cut(text, width);
    let used = out.width();
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// `text` cut to at most `width` columns, ending in … when cut.
pub fn cut(text: &str, width: usize) -> String {
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
}
