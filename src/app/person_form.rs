//! The person form: a person's names in every spelling, short name, country, titles and
//! notes, edited as one line each. Lists are written with "; " between entries, titles as
//! "TITLE[:FROM[:UNTIL]]", as `attache person edit` takes them.

use crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::keymap::{FormAction, KeyMap};
use crate::domain::{Country, Invalid, Person, Title};

pub const LABELS: [&str; 7] = [
    "Name",
    "Short name",
    "Country",
    "Also written",
    "Native names",
    "Titles",
    "Notes",
];

/// What the user chose to do with the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonFormOutcome {
    Stay,
    Close,
    Save(Box<Person>),
}

pub struct PersonForm {
    pub id: i64,
    /// The index in `LABELS` of the field with the keys.
    pub focus: usize,
    pub fields: [Input; 7],
    /// What is wrong with the values, after a save was tried.
    pub problem: Option<String>,
    /// Esc was pressed on a changed form: a second Esc discards the changes.
    pub confirm_discard: bool,
    original: Person,
}

fn list(items: &[String]) -> String {
    items.join("; ")
}

fn entries(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .collect()
}

impl PersonForm {
    pub fn editing(person: &Person) -> Self {
        let titles: Vec<String> = person.titles.iter().map(Title::spec).collect();
        PersonForm {
            id: person.id,
            focus: 0,
            fields: [
                Input::new(person.name.clone()),
                Input::new(person.short_name.clone()),
                Input::new(
                    person
                        .country
                        .as_ref()
                        .map(|c| c.code().to_string())
                        .unwrap_or_default(),
                ),
                Input::new(list(&person.aliases)),
                Input::new(list(&person.native_names)),
                Input::new(list(&titles)),
                // One line: a line break in the notes shows as " / " and is kept as one.
                Input::new(person.notes.replace('\n', " / ")),
            ],
            problem: None,
            confirm_discard: false,
            original: person.clone(),
        }
    }

    /// The person as the form says, or what is wrong with a field.
    pub fn person(&self) -> Result<Person, Invalid> {
        let value = |i: usize| self.fields[i].value().trim().to_string();
        let country = match value(2).as_str() {
            "" => None,
            code => Some(Country::parse_field("country", code)?),
        };
        let titles = entries(&value(5))
            .iter()
            .map(|spec| Title::parse_spec("titles", spec))
            .collect::<Result<_, _>>()?;
        let notes = if self.original.notes.replace('\n', " / ") == value(6) {
            self.original.notes.clone()
        } else {
            value(6)
        };
        Ok(Person {
            id: self.id,
            name: value(0),
            native_names: entries(&value(4)),
            aliases: entries(&value(3)),
            short_name: value(1),
            country,
            titles,
            notes,
        })
    }

    /// What labels show when the short name is left blank: the family name of the name typed.
    pub fn default_short(&self) -> &str {
        crate::domain::names::family_name(self.fields[0].value().trim())
    }

    pub fn changed(&self) -> bool {
        self.person().map_or(true, |p| p != self.original)
    }

    /// A key for the form, looked up in `keys` as the event form's are.
    pub fn handle_key(&mut self, key: KeyEvent, keys: &KeyMap) -> PersonFormOutcome {
        let discarding = std::mem::take(&mut self.confirm_discard);
        match keys.form_action_for(&key) {
            Some(FormAction::Close) if discarding || !self.changed() => {
                return PersonFormOutcome::Close;
            }
            Some(FormAction::Close) => self.confirm_discard = true,
            Some(FormAction::Save) => {
                return match self.person() {
                    Ok(person) => PersonFormOutcome::Save(Box::new(person)),
                    Err(problem) => {
                        self.problem = Some(problem.to_string());
                        PersonFormOutcome::Stay
                    }
                };
            }
            Some(FormAction::NextField | FormAction::Down | FormAction::Accept) => {
                self.focus = (self.focus + 1) % LABELS.len();
            }
            Some(FormAction::PreviousField | FormAction::Up) => {
                self.focus = (self.focus + LABELS.len() - 1) % LABELS.len();
            }
            _ => {
                if let Some(request) = to_input_request(&TermEvent::Key(key)) {
                    self.fields[self.focus].handle(request);
                    self.problem = None;
                }
            }
        }
        PersonFormOutcome::Stay
    }

    pub fn paste(&mut self, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            self.fields[self.focus].handle(tui_input::InputRequest::InsertChar(c));
        }
        self.problem = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyCode;

    fn lavrov() -> Person {
        Person {
            id: 5,
            name: "Sergey Lavrov".into(),
            native_names: vec!["Сергей Лавров".into()],
            aliases: vec!["Sergei Lavrov".into()],
            short_name: String::new(),
            country: Country::parse("RU").ok(),
            titles: vec![Title {
                title: "Minister of Foreign Affairs".into(),
                from: chrono::NaiveDate::from_ymd_opt(2004, 3, 9),
                until: None,
            }],
            notes: "line one\nline two".into(),
        }
    }

    #[test]
    fn an_unchanged_form_gives_the_person_back() {
        let form = PersonForm::editing(&lavrov());
        assert_eq!(
            form.fields[5].value(),
            "Minister of Foreign Affairs:2004-03-09"
        );
        assert_eq!(form.person().unwrap(), lavrov());
        assert!(!form.changed());
    }

    #[test]
    fn esc_on_a_changed_form_asks_for_a_second_esc() {
        let keys = KeyMap::default();
        let esc = KeyEvent::from(KeyCode::Esc);
        let mut form = PersonForm::editing(&lavrov());
        assert_eq!(
            form.handle_key(esc, &keys),
            PersonFormOutcome::Close,
            "unchanged: closes at once"
        );
        let mut form = PersonForm::editing(&lavrov());
        form.handle_key(KeyEvent::from(KeyCode::Char('x')), &keys);
        assert!(form.changed());
        assert_eq!(form.handle_key(esc, &keys), PersonFormOutcome::Stay);
        assert!(form.confirm_discard);
        assert_eq!(form.handle_key(esc, &keys), PersonFormOutcome::Close);
    }

    #[test]
    fn lists_are_read_between_semicolons_and_bad_values_are_named() {
        let mut form = PersonForm::editing(&lavrov());
        form.fields[3] = Input::new("Sergei Lavrov;  Sergej Lawrow ;".into());
        assert_eq!(
            form.person().unwrap().aliases,
            ["Sergei Lavrov", "Sergej Lawrow"]
        );
        form.fields[2] = Input::new("XX".into());
        assert_eq!(form.person().unwrap_err().field, "country");
        form.fields[2] = Input::new("RU".into());
        form.fields[5] = Input::new("Minister:2004-13-09".into());
        assert_eq!(form.person().unwrap_err().field, "titles");
    }

    #[test]
    fn a_blank_short_name_is_the_family_name_of_the_name_typed() {
        let mut form = PersonForm::editing(&lavrov());
        assert_eq!(form.fields[1].value(), "");
        assert_eq!(form.default_short(), "Lavrov");
        form.fields[0] = Input::new("Ulysses S. Grant II".into());
        assert_eq!(form.default_short(), "Grant");
        form.fields[1] = Input::new(" Grant II ".into());
        assert_eq!(form.person().unwrap().short_name, "Grant II");
        assert_eq!(form.person().unwrap().short(), "Grant II");
    }
}
