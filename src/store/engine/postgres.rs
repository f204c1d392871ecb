//! PostgreSQL, through the postgres crate: `$N` placeholders, statements prepared once per
//! connection, an advisory lock for writers, `LISTEN`/`NOTIFY` for others' commits, the
//! server's own trigram index (pg_trgm) for search, `COPY` for bulk copies. Opening and
//! migrating are `store::server`'s.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use super::{Columns, Connection, Cursor, Dialect, Prepared};
use crate::store::db::{Begin, Conn, DbError, Engine, Optional, Refusal, Result, Row, Value};
use crate::store::filter::like_escape;
use crate::store::{WAIT_POLL, WAIT_TOLD_AFTER};

/// The channel on which PostgreSQL tells every open attache that the record changed.
pub const CHANNEL: &str = "attache_changes";

/// The advisory lock writers take, and queue on.
const WRITE_LOCK: i64 = 7243656315;

/// A store's connection through a client that is listening on `CHANNEL`; `backend` is its
/// server process, whose own notifications are not news.
pub fn conn(client: postgres::Client, backend: i32) -> Conn {
    Conn::new(Link {
        client: RefCell::new(client),
        statements: RefCell::new(HashMap::new()),
        in_transaction: Cell::new(false),
        backend,
        notified: Cell::new(0),
    })
}

pub struct Postgres;

