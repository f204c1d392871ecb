//! Carrying out what `update` queued, with the store: loading, writing, exporting.

use super::{App, Focus, Overlay, Question, Request, View, expand_home, filter, form};
use crate::domain::duplicate::{self, Likeness};
use crate::domain::{Event, EventDraft, FuzzyDate};
use crate::interchange::ImportError;
use crate::report::Ordinals;
use crate::store::{EventFilter, Order, Store};

impl App {
    pub(super) fn carry_out(
        &mut self,
        request: Request,
        store: &mut Store,
    ) -> crate::store::Result<()> {
        match request {
            Request::Follow(date, id) => self.timeline.select_position(store, date, id)?,
            Request::FindMatch {
                in_history,
                forward,
                inclusive,
            } => {
                let list = if in_history {
                    &mut self.history.list
                } else {
                    &mut self.timeline
                };
                let said = list.find_match(
                    store,
                    self.viewport,
                    forward,
                    inclusive,
                    &self.labels,
                    self.date_style,
                )?;
                if !said.is_empty() {
                    self.status = Some(said);
                }
            }
            Request::ApplyFilter(text) => self.apply_filter(store, text)?,
            Request::Brush(text) => {
                self.apply_filter(store, text)?;
                self.go_to(View::Timeline);
            }
            Request::JumpTo(date) => self.jump_to(store, date)?,
            Request::OpenHistory(person_id) => {
                self.history.open(store, person_id, self.date_style)?;
                self.history.list.selected = 0;
                self.history.list.scroll = 0;
                self.go_to(View::History);
            }
            Request::OpenEvent(id) => self.open_event(store, id)?,
            Request::OpenCell => self.stats.open_cell(store)?,
            Request::Export {
                path,
                overwrite,
                excel,
            } => self.export(store, path, overwrite, excel)?,
            Request::OpenForm(number) => {
                let known = form::Known {
                    people: store.names()?,
                    cities: store.cities()?,
                    person_countries: store.countries_by_person()?,
                    city_countries: store.countries_by_city()?,
                };
                let form = match number {
                    Some(number) => {
                        let event = store.event(number)?;
                        let mut form = form::Form::editing(&event, self.today, known);
                        form.trips = crate::report::trip_lines(store, &event, self.date_style)?;
                        form
                    }
                    None => form::Form::new(self.today, known),
                };
                self.overlay = Some(Overlay::Form(Box::new(form)));
            }
            Request::SaveForm { draft, anyway } => self.save_form(store, &draft, anyway)?,
            Request::Delete(number) => {
                let event = store.delete_event(number)?;
                self.changed_store(store)?;
                self.status = Some(format!("deleted #{number} \"{}\"; u undoes", event.title));
            }
            Request::OpenPersonForm(id) => {
                let person = store.person(id)?;
                self.overlay = Some(Overlay::PersonForm(Box::new(
                    super::person_form::PersonForm::editing(&person),
                )));
            }
            Request::SavePerson(person) => match store.edit_person(&person) {
                Ok(saved) => {
                    self.overlay = None;
                    self.changed_store(store)?;
                    self.status = Some(format!("saved {}; u undoes", saved.name));
                }
                Err(error) => {
                    if let Some(Overlay::PersonForm(form)) = &mut self.overlay {
                        form.problem = Some(format!("{error:#}"));
                    }
                    self.status = Some(format!("not saved: {error:#}"));
                }
            },
            Request::OpenMerge(other) => {
                let name = store.person(other)?.name;
                let mut prompt = super::Prompt::new(
                    super::PromptKind::MergeInto(other),
                    "",
                    self.people.selected,
                    String::new(),
                );
                prompt.people = store
                    .names()?
                    .into_iter()
                    .filter(|(id, _, _)| *id != other)
                    .collect();
                prompt.hint = Some(format!("  the person {name} is merged into"));
                self.overlay = Some(Overlay::Prompt(prompt));
            }
            Request::AskMerge { keep, other } => {
                let kept = store.person(keep)?;
                let merged = store.person_summary(other)?;
                let moved = merged.events;
                self.overlay = Some(Overlay::Question(Question {
                    subject: format!(
                        "Merge {} into {}: {moved} {} move to {}, and \"{}\" becomes an alias",
                        merged.person.name,
                        kept.name,
                        if moved == 1 { "event" } else { "events" },
                        kept.name,
                        merged.person.name
                    ),
                    choices: "? y merges, n keeps both",
                    yes: Request::Merge { keep, other },
                    kept: "kept both".into(),
                    back_to: None,
                    back_on_yes: false,
                }));
            }
            Request::Merge { keep, other } => {
                let merged = store.person(other)?.name;
                match store.merge_people(keep, other) {
                    Ok((kept, moved)) => {
                        self.changed_store(store)?;
                        self.status = Some(format!(
                            "merged {merged} into {}: {moved} {} moved; u undoes",
                            kept.name,
                            if moved == 1 { "event" } else { "events" }
                        ));
                    }
                    Err(error) => self.status = Some(format!("not merged: {error:#}")),
                }
            }
            Request::AskDeletePerson(id) => {
                let summary = store.person_summary(id)?;
                let name = summary.person.name;
                match summary.events {
                    0 => {
                        self.overlay = Some(Overlay::Question(Question {
                            subject: format!("Delete {name}, who takes part in no event"),
                            choices: "? y deletes, n keeps",
                            yes: Request::DeletePerson(id),
                            kept: "kept".into(),
                            back_to: None,
                            back_on_yes: false,
                        }));
                    }
                    n => {
                        self.status = Some(format!(
                            "{name} takes part in {n} {}; only a person without events is deleted (m merges them into another)",
                            if n == 1 { "event" } else { "events" }
                        ));
                    }
                }
            }
            Request::DeletePerson(id) => match store.delete_person(id) {
                Ok(person) => {
                    self.changed_store(store)?;
                    self.status = Some(format!("deleted {}; u undoes", person.name));
                }
                Err(error) => self.status = Some(format!("not deleted: {error:#}")),
            },
            Request::Reload(why) => {
                self.changed_store(store)?;
                self.status = Some(why);
            }
            Request::Undo | Request::Redo => {
                let undo = request == Request::Undo;
                let done = if undo { store.undo()? } else { store.redo()? };
                self.changed_store(store)?;
                self.status = Some(done.unwrap_or_else(|| {
                    if undo {
                        "nothing to undo"
                    } else {
                        "nothing to redo"
                    }
                    .to_string()
                }));
            }
            Request::CheckRecord => {
                let found = store.quick_check()?;
                // Short enough to leave the status bar its position: `verify` says the rest.
                let mut parts: Vec<crate::store::Part> = found.iter().map(|f| f.part).collect();
                parts.sort();
                parts.dedup();
                if !parts.is_empty() {
                    let names: Vec<&str> = parts.iter().map(|p| p.name()).collect();
                    let said = format!("the record needs `attache verify` ({})", names.join(", "));
                    self.status = Some(match self.status.take() {
                        Some(notice) => format!("{notice} · {said}"),
                        None => said,
                    });
                }
            }
            Request::LoadSeed => match crate::interchange::seed(store) {
                Ok(summary) => {
                    self.status = Some(summary.line(false));
                    self.changed_store(store)?;
                }
                Err(ImportError::Store(error)) => return Err(error),
                // The bundled data itself refused: nothing was written, and the store is fine.
                Err(refused) => self.status = Some(format!("error: {refused}")),
            },
        }
        Ok(())
    }

