//! The key map, as data: one table of bindings from key names to actions, the views' and the
//! forms', so that it can be shown in the help overlay and rebound in the configuration file.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Action, View};

/// What a key does in the event and person forms. A text field takes every key the form does
/// not use where the focus is: space types a space in a text field and marks a head on a
/// participant's head box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    Save,
    Close,
    NextField,
    PreviousField,
    /// The next completion when some are offered, else the next field.
    Down,
    Up,
    /// Take the completion and move on; press the button or box under the focus.
    Accept,
    /// Change the choice (kind, mode, status, aspect) or mark the head under the focus.
    Toggle,
    PreviousChoice,
    NextChoice,
    RemoveRow,
    RowUp,
    RowDown,
    Reload,
}

/// What a binding does: the views' keys and the forms' keys are looked up apart, so one key can
/// mean one thing in a list and another in a form (Esc, Tab, Enter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    View(Action),
    Form(FormAction),
}

impl Bound {
    fn in_form(self) -> bool {
        matches!(self, Bound::Form(_))
    }
}

pub struct Binding {
    /// The action's name in the configuration file: "page-down", "go-to-date".
    pub name: &'static str,
    /// Key names as `key_name` spells them: "j", "down", "pgdn", "ctrl-r", "alt-up", "enter".
    pub keys: &'static [&'static str],
    pub action: Bound,
    pub help: &'static str,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        name: "down",
        keys: &["j", "down"],
        action: Bound::View(Action::Down),
        help: "move down",
    },
    Binding {
        name: "up",
        keys: &["k", "up"],
        action: Bound::View(Action::Up),
        help: "move up",
    },
    Binding {
        name: "page-down",
        keys: &["pgdn"],
        action: Bound::View(Action::PageDown),
        help: "page down",
    },
    Binding {
        name: "page-up",
        keys: &["pgup"],
        action: Bound::View(Action::PageUp),
        help: "page up",
    },
    Binding {
        name: "first",
        keys: &["g", "home"],
        action: Bound::View(Action::Top),
        help: "first",
    },
    Binding {
        name: "last",
        keys: &["G", "end"],
        action: Bound::View(Action::Bottom),
        help: "last",
    },
    Binding {
        name: "left",
        keys: &["left", "h"],
        action: Bound::View(Action::Left),
        help: "previous column (stats matrix); previous period (chart)",
    },
    Binding {
        name: "right",
        keys: &["right", "l"],
        action: Bound::View(Action::Right),
        help: "next column (stats matrix); next period (chart)",
    },
    Binding {
        name: "open",
        keys: &["enter"],
        action: Bound::View(Action::Open),
        help: "open the selected event, person or cell",
    },
    Binding {
        name: "back",
        keys: &["esc", "backspace"],
        action: Bound::View(Action::Back),
        help: "back; clear the filter",
    },
    Binding {
        name: "switch-pane",
        keys: &["tab"],
        action: Bound::View(Action::NextFocus),
        help: "move focus between list and detail",
    },
    Binding {
        name: "timeline",
        keys: &["1"],
        action: Bound::View(Action::Show(View::Timeline)),
        help: "timeline",
    },
    Binding {
        name: "people",
        keys: &["2"],
        action: Bound::View(Action::Show(View::People)),
        help: "people",
    },
    Binding {
        name: "history",
        keys: &["3"],
        action: Bound::View(Action::Show(View::History)),
        help: "history of the selected person",
    },
    Binding {
        name: "stats",
        keys: &["4"],
        action: Bound::View(Action::Show(View::Stats)),
        help: "stats",
    },
    Binding {
        name: "chart",
        keys: &["5"],
        action: Bound::View(Action::Show(View::Chart)),
        help: "chart of events over time",
    },
    Binding {
        name: "zoom-in",
        keys: &["+", "="],
        action: Bound::View(Action::ZoomIn),
        help: "chart: shorter periods (days at the finest)",
    },
    Binding {
        name: "zoom-out",
        keys: &["-"],
        action: Bound::View(Action::ZoomOut),
        help: "chart: longer periods (decades at the widest)",
    },
    Binding {
        name: "search",
        keys: &["/"],
        action: Bound::View(Action::Search),
        help: "search this list: titles, places and names",
    },
    Binding {
        name: "next-match",
        keys: &["n"],
        action: Bound::View(Action::NextMatch),
        help: "next match",
    },
    Binding {
        name: "previous-match",
        keys: &["N"],
        action: Bound::View(Action::PreviousMatch),
        help: "previous match",
    },
    Binding {
        name: "filter",
        keys: &["f"],
        action: Bound::View(Action::Filter),
        help: "filter the timeline by person, side, country, kind, mode, status, dates",
    },
    Binding {
        name: "go-to-date",
        keys: &["t"],
        action: Bound::View(Action::JumpToDate),
        help: "jump to a date: type it, or move on the calendar with the arrows",
    },
    Binding {
        name: "go-to-today",
        keys: &["T"],
        action: Bound::View(Action::JumpToToday),
        help: "jump to today",
    },
    Binding {
        name: "sort",
        keys: &["s"],
        action: Bound::View(Action::CycleSort),
        help: "change the sort order",
    },
    Binding {
        name: "load-seed",
        keys: &["S"],
        action: Bound::View(Action::LoadSeed),
        help: "load the bundled seed data (empty database)",
    },
    Binding {
        name: "help",
        keys: &["?"],
        action: Bound::View(Action::Help),
        help: "this help",
    },
    Binding {
        name: "add",
        keys: &["a"],
        action: Bound::View(Action::Add),
        help: "add an event",
    },
    Binding {
        name: "edit",
        keys: &["e"],
        action: Bound::View(Action::Edit),
        help: "edit the selected event; in People, the selected person",
    },
    Binding {
        name: "delete",
        keys: &["d"],
        action: Bound::View(Action::Delete),
        help: "delete the selected event (asks first); in People, a person without events",
    },
    Binding {
        name: "merge",
        keys: &["m"],
        action: Bound::View(Action::Merge),
        help: "in People: merge the selected person into another (asks first)",
    },
    Binding {
        name: "undo",
        keys: &["u"],
        action: Bound::View(Action::Undo),
        help: "undo the last add, edit or delete",
    },
    Binding {
        name: "export",
        keys: &["x"],
        action: Bound::View(Action::Export),
        help: "export what the view shows to CSV",
    },
    Binding {
        name: "open-link",
        keys: &["o"],
        action: Bound::View(Action::OpenLink),
        help: "open the selected event's source in the browser",
    },
    Binding {
        name: "copy-citation",
        keys: &["y"],
        action: Bound::View(Action::CopyCitation),
        help: "copy a citation of the selected event (OSC 52)",
    },
    Binding {
        name: "messages",
        keys: &["M"],
        action: Bound::View(Action::Messages),
        help: "the last messages of the status bar, whole",
    },
    Binding {
        name: "redo",
        keys: &["ctrl-r"],
        action: Bound::View(Action::Redo),
        help: "redo what was undone",
    },
    Binding {
        name: "quit",
        keys: &["q", "ctrl-c"],
        action: Bound::View(Action::Quit),
        help: "quit",
    },
    Binding {
        name: "form-save",
        keys: &["ctrl-s"],
        action: Bound::Form(FormAction::Save),
        help: "form: save",
    },
    Binding {
        name: "form-close",
        keys: &["esc"],
        action: Bound::Form(FormAction::Close),
        help: "form: close (asks first when changed)",
    },
    Binding {
        name: "form-next-field",
        keys: &["tab"],
        action: Bound::Form(FormAction::NextField),
        help: "form: next field",
    },
    Binding {
        name: "form-previous-field",
        keys: &["backtab"],
        action: Bound::Form(FormAction::PreviousField),
        help: "form: previous field",
    },
    Binding {
        name: "form-down",
        keys: &["down"],
        action: Bound::Form(FormAction::Down),
        help: "form: next completion, or the next field",
    },
    Binding {
        name: "form-up",
        keys: &["up"],
        action: Bound::Form(FormAction::Up),
        help: "form: previous completion, or the previous field",
    },
    Binding {
        name: "form-accept",
        keys: &["enter"],
        action: Bound::Form(FormAction::Accept),
        help: "form: take the completion and move on; add a row; new line in notes",
    },
    Binding {
        name: "form-toggle",
        keys: &["space"],
        action: Bound::Form(FormAction::Toggle),
        help: "form: change kind, mode, status or a claim's aspect; mark the head of a side",
    },
    Binding {
        name: "form-previous-choice",
        keys: &["left"],
        action: Bound::Form(FormAction::PreviousChoice),
        help: "form: previous kind, mode, status or aspect",
    },
    Binding {
        name: "form-next-choice",
        keys: &["right"],
        action: Bound::Form(FormAction::NextChoice),
        help: "form: next kind, mode, status or aspect",
    },
    Binding {
        name: "form-remove-row",
        keys: &["ctrl-d"],
        action: Bound::Form(FormAction::RemoveRow),
        help: "form: remove the participant, source or claim row",
    },
    Binding {
        name: "form-row-up",
        keys: &["alt-up", "ctrl-up"],
        action: Bound::Form(FormAction::RowUp),
        help: "form: move the row up",
    },
    Binding {
        name: "form-row-down",
        keys: &["alt-down", "ctrl-down"],
        action: Bound::Form(FormAction::RowDown),
        help: "form: move the row down",
    },
    Binding {
        name: "form-reload",
        keys: &["ctrl-l"],
        action: Bound::Form(FormAction::Reload),
        help: "form: after a refused save, load the event as it is now",
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
    let control = if key.modifiers.contains(KeyModifiers::CONTROL) {
        "ctrl-"
    } else {
        ""
    };
    let alt = if key.modifiers.contains(KeyModifiers::ALT) {
        "alt-"
    } else {
        ""
    };
    Some(format!("{control}{alt}{base}"))
}

