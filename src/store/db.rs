//! One connection API over the two engines, shaped like rusqlite's so that the store's queries
//! are written once: SQLite's `?` placeholders are numbered for PostgreSQL, values cross as
//! SQLite's dynamic values, and rows are read through the same `get`. What is not portable
//! (pragmas, full-text search, locking) is asked for by `Conn::engine` where it is used.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;

use postgres::types::{IsNull, ToSql as PgToSql, Type, to_sql_checked};
pub use rusqlite::ToSql;
pub(crate) use rusqlite::params;
pub use rusqlite::types::Value;
use rusqlite::types::{FromSql, ToSqlOutput, ValueRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A failure of the engine underneath, or of reading what it returned. Opaque: which engine
/// failed and how is for the message (and the store's own checks), not for callers to match.
#[derive(Debug)]
pub struct DbError(Failure);

#[derive(Debug)]
enum Failure {
    Sqlite(rusqlite::Error),
    Postgres(postgres::Error),
    NoRows,
    Convert {
        column: usize,
        reason: String,
    },
    /// Writing to the server failed midway (a bulk copy).
    Io(std::io::Error),
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.0 {
            Failure::Sqlite(e) => write!(f, "{e}"),
            Failure::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(f, "PostgreSQL: {}", db.message()),
                None => write!(f, "PostgreSQL: {e}"),
            },
            Failure::NoRows => write!(f, "the query returned no rows"),
            Failure::Convert { column, reason } => {
                write!(f, "cannot read column {column}: {reason}")
            }
            Failure::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DbError {}

impl From<rusqlite::Error> for DbError {
    fn from(error: rusqlite::Error) -> Self {
        match error {
            rusqlite::Error::QueryReturnedNoRows => DbError(Failure::NoRows),
            error => DbError(Failure::Sqlite(error)),
        }
    }
}

impl From<postgres::Error> for DbError {
    fn from(error: postgres::Error) -> Self {
        DbError(Failure::Postgres(error))
    }
}

impl DbError {
    pub fn conversion(column: usize, reason: impl fmt::Display) -> DbError {
        DbError(Failure::Convert {
            column,
            reason: reason.to_string(),
        })
    }

    pub fn no_rows() -> DbError {
        DbError(Failure::NoRows)
    }

    pub fn io(error: std::io::Error) -> DbError {
        DbError(Failure::Io(error))
    }

    /// SQLite's error code, when SQLite failed.
    pub fn sqlite_code(&self) -> Option<rusqlite::ErrorCode> {
        match &self.0 {
            Failure::Sqlite(e) => e.sqlite_error_code(),
            _ => None,
        }
    }

    /// PostgreSQL's SQLSTATE, when the server refused.
    pub fn postgres_code(&self) -> Option<&postgres::error::SqlState> {
        match &self.0 {
            Failure::Postgres(e) => e.code(),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, DbError>;

/// `Ok(None)` for a query that found no row, as rusqlite's `OptionalExtension`.
pub trait Optional<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> Optional<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(DbError(Failure::NoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn value_of(param: &dyn ToSql) -> Result<Value> {
    Ok(match param.to_sql()? {
        ToSqlOutput::Borrowed(value) => match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(text) => Value::Text(
                std::str::from_utf8(text)
                    .map_err(|e| DbError::conversion(0, e))?
                    .to_string(),
            ),
            ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
        },
        ToSqlOutput::Owned(value) => value,
        _ => return Err(DbError::conversion(0, "unsupported parameter")),
    })
}

/// What a query is given for its placeholders.
pub trait Params {
    fn values(self) -> Result<Vec<Value>>;
}

impl Params for &[&dyn ToSql] {
    fn values(self) -> Result<Vec<Value>> {
        self.iter().map(|p| value_of(*p)).collect()
    }
}

impl Params for [&(dyn ToSql + Send + Sync); 0] {
    fn values(self) -> Result<Vec<Value>> {
        Ok(Vec::new())
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {
        $(impl<T: ToSql> Params for [T; $n] {
            fn values(self) -> Result<Vec<Value>> {
                self.iter().map(|p| value_of(p)).collect()
            }
        })*
    };
}
array_params!(1 2 3 4 5 6 7 8);

pub struct FromIter<I>(I);

/// Placeholders' values from an iterator, as rusqlite's `params_from_iter`.
pub fn params_from_iter<I>(values: I) -> FromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    FromIter(values)
}

impl<I> Params for FromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    fn values(self) -> Result<Vec<Value>> {
        self.0.into_iter().map(|p| value_of(&p)).collect()
    }
}

/// A row of a result, read by column index into any type SQLite's values convert to.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    pub fn get<T: FromSql>(&self, index: usize) -> Result<T> {
        match self {
            Row::Sqlite(row) => Ok(row.get(index)?),
            Row::Postgres(row) => {
                let PgValue(value) = row.try_get(index)?;
                T::column_result(ValueRef::from(&value)).map_err(|e| DbError::conversion(index, e))
            }
        }
    }
}

/// A PostgreSQL column as SQLite's dynamic value: integers of every width, booleans as 0 and 1
/// (as SQLite gives comparisons), whole numerics (sums) as integers, text, bytes.
struct PgValue(Value);

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl<'a> postgres::types::FromSql<'a> for PgValue {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(PgValue(match *ty {
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
        Ok(PgValue(Value::Null))
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

/// SQLite's dynamic value bound to a PostgreSQL parameter of the type the server inferred.
#[derive(Debug)]
struct PgParam<'a>(&'a Value);

impl PgToSql for PgParam<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        match (self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Integer(i), &Type::INT8) => PgToSql::to_sql(&i, ty, out),
            (Value::Integer(i), &Type::INT4) => PgToSql::to_sql(&i32::try_from(*i)?, ty, out),
            (Value::Integer(i), &Type::INT2) => PgToSql::to_sql(&i16::try_from(*i)?, ty, out),
            (Value::Integer(i), &Type::BOOL) => PgToSql::to_sql(&(*i != 0), ty, out),
            (Value::Integer(i), &Type::FLOAT8) => PgToSql::to_sql(&(*i as f64), ty, out),
            (Value::Integer(i), _) => PgToSql::to_sql(&i.to_string().as_str(), ty, out),
            (Value::Real(r), &Type::FLOAT8) => PgToSql::to_sql(&r, ty, out),
            (Value::Real(r), _) => PgToSql::to_sql(&r.to_string().as_str(), ty, out),
            (Value::Text(s), &Type::INT8) => PgToSql::to_sql(&s.parse::<i64>()?, ty, out),
            (Value::Text(s), _) => PgToSql::to_sql(&s.as_str(), ty, out),
            (Value::Blob(b), _) => PgToSql::to_sql(&b.as_slice(), ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// SQLite's `?` and `?N` placeholders as PostgreSQL's `$N`, outside quoted text.
pub fn numbered_placeholders(sql: &str) -> String {
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

pub struct Pg {
    client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    in_transaction: Cell<bool>,
    /// This connection's server process, whose own notifications are not news.
    backend: i32,
    /// Notifications of others' commits received so far.
    notified: Cell<i64>,
}

impl Pg {
    /// Wraps a client that is listening on `CHANNEL`.
    pub fn new(client: postgres::Client, backend: i32) -> Pg {
        Pg {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            in_transaction: Cell::new(false),
            backend,
            notified: Cell::new(0),
        }
    }

    pub fn client(&self) -> std::cell::RefMut<'_, postgres::Client> {
        self.client.borrow_mut()
    }

    /// Whether the server closed the connection (it stopped, restarted or ended the session).
    pub fn is_closed(&self) -> bool {
        self.client
            .try_borrow()
            .is_ok_and(|client| client.is_closed())
    }

    /// A number that changes when another connection has committed a write since it was last
    /// asked, as SQLite's `data_version`: read from the notifications that have arrived.
    pub fn changes_by_others(&self) -> Result<i64> {
        let mut client = self.client.borrow_mut();
        let mut notifications = client.notifications();
        // A wait of a millisecond, not none: the connection reads what the server sent only
        // while it is waited on.
        let mut pending = notifications.timeout_iter(std::time::Duration::from_millis(1));
        while let Some(notification) =
            postgres::fallible_iterator::FallibleIterator::next(&mut pending)?
        {
            if notification.process_id() != self.backend {
                self.notified.set(self.notified.get() + 1);
            }
        }
        Ok(self.notified.get())
    }

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

    fn query(
        &self,
        statement: &postgres::Statement,
        values: &[Value],
    ) -> Result<Vec<postgres::Row>> {
        let params: Vec<PgParam> = values.iter().map(PgParam).collect();
        Ok(self.client.borrow_mut().query(statement, &bound(&params))?)
    }

    fn execute(&self, statement: &postgres::Statement, values: &[Value]) -> Result<usize> {
        let params: Vec<PgParam> = values.iter().map(PgParam).collect();
        let rows = self
            .client
            .borrow_mut()
            .execute(statement, &bound(&params))?;
        Ok(usize::try_from(rows).unwrap_or(usize::MAX))
    }
}

/// The parameters as the postgres crate takes them.
fn bound<'p>(params: &'p [PgParam<'_>]) -> Vec<&'p (dyn PgToSql + Sync)> {
    params.iter().map(|p| p as &(dyn PgToSql + Sync)).collect()
}

/// What a transaction is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begin {
    /// Takes the write lock at once (SQLite's `IMMEDIATE`; on PostgreSQL an advisory lock
    /// that writers queue on), so that writers take turns on either engine and each sees the
    /// record its predecessor left; others are told when it commits.
    Write,
    /// Writes that will be rolled back: a dry run.
    Trial,
    /// Reads the record as it was when the transaction began, whatever others write meanwhile.
    Read,
}

/// The channel on which PostgreSQL tells every open attache that the record changed.
pub const CHANNEL: &str = "attache_changes";

/// A connection to either engine.
pub enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Pg>),
}

impl Conn {
    pub fn engine(&self) -> Engine {
        match self {
            Conn::Sqlite(_) => Engine::Sqlite,
            Conn::Postgres(_) => Engine::Postgres,
        }
    }

    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(match self {
            Conn::Sqlite(c) => Statement::Sqlite(SqliteStatement::Cached(c.prepare_cached(sql)?)),
            Conn::Postgres(pg) => Statement::Postgres {
                pg,
                statement: pg.statement(sql)?,
            },
        })
    }

    /// A statement for one use. PostgreSQL keeps it in the bounded cache all the same: preparing
    /// it again would cost a round trip.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Conn::Sqlite(c) => Ok(Statement::Sqlite(SqliteStatement::Once(c.prepare(sql)?))),
            Conn::Postgres(_) => self.prepare_cached(sql),
        }
    }

    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        read: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, read)
    }

    /// Statements without parameters, separated by semicolons.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Postgres(pg) => Ok(pg.client.borrow_mut().batch_execute(sql)?),
        }
    }

    /// Calls `each` on every row `sql` gives, as they arrive, without holding them all.
    pub fn for_each_row(&self, sql: &str, mut each: impl FnMut(&Row) -> Result<()>) -> Result<()> {
        match self {
            Conn::Sqlite(c) => {
                let mut statement = c.prepare(sql)?;
                let mut rows = statement.query([])?;
                while let Some(row) = rows.next()? {
                    each(&Row::Sqlite(row))?;
                }
            }
            Conn::Postgres(pg) => {
                let statement = pg.statement(sql)?;
                let mut client = pg.client.borrow_mut();
                let mut rows = client.query_raw(&statement, std::iter::empty::<&str>())?;
                while let Some(row) =
                    postgres::fallible_iterator::FallibleIterator::next(&mut rows)?
                {
                    each(&Row::Postgres(&row))?;
                }
            }
        }
        Ok(())
    }

    pub fn is_autocommit(&self) -> bool {
        match self {
            Conn::Sqlite(c) => c.is_autocommit(),
            Conn::Postgres(pg) => !pg.in_transaction.get(),
        }
    }

    /// Starts a write transaction unless another writer holds the lock past `poll`: `None`
    /// then, so that the caller can say what it waits for and decide whether to go on. SQLite
    /// waits with `poll` as its busy timeout (`busy_timeout` is restored after); PostgreSQL asks
    /// for its advisory lock without waiting, and sleeps `poll` when it is held.
    pub fn try_begin_write(
        &self,
        poll: std::time::Duration,
        busy_timeout: std::time::Duration,
    ) -> Result<Option<Tx<'_>>> {
        match self {
            Conn::Sqlite(c) => {
                c.busy_timeout(poll)?;
                let begun = c.execute_batch("BEGIN IMMEDIATE");
                c.busy_timeout(busy_timeout)?;
                match begun {
                    Ok(()) => {}
                    Err(e)
                        if matches!(
                            e.sqlite_error_code(),
                            Some(
                                rusqlite::ErrorCode::DatabaseBusy
                                    | rusqlite::ErrorCode::DatabaseLocked
                            )
                        ) =>
                    {
                        return Ok(None);
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Conn::Postgres(pg) => {
                // Waiting in the server's queue for `poll` at a time, rather than asking and
                // sleeping, keeps writers in the order they came.
                let mut client = pg.client.borrow_mut();
                // At least a millisecond: a lock_timeout of 0 waits for ever.
                client.batch_execute(&format!(
                    "BEGIN; SET LOCAL lock_timeout = '{}ms'",
                    poll.as_millis().max(1)
                ))?;
                match client.batch_execute("SELECT pg_advisory_xact_lock(7243656315)") {
                    Ok(()) => {}
                    Err(e) if e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) => {
                        client.batch_execute("ROLLBACK")?;
                        return Ok(None);
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
                pg.in_transaction.set(true);
            }
        }
        Ok(Some(Tx {
            conn: self,
            begin: Begin::Write,
            open: Cell::new(true),
        }))
    }

    /// Starts a transaction, rolled back when dropped uncommitted.
    pub fn begin(&self, begin: Begin) -> Result<Tx<'_>> {
        match self {
            Conn::Sqlite(c) => {
                c.execute_batch(match begin {
                    Begin::Write => "BEGIN IMMEDIATE",
                    Begin::Trial | Begin::Read => "BEGIN DEFERRED",
                })?;
            }
            Conn::Postgres(pg) => {
                let mut client = pg.client.borrow_mut();
                client.batch_execute(match begin {
                    Begin::Write => "BEGIN; SELECT pg_advisory_xact_lock(7243656315)",
                    Begin::Trial => "BEGIN",
                    Begin::Read => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                })?;
                pg.in_transaction.set(true);
            }
        }
        Ok(Tx {
            conn: self,
            begin,
            open: Cell::new(true),
        })
    }
}

/// A SQLite statement kept in the connection's cache, or made for one use (SQL written for
/// the occasion, which would push the hot statements out of the cache).
pub enum SqliteStatement<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Once(rusqlite::Statement<'c>),
}

impl<'c> std::ops::Deref for SqliteStatement<'c> {
    type Target = rusqlite::Statement<'c>;

    fn deref(&self) -> &rusqlite::Statement<'c> {
        match self {
            SqliteStatement::Cached(s) => s,
            SqliteStatement::Once(s) => s,
        }
    }
}

