//! Opening a PostgreSQL database: connecting, creating the schema on first use, and refusing
//! a database that is not attache's or was made by a newer attache, before touching it.

pub(super) mod migrations;

use super::engine::postgres as postgres_engine;
use super::{BUSY_TIMEOUT, Result, Store, StoreError, default_author};

mod connect;

/// Whether `db` names a PostgreSQL database rather than a file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The address without its password, to be shown in messages.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or_default();
            let hidden = if user_info.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_string(),
    }
}

/// The whole schema at `BASELINE_VERSION`, created in one step on an empty database, and then
/// brought up to date by `migrations::MIGRATIONS`. The tables are SQLite's; integers are
/// 64-bit, text compares byte by byte as SQLite's does (so that orders and exports are the
/// same on both engines), ids are filled from sequences when not given, and search reads a
/// trigram index (pg_trgm) instead of FTS5. Indexes that page in timeline order end in the
/// event's number, which SQLite's carry without being told.
///
/// Frozen: every PostgreSQL record made before migrations existed carries this text's hash in
/// `schema_migration`, and a test pins it. A change to the schema is a new migration.
const BASELINE: &str = r#"
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE attache_schema (
    application_id BIGINT NOT NULL,
    version        BIGINT NOT NULL
);
CREATE TABLE schema_migration (
    version    BIGINT PRIMARY KEY,
    hash       TEXT COLLATE "C" NOT NULL,
    applied_at TEXT COLLATE "C"
);
-- SQLite gives a row without an id the next one past every id ever used, and takes an id
-- given; a sequence per table does the same here.
CREATE FUNCTION attache_fill_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sequence regclass := (TG_TABLE_NAME || '_id_seq')::regclass;
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := nextval(sequence);
    ELSIF NEW.id > coalesce(pg_sequence_last_value(sequence), 0) THEN
        PERFORM setval(sequence, NEW.id);
    END IF;
    RETURN NEW;
