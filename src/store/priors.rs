//! Prior counts: what is known from before the record's first event of a series.

use std::collections::HashMap;

use rusqlite::params;

use super::db::{Conn, Tx};

use super::{Result, Store, StoreError};
use crate::domain::prior::Prior;
use crate::domain::series::Series;
use crate::domain::{FuzzyDate, Source};

fn json_error(e: serde_json::Error) -> StoreError {
    StoreError::Database(super::db::DbError::conversion(0, e))
}

/// The people a series names.
fn people_of(series: &Series) -> (i64, Option<i64>) {
    match series {
        Series::Meetings { first, second, .. } => (*first, Some(*second)),
        Series::Visits { person, .. } => (*person, None),
    }
}

/// Records `prior`, replacing one recorded for its series when `replace` is set; whether it was
/// written.
pub(super) fn put_prior(tx: &Tx, prior: &Prior, replace: bool) -> Result<bool> {
    prior.validate()?;
    let sources = serde_json::to_string(&prior.sources).map_err(json_error)?;
    let (first, second) = people_of(&prior.series);
    let on_conflict = if replace {
        "(series) DO UPDATE SET first = excluded.first, second = excluded.second, \
         count = excluded.count, last_date = excluded.last_date, \
         last_place = excluded.last_place, sources = excluded.sources"
    } else {
        "DO NOTHING"
    };
    let written = tx.execute(
        &format!(
            "INSERT INTO prior (series, first, second, count, last_date, last_place, sources) \
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT {on_conflict}"
        ),
        params![
            prior.series.key(),
            first,
            second,
            i64::try_from(prior.count).unwrap_or(i64::MAX),
            prior.last.map(|d| d.to_string()),
            prior.place.trim(),
            sources
        ],
    )?;
    Ok(written > 0)
}

impl Store {
    /// Records (or replaces) what is known from before the record of `prior.series`.
    pub fn set_prior(&mut self, prior: &Prior) -> Result<()> {
        self.write(|tx| put_prior(tx, prior, true).map(drop))
    }

    /// Forgets the prior count of `series`; whether there was one.
    pub fn remove_prior(&mut self, series: &Series) -> Result<bool> {
        self.write(|tx| Ok(tx.execute("DELETE FROM prior WHERE series = ?", [series.key()])? > 0))
    }

    /// Every prior count, by series.
    pub fn priors(&self) -> Result<HashMap<Series, Prior>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT series, count, last_date, last_place, sources FROM prior ORDER BY series",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<String>(0)?,
                super::count_column(r, 1)?,
                r.get::<Option<String>>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
            ))
        })?;
        let mut priors = HashMap::new();
        for row in rows {
            let (key, count, last, place, sources) = row?;
            let Some(series) = Series::parse(&key) else {
                continue;
            };
            let sources: Vec<Source> = serde_json::from_str(&sources).map_err(json_error)?;
            let last = last.as_deref().and_then(|d| FuzzyDate::parse_iso(d).ok());
            priors.insert(
                series.clone(),
                Prior {
                    series,
                    count,
                    last,
                    place,
                    sources,
                },
            );
        }
        Ok(priors)
    }

    /// Whether `person` is named by a prior count: such a person is not deleted or merged away
    /// without it.
    pub(super) fn has_priors(tx: &Conn, person: i64) -> Result<bool> {
        Ok(tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM prior WHERE first = ?1 OR second = ?1)",
            [person],
            |r| r.get(0),
        )?)
    }
}