impl Dialect for Postgres {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn schema_version(&self) -> &'static str {
        "SELECT version FROM attache_schema"
    }

    /// No table of events to index: the trigram index keeps itself.
    fn temp_tables(&self) -> &'static str {
        "CREATE TEMP TABLE IF NOT EXISTS dirty_series (series TEXT COLLATE \"C\" PRIMARY KEY); \
         CREATE TEMP TABLE IF NOT EXISTS dirty_trips (person_id BIGINT PRIMARY KEY)"
    }

    /// A writer leaves the server's queue for the lock each time it stops to report, and joins
    /// again at its end: it stays in long enough for a queue of writers to pass (with 200 ms,
    /// eight writers at once left some waiting past any limit), and once it has said what it
    /// waits for, unless someone may stop it, to the end of its wait.
    fn write_slice(&self, told: bool, stoppable: bool, left: Duration) -> Duration {
        match (told, stoppable) {
            (true, false) => left,
            (true, true) => 10 * WAIT_POLL,
            (false, _) => WAIT_TOLD_AFTER,
        }
    }

    /// pg_trgm's index serves LIKE itself, for strings of any length.
    fn search_condition(&self, lowered: &str) -> (&'static str, Value) {
        (
            "e.search_text LIKE ? ESCAPE '\\'",
            Value::Text(format!("%{}%", like_escape(lowered))),
        )
    }

    fn search_count(&self, text: &str) -> (&'static str, Value) {
        (
            "SELECT count(*) FROM event WHERE search_text LIKE ? ESCAPE '\\'",
            Value::Text(format!("%{}%", like_escape(text))),
        )
    }

    /// The index is read with the events: the capped count is the filter's.
    fn capped_search_count(&self, _text: &str) -> Option<(&'static str, Value)> {
        None
    }

    /// One array, whatever the count: one statement, prepared once and planned once, for every
    /// list, where a parameter for each number made a statement for each length. Bound as
    /// text, as the store binds no arrays, and read by the server's `array_in`.
    fn among(&self, ids: &[i64]) -> (String, Vec<Value>) {
        let mut array = String::with_capacity(ids.len() * 8 + 2);
        array.push('{');
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                array.push(',');
            }
            array.push_str(&id.to_string());
        }
        array.push('}');
        (
            "= ANY(CAST(? AS TEXT)::BIGINT[])".to_string(),
            vec![Value::Text(array)],
        )
    }

    /// A page of a listing or an export in one statement a table.
    fn among_most(&self) -> usize {
        self.pass_page()
    }

    /// Each statement of a page costs a round trip and the server's setting up whatever its
    /// length, above all the hash of every person that the participations of the page are
    /// joined to (20,000 people at a million events: 4 to 8 ms a statement): ten times SQLite's
    /// page costs the server less than five times (6.3 against 6.7 s of its CPU, medians of
    /// six exports of a million events), for 20 MB more in memory; twenty times saved no more.
    fn pass_page(&self) -> usize {
        10_000
    }

    /// The planner finds the index itself, and has no hints.
    fn person_date_index_hint(&self) -> &'static str {
        ""
    }

    /// The trigram index is kept with the row.
    fn mark_unindexed(&self, _conn: &Conn, _event_id: i64) -> Result<()> {
        Ok(())
    }

    fn index_marked(&self, _conn: &Conn) -> Result<()> {
        Ok(())
    }

    fn index_if_marked(&self, _conn: &Conn, _event_id: i64) -> Result<()> {
        Ok(())
    }

    fn rebuild_search_index(&self, _conn: &Conn) -> Result<()> {
        Ok(())
    }

    /// The server's index is checked with the file (`check_file`).
    fn check_search_index(&self, _conn: &Conn, _against_events: bool) -> Result<()> {
        Ok(())
    }

    fn search_index_finds(&self, _conn: &Conn, _event_id: i64, _phrase: &str) -> Result<bool> {
        Ok(true)
    }

    fn search_check(&self, _read_only: bool) -> &'static str {
        "every event's search text written again and compared (the trigram index is the server's, checked with the file)"
    }

    /// The server checks pages as it reads them; `amcheck` checks every B-tree index, where
    /// the extension is installed.
    fn check_file(&self, conn: &Conn) -> Result<(String, Vec<String>)> {
        let mut findings = Vec::new();
        let installed: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')",
            [],
            |r| r.get(0),
        )?;
        if !installed {
            return Ok((
                "the server checks pages as it reads them; amcheck is not installed in this database (CREATE EXTENSION amcheck adds a check of every index)".into(),
                findings,
            ));
        }
        let indexes: Vec<String> = conn
            .prepare(
                "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                 JOIN pg_am a ON a.oid = c.relam \
                 WHERE a.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace \
                 ORDER BY 1",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_>>()?;
        for index in &indexes {
            if let Err(error) = conn.execute_batch(&format!(
                "SELECT bt_index_check('{}'::regclass, true)",
                index.replace('\'', "''")
            )) {
                findings.push(format!("index {index}: {error}"));
            }
        }
        Ok((
            format!("amcheck's bt_index_check of {} indexes", indexes.len()),
            findings,
        ))
    }

    /// Not measured on PostgreSQL yet: imports write row by row with their indexes in place.
    fn takes_bulk_path(&self) -> bool {
        false
    }

    /// The server's sorts are bounded by its own `work_mem`.
    fn bulk_in_little_memory(&self, _conn: &Conn, _little: bool) -> Result<()> {
        Ok(())
    }

    fn droppable_indexes(
        &self,
        _conn: &Conn,
        _tables: &str,
        _kept: &str,
    ) -> Result<Vec<(String, String)>> {
        Ok(Vec::new())
    }

    /// Autovacuum would gather them only later: without them the first queries on a large copy
    /// may scan instead of using the indexes. Within the copy's transaction they are also the
    /// planner's when it checks the foreign keys put back.
    fn gather_statistics(&self, conn: &Conn, tables: &[&str]) -> Result<()> {
        conn.execute_batch(&format!("ANALYZE {}", tables.join(", ")))
    }

    /// Keys and indexes made again from the loaded rows, one sort each, instead of a random
    /// insert per row into each; foreign keys checked by one join each instead of a lookup per
    /// row; the triggers that fill ids off, their sequences set once at the end as the triggers
    /// would have left them. Each comes back with its own name and definition, read from the
    /// catalog. Only the tables' owner may drop them: anyone else copies with them in place.
    fn set_aside_upkeep(&self, conn: &Conn, tables: &[&str]) -> Result<Vec<String>> {
        let relations = tables
            .iter()
            .map(|table| format!("'{table}'::regclass"))
            .collect::<Vec<_>>()
            .join(", ");
        let owner: bool = conn.query_row(
            &format!(
                "SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class \
                 WHERE oid IN ({relations})"
            ),
            [],
            |r| r.get(0),
        )?;
        if !owner {
            return Ok(Vec::new());
        }
        // Each row: how to set one thing aside, how to put it back, and the order of each:
        // foreign keys go first and come back last, after the keys they name.
        let sql = format!(
            "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname), \
                    format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, \
                           pg_get_constraintdef(oid)), \
                    CASE contype WHEN 'f' THEN 1 ELSE 2 END, \
                    CASE contype WHEN 'f' THEN 3 ELSE 1 END \
             FROM pg_constraint WHERE contype IN ('f', 'p', 'u') \
             AND (conrelid IN ({relations}) OR confrelid IN ({relations})) \
             UNION ALL \
             SELECT format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid), 3, 2 \
             FROM pg_index i WHERE indrelid IN ({relations}) AND NOT EXISTS \
             (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid \
              AND c.contype IN ('p', 'u', 'x')) \
             UNION ALL \
             SELECT format('ALTER TABLE %s DISABLE TRIGGER %I', tgrelid::regclass, tgname), \
                    format('ALTER TABLE %1$s ENABLE TRIGGER %2$I; SELECT setval(%3$L, max(id)) \
                            FROM %1$s HAVING max(id) > coalesce(pg_sequence_last_value(%3$L), 0)', \
                           tgrelid::regclass, tgname, c.relname || '_id_seq'), \
                    4, 4 \
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             WHERE NOT tgisinternal AND tgenabled <> 'D' \
             AND tgfoid = to_regproc('attache_fill_id') AND tgrelid IN ({relations})"
        );
        let mut upkeep: Vec<(String, String, i64, i64)> = conn
            .prepare(&sql)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_>>()?;
        upkeep.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
        // Building an index sorts in this much memory before it spills to disk.
        conn.execute_batch("SET LOCAL maintenance_work_mem = '256MB'")?;
        for (set_aside, ..) in &upkeep {
            conn.execute_batch(set_aside)?;
        }
        upkeep.sort_by(|a, b| (a.3, &a.1).cmp(&(b.3, &b.1)));
        Ok(upkeep.into_iter().map(|(_, back, ..)| back).collect())
    }

    /// The announcement is the session's `application_name`, which every session can read.
    fn announcement_file(&self, _label: &str) -> Option<PathBuf> {
        None
    }

    /// Best effort, local to the transaction: the name goes back when it ends, however it ends.
    fn announce(&self, conn: &Conn, short: &str) {
        let _ = conn.query_row(
            "SELECT set_config('application_name', ?, true)",
            [short],
            |_| Ok(()),
        );
    }

    /// The name of the session holding the write lock.
    fn current_writer(&self, conn: &Conn, _label: &str) -> Option<String> {
        let sql = format!(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted \
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND l.classid::bigint * 4294967296 + l.objid::bigint = {WRITE_LOCK} \
             AND a.pid <> pg_backend_pid() LIMIT 1"
        );
        let name: Option<String> = conn.query_row(&sql, [], |r| r.get(0)).optional().ok()??;
        let name = name?;
        let said = name.strip_prefix("attache: ").unwrap_or(&name).trim();
        (!said.is_empty() && said != "attache").then(|| said.to_string())
    }
}

