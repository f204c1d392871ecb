//! The store's one connection API, the same over both engines, so that its queries are written
//! once: `?` placeholders, values as `Value`, rows read by column with `get`, transactions that
//! roll back unless committed. It names no driver: each engine (`engine::sqlite`,
//! `engine::postgres`) says in one file how it runs these and what SQL it needs instead (its
//! `Dialect`).

use std::cell::Cell;
use std::fmt;
use std::time::Duration;

use super::engine::{Columns, Connection, Cursor, Dialect, Prepared};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A value as it crosses to and from either engine: SQLite's dynamic types, which PostgreSQL's
/// columns are read as (booleans as 0 and 1, whole numerics as integers).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A failure of the engine underneath, or of reading what it returned. Opaque: which engine
/// failed and how is for the message; the store reacts to the few refusals it names.
#[derive(Debug)]
pub struct DbError(Failure);

#[derive(Debug)]
enum Failure {
    Engine {
        said: String,
        refusal: Option<Refusal>,
    },
    NoRows,
    Convert {
        column: usize,
        reason: String,
    },
    /// Writing to the server failed midway (a bulk copy).
    Io(std::io::Error),
}

/// The engines' refusals that the store answers in words of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Another writer held the lock past the wait.
    Busy,
    /// The database may not be written.
    ReadOnly,
    /// A unique key already holds the value.
    Duplicate,
    /// The file's pages or an index are damaged.
    Corrupt,
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.0 {
            Failure::Engine { said, .. } => write!(f, "{said}"),
            Failure::NoRows => write!(f, "the query returned no rows"),
            Failure::Convert { column, reason } => {
                write!(f, "cannot read column {column}: {reason}")
            }
            Failure::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DbError {}

impl DbError {
    /// What an engine said, in its words.
    pub(super) fn engine(said: String, refusal: Option<Refusal>) -> DbError {
        DbError(Failure::Engine { said, refusal })
    }

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

    pub fn refusal(&self) -> Option<Refusal> {
        match &self.0 {
            Failure::Engine { refusal, .. } => *refusal,
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, DbError>;

/// `Ok(None)` for a query that found no row.
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

/// What may be bound to a placeholder.
pub trait ToSql {
    fn to_value(&self) -> Value;
}

/// What a column may be read as.
pub trait FromSql: Sized {
    fn from_value(value: Value) -> std::result::Result<Self, String>;
}

impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToSql> ToSql for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToSql::to_value)
    }
}

impl ToSql for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl ToSql for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl ToSql for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToSql for bool {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}

impl ToSql for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}

impl ToSql for i64 {
    fn to_value(&self) -> Value {
        Value::Integer(*self)
    }
}

impl FromSql for i64 {
    fn from_value(value: Value) -> std::result::Result<Self, String> {
        match value {
            Value::Integer(i) => Ok(i),
            other => Err(format!("{} is not an integer", kind(&other))),
        }
    }
}

impl FromSql for Value {
    fn from_value(value: Value) -> std::result::Result<Self, String> {
        Ok(value)
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn from_value(value: Value) -> std::result::Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            value => T::from_value(value).map(Some),
        }
    }
}

impl FromSql for String {
    fn from_value(value: Value) -> std::result::Result<Self, String> {
        match value {
            Value::Text(text) => Ok(text),
            other => Err(format!("{} is not text", kind(&other))),
        }
    }
}

impl FromSql for bool {
    fn from_value(value: Value) -> std::result::Result<Self, String> {
        match value {
            Value::Integer(i) => Ok(i != 0),
            other => Err(format!("{} is not a boolean", kind(&other))),
        }
    }
}

impl FromSql for f64 {
    fn from_value(value: Value) -> std::result::Result<Self, String> {
        match value {
            Value::Real(r) => Ok(r),
            Value::Integer(i) => Ok(i as f64),
            other => Err(format!("{} is not a number", kind(&other))),
        }
    }
}

/// Dates are kept as ISO 8601 text (`2025-08-15`), which sorts as they do.
impl ToSql for chrono::NaiveDate {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%F").to_string())
    }
}

impl FromSql for chrono::NaiveDate {
    fn from_value(value: Value) -> std::result::Result<Self, String> {
        match value {
            Value::Text(text) => iso_date(&text).map_err(|e| e.to_string()),
            other => Err(format!("{} is not a date", kind(&other))),
        }
    }
}

/// A date kept as ISO 8601 text. The ten characters every stored date is written as are read
/// by hand, as an export reads hundreds of thousands of them: chrono's general parser cost
/// several times as much. Anything else goes to chrono, which reads it as it always did (or
/// says why not).
fn iso_date(text: &str) -> std::result::Result<chrono::NaiveDate, chrono::ParseError> {
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text.as_bytes() {
        let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |ds: &[u8]| ds.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
            let year = i32::try_from(n(&digits[..4])).unwrap_or(i32::MAX);
            if let Some(date) =
                chrono::NaiveDate::from_ymd_opt(year, n(&digits[4..6]), n(&digits[6..]))
            {
                return Ok(date);
            }
        }
    }
    // `FromStr` reads `%Y-%m-%d` without parsing a format string for each value.
    text.parse::<chrono::NaiveDate>()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "NULL",
        Value::Integer(_) => "an integer",
        Value::Real(_) => "a real",
        Value::Text(_) => "text",
        Value::Blob(_) => "a blob",
    }
}