impl<'c> std::ops::DerefMut for SqliteStatement<'c> {
    fn deref_mut(&mut self) -> &mut rusqlite::Statement<'c> {
        match self {
            SqliteStatement::Cached(s) => s,
            SqliteStatement::Once(s) => s,
        }
    }
}

pub enum Statement<'c> {
    Sqlite(SqliteStatement<'c>),
    Postgres {
        pg: &'c Pg,
        statement: postgres::Statement,
    },
}

impl Statement<'_> {
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        let values = params.values()?;
        match self {
            Statement::Sqlite(s) => Ok(s.execute(rusqlite::params_from_iter(values))?),
            Statement::Postgres { pg, statement } => pg.execute(statement, &values),
        }
    }

    pub fn query_map<T, F>(&mut self, params: impl Params, read: F) -> Result<MappedRows<'_, F>>
    where
        F: FnMut(&Row) -> Result<T>,
    {
        let values = params.values()?;
        Ok(match self {
            Statement::Sqlite(s) => MappedRows::Sqlite {
                rows: s.query(rusqlite::params_from_iter(values))?,
                read,
            },
            Statement::Postgres { pg, statement } => MappedRows::Postgres {
                rows: pg.query(statement, &values)?.into_iter(),
                read,
            },
        })
    }

    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        read: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        let values = params.values()?;
        match self {
            Statement::Sqlite(s) => {
                let mut rows = s.query(rusqlite::params_from_iter(values))?;
                match rows.next()? {
                    Some(row) => read(&Row::Sqlite(row)),
                    None => Err(DbError::no_rows()),
                }
            }
            Statement::Postgres { pg, statement } => {
                let rows = pg.query(statement, &values)?;
                match rows.first() {
                    Some(row) => read(&Row::Postgres(row)),
                    None => Err(DbError::no_rows()),
                }
            }
        }
    }

    pub fn exists(&mut self, params: impl Params) -> Result<bool> {
        self.query_row(params, |_| Ok(()))
            .optional()
            .map(|found| found.is_some())
    }
}

