//! Adding, editing and deleting events with an undo log kept in the database, so that undo and
//! redo survive a restart. Each change and its log entry are one transaction.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{NewPeople, Result, Store, StoreError, Target, save_event};
use crate::domain::record::EventRecord;
use crate::domain::{Event, EventDraft};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Add,
    Edit,
    Delete,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Add => "add",
            Change::Edit => "edit",
            Change::Delete => "delete",
        }
    }

    fn parse(text: &str) -> Option<Change> {
        [Change::Add, Change::Edit, Change::Delete]
            .into_iter()
            .find(|c| c.as_str() == text)
    }

    fn gerund(self) -> &'static str {
        match self {
            Change::Add => "adding",
            Change::Edit => "editing",
            Change::Delete => "deleting",
        }
    }
}

fn snapshot(event: &Event) -> Result<String> {
    serde_json::to_string(&EventRecord::from_event(event, Vec::new()))
        .map_err(|e| StoreError::Sqlite(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))
}

fn restore(text: &str) -> Result<EventDraft> {
    let record: EventRecord = serde_json::from_str(text)
        .map_err(|e| StoreError::Sqlite(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
    Ok(record.to_draft()?)
}

fn log(
    tx: &Transaction,
    change: Change,
    number: i64,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    // A new change ends what could be redone.
    tx.execute("DELETE FROM undo_log WHERE undone = 1", [])?;
    tx.execute(
        "INSERT INTO undo_log (action, number, before, after, at) VALUES (?, ?, ?, ?, ?)",
        params![
            change.as_str(),
            number,
            before,
            after,
            chrono::Utc::now().to_rfc3339()
        ],
    )?;
    Ok(())
}

struct Entry {
    id: i64,
    change: Change,
    number: i64,
    before: Option<String>,
    after: Option<String>,
}

impl Entry {
    fn title(&self) -> String {
        let text = self
            .after
            .as_deref()
            .or(self.before.as_deref())
            .unwrap_or("{}");
        serde_json::from_str::<EventRecord>(text)
            .map(|r| r.title)
            .unwrap_or_default()
    }

    fn describe(&self, verb: &str) -> String {
        format!(
            "{verb} {} #{} \"{}\"",
            self.change.gerund(),
            self.number,
            self.title()
        )
    }
}

fn entry(tx: &Transaction, undone: bool) -> Result<Option<Entry>> {
    let order = if undone { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT id, action, number, before, after FROM undo_log WHERE undone = ? ORDER BY id {order} LIMIT 1"
    );
    let row = tx
        .query_row(&sql, [undone], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })
        .optional()?;
    Ok(row.and_then(|(id, action, number, before, after)| {
        Change::parse(&action).map(|change| Entry {
            id,
            change,
            number,
            before,
            after,
        })
    }))
}

/// Puts the event with `number` into the state `text` records, or removes it for `None`.
fn put(tx: &Transaction, number: i64, text: Option<&str>) -> Result<()> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM event WHERE id = ?)",
        [number],
        |r| r.get(0),
    )?;
    match (text, exists) {
        (Some(text), true) => {
            save_event(
                tx,
                &restore(text)?,
                NewPeople::ExactOrCreate,
                Target::Replace(number),
            )?;
        }
        (Some(text), false) => {
            save_event(
                tx,
                &restore(text)?,
                NewPeople::ExactOrCreate,
                Target::New(Some(number)),
            )?;
        }
        (None, _) => super::counts::delete_event(tx, number)?,
    }
    Ok(())
}

impl Store {
    /// Validates and saves a new event in its own transaction, recorded for undo; returns its
    /// number.
    pub fn add_event(&mut self, draft: &EventDraft, new_people: NewPeople) -> Result<i64> {
        self.write(|tx| {
            let number = save_event(tx, draft, new_people, Target::New(None))?;
            let after = snapshot(&super::read_event(tx, number)?)?;
            log(tx, Change::Add, number, None, Some(&after))?;
            Ok(number)
        })
    }

    /// Replaces the event with `number` by `draft`, keeping its number and id.
    pub fn edit_event(
        &mut self,
        number: i64,
        draft: &EventDraft,
        new_people: NewPeople,
    ) -> Result<()> {
        self.write(|tx| {
            let before = super::read_event(tx, number)?;
            let mut draft = draft.clone();
            draft.uuid = Some(before.uuid);
            save_event(tx, &draft, new_people, Target::Replace(number))?;
            let after = snapshot(&super::read_event(tx, number)?)?;
            log(
                tx,
                Change::Edit,
                number,
                Some(&snapshot(&before)?),
                Some(&after),
            )?;
            Ok(())
        })
    }