/// Placeholders' values of any types, as in `params![id, name, None::<String>]`.
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::store::db::ToSql]
    };
    ($($param:expr),+ $(,)?) => {
        &[$(&$param as &dyn $crate::store::db::ToSql),+] as &[&dyn $crate::store::db::ToSql]
    };
}
pub(crate) use params;

/// What a query is given for its placeholders.
pub trait Params {
    fn values(self) -> Vec<Value>;
}

impl Params for &[&dyn ToSql] {
    fn values(self) -> Vec<Value> {
        self.iter().map(|p| p.to_value()).collect()
    }
}

impl Params for [&dyn ToSql; 0] {
    fn values(self) -> Vec<Value> {
        Vec::new()
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {
        $(impl<T: ToSql> Params for [T; $n] {
            fn values(self) -> Vec<Value> {
                self.iter().map(ToSql::to_value).collect()
            }
        })*
    };
}
array_params!(1 2 3 4 5 6 7 8);

pub struct FromIter<I>(I);

/// Placeholders' values from an iterator.
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
    fn values(self) -> Vec<Value> {
        self.0.into_iter().map(|p| p.to_value()).collect()
    }
}

/// A row of a result, read by column index.
pub struct Row<'a>(&'a dyn Columns);

impl<'a> Row<'a> {
    pub(super) fn new(columns: &'a dyn Columns) -> Row<'a> {
        Row(columns)
    }

    pub fn get<T: FromSql>(&self, index: usize) -> Result<T> {
        T::from_value(self.0.value(index)?).map_err(|e| DbError::conversion(index, e))
    }

    /// A text column looked at without a copy where the engine allows: `None` for NULL.
    pub fn text(&self, index: usize) -> Result<Option<std::borrow::Cow<'a, str>>> {
        self.0.text(index)
    }

    /// A date kept as ISO 8601 text, read without a copy of the text where the engine allows.
    pub fn date(&self, index: usize) -> Result<Option<chrono::NaiveDate>> {
        self.text(index)?
            .map(|text| iso_date(&text).map_err(|e| DbError::conversion(index, e)))
            .transpose()
    }
}

/// What a transaction is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begin {
    /// Takes the write lock at once, so that writers take turns on either engine and each sees
    /// the record its predecessor left; others are told when it commits.
    Write,
    /// Writes that will be rolled back: a dry run.
    Trial,
    /// Reads the record as it was when the transaction began, whatever others write meanwhile.
    Read,
}

/// A connection to either engine.
pub struct Conn(Box<dyn Connection>);

impl Conn {
    pub(super) fn new(connection: impl Connection + 'static) -> Conn {
        Conn(Box::new(connection))
    }

    /// What this engine does differently.
    pub fn dialect(&self) -> &'static dyn Dialect {
        self.0.dialect()
    }

    pub fn engine(&self) -> Engine {
        self.dialect().engine()
    }

    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(Statement(self.0.prepare(sql, true)?))
    }

    /// A statement for one use (SQL written for the occasion, which would push the hot
    /// statements out of the cache).
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(Statement(self.0.prepare(sql, false)?))
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
        self.0.execute_batch(sql)
    }

    /// Calls `each` on every row `sql` gives, as they arrive, without holding them all.
    pub fn for_each_row(&self, sql: &str, mut each: impl FnMut(&Row) -> Result<()>) -> Result<()> {
        self.0.for_each_row(sql, &mut each)
    }

    /// Copies every row `select` gives from `from` into `table`, telling `copied` how many so
    /// far (the engine's fastest way in); how many in all.
    pub fn copy_rows(
        &self,
        from: &Conn,
        select: &str,
        table: &str,
        columns: &str,
        copied: &mut dyn FnMut(usize),
    ) -> Result<usize> {
        self.0.copy_rows(from, select, table, columns, copied)
    }

    pub fn is_autocommit(&self) -> bool {
        self.0.is_autocommit()
    }

    /// A number that changes when another connection has committed a write since it was last
    /// asked.
    pub fn changes_by_others(&self) -> Result<i64> {
        self.0.changes_by_others()
    }

    /// Whether the server closed the connection (it stopped, restarted or ended the session).
    pub fn is_closed(&self) -> bool {
        self.0.is_closed()
    }

    /// A consistent copy of the database written to `to` while others may use it, where the
    /// engine makes one itself: `None` where the server's own tools do.
    pub fn backup(&self, to: &std::path::Path) -> Option<Result<()>> {
        self.0.backup(to)
    }

    /// Starts a write transaction unless another writer holds the lock past `poll`: `None`
    /// then, so that the caller can say what it waits for and decide whether to go on. Once
    /// begun, the transaction waits `busy_timeout` for the locks it meets.
    pub fn try_begin_write(
        &self,
        poll: Duration,
        busy_timeout: Duration,
    ) -> Result<Option<Tx<'_>>> {
        Ok(self
            .0
            .try_begin_write(poll, busy_timeout)?
            .then(|| Tx::new(self, Begin::Write)))
    }

    /// Starts a transaction, rolled back when dropped uncommitted.
    pub fn begin(&self, begin: Begin) -> Result<Tx<'_>> {
        self.0.begin(begin)?;
        Ok(Tx::new(self, begin))
    }
}

