use super::super::tests::each_engine;
use super::*;
use crate::domain::{Country, DraftParticipant, EventDraft, FuzzyDate};
use crate::store::Engine;

/// The bundled record, with one event added through the store so that the log holds an add.
fn seeded(mut store: Store) -> Store {
    crate::interchange::seed(&mut store).unwrap();
    let mut draft = EventDraft::new(FuzzyDate::parse_iso("2026-04-15").unwrap(), "Talks in Doha");
    draft.place.city = "Doha".into();
    draft.place.country = Country::parse("QA").ok();
    draft.participants = [("Vladimir Putin", "RU"), ("Steve Witkoff", "US")]
        .iter()
        .map(|(name, side)| DraftParticipant {
            name: (*name).into(),
            side: Country::parse(side).unwrap(),
            head: true,
        })
        .collect();
    store
        .add_event(&draft, crate::store::NewPeople::Refuse)
        .unwrap();
    store
}

fn parts(findings: &[Finding]) -> BTreeSet<Part> {
    findings.iter().map(|f| f.part).collect()
}

/// Each derived thing corrupted by hand, on its own: (what, the SQL, the part it breaks, a
/// phrase the finding says). The newest event is #37, the one `seeded` added.
fn corruptions(engine: Engine) -> Vec<(&'static str, &'static str, Part, &'static str)> {
    let mut all = vec![
        (
            "a wrong kept place",
            "UPDATE series_place SET low = 7, high = 7 WHERE event_id = 10 AND series = 'in-person 1 2'",
            Part::Places,
            "place of #10 in series in-person 1 2: kept 7th, after #5, ranked 3rd, after #5",
        ),
        (
            "a missing tally",
            "DELETE FROM tally WHERE dimension = 'month' AND value = '2025-04'",
            Part::Counts,
            "events per month of 2025-04: kept none, counted 4",
        ),
        (
            "a wrong count of a person's events",
            "UPDATE person SET events = events + 3 WHERE id = 1",
            Part::Counts,
            "events per person of Vladimir Putin (#1)",
        ),
        (
            "a pair that never met",
            "INSERT INTO pair_meetings (mode, first, second, meetings) VALUES ('in-person', 3, 4, 2)",
            Part::Counts,
            "meetings per pair of in-person 3 4: kept 2, counted none",
        ),
        (
            "a participation that forgot it was a meeting",
            "UPDATE participation SET meets = 0 WHERE event_id = 37",
            Part::Counts,
            "participation of Vladimir Putin (#1) in #37",
        ),
        (
            "stale search text",
            "UPDATE event SET search_text = 'stale' WHERE id = 37",
            Part::Search,
            "#37: the search text is not what its title, place and people make",
        ),
        (
            "a broken undo entry",
            "UPDATE undo_log SET after = '{broken' WHERE action = 'add'",
            Part::UndoLog,
            "add: the state after it cannot be read",
        ),
    ];
    if engine == Engine::Sqlite {
        all.push((
            "a stale row of the search index",
            "INSERT INTO event_search (event_search, rowid, search_text) \
             SELECT 'delete', id, search_text FROM event WHERE id = 37",
            Part::Search,
            "the index does not match the events' search text",
        ));
    }
    all
}

#[test]
fn a_clean_record_verifies_and_repair_writes_nothing() {
    each_engine(|store| {
        let mut store = seeded(store);
        let verification = store.verify().unwrap();
        assert_eq!(verification.findings, Vec::new());
        assert_eq!(
            verification
                .checked
                .iter()
                .map(|c| c.part)
                .collect::<Vec<_>>(),
            [
                Part::File,
                Part::Migrations,
                Part::Counts,
                Part::Places,
                Part::Search,
                Part::UndoLog
            ]
        );
        let repair = store.repair().unwrap();
        assert!(repair.repaired.is_empty() && repair.refused.is_empty());
        assert_eq!(store.quick_check().unwrap(), Vec::new());
        // Where the server has amcheck (contrib), its check of every index is the file's.
        if store.engine() == Engine::Postgres
            && store.conn.execute_batch("CREATE EXTENSION amcheck").is_ok()
        {
            let verification = store.verify().unwrap();
            assert_eq!(verification.findings, Vec::new());
            assert!(
                verification.checked[0]
                    .how
                    .starts_with("amcheck's bt_index_check of "),
                "{:?}",
                verification.checked[0]
            );
        }
    });
}