    pub(super) fn apply_filter(&mut self, store: &Store, text: String) -> crate::store::Result<()> {
        let resolve = |name: &str| {
            store
                .resolve_person(name)
                .map(|p| p.id)
                .map_err(|e| e.to_string())
        };
        match filter::parse(&text, &resolve, self.today) {
            Ok(filter) => {
                let current = self
                    .timeline
                    .selected_event()
                    .map(|e| (e.date.first(), e.id));
                self.timeline.filter = filter;
                self.timeline.filter_text = text;
                self.overlay = None;
                self.stats.loaded = false;
                self.chart.loaded = false;
                self.recount(store)?;
                if let Some((date, id)) = current {
                    self.timeline.select_position(store, date, id)?;
                }
                let cleared = self.timeline.filter_text.trim().is_empty();
                self.status = Some(match self.timeline.total {
                    n if cleared => format!(
                        "filter cleared: all {} {}",
                        crate::interchange::thousands(n),
                        if n == 1 { "event" } else { "events" }
                    ),
                    0 => "no events match the filter; Esc clears it".to_string(),
                    1 => "1 event matches".to_string(),
                    n => format!("{} events match", crate::interchange::thousands(n)),
                });
            }
            Err(error) => match &mut self.overlay {
                Some(Overlay::Prompt(prompt)) => prompt.error = Some(error),
                _ => self.status = Some(error),
            },
        }
        Ok(())
    }