pub struct Statement<'c>(Box<dyn Prepared + 'c>);

impl Statement<'_> {
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        self.0.execute(&params.values())
    }

    pub fn query_map<T, F>(&mut self, params: impl Params, read: F) -> Result<MappedRows<'_, F>>
    where
        F: FnMut(&Row) -> Result<T>,
    {
        let rows = self.0.query(&params.values())?;
        Ok(MappedRows { rows, read })
    }

    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        read: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        let mut rows = self.0.query(&params.values())?;
        match rows.next()? {
            Some(row) => read(&row),
            None => Err(DbError::no_rows()),
        }
    }

    pub fn exists(&mut self, params: impl Params) -> Result<bool> {
        self.query_row(params, |_| Ok(()))
            .optional()
            .map(|found| found.is_some())
    }
}

pub struct MappedRows<'s, F> {
    rows: Box<dyn Cursor + 's>,
    read: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row) -> Result<T>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.read)(&row)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// A transaction: the connection, with everything it does undone unless committed.
pub struct Tx<'c> {
    conn: &'c Conn,
    begin: Begin,
    open: Cell<bool>,
}

impl<'c> Tx<'c> {
    fn new(conn: &'c Conn, begin: Begin) -> Tx<'c> {
        Tx {
            conn,
            begin,
            open: Cell::new(true),
        }
    }

    pub fn commit(self) -> Result<()> {
        self.open.set(false);
        let result = self.conn.0.commit(self.begin);
        if result.is_err() {
            // SQLite keeps a transaction whose commit failed (a busy file) open.
            let _ = self.conn.0.rollback();
        }
        result
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open.get() {
            // Nothing of an unfinished transaction may stay: a failed rollback leaves the
            // engine to discard it when the connection closes.
            let _ = self.conn.0.rollback();
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

    fn memory() -> Conn {
        super::super::engine::sqlite::conn(rusqlite::Connection::open_in_memory().unwrap())
    }

    #[test]
    fn values_cross_as_they_went_in() {
        let conn = memory();
        let day = chrono::NaiveDate::from_ymd_opt(2025, 8, 15).unwrap();
        let read = conn
            .query_row(
                "SELECT ?, ?, ?, ?, ?, ?",
                params![day, None::<String>, true, 2.5, "Ж 🙂", 7_i64],
                |r| {
                    Ok((
                        r.get::<chrono::NaiveDate>(0)?,
                        r.get::<Option<String>>(1)?,
                        r.get::<bool>(2)?,
                        r.get::<f64>(3)?,
                        r.get::<String>(4)?,
                        r.get::<i64>(5)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(read, (day, None, true, 2.5, "Ж 🙂".to_string(), 7));
        let stored: String = conn.query_row("SELECT ?", [day], |r| r.get(0)).unwrap();
        assert_eq!(stored, "2025-08-15");
    }

    /// Text looked at in place reads as text read by copy does; NULL is `None`, a number is
    /// refused.
    #[test]
    fn text_read_in_place_is_the_text_stored() {
        let conn = memory();
        let day = chrono::NaiveDate::from_ymd_opt(2025, 8, 15).unwrap();
        let read = conn
            .query_row(
                "SELECT ?, ?, ?, ?",
                params![day, "Ж 🙂", None::<String>, 7_i64],
                |r| {
                    Ok((
                        r.date(0)?,
                        r.text(1)?.map(|t| t.into_owned()),
                        r.text(2)?.is_none(),
                        r.date(2)?,
                        r.text(3).is_err(),
                    ))
                },
            )
            .unwrap();
        assert_eq!(
            read,
            (Some(day), Some("Ж 🙂".to_string()), true, None, true)
        );
    }

    /// Dates read by hand are those chrono reads, and what it refuses is refused with its
    /// words.
    #[test]
    fn dates_read_by_hand_are_chronos() {
        for text in [
            "2025-08-15",
            "0001-01-01",
            "0000-12-31",
            "9999-12-31",
            "2024-02-29",
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-01-32",
            "2025-01-00",
            "+2025-01-01",
            " 2025-01-01",
            "2025-1-01",
            "20250101",
            "2025-08-1x",
            "१२३४-०१-०१",
            "",
        ] {
            assert_eq!(
                iso_date(text).map_err(|e| e.to_string()),
                text.parse::<chrono::NaiveDate>().map_err(|e| e.to_string()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_refused_naming_its_column() {
        let conn = memory();
        let error = conn
            .query_row("SELECT 1, 'x'", [], |r| r.get::<i64>(1))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot read column 1: text is not an integer"
        );
        let none = conn.query_row("SELECT 1 WHERE 0", [], |r| r.get::<i64>(0));
        assert_eq!(none.optional().unwrap(), None);
    }
}
