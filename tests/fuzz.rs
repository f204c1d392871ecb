//! Hostile input for every reader: arbitrary text for the date parser, the filter and the
//! participant and source cells; arbitrary bytes for whole CSV and JSON files. Nothing may
//! panic, a refused file must leave the store as it was, and what parses must read back the same.
//!
//! CI runs a short pass (proptest's default of 256 cases a property); a long one:
//! `PROPTEST_CASES=100000 cargo test --release --test fuzz`

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

use attache::app::filter;
use attache::domain::FuzzyDate;
use attache::domain::date::DateStyle;
use attache::interchange::csv::{self, ReadOptions};
use attache::interchange::json;
use attache::store::{EventFilter, Store};
use chrono::NaiveDate;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

/// Text that looks like what each reader expects, broken in the ways files are broken.
fn near_miss() -> impl Strategy<Value = String> {
    let pieces = vec![
        "2025",
        "-",
        "04",
        "11",
        "c.",
        "circa ",
        "Apr",
        "April",
        " ",
        ",",
        "\"",
        ";",
        "(",
        ")",
        "*",
        "<",
        ">",
        "\\",
        "RU",
        "US",
        "person:",
        "kind:",
        "from:",
        "citing",
        "https://",
        "Путин",
        "習近平",
        "\u{1b}",
        "\u{0}",
        "\u{202e}",
        "\r\n",
        "\n",
        "'",
        "=",
        "9999",
        "00",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..12).prop_map(|p| p.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), near_miss()]
}

fn seeded() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    attache::interchange::seed(&mut store).unwrap();
    store
}

proptest! {
    #[test]
    fn dates_parse_or_say_why(text in any_text()) {
        if let Ok(date) = FuzzyDate::parse_iso(&text) {
            // `to_string` is the ISO form with its circa mark (`to_iso` leaves circa to its own
            // column in files).
            prop_assert_eq!(FuzzyDate::parse_iso(&date.to_string()).unwrap(), date);
        }
        if let Ok(date) = FuzzyDate::parse_human(&text, today()) {
            for style in [DateStyle::Human, DateStyle::Iso] {
                let _ = date.display_long(style);
                prop_assert_eq!(FuzzyDate::parse_human(&date.display(style), today()), Ok(date));
            }
        }
    }

    #[test]
    fn filters_parse_or_say_why(text in any_text()) {
        let resolve = |name: &str| -> Result<i64, String> {
            if name.is_empty() { Err("empty".into()) } else { Ok(1) }
        };
        let _ = filter::parse(&text, &resolve, today());
    }

    #[test]
    fn participant_and_source_cells_read_back(text in any_text()) {
        if let Ok((people, unnamed)) = csv::decode_participants(&text) {
            let again =
                csv::decode_participants(&csv::encode_participants(&people, &unnamed)).unwrap();
            prop_assert_eq!(again, (people, unnamed));
        }
        if let Ok(sources) = csv::decode_sources(&text) {
            let again = csv::decode_sources(&csv::encode_sources(&sources)).unwrap();
            prop_assert_eq!(again, sources);
        }
    }

    #[test]
    fn a_hostile_csv_file_is_refused_whole_or_read(
        header in prop::bool::ANY,
        body in prop::collection::vec(prop_oneof![any::<u8>(), prop::sample::select(b",\"\n\r;*<>".to_vec())], 0..400),
    ) {
        let mut store = seeded();
        let mut bytes = if header { csv::COLUMNS.join(",").into_bytes() } else { Vec::new() };
        bytes.push(b'\n');
        bytes.extend(body);
        let before = store.event_count(&EventFilter::default()).unwrap();
        let result = csv::import(&mut store, std::io::Cursor::new(bytes.as_slice()), "fuzz.csv", ReadOptions::default(), |_, _| {});
        let after = store.event_count(&EventFilter::default()).unwrap();
        match result {
            Ok(summary) => prop_assert_eq!(after, before + summary.imported),
            Err(_) => prop_assert_eq!(after, before, "a refused file writes nothing"),
        }
        prop_assert!(store.kept_count_differences().unwrap().is_empty());
    }

    #[test]
    fn a_hostile_json_file_is_refused_whole_or_read(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            near_miss().prop_map(|t| format!("{{\"attache\": 1, \"events\": [{{\"date\": \"{t}\", \"title\": \"{t}\"}}]}}").into_bytes()),
            near_miss().prop_map(|t| format!("{{\"attache\": 1, \"people\": [{{\"name\": \"{t}\"}}], \"events\": []}}").into_bytes()),
        ],
    ) {
        let mut store = seeded();
        let before = store.event_count(&EventFilter::default()).unwrap();
        let result = json::import(&mut store, bytes.as_slice(), "fuzz.json", false, Default::default(), false);
        let after = store.event_count(&EventFilter::default()).unwrap();
        match result {
            Ok(summary) => prop_assert_eq!(after, before + summary.imported),
            Err(_) => prop_assert_eq!(after, before, "a refused file writes nothing"),
        }
    }
}
