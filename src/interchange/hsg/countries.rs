//! The Office of the Historian's country ids and the nationality adjectives of its remarks, as
//! country codes. Some depend on the date: the files call the Soviet Union "russia" and Serbia
//! and Montenegro "serbia" before they had those names.

use chrono::NaiveDate;

use crate::domain::Country;

/// The day the Soviet Union ended (26 December 1991): "russia" before it is SU.
fn soviet_until() -> NaiveDate {
    NaiveDate::from_ymd_opt(1991, 12, 26).unwrap_or(NaiveDate::MIN)
}

/// The day Serbia became independent of the state union with Montenegro (5 June 2006): the
/// files' "serbia" and "montenegro" before it are Yugoslavia (YU). ISO's code for the state
/// union of 2003–2006, CS, is the withdrawn code of Czechoslovakia, which the record keeps.
fn yugoslav_until() -> NaiveDate {
    NaiveDate::from_ymd_opt(2006, 6, 5).unwrap_or(NaiveDate::MIN)
}

/// The code of one of the files' country ids on `day`, or None for an id not known here.
pub fn code_of_id(id: &str, day: NaiveDate) -> Option<Country> {
    let code = match id {
        "russia" if day < soviet_until() => "SU",
        "serbia" | "montenegro" if day < yugoslav_until() => "YU",
        "montenegro" => "ME",
        "serbia" => "RS",
        other => ID_CODES
            .iter()
            .find(|(known, _)| *known == other)
            .map(|(_, code)| *code)?,
    };
    Country::parse(code).ok()
}

/// The country named by a nationality adjective of the remarks ("Russian", "North Korean") on
/// `day`.
pub fn code_of_adjective(adjective: &str, day: NaiveDate) -> Option<Country> {
    let code = match adjective {
        "Russian" if day < soviet_until() => "SU",
        "Czech" if day < NaiveDate::from_ymd_opt(1993, 1, 1).unwrap_or(NaiveDate::MIN) => "CS",
        "Serbian" if day < yugoslav_until() => "YU",
        other => ADJECTIVE_CODES
            .iter()
            .find(|(known, _)| *known == other)
            .map(|(_, code)| *code)?,
    };
    Country::parse(code).ok()
}

/// Words that may stand before a nationality adjective to make a longer one.
pub const ADJECTIVE_FIRST_WORDS: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Saudi",
    "Sri",
    "New",
    "Palestinian",
    "Bosnian",
];