    /// Deletes the event with `number`; returns what it was.
    pub fn delete_event(&mut self, number: i64) -> Result<Event> {
        self.write(|tx| {
            let before = super::read_event(tx, number)?;
            super::counts::delete_event(tx, number)?;
            log(tx, Change::Delete, number, Some(&snapshot(&before)?), None)?;
            Ok(before)
        })
    }

    /// Undoes the last add, edit or delete not yet undone; says what it undid, or `None` when
    /// there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>> {
        self.write(|tx| {
            let Some(entry) = entry(tx, false)? else {
                return Ok(None);
            };
            put(tx, entry.number, entry.before.as_deref())?;
            tx.execute("UPDATE undo_log SET undone = 1 WHERE id = ?", [entry.id])?;
            Ok(Some(entry.describe("undid")))
        })
    }

    /// Redoes the change undone last.
    pub fn redo(&mut self) -> Result<Option<String>> {
        self.write(|tx| {
            let Some(entry) = entry(tx, true)? else {
                return Ok(None);
            };
            put(tx, entry.number, entry.after.as_deref())?;
            tx.execute("UPDATE undo_log SET undone = 0 WHERE id = ?", [entry.id])?;
            Ok(Some(entry.describe("redid")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Country, DraftParticipant, FuzzyDate};

    fn draft(title: &str) -> EventDraft {
        let mut d = EventDraft::new(FuzzyDate::parse_iso("2025-04-11").unwrap(), title);
        d.participants = vec![
            DraftParticipant {
                name: "Vladimir Putin".into(),
                side: Country::parse("RU").unwrap(),
                head: false,
            },
            DraftParticipant {
                name: "Steve Witkoff".into(),
                side: Country::parse("US").unwrap(),
                head: false,
            },
        ];
        d
    }

    fn titles(store: &Store) -> Vec<(i64, String)> {
        store
            .events_page(
                &super::super::EventFilter::default(),
                super::super::Order::OldestFirst,
                0,
                100,
            )
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.title))
            .collect()
    }

    #[test]
    fn undo_and_redo_walk_back_and_forth_and_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("undo.db");
        {
            let mut store = Store::open(&path).unwrap();
            let first = store.add_event(&draft("First"), NewPeople::Create).unwrap();
            let second = store
                .add_event(&draft("Second"), NewPeople::Create)
                .unwrap();
            store
                .edit_event(first, &draft("First, corrected"), NewPeople::Create)
                .unwrap();
            store.delete_event(second).unwrap();
            assert_eq!(titles(&store), vec![(1, "First, corrected".to_string())]);
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(
            store.undo().unwrap().unwrap(),
            "undid deleting #2 \"Second\""
        );
        assert_eq!(
            titles(&store),
            vec![(1, "First, corrected".into()), (2, "Second".into())],
            "the number comes back too"
        );
        assert_eq!(
            store.undo().unwrap().unwrap(),
            "undid editing #1 \"First, corrected\""
        );
        assert_eq!(titles(&store)[0].1, "First");
        drop(store);
        let mut store = Store::open(&path).unwrap();
        assert_eq!(
            store.redo().unwrap().unwrap(),
            "redid editing #1 \"First, corrected\""
        );
        assert_eq!(titles(&store)[0].1, "First, corrected");
        store.undo().unwrap();
        store.undo().unwrap();
        store.undo().unwrap();
        assert!(titles(&store).is_empty());
        assert_eq!(store.undo().unwrap(), None);
        assert_eq!(store.redo().unwrap().unwrap(), "redid adding #1 \"First\"");
        store.add_event(&draft("Third"), NewPeople::Create).unwrap();
        assert_eq!(
            store.redo().unwrap(),
            None,
            "a new change ends the redo history"
        );
    }

    #[test]
    fn an_edit_keeps_the_events_identity() {
        let mut store = Store::open_in_memory().unwrap();
        let number = store.add_event(&draft("A"), NewPeople::Create).unwrap();
        let uuid = store.event(number).unwrap().uuid;
        let mut changed = draft("B");
        changed.participants.pop();
        store
            .edit_event(number, &changed, NewPeople::Create)
            .unwrap();
        let event = store.event(number).unwrap();
        assert_eq!(
            (event.uuid, event.title.as_str(), event.participants.len()),
            (uuid, "B", 1)
        );
        assert!(matches!(
            store.edit_event(99, &changed, NewPeople::Create),
            Err(StoreError::NoSuchEvent(_))
        ));
        assert!(matches!(
            store.delete_event(99),
            Err(StoreError::NoSuchEvent(_))
        ));
    }
}
