//! Text from outside (files, the command line, the form) checked for control characters, and
//! stored text made safe to show: a title carrying `ESC ] 52` must not reach a terminal as a
//! command to it.

use std::borrow::Cow;

/// Characters that change how a terminal or a line of text behaves rather than showing
/// something: C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates
/// that reorder what follows them.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first control character in `text` that input may not carry: any C0 or C1 control
/// other than tab, and newline only where `lines` allows it (notes).
pub fn forbidden_control(text: &str, lines: bool) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && *c != '\t' && !(lines && matches!(c, '\n' | '\r')))
}

/// "control character U+001B".
pub fn control_message(c: char) -> String {
    format!("control character U+{:04X}", c as u32)
}

/// The longest text of several lines (notes) that input may carry, in characters.
pub const MAX_NOTES_CHARS: usize = 100_000;
/// The longest web address, in characters: what browsers and servers commonly take.
pub const MAX_URL_CHARS: usize = 2_048;
/// The longest text of one line (titles, names, places, outlets, claims), in characters.
pub const MAX_LINE_CHARS: usize = 500;

/// The most characters `field` takes: notes (text of several lines) and addresses have their
/// own limits, every other field one line's.
pub fn max_chars(field: &str, lines: bool) -> usize {
    if lines {
        MAX_NOTES_CHARS
    } else if field.contains("url") {
        MAX_URL_CHARS
    } else {
        MAX_LINE_CHARS
    }
}

/// Refuses text longer than its field takes (`max_chars`), or carrying a control character
/// (newlines only where `lines` allows them), naming the limit or the character; the value is
/// left out, as printing it would let it act or fill the screen.
pub fn check_input(field: &str, text: &str, lines: bool) -> Result<(), super::Invalid> {
    let limit = max_chars(field, lines);
    // Bytes bound characters from above: only long text is counted.
    if text.len() > limit {
        let length = text.chars().count();
        if length > limit {
            return Err(super::Invalid::new(
                field,
                "",
                &format!("{length} characters; at most {limit}"),
            ));
        }
    }
    match forbidden_control(text, lines) {
        Some(c) => Err(super::Invalid::new(field, "", &control_message(c))),
        None => Ok(()),
    }
}

/// `text` with every hidden character written out as `\u{1b}`, so that it shows instead of
/// acting; newlines are kept where `lines` allows them.
pub fn visible(text: &str, lines: bool) -> Cow<'_, str> {
    let keep = |c: char| !is_hidden(c) || (lines && c == '\n');
    if text.chars().all(keep) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// The start of `text` for a message that names a record by it: at most 60 characters, with
/// `…` where it was cut, so that a megabyte-long title does not fill the screen.
pub fn excerpt(text: &str) -> Cow<'_, str> {
    const LONGEST: usize = 60;
    match text.char_indices().nth(LONGEST) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

/// One visible character standing for a hidden one, for a text field where each character
/// must keep its one column: the control pictures (␛ for ESC), else the replacement character.
pub fn glyph(c: char) -> char {
    match c as u32 {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ if is_hidden(c) => '\u{fffd}',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_found_and_shown() {
        assert_eq!(forbidden_control("Путин–Witkoff\ttalks", false), None);
        assert_eq!(forbidden_control("a\x1b]0;x\x07", false), Some('\x1b'));
        assert_eq!(forbidden_control("one\ntwo", false), Some('\n'));
        assert_eq!(forbidden_control("one\r\ntwo", true), None);
        assert_eq!(forbidden_control("c1 \u{9b}", true), Some('\u{9b}'));
        assert_eq!(control_message('\x1b'), "control character U+001B");
        assert_eq!(
            visible("a\x1b]52;c;x\x07b", false),
            "a\\u{1b}]52;c;x\\u{7}b"
        );
        assert_eq!(visible("\u{202e}evil", false), "\\u{202e}evil");
        assert_eq!(visible("one\ntwo", true), "one\ntwo");
        assert_eq!(visible("one\ntwo", false), "one\\u{a}two");
        assert!(matches!(
            visible("Путин 習近平 👍🏽 e\u{301}", false),
            Cow::Borrowed(_)
        ));
        assert_eq!(glyph('\x1b'), '␛');
        assert_eq!(glyph('\u{202e}'), '\u{fffd}');
        assert_eq!(glyph('ж'), 'ж');
    }
}