/// A key name as people read it in a hint: "ctrl-s" → "Ctrl-S", "up" → "↑".
pub fn shown(name: &str) -> String {
    let (control, rest) = match name.strip_prefix("ctrl-") {
        Some(rest) => ("Ctrl-", rest),
        None => ("", name),
    };
    let (alt, base) = match rest.strip_prefix("alt-") {
        Some(base) => ("Alt-", base),
        None => ("", rest),
    };
    let base = match base {
        "up" => "↑".to_string(),
        "down" => "↓".to_string(),
        "left" => "←".to_string(),
        "right" => "→".to_string(),
        "backtab" => "Shift-Tab".to_string(),
        "pgup" => "PgUp".to_string(),
        "pgdn" => "PgDn".to_string(),
        one if one.chars().count() == 1 && !(control.is_empty() && alt.is_empty()) => {
            one.to_uppercase()
        }
        word => {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        }
    };
    format!("{control}{alt}{base}")
}

/// Keys that mean something outside the key map: in text fields, questions, the help, and the
/// mouse. Shown in the help beside the bindings.
pub const FIXED: &[(&str, &str)] = &[
    ("ctrl-w, ctrl-u", "text fields: delete a word, the line"),
    ("y, n", "questions: yes, no"),
    (
        "tab",
        "export prompt: plain CSV, or CSV for Excel (a byte-order mark first)",
    ),
    ("wheel", "mouse: scroll the list or the detail under it"),
    ("click", "mouse: select a row, or switch view on a tab"),
    ("/ j k esc", "help: filter, scroll, close"),
    ("j k g G esc", "messages: scroll, first, newest, close"),
];