/// Every country id of the travels and visits files (as of their 2025 snapshots), with its
/// ISO 3166-1 code. Hawaii was a kingdom, then a republic, when its three visitors came
/// (1874–1898); ISO 3166 has no code for it, so it is placed under US, the state it became.
const ID_CODES: &[(&str, &str)] = &[
    ("afghanistan", "AF"),
    ("albania", "AL"),
    ("algeria", "DZ"),
    ("angola", "AO"),
    ("antarctica", "AQ"),
    ("antigua-barbuda", "AG"),
    ("argentina", "AR"),
    ("armenia", "AM"),
    ("australia", "AU"),
    ("austria", "AT"),
    ("azerbaijan", "AZ"),
    ("bahamas", "BS"),
    ("bahrain", "BH"),
    ("bangladesh", "BD"),
    ("barbados", "BB"),
    ("belarus", "BY"),
    ("belgium", "BE"),
    ("belize", "BZ"),
    ("benin", "BJ"),
    ("bolivia", "BO"),
    ("bosnia-herzegovina", "BA"),
    ("botswana", "BW"),
    ("brazil", "BR"),
    ("brunei", "BN"),
    ("bulgaria", "BG"),
    ("burkina-faso", "BF"),
    ("burma", "MM"),
    ("burundi", "BI"),
    ("cambodia", "KH"),
    ("cameroon", "CM"),
    ("canada", "CA"),
    ("cape-verde", "CV"),
    ("central-african-republic", "CF"),
    ("chad", "TD"),
    ("chile", "CL"),
    ("china", "CN"),
    ("colombia", "CO"),
    ("comoros", "KM"),
    ("congo-democratic-republic", "CD"),
    ("congo-kinshasa", "CD"),
    ("congo-republic", "CG"),
    ("cook-islands", "CK"),
    ("costa-rica", "CR"),
    ("cote-divoire", "CI"),
    ("croatia", "HR"),
    ("cuba", "CU"),
    ("cyprus", "CY"),
    ("czech-republic", "CZ"),
    ("czechia", "CZ"),
    ("czechoslovakia", "CS"),
    ("denmark", "DK"),
    ("djibouti", "DJ"),
    ("dominica", "DM"),
    ("dominican-republic", "DO"),
    ("ecuador", "EC"),
    ("egypt", "EG"),
    ("el-salvador", "SV"),
    ("equatorial-guinea", "GQ"),
    ("eritrea", "ER"),
    ("estonia", "EE"),
    ("eswatini", "SZ"),
    ("ethiopia", "ET"),
    ("fiji", "FJ"),
    ("finland", "FI"),
    ("france", "FR"),
    ("french-polynesia", "PF"),
    ("gabon", "GA"),
    ("gambia", "GM"),
    ("georgia", "GE"),
    ("german-democratic-republic", "DD"),
    ("germany", "DE"),
    ("ghana", "GH"),
    ("greece", "GR"),
    ("grenada", "GD"),
    ("guatemala", "GT"),
    ("guinea", "GN"),
    ("guinea-bissau", "GW"),
    ("guyana", "GY"),
    ("haiti", "HT"),
    ("hawaii", "US"),
    ("holy-see", "VA"),
    ("honduras", "HN"),
    ("hungary", "HU"),
    ("iceland", "IS"),
    ("india", "IN"),
    ("indonesia", "ID"),
    ("iran", "IR"),
    ("iraq", "IQ"),
    ("ireland", "IE"),
    ("israel", "IL"),
    ("italy", "IT"),
    ("jamaica", "JM"),
    ("japan", "JP"),
    ("jordan", "JO"),
    ("kazakhstan", "KZ"),
    ("kenya", "KE"),
    ("kiribati", "KI"),
    ("korea", "KR"),
    ("korea-north", "KP"),
    ("korea-south", "KR"),
    ("kosovo", "XK"),
    ("kuwait", "KW"),
    ("kyrgyzstan", "KG"),
    ("laos", "LA"),
    ("latvia", "LV"),
    ("lebanon", "LB"),
    ("lesotho", "LS"),
    ("liberia", "LR"),
    ("libya", "LY"),
    ("liechtenstein", "LI"),
    ("lithuania", "LT"),
    ("luxembourg", "LU"),
    ("macedonia", "MK"),
    ("madagascar", "MG"),
    ("malawi", "MW"),
    ("malaysia", "MY"),
    ("maldives", "MV"),
    ("mali", "ML"),
    ("malta", "MT"),
    ("marshall-islands", "MH"),
    ("mauritania", "MR"),
    ("mauritius", "MU"),
    ("mexico", "MX"),
    ("micronesia", "FM"),
    ("moldova", "MD"),
    ("monaco", "MC"),
    ("mongolia", "MN"),
    ("morocco", "MA"),
    ("mozambique", "MZ"),
    ("namibia", "NA"),
    ("nauru", "NR"),
    ("nepal", "NP"),
    ("netherlands", "NL"),
    ("netherlands-antilles", "AN"),
    ("new-caledonia", "NC"),
    ("new-zealand", "NZ"),
    ("nicaragua", "NI"),
    ("niger", "NE"),
    ("nigeria", "NG"),
    ("niue", "NU"),
    ("north-macedonia", "MK"),
    ("norway", "NO"),
    ("oman", "OM"),
    ("pakistan", "PK"),
    ("palau", "PW"),
    ("palestinian-authority", "PS"),
    ("panama", "PA"),
    ("papua-new-guinea", "PG"),
    ("paraguay", "PY"),
    ("peru", "PE"),
    ("philippines", "PH"),
    ("poland", "PL"),
    ("portugal", "PT"),
    ("qatar", "QA"),
    ("romania", "RO"),
    ("russia", "RU"),
    ("rwanda", "RW"),
    ("saint-kitts-nevis", "KN"),
    ("saint-lucia", "LC"),
    ("saint-vincent-grenadines", "VC"),
    ("samoa", "WS"),
    ("sao-tome-and-principe", "ST"),
    ("saudi-arabia", "SA"),
    ("senegal", "SN"),
    ("seychelles", "SC"),
    ("sierra-leone", "SL"),
    ("singapore", "SG"),
    ("slovakia", "SK"),
    ("slovenia", "SI"),
    ("solomon-islands", "SB"),
    ("somalia", "SO"),
    // The visits file's spelling of Samoa (2022).
    ("somoa", "WS"),
    ("south-africa", "ZA"),
    ("south-sudan", "SS"),
    ("spain", "ES"),
    ("sri-lanka", "LK"),
    ("sudan", "SD"),
    ("suriname", "SR"),
    ("swaziland", "SZ"),
    ("sweden", "SE"),
    ("switzerland", "CH"),
    ("syria", "SY"),
    ("taiwan", "TW"),
    ("tajikistan", "TJ"),
    ("tanzania", "TZ"),
    ("thailand", "TH"),
    ("timor-leste", "TL"),
    ("togo", "TG"),
    ("tonga", "TO"),
    ("trinidad-and-tobago", "TT"),
    ("tunisia", "TN"),
    ("turkey", "TR"),
    ("turkiye", "TR"),
    ("turkmenistan", "TM"),
    ("tuvalu", "TV"),
    ("uganda", "UG"),
    ("ukraine", "UA"),
    ("united-arab-emirates", "AE"),
    ("united-kingdom", "GB"),
    ("uruguay", "UY"),
    ("uzbekistan", "UZ"),
    ("venezuela", "VE"),
    ("vietnam", "VN"),
    ("west-bank", "PS"),
    ("yemen", "YE"),
    ("yugoslavia", "YU"),
    ("zambia", "ZM"),
    ("zimbabwe", "ZW"),
];

