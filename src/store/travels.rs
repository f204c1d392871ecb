//! A person's travels, read for a count: their whole history in one query (with the
//! participants of its events), grouped into trips in the domain.

use super::Result;
use crate::domain::scope::Scope;
use crate::domain::travels::{Counted, Travels};
use crate::domain::{Country, Person};

impl super::Store {
    /// The trips of `person`, from every event they took part in.
    pub fn travels(&self, person: &Person) -> Result<Travels> {
        Ok(Travels::of(person, &self.events_to_count(&[person.id])?))
    }

    /// The visits of person `person_id` to the countries `within` admits that `scope` counts,
    /// in order, each with its place among them (planned ones included, marked): what a
    /// published count of visits is checked against.
    pub fn visits_of(
        &self,
        person_id: i64,
        within: impl Fn(&Country) -> bool,
        scope: &Scope,
    ) -> Result<Vec<Counted>> {
        let person = self.person(person_id)?;
        Ok(self.travels(&person)?.visits(within, scope))
    }
}