    /// Selects the event on `date`, or else the one nearest to it, and says which.
    pub(super) fn jump_to(&mut self, store: &Store, date: FuzzyDate) -> crate::store::Result<()> {
        let timeline = &mut self.timeline;
        timeline.focus = Focus::List;
        if timeline.total == 0 {
            self.status = Some("no events to go to".into());
            return Ok(());
        }
        let (first, last) = (date.first(), date.last());
        let newest_first = timeline.order == Order::NewestFirst;
        // The two events either side of the date's start (oldest first) or end (newest first),
        // read from that point.
        let point = if newest_first {
            (last, i64::MAX)
        } else {
            (first, i64::MIN)
        };
        let (filter, oldest) = (&timeline.filter, Order::OldestFirst);
        let mut around = store.events_beside(filter, oldest, Some(point), true, 0, 1)?;
        around.extend(store.events_beside(filter, oldest, Some(point), false, 0, 1)?);
        let within = |e: &&Event| e.date.last() >= first && e.date.first() <= last;
        let distance = |e: &&Event| {
            let to_start = (e.date.first() - last).num_days().max(0);
            let to_end = (first - e.date.last()).num_days().max(0);
            to_start.max(to_end)
        };
        let inside = if newest_first {
            around.iter().rev().find(within)
        } else {
            around.iter().find(within)
        };
        let chosen = inside.or_else(|| around.iter().min_by_key(distance));
        let Some(chosen) = chosen else {
            return Ok(());
        };
        timeline.select_position(store, chosen.date.first(), chosen.id)?;
        self.status = Some(if within(&chosen) {
            format!("went to {}", date.display(self.date_style))
        } else {
            format!(
                "no event on {}; nearest: {}",
                date.display(self.date_style),
                chosen.date.display(self.date_style)
            )
        });
        Ok(())
    }

    pub(super) fn open_event(&mut self, store: &Store, id: i64) -> crate::store::Result<()> {
        let event = store.event(id)?;
        let (date, id) = (event.date.first(), event.id);
        let timeline = &self.timeline;
        let shown = store
            .events_beside(
                &timeline.filter,
                timeline.order,
                Some((date, id)),
                false,
                0,
                1,
            )?
            .first()
            .is_some_and(|e| e.id == id);
        if !shown {
            self.timeline.filter = EventFilter::default();
            self.timeline.filter_text.clear();
            self.stats.loaded = false;
            self.recount(store)?;
            self.status = Some("filter cleared to show the event".into());
        }
        self.timeline.select_position(store, date, id)?;
        self.go_to(View::Timeline);
        self.timeline.focus = Focus::Detail;
        self.timeline.member = 0;
        Ok(())
    }

    pub(super) fn save_form(
        &mut self,
        store: &mut Store,
        draft: &EventDraft,
        anyway: bool,
    ) -> crate::store::Result<()> {
        let editing = self.form().and_then(|f| f.editing);
        let version = self.form().and_then(|f| f.version);
        if !anyway {
            // A check that cannot be made (the server gone) says so as a failed save does.
            match self.ask_about_duplicates(store, draft, editing) {
                Ok(false) => {}
                Ok(true) => return Ok(()),
                Err(error) => {
                    self.status = Some(format!("not saved: {error:#}"));
                    return Ok(());
                }
            }
        }
        let saved = match editing {
            None => store.add_event(draft, crate::store::NewPeople::Create),
            Some(number) => store
                .edit_event_if(number, draft, crate::store::NewPeople::Create, version)
                .map(|()| number),
        };
        let number = match saved {
            Ok(number) => number,
            Err(error @ crate::store::StoreError::Changed { .. }) => {
                self.status = Some(format!(
                    "not saved: {error:#}; the form keeps what you typed (Ctrl-L loads the event as it is now)"
                ));
                return Ok(());
            }
            Err(error) => {
                self.status = Some(format!("not saved: {error:#}"));
                return Ok(());
            }
        };
        self.overlay = None;
        self.changed_store(store)?;
        self.open_event(store, number)?;
        let event = store.event(number)?;
        let ordinal = Ordinals::new(store, self.date_style)
            .headline(&event)?
            .replacen("will be", "this will be", 1);
        let verb = if editing.is_some() { "saved" } else { "added" };
        self.status = Some(match ordinal.as_str() {
            "" => format!("{verb} #{number}"),
            o if o.starts_with("this will be") => format!("{verb} #{number}: {o}"),
            o => format!("{verb} #{number}: this is the {o}"),
        });
        Ok(())
    }

