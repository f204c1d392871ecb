//! The key map, as data: one table of bindings from key names to actions, so that it can be
//! shown in the help overlay and later read from a file.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Action, View};

pub struct Binding {
    /// The action's name in the configuration file: "page-down", "go-to-date".
    pub name: &'static str,
    /// Key names as `key_name` spells them: "j", "down", "pgdn", "ctrl-r", "enter".
    pub keys: &'static [&'static str],
    pub action: Action,
    pub help: &'static str,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        name: "down",
        keys: &["j", "down"],
        action: Action::Down,
        help: "move down",
    },
    Binding {
        name: "up",
        keys: &["k", "up"],
        action: Action::Up,
        help: "move up",
    },
    Binding {
        name: "page-down",
        keys: &["pgdn"],
        action: Action::PageDown,
        help: "page down",
    },
    Binding {
        name: "page-up",
        keys: &["pgup"],
        action: Action::PageUp,
        help: "page up",
    },
    Binding {
        name: "first",
        keys: &["g", "home"],
        action: Action::Top,
        help: "first",
    },
    Binding {
        name: "last",
        keys: &["G", "end"],
        action: Action::Bottom,
        help: "last",
    },
    Binding {
        name: "left",
        keys: &["left", "h"],
        action: Action::Left,
        help: "previous column (stats matrix)",
    },
    Binding {
        name: "right",
        keys: &["right", "l"],
        action: Action::Right,
        help: "next column (stats matrix)",
    },
    Binding {
        name: "open",
        keys: &["enter"],
        action: Action::Open,
        help: "open the selected event, person or cell",
    },
    Binding {
        name: "back",
        keys: &["esc", "backspace"],
        action: Action::Back,
        help: "back; clear the filter",
    },
    Binding {
        name: "switch-pane",
        keys: &["tab"],
        action: Action::NextFocus,
        help: "move focus between list and detail",
    },
    Binding {
        name: "timeline",
        keys: &["1"],
        action: Action::Show(View::Timeline),
        help: "timeline",
    },
    Binding {
        name: "people",
        keys: &["2"],
        action: Action::Show(View::People),
        help: "people",
    },
    Binding {
        name: "history",
        keys: &["3"],
        action: Action::Show(View::History),
        help: "history of the selected person",
    },
    Binding {
        name: "stats",
        keys: &["4"],
        action: Action::Show(View::Stats),
        help: "stats",
    },
    Binding {
        name: "search",
        keys: &["/"],
        action: Action::Search,
        help: "search this list: titles, places and names",
    },
    Binding {
        name: "next-match",
        keys: &["n"],
        action: Action::NextMatch,
        help: "next match",
    },
    Binding {
        name: "previous-match",
        keys: &["N"],
        action: Action::PreviousMatch,
        help: "previous match",
    },
    Binding {
        name: "filter",
        keys: &["f"],
        action: Action::Filter,
        help: "filter the timeline by person, side, country, kind, mode, status, dates",
    },
    Binding {
        name: "go-to-date",
        keys: &["t"],
        action: Action::JumpToDate,
        help: "jump to a date",
    },
    Binding {
        name: "go-to-today",
        keys: &["T"],
        action: Action::JumpToToday,
        help: "jump to today",
    },
    Binding {
        name: "sort",
        keys: &["s"],
        action: Action::CycleSort,
        help: "change the sort order",
    },
    Binding {
        name: "load-seed",
        keys: &["S"],
        action: Action::LoadSeed,
        help: "load the bundled seed data (empty database)",
    },
    Binding {
        name: "help",
        keys: &["?"],
        action: Action::Help,
        help: "this help",
    },
    Binding {
        name: "add",
        keys: &["a"],
        action: Action::Add,
        help: "add an event",
    },
    Binding {
        name: "edit",
        keys: &["e"],
        action: Action::Edit,
        help: "edit the selected event; in People, the selected person",
    },
    Binding {
        name: "delete",
        keys: &["d"],
        action: Action::Delete,
        help: "delete the selected event (asks first); in People, a person without events",
    },
    Binding {
        name: "merge",
        keys: &["m"],
        action: Action::Merge,
        help: "in People: merge the selected person into another (asks first)",
    },
    Binding {
        name: "undo",
        keys: &["u"],
        action: Action::Undo,
        help: "undo the last add, edit or delete",
    },
    Binding {
        name: "export",
        keys: &["x"],
        action: Action::Export,
        help: "export what the view shows to CSV",
    },
    Binding {
        name: "open-link",
        keys: &["o"],
        action: Action::OpenLink,
        help: "open the selected event's source in the browser",
    },
    Binding {
        name: "copy-citation",
        keys: &["y"],
        action: Action::CopyCitation,
        help: "copy a citation of the selected event (OSC 52)",
    },
    Binding {
        name: "redo",
        keys: &["ctrl-r"],
        action: Action::Redo,
        help: "redo what was undone",
    },
    Binding {
        name: "quit",
        keys: &["q", "ctrl-c"],
        action: Action::Quit,
        help: "quit",
    },
];

