//! The schema, as an append-only list of migrations numbered by `PRAGMA user_version`.

/// Marks a file as attache's (`PRAGMA application_id`): "attc".
pub const APPLICATION_ID: i64 = 0x6174_7463;

/// Each entry moves the schema from version `i` to `i + 1`. Never edit a released entry; append.
pub const MIGRATIONS: &[&str] = &[
    // 1: people, events, participations, sources.
    r#"
    CREATE TABLE person (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        TEXT NOT NULL CHECK (name <> ''),
        name_key    TEXT NOT NULL UNIQUE,
        native_name TEXT NOT NULL DEFAULT '',
        country     TEXT
    );
    CREATE TABLE person_title (
        person_id  INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        title      TEXT NOT NULL,
        from_date  TEXT,
        until_date TEXT,
        PRIMARY KEY (person_id, position)
    );
    CREATE TABLE event (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        uuid          TEXT NOT NULL UNIQUE,
        date_first    TEXT NOT NULL,
        date_last     TEXT NOT NULL,
        precision     TEXT NOT NULL CHECK (precision IN ('day', 'month', 'year')),
        circa         INTEGER NOT NULL DEFAULT 0,
        end_first     TEXT,
        end_precision TEXT CHECK (end_precision IN ('day', 'month', 'year')),
        title         TEXT NOT NULL CHECK (title <> ''),
        kind          TEXT NOT NULL,
        mode          TEXT NOT NULL,
        status        TEXT NOT NULL,
        city          TEXT NOT NULL DEFAULT '',
        country       TEXT,
        venue         TEXT NOT NULL DEFAULT '',
        notes         TEXT NOT NULL DEFAULT '',
        search_text   TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX event_timeline ON event (date_first, id);
    CREATE INDEX event_country ON event (country, date_first);
    CREATE INDEX event_kind ON event (kind, date_first);
    CREATE TABLE participation (
        event_id  INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES person(id),
        position  INTEGER NOT NULL,
        side      TEXT NOT NULL,
        head      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (event_id, person_id)
    ) WITHOUT ROWID;
    CREATE INDEX participation_person ON participation (person_id, event_id);
    CREATE INDEX participation_side ON participation (side, event_id);
    CREATE TABLE source (
        event_id  INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        position  INTEGER NOT NULL,
        outlet    TEXT NOT NULL,
        citing    TEXT NOT NULL DEFAULT '',
        url       TEXT NOT NULL DEFAULT '',
        published TEXT,
        PRIMARY KEY (event_id, position)
    ) WITHOUT ROWID;
    "#,
    // 2: the undo log, kept in the database so that undo survives a restart; and on each
    // participation the event's date and whether it was a face-to-face meeting headed by this
    // participant, so that per-person summaries read one index instead of every event. The
    // (person, date) index serves every lookup the (person, event) one did, so it replaces it.
    r#"
    CREATE TABLE undo_log (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        action  TEXT NOT NULL CHECK (action IN ('add', 'edit', 'delete')),
        number  INTEGER NOT NULL,
        before  TEXT,
        after   TEXT,
        undone  INTEGER NOT NULL DEFAULT 0,
        at      TEXT NOT NULL
    );
    ALTER TABLE participation ADD COLUMN date_first TEXT NOT NULL DEFAULT '';
    ALTER TABLE participation ADD COLUMN meets INTEGER NOT NULL DEFAULT 0;
    UPDATE participation SET date_first = (SELECT e.date_first FROM event e WHERE e.id = participation.event_id);
    UPDATE participation SET meets = 1
     WHERE (head = 1 OR NOT EXISTS (SELECT 1 FROM participation q WHERE q.event_id = participation.event_id
                                    AND q.side = participation.side AND q.person_id <> participation.person_id))
       AND EXISTS (SELECT 1 FROM event e WHERE e.id = participation.event_id
                   AND e.mode = 'in-person' AND e.status IN ('reported', 'confirmed'));
    CREATE INDEX participation_person_date ON participation (person_id, date_first);
    DROP INDEX participation_person;
    CREATE INDEX participation_meets ON participation (person_id) WHERE meets = 1;
    "#,
    // 3: counts kept up to date by the store's writes (see `store::counts`), so that the People
    // and Stats views and city completion read a few thousand rows instead of every event: each
    // person's events and last day seen, and events per month, kind, country and city.
    r#"
    ALTER TABLE person ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE person ADD COLUMN last_seen TEXT;
    UPDATE person SET
        events = (SELECT count(*) FROM participation pa WHERE pa.person_id = person.id),
        last_seen = (SELECT max(pa.date_first) FROM participation pa WHERE pa.person_id = person.id);
    CREATE TABLE tally (
        dimension TEXT NOT NULL CHECK (dimension IN ('month', 'kind', 'country', 'city')),
        value     TEXT NOT NULL,
        events    INTEGER NOT NULL,
        PRIMARY KEY (dimension, value)
    ) WITHOUT ROWID;
    INSERT INTO tally SELECT 'month', substr(date_first, 1, 7), count(*) FROM event GROUP BY 2;
    INSERT INTO tally SELECT 'kind', kind, count(*) FROM event GROUP BY 2;
    INSERT INTO tally SELECT 'country', country, count(*) FROM event WHERE country IS NOT NULL GROUP BY 2;
    INSERT INTO tally SELECT 'city', city, count(*) FROM event WHERE city <> '' GROUP BY 2;
    "#,
    // 4: each event's place in every series it belongs to (the meetings of a pair of heads in
    // one mode, a person's visits to a country), kept by the store's writes (see `store::ranks`,
    // which also fills the table for existing events), so that an ordinal is one lookup
    // instead of a pass over a pair's whole history.
    r#"
    CREATE TABLE series_place (
        series     TEXT NOT NULL,
        event_id   INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        date_first TEXT NOT NULL,
        date_last  TEXT NOT NULL,
        to_the_day INTEGER NOT NULL,
        happened   INTEGER NOT NULL,
        low        INTEGER NOT NULL DEFAULT 0,
        high       INTEGER NOT NULL DEFAULT 0,
        previous   INTEGER,
        PRIMARY KEY (event_id, series)
    ) WITHOUT ROWID;
    CREATE INDEX series_place_series ON series_place (series, date_first, event_id);
    -- How many times each pair of heads met (or spoke, per mode), kept with the places: whom a
    -- person met most is read from their pairs, not from their events.
    CREATE TABLE pair_meetings (
        mode     TEXT NOT NULL,
        first    INTEGER NOT NULL,
        second   INTEGER NOT NULL,
        meetings INTEGER NOT NULL,
        PRIMARY KEY (mode, first, second)
    ) WITHOUT ROWID;
    CREATE INDEX pair_meetings_second ON pair_meetings (mode, second);
    -- Each person's face-to-face meetings as a head, kept like `events`: who leads the matrix.
    ALTER TABLE person ADD COLUMN meetings INTEGER NOT NULL DEFAULT 0;
    UPDATE person SET meetings =
        (SELECT count(*) FROM participation pa WHERE pa.person_id = person.id AND pa.meets = 1);
    CREATE INDEX person_meetings ON person (meetings DESC, name_key);
    "#,
    // 5: a full-text index of trigrams over what searches look through (titles, places and
    // names in every script, `event.search_text`), so that a search of three or more
    // characters reads its matches instead of every row. Triggers take out what an event
    // said before it changes or goes; the store indexes new text in one statement before each
    // commit (`store::ranks::settle`), which costs a tenth of indexing row by row.
    r#"
    CREATE VIRTUAL TABLE event_search USING fts5 (
        search_text, content = 'event', content_rowid = 'id', tokenize = 'trigram'
    );
    INSERT INTO event_search (event_search) VALUES ('rebuild');
    CREATE TRIGGER event_search_delete AFTER DELETE ON event BEGIN
        INSERT INTO event_search (event_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END;
    CREATE TRIGGER event_search_update BEFORE UPDATE OF search_text ON event BEGIN
        INSERT INTO event_search (event_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END;
    "#,
    // 6: the migrations a database went through, by hash, so that a file changed by a build
    // whose migrations differ from this one's (an edited release, a fork) is refused instead
    // of being worked on with wrong assumptions. `Store::migrate` records each migration here,
    // and this one records those before it.
    r#"
    CREATE TABLE schema_migration (
        version    INTEGER PRIMARY KEY,
        hash       TEXT NOT NULL,
        applied_at TEXT
    );
    "#,
    // 7: people have any number of native-script names and aliases (other spellings), each
    // found as the name is, and notes. Name keys are filled in by `people::key_names`, which
    // lower-cases every script (SQLite's lower() knows ASCII only).
    r#"
    CREATE TABLE person_name (
        person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        kind      TEXT NOT NULL CHECK (kind IN ('native', 'alias')),
        position  INTEGER NOT NULL,
        name      TEXT NOT NULL CHECK (name <> ''),
        name_key  TEXT NOT NULL,
        PRIMARY KEY (person_id, kind, position)
    ) WITHOUT ROWID;
    CREATE INDEX person_name_key ON person_name (name_key);
    INSERT INTO person_name (person_id, kind, position, name, name_key)
        SELECT id, 'native', 0, native_name, native_name FROM person WHERE native_name <> '';
    ALTER TABLE person DROP COLUMN native_name;
    ALTER TABLE person ADD COLUMN notes TEXT NOT NULL DEFAULT '';
    -- Changes to people (edits, merges, deletes) are undone as event changes are.
    CREATE TABLE undo_log_new (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        action  TEXT NOT NULL CHECK (action IN ('add', 'edit', 'delete', 'people')),
        number  INTEGER NOT NULL,
        before  TEXT,
        after   TEXT,
        undone  INTEGER NOT NULL DEFAULT 0,
        at      TEXT NOT NULL
    );
    INSERT INTO undo_log_new SELECT id, action, number, before, after, undone, at FROM undo_log;
    DROP TABLE undo_log;
    ALTER TABLE undo_log_new RENAME TO undo_log;
    "#,
    // 8: prior counts: what is known from before the record's first event of a series (a
    // pair's meetings, a person's visits to a country), so that ordinals continue from it.
    // `series` is `Series::key`; `first` and `second` keep the people it names from being
    // deleted under it.
    r#"
    CREATE TABLE prior (
        series     TEXT PRIMARY KEY,
        first      INTEGER NOT NULL REFERENCES person(id),
        second     INTEGER REFERENCES person(id),
        count      INTEGER NOT NULL CHECK (count >= 0),
        last_date  TEXT,
        last_place TEXT NOT NULL DEFAULT '',
        sources    TEXT NOT NULL DEFAULT '[]'
    );
    "#,
    // 9: a source names the site it was read at when that is not the outlet's own ("TASS via
    // news-pravda.com"); and an event carries claims: what each source says about one aspect
    // of it (a duration, a title, a count), so that sources that disagree are both kept.
    // `sources` lists positions in the event's source list; `count` is a published ordinal
    // as JSON (people, kind, number, since).
    r#"
    ALTER TABLE source ADD COLUMN via TEXT NOT NULL DEFAULT '';
    CREATE TABLE claim (
        event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        aspect   TEXT NOT NULL,
        value    TEXT NOT NULL CHECK (value <> ''),
        sources  TEXT NOT NULL DEFAULT '',
        note     TEXT NOT NULL DEFAULT '',
        count    TEXT,
        PRIMARY KEY (event_id, position)
    ) WITHOUT ROWID;
    "#,
    // 10: sides whose members were not named ("a Russian delegation"): the event still has
    // that side, found by a filter on it.
    r#"
    CREATE TABLE unnamed_side (
        event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        side     TEXT NOT NULL,
        PRIMARY KEY (event_id, side)
    ) WITHOUT ROWID;
    "#,
    // 11: working together. Each event carries a version, raised by every change to it, so that
    // an edit made against an older version is refused instead of overwriting a colleague's;
    // and each change in the log says who made it.
    // Imports are logged too (not undone: their `before` and `after` are empty).
    r#"
    ALTER TABLE event ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE undo_log_new (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        action  TEXT NOT NULL CHECK (action IN ('add', 'edit', 'delete', 'people', 'import')),
        number  INTEGER NOT NULL,
        before  TEXT,
        after   TEXT,
        undone  INTEGER NOT NULL DEFAULT 0,
        at      TEXT NOT NULL,
        author  TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO undo_log_new (id, action, number, before, after, undone, at)
        SELECT id, action, number, before, after, undone, at FROM undo_log;
    DROP TABLE undo_log;
    ALTER TABLE undo_log_new RENAME TO undo_log;
    "#,
    // 12: a person's short name for labels (the heads column, the matrix), where one is set
    // by hand; '' is the family name by the rules of `domain::names`, which follows the name
    // when it is edited.
    r#"
    ALTER TABLE person ADD COLUMN short_name TEXT NOT NULL DEFAULT '';
    "#,
    // 13: visits counted per trip (see `domain::trip`). The user's word on where a trip breaks
    // (`trip_link`: the event starts a new trip, or continues the previous one); each person's
    // home as the store last worked it out (their country, or else the side they take most
    // often); each in-person event away from home with the trip it belongs to, by the trip's
    // first event. A visit place is kept on every event of the visit, with the visit's first
    // event in `visit`, so that a visit is listed once. The visit places kept per event are
    // dropped here and `store::trips::rebuild` ranks every person's visits again.
    r#"
    ALTER TABLE event ADD COLUMN trip_link TEXT CHECK (trip_link IN ('split', 'join'));
    ALTER TABLE person ADD COLUMN home TEXT;
    ALTER TABLE series_place ADD COLUMN visit INTEGER;
    CREATE TABLE trip_member (
        person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        event_id  INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        trip      INTEGER NOT NULL,
        PRIMARY KEY (person_id, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX trip_member_trip ON trip_member (person_id, trip);
    DELETE FROM series_place WHERE series LIKE 'visit %';
    "#,
    // 14: sources disagree on what came before the record: a prior keeps, beside the count
    // ordinals continue from (`count`, `last_date`, `last_place`, `sources`), the counts that
    // dispute it, as JSON: [{"count", "last", "place", "sources"}], each with its own sources.
    r#"
    ALTER TABLE prior ADD COLUMN disputed TEXT NOT NULL DEFAULT '[]';
    "#,
    // 15: a person's pairs by count on either side, so that whom they met most is the top of
    // an index, not a sort of all their partners (the stats view asks for ten people at once).
    r#"
    CREATE INDEX pair_meetings_first_count ON pair_meetings (mode, first, meetings);
    CREATE INDEX pair_meetings_second_count ON pair_meetings (mode, second, meetings);
    "#,
];

/// The migration after which `store::people::key_names` fills in `person_name.name_key`.
pub const PERSON_NAMES: usize = 7;

/// The migration that creates `schema_migration`; databases at this version or later say
/// which migrations made them.
pub const RECORDED_MIGRATIONS: usize = 6;

/// A migration's fingerprint: FNV-1a, 64 bits, in hexadecimal; unlike std's hash it stays the
/// same across Rust versions.
pub fn migration_hash(sql: &str) -> String {
    let hash = sql.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// The migration after which `store::ranks::rebuild` fills `series_place` from the events.
pub const SERIES_PLACES: usize = 4;

/// The migration after which `store::trips::rebuild` groups every person's trips and ranks
/// their visits.
pub const TRIPS: usize = 13;

pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// Marks a SQLite file as attache's, at `version`.
pub fn set_version(tx: &super::db::Tx, version: i64) -> super::db::Result<()> {
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {version}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A released migration is never edited: databases already carry what it did. A new
    /// schema is a new entry, and its hash is added here once it is released.
    #[test]
    fn released_migrations_are_pinned() {
        let released: &[&str] = &PINNED;
        let hashes: Vec<String> = MIGRATIONS.iter().map(|m| migration_hash(m)).collect();
        assert_eq!(
            &hashes[..released.len()],
            released,
            "a released migration changed: restore it and add a new one"
        );
    }

    const PINNED: [&str; 11] = [
        "0b96b0b9a331ef40",
        "5186922cba4d5f29",
        "65ff1814197691f9",
        "a9741bbe5e4dd0a9",
        "4de2bb8bff3424fb",
        "af54985dcd0c333b",
        "3deb31084df24d5d",
        "cc451a153485ddb0",
        "7bd146c9db6a4a7c",
        "e39284b689cbcf21",
        "e845af0b6d377aca",
    ];
}
