//! Stored rows read back as the domain's values: events, dates with their precision, keywords,
//! countries and claims.

use chrono::NaiveDate;
use uuid::Uuid;

use super::db::{self, DbError, Row};
use super::{Result, StoreError};
use crate::domain::{Country, Event, EventPlace, FuzzyDate, Precision};

/// The columns `event_from_row` reads, in its order, from an event named `e`.
pub(super) const EVENT_COLUMNS: &str = "e.id, e.uuid, e.date_first, e.precision, e.circa, e.end_first, \
     e.end_precision, e.title, e.kind, e.mode, e.status, e.city, e.country, e.venue, e.notes, \
     e.version";

pub(super) fn event_from_row(row: &Row) -> db::Result<Event> {
    let uuid = Uuid::parse_str(&required_text(row, 1)?).map_err(|e| DbError::conversion(1, e))?;
    let precision = required_text(row, 3)?;
    let first = row
        .date(2)?
        .ok_or_else(|| DbError::conversion(2, "NULL is not a date"))?;
    let end_first = row.date(5)?;
    let end_precision = row.text(6)?;
    Ok(Event {
        id: row.get(0)?,
        uuid,
        date: fuzzy_from(first, &precision, row.get(4)?),
        end_date: end_first
            .map(|d| fuzzy_from(d, end_precision.as_deref().unwrap_or("day"), false)),
        title: row.get(7)?,
        kind: keyword(row, 8)?,
        mode: keyword(row, 9)?,
        status: keyword(row, 10)?,
        place: EventPlace {
            city: row.get(11)?,
            country: country_column(row, 12)?,
            venue: row.get(13)?,
        },
        notes: row.get(14)?,
        version: row.get(15)?,
        participants: Vec::new(),
        sources: Vec::new(),
        claims: Vec::new(),
        unnamed_sides: Vec::new(),
    })
}

/// A count read from a row: SQLite's integers are signed, counts are not.
pub(crate) fn count_column(row: &Row, index: usize) -> db::Result<usize> {
    let n: i64 = row.get(index)?;
    usize::try_from(n).map_err(|e| DbError::conversion(index, e))
}
/// A stored claim; a column that fails to read back means the file was edited by hand, which
/// is reported rather than hidden.
pub(super) fn claim_from_columns(
    aspect: &str,
    value: String,
    sources: &str,
    note: String,
    count: Option<String>,
) -> Result<crate::domain::claim::Claim> {
    let broken = |what: String| StoreError::Database(DbError::conversion(0, what));
    let aspect = aspect.parse().map_err(broken)?;
    let sources = sources
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().map_err(|e| broken(e.to_string())))
        .collect::<Result<_>>()?;
    let count = match count {
        Some(text) => {
            let record: crate::domain::record::CountRecord =
                serde_json::from_str(&text).map_err(|e| broken(e.to_string()))?;
            Some(record.to_count().map_err(|e| broken(e.to_string()))?)
        }
        None => None,
    };
    Ok(crate::domain::claim::Claim {
        aspect,
        value,
        sources,
        note,
        count,
    })
}

/// Sides are checked on the way in; one that fails to read back means the file was edited by
/// hand, which is reported rather than hidden. The code is looked at where the engine holds
/// it: a country keeps no text of its own.
pub(super) fn required_country(row: &Row, index: usize) -> db::Result<Country> {
    let text = required_text(row, index)?;
    Country::parse(&text).map_err(|reason| DbError::conversion(index, format!("{reason}: {text}")))
}

pub(super) fn country_column(row: &Row, index: usize) -> db::Result<Option<Country>> {
    Ok(row.text(index)?.and_then(|t| Country::parse(&t).ok()))
}

fn precision_from(text: &str) -> Precision {
    match text {
        "month" => Precision::Month,
        "year" => Precision::Year,
        _ => Precision::Day,
    }
}

pub(super) fn fuzzy_from(first: NaiveDate, precision: &str, circa: bool) -> FuzzyDate {
    let date = FuzzyDate::day(first).with_circa(circa);
    match precision_from(precision) {
        Precision::Day => date,
        Precision::Month => FuzzyDate::from_parts(
            chrono::Datelike::year(&first),
            Some(chrono::Datelike::month(&first)),
            None,
            circa,
        )
        .unwrap_or(date),
        Precision::Year => {
            FuzzyDate::from_parts(chrono::Datelike::year(&first), None, None, circa).unwrap_or(date)
        }
    }
}

/// A text column that may not be NULL, looked at without a copy where the engine allows.
pub(super) fn required_text<'r>(
    row: &Row<'r>,
    index: usize,
) -> db::Result<std::borrow::Cow<'r, str>> {
    row.text(index)?
        .ok_or_else(|| DbError::conversion(index, "NULL is not text"))
}

pub(super) fn keyword<T: std::str::FromStr>(row: &Row, index: usize) -> db::Result<T> {
    let text = required_text(row, index)?;
    text.parse()
        .map_err(|_| DbError::conversion(index, format!("unexpected value {text:?}")))
}
