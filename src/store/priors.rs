//! Prior counts: what is known from before the record's first event of a series.

use std::collections::HashMap;

use crate::store::db::params;

use super::db::{Conn, Tx};

use super::{Result, Store, StoreError};
use crate::domain::prior::{Prior, PriorCount};
use crate::domain::series::Series;
use crate::domain::{FuzzyDate, Source};

/// A disputing count as the `disputed` column holds it.
#[derive(serde::Serialize, serde::Deserialize)]
struct Disputing {
    count: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    place: String,
    sources: Vec<Source>,
}

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
    let first = prior.count();
    let sources = serde_json::to_string(&first.sources).map_err(json_error)?;
    let disputed: Vec<Disputing> = prior
        .disputed()
        .iter()
        .map(|c| Disputing {
            count: c.count,
            last: c.last.map(|d| d.to_string()),
            place: c.place.trim().to_string(),
            sources: c.sources.clone(),
        })
        .collect();
    let disputed = serde_json::to_string(&disputed).map_err(json_error)?;
    let (one, other) = people_of(&prior.series);
    let on_conflict = if replace {
        "(series) DO UPDATE SET first = excluded.first, second = excluded.second, \
         count = excluded.count, last_date = excluded.last_date, \
         last_place = excluded.last_place, sources = excluded.sources, \
         disputed = excluded.disputed"
    } else {
        "DO NOTHING"
    };
    let written = tx.execute(
        &format!(
            "INSERT INTO prior (series, first, second, count, last_date, last_place, sources, \
             disputed) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT {on_conflict}"
        ),
        params![
            prior.series.key(),
            one,
            other,
            i64::try_from(first.count).unwrap_or(i64::MAX),
            first.last.map(|d| d.to_string()),
            first.place.trim(),
            sources,
            disputed
        ],
    )?;
    Ok(written > 0)
}

/// The prior counts recorded, by series: of one series, or all.
fn read_priors(conn: &Conn, series: Option<&Series>) -> Result<HashMap<Series, Prior>> {
    const COLUMNS: &str = "SELECT series, count, last_date, last_place, sources, disputed \
                           FROM prior";
    let (mut stmt, key) = match series {
        Some(series) => (
            conn.prepare_cached(&format!("{COLUMNS} WHERE series = ?"))?,
            vec![series.key()],
        ),
        None => (
            conn.prepare_cached(&format!("{COLUMNS} ORDER BY series"))?,
            vec![],
        ),
    };
    let rows = stmt.query_map(super::db::params_from_iter(key), |r| {
        Ok((
            r.get::<String>(0)?,
            super::count_column(r, 1)?,
            r.get::<Option<String>>(2)?,
            r.get::<String>(3)?,
            r.get::<String>(4)?,
            r.get::<String>(5)?,
        ))
    })?;
    let date = |d: Option<String>| d.as_deref().and_then(|d| FuzzyDate::parse_iso(d).ok());
    let mut priors = HashMap::new();
    for row in rows {
        let (key, count, last, place, sources, disputed) = row?;
        let Some(series) = Series::parse(&key) else {
            continue;
        };
        let sources: Vec<Source> = serde_json::from_str(&sources).map_err(json_error)?;
        let disputed: Vec<Disputing> = serde_json::from_str(&disputed).map_err(json_error)?;
        let mut prior = Prior::new(
            series.clone(),
            PriorCount {
                count,
                last: date(last),
                place,
                sources,
            },
        );
        prior
            .counts
            .extend(disputed.into_iter().map(|c| PriorCount {
                count: c.count,
                last: date(c.last),
                place: c.place,
                sources: c.sources,
            }));
        priors.insert(series, prior);
    }
    Ok(priors)
}

impl Store {
    /// Records (or replaces) what is known from before the record of `prior.series`.
    pub fn set_prior(&mut self, prior: &Prior) -> Result<()> {
        self.write(|tx| put_prior(tx, prior, true).map(drop))
    }

    /// Takes the source named `outlet` from the prior count of `series` (`Prior::remove_source`),
    /// and the prior with it where no count is left: the prior as it is now, or `None` where it
    /// went. Refused where no count of the series has that source.
    pub fn remove_prior_source(&mut self, series: &Series, outlet: &str) -> Result<Option<Prior>> {
        self.write(|tx| {
            let mut prior = read_priors(tx, Some(series))?
                .remove(series)
                .ok_or_else(|| {
                    crate::domain::Invalid::new("prior", outlet, "no prior count is recorded")
                })?;
            if !prior.remove_source(outlet) {
                return Err(crate::domain::Invalid::new(
                    "source",
                    outlet,
                    "gives none of the recorded counts",
                )
                .into());
            }
            if prior.counts.is_empty() {
                tx.execute("DELETE FROM prior WHERE series = ?", [series.key()])?;
                return Ok(None);
            }
            put_prior(tx, &prior, true)?;
            Ok(Some(prior))
        })
    }

    /// Forgets the prior count of `series`; whether there was one.
    pub fn remove_prior(&mut self, series: &Series) -> Result<bool> {
        self.write(|tx| Ok(tx.execute("DELETE FROM prior WHERE series = ?", [series.key()])? > 0))
    }

    /// Every prior count, by series.
    pub fn priors(&self) -> Result<HashMap<Series, Prior>> {
        read_priors(&self.conn, None)
    }

    /// Adds what `count`'s sources say of `series` to what is recorded (`Prior::add`): a
    /// source given again replaces its count, another source's count is kept beside it.
    /// Returns the prior as recorded now.
    pub fn add_prior_count(&mut self, series: &Series, count: PriorCount) -> Result<Prior> {
        self.write(|tx| {
            let prior = match read_priors(tx, Some(series))?.remove(series) {
                Some(mut prior) => {
                    prior.add(count);
                    prior
                }
                None => Prior::new(series.clone(), count),
            };
            put_prior(tx, &prior, true)?;
            Ok(prior)
        })
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
