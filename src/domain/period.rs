//! Periods of time for charts: the unit a span is cut into (days up to decades), where a
//! period starts, and counts per period with the empty periods kept, since a gap in diplomacy
//! is news. Weeks start on Monday, as ISO 8601 has them; quarters on January, April, July and
//! October; decades on years ending in 0.

use std::ops::AddAssign;

use chrono::{Datelike, Months, NaiveDate};

/// The length of one bar of a chart; by default a month, the period the store keeps counts
/// for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    Day,
    Week,
    #[default]
    Month,
    Quarter,
    Year,
    Decade,
}

impl Unit {
    /// Every unit, finest first.
    pub const ALL: [Unit; 6] = [
        Unit::Day,
        Unit::Week,
        Unit::Month,
        Unit::Quarter,
        Unit::Year,
        Unit::Decade,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Quarter => "quarter",
            Unit::Year => "year",
            Unit::Decade => "decade",
        }
    }

    /// The name for a count of periods: "1 week", "3 weeks".
    pub fn count(self, n: usize) -> String {
        format!("{n} {}{}", self.name(), if n == 1 { "" } else { "s" })
    }

    /// The next shorter unit, if any.
    pub fn finer(self) -> Option<Unit> {
        let i = Unit::ALL.iter().position(|u| *u == self)?;
        i.checked_sub(1).map(|i| Unit::ALL[i])
    }

    /// The next longer unit, if any.
    pub fn coarser(self) -> Option<Unit> {
        let i = Unit::ALL.iter().position(|u| *u == self)?;
        Unit::ALL.get(i + 1).copied()
    }

    /// Whether a period of this unit is made of whole months, so that counts kept per month
    /// add up to it.
    pub fn whole_months(self) -> bool {
        self >= Unit::Month
    }

    /// The first day of the period that holds `day`.
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        let first_of = |year: i32, month: u32| NaiveDate::from_ymd_opt(year, month, 1);
        let start = match self {
            Unit::Day => Some(day),
            Unit::Week => day.checked_sub_days(chrono::Days::new(u64::from(
                day.weekday().num_days_from_monday(),
            ))),
            Unit::Month => first_of(day.year(), day.month()),
            Unit::Quarter => first_of(day.year(), (day.month0() / 3) * 3 + 1),
            Unit::Year => first_of(day.year(), 1),
            Unit::Decade => first_of(day.year().div_euclid(10) * 10, 1),
        };
        // Only the weeks at the very start of the calendar have no Monday to begin on.
        start.unwrap_or(NaiveDate::MIN)
    }

    /// The first day of the period after the one starting on `start` (a day `start` gave);
    /// `None` past the end of the calendar.
    pub fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Unit::Day => start.succ_opt(),
            Unit::Week => start.checked_add_days(chrono::Days::new(7)),
            Unit::Month => start.checked_add_months(Months::new(1)),
            Unit::Quarter => start.checked_add_months(Months::new(3)),
            Unit::Year => start.checked_add_months(Months::new(12)),
            Unit::Decade => start.checked_add_months(Months::new(120)),
        }
    }

    /// The last day of the period starting on `start`.
    pub fn last(self, start: NaiveDate) -> NaiveDate {
        self.next(start)
            .and_then(|next| next.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// How many periods of this unit from the one holding `first` to the one holding `last`,
    /// both counted; 0 when `last` is before `first`.
    pub fn periods(self, first: NaiveDate, last: NaiveDate) -> usize {
        if last < first {
            return 0;
        }
        let months = |a: NaiveDate, b: NaiveDate| {
            i64::from(b.year() - a.year()) * 12 + i64::from(b.month0()) - i64::from(a.month0())
        };
        let (a, b) = (self.start(first), self.start(last));
        let between = match self {
            Unit::Day => (b - a).num_days(),
            Unit::Week => (b - a).num_days() / 7,
            Unit::Month => months(a, b),
            Unit::Quarter => months(a, b) / 3,
            Unit::Year => i64::from(b.year() - a.year()),
            Unit::Decade => i64::from(b.year() - a.year()) / 10,
        };
        usize::try_from(between).map_or(usize::MAX, |n| n.saturating_add(1))
    }

    /// The finest unit that cuts `first..=last` into at most `bars` periods; decades when none
    /// does.
    pub fn for_span(first: NaiveDate, last: NaiveDate, bars: usize) -> Unit {
        Unit::ALL
            .into_iter()
            .find(|unit| unit.periods(first, last) <= bars.max(1))
            .unwrap_or(Unit::Decade)
    }

    /// A short name for the period starting on `start`, the same width for every period of a
    /// unit (within the years 1000 to 9999): "2025-03-04", "2025-W10", "2025-03", "2025 Q1",
    /// "2025", "2020s". A week is named by its ISO week, which may belong to the year before or
    /// after its Monday's.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Unit::Day => start.format("%Y-%m-%d").to_string(),
            Unit::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Unit::Month => start.format("%Y-%m").to_string(),
            Unit::Quarter => format!("{} Q{}", start.year(), start.month0() / 3 + 1),
            Unit::Year => start.year().to_string(),
            Unit::Decade => format!("{}s", start.year()),
        }
    }

    /// The period starting on `start` in words, for a sentence: "4 Mar 2025", "the week of 3
    /// Mar 2025", "Mar 2025", "2025 Q1", "2025", "the 2020s".
    pub fn phrase(self, start: NaiveDate) -> String {
        match self {
            Unit::Day => start.format("%-d %b %Y").to_string(),
            Unit::Week => format!("the week of {}", start.format("%-d %b %Y")),
            Unit::Month => start.format("%b %Y").to_string(),
            Unit::Quarter | Unit::Year => self.label(start),
            Unit::Decade => format!("the {}", self.label(start)),
        }
    }
}

