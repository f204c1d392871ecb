//! A writer that shows hidden characters instead of passing them on: for every text meant to
//! be read (tables on a terminal, Markdown, iCalendar), so that stored text cannot act on the
//! terminal that shows it (`ESC ] 52` writing the clipboard, `ESC [ 2J` clearing the screen).

use std::io::{self, Write};

use crate::domain::text::visible;

/// Writes through to `inner`, each hidden character (see `domain::text::is_hidden`) written out
/// as `\u{1b}`; line ends are kept. Streams: a character split between two writes waits for
/// the rest of it.
pub struct Visible<W: Write> {
    inner: W,
    pending: Vec<u8>,
    /// Keep `\r` too (iCalendar's lines end in CRLF).
    crlf: bool,
}

impl<W: Write> Visible<W> {
    pub fn new(inner: W) -> Self {
        Visible {
            inner,
            pending: Vec::new(),
            crlf: false,
        }
    }

    pub fn keeping_crlf(inner: W) -> Self {
        Visible {
            inner,
            pending: Vec::new(),
            crlf: true,
        }
    }

    fn emit(&mut self, text: &str) -> io::Result<()> {
        if self.crlf {
            let lines: Vec<&str> = text.split("\r\n").collect();
            let shown: Vec<String> = lines
                .iter()
                .map(|l| visible(l, true).into_owned())
                .collect();
            self.inner.write_all(shown.join("\r\n").as_bytes())
        } else {
            self.inner.write_all(visible(text, true).as_bytes())
        }
    }
}

impl<W: Write> Write for Visible<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        // A CR waiting for its LF, and a character cut short, wait for the next write.
        let mut upto = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => e.valid_up_to() + e.error_len().unwrap_or(1),
        };
        if self.crlf && upto > 0 && self.pending[upto - 1] == b'\r' {
            upto -= 1;
        }
        let ready: Vec<u8> = self.pending.drain(..upto).collect();
        self.emit(&String::from_utf8_lossy(&ready))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let rest: Vec<u8> = std::mem::take(&mut self.pending);
        self.emit(&String::from_utf8_lossy(&rest))?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Visible<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(parts: &[&[u8]], crlf: bool) -> String {
        let mut out = Vec::new();
        {
            let mut writer = if crlf {
                Visible::keeping_crlf(&mut out)
            } else {
                Visible::new(&mut out)
            };
            for part in parts {
                writer.write_all(part).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hidden_characters_show_and_split_characters_survive() {
        assert_eq!(
            through(&[b"Talks\x1b]0;pwned\x07 end\n"], false),
            "Talks\\u{1b}]0;pwned\\u{7} end\n"
        );
        let putin = "Путин".as_bytes();
        assert_eq!(through(&[&putin[..3], &putin[3..]], false), "Путин");
        assert_eq!(through(&[b"a\r", b"\nb\rc"], true), "a\r\nb\\u{d}c");
        assert_eq!(through(&[b"a\r\nb"], false), "a\\u{d}\nb");
        assert_eq!(
            through(&["\u{202e}txt.exe".as_bytes()], false),
            "\\u{202e}txt.exe"
        );
    }
}