#[test]
fn each_corruption_is_named_and_repaired() {
    each_engine(|store| {
        let mut store = seeded(store);
        for (what, sql, part, said) in corruptions(store.engine()) {
            store.conn.execute_batch(sql).unwrap();
            let found = store.verify().unwrap().findings;
            assert_eq!(parts(&found), BTreeSet::from([part]), "{what}: {found:?}");
            assert!(
                found.iter().any(|f| f.what.contains(said)),
                "{what}: {found:?}"
            );
            let repair = store.repair().unwrap();
            assert_eq!(repair.repaired, found, "{what}");
            assert_eq!(store.verify().unwrap().findings, Vec::new(), "{what}");
            assert_eq!(
                store.kept_count_differences().unwrap(),
                Vec::<String>::new()
            );
        }
        // The broken entry is gone: undo takes back the change before it, the seed's import
        // being no change undo takes back.
        assert_eq!(store.undo().unwrap(), None);
    });
}

#[test]
fn several_corruptions_are_repaired_together() {
    each_engine(|store| {
        let mut store = seeded(store);
        let all = corruptions(store.engine());
        for (_, sql, ..) in &all {
            store.conn.execute_batch(sql).unwrap();
        }
        let found = store.verify().unwrap().findings;
        let expected: BTreeSet<Part> = all.iter().map(|(_, _, part, _)| *part).collect();
        assert_eq!(parts(&found), expected);
        let repair = store.repair().unwrap();
        assert_eq!(repair.repaired, found);
        assert_eq!(store.verify().unwrap().findings, Vec::new());
    });
}

#[test]
fn a_damaged_file_is_reported_and_nothing_is_rebuilt() {
    // SQLite checks foreign keys only when asked; a row pointing nowhere is damage to the file
    // that no recount can mend.
    let store = Store::open_in_memory().unwrap();
    let mut store = seeded(store);
    store
        .conn
        .execute_batch(
            "PRAGMA foreign_keys = OFF; \
             INSERT INTO person_title (person_id, position, title) VALUES (999, 0, 'Nobody'); \
             UPDATE tally SET events = 0 WHERE dimension = 'kind' AND value = 'call'; \
             PRAGMA foreign_keys = ON;",
        )
        .unwrap();
    let found = store.verify().unwrap().findings;
    assert_eq!(parts(&found), BTreeSet::from([Part::File, Part::Counts]));
    assert!(
        found[0]
            .what
            .contains("of person_title refers to a missing row of person"),
        "{found:?}"
    );
    let repair = store.repair().unwrap();
    assert_eq!(parts(&repair.refused), BTreeSet::from([Part::File]));
    assert_eq!(
        parts(&store.verify().unwrap().findings),
        BTreeSet::from([Part::File, Part::Counts]),
        "the tally is left as it was"
    );
}

#[test]
fn the_check_at_start_finds_damage_to_the_newest_events() {
    each_engine(|store| {
        let store = seeded(store);
        assert_eq!(store.quick_check().unwrap(), Vec::new());
        let mut cases = vec![
            (
                "UPDATE event SET search_text = 'stale' WHERE id = 37",
                Part::Search,
            ),
            (
                "DELETE FROM series_place WHERE event_id = 37 AND series LIKE 'visit%'",
                Part::Places,
            ),
            ("UPDATE person SET meetings = 0 WHERE id = 2", Part::Counts),
            (
                "UPDATE participation SET date_first = '2026-04-16' WHERE event_id = 37",
                Part::Counts,
            ),
            (
                "UPDATE tally SET events = events + 1 WHERE dimension = 'kind' AND value = 'talks'",
                Part::Counts,
            ),
            (
                "UPDATE tally SET events = 0 WHERE dimension = 'month' AND value = '2026-04'",
                Part::Counts,
            ),
            (
                "UPDATE undo_log SET after = '{broken' WHERE action = 'add'",
                Part::UndoLog,
            ),
        ];
        if store.engine() == Engine::Sqlite {
            cases.push((
                "INSERT INTO event_search (event_search, rowid, search_text) \
                 SELECT 'delete', id, search_text FROM event WHERE id = 37",
                Part::Search,
            ));
        }
        let mut store = store;
        for (sql, part) in cases {
            store.conn.execute_batch(sql).unwrap();
            let found = store.quick_check().unwrap();
            assert!(
                !found.is_empty() && found.iter().all(|f| f.part == part),
                "{sql}: {found:?}"
            );
            store.repair().unwrap();
            assert_eq!(store.quick_check().unwrap(), Vec::new(), "{sql}");
        }
    });
}
