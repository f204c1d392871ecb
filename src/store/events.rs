//! Reading events: counts, pages in timeline order, positions and searches in it, breakdowns,
//! and single events with everything recorded of them.

use crate::store::db::params;
use chrono::NaiveDate;
use uuid::Uuid;

use super::db::{self, Begin, Conn, Optional, Row, Value};
use super::filter::{Scan, like_escape};
use super::rows::{
    EVENT_COLUMNS, claim_from_columns, count_column, event_from_row, required_country,
};
use super::{BoxError, EventFilter, KeptPlace, Result, Store, StoreError, name_key, ranks};
use crate::domain::{Event, EventDraft, FuzzyDate, Kind, Participant, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    OldestFirst,
    NewestFirst,
}

impl Store {
    pub fn event_count(&self, filter: &EventFilter) -> Result<usize> {
        if *filter == EventFilter::default() {
            // From the kept tally: every event has one kind.
            return Ok(self.conn.query_row(
                "SELECT coalesce(sum(events), 0) FROM tally WHERE dimension = 'kind'",
                [],
                |r| count_column(r, 0),
            )?);
        }
        if let Some(text) = filter.only_search() {
            // Counted in the index alone, without reading the events.
            let (sql, pattern) = self.conn.dialect().search_count(&text);
            return Ok(self
                .conn
                .query_row(sql, [pattern], |r| count_column(r, 0))?);
        }
        if let Some((first, last)) = filter.only_dates() {
            // From the kept events per month, as `position_in_all` counts.
            let all = self.event_count(&EventFilter::default())?;
            let from = self.before_day(first)?.unwrap_or(0);
            let to = self
                .before_day(last.and_then(|d| d.succ_opt()))?
                .unwrap_or(all);
            return Ok(to.saturating_sub(from));
        }
        if let Some(person) = filter.only_person() {
            // Kept by the store's writes: the person's events.
            return Ok(self
                .conn
                .query_row("SELECT events FROM person WHERE id = ?", [person], |r| {
                    count_column(r, 0)
                })
                .optional()?
                .unwrap_or(0));
        }
        let Scan {
            counted_from,
            clause,
            values,
            ..
        } = Scan::of(filter, self.conn.dialect());
        let sql = format!("SELECT count(*) FROM {counted_from} WHERE {clause}");
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| count_column(r, 0))?)
    }

    /// `event_count` when it is at most `cap`, else `cap + 1`: a common word stops being counted
    /// once it is past the cap, instead of every match being read (on PostgreSQL, 37 ms
    /// against 230 ms for a surname in a quarter of a million events).
    pub fn event_count_up_to(&self, filter: &EventFilter, cap: usize) -> Result<usize> {
        let limit = Value::Integer(i64::try_from(cap).unwrap_or(i64::MAX - 1) + 1);
        if *filter == EventFilter::default() || filter.only_person().is_some() {
            return Ok(self.event_count(filter)?.min(cap + 1));
        }
        let capped = filter
            .only_search()
            .and_then(|text| self.conn.dialect().capped_search_count(&text));
        let (sql, values) = match capped {
            Some((sql, pattern)) => (sql.to_string(), vec![pattern, limit]),
            None => {
                let Scan {
                    counted_from,
                    clause,
                    mut values,
                    ..
                } = Scan::of(filter, self.conn.dialect());
                values.push(limit);
                (
                    format!(
                        "SELECT count(*) FROM (SELECT 1 FROM {counted_from} WHERE {clause} \
                         LIMIT ?) AS capped"
                    ),
                    values,
                )
            }
        };
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| count_column(r, 0))?)
    }

    /// One page of events in timeline order, with their participants and sources.
    pub fn events_page(
        &self,
        filter: &EventFilter,
        order: Order,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Event>> {
        self.events_beside(filter, order, None, false, offset, limit)
    }

    /// As `events_page`, each event its own row alone: no participants, sides, sources or
    /// claims, for choosing a few among many before reading those (`with_people`).
    pub fn bare_events_page(
        &self,
        filter: &EventFilter,
        order: Order,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Event>> {
        self.rows_beside(filter, order, None, false, offset, limit)
    }

    /// The events, read without their participants, with them and their unnamed sides, in
    /// the same order.
    pub fn with_people(&self, events: Vec<Event>) -> Result<Vec<Event>> {
        with_people(&self.conn, events)
    }

    /// Events beside a point of the timeline in `order`: from the point (`key`, or the start
    /// when `None`) onwards, or, `backward`, those before it (or before the end), nearest
    /// first; `skip` of them passed over, then up to `take`. Keyset paging: the cost is
    /// `skip + take` wherever the point is.
    pub fn events_beside(
        &self,
        filter: &EventFilter,
        order: Order,
        key: Option<(NaiveDate, i64)>,
        backward: bool,
        skip: usize,
        take: usize,
    ) -> Result<Vec<Event>> {
        let events = self.rows_beside(filter, order, key, backward, skip, take)?;
        self.complete(events)
    }

    /// As `events_beside`, each event its own row alone.
    fn rows_beside(
        &self,
        filter: &EventFilter,
        order: Order,
        key: Option<(NaiveDate, i64)>,
        backward: bool,
        skip: usize,
        take: usize,
    ) -> Result<Vec<Event>> {
        let Scan {
            from,
            clause,
            mut values,
            date: date_column,
            id: id_column,
            ..
        } = Scan::of(filter, self.conn.dialect());
        let ascending = (order == Order::OldestFirst) != backward;
        let direction = if ascending { "ASC" } else { "DESC" };
        let point = match key {
            Some((date, id)) => {
                let comparison = match (order, backward) {
                    (Order::OldestFirst, false) => ">=",
                    (Order::OldestFirst, true) => "<",
                    (Order::NewestFirst, false) => "<=",
                    (Order::NewestFirst, true) => ">",
                };
                values.push(Value::Text(date.to_string()));
                values.push(Value::Integer(id));
                format!("AND ({date_column}, {id_column}) {comparison} (?, ?)")
            }
            None => String::new(),
        };
        values.push(Value::Integer(take as i64));
        values.push(Value::Integer(skip as i64));
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM {from} WHERE {clause} {point} \
             ORDER BY {date_column} {direction}, {id_column} {direction} LIMIT ? OFFSET ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let events = stmt
            .query_map(db::params_from_iter(values), event_from_row)?
            .collect::<db::Result<Vec<_>>>()?;
        Ok(events)
    }

    /// Calls `each` on every matching event in timeline order, a page at a time, so that exports
    /// of any size run in little memory; all pages are read in one read transaction, so that
    /// they show the record as it was when the first was read, whatever other programs write.
    pub fn for_each_page(
        &self,
        filter: &EventFilter,
        order: Order,
        each: impl FnMut(Vec<Event>) -> std::result::Result<(), BoxError>,
    ) -> std::result::Result<usize, BoxError> {
        self.for_each_page_read(filter, order, Depth::Full, each)
    }

    /// As `for_each_page`, each event read to `depth`.
    pub fn for_each_page_read(
        &self,
        filter: &EventFilter,
        order: Order,
        depth: Depth,
        mut each: impl FnMut(Vec<Event>) -> std::result::Result<(), BoxError>,
    ) -> std::result::Result<usize, BoxError> {
        let reading = if self.conn.is_autocommit() {
            Some(self.conn.begin(Begin::Read)?)
        } else {
            None
        };
        let result = self.pages(filter, order, depth, &mut each);
        if let Some(reading) = reading {
            // Only read: ending it cannot lose anything.
            reading.commit()?;
        }
        result
    }

    fn pages(
        &self,
        filter: &EventFilter,
        order: Order,
        depth: Depth,
        each: &mut impl FnMut(Vec<Event>) -> std::result::Result<(), BoxError>,
    ) -> std::result::Result<usize, BoxError> {
        let page = self.conn.dialect().pass_page();
        let Scan {
            from,
            clause,
            values,
            date: date_column,
            id: id_column,
            ..
        } = Scan::of(filter, self.conn.dialect());
        let (direction, comparison) = match order {
            Order::OldestFirst => ("ASC", ">"),
            Order::NewestFirst => ("DESC", "<"),
        };
        let mut after: Option<(String, i64)> = None;
        let mut seen = 0;
        let mut names = NamesRead::default();
        loop {
            let mut page_values = values.clone();
            let keyset = match &after {
                Some((date, id)) => {
                    page_values.push(Value::Text(date.clone()));
                    page_values.push(Value::Integer(*id));
                    format!("AND ({date_column}, {id_column}) {comparison} (?, ?)")
                }
                None => String::new(),
            };
            let sql = format!(
                "SELECT {EVENT_COLUMNS} FROM {from} WHERE {clause} {keyset} \
                 ORDER BY {date_column} {direction}, {id_column} {direction} LIMIT {page}"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let events = stmt
                .query_map(db::params_from_iter(page_values), event_from_row)?
                .collect::<db::Result<Vec<_>>>()?;
            let events = complete_naming(&self.conn, events, depth, &mut names)?;
            let read = events.len();
            let last = events.last().map(|e| (e.date.first().to_string(), e.id));
            each(events)?;
            seen += read;
            match last {
                Some(last) if read == page => after = Some(last),
                _ => return Ok(seen),
            }
        }
    }

    /// How many events under `filter` come before the point (`date`, `id`) in `order`: the
    /// row index of that event, or where it would be if the filter leaves it out.
    pub fn position(
        &self,
        filter: &EventFilter,
        order: Order,
        date: NaiveDate,
        id: i64,
    ) -> Result<usize> {
        if *filter == EventFilter::default() {
            return self.position_in_all(order, date, id);
        }
        if let Some((first, last)) = filter.only_dates() {
            return self.position_within_dates(order, date, id, first, last);
        }
        let Scan {
            counted_from,
            clause,
            mut values,
            date: date_column,
            id: id_column,
            ..
        } = Scan::of(filter, self.conn.dialect());
        let comparison = match order {
            Order::OldestFirst => "<",
            Order::NewestFirst => ">",
        };
        values.push(Value::Text(date.to_string()));
        values.push(Value::Integer(id));
        let sql = format!(
            "SELECT count(*) FROM {counted_from} WHERE {clause} \
             AND ({date_column}, {id_column}) {comparison} (?, ?)"
        );
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| count_column(r, 0))?)
    }

    /// `position` in the whole timeline: the kept events per month before the point's month,
    /// plus a count within its month, so that a jump costs the same at any size.
    fn position_in_all(&self, order: Order, date: NaiveDate, id: i64) -> Result<usize> {
        let (before, at) = self.before_point(date, id)?;
        Ok(match order {
            Order::OldestFirst => before,
            Order::NewestFirst => self
                .event_count(&EventFilter::default())?
                .saturating_sub(before + at),
        })
    }

    /// `position` under a filter of dates alone (the chart's brush): the events before the
    /// point, less those before the first day, each counted as `position_in_all` counts, so
    /// that a decade costs what a day does.
    fn position_within_dates(
        &self,
        order: Order,
        date: NaiveDate,
        id: i64,
        first: Option<NaiveDate>,
        last: Option<NaiveDate>,
    ) -> Result<usize> {
        let all = self.event_count(&EventFilter::default())?;
        let start = self.before_day(first)?.unwrap_or(0);
        // A range that ends before it starts keeps nothing.
        let end = self
            .before_day(last.and_then(|d| d.succ_opt()))?
            .unwrap_or(all)
            .max(start);
        let (before, at) = self.before_point(date, id)?;
        // The events of the range up to and including the point, in oldest-first order.
        let (up_to, through) = (
            before.clamp(start, end) - start,
            (before + at).clamp(start, end) - start,
        );
        Ok(match order {
            Order::OldestFirst => up_to,
            Order::NewestFirst => (end - start) - through,
        })
    }

    /// How many events come before the point (`date`, `id`) in oldest-first order, and whether
    /// the point is one (1) or not (0): the kept events per month before its month, plus a count
    /// within its month.
    fn before_point(&self, date: NaiveDate, id: i64) -> Result<(usize, usize)> {
        let month = date.format("%Y-%m").to_string();
        let month_start = format!("{month}-01");
        let earlier_months: usize = self.conn.query_row(
            "SELECT coalesce(sum(events), 0) FROM tally WHERE dimension = 'month' AND value < ?",
            [&month],
            |r| count_column(r, 0),
        )?;
        let (before, at): (usize, usize) = self.conn.query_row(
            "SELECT count(*) FILTER (WHERE (date_first, id) < (?2, ?3)), \
                    count(*) FILTER (WHERE date_first = ?2 AND id = ?3) \
             FROM event WHERE date_first >= ?1 AND date_first <= ?2",
            params![month_start, date.to_string(), id],
            |r| Ok((count_column(r, 0)?, count_column(r, 1)?)),
        )?;
        Ok((earlier_months + before, at))
    }

    /// How many events start before `day`, counted as `before_point` counts; `None` for no day.
    fn before_day(&self, day: Option<NaiveDate>) -> Result<Option<usize>> {
        day.map(|day| Ok(self.before_point(day, i64::MIN)?.0))
            .transpose()
    }

    /// The first event under `filter` past the point (`date`, `id`) in `order` (or before it,
    /// when `forward` is false) whose title, place or names contain `text`; with `within`, only
    /// among that many events past the point.
    pub fn next_match(
        &self,
        filter: &EventFilter,
        order: Order,
        from: (NaiveDate, i64),
        text: &str,
        forward: bool,
        within: Option<usize>,
    ) -> Result<Option<(NaiveDate, i64)>> {
        if text.contains('\0') {
            // As in `filter_clause`: nothing stored holds one.
            return Ok(None);
        }
        let ascending = (order == Order::OldestFirst) == forward;
        let (comparison, direction) = if ascending {
            (">", "ASC")
        } else {
            ("<", "DESC")
        };
        let point = [Value::Text(from.0.to_string()), Value::Integer(from.1)];
        let (sql, values) = match within {
            None => {
                let mut searching = filter.clone();
                searching.search.push(text.to_string());
                let Scan {
                    from,
                    clause,
                    mut values,
                    date,
                    id,
                    ..
                } = Scan::of(&searching, self.conn.dialect());
                values.extend(point);
                let sql = format!(
                    "SELECT {date}, {id} FROM {from} WHERE {clause} \
                     AND ({date}, {id}) {comparison} (?, ?) \
                     ORDER BY {date} {direction}, {id} {direction} LIMIT 1"
                );
                (sql, values)
            }
            Some(rows) => {
                let Scan {
                    from,
                    clause,
                    mut values,
                    date,
                    id,
                    ..
                } = Scan::of(filter, self.conn.dialect());
                values.extend(point);
                values.push(Value::Integer(rows as i64));
                values.push(Value::Text(format!(
                    "%{}%",
                    like_escape(&text.trim().to_lowercase())
                )));
                let sql = format!(
                    "SELECT date_first, id FROM (SELECT {date} AS date_first, {id} AS id, \
                     e.search_text FROM {from} WHERE {clause} AND ({date}, {id}) {comparison} (?, ?) \
                     ORDER BY {date} {direction}, {id} {direction} LIMIT ?) AS nearby \
                     WHERE search_text LIKE ? ESCAPE '\\' \
                     ORDER BY date_first {direction}, id {direction} LIMIT 1"
                );
                (sql, values)
            }
        };
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }

    /// Every city events were held in, for completion.
    pub fn cities(&self) -> Result<Vec<String>> {
        Ok(self
            .tally("city", "value")?
            .into_iter()
            .map(|(city, _)| city)
            .collect())
    }

    /// Events per month ("2025-04") among those `filter` keeps, in order.
    pub fn events_per_month(&self, filter: &EventFilter) -> Result<Vec<(String, usize)>> {
        self.breakdown(filter, "month", "substr(e.date_first, 1, 7)", "value")
    }

    /// Events per kind among those `filter` keeps, most first.
    pub fn events_per_kind(&self, filter: &EventFilter) -> Result<Vec<(String, usize)>> {
        self.breakdown(filter, "kind", "e.kind", "events DESC, value")
    }

    /// Events per country where held among those `filter` keeps, most first; events with no
    /// country are left out.
    pub fn events_per_country(&self, filter: &EventFilter) -> Result<Vec<(String, usize)>> {
        self.breakdown(filter, "country", "e.country", "events DESC, value")
    }

    /// Events per day and kind among those `filter` keeps, dated from `first` to `last`: read
    /// through the date index (the person's, under a person filter), so the cost follows the
    /// days asked for, not the record.
    pub fn events_per_day_and_kind(
        &self,
        filter: &EventFilter,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<(NaiveDate, String, usize)>> {
        let Scan {
            from,
            clause,
            mut values,
            date,
            ..
        } = Scan::of(filter, self.conn.dialect());
        // Naming every kind lets the engine count from the (kind, date) index alone, a range
        // per kind, instead of fetching each event of the window: at a million events a
        // window of two months holds thousands of them.
        let kinds = vec!["?"; Kind::ALL.len()].join(", ");
        let sql = format!(
            "SELECT {date}, e.kind, count(*) FROM {from} \
             WHERE {clause} AND e.kind IN ({kinds}) AND {date} >= ? AND {date} <= ? GROUP BY 1, 2"
        );
        values.extend(Kind::ALL.iter().map(|k| Value::Text(k.as_str().into())));
        values.push(Value::Text(first.to_string()));
        values.push(Value::Text(last.to_string()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(db::params_from_iter(values), |r| {
            Ok((
                r.get::<NaiveDate>(0)?,
                r.get::<String>(1)?,
                count_column(r, 2)?,
            ))
        })?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// Counts of events by `dimension`: from the counts kept by the store's writes (`counts`)
    /// when nothing is filtered out, else by grouping the events the filter keeps.
    fn breakdown(
        &self,
        filter: &EventFilter,
        dimension: &str,
        expression: &str,
        order: &str,
    ) -> Result<Vec<(String, usize)>> {
        if *filter == EventFilter::default() {
            return self.tally(dimension, order);
        }
        let Scan {
            from,
            clause,
            values,
            ..
        } = Scan::of(filter, self.conn.dialect());
        let sql = format!(
            "SELECT {expression} AS value, count(*) AS events FROM {from} \
             WHERE {clause} AND {expression} IS NOT NULL GROUP BY 1 ORDER BY {order}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(db::params_from_iter(values), |r| {
            Ok((r.get::<String>(0)?, count_column(r, 1)?))
        })?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// Counts kept by the store's writes (`counts`), rather than a pass over every event.
    fn tally(&self, dimension: &str, order: &str) -> Result<Vec<(String, usize)>> {
        let sql = format!(
            "SELECT value, events FROM tally WHERE dimension = ? AND events > 0 ORDER BY {order}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([dimension], |r| {
            Ok((r.get::<String>(0)?, count_column(r, 1)?))
        })?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// The people who headed their side in the most in-person events that happened (among
    /// those `filter` keeps), most first: those with the most face-to-face meetings to show.
    pub fn most_active(&self, filter: &EventFilter, limit: usize) -> Result<Vec<(i64, String)>> {
        if *filter == EventFilter::default() {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, name FROM person WHERE meetings > 0 \
                 ORDER BY meetings DESC, name_key LIMIT ?",
            )?;
            let rows = stmt.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
            return Ok(rows.collect::<db::Result<Vec<_>>>()?);
        }
        let Scan {
            from,
            clause,
            mut values,
            id,
            ..
        } = Scan::of(filter, self.conn.dialect());
        values.push(Value::Integer(limit as i64));
        let sql = format!(
            "SELECT p.id, p.name FROM (SELECT person_id, count(*) AS meetings FROM participation \
             WHERE meets = 1 AND event_id IN (SELECT {id} FROM {from} WHERE {clause}) \
             GROUP BY person_id) m JOIN person p ON p.id = m.person_id \
             ORDER BY m.meetings DESC, p.name_key LIMIT ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(db::params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// The person `person` met face to face most often (among the events `filter` keeps).
    pub fn most_met(&self, person: i64, filter: &EventFilter) -> Result<Option<(i64, String)>> {
        if *filter == EventFilter::default() {
            return self.met_most_of_all(person);
        }
        let Scan {
            from,
            clause,
            mut values,
            id,
            ..
        } = Scan::of(filter, self.conn.dialect());
        values.insert(0, Value::Integer(person));
        let sql = format!(
            "SELECT q.person_id, p.name FROM participation a \
             JOIN participation q ON q.event_id = a.event_id AND q.person_id <> a.person_id \
             AND q.meets = 1 JOIN person p ON p.id = q.person_id \
             WHERE a.person_id = ? AND a.meets = 1 \
             AND a.event_id IN (SELECT {id} FROM {from} WHERE {clause}) \
             GROUP BY q.person_id, p.name, p.name_key ORDER BY count(*) DESC, p.name_key LIMIT 1"
        );
        Ok(self
            .conn
            .query_row(&sql, db::params_from_iter(values), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }

    /// The numbers of the events `filter` keeps, in timeline order.
    pub fn event_ids(&self, filter: &EventFilter) -> Result<Vec<i64>> {
        let Scan {
            from,
            clause,
            values,
            date,
            id,
            ..
        } = Scan::of(filter, self.conn.dialect());
        let sql = format!("SELECT {id} FROM {from} WHERE {clause} ORDER BY {date}, {id}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(db::params_from_iter(values), |r| r.get(0))?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// The numbers and UUIDs of up to `limit` events whose UUID starts with `prefix`.
    pub fn events_by_uuid_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<(i64, String)>> {
        let prefix = prefix.to_lowercase();
        // UUIDs are lower-case hex and dashes, all below 'g': a range the unique index serves.
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, uuid FROM event WHERE uuid >= ?1 AND uuid < ?1 || 'g' ORDER BY uuid LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![prefix, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<db::Result<Vec<_>>>()?)
    }

    /// The number of an event with the same date, title and participants as `draft`.
    pub fn find_same_event(&self, draft: &EventDraft) -> Result<Option<i64>> {
        same_event(&self.conn, draft)
    }

    pub fn event(&self, id: i64) -> Result<Event> {
        read_event(&self.conn, id)
    }

    pub fn event_id_by_uuid(&self, uuid: &Uuid) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM event WHERE uuid = ?",
                [uuid.to_string()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every event in which all of `people` took part, in timeline order: the history that
    /// ordinals among those people are counted from.
    pub fn events_with_all(&self, people: &[i64]) -> Result<Vec<Event>> {
        self.events_of_all(people, Depth::Full)
    }

    /// As `events_with_all`, with what counting reads (dates, kinds, status, participants and
    /// their sides) but without sources and claims: the history a count by any role or among
    /// three people is made from.
    pub fn events_to_count(&self, people: &[i64]) -> Result<Vec<Event>> {
        self.events_of_all(people, Depth::Counting)
    }

    fn events_of_all(&self, people: &[i64], detail: Depth) -> Result<Vec<Event>> {
        if people.is_empty() {
            return Ok(Vec::new());
        }
        let filter = EventFilter {
            people: people.to_vec(),
            ..EventFilter::default()
        };
        let Scan {
            from,
            clause,
            values,
            date,
            id,
            ..
        } = Scan::of(&filter, self.conn.dialect());
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM {from} WHERE {clause} ORDER BY {date}, {id}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let events = stmt
            .query_map(db::params_from_iter(values), event_from_row)?
            .collect::<db::Result<Vec<_>>>()?;
        complete(&self.conn, events, detail)
    }

    fn complete(&self, events: Vec<Event>) -> Result<Vec<Event>> {
        complete(&self.conn, events, Depth::Full)
    }

    /// These events, in the order given.
    pub fn events(&self, ids: &[i64]) -> Result<Vec<Event>> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!("SELECT {EVENT_COLUMNS} FROM event e WHERE e.id IN ({marks})");
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut events: std::collections::HashMap<i64, Event> = stmt
                .query_map(db::params_from_iter(chunk), event_from_row)?
                .map(|row| row.map(|e| (e.id, e)))
                .collect::<db::Result<_>>()?;
            let ordered: Vec<Event> = chunk.iter().filter_map(|id| events.remove(id)).collect();
            found.extend(self.complete(ordered)?);
        }
        Ok(found)
    }

    /// The kept places of these events in their series, by event.
    pub fn kept_places(
        &self,
        events: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<KeptPlace>>> {
        ranks::places(&self.conn, events, true)
    }

    /// As `kept_places`, without the previous meeting of each place (`previous` is `None`):
    /// what an ordinal sentence needs, and no more.
    pub fn kept_ordinals(
        &self,
        events: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<KeptPlace>>> {
        ranks::places(&self.conn, events, false)
    }

    /// The kept ordinals of these events as `PageOrdinals`, to be looked up by series key.
    pub fn page_ordinals(&self, events: &[i64]) -> Result<ranks::PageOrdinals> {
        ranks::page_ordinals(&self.conn, events)
    }

    /// The numbers of the events that hold a published count (a claim of aspect count), in
    /// timeline order.
    pub fn events_with_published_counts(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id FROM event e WHERE EXISTS \
             (SELECT 1 FROM claim c WHERE c.event_id = e.id AND c.aspect = 'count') \
             ORDER BY e.date_first, e.id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<db::Result<_>>()?)
    }

    /// The dates of the reported (not confirmed) members of `series` that certainly come
    /// before place `below`.
    pub fn reported_before(
        &self,
        series: &crate::domain::series::Series,
        below: usize,
    ) -> Result<Vec<FuzzyDate>> {
        ranks::reported_before(&self.conn, series, below)
    }

    /// The events of a series in timeline order, as far as `until`: (number, happened).
    pub fn series_events(
        &self,
        series: &crate::domain::series::Series,
        until: Option<NaiveDate>,
    ) -> Result<Vec<(i64, bool)>> {
        ranks::series_events(&self.conn, series, until)
    }

    /// How often two people met (in `mode`, as heads, events that happened) and the date of
    /// the last time: from the kept count and the end of their series, not their history.
    pub fn meetings_tally(
        &self,
        mode: crate::domain::Mode,
        a: i64,
        b: i64,
    ) -> Result<(usize, Option<FuzzyDate>)> {
        let count = self
            .conn
            .query_row(
                "SELECT meetings FROM pair_meetings WHERE mode = ? AND first = ? AND second = ?",
                params![mode.as_str(), a.min(b), a.max(b)],
                |r| count_column(r, 0),
            )
            .optional()?
            .unwrap_or(0);
        if count == 0 {
            return Ok((0, None));
        }
        let series = crate::domain::series::Series::meetings(mode, a, b);
        Ok((count, ranks::last_happened(&self.conn, &series)?))
    }

    /// The members of a series that began between `since` and `through` (both inclusive), as
    /// ranking takes them: what a count over a period reads, and no more of the series.
    pub fn series_members(
        &self,
        series: &crate::domain::series::Series,
        since: Option<NaiveDate>,
        through: NaiveDate,
    ) -> Result<Vec<crate::domain::series::SeriesMember>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, date_first, date_last, to_the_day, happened FROM series_place \
             WHERE series = ? AND date_first >= ? AND date_first <= ? ORDER BY date_first, event_id",
        )?;
        // Dates are ISO text in the store: bounds must be four-digit years to compare.
        let since = since.map_or_else(|| "0000-01-01".to_string(), |d| d.to_string());
        let rows = stmt.query_map(params![series.key(), since, through.to_string()], |r| {
            Ok(crate::domain::series::SeriesMember {
                event_id: r.get(0)?,
                first: r.get(1)?,
                last: r.get(2)?,
                to_the_day: r.get(3)?,
                happened: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<db::Result<_>>()?)
    }
}

/// One event with its participants and sources, on any connection or transaction.
pub(super) fn read_event(conn: &Conn, id: i64) -> Result<Event> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM event e WHERE e.id = ?");
    let event = conn
        .query_row(&sql, [id], event_from_row)
        .optional()?
        .ok_or_else(|| StoreError::NoSuchEvent(id.to_string()))?;
    Ok(complete(conn, vec![event], Depth::Full)?.remove(0))
}

/// Events read without their participants, with them and their unnamed sides: what counting
/// and the duplicate rule read.
pub(super) fn with_people(conn: &Conn, events: Vec<Event>) -> Result<Vec<Event>> {
    complete(conn, events, Depth::Counting)
}

/// How much of each event to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Full,
    /// Participants and sides only: what counting reads.
    Counting,
    /// Everything but the claims: what a CSV row prints.
    Listed,
}

/// Fills in participants, sides without named members, sources and claims for events read
/// without them.
fn complete(conn: &Conn, events: Vec<Event>, detail: Depth) -> Result<Vec<Event>> {
    complete_naming(conn, events, detail, &mut NamesRead::default())
}

/// The names of the people read for the pages of one reading so far, by number: a page of a
/// busy record names most of the people the page before it named, and reads only the others.
/// Held for one read transaction, in which no name changes.
#[derive(Debug)]
pub(super) struct NamesRead {
    names: Vec<(i64, String)>,
    /// The most names held: a record of more people reads the names again, a page at a time.
    most: usize,
}

impl Default for NamesRead {
    fn default() -> Self {
        NamesRead::at_most(50_000)
    }
}

impl NamesRead {
    pub(super) fn at_most(most: usize) -> Self {
        NamesRead {
            names: Vec::new(),
            most,
        }
    }

    pub(super) fn of(&self, person: i64) -> Option<&String> {
        self.names
            .binary_search_by_key(&person, |(id, _)| *id)
            .ok()
            .map(|k| &self.names[k].1)
    }

    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        self.names.len()
    }

    /// Reads the names of `people` not held yet.
    pub(super) fn read(&mut self, conn: &Conn, people: &[i64]) -> Result<()> {
        let missing = |names: &NamesRead| {
            let mut missing: Vec<i64> = people
                .iter()
                .copied()
                .filter(|id| names.of(*id).is_none())
                .collect();
            missing.sort_unstable();
            missing.dedup();
            missing
        };
        let mut unread = missing(self);
        if unread.is_empty() {
            return Ok(());
        }
        if self.names.len() + unread.len() > self.most {
            self.names.clear();
            unread = missing(self);
        }
        self.names.extend(names_of(conn, &unread)?);
        self.names.sort_unstable_by_key(|(id, _)| *id);
        self.names.dedup_by_key(|(id, _)| *id);
        Ok(())
    }
}

/// As `complete`, with the names read for earlier pages of the same reading.
fn complete_naming(
    conn: &Conn,
    mut events: Vec<Event>,
    detail: Depth,
    names: &mut NamesRead,
) -> Result<Vec<Event>> {
    // By number, searched by halves: every row read is looked up here, and hashing each
    // number cost more than the search.
    let mut index: Vec<(i64, usize)> = events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    index.sort_unstable();
    let ids: Vec<i64> = index.iter().map(|(id, _)| *id).collect();
    for span in spans(&ids, conn.dialect().among_most()) {
        // A range may hold events that are not among these: their rows are passed over.
        let of = |event_id: i64| {
            index
                .binary_search_by_key(&event_id, |(id, _)| *id)
                .ok()
                .map(|k| index[k].1)
        };
        // Put in order here rather than by the engine: no index holds them by position, and
        // the engine's sort of a page's rows cost PostgreSQL a fifth of reading them.
        let mut participants = rows_by_event(
            conn,
            "SELECT event_id, person_id, side, head, position FROM participation \
             WHERE event_id {events}",
            &span,
            |r| {
                Ok((
                    r.get::<i64>(4)?,
                    r.get::<i64>(1)?,
                    required_country(r, 2)?,
                    r.get::<bool>(3)?,
                ))
            },
        )?;
        // SQLite gives them by event (the key's order), so only each event's few are sorted;
        // PostgreSQL may give them in any order.
        if participants.is_sorted_by_key(|(event_id, _)| *event_id) {
            for event in participants.chunk_by_mut(|a, b| a.0 == b.0) {
                event.sort_unstable_by_key(|(_, (position, ..))| *position);
            }
        } else {
            participants.sort_unstable_by_key(|(event_id, (position, ..))| (*event_id, *position));
        }
        let people: Vec<i64> = participants.iter().map(|(_, (_, p, ..))| *p).collect();
        names.read(conn, &people)?;
        for (event_id, (_, person_id, side, head)) in participants {
            let (Some(i), Some(name)) = (of(event_id), names.of(person_id)) else {
                continue;
            };
            events[i].participants.push(Participant {
                person_id,
                name: name.clone(),
                side,
                head,
            });
        }
        let sides = rows_by_event(
            conn,
            "SELECT event_id, side FROM unnamed_side WHERE event_id {events} \
             ORDER BY event_id, side",
            &span,
            |r| required_country(r, 1),
        )?;
        for (event_id, side) in sides {
            if let Some(i) = of(event_id) {
                events[i].unnamed_sides.push(side);
            }
        }
        if detail == Depth::Counting {
            continue;
        }
        let sources = rows_by_event(
            conn,
            "SELECT event_id, outlet, citing, url, published, via FROM source \
             WHERE event_id {events} ORDER BY event_id, position",
            &span,
            |r| {
                Ok(Source {
                    outlet: r.get(1)?,
                    citing: r.get(2)?,
                    url: r.get(3)?,
                    published: r.date(4)?,
                    via: r.get(5)?,
                })
            },
        )?;
        for (event_id, source) in sources {
            if let Some(i) = of(event_id) {
                events[i].sources.push(source);
            }
        }
        if detail == Depth::Listed {
            continue;
        }
        let claims = rows_by_event(
            conn,
            "SELECT event_id, aspect, value, sources, note, count FROM claim \
             WHERE event_id {events} ORDER BY event_id, position",
            &span,
            |r| {
                Ok((
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                    r.get::<String>(4)?,
                    r.get::<Option<String>>(5)?,
                ))
            },
        )?;
        for (event_id, (aspect, value, sources, note, count)) in claims {
            if let Some(i) = of(event_id) {
                events[i]
                    .claims
                    .push(claim_from_columns(&aspect, value, &sources, note, count)?);
            }
        }
    }
    Ok(events)
}

/// Which events' rows one query reads, as the tables keyed by event (participants, sources,
/// kept places, …) are asked for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Span {
    /// Every event numbered from the first to the last, both included: one run along the key.
    Range(i64, i64),
    /// These events, each found on its own.
    List(Vec<i64>),
}

impl Span {
    /// The condition on an event number that selects this span's rows (`BETWEEN ? AND ?`, or
    /// `IN (?, …)`), for `{events}` in `sql`.
    /// `sql` with the condition on an event number that selects this span's rows (`BETWEEN ?
    /// AND ?`, or the engine's list) put in for `{events}`, and its values.
    pub(super) fn query(&self, conn: &Conn, sql: &str) -> (String, Vec<Value>) {
        let (condition, values) = match self {
            Span::Range(first, last) => (
                "BETWEEN ? AND ?".to_string(),
                vec![Value::Integer(*first), Value::Integer(*last)],
            ),
            Span::List(ids) => conn.dialect().among(ids),
        };
        (sql.replace("{events}", &condition), values)
    }
}

/// The widest gap between two events of one range: a range holds at least one event in this
/// many numbers, and the rows of the others it reads cost less than finding each on its own.
const RANGE_GAP: i64 = 4;
/// The fewest events read as a range: fewer are as cheap to find one by one.
const RANGE_LEAST: usize = 16;

/// The queries that read the rows of these events: runs of close numbers (events numbered in
/// timeline order, as an import numbers them, read a page of the timeline this way) as ranges,
/// the rest (events added or moved since) in lists of at most `list_most`. Each event is in one
/// span.
pub(super) fn spans(ids: &[i64], list_most: usize) -> Vec<Span> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut spans = Vec::new();
    let mut alone = Vec::new();
    let mut run_start = 0;
    for end in 1..=sorted.len() {
        let continues = end < sorted.len() && sorted[end] - sorted[end - 1] <= RANGE_GAP;
        if continues {
            continue;
        }
        let run = &sorted[run_start..end];
        if run.len() >= RANGE_LEAST {
            spans.push(Span::Range(run[0], run[run.len() - 1]));
        } else {
            alone.extend_from_slice(run);
        }
        run_start = end;
    }
    spans.extend(alone.chunks(list_most).map(|ids| Span::List(ids.to_vec())));
    spans
}

/// The names of these people, by number: read apart from their participations, once for each
/// person, as a page of events names the same people many times over (a join read the person
/// again for every participation, which cost SQLite more than reading the participations).
fn names_of(conn: &Conn, people: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut names = Vec::new();
    for span in spans(people, conn.dialect().among_most()) {
        let (sql, values) = span.query(conn, "SELECT id, name FROM person WHERE id {events}");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(db::params_from_iter(values), |r| {
            Ok((r.get::<i64>(0)?, r.get::<String>(1)?))
        })?;
        for row in rows {
            names.push(row?);
        }
    }
    names.sort_unstable_by_key(|(id, _)| *id);
    Ok(names)
}

/// The rows `sql` gives for the events of `span` (it names them as `{events}` and reads the
/// event's number first), each read by `read`.
fn rows_by_event<T>(
    conn: &Conn,
    sql: &str,
    span: &Span,
    read: impl Fn(&Row) -> db::Result<T>,
) -> Result<Vec<(i64, T)>> {
    let (sql, values) = span.query(conn, sql);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(db::params_from_iter(values), |r| {
        Ok((r.get::<i64>(0)?, read(r)?))
    })?;
    Ok(rows.collect::<db::Result<_>>()?)
}

/// The number of an event with the same date, title and participants (by name and side) as
/// `draft`, if there is one.
pub(super) fn same_event(tx: &Conn, draft: &EventDraft) -> Result<Option<i64>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id FROM event WHERE date_first = ? AND precision = ? AND title = ?",
    )?;
    let candidates = stmt
        .query_map(
            params![
                draft.date.first(),
                draft.date.precision().as_str(),
                draft.title.trim()
            ],
            |r| r.get::<i64>(0),
        )?
        .collect::<db::Result<Vec<_>>>()?;
    let mut wanted: Vec<(String, String)> = draft
        .participants
        .iter()
        .map(|p| (name_key(&p.name), p.side.to_string()))
        .collect();
    wanted.sort();
    let mut people = tx.prepare_cached(
        "SELECT p.name_key, pa.side FROM participation pa JOIN person p ON p.id = pa.person_id \
         WHERE pa.event_id = ?",
    )?;
    for id in candidates {
        let mut present = people
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<db::Result<Vec<(String, String)>>>()?;
        present.sort();
        if present == wanted {
            return Ok(Some(id));
        }
    }
    Ok(None)
}
