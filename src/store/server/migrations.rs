//! PostgreSQL's schema after the frozen baseline (`BASELINE`, schema version 11): numbered
//! migrations, each doing on PostgreSQL what SQLite's migration of the same number does, so
//! that one version number means the same tables on both engines. The first attache to open an
//! older database upgrades it: every step it lacks, in one transaction, each recorded with its
//! hash in `schema_migration` as SQLite's are. A step that fails leaves the database as it was.

use std::collections::HashMap;

use postgres::error::SqlState;
use postgres::{Client, GenericClient, Transaction};

use super::{BASELINE, BASELINE_VERSION, SchemaState, reason_of, schema_state};
use crate::store::schema::{APPLICATION_ID, migration_hash};
use crate::store::{Result, StoreError};

/// Entry `i` moves a database from version `BASELINE_VERSION + i` to the next, as SQLite's
/// migration of that number does (`schema::MIGRATIONS`; a test holds the two lists to one
/// version number). Never edit a released entry; append.
pub(in crate::store) const MIGRATIONS: &[&str] = &[
    // 12: a person's short name for labels, where one is set by hand (see SQLite's 12).
    r#"
    ALTER TABLE person ADD COLUMN short_name TEXT COLLATE "C" NOT NULL DEFAULT '';
    "#,
    // 13: visits counted per trip; `Store::open_postgres` then ranks every person's visits
    // again (`store::trips::rebuild`).
    r#"
    ALTER TABLE event ADD COLUMN trip_link TEXT COLLATE "C" CHECK (trip_link IN ('split', 'join'));
    ALTER TABLE person ADD COLUMN home TEXT COLLATE "C";
    ALTER TABLE series_place ADD COLUMN visit BIGINT;
    CREATE TABLE trip_member (
        person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        event_id  BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        trip      BIGINT NOT NULL,
        PRIMARY KEY (person_id, event_id)
    );
    CREATE INDEX trip_member_trip ON trip_member (person_id, trip);
    DELETE FROM series_place WHERE series LIKE 'visit %';
    "#,
    // 14: the counts that dispute a prior's, as SQLite's 14.
    r#"
    ALTER TABLE prior ADD COLUMN disputed TEXT COLLATE "C" NOT NULL DEFAULT '[]';
    "#,
    // 15: a person's pairs by count on either side, as SQLite's 15.
    r#"
    CREATE INDEX pair_meetings_first_count ON pair_meetings (mode, first, meetings);
    CREATE INDEX pair_meetings_second_count ON pair_meetings (mode, second, meetings);
    "#,
];

/// One attache at a time creates or upgrades the schema (the first lock), and no write runs
/// meanwhile (the second, which every write takes first: `db::Conn::begin`), so that a step
/// sees every row and no write under the old schema lands in the middle of it.
const LOCKS: &str =
    "SELECT pg_advisory_xact_lock(7243656316); SELECT pg_advisory_xact_lock(7243656315)";

/// Brings the database to the version `steps` end at: creates the schema in an empty database,
/// upgrades an older one, and refuses, before writing to it, one that holds other tables, was
/// made by a newer attache or went through other migrations. Returns what to tell the user
/// when it upgraded.
pub(in crate::store) fn settle(
    client: &mut Client,
    label: &str,
    steps: &[&str],
) -> Result<Option<String>> {
    let latest = version_after(steps);
    let unreadable = |e: postgres::Error| failed(label, "", &e);
    match schema_state(client).map_err(unreadable)? {
        SchemaState::Foreign => return Err(foreign(label)),
        SchemaState::At(version) => {
            check(client, label, version, steps)?;
            if version == latest {
                return Ok(None);
            }
        }
        SchemaState::Empty => {}
    }
    let mut tx = client.transaction().map_err(unreadable)?;
    tx.batch_execute(LOCKS).map_err(unreadable)?;
    // Another attache may have created or upgraded it while this one waited.
    let (from, created) = match schema_state(&mut tx).map_err(unreadable)? {
        SchemaState::Foreign => return Err(foreign(label)),
        SchemaState::At(version) => {
            check(&mut tx, label, version, steps)?;
            (version, false)
        }
        SchemaState::Empty => (BASELINE_VERSION, true),
    };
    let doing = if created {
        "cannot create attache's tables".to_string()
    } else {
        format!(
            "cannot upgrade attache's tables from schema version {from} to {latest} (they were left at {from})"
        )
    };
    if created {
        create(&mut tx).map_err(|e| failed(label, &doing, &e))?;
    }
    if from == latest {
        tx.commit().map_err(unreadable)?;
        return Ok(None);
    }
    let done = usize::try_from(from - BASELINE_VERSION).unwrap_or(usize::MAX);
    for (version, sql) in (from + 1..).zip(steps.iter().skip(done)) {
        tx.batch_execute(sql)
            .and_then(|()| record(&mut tx, version, sql))
            .map_err(|e| failed(label, &format!("{doing}: migration {version}"), &e))?;
    }
    tx.execute("UPDATE attache_schema SET version = $1", &[&latest])
        .map_err(|e| failed(label, &doing, &e))?;
    tx.commit().map_err(|e| failed(label, &doing, &e))?;
    Ok((!created).then(|| {
        format!(
            "upgraded {label} from schema version {from} to {latest}; an attache older than this one can no longer open it"
        )
    }))
}

