//! Styles, with and without colour. `NO_COLOR` (https://no-color.org) leaves only bold, dim,
//! italic, reversed and crossed-out text.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// Source addresses are written as terminal hyperlinks (OSC 8).
    pub hyperlinks: bool,
    pub palette: Palette,
}

/// The colours of the theme, each settable in the configuration file by its field's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub heading: Color,
    pub ordinal: Color,
    pub key: Color,
    pub error: Color,
    pub planned: Color,
    pub dim: Color,
    pub matched: Color,
    pub bar: Color,
}

impl Palette {
    pub const DEFAULT: Palette = Palette {
        heading: Color::Cyan,
        ordinal: Color::Yellow,
        key: Color::Green,
        error: Color::Red,
        planned: Color::Blue,
        dim: Color::DarkGray,
        matched: Color::Yellow,
        bar: Color::Gray,
    };

    pub const NAMES: &[&str] = &[
        "heading", "ordinal", "key", "error", "planned", "dim", "matched", "bar",
    ];

    /// Sets the colour called `name` from text such as "cyan", "light-red" or "#ff8800".
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let color: Color = value
            .parse()
            .map_err(|_| format!("not a colour: \"{value}\" (a name such as cyan, or #rrggbb)"))?;
        let slot = match name {
            "heading" => &mut self.heading,
            "ordinal" => &mut self.ordinal,
            "key" => &mut self.key,
            "error" => &mut self.error,
            "planned" => &mut self.planned,
            "dim" => &mut self.dim,
            "matched" => &mut self.matched,
            "bar" => &mut self.bar,
            _ => {
                return Err(format!(
                    "unknown colour \"{name}\" (one of {})",
                    Self::NAMES.join(", ")
                ));
            }
        };
        *slot = color;
        Ok(())
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::PLAIN
    }
}

impl Theme {
    /// No colours and no hyperlinks: what tests draw with.
    pub const PLAIN: Theme = Theme {
        color: false,
        hyperlinks: false,
        palette: Palette::DEFAULT,
    };

    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            color: !no_color,
            hyperlinks: false,
            palette: Palette::DEFAULT,
        }
    }

    fn tint(&self, style: Style, color: Color) -> Style {
        if self.color { style.fg(color) } else { style }
    }

    pub fn plain(&self) -> Style {
        Style::default()
    }

    pub fn bold(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(self.palette.dim)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    pub fn heading(&self) -> Style {
        self.tint(self.bold(), self.palette.heading)
    }

    pub fn ordinal(&self) -> Style {
        self.tint(self.bold(), self.palette.ordinal)
    }

    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn planned(&self) -> Style {
        self.tint(
            Style::default().add_modifier(Modifier::ITALIC),
            self.palette.planned,
        )
    }

    pub fn cancelled(&self) -> Style {
        self.dim().add_modifier(Modifier::CROSSED_OUT)
    }

    pub fn matched(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(self.palette.matched)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn error(&self) -> Style {
        self.tint(self.bold(), self.palette.error)
    }

    pub fn bar(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(self.palette.bar)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn key(&self) -> Style {
        self.tint(self.bold(), self.palette.key)
    }
}