struct Link {
    client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    in_transaction: Cell<bool>,
    backend: i32,
    /// Notifications of others' commits received so far.
    notified: Cell<i64>,
}

impl Link {
    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self
            .client
            .borrow_mut()
            .prepare(&numbered_placeholders(sql))?;
        let mut statements = self.statements.borrow_mut();
        // Filters make their SQL as they go: the cache is bounded, not a leak.
        if statements.len() > 512 {
            statements.clear();
        }
        statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

impl Connection for Link {
    fn dialect(&self) -> &'static dyn Dialect {
        &Postgres
    }

    /// Every statement is kept in the bounded cache: preparing it again would cost a round
    /// trip.
    fn prepare(&self, sql: &str, _cached: bool) -> Result<Box<dyn Prepared + '_>> {
        Ok(Box::new(Statement {
            link: self,
            statement: self.statement(sql)?,
        }))
    }

    fn execute_batch(&self, sql: &str) -> Result<()> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }

    fn for_each_row(&self, sql: &str, each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        let statement = self.statement(sql)?;
        let mut client = self.client.borrow_mut();
        let mut rows = client.query_raw(&statement, std::iter::empty::<&str>())?;
        while let Some(row) = rows.next()? {
            each(&Row::new(&row))?;
        }
        Ok(())
    }

    /// Through `COPY … FROM STDIN`, in its text format.
    fn copy_rows(
        &self,
        from: &Conn,
        select: &str,
        table: &str,
        columns: &str,
        copied: &mut dyn FnMut(usize),
    ) -> Result<usize> {
        let width = columns.split(',').count();
        let mut client = self.client.borrow_mut();
        let mut writer = client.copy_in(&format!("COPY {table} ({columns}) FROM STDIN"))?;
        let mut line = String::new();
        let mut rows = 0;
        from.for_each_row(select, |row| {
            line.clear();
            for i in 0..width {
                if i > 0 {
                    line.push('\t');
                }
                copy_text(&row.get::<Value>(i)?, &mut line);
            }
            line.push('\n');
            std::io::Write::write_all(&mut writer, line.as_bytes()).map_err(DbError::io)?;
            rows += 1;
            if rows % 10_000 == 0 {
                copied(rows);
            }
            Ok(())
        })?;
        writer.finish()?;
        Ok(rows)
    }

    fn is_autocommit(&self) -> bool {
        !self.in_transaction.get()
    }

    /// As SQLite's `data_version`: read from the notifications that have arrived.
    fn changes_by_others(&self) -> Result<i64> {
        let mut client = self.client.borrow_mut();
        let mut notifications = client.notifications();
        // A wait of a millisecond, not none: the connection reads what the server sent only
        // while it is waited on.
        let mut pending = notifications.timeout_iter(Duration::from_millis(1));
        while let Some(notification) = pending.next()? {
            if notification.process_id() != self.backend {
                self.notified.set(self.notified.get() + 1);
            }
        }
        Ok(self.notified.get())
    }

    fn is_closed(&self) -> bool {
        self.client
            .try_borrow()
            .is_ok_and(|client| client.is_closed())
    }

    /// `pg_dump` and the server's own backups do it.
    fn backup(&self, _to: &Path) -> Option<Result<()>> {
        None
    }

    /// Waiting in the server's queue for `poll` at a time, rather than asking and sleeping,
    /// keeps writers in the order they came.
    fn try_begin_write(&self, poll: Duration, busy_timeout: Duration) -> Result<bool> {
        let mut client = self.client.borrow_mut();
        // At least a millisecond: a lock_timeout of 0 waits for ever.
        client.batch_execute(&format!(
            "BEGIN; SET LOCAL lock_timeout = '{}ms'",
            poll.as_millis().max(1)
        ))?;
        match client.batch_execute(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})")) {
            Ok(()) => {}
            Err(e) if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) => {
                client.batch_execute("ROLLBACK")?;
                return Ok(false);
            }
            Err(e) => {
                let _ = client.batch_execute("ROLLBACK");
                return Err(e.into());
            }
        }
        client.batch_execute(&format!(
            "SET LOCAL lock_timeout = '{}ms'",
            busy_timeout.as_millis()
        ))?;
        self.in_transaction.set(true);
        Ok(true)
    }

    fn begin(&self, begin: Begin) -> Result<()> {
        self.client.borrow_mut().batch_execute(&match begin {
            Begin::Write => format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"),
            Begin::Trial => "BEGIN".to_string(),
            Begin::Read => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY".to_string(),
        })?;
        self.in_transaction.set(true);
        Ok(())
    }

    /// A write tells the others when it commits.
    fn commit(&self, begin: Begin) -> Result<()> {
        let how = match begin {
            Begin::Write => format!("NOTIFY {CHANNEL}; COMMIT"),
            Begin::Trial | Begin::Read => "COMMIT".to_string(),
        };
        let result = self.execute_batch(&how);
        self.in_transaction.set(false);
        result
    }

    fn rollback(&self) -> Result<()> {
        let result = self.execute_batch("ROLLBACK");
        self.in_transaction.set(false);
        result
    }
}