/// The schema version a database is at once every step has run.
fn version_after(steps: &[&str]) -> i64 {
    BASELINE_VERSION + i64::try_from(steps.len()).unwrap_or(i64::MAX - BASELINE_VERSION)
}

fn create(tx: &mut Transaction) -> std::result::Result<(), postgres::Error> {
    tx.batch_execute(BASELINE)?;
    tx.execute(
        "INSERT INTO attache_schema (application_id, version) VALUES ($1, $2)",
        &[&APPLICATION_ID, &BASELINE_VERSION],
    )?;
    record(tx, BASELINE_VERSION, BASELINE)
}

fn record(
    tx: &mut Transaction,
    version: i64,
    sql: &str,
) -> std::result::Result<(), postgres::Error> {
    tx.execute(
        "INSERT INTO schema_migration (version, hash, applied_at) VALUES ($1, $2, $3)",
        &[
            &version,
            &migration_hash(sql),
            &chrono::Utc::now().to_rfc3339(),
        ],
    )?;
    Ok(())
}

/// Refuses a database that is newer than `steps` go, at a version attache never wrote on
/// PostgreSQL, or whose recorded migrations are not the baseline and `steps`.
fn check(client: &mut impl GenericClient, label: &str, version: i64, steps: &[&str]) -> Result<()> {
    let latest = version_after(steps);
    if version > latest {
        return Err(StoreError::TooNew {
            path: label.to_string(),
            found: version,
            supported: latest,
        });
    }
    if version < BASELINE_VERSION {
        return Err(StoreError::UnknownVersion {
            path: label.to_string(),
            found: version,
        });
    }
    let recorded: HashMap<i64, String> = client
        .query("SELECT version, hash FROM schema_migration", &[])
        .map_err(|e| failed(label, "", &e))?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let ours = std::iter::once(BASELINE).chain(steps.iter().copied());
    for (number, sql) in (BASELINE_VERSION..=version).zip(ours) {
        let how = match recorded.get(&number) {
            None => "is not recorded as applied, unlike",
            Some(hash) if *hash != migration_hash(sql) => "recorded in the database differs from",
            Some(_) => continue,
        };
        return Err(StoreError::MigrationsDiffer {
            path: label.to_string(),
            version: number,
            how,
        });
    }
    Ok(())
}

fn foreign(label: &str) -> StoreError {
    StoreError::Foreign {
        path: label.to_string(),
    }
}

/// A lock not granted in time is another program writing; anything else, the server's refusal
/// of what attache was `doing`.
fn failed(label: &str, doing: &str, error: &postgres::Error) -> StoreError {
    if error.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) {
        return StoreError::Busy {
            path: label.to_string(),
            waited: super::BUSY_TIMEOUT.as_secs(),
            holder: None,
        };
    }
    let reason = reason_of(error);
    StoreError::CannotOpen {
        path: label.to_string(),
        reason: if doing.is_empty() {
            reason
        } else {
            format!("{doing}: {reason}")
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{LATEST_VERSION, schema};

    /// One version number for both engines: a new SQLite migration needs its PostgreSQL
    /// counterpart here, and the other way round.
    #[test]
    fn each_sqlite_migration_after_the_baseline_has_a_postgresql_one() {
        assert_eq!(version_after(MIGRATIONS), LATEST_VERSION);
        assert_eq!(
            schema::MIGRATIONS.len() - MIGRATIONS.len(),
            usize::try_from(BASELINE_VERSION).unwrap()
        );
    }

    /// Every PostgreSQL record carries the baseline's hash, and each upgraded one the hashes
    /// of the steps it went through: none of them is ever edited. A new step's hash is added
    /// here once it is released.
    #[test]
    fn the_baseline_and_released_migrations_are_pinned() {
        let hashes: Vec<String> = std::iter::once(BASELINE)
            .chain(MIGRATIONS.iter().copied())
            .map(migration_hash)
            .collect();
        assert_eq!(
            &hashes[..PINNED.len()],
            PINNED,
            "a released PostgreSQL migration changed: restore it and add a new one"
        );
    }

    const PINNED: &[&str] = &["abab1fc85c6a8410"];
}
