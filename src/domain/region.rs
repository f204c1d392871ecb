//! Regions: named groups of countries that visits are counted to as to a country ("his 11th
//! trip to the Middle East"). The program ships the UN M49 regions and the Middle East, each
//! with its source (`data/regions.toml`, read when first asked for); a user's `[regions]` in
//! config.toml adds to them and replaces a shipped one of the same name.
//!
//! The shipped list is a TOML file rather than a Rust table so that it reads as the sources
//! print it, with their notes, and is written in the form the user's own regions take.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::Country;

const SHIPPED: &str = include_str!("../../data/regions.toml");

/// A named group of countries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    /// How a sentence names it: "the Middle East".
    pub called: String,
    /// Its UN M49 code, for an M49 region: "145".
    pub m49: Option<String>,
    pub members: BTreeSet<Country>,
    /// Where the membership comes from: a publication (and when it was read), or the user's
    /// file.
    pub source: String,
    /// The publication's address, for a shipped region.
    pub url: String,
    /// Members the source does not list, and why they are counted in.
    pub added: Vec<Country>,
    pub note: String,
}

impl Region {
    pub fn contains(&self, country: &Country) -> bool {
        self.members.contains(country)
    }

    /// A region the user defined: its members as given.
    pub fn user(name: &str, members: BTreeSet<Country>, source: &str) -> Region {
        Region {
            name: name.trim().to_string(),
            called: name.trim().to_string(),
            m49: None,
            members,
            source: source.to_string(),
            url: String::new(),
            added: Vec::new(),
            note: String::new(),
        }
    }
}

/// The key a name is found by: case, spaces, hyphens and other punctuation aside, so that
/// "middle east", "South-eastern Asia" and "south eastern asia" all find theirs.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every region known: the shipped ones with the user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regions {
    list: Vec<Region>,
}

impl Regions {
    /// The regions the program ships.
    pub fn shipped() -> Regions {
        Regions {
            list: parse_shipped(SHIPPED).expect("the shipped regions are checked by their test"),
        }
    }

    /// These regions with the user's: one of the same name replaces the shipped one, in its
    /// place; a new one comes after.
    pub fn with(mut self, user: Vec<Region>) -> Regions {
        for region in user {
            let key = name_key(&region.name);
            match self.list.iter_mut().find(|r| name_key(&r.name) == key) {
                Some(shipped) => *shipped = region,
                None => self.list.push(region),
            }
        }
        self
    }

    pub fn all(&self) -> &[Region] {
        &self.list
    }

