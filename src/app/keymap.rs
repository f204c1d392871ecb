//! The key map, as data: one table of bindings from key names to actions, so that it can be
//! shown in the help overlay and later read from a file.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Action, View};

pub struct Binding {
    /// Key names as `key_name` spells them: "j", "down", "pgdn", "ctrl-r", "enter".
    pub keys: &'static [&'static str],
    pub action: Action,
    pub help: &'static str,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &["j", "down"],
        action: Action::Down,
        help: "move down",
    },
    Binding {
        keys: &["k", "up"],
        action: Action::Up,
        help: "move up",
    },
    Binding {
        keys: &["pgdn"],
        action: Action::PageDown,
        help: "page down",
    },
    Binding {
        keys: &["pgup"],
        action: Action::PageUp,
        help: "page up",
    },
    Binding {
        keys: &["g", "home"],
        action: Action::Top,
        help: "first",
    },
    Binding {
        keys: &["G", "end"],
        action: Action::Bottom,
        help: "last",
    },
    Binding {
        keys: &["left"],
        action: Action::Left,
        help: "previous column (stats matrix)",
    },
    Binding {
        keys: &["right"],
        action: Action::Right,
        help: "next column (stats matrix)",
    },
    Binding {
        keys: &["enter"],
        action: Action::Open,
        help: "open the selected event, person or cell",
    },
    Binding {
        keys: &["esc", "backspace"],
        action: Action::Back,
        help: "back; clear the filter",
    },
    Binding {
        keys: &["tab"],
        action: Action::NextFocus,
        help: "move focus between list and detail",
    },
    Binding {
        keys: &["1"],
        action: Action::Show(View::Timeline),
        help: "timeline",
    },
    Binding {
        keys: &["2"],
        action: Action::Show(View::People),
        help: "people",
    },
    Binding {
        keys: &["3"],
        action: Action::Show(View::History),
        help: "history of the selected person",
    },
    Binding {
        keys: &["4"],
        action: Action::Show(View::Stats),
        help: "stats",
    },
    Binding {
        keys: &["/"],
        action: Action::Search,
        help: "search titles, places and names",
    },
    Binding {
        keys: &["n"],
        action: Action::NextMatch,
        help: "next match",
    },
    Binding {
        keys: &["N"],
        action: Action::PreviousMatch,
        help: "previous match",
    },
    Binding {
        keys: &["f"],
        action: Action::Filter,
        help: "filter: person: side: kind: status: from: to:",
    },
    Binding {
        keys: &["t"],
        action: Action::JumpToDate,
        help: "jump to a date",
    },
    Binding {
        keys: &["T"],
        action: Action::JumpToToday,
        help: "jump to today",
    },
    Binding {
        keys: &["s"],
        action: Action::CycleSort,
        help: "change the sort order",
    },
    Binding {
        keys: &["S"],
        action: Action::LoadSeed,
        help: "load the bundled seed data (empty database)",
    },
    Binding {
        keys: &["?"],
        action: Action::Help,
        help: "this help",
    },
    Binding {
        keys: &["a"],
        action: Action::Add,
        help: "add an event",
    },
    Binding {
        keys: &["e"],
        action: Action::Edit,
        help: "edit the selected event",
    },
    Binding {
        keys: &["d"],
        action: Action::Delete,
        help: "delete the selected event (asks first)",
    },
    Binding {
        keys: &["u"],
        action: Action::Undo,
        help: "undo the last add, edit or delete",
    },
    Binding {
        keys: &["x"],
        action: Action::Export,
        help: "export what the view shows to CSV",
    },
    Binding {
        keys: &["ctrl-r"],
        action: Action::Redo,
        help: "redo what was undone",
    },
    Binding {
        keys: &["q", "ctrl-c"],
        action: Action::Quit,
        help: "quit",
    },
];

/// The name of a key press as bindings spell it.
pub fn key_name(key: &KeyEvent) -> Option<String> {
    let base = match key.code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "backtab".into(),
        KeyCode::Up => "up".into(),
        KeyCode::Down => "down".into(),
        KeyCode::Left => "left".into(),
        KeyCode::Right => "right".into(),
        KeyCode::PageUp => "pgup".into(),
        KeyCode::PageDown => "pgdn".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        _ => return None,
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        Some(format!("ctrl-{base}"))
    } else {
        Some(base)
    }
}

pub fn action_for(key: &KeyEvent) -> Option<Action> {
    let name = key_name(key)?;
    BINDINGS
        .iter()
        .find(|b| b.keys.contains(&name.as_str()))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = std::collections::HashSet::new();
        for binding in BINDINGS {
            for key in binding.keys {
                assert!(seen.insert(*key), "{key} is bound twice");
            }
        }
    }

    #[test]
    fn shifted_letters_and_control_keys() {
        let shift_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(action_for(&shift_g), Some(Action::Bottom));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(&ctrl_c), Some(Action::Quit));
        let plain_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(action_for(&plain_c), None);
    }
}
