//! Styles, with and without colour. `NO_COLOR` (https://no-color.org) leaves only bold, dim,
//! italic, reversed and crossed-out text.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
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
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    pub fn heading(&self) -> Style {
        self.tint(self.bold(), Color::Cyan)
    }

    pub fn ordinal(&self) -> Style {
        self.tint(self.bold(), Color::Yellow)
    }

    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn planned(&self) -> Style {
        self.tint(Style::default().add_modifier(Modifier::ITALIC), Color::Blue)
    }

    pub fn cancelled(&self) -> Style {
        self.dim().add_modifier(Modifier::CROSSED_OUT)
    }

    pub fn matched(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(Color::Yellow)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn error(&self) -> Style {
        self.tint(self.bold(), Color::Red)
    }

    pub fn bar(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(Color::Gray)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn key(&self) -> Style {
        self.tint(self.bold(), Color::Green)
    }
}