    /// Asks before saving a likely duplicate of another event (`domain::duplicate`), as the
    /// form asks before making new people; says whether it asked. An edit that leaves what the
    /// rule reads as it was is not asked about.
    fn ask_about_duplicates(
        &mut self,
        store: &Store,
        draft: &EventDraft,
        editing: Option<i64>,
    ) -> crate::store::Result<bool> {
        if let Some(number) = editing
            && store.likeness(draft)? == Likeness::of_event(&store.event(number)?, Some)
        {
            return Ok(false);
        }
        let likely = store.likely_duplicates(draft, editing)?;
        let Some(first) = likely.first() else {
            return Ok(false);
        };
        let more = match likely.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let form = self.overlay.take();
        self.overlay = Some(Overlay::Question(Question {
            subject: format!(
                "Event {}{more} looks the same",
                duplicate::describe(first.id, &first.date, &first.title, self.date_style)
            ),
            choices: ": save anyway? y saves it, n goes back to the form",
            yes: Request::SaveForm {
                draft: Box::new(draft.clone()),
                anyway: true,
            },
            kept: "not saved: the form keeps what you typed".into(),
            back_to: form.map(Box::new),
            back_on_yes: true,
        }));
        Ok(true)
    }

    pub(super) fn export(
        &mut self,
        store: &Store,
        path: String,
        overwrite: bool,
        excel: bool,
    ) -> crate::store::Result<()> {
        let refuse = |app: &mut App, error: String| match &mut app.overlay {
            Some(Overlay::Prompt(prompt)) => prompt.error = Some(error),
            _ => app.status = Some(format!("not exported: {error}")),
        };
        if path.is_empty() {
            refuse(self, "type a file name".into());
            return Ok(());
        }
        let target = expand_home(&path);
        if target.is_dir() {
            refuse(self, format!("{path} is a folder; add a file name"));
            return Ok(());
        }
        if target.exists() && !overwrite {
            let prompt = self.overlay.take();
            self.overlay = Some(Overlay::Question(Question {
                subject: format!("{path} exists"),
                choices: ". Overwrite it? y overwrites, n goes back",
                yes: Request::Export {
                    path,
                    overwrite: true,
                    excel,
                },
                kept: "not exported; the file is unchanged".into(),
                back_to: prompt.map(Box::new),
                back_on_yes: false,
            }));
            return Ok(());
        }
        let person = match self.view {
            View::History => self.history.person.as_ref().map(|p| p.id),
            _ => None,
        };
        let (filter, order) = self.shown();
        let options = crate::interchange::csv::WriteOptions {
            excel,
            ..Default::default()
        };
        let written = crate::interchange::write_file_atomically(&target, |out| match person {
            Some(person) => crate::interchange::csv::export_history(store, person, out, options),
            None => crate::interchange::csv::export(store, &filter, order, out, options),
        });
        match written {
            Ok(rows) => {
                self.overlay = None;
                // Said in full, wherever the program was started from.
                let target = std::fs::canonicalize(&target)
                    .or_else(|_| std::path::absolute(&target))
                    .unwrap_or(target);
                self.status = Some(format!(
                    "exported {} {} to {}{}",
                    crate::interchange::thousands(rows),
                    if rows == 1 { "row" } else { "rows" },
                    target.display(),
                    if excel { " (CSV for Excel)" } else { "" }
                ));
            }
            Err(error) => refuse(self, error.to_string()),
        }
        Ok(())
    }
}