/// The bindings in force: the defaults with what the configuration file changed.
#[derive(Debug, Clone)]
pub struct KeyMap {
    /// (action name, keys, action, help), in the order of `BINDINGS`.
    bindings: Vec<(&'static str, Vec<String>, Bound, &'static str)>,
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
    fn bound(&self, key: &KeyEvent, in_form: bool) -> Option<Bound> {
        let find = |name: String| {
            self.bindings
                .iter()
                .find(|(_, keys, bound, _)| bound.in_form() == in_form && keys.contains(&name))
                .map(|(_, _, bound, _)| *bound)
        };
        find(key_name(key)?).or_else(|| {
            // Esc pressed just before a key reaches the program as Alt with that key (Esc then
            // q, quickly, is Alt-q): an Alt key bound to nothing of its own is the key.
            let mut plain = *key;
            plain.modifiers.remove(KeyModifiers::ALT);
            (plain.modifiers != key.modifiers)
                .then(|| key_name(&plain))
                .flatten()
                .and_then(find)
        })
    }

    /// What `key` does in a view.
    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        match self.bound(key, false)? {
            Bound::View(action) => Some(action),
            Bound::Form(_) => None,
        }
    }

    /// What `key` does in a form.
    pub fn form_action_for(&self, key: &KeyEvent) -> Option<FormAction> {
        match self.bound(key, true)? {
            Bound::Form(action) => Some(action),
            Bound::View(_) => None,
        }
    }

    /// The keys bound to a view's `action`, first the one hints show.
    pub fn view_keys(&self, action: Action) -> &[String] {
        self.bindings
            .iter()
            .find(|(_, _, bound, _)| *bound == Bound::View(action))
            .map_or(&[], |(_, keys, _, _)| keys.as_slice())
    }

    /// The keys bound to a form's `action`, first the one hints show.
    pub fn form_keys(&self, action: FormAction) -> &[String] {
        self.bindings
            .iter()
            .find(|(_, _, bound, _)| *bound == Bound::Form(action))
            .map_or(&[], |(_, keys, _, _)| keys.as_slice())
    }

    /// Each binding as (keys joined, help), for the help overlay.
    pub fn rows(&self) -> impl Iterator<Item = (String, &'static str)> + '_ {
        self.bindings
            .iter()
            .map(|(_, keys, _, help)| (keys.join(", "), *help))
    }

    /// Binds `action` (by its name) to `keys` instead of its defaults; a key taken from
    /// another action of the views, or of the forms, is taken away from it.
    pub fn bind(&mut self, action: &str, keys: &[String]) -> Result<(), String> {
        for key in keys {
            if !valid_key_name(key) {
                return Err(format!(
                    "unknown key \"{key}\" (keys look like j, G, ctrl-r, alt-up, pgdn, f5)"
                ));
            }
        }
        let Some(in_form) = self
            .bindings
            .iter()
            .find(|(name, ..)| *name == action)
            .map(|(_, _, bound, _)| bound.in_form())
        else {
            return Err(format!("unknown action \"{action}\""));
        };
        for (name, bound, action_bound, _) in &mut self.bindings {
            if *name == action {
                *bound = keys.to_vec();
            } else if action_bound.in_form() == in_form {
                bound.retain(|k| !keys.contains(k));
            }
        }
        Ok(())
    }
}