    /// The region named (in any case, or by its M49 code); otherwise the message says so,
    /// suggesting the closest name.
    pub fn find(&self, name: &str) -> Result<&Region, String> {
        let key = name_key(name);
        if let Some(region) = self
            .list
            .iter()
            .find(|r| name_key(&r.name) == key || r.m49.as_deref() == Some(name.trim()))
        {
            return Ok(region);
        }
        let closest = self
            .list
            .iter()
            .map(|r| (strsim::jaro_winkler(&name_key(&r.name), &key), &r.name))
            .filter(|(score, _)| *score > 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        Err(match closest {
            Some((_, near)) => format!(
                "unknown region \"{}\" (did you mean \"{near}\"? attache regions lists them)",
                name.trim()
            ),
            None => format!(
                "unknown region \"{}\" (attache regions lists them; config.toml may add more)",
                name.trim()
            ),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Shipped {
    sources: BTreeMap<String, ShippedSource>,
    region: Vec<ShippedRegion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ShippedSource {
    title: String,
    url: String,
    as_of: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShippedRegion {
    name: String,
    called: Option<String>,
    m49: Option<String>,
    source: String,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    parts: Vec<String>,
    #[serde(default)]
    added: Vec<String>,
    #[serde(default)]
    note: String,
}

/// Reads the shipped file: every code a country, every part a region of the file, every
/// source named. A region made of parts holds their members, additions and notes.
fn parse_shipped(text: &str) -> Result<Vec<Region>, String> {
    let file: Shipped = toml::from_str(text).map_err(|e| e.to_string())?;
    let by_key: BTreeMap<String, &ShippedRegion> =
        file.region.iter().map(|r| (name_key(&r.name), r)).collect();
    if by_key.len() != file.region.len() {
        return Err("two regions share a name".into());
    }
    let parse = |code: &String| Country::parse(code).map_err(|e| format!("{code}: {e}"));
    file.region
        .iter()
        .map(|region| {
            let source = file
                .sources
                .get(&region.source)
                .ok_or_else(|| format!("{}: no source {}", region.name, region.source))?;
            let (mut members, mut added, mut notes) = (BTreeSet::new(), BTreeSet::new(), vec![]);
            let mut pending = vec![region];
            while let Some(r) = pending.pop() {
                for code in &r.members {
                    members.insert(parse(code)?);
                }
                for code in &r.added {
                    added.insert(parse(code)?);
                }
                if !r.note.is_empty() {
                    notes.push(r.note.clone());
                }
                for part in r.parts.iter().rev() {
                    let found = by_key
                        .get(&name_key(part))
                        .ok_or_else(|| format!("{}: no part named {part}", region.name))?;
                    pending.push(found);
                }
            }
            members.extend(added.iter().cloned());
            Ok(Region {
                name: region.name.clone(),
                called: region.called.clone().unwrap_or_else(|| region.name.clone()),
                m49: region.m49.clone(),
                members,
                source: format!("{} (as of {})", source.title, source.as_of),
                url: source.url.clone(),
                added: added.into_iter().collect(),
                note: notes.join("; "),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(code: &str) -> Country {
        Country::parse(code).unwrap()
    }

    fn codes(region: &Region) -> Vec<&str> {
        region.members.iter().map(Country::code).collect()
    }

    #[test]
    fn the_shipped_file_reads_and_every_region_has_members_and_a_source() {
        let regions = parse_shipped(SHIPPED).unwrap();
        assert_eq!(regions.len(), 30, "29 M49 regions and the Middle East");
        for region in &regions {
            assert!(!region.members.is_empty(), "{}", region.name);
            assert!(region.url.starts_with("https://"), "{}", region.name);
            assert_eq!(
                region.added.is_empty(),
                region.note.is_empty(),
                "{}",
                region.name
            );
        }
    }

    #[test]
    fn names_match_without_regard_to_case_spaces_or_hyphens() {
        let regions = Regions::shipped();
        for typed in ["middle east", "MIDDLE EAST", " Middle-East "] {
            assert_eq!(regions.find(typed).unwrap().name, "Middle East");
        }
        assert_eq!(
            regions.find("south eastern asia").unwrap().name,
            "South-eastern Asia"
        );
        assert_eq!(regions.find("145").unwrap().name, "Western Asia");
        assert_eq!(
            regions.find("Midle East").unwrap_err(),
            "unknown region \"Midle East\" (did you mean \"Middle East\"? attache regions lists them)"
        );
        assert!(
            regions
                .find("Atlantis")
                .unwrap_err()
                .starts_with("unknown region \"Atlantis\" (attache regions")
        );
    }

    #[test]
    fn m49_sub_regions_hold_what_the_un_lists() {
        let regions = Regions::shipped();
        let western_asia = regions.find("Western Asia").unwrap();
        assert_eq!(
            codes(western_asia),
            [
                "AE", "AM", "AZ", "BH", "CY", "GE", "IL", "IQ", "JO", "KW", "LB", "OM", "PS", "QA",
                "SA", "SY", "TR", "YE"
            ]
        );
        // Egypt is in Northern Africa, not Western Asia; Iran in Southern Asia.
        assert!(!western_asia.contains(&country("EG")));
        assert!(
            regions
                .find("Southern Asia")
                .unwrap()
                .contains(&country("IR"))
        );
        assert!(
            regions
                .find("Eastern Europe")
                .unwrap()
                .contains(&country("RU"))
        );
        assert!(
            regions
                .find("Northern America")
                .unwrap()
                .contains(&country("US"))
        );
        assert!(
            !regions
                .find("Central America")
                .unwrap()
                .contains(&country("US"))
        );
    }

    #[test]
    fn m49_regions_are_their_sub_regions_and_cover_every_country_once() {
        let regions = Regions::shipped();
        let continents = ["Africa", "Americas", "Asia", "Europe", "Oceania"];
        let sizes: Vec<usize> = continents
            .iter()
            .map(|c| {
                let region = regions.find(c).unwrap();
                region.members.len() - region.added.len()
            })
            .collect();
        // The UN's counts of countries and areas: 248 in all, Antarctica in no region.
        assert_eq!(sizes, [60, 57, 50, 51, 29]);
        let sub = regions.find("Sub-Saharan Africa").unwrap();
        assert!(sub.contains(&country("KE")) && !sub.contains(&country("SD")));
        let mut seen = BTreeSet::new();
        for continent in continents {
            for member in &regions.find(continent).unwrap().members {
                assert!(seen.insert(member.clone()), "{member} twice");
            }
        }
        assert!(!seen.contains(&country("AQ")));
        assert!(seen.contains(&country("TW")) && seen.contains(&country("XK")));
        let europe = regions.find("Europe").unwrap();
        let added: Vec<&str> = europe.added.iter().map(Country::code).collect();
        assert_eq!(added, ["CS", "DD", "SU", "XK", "YU"]);
        assert!(europe.note.contains("Soviet Union"));
    }

    #[test]
    fn the_middle_east_is_its_stated_list() {
        let regions = Regions::shipped();
        let middle_east = regions.find("middle east").unwrap();
        assert_eq!(middle_east.called, "the Middle East");
        assert_eq!(
            codes(middle_east),
            [
                "AE", "BH", "CY", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA",
                "SY", "TR", "YE"
            ]
        );
        // Blinken's trips after 7 October 2023 went to each of these.
        for code in ["IL", "JO", "QA", "BH", "SA", "AE", "EG", "TR"] {
            assert!(middle_east.contains(&country(code)), "{code}");
        }
        assert!(!middle_east.contains(&country("LY")));
        assert_eq!(middle_east.url, "https://guides.ucf.edu/mideast/home");
    }

    #[test]
    fn a_user_region_adds_to_the_shipped_or_replaces_one_of_its_name() {
        let gulf = Region::user(
            "Gulf",
            ["SA", "AE", "QA", "BH", "KW", "OM"].map(country).into(),
            "config.toml",
        );
        let narrow = Region::user(
            "middle EAST",
            ["IL", "PS"].map(country).into(),
            "config.toml",
        );
        let shipped = Regions::shipped();
        let regions = shipped.clone().with(vec![gulf, narrow]);
        assert_eq!(regions.all().len(), shipped.all().len() + 1);
        assert_eq!(regions.find("gulf").unwrap().members.len(), 6);
        let middle_east = regions.find("Middle East").unwrap();
        assert_eq!(codes(middle_east), ["IL", "PS"]);
        assert_eq!(middle_east.source, "config.toml");
    }
}
