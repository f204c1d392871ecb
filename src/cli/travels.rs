//! `count PERSON --visits` and `count PERSON --trips`: a person's visits to countries or
//! regions, or their trips, within a scope, numbered as the press numbers them.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use super::people::CountArgs;
use super::{Format, Result, table};
use crate::domain::prior::Prior;
use crate::domain::region::Region;
use crate::domain::scope::Scope;
use crate::domain::series::Series;
use crate::domain::travels::Counted;
use crate::domain::{Country, Event, Person};
use crate::store::Store;

#[derive(Serialize)]
struct CountedJson {
    ordinal: String,
    /// The first event's date, and the last's (its end date where it has one).
    first: String,
    last: String,
    /// The countries it went to, in the order reached (stopovers aside).
    countries: Vec<String>,
    /// "Tel Aviv, Jerusalem (Israel)": each country's cities, by name.
    places: Vec<String>,
    /// The events counted, by number.
    events: Vec<i64>,
    /// The trip's number: its first event's.
    trip: i64,
}

#[derive(Serialize)]
struct TravelsJson {
    count: usize,
    person: String,
    home: Option<String>,
    countries: Vec<String>,
    regions: Vec<String>,
    since: Option<String>,
    until: Option<String>,
    role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visits: Option<Vec<CountedJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trips: Option<Vec<CountedJson>>,
    /// Those not yet known to have happened, with the place they will have.
    planned: Vec<CountedJson>,
}