/// Whether `name` is a key as `key_name` spells them.
fn valid_key_name(name: &str) -> bool {
    let base = name.strip_prefix("ctrl-").unwrap_or(name);
    let base = base.strip_prefix("alt-").unwrap_or(base);
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
    fn an_alt_key_bound_to_nothing_is_the_key_itself() {
        let map = KeyMap::default();
        let alt = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT);
        let plain = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(map.action_for(&alt('q')), map.action_for(&plain('q')));
        assert!(map.action_for(&alt('q')).is_some());
        let alt_down = KeyEvent::new(KeyCode::Down, KeyModifiers::ALT);
        assert_eq!(
            map.form_action_for(&alt_down),
            Some(FormAction::RowDown),
            "a bound Alt key keeps its own action"
        );
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = std::collections::HashSet::new();
        for binding in BINDINGS {
            for key in binding.keys {
                assert!(
                    seen.insert((binding.action.in_form(), *key)),
                    "{key} is bound twice"
                );
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

    #[test]
    fn one_key_means_one_thing_in_a_view_and_another_in_a_form() {
        let map = KeyMap::default();
        let esc = KeyEvent::from(KeyCode::Esc);
        assert_eq!(map.action_for(&esc), Some(Action::Back));
        assert_eq!(map.form_action_for(&esc), Some(FormAction::Close));
        let alt_up = KeyEvent::new(KeyCode::Up, KeyModifiers::ALT);
        assert_eq!(map.form_action_for(&alt_up), Some(FormAction::RowUp));
        // In a view no Alt key is bound: Alt-↑ is ↑, as Esc-then-↑ typed quickly arrives.
        assert_eq!(map.action_for(&alt_up), Some(Action::Up));
        let mut map = KeyMap::default();
        map.bind("form-close", &["q".into()]).unwrap();
        let q = KeyEvent::from(KeyCode::Char('q'));
        assert_eq!(map.action_for(&q), Some(Action::Quit), "the view keeps q");
        assert_eq!(map.form_action_for(&q), Some(FormAction::Close));
        assert_eq!(map.form_action_for(&esc), None);
        assert_eq!(shown("ctrl-s"), "Ctrl-S");
        assert_eq!(shown("alt-up"), "Alt-↑");
        assert_eq!(shown("backtab"), "Shift-Tab");
    }
}