END
$$;
CREATE SEQUENCE person_id_seq;
CREATE TABLE person (
    id        BIGINT PRIMARY KEY,
    name      TEXT COLLATE "C" NOT NULL CHECK (name <> ''),
    name_key  TEXT COLLATE "C" NOT NULL UNIQUE,
    country   TEXT COLLATE "C",
    events    BIGINT NOT NULL DEFAULT 0,
    last_seen TEXT COLLATE "C",
    meetings  BIGINT NOT NULL DEFAULT 0,
    notes     TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TRIGGER person_id BEFORE INSERT ON person FOR EACH ROW EXECUTE FUNCTION attache_fill_id();
CREATE INDEX person_meetings ON person (meetings DESC, name_key);
CREATE TABLE person_title (
    person_id  BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    title      TEXT COLLATE "C" NOT NULL,
    from_date  TEXT COLLATE "C",
    until_date TEXT COLLATE "C",
    PRIMARY KEY (person_id, position)
);
CREATE TABLE person_name (
    person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    kind      TEXT COLLATE "C" NOT NULL CHECK (kind IN ('native', 'alias')),
    position  BIGINT NOT NULL,
    name      TEXT COLLATE "C" NOT NULL CHECK (name <> ''),
    name_key  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (person_id, kind, position)
);
CREATE INDEX person_name_key ON person_name (name_key);
CREATE SEQUENCE event_id_seq;
CREATE TABLE event (
    id            BIGINT PRIMARY KEY,
    uuid          TEXT COLLATE "C" NOT NULL UNIQUE,
    date_first    TEXT COLLATE "C" NOT NULL,
    date_last     TEXT COLLATE "C" NOT NULL,
    precision     TEXT COLLATE "C" NOT NULL CHECK (precision IN ('day', 'month', 'year')),
    circa         BIGINT NOT NULL DEFAULT 0,
    end_first     TEXT COLLATE "C",
    end_precision TEXT COLLATE "C" CHECK (end_precision IN ('day', 'month', 'year')),
    title         TEXT COLLATE "C" NOT NULL CHECK (title <> ''),
    kind          TEXT COLLATE "C" NOT NULL,
    mode          TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    city          TEXT COLLATE "C" NOT NULL DEFAULT '',
    country       TEXT COLLATE "C",
    venue         TEXT COLLATE "C" NOT NULL DEFAULT '',
    notes         TEXT COLLATE "C" NOT NULL DEFAULT '',
    search_text   TEXT COLLATE "C" NOT NULL DEFAULT '',
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE TRIGGER event_id BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION attache_fill_id();
CREATE INDEX event_timeline ON event (date_first, id);
CREATE INDEX event_country ON event (country, date_first, id);
CREATE INDEX event_kind ON event (kind, date_first, id);
CREATE INDEX event_search ON event USING gin (search_text gin_trgm_ops);
CREATE TABLE participation (
    event_id   BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    person_id  BIGINT NOT NULL REFERENCES person(id),
    position   BIGINT NOT NULL,
    side       TEXT COLLATE "C" NOT NULL,
    head       BIGINT NOT NULL DEFAULT 0,
    date_first TEXT COLLATE "C" NOT NULL DEFAULT '',
    meets      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX participation_side ON participation (side, event_id);
CREATE INDEX participation_person_date ON participation (person_id, date_first, event_id);
CREATE INDEX participation_meets ON participation (person_id) WHERE meets = 1;
CREATE TABLE source (
    event_id  BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    outlet    TEXT COLLATE "C" NOT NULL,
    citing    TEXT COLLATE "C" NOT NULL DEFAULT '',
    url       TEXT COLLATE "C" NOT NULL DEFAULT '',
    published TEXT COLLATE "C",
    via       TEXT COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, position)
);
CREATE TABLE claim (
    event_id BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    aspect   TEXT COLLATE "C" NOT NULL,
    value    TEXT COLLATE "C" NOT NULL CHECK (value <> ''),
    sources  TEXT COLLATE "C" NOT NULL DEFAULT '',
    note     TEXT COLLATE "C" NOT NULL DEFAULT '',
    count    TEXT COLLATE "C",
    PRIMARY KEY (event_id, position)
);
CREATE TABLE unnamed_side (
    event_id BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    side     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (event_id, side)
);
CREATE TABLE tally (
    dimension TEXT COLLATE "C" NOT NULL CHECK (dimension IN ('month', 'kind', 'country', 'city')),
    value     TEXT COLLATE "C" NOT NULL,
    events    BIGINT NOT NULL,
    PRIMARY KEY (dimension, value)
);
CREATE TABLE series_place (
    series     TEXT COLLATE "C" NOT NULL,
    event_id   BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    date_first TEXT COLLATE "C" NOT NULL,
    date_last  TEXT COLLATE "C" NOT NULL,
    to_the_day BIGINT NOT NULL,
    happened   BIGINT NOT NULL,
    low        BIGINT NOT NULL DEFAULT 0,
    high       BIGINT NOT NULL DEFAULT 0,
    previous   BIGINT,
    PRIMARY KEY (event_id, series)
);
CREATE INDEX series_place_series ON series_place (series, date_first, event_id);
CREATE TABLE pair_meetings (
    mode     TEXT COLLATE "C" NOT NULL,
    first    BIGINT NOT NULL,
    second   BIGINT NOT NULL,
    meetings BIGINT NOT NULL,
    PRIMARY KEY (mode, first, second)
);
CREATE INDEX pair_meetings_second ON pair_meetings (mode, second);
CREATE TABLE prior (
    series     TEXT COLLATE "C" PRIMARY KEY,
    first      BIGINT NOT NULL REFERENCES person(id),
    second     BIGINT REFERENCES person(id),
    count      BIGINT NOT NULL CHECK (count >= 0),
    last_date  TEXT COLLATE "C",
    last_place TEXT COLLATE "C" NOT NULL DEFAULT '',
    sources    TEXT COLLATE "C" NOT NULL DEFAULT '[]'
);
CREATE SEQUENCE undo_log_id_seq;
CREATE TABLE undo_log (
    id      BIGINT PRIMARY KEY,
    action  TEXT COLLATE "C" NOT NULL CHECK (action IN ('add', 'edit', 'delete', 'people', 'import')),
    number  BIGINT NOT NULL,
    before  TEXT COLLATE "C",
    after   TEXT COLLATE "C",
    undone  BIGINT NOT NULL DEFAULT 0,
    at      TEXT COLLATE "C" NOT NULL,
    author  TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TRIGGER undo_log_id BEFORE INSERT ON undo_log FOR EACH ROW EXECUTE FUNCTION attache_fill_id();
"#;

/// The schema version `BASELINE` is; `migrations::MIGRATIONS` go on from it.
const BASELINE_VERSION: i64 = 11;

impl Store {
    /// Opens the database `db` names: a PostgreSQL address, else a SQLite file.
    pub fn open_any(db: &std::path::Path) -> Result<Store> {
        match db.to_str().filter(|db| is_url(db)) {
            Some(url) => Store::open_postgres(url),
            None => Store::open(db),
        }
    }

    /// Opens the PostgreSQL database at `url` (`postgres://USER@HOST:PORT/DB`, or a socket
    /// directory as `?host=/path`; libpq's environment fills in what it leaves out), creating
    /// attache's schema in an empty one.
    pub fn open_postgres(url: &str) -> Result<Store> {
        let connect::Connected { mut client, label } = connect::connect(url)?;
        let cannot_open = |reason: String| StoreError::CannotOpen {
            path: label.clone(),
            reason,
        };
        // attache reads a page of rows through its indexes at a time: the planner's default
        // cost of a random read (made for spinning disks) has it hash a whole table of people
        // to join fifty participations instead (4.7 ms against 0.4 ms at a million events),
        // and compiling queries (JIT) costs more than such queries take.
        let session = format!(
            "SET lock_timeout = '{}s'; SET client_min_messages = warning; \
             SET random_page_cost = 1.1; SET jit = off",
            BUSY_TIMEOUT.as_secs()
        );
        client
            .batch_execute(&session)
            .map_err(|e| cannot_open(reason_of(&e)))?;
        let regroup = match schema_state(&mut client).map_err(|e| cannot_open(reason_of(&e)))? {
            SchemaState::At(version) => version < super::schema::TRIPS as i64,
            SchemaState::Empty | SchemaState::Foreign => false,
        };
        let upgraded = migrations::settle(&mut client, &label, migrations::MIGRATIONS)?;
        let regroup = regroup && upgraded.is_some();
        let backend: i32 = client
            .query_one("SELECT pg_backend_pid()", &[])
            .map_err(|e| cannot_open(reason_of(&e)))?
            .get(0);
        client
            .batch_execute(&format!("LISTEN {}", postgres_engine::CHANNEL))
            .map_err(|e| cannot_open(reason_of(&e)))?;
        let conn = postgres_engine::conn(client, backend);
        conn.execute_batch(conn.dialect().temp_tables())?;
        let mut store = Store {
            conn,
            label,
            read_only: None,
            author: default_author(),
            upgraded,
            wait: super::DEFAULT_WAIT,
            on_wait: None,
            wait_stoppable: false,
            address: Some(url.to_string()),
            regions: crate::domain::region::Regions::shipped(),
        };
        // Trips are grouped in Rust, which PostgreSQL's migrations cannot run: the upgrade's
        // own transaction has dropped the visit places kept per event, and this one ranks
        // them per trip. Were it to fail, `verify --repair` ranks them again.
        if regroup {
            store.write(super::trips::rebuild)?;
        }
        Ok(store)
    }
}

/// What PostgreSQL said, or why it could not be reached, with every cause.
fn reason_of(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return db.message().to_string();
    }
    let mut reason = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        reason.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    reason
}

enum SchemaState {
    Empty,
    Foreign,
    At(i64),
}

fn schema_state(
    client: &mut impl postgres::GenericClient,
) -> std::result::Result<SchemaState, postgres::Error> {
    let ours: Option<String> = client
        .query_one("SELECT to_regclass('attache_schema')::text", &[])?
        .get(0);
    if ours.is_some() {
        let row = client.query_opt("SELECT application_id, version FROM attache_schema", &[])?;
        return Ok(match row {
            Some(row) if row.get::<_, i64>(0) == super::schema::APPLICATION_ID => {
                SchemaState::At(row.get(1))
            }
            _ => SchemaState::Foreign,
        });
    }
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            &[],
        )?
        .get(0);
    Ok(if tables == 0 {
        SchemaState::Empty
    } else {
        SchemaState::Foreign
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redacted("postgres://ann:secret@db.example:5432/attache"),
            "postgres://ann:***@db.example:5432/attache"
        );
        assert_eq!(
            redacted("postgresql:///attache?host=/var/run/postgresql"),
            "postgresql:///attache?host=/var/run/postgresql"
        );
        assert_eq!(redacted("postgres://ann@h/db"), "postgres://ann@h/db");
    }
}