struct Statement<'c> {
    link: &'c Link,
    statement: postgres::Statement,
}

impl Prepared for Statement<'_> {
    fn execute(&mut self, values: &[Value]) -> Result<usize> {
        let params: Vec<Param> = values.iter().map(Param).collect();
        let rows = self
            .link
            .client
            .borrow_mut()
            .execute(&self.statement, &bound(&params))?;
        Ok(usize::try_from(rows).unwrap_or(usize::MAX))
    }

    fn query(&mut self, values: &[Value]) -> Result<Box<dyn Cursor + '_>> {
        let params: Vec<Param> = values.iter().map(Param).collect();
        let rows = self
            .link
            .client
            .borrow_mut()
            .query(&self.statement, &bound(&params))?;
        Ok(Box::new(Rows {
            rows: rows.into_iter(),
            current: None,
        }))
    }
}

struct Rows {
    rows: std::vec::IntoIter<postgres::Row>,
    current: Option<postgres::Row>,
}

impl Cursor for Rows {
    fn next(&mut self) -> Result<Option<Row<'_>>> {
        self.current = self.rows.next();
        Ok(self.current.as_ref().map(|row| Row::new(row)))
    }
}

impl Columns for postgres::Row {
    fn value(&self, index: usize) -> Result<Value> {
        let Column(value) = self.try_get(index)?;
        Ok(value)
    }
}

