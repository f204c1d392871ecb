//! Where two people were together before an event other than as the heads of their sides: in a
//! delegation, on one side, at a meeting one of them did not head. Read from the participation
//! rows of whichever of the two took part in fewer events, so that the cost is bounded by the
//! smaller of their histories and never by the record.

use crate::store::db::params;
use chrono::NaiveDate;

use super::{Result, Store};
use crate::domain::series::Series;

/// What two people's earlier time together comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Together {
    /// How many in-person events before the day both attended, not counted in their meetings
    /// as heads.
    pub times: usize,
    /// The number of the latest of them.
    pub last: i64,
}

/// The in-person events that happened wholly before the day, attended by `?1` and `?2`, and not
/// members of the series `?4` (their meetings as heads): read from `?1`'s rows by date, each
/// looked for among `?2`'s rows by date (`hint` makes the engine do so), where a busy person's
/// rows lie together, so that only the events both attended are read. `CROSS JOIN` keeps
/// SQLite to that order: left to choose, it read every one of `?1`'s events and their places
/// in series before looking among `?2`'s rows (8 ms instead of 1.6 ms for the busiest pair of a
/// million events, on a cold cache).
fn earlier(hint: &str) -> String {
    format!(
        "FROM participation a CROSS JOIN participation b {hint} CROSS JOIN event e \
         WHERE a.person_id = ? AND a.date_first < ? AND e.date_last < ? \
           AND b.person_id = ? AND b.date_first = a.date_first AND b.event_id = a.event_id \
           AND e.id = b.event_id AND e.mode = 'in-person' \
           AND e.status IN ('reported', 'confirmed') \
           AND NOT EXISTS (SELECT 1 FROM series_place s WHERE s.event_id = e.id \
             AND s.series = ?)"
    )
}

impl Store {
    /// The events before `day` at which the two people of `series` (a pair's in-person
    /// meetings) were together other than as its members; `None` where there were none or the
    /// series is not a pair's.
    pub fn together_before(&self, series: &Series, day: NaiveDate) -> Result<Option<Together>> {
        let Series::Meetings { first, second, .. } = series else {
            return Ok(None);
        };
        let fewer: i64 = self.conn.query_row(
            "SELECT id FROM person WHERE id IN (?, ?) ORDER BY events, id LIMIT 1",
            [first, second],
            |r| r.get(0),
        )?;
        let other = if fewer == *first { *second } else { *first };
        let day = day.format("%Y-%m-%d").to_string();
        let key = series.key();
        let earlier = earlier(self.conn.dialect().person_date_index_hint());
        let params = params![fewer, day, day, other, key];
        let times = self
            .conn
            .query_row(&format!("SELECT count(*) {earlier}"), params, |r| {
                super::count_column(r, 0)
            })?;
        if times == 0 {
            return Ok(None);
        }
        let last = self.conn.query_row(
            &format!(
                "SELECT a.event_id {earlier} ORDER BY a.date_first DESC, a.event_id DESC LIMIT 1"
            ),
            params,
            |r| r.get(0),
        )?;
        Ok(Some(Together { times, last }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables of `sql`'s plan on SQLite, in the order they are read.
    fn read_order(store: &Store, sql: &str) -> Vec<String> {
        let plan: Vec<String> = store
            .conn
            .prepare_cached(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(
                params![1_i64, "2025-01-01", "2025-01-01", 2_i64, "x"],
                |row| row.get(3),
            )
            .unwrap()
            .collect::<crate::store::db::Result<_>>()
            .unwrap();
        plan.iter()
            .filter_map(|step| step.strip_prefix("SEARCH ").or(step.strip_prefix("SCAN ")))
            .filter_map(|rest| rest.split(' ').next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_pairs_shared_rows_are_read_before_their_events() {
        let store = Store::open_in_memory().unwrap();
        let earlier = earlier(store.conn.dialect().person_date_index_hint());
        for sql in [
            format!("SELECT count(*) {earlier}"),
            format!(
                "SELECT a.event_id {earlier} ORDER BY a.date_first DESC, a.event_id DESC LIMIT 1"
            ),
        ] {
            let order = read_order(&store, &sql);
            assert_eq!(order[..3], ["a", "b", "e"], "{sql}");
        }
    }
}