/// Every period of `unit` from the one holding `first` to the one holding `last`, each with
/// the sum of the values dated in it; periods with nothing keep `T::default()`. Values dated
/// outside those periods are left out.
pub fn bucket<T: Default + AddAssign>(
    unit: Unit,
    first: NaiveDate,
    last: NaiveDate,
    values: impl IntoIterator<Item = (NaiveDate, T)>,
) -> Vec<(NaiveDate, T)> {
    let mut periods: Vec<(NaiveDate, T)> = Vec::new();
    let end = unit.start(last);
    let mut start = unit.start(first);
    while start <= end && last >= first {
        periods.push((start, T::default()));
        match unit.next(start) {
            Some(next) => start = next,
            None => break,
        }
    }
    for (day, value) in values {
        let holder = unit.start(day);
        if let Ok(i) = periods.binary_search_by_key(&holder, |(s, _)| *s) {
            periods[i].1 += value;
        }
    }
    periods
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_start_where_the_calendar_says() {
        let d = day("2025-08-15"); // a Friday
        assert_eq!(Unit::Day.start(d), d);
        assert_eq!(Unit::Week.start(d), day("2025-08-11"));
        assert_eq!(Unit::Month.start(d), day("2025-08-01"));
        assert_eq!(Unit::Quarter.start(d), day("2025-07-01"));
        assert_eq!(Unit::Year.start(d), day("2025-01-01"));
        assert_eq!(Unit::Decade.start(d), day("2020-01-01"));
        assert_eq!(Unit::Week.start(day("2025-08-11")), day("2025-08-11"));
        assert_eq!(Unit::Week.start(day("2025-08-17")), day("2025-08-11"));
        assert_eq!(Unit::Quarter.start(day("2025-12-31")), day("2025-10-01"));
        assert_eq!(Unit::Decade.start(day("1999-12-31")), day("1990-01-01"));
        assert_eq!(Unit::Decade.start(day("2000-01-01")), day("2000-01-01"));
    }

    #[test]
    fn the_next_period_follows_the_last_day() {
        for unit in Unit::ALL {
            let start = unit.start(day("2024-02-29"));
            let next = unit.next(start).unwrap();
            assert_eq!(unit.last(start).succ_opt().unwrap(), next, "{unit:?}");
            assert_eq!(unit.start(next), next, "{unit:?}");
            assert_eq!(unit.start(unit.last(start)), start, "{unit:?}");
        }
        assert_eq!(Unit::Month.next(day("2025-01-01")), Some(day("2025-02-01")));
        assert_eq!(
            Unit::Quarter.next(day("2025-10-01")),
            Some(day("2026-01-01"))
        );
        assert_eq!(
            Unit::Decade.next(day("1990-01-01")),
            Some(day("2000-01-01"))
        );
        assert_eq!(Unit::Day.next(NaiveDate::MAX), None);
    }

    #[test]
    fn periods_count_both_ends() {
        let (a, b) = (day("2025-01-31"), day("2025-03-01"));
        assert_eq!(Unit::Day.periods(a, b), 30);
        assert_eq!(Unit::Month.periods(a, b), 3);
        assert_eq!(Unit::Quarter.periods(a, b), 1);
        assert_eq!(Unit::Year.periods(a, b), 1);
        assert_eq!(Unit::Week.periods(day("2025-08-17"), day("2025-08-18")), 2);
        assert_eq!(
            Unit::Decade.periods(day("1989-12-31"), day("2001-01-01")),
            3
        );
        assert_eq!(Unit::Day.periods(b, a), 0);
        assert_eq!(Unit::Day.periods(a, a), 1);
    }

    #[test]
    fn the_unit_is_the_finest_that_fits() {
        let first = day("2025-01-01");
        assert_eq!(Unit::for_span(first, day("2025-01-20"), 60), Unit::Day);
        assert_eq!(Unit::for_span(first, day("2025-06-30"), 60), Unit::Week);
        assert_eq!(Unit::for_span(first, day("2027-06-30"), 60), Unit::Month);
        assert_eq!(Unit::for_span(first, day("2035-06-30"), 60), Unit::Quarter);
        assert_eq!(
            Unit::for_span(day("1950-01-01"), day("2025-06-30"), 60),
            Unit::Decade
        );
        assert_eq!(
            Unit::for_span(day("1970-01-01"), day("2025-06-30"), 60),
            Unit::Year
        );
        assert_eq!(
            Unit::for_span(day("0001-01-01"), day("9999-12-31"), 10),
            Unit::Decade
        );
        assert_eq!(Unit::for_span(first, first, 0), Unit::Day);
    }

    #[test]
    fn labels_and_phrases() {
        let d = day("2025-03-04");
        let labels: Vec<String> = Unit::ALL.iter().map(|u| u.label(u.start(d))).collect();
        assert_eq!(
            labels,
            [
                "2025-03-04",
                "2025-W10",
                "2025-03",
                "2025 Q1",
                "2025",
                "2020s"
            ]
        );
        // The Monday of ISO week 1 of 2025 is in 2024.
        assert_eq!(Unit::Week.label(day("2024-12-30")), "2025-W01");
        assert_eq!(
            Unit::Week.phrase(day("2025-03-03")),
            "the week of 3 Mar 2025"
        );
        assert_eq!(Unit::Decade.phrase(day("2020-01-01")), "the 2020s");
        assert_eq!(Unit::Week.count(1), "1 week");
        assert_eq!(Unit::Day.count(62), "62 days");
    }

    #[test]
    fn finer_and_coarser_walk_the_units() {
        assert_eq!(Unit::Day.finer(), None);
        assert_eq!(Unit::Day.coarser(), Some(Unit::Week));
        assert_eq!(Unit::Decade.coarser(), None);
        assert_eq!(Unit::Decade.finer(), Some(Unit::Year));
        assert!(Unit::Quarter.whole_months() && !Unit::Week.whole_months());
    }

    #[test]
    fn buckets_keep_empty_periods() {
        let counts = bucket(
            Unit::Month,
            day("2025-01-15"),
            day("2025-05-02"),
            [
                (day("2025-01-01"), 2usize),
                (day("2025-01-31"), 1),
                (day("2025-04-09"), 4),
                (day("2024-12-31"), 9),
                (day("2025-06-01"), 9),
            ],
        );
        assert_eq!(
            counts,
            [
                (day("2025-01-01"), 3),
                (day("2025-02-01"), 0),
                (day("2025-03-01"), 0),
                (day("2025-04-01"), 4),
                (day("2025-05-01"), 0),
            ]
        );
        assert!(bucket::<usize>(Unit::Day, day("2025-02-01"), day("2025-01-01"), []).is_empty());
        let years = bucket(
            Unit::Decade,
            day("1990-05-01"),
            day("2010-01-01"),
            [(day("2001-01-01"), 1u32)],
        );
        assert_eq!(years.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [0, 1, 0]);
    }

    #[test]
    fn the_end_of_the_calendar_ends_the_buckets() {
        let counts = bucket(
            Unit::Day,
            NaiveDate::MAX,
            NaiveDate::MAX,
            [(NaiveDate::MAX, 1u8)],
        );
        assert_eq!(counts, [(NaiveDate::MAX, 1)]);
    }
}