/// The name of a key press as bindings spell it.
pub fn key_name(key: &KeyEvent) -> Option<String> {
    let base = match key.code {
        KeyCode::Char(' ') => "space".into(),
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
        KeyCode::Delete => "delete".into(),
        KeyCode::Insert => "insert".into(),
        KeyCode::F(n) => format!("f{n}"),
        _ => return None,
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        Some(format!("ctrl-{base}"))
    } else {
        Some(base)
    }
}

/// Keys that mean something outside the key map: in the form, in the help, and the mouse.
/// Shown in the help beside the bindings.
pub const FIXED: &[(&str, &str)] = &[
    ("tab, shift-tab", "form: next and previous field"),
    ("↑ ↓", "form: choose a completion, or move between fields"),
    (
        "enter",
        "form: take the completion and move on; new line in notes",
    ),
    (
        "← →, space",
        "form: change kind, mode, status or a claim's aspect",
    ),
    ("ctrl-s", "form: save"),
    (
        "ctrl-l",
        "form: after a refused save, load the event as it is now",
    ),
    (
        "ctrl-d",
        "form: remove the participant, source or claim row",
    ),
    ("alt-↑ alt-↓", "form: move the row up or down"),
    ("esc", "form: close (asks first when changed)"),
    ("ctrl-w, ctrl-u", "text fields: delete a word, the line"),
    ("y, n", "questions: yes, no"),
    ("wheel", "mouse: scroll the list or the detail under it"),
    ("click", "mouse: select a row, or switch view on a tab"),
    ("/ j k esc", "help: filter, scroll, close"),
];

/// The bindings in force: the defaults with what the configuration file changed.
#[derive(Debug, Clone)]
pub struct KeyMap {
    /// (action name, keys, action, help), in the order of `BINDINGS`.
    bindings: Vec<(&'static str, Vec<String>, Action, &'static str)>,
}

impl Default for KeyMap {
    fn default() -> Self {
        KeyMap {
            bindings: BINDINGS
                .iter()
                .map(|b| {
                    let keys = b.keys.iter().map(|k| (*k).to_string()).collect();
                    (b.name, keys, b.action, b.help)
                })
                .collect(),
        }
    }
}

impl KeyMap {
    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        let name = key_name(key)?;
        self.bindings
            .iter()
            .find(|(_, keys, _, _)| keys.contains(&name))
            .map(|(_, _, action, _)| *action)
    }

    /// Each binding as (keys joined, help), for the help overlay.
    pub fn rows(&self) -> impl Iterator<Item = (String, &'static str)> + '_ {
        self.bindings
            .iter()
            .map(|(_, keys, _, help)| (keys.join(", "), *help))
    }

    /// Binds `action` (by its name) to `keys` instead of its defaults; a key taken from
    /// another action is taken away from it.
    pub fn bind(&mut self, action: &str, keys: &[String]) -> Result<(), String> {
        for key in keys {
            if !valid_key_name(key) {
                return Err(format!(
                    "unknown key \"{key}\" (keys look like j, G, ctrl-r, pgdn, f5)"
                ));
            }
        }
        if !self.bindings.iter().any(|(name, ..)| *name == action) {
            return Err(format!("unknown action \"{action}\""));
        }
        for (name, bound, ..) in &mut self.bindings {
            if *name == action {
                *bound = keys.to_vec();
            } else {
                bound.retain(|k| !keys.contains(k));
            }
        }
        Ok(())
    }
}

/// Whether `name` is a key as `key_name` spells them.
fn valid_key_name(name: &str) -> bool {
    let base = name.strip_prefix("ctrl-").unwrap_or(name);
    base.chars().count() == 1
        || matches!(
            base,
            "enter"
                | "esc"
                | "backspace"
                | "tab"
                | "backtab"
                | "up"
                | "down"
                | "left"
                | "right"
                | "pgup"
                | "pgdn"
                | "home"
                | "end"
                | "delete"
                | "insert"
                | "space"
        )
        || base
            .strip_prefix('f')
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=12).contains(&n))
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
                assert!(valid_key_name(key), "{key}");
            }
        }
        let names: std::collections::HashSet<_> = BINDINGS.iter().map(|b| b.name).collect();
        assert_eq!(names.len(), BINDINGS.len(), "an action name is used twice");
    }

    #[test]
    fn rebinding_moves_a_key_and_refuses_unknown_names() {
        let mut map = KeyMap::default();
        map.bind("quit", &["x".to_string()]).unwrap();
        let x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(map.action_for(&x), Some(Action::Quit));
        assert_eq!(map.action_for(&q), None);
        assert!(
            map.bind("fly", &["z".into()])
                .unwrap_err()
                .contains("unknown action")
        );
        assert!(
            map.bind("quit", &["hyper-q".into()])
                .unwrap_err()
                .contains("unknown key")
        );
    }

    #[test]
    fn shifted_letters_and_control_keys() {
        let map = KeyMap::default();
        let action_for = |key: &KeyEvent| map.action_for(key);
        let shift_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(action_for(&shift_g), Some(Action::Bottom));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(&ctrl_c), Some(Action::Quit));
        let plain_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(action_for(&plain_c), None);
    }
}