/// A column as the store's value: integers of every width, booleans as 0 and 1 (as SQLite
/// gives comparisons), whole numerics (sums) as integers, text, bytes.
struct Column(Value);

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl<'a> postgres::types::FromSql<'a> for Column {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(Column(match *ty {
            Type::INT2 => Value::Integer(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Value::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::OID => Value::Integer(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Integer(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => Value::Blob(raw.to_vec()),
            _ => Value::Text(std::str::from_utf8(raw)?.to_string()),
        }))
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, BoxError> {
        Ok(Column(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// PostgreSQL's binary NUMERIC (what `sum` of integers gives): base-10000 digits.
fn numeric(raw: &[u8]) -> std::result::Result<Value, BoxError> {
    let word = |i: usize| -> std::result::Result<u16, BoxError> {
        let bytes = raw.get(i * 2..i * 2 + 2).ok_or("short numeric")?;
        Ok(u16::from_be_bytes([bytes[0], bytes[1]]))
    };
    let digits = usize::from(word(0)?);
    let weight = i32::from(i16::from_be_bytes(word(1)?.to_be_bytes()));
    let sign = word(2)?;
    let scale = word(3)?;
    if sign == 0xC000 {
        return Ok(Value::Real(f64::NAN));
    }
    let negative = sign == 0x4000;
    let mut exponent = weight;
    let mut whole: Option<i128> = Some(0);
    let mut real = 0.0;
    for i in 0..digits {
        let digit = word(4 + i)?;
        real += f64::from(digit) * 10_000f64.powi(exponent);
        whole = match u32::try_from(exponent) {
            Ok(power) => whole.and_then(|w| {
                10_000i128
                    .checked_pow(power)
                    .and_then(|p| w.checked_add(i128::from(digit) * p))
            }),
            Err(_) => None,
        };
        exponent -= 1;
    }
    Ok(match whole {
        Some(value) if scale == 0 => {
            Value::Integer(i64::try_from(if negative { -value } else { value })?)
        }
        _ => Value::Real(if negative { -real } else { real }),
    })
}

/// A value bound to a parameter of the type the server inferred.
#[derive(Debug)]
struct Param<'a>(&'a Value);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        match (self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Integer(i), &Type::INT8) => ToSql::to_sql(&i, ty, out),
            (Value::Integer(i), &Type::INT4) => ToSql::to_sql(&i32::try_from(*i)?, ty, out),
            (Value::Integer(i), &Type::INT2) => ToSql::to_sql(&i16::try_from(*i)?, ty, out),
            (Value::Integer(i), &Type::BOOL) => ToSql::to_sql(&(*i != 0), ty, out),
            (Value::Integer(i), &Type::FLOAT8) => ToSql::to_sql(&(*i as f64), ty, out),
            (Value::Integer(i), _) => ToSql::to_sql(&i.to_string().as_str(), ty, out),
            (Value::Real(r), &Type::FLOAT8) => ToSql::to_sql(&r, ty, out),
            (Value::Real(r), _) => ToSql::to_sql(&r.to_string().as_str(), ty, out),
            (Value::Text(s), &Type::INT8) => ToSql::to_sql(&s.parse::<i64>()?, ty, out),
            (Value::Text(s), _) => ToSql::to_sql(&s.as_str(), ty, out),
            (Value::Blob(b), _) => ToSql::to_sql(&b.as_slice(), ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// The parameters as the postgres crate takes them.
fn bound<'p>(params: &'p [Param<'_>]) -> Vec<&'p (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

/// The store's `?` and `?N` placeholders as PostgreSQL's `$N`, outside quoted text.
fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 0;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let number = if digits.is_empty() {
                    next + 1
                } else {
                    digits.parse().unwrap_or(next + 1)
                };
                next = next.max(number);
                out.push('$');
                out.push_str(&number.to_string());
            }
            None => out.push(c),
        }
    }
    out
}

/// A value in `COPY`'s text format.
fn copy_text(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("\\N"),
        Value::Integer(i) => out.push_str(&i.to_string()),
        Value::Real(r) => out.push_str(&r.to_string()),
        Value::Text(text) => {
            for c in text.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
        Value::Blob(bytes) => {
            out.push_str("\\\\x");
            for b in bytes {
                out.push_str(&format!("{b:02x}"));
            }
        }
    }
}

impl From<postgres::Error> for DbError {
    fn from(error: postgres::Error) -> Self {
        let refusal = match error.code() {
            Some(&SqlState::LOCK_NOT_AVAILABLE) => Some(Refusal::Busy),
            Some(&SqlState::UNIQUE_VIOLATION) => Some(Refusal::Duplicate),
            _ => None,
        };
        let said = match error.as_db_error() {
            Some(db) => format!("PostgreSQL: {}", db.message()),
            None => format!("PostgreSQL: {error}"),
        };
        DbError::engine(said, refusal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            numbered_placeholders("SELECT ? , '?' , \"a?\" , ?3, ? FROM t WHERE x = ?"),
            "SELECT $1 , '?' , \"a?\" , $3, $4 FROM t WHERE x = $5"
        );
    }

    #[test]
    fn whole_numerics_read_as_integers() {
        // 123456789: weight 2, digits 1, 2345, 6789.
        let raw = [0, 3, 0, 2, 0, 0, 0, 0, 0, 1, 0x09, 0x29, 0x1A, 0x85];
        assert_eq!(numeric(&raw).unwrap(), Value::Integer(123_456_789));
        let zero = [0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(numeric(&zero).unwrap(), Value::Integer(0));
    }

    #[test]
    fn copy_text_escapes_what_would_end_a_field_or_a_row() {
        let mut out = String::new();
        copy_text(&Value::Text("a\tb\nc\\d\re — Ж".into()), &mut out);
        assert_eq!(out, "a\\tb\\nc\\\\d\\re — Ж");
        out.clear();
        copy_text(&Value::Null, &mut out);
        assert_eq!(out, "\\N");
    }
}