/// Nationality adjectives as the remarks write them before a title ("Russian Foreign
/// Minister"), and the organisations whose officials are on no country's side.
const ADJECTIVE_CODES: &[(&str, &str)] = &[
    ("Afghan", "AF"),
    ("Albanian", "AL"),
    ("Algerian", "DZ"),
    ("Angolan", "AO"),
    ("Argentine", "AR"),
    ("Argentinian", "AR"),
    ("Armenian", "AM"),
    ("Australian", "AU"),
    ("Austrian", "AT"),
    ("Azerbaijani", "AZ"),
    ("Bahraini", "BH"),
    ("Bangladeshi", "BD"),
    ("Belarusian", "BY"),
    ("Belgian", "BE"),
    ("Bolivian", "BO"),
    ("Bosnian", "BA"),
    ("Brazilian", "BR"),
    ("British", "GB"),
    ("Bulgarian", "BG"),
    ("Burmese", "MM"),
    ("Cambodian", "KH"),
    ("Canadian", "CA"),
    ("Chilean", "CL"),
    ("Chinese", "CN"),
    ("Colombian", "CO"),
    ("Croatian", "HR"),
    ("Cuban", "CU"),
    ("Cypriot", "CY"),
    ("Czech", "CZ"),
    ("Czechoslovak", "CS"),
    ("Danish", "DK"),
    ("DPRK", "KP"),
    ("Dutch", "NL"),
    ("East German", "DD"),
    ("Ecuadorian", "EC"),
    ("Egyptian", "EG"),
    ("Emirati", "AE"),
    ("Estonian", "EE"),
    ("Ethiopian", "ET"),
    ("Finnish", "FI"),
    ("French", "FR"),
    ("Georgian", "GE"),
    ("German", "DE"),
    ("Ghanaian", "GH"),
    ("Greek", "GR"),
    ("Guatemalan", "GT"),
    ("Haitian", "HT"),
    ("Honduran", "HN"),
    ("Hungarian", "HU"),
    ("Icelandic", "IS"),
    ("Indian", "IN"),
    ("Indonesian", "ID"),
    ("Iranian", "IR"),
    ("Iraqi", "IQ"),
    ("Irish", "IE"),
    ("Israeli", "IL"),
    ("Italian", "IT"),
    ("Jamaican", "JM"),
    ("Japanese", "JP"),
    ("Jordanian", "JO"),
    ("Kazakh", "KZ"),
    ("Kenyan", "KE"),
    ("Kosovar", "XK"),
    ("Kuwaiti", "KW"),
    ("Kyrgyz", "KG"),
    ("Latvian", "LV"),
    ("Lebanese", "LB"),
    ("Liberian", "LR"),
    ("Libyan", "LY"),
    ("Lithuanian", "LT"),
    ("Macedonian", "MK"),
    ("Malaysian", "MY"),
    ("Mexican", "MX"),
    ("Moldovan", "MD"),
    ("Mongolian", "MN"),
    ("Montenegrin", "ME"),
    ("Moroccan", "MA"),
    ("New Zealand", "NZ"),
    ("Nicaraguan", "NI"),
    ("Nigerian", "NG"),
    ("North Korean", "KP"),
    ("Norwegian", "NO"),
    ("Omani", "OM"),
    ("Pakistani", "PK"),
    ("Palestinian", "PS"),
    ("Palestinian Authority", "PS"),
    ("Panamanian", "PA"),
    ("Paraguayan", "PY"),
    ("Peruvian", "PE"),
    ("Philippine", "PH"),
    ("Polish", "PL"),
    ("Portuguese", "PT"),
    ("PLO", "PS"),
    ("PRC", "CN"),
    ("Qatari", "QA"),
    ("ROK", "KR"),
    ("Romanian", "RO"),
    ("Russian", "RU"),
    ("Rwandan", "RW"),
    ("Salvadoran", "SV"),
    ("Saudi", "SA"),
    ("Saudi Arabian", "SA"),
    ("Senegalese", "SN"),
    ("Serbian", "RS"),
    ("Singaporean", "SG"),
    ("Slovak", "SK"),
    ("Slovenian", "SI"),
    ("Somali", "SO"),
    ("South African", "ZA"),
    ("South Korean", "KR"),
    ("South Sudanese", "SS"),
    ("Soviet", "SU"),
    ("Spanish", "ES"),
    ("Sri Lankan", "LK"),
    ("Sudanese", "SD"),
    ("Swedish", "SE"),
    ("Swiss", "CH"),
    ("Syrian", "SY"),
    ("Taiwanese", "TW"),
    ("Tajik", "TJ"),
    ("Tanzanian", "TZ"),
    ("Thai", "TH"),
    ("Tunisian", "TN"),
    ("Turkish", "TR"),
    ("Turkmen", "TM"),
    ("UAE", "AE"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Ugandan", "UG"),
    ("Ukrainian", "UA"),
    ("Uruguayan", "UY"),
    ("Uzbek", "UZ"),
    ("Vatican", "VA"),
    ("Venezuelan", "VE"),
    ("Vietnamese", "VN"),
    ("West German", "DE"),
    ("Yemeni", "YE"),
    ("Yugoslav", "YU"),
    ("Zambian", "ZM"),
    ("Zimbabwean", "ZW"),
];

/// Organisations named before a title ("UN Secretary-General", "NATO Secretary General",
/// "EU High Representative"): their officials are on no country's side and are left out.
pub const ORGANISATIONS: &[&str] = &[
    "UN",
    "U.N.",
    "NATO",
    "EU",
    "E.U.",
    "OAS",
    "OSCE",
    "CARICOM",
    "ASEAN",
    "IAEA",
    "OPEC",
    "European",
    "Quartet",
    "Arab",
    "African",
    "World",
    "International",
    "Commonwealth",
    "GCC",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_former_states_have_their_own_codes() {
        let code = |id: &str, on: &str| code_of_id(id, day(on)).map(|c| c.to_string());
        assert_eq!(code("russia", "1991-12-25").as_deref(), Some("SU"));
        assert_eq!(code("russia", "1991-12-26").as_deref(), Some("RU"));
        assert_eq!(code("yugoslavia", "1970-09-30").as_deref(), Some("YU"));
        assert_eq!(code("serbia", "1997-05-31").as_deref(), Some("YU"));
        assert_eq!(code("serbia", "2010-10-12").as_deref(), Some("RS"));
        assert_eq!(code("czechoslovakia", "1990-11-17").as_deref(), Some("CS"));
        assert_eq!(
            code("german-democratic-republic", "1989-12-20").as_deref(),
            Some("DD")
        );
        assert_eq!(code("kosovo", "2015-12-02").as_deref(), Some("XK"));
        assert_eq!(
            code("netherlands-antilles", "1964-01-01").as_deref(),
            Some("AN")
        );
        assert_eq!(code("hawaii", "1874-12-12").as_deref(), Some("US"));
        assert_eq!(code("atlantis", "2000-01-01"), None);
    }

    #[test]
    fn every_code_in_the_tables_is_one_the_record_takes() {
        for (id, code) in ID_CODES.iter().chain(ADJECTIVE_CODES) {
            assert!(Country::parse(code).is_ok(), "{id}: {code}");
        }
    }

    #[test]
    fn adjectives_follow_the_date() {
        let code = |adjective: &str, on: &str| {
            code_of_adjective(adjective, day(on)).map(|c| c.to_string())
        };
        assert_eq!(code("Russian", "1990-01-01").as_deref(), Some("SU"));
        assert_eq!(code("Russian", "2013-02-26").as_deref(), Some("RU"));
        assert_eq!(code("North Korean", "2019-06-30").as_deref(), Some("KP"));
        assert_eq!(code("Czech", "1992-06-01").as_deref(), Some("CS"));
        assert_eq!(code("Martian", "2019-06-30"), None);
    }
}
