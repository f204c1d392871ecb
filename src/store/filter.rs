//! Which events a read keeps, and the SQL that keeps them.

use super::db::Value;
use super::engine::Dialect;
use crate::domain::{Country, FuzzyDate, Kind, Mode, Status};
use chrono::NaiveDate;

/// Which events to read. Every condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Each of these people took part.
    pub people: Vec<i64>,
    /// Held in this country.
    pub country: Option<Country>,
    /// One of the sides is this country.
    pub side: Option<Country>,
    pub kind: Option<Kind>,
    pub mode: Option<Mode>,
    pub status: Option<Status>,
    /// Starting no earlier than this date's first day.
    pub from: Option<FuzzyDate>,
    /// Starting no later than this date's last day.
    pub to: Option<FuzzyDate>,
    /// Each of these phrases appears in the title, place, venue or a participant's name,
    /// ignoring case.
    pub search: Vec<String>,
}

impl EventFilter {
    /// The one search this filter asks for, lower-cased, when it asks for nothing else and the
    /// index can answer it (three characters or more).
    pub(super) fn only_search(&self) -> Option<String> {
        match self.search.as_slice() {
            [text] if text.trim().chars().count() >= 3 && !text.contains('\0') => {
                let rest = EventFilter {
                    search: Vec::new(),
                    ..self.clone()
                };
                (rest == EventFilter::default()).then(|| text.trim().to_lowercase())
            }
            _ => None,
        }
    }

    /// The one person this filter asks for, when it asks for nothing else.
    /// The first and last days this filter keeps, when it asks for nothing but dates.
    pub(super) fn only_dates(&self) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        let rest = EventFilter {
            from: None,
            to: None,
            ..self.clone()
        };
        (rest == EventFilter::default() && (self.from.is_some() || self.to.is_some())).then(|| {
            (
                self.from.as_ref().map(FuzzyDate::first),
                self.to.as_ref().map(FuzzyDate::last),
            )
        })
    }

    pub(super) fn only_person(&self) -> Option<i64> {
        match self.people.as_slice() {
            [person] => {
                let rest = EventFilter {
                    people: Vec::new(),
                    ..self.clone()
                };
                (rest == EventFilter::default()).then_some(*person)
            }
            _ => None,
        }
    }
}

/// Where a filtered read starts, and the columns that order it. For the events of people, the
/// first person's participations in date order: the (person, date) index holds the event's
/// number too, so a page of a person's events reads that page and no more, where starting
/// from the events would sort all of the person's events first.
pub(super) struct Scan {
    pub from: &'static str,
    /// What counting needs: without the events, when nothing is asked of them.
    pub counted_from: &'static str,
    pub clause: String,
    pub values: Vec<Value>,
    pub date: &'static str,
    pub id: &'static str,
}

impl Scan {
    pub fn of(filter: &EventFilter, dialect: &dyn Dialect) -> Scan {
        let Some((first, others)) = filter.people.split_first() else {
            let (clause, values) = filter_clause(filter, dialect);
            return Scan {
                from: "event e",
                counted_from: "event e",
                clause,
                values,
                date: "e.date_first",
                id: "e.id",
            };
        };
        let rest = EventFilter {
            people: Vec::new(),
            ..filter.clone()
        };
        // Dates are bounded through the participation below; anything else asks of the events.
        let asks_of_events = rest
            != EventFilter {
                from: rest.from,
                to: rest.to,
                ..EventFilter::default()
            };
        let (rest_clause, rest_values) = if asks_of_events {
            filter_clause(&rest, dialect)
        } else {
            ("TRUE".to_string(), Vec::new())
        };
        let mut clause = "pa.person_id = ?".to_string();
        let mut values = vec![Value::Integer(*first)];
        // The participation's date is the event's: bounds go through the index.
        if let Some(from) = &filter.from {
            clause.push_str(" AND pa.date_first >= ?");
            values.push(Value::Text(from.first().to_string()));
        }
        if let Some(to) = &filter.to {
            clause.push_str(" AND pa.date_first <= ?");
            values.push(Value::Text(to.last().to_string()));
        }
        for other in others {
            clause.push_str(
                " AND EXISTS (SELECT 1 FROM participation q WHERE q.event_id = pa.event_id \
                 AND q.person_id = ?)",
            );
            values.push(Value::Integer(*other));
        }
        clause.push_str(" AND ");
        clause.push_str(&rest_clause);
        values.extend(rest_values);
        let from = "participation pa JOIN event e ON e.id = pa.event_id";
        Scan {
            from,
            counted_from: if asks_of_events {
                from
            } else {
                "participation pa"
            },
            clause,
            values,
            date: "pa.date_first",
            id: "pa.event_id",
        }
    }
}

/// The WHERE clause for a filter, over `event e`, with its parameters: all but the people,
/// which `Scan` reads from the participation index.
fn filter_clause(filter: &EventFilter, dialect: &dyn Dialect) -> (String, Vec<Value>) {
    let mut conditions = vec!["TRUE".to_string()];
    let mut values = Vec::new();
    if let Some(country) = &filter.country {
        conditions.push("e.country = ?".into());
        values.push(Value::Text(country.code().into()));
    }
    if let Some(side) = &filter.side {
        conditions.push(
            "(EXISTS (SELECT 1 FROM participation pa WHERE pa.event_id = e.id AND pa.side = ?) \
             OR EXISTS (SELECT 1 FROM unnamed_side us WHERE us.event_id = e.id AND us.side = ?))"
                .into(),
        );
        values.push(Value::Text(side.code().into()));
        values.push(Value::Text(side.code().into()));
    }

    let keywords = [
        ("e.kind", filter.kind.map(|k| k.as_str())),
        ("e.mode", filter.mode.map(|m| m.as_str())),
        ("e.status", filter.status.map(|s| s.as_str())),
    ];
    for (column, value) in keywords {
        if let Some(value) = value {
            conditions.push(format!("{column} = ?"));
            values.push(Value::Text(value.into()));
        }
    }
    if let Some(from) = &filter.from {
        conditions.push("e.date_first >= ?".into());
        values.push(Value::Text(from.first().to_string()));
    }
    if let Some(to) = &filter.to {
        conditions.push("e.date_first <= ?".into());
        values.push(Value::Text(to.last().to_string()));
    }
    for search in filter
        .search
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let lowered = search.to_lowercase();
        if lowered.contains('\0') {
            // Stored text holds no NUL (input refuses control characters), and neither FTS5's
            // query syntax nor LIKE can take one: it would end the string.
            conditions.push("FALSE".into());
            continue;
        }
        let (condition, value) = dialect.search_condition(&lowered);
        conditions.push(condition.into());
        values.push(value);
    }
    (conditions.join(" AND "), values)
}

/// `text` as one FTS5 phrase: quoted, so that no character in it is query syntax.
pub(super) fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

pub(super) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
