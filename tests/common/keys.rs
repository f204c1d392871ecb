//! Typing at an `App` as a user would: key names separated by spaces.

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

use attache::app::App;
use attache::store::Store;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key by name: "Enter", "j", "C-s" (control), "M-Up" (alt), "BackTab".
pub fn key(name: &str) -> KeyEvent {
    if let Some(rest) = name.strip_prefix("C-") {
        return KeyEvent::new(key(rest).code, KeyModifiers::CONTROL);
    }
    if let Some(rest) = name.strip_prefix("M-") {
        return KeyEvent::new(key(rest).code, KeyModifiers::ALT);
    }
    let code = match name {
        "BackTab" => KeyCode::BackTab,
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "Backspace" => KeyCode::Backspace,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PgUp" => KeyCode::PageUp,
        "PgDn" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Space" => KeyCode::Char(' '),
        one if one.chars().count() == 1 => KeyCode::Char(one.chars().next().unwrap()),
        other => panic!("unknown key name {other}"),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Presses each key in `keys` ("j j Enter"), syncing with the store after each, as the loop does.
pub fn press(app: &mut App, store: &mut Store, keys: &str) {
    for name in keys.split(' ').filter(|k| !k.is_empty()) {
        app.handle_key(key(name));
        app.sync(store);
    }
}

/// Types text into whatever has the keyboard, one character at a time.
pub fn type_text(app: &mut App, store: &mut Store, text: &str) {
    for c in text.chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        app.sync(store);
    }
}