pub fn count(
    store: &Store,
    args: &CountArgs,
    person: &Person,
    scope: &Scope,
    out: &mut dyn Write,
) -> Result<()> {
    let mut countries: Vec<Country> = Vec::new();
    for code in &args.countries {
        let country = Country::parse_field("--country", code)?;
        if !countries.contains(&country) {
            countries.push(country);
        }
    }
    let mut regions: Vec<Region> = Vec::new();
    if !args.regions.is_empty() {
        let known = super::regions::known()?;
        for name in &args.regions {
            regions.push(known.find(name).map_err(super::CliError::Refused)?.clone());
        }
    }
    let within = |c: &Country| countries.contains(c) || regions.iter().any(|r| r.contains(c));
    let somewhere = !countries.is_empty() || !regions.is_empty();
    let (travels, history) = store.travels(person)?;
    let counted = if args.visits {
        travels.visits(within, scope)
    } else {
        travels.trips(
            somewhere.then_some(&within as &dyn Fn(&Country) -> bool),
            scope,
        )
    };
    // What is known from before the record counts only for visits to one country, counted
    // from the beginning by any title: it has no dates or places to scope.
    let prior: Option<Prior> = match (args.visits, countries.as_slice(), regions.len()) {
        (true, [country], 0) if scope.since.is_none() && scope.role.is_none() => {
            store.priors()?.remove(&Series::Visits {
                person: person.id,
                country: country.code().to_string(),
            })
        }
        _ => None,
    };
    let events: HashMap<i64, &Event> = history.iter().map(|e| (e.id, e)).collect();
    let describe = |c: &Counted| counted_json(c, &events, prior.as_ref());
    let (done, planned): (Vec<&Counted>, Vec<&Counted>) = counted.iter().partition(|c| c.happened);
    let done: Vec<CountedJson> = done.into_iter().map(describe).collect();
    let planned: Vec<CountedJson> = planned.into_iter().map(describe).collect();
    let noun = if args.visits { "visit" } else { "trip" };
    match args.format {
        Format::Json => {
            let (visits, trips) = if args.visits {
                (Some(done), None)
            } else {
                (None, Some(done))
            };
            let json = TravelsJson {
                count: visits.as_ref().or(trips.as_ref()).map_or(0, Vec::len),
                person: person.name.clone(),
                home: travels.home.as_ref().map(|c| c.to_string()),
                countries: countries.iter().map(|c| c.to_string()).collect(),
                regions: regions.iter().map(|r| r.name.clone()).collect(),
                since: scope.since.map(|d| d.to_string()),
                until: scope.until.map(|d| d.to_string()),
                role: scope.role.clone(),
                visits,
                trips,
                planned,
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        }
        Format::Csv => {
            let rows: Vec<Vec<String>> = done
                .iter()
                .map(|c| (c, ""))
                .chain(planned.iter().map(|c| (c, "planned")))
                .map(|(c, planned)| {
                    vec![
                        c.ordinal.clone(),
                        c.first.clone(),
                        c.last.clone(),
                        c.countries.join(" "),
                        c.places.join("; "),
                        numbers(&c.events, ""),
                        c.trip.to_string(),
                        planned.to_string(),
                    ]
                })
                .collect();
            let header = [
                "ordinal",
                "first",
                "last",
                "countries",
                "places",
                "events",
                "trip",
                "planned",
            ];
            crate::interchange::csv::write_table(out, &header, &rows)?;
        }
        Format::Table => {
            let whereto: Vec<String> = countries
                .iter()
                .map(|c| c.in_sentence())
                .chain(regions.iter().map(|r| r.called.clone()))
                .collect();
            let mut heading = format!(
                "{} {noun}{} ",
                done.len(),
                if done.len() == 1 { "" } else { "s" }
            );
            heading.push_str(&if whereto.is_empty() {
                format!("abroad by {}", person.name)
            } else {
                format!("to {} by {}", whereto.join(" or "), person.name)
            });
            heading.push_str(&scope.phrase(super::DATES));
            match &prior {
                Some(prior) if prior.count().count == 0 => {}
                Some(prior) => heading.push_str(&format!(
                    " in this record; {} counting {} before it",
                    done.len() + prior.count().count,
                    prior.count().count
                )),
                None => heading.push_str(" in this record"),
            }
            writeln!(out, "{heading}")?;
            if let Some(home) = travels.home.as_ref().filter(|h| countries.contains(h)) {
                writeln!(
                    out,
                    "({} is {}'s home: events there are no visits)",
                    home.name(),
                    person.name
                )?;
            }
            if travels.home.is_none() {
                writeln!(
                    out,
                    "(no country on record for {0}, and no side taken: every event counts as \
                     away; attache person edit \"{0}\" --country CC sets it)",
                    person.name
                )?;
            }
            let rows = |list: &[CountedJson]| -> Vec<Vec<String>> {
                list.iter()
                    .map(|c| {
                        let day = |iso: &str| {
                            crate::domain::FuzzyDate::parse_iso(iso)
                                .map(|d| d.display(super::DATES))
                                .unwrap_or_else(|_| iso.to_string())
                        };
                        let dates = if c.first == c.last {
                            day(&c.first)
                        } else {
                            format!("{} – {}", day(&c.first), day(&c.last))
                        };
                        vec![
                            c.ordinal.clone(),
                            dates,
                            c.places.join("; "),
                            numbers(&c.events, "#"),
                        ]
                    })
                    .collect()
            };
            if !done.is_empty() {
                out.write_all(table::align(&rows(&done)).as_bytes())?;
            }
            if !planned.is_empty() {
                writeln!(out, "\nPlanned (will be):")?;
                out.write_all(table::align(&rows(&planned)).as_bytes())?;
            }
        }
    }
    Ok(())
}

/// "#5 #12", or "5 12" for CSV.
fn numbers(events: &[i64], mark: &str) -> String {
    let all: Vec<String> = events.iter().map(|n| format!("{mark}{n}")).collect();
    all.join(" ")
}

fn counted_json(
    counted: &Counted,
    events: &HashMap<i64, &Event>,
    prior: Option<&Prior>,
) -> CountedJson {
    let ordinal = crate::domain::prior::scoped(
        counted.place.ordinal,
        prior,
        &crate::domain::scope::Scope::default(),
        super::DATES,
    )
    .ordinal
    .phrase();
    let first = counted
        .stops
        .first()
        .and_then(|s| events.get(&s.event_id))
        .map(|e| e.date.to_string())
        .unwrap_or_default();
    let last = counted
        .stops
        .iter()
        .max_by_key(|s| (s.last, s.first))
        .and_then(|s| events.get(&s.event_id))
        .map(|e| e.end_date.unwrap_or(e.date).to_string())
        .unwrap_or_default();
    // Each country reached, in order, with its cities; stopovers are on the way, not visits.
    let mut by_country: Vec<(Country, Vec<String>)> = Vec::new();
    for stop in counted.stops.iter().filter(|s| !s.stopover) {
        let Some(country) = &stop.country else {
            continue;
        };
        let city = events
            .get(&stop.event_id)
            .map(|e| e.place.city.trim().to_string())
            .unwrap_or_default();
        let at = match by_country.iter().position(|(c, _)| c == country) {
            Some(at) => at,
            None => {
                by_country.push((country.clone(), Vec::new()));
                by_country.len() - 1
            }
        };
        let cities = &mut by_country[at].1;
        if !city.is_empty() && !cities.contains(&city) {
            cities.push(city);
        }
    }
    CountedJson {
        ordinal,
        first,
        last,
        countries: by_country.iter().map(|(c, _)| c.to_string()).collect(),
        places: by_country
            .iter()
            .map(|(country, cities)| match cities.as_slice() {
                [] => country.name().to_string(),
                cities => format!("{} ({})", cities.join(", "), country.name()),
            })
            .collect(),
        events: counted.stops.iter().map(|s| s.event_id).collect(),
        trip: counted.trip.id(),
    }
}