pub enum MappedRows<'s, F> {
    Sqlite {
        rows: rusqlite::Rows<'s>,
        read: F,
    },
    Postgres {
        rows: std::vec::IntoIter<postgres::Row>,
        read: F,
    },
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row) -> Result<T>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self {
            MappedRows::Sqlite { rows, read } => match rows.next() {
                Ok(Some(row)) => Some(read(&Row::Sqlite(row))),
                Ok(None) => None,
                Err(e) => Some(Err(e.into())),
            },
            MappedRows::Postgres { rows, read } => {
                rows.next().map(|row| read(&Row::Postgres(&row)))
            }
        }
    }
}

/// A transaction: the connection, with everything it does undone unless committed.
pub struct Tx<'c> {
    conn: &'c Conn,
    begin: Begin,
    open: Cell<bool>,
}

impl Tx<'_> {
    pub fn commit(self) -> Result<()> {
        self.open.set(false);
        let result = match (self.conn, self.begin) {
            (Conn::Postgres(_), Begin::Write) => self.end(&format!("NOTIFY {CHANNEL}; COMMIT")),
            _ => self.end("COMMIT"),
        };
        if result.is_err() {
            // SQLite keeps a transaction whose commit failed (a busy file) open.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        result
    }

    fn end(&self, how: &str) -> Result<()> {
        let result = self.conn.execute_batch(how);
        if let Conn::Postgres(pg) = self.conn {
            pg.in_transaction.set(false);
        }
        result
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open.get() {
            // Nothing of an unfinished transaction may stay: a failed rollback leaves the
            // engine to discard it when the connection closes.
            let _ = self.end("ROLLBACK");
        }
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        self.conn
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
}
