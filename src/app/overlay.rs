//! What can open over a view: the help, a prompt at the bottom, the entry form, or a yes/no
//! question. One at a time, as one `enum`, so that each key goes to exactly one place.

use tui_input::Input;

use super::form::Form;
use super::{Request, View};

pub enum Overlay {
    Help(Help),
    Prompt(Prompt),
    Form(Box<Form>),
    Question(Question),
}

/// The help overlay: every key, filtered by what was typed after `/`, scrolled with j/k.
#[derive(Debug, Clone, Default)]
pub struct Help {
    pub filter: Input,
    /// Keys go into the filter (after `/`) rather than scrolling.
    pub filtering: bool,
    pub scroll: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// Search the list of this view.
    Search(View),
    Filter,
    Date,
    Export,
}

impl PromptKind {
    pub fn label(self) -> &'static str {
        match self {
            PromptKind::Search(_) => "/",
            PromptKind::Filter => "filter: ",
            PromptKind::Date => "go to date: ",
            PromptKind::Export => "export CSV to: ",
        }
    }
}

/// A line being typed at the bottom of the screen.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: Input,
    pub error: Option<String>,
    /// Where the selection was when the prompt opened, to go back to on Esc.
    pub(super) origin: usize,
    /// The search that was active when the prompt opened, restored on Esc.
    pub(super) previous: String,
}

impl Prompt {
    pub(super) fn new(kind: PromptKind, value: &str, origin: usize, previous: String) -> Self {
        Prompt {
            kind,
            input: Input::new(value.to_string()),
            error: None,
            origin,
            previous,
        }
    }
}

/// A question answered with y or n, such as "Delete …?".
pub struct Question {
    /// What is asked about: "Delete #3 \"…\" (11 Apr 2025)", cut first where room is short.
    pub subject: String,
    /// What y and n do: "? y deletes it, n keeps it".
    pub choices: &'static str,
    pub(super) yes: Request,
    /// What a no says in the status bar.
    pub(super) kept: String,
    /// What a no goes back to: the prompt the question came from.
    pub(super) back_to: Option<Box<Overlay>>,
}
